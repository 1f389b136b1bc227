-- BMO counts are never negative.
select 'compte négatif : bassin ' || bassin_code || ', métier ' || metier_code || ', ' || year
from fct_projects_by_bassin_dept_metier_year
where projects < 0 or difficult < 0 or seasonal < 0
