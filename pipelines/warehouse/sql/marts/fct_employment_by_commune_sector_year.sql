-- grain: one row per (commune_code, sector_code, year)
-- URSSAF salaried employment and employer establishments at year end, summed over the sector's APE
-- codes: the base for any set of communes (a bassin, a custom list). The commune rows of
-- fct_employment_by_territory_sector_year (computed there once, by employment_by_commune in table_macros.sql).
select territory_code as commune_code, sector_code, year, period, employees, establishments, is_demo
from fct_employment_by_territory_sector_year
where territory_type = 'commune'
