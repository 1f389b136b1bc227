-- The A38 sections of a territory and year add up to at most its 'ensemble' (exactly, but for the codes of no known
-- division), and its FAP families to at most its BMO 'ensemble' (exactly, but for codes in no FAP format).
select 'sections A38 > ensemble : ' || territory_type || ' ' || territory_code || ', ' || year
from fct_employment_by_territory_a38_year
group by territory_type, territory_code, year
having sum(employees) filter (where a38_code <> 'ensemble') > sum(employees) filter (where a38_code = 'ensemble')
union all
select 'familles FAP > ensemble : ' || territory_type || ' ' || territory_code || ', ' || year
from fct_projects_by_territory_family_year
group by territory_type, territory_code, year
having sum(projects) filter (where family_code <> 'ensemble') > sum(projects) filter (where family_code = 'ensemble')
