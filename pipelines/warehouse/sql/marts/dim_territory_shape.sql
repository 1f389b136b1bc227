-- grain: one row per (territory_type, territory_code)
-- The map shape of every territory with at least one commune shape: its communes of the latest zoning
-- (bridge_territory_commune) dissolved into one geometry, simplified for drawing (tolerance in degrees: about
-- 50 m for a commune, 100 m for a bassin, ZE, EPCI or list, 200-300 m for a département or région), as GeoJSON
-- geometry text (longitude/latitude). communes_with_shape < commune_count: part of the territory is not drawn
-- (commune_count counts an arrondissement municipal drawn as its commune once, with the commune).
with tolerances(territory_type, tolerance) as (
    values ('commune', 0.0005), ('bassin_bmo', 0.001), ('zone_emploi', 0.001), ('epci', 0.001), ('liste', 0.001),
        ('departement', 0.002), ('region', 0.003)
),
zoned as (
    select territory_type, territory_code, commune_code
    from bridge_territory_commune
    where is_latest_zoning and territory_type in (select territory_type from tolerances)
        and territory_type <> 'commune'
),
members as (
    -- Paris, Lyon and Marseille: zonings that list their arrondissements municipaux (the BMO lexicon lists both
    -- 75056 and 75101-75120) draw them as the commune when the geometry has the commune, not its arrondissements.
    select distinct zoned.territory_type, zoned.territory_code,
        coalesce(if(own.commune_code is null, parent.commune_code, null), zoned.commune_code) as commune_code
    from zoned
    left join dim_commune_shape as own on own.commune_code = zoned.commune_code
    left join dim_commune_shape as parent on parent.commune_code = plm_commune(zoned.commune_code)
    union all
    -- every commune with a shape, whether a zoning lists it or not (a commune of the URSSAF file only)
    select 'commune', commune_code, commune_code from dim_commune_shape
)
select
    members.territory_type,
    members.territory_code,
    geo_dissolve(list(shape.shape order by shape.commune_code) filter (where shape.shape is not null),
                 any_value(tolerances.tolerance)) as geometry,
    count(shape.commune_code) as communes_with_shape,
    count(*) as commune_count,
    max(shape.geography_year) as geography_year,
    bool_or(shape.is_demo) as is_demo
from members
join tolerances using (territory_type)
left join dim_commune_shape as shape using (commune_code)
group by members.territory_type, members.territory_code
having count(shape.commune_code) > 0
