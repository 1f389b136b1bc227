-- grain: one row per (bassin_code, dept_code, metier_code, year)
-- BMO recruitment projects as published (a bassin spanning several départements has one cell per
-- département): NULL + *_secret where the cell is secret, never 0.
select
    'bassin_bmo' as territory_type,
    bassin_code as territory_code,
    year,
    period,
    bassin_code,
    dept_code,
    region_code,
    nomenclature,
    metier_code,
    projects,
    difficult,
    seasonal,
    projects_secret,
    difficult_secret,
    seasonal_secret,
    is_demo
from stg_bmo__projects
