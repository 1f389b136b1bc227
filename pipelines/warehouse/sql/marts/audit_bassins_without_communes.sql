-- grain: one row per (year, bassin_code)
-- BMO bassins with no commune in the zoning their year is read with: a lexicon that is truncated,
-- missing or of another zoning. Listed by build as a warning (real files have a few overseas cases).
select distinct fact.year, fact.bassin_code, bmo_year.bassin_zoning
from fct_projects_by_bassin_dept_metier_year as fact
join dim_bmo_year as bmo_year using (year)
where not exists (
    select 1 from dim_territory_zoning as zoning
    where zoning.territory_type = 'bassin_bmo' and zoning.territory_code = fact.bassin_code
    and zoning.zoning = bmo_year.bassin_zoning
)
