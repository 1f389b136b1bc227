-- grain: one row per (territory_type, territory_code, sector_code, year)
-- BMO key figures per sector (occupation lens) and for all métiers ('ensemble'), with the change
-- from the previous year. nomenclature_break: the FAP nomenclature changed since that year.
with metier_sectors as (
    select sector_code, metier_code from bridge_sector_metier
    union all
    select 'ensemble', metier_code from dim_metier
),
sums as (
    select
        fact.territory_type,
        fact.territory_code,
        metier_sectors.sector_code,
        fact.year,
        any_value(fact.period) as period,
        sum(fact.projects) as projects,
        sum(fact.difficult) as difficult,
        sum(fact.seasonal) as seasonal,
        sum(fact.difficult) / nullif(sum(fact.projects), 0) as difficult_share,
        sum(fact.seasonal) / nullif(sum(fact.projects), 0) as seasonal_share,
        count(distinct fact.metier_code) as metiers,
        sum(fact.cells) as cells,
        sum(fact.secret_cells) as secret_cells,
        string_agg(distinct metier.nomenclature, ',' order by metier.nomenclature) as nomenclatures,
        bool_or(fact.is_demo) as is_demo
    from fct_projects_by_territory_metier_year as fact
    join metier_sectors using (metier_code)
    join dim_metier as metier using (metier_code)
    group by all
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
    previous.year as previous_year,
    previous.projects as previous_projects,
    current.projects / nullif(previous.projects, 0) - 1 as projects_change,
    previous.nomenclatures is distinct from current.nomenclatures and previous.year is not null
        as nomenclature_break,
    current.is_demo
from sums as current
left join sums as previous
    on previous.territory_type = current.territory_type
    and previous.territory_code = current.territory_code
    and previous.sector_code = current.sector_code
    and previous.year = current.year - 1
