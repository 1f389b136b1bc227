-- grain: one row per (territory_type, territory_code, sector_code, year)
-- BMO key figures per sector (occupation lens) and for all métiers ('ensemble'), with the change from
-- the previous survey year, left NULL when the FAP nomenclature changed (nomenclature_break) or, for a
-- bassin, its communes (zoning_break). commune_zoning and commune_count give the perimeter the figures
-- describe (NULL: zoning unknown); is_demo flags demo BMO figures, perimeter_is_demo a demo perimeter.
-- is_latest_period: the territory's latest period, the one every "latest figure" reads.
select * , year = max(year) over (partition by territory_type, territory_code) as is_latest_period
from (
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
        sum(fact.published_cells) as published_cells,
        sum(fact.difficult_uncounted_cells) as difficult_uncounted_cells,
        sum(fact.seasonal_uncounted_cells) as seasonal_uncounted_cells,
        -- the same rule as per métier (fct_projects_by_territory_metier_year): a secret numerator cell of a
        -- published projects cell makes the share a lower bound
        coalesce(sum(fact.difficult) / nullif(sum(fact.projects), 0) is not null
                 and sum(fact.difficult_uncounted_cells) > 0, false) as difficult_share_is_lower_bound,
        coalesce(sum(fact.seasonal) / nullif(sum(fact.projects), 0) is not null
                 and sum(fact.seasonal_uncounted_cells) > 0, false) as seasonal_share_is_lower_bound,
        bool_or(fact.is_demo) as is_demo
    from fct_projects_by_territory_metier_year as fact
    join bridge_sector_metier as bridge using (nomenclature, metier_code)
    group by all
),
perimeters as (
    -- The communes the figures describe: for a bassin, its communes in the zoning of that BMO year;
    -- for other levels, the INSEE geography.
    select
        sums.*,
        bmo_year.nomenclature,
        zoning.zoning as commune_zoning,
        zoning.commune_count,
        zoning.communes_hash,
        coalesce(zoning.is_demo, false) as perimeter_is_demo
    from sums
    join dim_bmo_year as bmo_year using (year)
    left join dim_territory as territory using (territory_type, territory_code)
    left join dim_territory_zoning as zoning
        on zoning.territory_type = sums.territory_type
        and zoning.territory_code = sums.territory_code
        and zoning.zoning = case when sums.territory_type = 'bassin_bmo' then bmo_year.bassin_zoning
                                 else territory.commune_zoning end
),
compared as (
    select
        current.*,
        previous.year as previous_year,
        previous.projects as previous_projects,
        coalesce(previous.nomenclature <> current.nomenclature, false) as nomenclature_break,
        -- Only a bassin whose communes changed between the two zonings breaks the series.
        current.territory_type = 'bassin_bmo' and previous.year is not null
            and previous.communes_hash is distinct from current.communes_hash as zoning_break
    from perimeters as current
    left join perimeters as previous
        on previous.territory_type = current.territory_type
        and previous.territory_code = current.territory_code
        and previous.sector_code = current.sector_code
        and previous.year = current.year - 1
)
select
    territory_type,
    territory_code,
    sector_code,
    year,
    period,
    projects,
    difficult,
    seasonal,
    difficult_share,
    seasonal_share,
    metiers,
    cells,
    secret_cells,
    difficult_secret_cells,
    seasonal_secret_cells,
    published_cells,
    difficult_uncounted_cells,
    seasonal_uncounted_cells,
    difficult_share_is_lower_bound,
    seasonal_share_is_lower_bound,
    previous_year,
    previous_projects,
    -- No change across a break: the two figures do not measure the same thing.
    case when not (nomenclature_break or zoning_break) then projects / nullif(previous_projects, 0) - 1 end
        as projects_change,
    nomenclature_break,
    zoning_break,
    commune_zoning,
    commune_count,
    is_demo,
    perimeter_is_demo
from compared
)
