-- grain: one row per (territory_type, territory_code, sector_code, year)
-- Tension in each sector: how many of its métiers have a published tension class, how many are in
-- tension (class 4 or 5), the average class (the "tension level", unweighted), each driver's average
-- class and the main driver (highest average), both over the métiers with a published tension class.
-- Métiers map to sectors through bridge_sector_tension_metier (FAP 2009 or ROME patterns).
-- is_latest_period: the territory's latest period, the one every "latest figure" reads. A year of real figures wins over any demo year:
-- a demo file never hides a real one.
-- The same SQL as fct_tension_by_territory_family_year (table_macros.sql, tension_by_territory).
select * rename (group_code as sector_code) from tension_by_territory('bridge_sector_tension_metier', 'sector_code')
