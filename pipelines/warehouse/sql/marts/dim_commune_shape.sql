-- grain: one row per (commune_code)
-- Each commune's shape (WKB, longitude/latitude, not simplified): the union of the geometry features standing for
-- it (bridge_geometry_commune: a commune nouvelle is the union of the communes merged into it); a commune of one
-- feature keeps it as it is (no union to compute).
select
    bridge.commune_code,
    case when count(*) = 1 then any_value(shapes.shape)
        else geo_union(list(shapes.shape order by shapes.commune_code)) end as shape,
    count(*) as geometry_features,
    max(shapes.geography_year) as geography_year,
    bool_or(shapes.is_demo) as is_demo
from bridge_geometry_commune as bridge
join stg_geo_communes__shapes as shapes on shapes.commune_code = bridge.geometry_code
group by bridge.commune_code
