-- grain: one row per (territory_type, territory_code, sector_code, period)
-- Offers and job seekers of each sector per quarter: the sums of its ROME codes (bridge_sector_rome) with a
-- published figure in the France Travail "Marché du travail" API. metiers: the sector's ROME codes in the
-- answers; metiers_with_*: those with a published figure, so a sum over fewer métiers says so. NULL (with
-- the reason in *_missing) when no métier of the sector has a published figure; never 0.
-- is_latest_period: the territory's latest period, the one every "latest figure" reads.
select * , period = max(period) over (partition by territory_type, territory_code) as is_latest_period
from (
with sums as (
    select
        fact.territory_type, fact.territory_code, bridge.sector_code, fact.period,
        any_value(fact.quarter) as quarter,
        any_value(fact.period_label) as period_label,
        max(fact.territory_label) as territory_label,
        count(*) as metiers,
        count(fact.job_offers) as metiers_with_job_offers,
        sum(fact.job_offers) as job_offers,
        sum(fact.job_offers_12m) as job_offers_12m,
        count(fact.job_seekers_a) as metiers_with_job_seekers_a,
        sum(fact.job_seekers_a) as job_seekers_a,
        count(fact.job_seekers_abc) as metiers_with_job_seekers_abc,
        sum(fact.job_seekers_abc) as job_seekers_abc,
        bool_or(fact.is_demo) as is_demo
    from fct_market_by_territory_metier_quarter as fact
    join bridge_sector_rome as bridge using (rome_code)
    group by fact.territory_type, fact.territory_code, bridge.sector_code, fact.period
)
select
    *,
    case when job_offers is null then 'aucun métier du secteur publié' end as job_offers_missing,
    case when job_seekers_a is null then 'aucun métier du secteur publié' end as job_seekers_a_missing,
    case when job_seekers_abc is null then 'aucun métier du secteur publié' end as job_seekers_abc_missing
from sums
)
