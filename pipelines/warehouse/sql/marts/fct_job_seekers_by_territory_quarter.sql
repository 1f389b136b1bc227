-- grain: one row per (territory_type, territory_code, category, period)
-- Job seekers (categories A and ABC, residents, end of quarter) summed over the communes of each
-- territory in its latest zoning (commune, bassin BMO, zone d'emploi, département, région, France);
-- communes_with_data says how many communes of the loaded files contributed. Change over one
-- year (same quarter). DARES rounds each commune's figure to 5: sums carry that rounding.
-- is_latest_period: the territory's latest period, the one every "latest figure" reads.
select * , period = max(period) over (partition by territory_type, territory_code) as is_latest_period
from (
with memberships as (
    -- an arrondissement of Paris, Lyon or Marseille listed beside its commune is its commune (staging counts it so)
    select distinct member.territory_type, member.territory_code, plm_commune(member.commune_code) as commune_code
    from bridge_territory_commune as member
    where member.is_latest_zoning
),
sums as (
    select member.territory_type, member.territory_code, seekers.category, seekers.period,
        quarter_label(seekers.period) as quarter, sum(seekers.job_seekers) as job_seekers,
        count(*) as communes_with_data, bool_or(seekers.is_demo) as is_demo
    from stg_dares_defm__job_seekers as seekers
    join memberships as member using (commune_code)
    group by all
)
select
    *,
    job_seekers / nullif(first_value(job_seekers) over (
        partition by territory_type, territory_code, category order by period
        range between interval 1 year preceding and interval 1 year preceding), 0) - 1 as change_1y
from sums
)
