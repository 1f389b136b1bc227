-- grain: one row per (territory_type, territory_code, rome_code, period)
-- Offers and job seekers per ROME code and quarter, as the France Travail "Marché du travail" API publishes
-- them (bassins BMO in BASBMO coding; never joined to INSEE zones). job_offers: offers registered during the
-- quarter (all origins, TOFF); job_offers_ft: France Travail's own (PE); job_offers_12m: over the 12 months
-- to the quarter; job_seekers_a / job_seekers_abc: registered at the end of the quarter, category A /
-- categories A, B, C. NULL = not published, with the reason in *_missing; never 0. period: first day of
-- the quarter.
with quarterly as (
    select * from stg_france_travail__indicators where period_type = 'TRIMESTRE'
),
metiers as (
    select
        territory_type, territory_code, rome_code, period,
        quarter_label(period) as quarter,
        quarter_phrase(period) as period_label,
        max(territory_label) as territory_label,
        max(rome_label) as api_rome_label,
        max(value) filter (where measure = 'job_offers') as job_offers,
        max(value) filter (where measure = 'job_offers_ft') as job_offers_ft,
        max(value) filter (where measure = 'job_offers_12m') as job_offers_12m,
        max(value) filter (where measure = 'job_seekers_a') as job_seekers_a,
        max(value) filter (where measure = 'job_seekers_abc') as job_seekers_abc,
        count(*) filter (where measure = 'job_offers') as offers_rows,
        count(*) filter (where measure = 'job_seekers_a') as seekers_a_rows,
        count(*) filter (where measure = 'job_seekers_abc') as seekers_abc_rows,
        max(updated_at) as updated_at,
        bool_or(is_demo) as is_demo
    from quarterly
    group by territory_type, territory_code, rome_code, period
)
select
    metiers.territory_type, metiers.territory_code, metiers.territory_label, metiers.rome_code,
    coalesce(metiers.api_rome_label, rome.rome_label) as rome_label,
    metiers.period, metiers.quarter, metiers.period_label,
    metiers.job_offers, metiers.job_offers_ft, metiers.job_offers_12m,
    metiers.job_seekers_a, metiers.job_seekers_abc,
    case when metiers.job_offers is not null then null
         when metiers.offers_rows > 0 then 'non publié par France Travail'
         else 'absent de la réponse de l''API' end as job_offers_missing,
    case when metiers.job_seekers_a is not null then null
         when metiers.seekers_a_rows > 0 then 'non publié par France Travail'
         else 'absent de la réponse de l''API' end as job_seekers_a_missing,
    case when metiers.job_seekers_abc is not null then null
         when metiers.seekers_abc_rows > 0 then 'non publié par France Travail'
         else 'absent de la réponse de l''API' end as job_seekers_abc_missing,
    metiers.updated_at,
    metiers.is_demo
from metiers
left join (select rome_code, any_value(rome_label) as rome_label from stg_rome_fap__correspondence group by 1)
    as rome using (rome_code)
