-- Every métier of the facts is in dim_metier (mapped to a nomenclature, or listed as unmapped).
select 'métier absent de dim_metier / métier missing from dim_metier: ' || fact.metier_code
from (select distinct metier_code from fct_projects_by_bassin_dept_metier_year) as fact
anti join dim_metier using (metier_code)
union all
-- A métier belongs to one sector at most: overlapping patterns in sectors.toml would count it twice.
select 'métier dans plusieurs secteurs / métier in several sectors: ' || bridge.metier_code
from bridge_sector_metier as bridge
join dim_sector as sector using (sector_code)
where sector.parent_code is null
group by bridge.metier_code
having count(*) > 1
