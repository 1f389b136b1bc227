-- grain: one row per (territory_type, territory_code, sector_code, year)
-- BMO key figures per sector (occupation lens) and for all métiers ('ensemble'), with the change from
-- the previous survey year, left NULL when the FAP nomenclature changed (nomenclature_break) or, for a
-- bassin, its communes (zoning_break). commune_zoning and commune_count give the perimeter the figures
-- describe (NULL: zoning unknown); is_demo flags demo BMO figures, perimeter_is_demo a demo perimeter.
-- is_latest_period: the territory's latest period, the one every "latest figure" reads.
-- SQL in macros.sql (projects_by_territory), shared with fct_projects_by_territory_family_year.
select * rename (group_code as sector_code) from projects_by_territory('bridge_sector_metier', 'sector_code')
