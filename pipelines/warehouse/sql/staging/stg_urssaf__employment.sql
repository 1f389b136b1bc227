-- One row per commune × APE × year with a published count (empty = not published, so no row): the rows of
-- stg_urssaf__commune_ape with their years unnested. Apprentices are counted from 2023 (series break).
select
    commune_code,
    ape_code,
    cell.year,
    urssaf_period(cell.year) as period,
    cell.establishments,
    cell.employees,
    cell.year >= 2023 as apprentices_counted,
    source_file,
    is_demo
from stg_urssaf__commune_ape, unnest("values") as years(cell)
