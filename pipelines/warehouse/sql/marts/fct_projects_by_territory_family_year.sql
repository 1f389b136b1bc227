-- grain: one row per (territory_type, territory_code, family_code, year)
-- BMO key figures per FAP family (first 3 characters of the FAP code, bridge_family_metier; 'ensemble': every
-- métier) with the same rules and columns (secret cells, lower bounds, breaks, perimeter, is_latest_period) as
-- fct_projects_by_territory_sector_year: the same SQL (macros.sql, projects_by_territory).
select * rename (group_code as family_code) from projects_by_territory('bridge_family_metier', 'family_code')
