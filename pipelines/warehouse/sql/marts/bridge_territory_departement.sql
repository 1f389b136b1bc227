-- grain: one row per (territory_type, territory_code, dept_code)
-- The départements of each territory's communes in its latest zoning (a bassin or a zone d'emploi may reach into a
-- neighbouring département): what fetch asks the publishers for, where a territory's DPAE figures come from, and
-- what a search of offers must cover for its count to be the territory's.
select distinct member.territory_type, member.territory_code, commune.dept_code
from bridge_territory_commune as member
join dim_territory as commune on commune.territory_type = 'commune' and commune.territory_code = member.commune_code
where member.is_latest_zoning and commune.dept_code is not null
