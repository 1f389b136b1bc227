-- grain: one row per (commune_code, sector_code, year)
-- URSSAF salaried employment and employer establishments at year end, summed over the sector's APE
-- codes: the base for any set of communes (a bassin, a custom list).
select
    employment.commune_code,
    bridge.sector_code,
    employment.year,
    any_value(employment.period) as period,
    sum(employment.employees) as employees,
    sum(employment.establishments) as establishments,
    bool_or(employment.is_demo) as is_demo
from stg_urssaf__employment as employment
join bridge_sector_ape as bridge using (ape_code)
group by employment.commune_code, bridge.sector_code, employment.year
