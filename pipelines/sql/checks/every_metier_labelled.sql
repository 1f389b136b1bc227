-- Every métier of the facts is in dim_metier (mapped to a nomenclature, or listed as unmapped).
select 'métier absent de dim_metier / métier missing from dim_metier: ' || fact.metier_code
from (select distinct metier_code from fct_projects_by_bassin_dept_metier_year) as fact
anti join dim_metier using (metier_code)
