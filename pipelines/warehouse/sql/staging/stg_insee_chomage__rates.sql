-- One row per territory × quarter of Insee's localised unemployment rates, as published: quarterly averages,
-- seasonally adjusted (CVS), in %, by place of residence. territory_type 'zone_emploi' (ZE 2020),
-- 'ze_partie_regionale' (the regional part of an interregional zone: code région || zone's last two digits),
-- 'departement', 'region' (those two only from an edition that has their sheets). rate NULL = not published
-- (overseas zones before 2014), never 0. period = the quarter's first day.
select
    case level when 'partie_regionale' then 'ze_partie_regionale' else level end as territory_type,
    pad_code(code, case when level in ('zone_emploi', 'partie_regionale') then 4 else 2 end) as territory_code,
    name as territory_name,
    pad_code(region_code, 2) as region_code,
    trim(region_name) as region_name,
    make_date(cast(left(quarter, 4) as integer), cast(right(quarter, 1) as integer) * 3 - 2, 1) as period,
    cast(rate as double) as rate,
    source_file,
    is_demo
from raw_insee_chomage
