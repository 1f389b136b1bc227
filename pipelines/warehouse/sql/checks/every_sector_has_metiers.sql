-- Each sector matches at least one métier in every BMO year: a nomenclature change that empties a
-- sector must stop the build rather than show 0.
select 'aucun métier pour le secteur ' || sector.sector_code || ' en ' || years.year
from dim_sector as sector
cross join dim_bmo_year as years
where not exists (
    select 1
    from fct_projects_by_bassin_dept_metier_year as fact
    join bridge_sector_metier as bridge using (nomenclature, metier_code)
    where bridge.sector_code = sector.sector_code and fact.year = years.year
)
