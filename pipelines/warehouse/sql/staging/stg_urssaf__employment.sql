-- One row per commune × APE × year with a published count (empty = not published, so no row). APE codes
-- in NAF form (6201Z -> 62.01Z) to match sectors.toml; apprentices are counted from 2023 (series break).
-- Codes are normalised once per commune × APE, before the years are unnested (20 times fewer rows).
with commune_ape as (
    select pad_code(commune_code, 5) as commune_code, naf_code(ape_code) as ape_code, "values", source_file,
        is_demo
    from raw_urssaf
    where level = 'commune'
)
select
    commune_code,
    ape_code,
    cell.year,
    make_date(cell.year, 1, 1) as period,
    cell.establishments,
    cell.employees,
    cell.year >= 2023 as apprentices_counted,
    source_file,
    is_demo
from commune_ape, unnest("values") as years(cell)
