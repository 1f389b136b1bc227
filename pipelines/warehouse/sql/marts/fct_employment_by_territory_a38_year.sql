-- grain: one row per (territory_type, territory_code, a38_code, year)
-- URSSAF employment and establishments by NAF A38 section ('ensemble': every activity, the sum of the sections
-- and of the codes of no known division, which have no row of their own) for the same territories as
-- fct_employment_by_territory_sector_year but the communes themselves (EPCI, zone d'emploi, département, région,
-- France, bassin BMO, lists of communes), with the same rules and columns (basis, communes_with_data,
-- share_of_employment, changes, is_latest_period): the same SQL (table_macros.sql, employment_by_territory).
select * rename (group_code as a38_code)
from employment_by_territory('bridge_a38_ape', 'a38_code', false)
where group_code <> 'autre'
