-- One row per territory × APE × year of the files the URSSAF server summed (group_by): régions, France
-- (and départements, if such a file was imported). Same cells as the commune files, complete totals.
with cells as (
    select * exclude ("values"), unnest("values", recursive := true)
    from raw_urssaf
    where level <> 'commune'
)
select
    level as territory_type,
    case level when 'departement' then pad_code(dept_code, 2) when 'region' then pad_code(region_code, 2)
        else 'FR' end as territory_code,
    naf_code(ape_code) as ape_code,
    year,
    make_date(year, 1, 1) as period,
    establishments,
    employees,
    source_file,
    is_demo
from cells
