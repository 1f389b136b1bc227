-- Difficult and seasonal projects are part of the projects, where both cells are published.
select 'projets difficiles ou saisonniers > projets : bassin '
    || bassin_code || ', métier ' || metier_code || ', ' || year
from fct_projects_by_bassin_dept_metier_year
where difficult > projects or seasonal > projects
