-- grain: one row per (commune_code, sector_code, year)
-- URSSAF salaried employment and employer establishments at year end, summed over the sector's APE
-- codes: the base for any set of communes (a bassin, a custom list). SQL in macros.sql (employment_by_commune).
select * rename (group_code as sector_code) from employment_by_commune('bridge_sector_ape', 'sector_code')
