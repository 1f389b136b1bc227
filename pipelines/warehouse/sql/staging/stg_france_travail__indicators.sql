-- One row per value of the France Travail "Marché du travail" API: indicator × territory × ROME code × period
-- × nomenclature code. period: first day of the quarter (TRIMESTRE, '2025T1') or of the year (ANNEE).
-- measure: what the value counts, named once here (offers: all offers registered in the quarter, France
-- Travail's own, or over the 12 months to the quarter; job seekers at the end of the quarter by category;
-- tension: the main class 1..5 and its drivers). NULL = not published, never 0. Territory codes stay in
-- the API's coding (BASBMO = bassin BMO): never joined to INSEE zone codes.
-- Two snapshots may hold the same value (a bassin fetched alone, then within its département): the value of
-- the snapshot fetched last (fetched_at, UTC) is kept, a real snapshot before a demo one, so marts never
-- blend two fetches. A value the later snapshot does not hold (an older period) stays from the earlier one.
with answers as (
select
    indicator,
    case upper(trim(territory_type))
        when 'BASBMO' then 'bassin_bmo'
        when 'DEP' then 'departement'
        when 'REG' then 'region'
        when 'NAT' then 'france'
        else lower(trim(territory_type))
    end as territory_type,
    case when upper(trim(territory_type)) = 'BASBMO' then pad_code(trim(territory_code), 4)
         else trim(territory_code) end as territory_code,
    territory_label,
    upper(trim(rome_code)) as rome_code,
    rome_label,
    period_type,
    period_code,
    period_label,
    cast(left(period_code, 4) as integer) as year,
    case period_type
        when 'TRIMESTRE' then make_date(cast(left(period_code, 4) as integer),
                                        3 * cast(right(period_code, 1) as integer) - 2, 1)
        else make_date(cast(left(period_code, 4) as integer), 1, 1)
    end as period,
    nomenclature_code,
    nomenclature_label,
    case indicator
        when 'offers' then case nomenclature_code
            when 'TOFF' then 'job_offers'
            when 'PE' then 'job_offers_ft'
            when 'TOFF-CUMUL12MOIS' then 'job_offers_12m'
        end
        when 'job_seekers' then case nomenclature_code
            when 'A' then 'job_seekers_a'
            when 'ABC' then 'job_seekers_abc'
        end
        when 'tension' then case nomenclature_code
            when 'PERSPECTIVE' then 'tension'
            when 'INT_EMB' then 'hiring_intensity'
            when 'MAIN_OEUVRE' then 'labour_shortage'
            when 'COND_TRAVAIL' then 'working_conditions'
            when 'DUR_EMPL' then 'job_instability'
            when 'SPECIF_FORM_EMPL' then 'training_link'
            when 'MISMATCH_GEO' then 'geographic_mismatch'
            when 'ATTR_SALARIALE' then 'wage_attractiveness'
        end
    end as measure,  -- NULL for a nomenclature code not used by the marts (kept here, shown nowhere)
    cast(value as double) as value,
    value_field,
    updated_at,
    cast(fetched_at as timestamp) as fetched_at,
    source_file,
    is_demo
from raw_france_travail
)
select * from answers
qualify row_number() over (
    partition by indicator, territory_type, territory_code, rome_code, period_code, nomenclature_code
    order by is_demo, fetched_at desc, source_file desc) = 1
