-- A métier belongs to one of the four sectors at most: overlapping patterns in sectors.toml would
-- count it twice.
select 'métier dans plusieurs secteurs : ' || bridge.metier_code
from bridge_sector_metier as bridge
join dim_sector as sector using (sector_code)
where sector.parent_code is null and sector.sector_code <> 'ensemble'
group by bridge.nomenclature, bridge.metier_code
having count(*) > 1
