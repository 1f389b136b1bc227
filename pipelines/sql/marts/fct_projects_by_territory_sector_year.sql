-- grain: one row per (territory_type, territory_code, sector_code, year)
-- BMO key figures per sector (occupation lens) and for all métiers ('ensemble'), with the change from
-- the previous survey year. That change is flagged as not comparable when the FAP nomenclature changed
-- (nomenclature_break) or, for a bassin, its commune zoning (zoning_break). commune_zoning and
-- commune_count give the perimeter the figures describe.
with sums as (
    select
        fact.territory_type,
        fact.territory_code,
        bridge.sector_code,
        fact.year,
        any_value(fact.period) as period,
        sum(fact.projects) as projects,
        sum(fact.difficult) as difficult,
        sum(fact.seasonal) as seasonal,
        sum(fact.difficult) / nullif(sum(fact.projects), 0) as difficult_share,
        sum(fact.seasonal) / nullif(sum(fact.projects), 0) as seasonal_share,
        count(*) as metiers,
        sum(fact.cells) as cells,
        sum(fact.secret_cells) as secret_cells,
        sum(fact.difficult_secret_cells) as difficult_secret_cells,
        sum(fact.seasonal_secret_cells) as seasonal_secret_cells,
        bool_or(fact.is_demo) as is_demo
    from fct_projects_by_territory_metier_year as fact
    join bridge_sector_metier as bridge using (nomenclature, metier_code)
    group by all
),
perimeters as (
    select
        sums.*,
        bmo_year.nomenclature,
        case when sums.territory_type = 'bassin_bmo' then bmo_year.bassin_zoning end as bassin_zoning
    from sums
    join dim_bmo_year as bmo_year using (year)
)
select
    current.territory_type,
    current.territory_code,
    current.sector_code,
    current.year,
    current.period,
    current.projects,
    current.difficult,
    current.seasonal,
    current.difficult_share,
    current.seasonal_share,
    current.metiers,
    current.cells,
    current.secret_cells,
    current.difficult_secret_cells,
    current.seasonal_secret_cells,
    previous.year as previous_year,
    previous.projects as previous_projects,
    current.projects / nullif(previous.projects, 0) - 1 as projects_change,
    coalesce(previous.nomenclature <> current.nomenclature, false) as nomenclature_break,
    coalesce(previous.bassin_zoning <> current.bassin_zoning, false) as zoning_break,
    coalesce(current.bassin_zoning, territory.commune_zoning) as commune_zoning,
    coalesce(zoning.communes, territory.commune_count) as commune_count,
    current.is_demo or coalesce(territory.is_demo, false) as is_demo
from perimeters as current
left join perimeters as previous
    on previous.territory_type = current.territory_type
    and previous.territory_code = current.territory_code
    and previous.sector_code = current.sector_code
    and previous.year = current.year - 1
left join dim_territory as territory
    on territory.territory_type = current.territory_type
    and territory.territory_code = current.territory_code
left join (
    select territory_type, territory_code, zoning, count(*) as communes
    from bridge_territory_commune
    group by all
) as zoning
    on zoning.territory_type = current.territory_type
    and zoning.territory_code = current.territory_code
    and zoning.zoning = current.bassin_zoning
