-- grain: one row per (territory_type, territory_code, zoning, commune_code)
-- Which communes make up each territory, per zoning ('BMO 2024', 'ZE 2020 (COG 2022)', 'COG 2022',
-- 'EPCI (COG 2023)'),
-- and the user's lists of communes (data/listes_communes.toml, zoning 'liste'): commune-level sources
-- sum over these rows. Zonings are never merged.
-- is_latest_zoning: the territory's own latest zoning, the one every reader sums over (the one answer to
-- "which communes make up this territory now"; a bassin that only an older zoning has keeps that one).
select *, zoning = max(zoning) over (partition by territory_type, territory_code) as is_latest_zoning
from (
select distinct 'bassin_bmo' as territory_type, bassin_code as territory_code, 'BMO ' || zoning_year as zoning,
    commune_code, is_demo
from stg_bmo_bassins__communes
union all
select distinct 'zone_emploi', ze_code, 'ZE 2020 (COG ' || geography_year || ')', commune_code, is_demo
from stg_insee_ze__communes
union all
select distinct 'epci', epci_code, 'EPCI (COG ' || geography_year || ')', commune_code, is_demo
from stg_insee_epci__communes
where epci_code is not null  -- a commune outside any EPCI belongs to none
union all
select distinct 'departement', dept_code, 'COG ' || geography_year, commune_code, is_demo
from stg_insee_ze__communes
union all
select distinct 'region', region_code, 'COG ' || geography_year, commune_code, is_demo
from stg_insee_ze__communes
union all
select distinct 'france', 'FR', 'COG ' || geography_year, commune_code, is_demo
from stg_insee_ze__communes
union all
select distinct 'commune', commune_code, 'COG ' || geography_year, commune_code, is_demo
from stg_insee_ze__communes
union all
select distinct 'liste', list_code, 'liste', commune_code, false
from seed_commune_lists
)
