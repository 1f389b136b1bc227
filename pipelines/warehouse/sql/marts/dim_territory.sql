-- grain: one row per (territory_type, territory_code)
-- Every territory level; names from the most authoritative file that has one. Codes of different
-- types never join (BMO bassin 5314 Rennes is not INSEE zone d'emploi 5314 Quimperlé).
-- commune_count: communes in the territory's latest zoning.
with candidates as (
    -- priority: which file names the territory (1 first); parents come from the INSEE geography when
    -- it has them (a BMO bassin row carries the bassin's région, not always its département's).
    select 'france' as territory_type, 'FR' as territory_code, 'France' as territory_name, 0 as priority,
        null as dept_code, null as region_code, false as is_demo
    union all
    select 'region', region_code, region_name, 1, null, null, is_demo from stg_bmo__projects
    union all
    select 'region', region_code, null, 9, null, null, is_demo from stg_insee_ze__communes
    union all
    select 'departement', dept_code, dept_name, 1, dept_code, null, is_demo from stg_bmo__projects
    union all
    select 'departement', dept_code, null, 0, dept_code, region_code, is_demo from stg_insee_ze__communes
    union all
    select 'bassin_bmo', bassin_code, bassin_name, 1, dept_code, region_code, is_demo from stg_bmo__projects
    union all
    select 'bassin_bmo', bassin_code, bassin_name, 2, dept_code, region_code, is_demo
    from stg_bmo_bassins__communes
    union all
    select 'zone_emploi', ze_code, ze_name, 1, null, null, is_demo from stg_insee_ze__communes
    union all
    -- an EPCI's parents: its communes' département and région when they all share one
    select 'epci', epci_code, epci_name, 1, dept_code, region_code, is_demo from stg_insee_epci__communes
    union all
    select 'commune', commune_code, commune_name, 1, dept_code, region_code, is_demo
    from stg_insee_ze__communes
    union all
    select 'commune', commune_code, commune_name, 2, dept_code, region_code, is_demo
    from stg_bmo_bassins__communes
    union all
    -- URSSAF files give codes, not always names: territories known only from them show their code.
    select distinct unnest([
        {'t': 'commune', 'c': commune_code}, {'t': 'epci', 'c': epci_code}, {'t': 'zone_emploi', 'c': ze_code},
        {'t': 'departement', 'c': dept_code}, {'t': 'region', 'c': region_code}
    ], recursive := true), null, 9, null, null, is_demo
    from stg_urssaf__communes
    union all
    select distinct 'liste', list_code, list_name, 0, null, null, false from seed_commune_lists
),
named as (
    select
        territory_type,
        territory_code,
        arg_min(territory_name, priority) filter (where territory_name is not null) as territory_name,
        -- Some bassins span several départements or régions: no single parent then.
        case when count(distinct dept_code) = 1 then min(dept_code) end as dept_code,
        case when count(distinct region_code) = 1 then min(region_code) end as region_code,
        bool_or(is_demo) as is_demo
    from candidates
    where territory_code is not null
    group by territory_type, territory_code
),
latest_zoning as (
    select zoning.territory_type, zoning.territory_code, zoning.zoning, zoning.commune_count as communes
    from dim_territory_zoning as zoning
    semi join bridge_territory_commune as member
        on member.is_latest_zoning and (member.territory_type, member.territory_code, member.zoning)
            = (zoning.territory_type, zoning.territory_code, zoning.zoning)
)
select
    named.territory_type,
    named.territory_code,
    coalesce(named.territory_name, named.territory_code) as territory_name,
    named.dept_code,
    named.region_code,
    latest_zoning.zoning as commune_zoning,
    latest_zoning.communes as commune_count,
    named.is_demo
from named
left join latest_zoning using (territory_type, territory_code)
