-- grain: one row per (year)
-- Each BMO survey year with its métier nomenclature and the bassin zoning its figures are read with:
-- the latest commune → bassin lexicon loaded for that year or before; NULL (unknown) if none is.
with years as (
    select year, any_value(nomenclature) filter (where nomenclature <> 'inconnue') as nomenclature
    from stg_bmo__projects
    group by year
),
zonings as (
    select distinct zoning_year from stg_bmo_bassins__communes
)
select
    years.year,
    years.nomenclature,
    'BMO ' || (select max(zoning_year) from zonings where zoning_year <= years.year) as bassin_zoning
from years
