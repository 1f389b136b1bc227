-- grain: one row per (territory_type, territory_code, family_code, year)
-- Tension in each FAP 2009 family (A0Z, dim_fap2009_family) over its métiers (bridge_tension_family_metier: the
-- FAP 2009 métiers of the 2019 file by département, région and France; the ROME codes of the 2021 file and of the
-- API by bassin): the same columns and rules as fct_tension_by_territory_sector_year (métiers with a published
-- class, métiers in tension, tension_level = their average class, drivers, main driver, is_latest_period), from
-- the same SQL (table_macros.sql, tension_by_territory), so a tension level means the same for a sector and for a
-- family. published_tension_class: the family's own class (1..5) as the 2019 file publishes it (its "fap 87" rows,
-- computed by DARES from the family's own score, not an average of classes); NULL where the file has none (every
-- territory of the 2021 file and the API, a class not published). Every "fap 87" row of the real 2019 file has
-- métiers of the family in the same territory, so none is left without a row here.
select family.* rename (group_code as family_code), published.published_tension_class
from tension_by_territory('bridge_tension_family_metier', 'family_code') as family
left join (
    select territory_type, territory_code, metier_code as group_code, year, max(value_class) as published_tension_class
    from stg_dares_tensions__indicators
    where metier_level = 'fap87' and indicator = 'tension'
    group by all
) as published using (territory_type, territory_code, group_code, year)
