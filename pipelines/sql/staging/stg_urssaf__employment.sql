-- One row per commune × APE × year with a published count (empty = not published, so no row). APE codes
-- in NAF form (6201Z -> 62.01Z) to match sectors.toml; apprentices are counted from 2023 (series break).
with cells as (
    select * exclude ("values"), unnest("values", recursive := true)
    from raw_urssaf
    where level = 'commune'
)
select
    pad_code(commune_code, 5) as commune_code,
    naf_code(ape_code) as ape_code,
    year,
    make_date(year, 1, 1) as period,
    establishments,
    employees,
    year >= 2023 as apprentices_counted,
    source_file,
    is_demo
from cells
