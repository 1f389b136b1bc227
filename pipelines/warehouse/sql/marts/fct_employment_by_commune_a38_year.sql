-- grain: one row per (commune_code, a38_code, year)
-- URSSAF salaried employment and employer establishments by NAF A38 section ('ensemble': every activity),
-- as fct_employment_by_commune_sector_year does for the sectors (same SQL: employment_by_commune).
select * rename (group_code as a38_code) from employment_by_commune('bridge_a38_ape', 'a38_code')
