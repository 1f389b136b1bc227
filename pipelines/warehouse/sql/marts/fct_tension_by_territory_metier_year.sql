-- grain: one row per (territory_type, territory_code, metier_nomenclature, metier_code, year)
-- Tension indicators per métier: the tension class (1 low .. 5 high) and its six drivers' classes, the
-- main driver (highest class; ties in the order below), and volumes where the file has them. NULL = not
-- published (too small), never 0. Métiers are FAP 2009 families (2019 file: département, région, France)
-- or ROME codes (2021 file, and the France Travail API "Marché du travail": bassin BMO); the FAP 87
-- aggregates of the 2019 file are left out. Where the API and a file give the same bassin × ROME × year,
-- the API's figures are kept. source says where each row comes from.
with api as (
    select territory_type, territory_code, 'rome' as metier_nomenclature, rome_code as metier_code, year, period,
        measure as indicator, cast(value as integer) as value_class, null::double as value, is_demo,
        'France Travail, API Marché du travail' as source
    from stg_france_travail__indicators
    where indicator = 'tension' and measure is not null
),
indicators as (
    select territory_type, territory_code, metier_nomenclature, metier_code, year, period, indicator, value_class,
        value, is_demo, 'Dares / France Travail' as source
    from stg_dares_tensions__indicators as file
    where metier_level in ('fap225', 'rome') and not exists (
        select 1 from api
        where api.territory_type = file.territory_type and api.territory_code = file.territory_code
            and api.metier_nomenclature = file.metier_nomenclature and api.metier_code = file.metier_code
            and api.year = file.year)
    union all
    select * from api
),
metiers as (
    select
        territory_type, territory_code, metier_nomenclature, metier_code, year,
        any_value(period) as period,
        max(value_class) filter (where indicator = 'tension') as tension_class,
        max(value) filter (where indicator = 'tension') as tension_score,
        max(value_class) filter (where indicator = 'hiring_intensity') as hiring_intensity,
        max(value_class) filter (where indicator = 'labour_shortage') as labour_shortage,
        max(value_class) filter (where indicator = 'job_instability') as job_instability,
        max(value_class) filter (where indicator = 'working_conditions') as working_conditions,
        max(value_class) filter (where indicator = 'geographic_mismatch') as geographic_mismatch,
        max(value_class) filter (where indicator = 'training_link') as training_link,
        max(value) filter (where indicator = 'employment') as employment,
        max(value) filter (where indicator = 'job_offers') as job_offers,
        max(value) filter (where indicator = 'job_seekers_abc') as job_seekers_abc,
        max(value_class) filter (where indicator = 'wage_attractiveness') as wage_attractiveness,
        any_value(source) as source,
        bool_or(is_demo) as is_demo
    from indicators
    group by territory_type, territory_code, metier_nomenclature, metier_code, year
)
select
    metiers.*,
    coalesce(rome.rome_label, fap.fap2009_label) as metier_label,
    main_driver(metiers.labour_shortage, metiers.hiring_intensity, metiers.working_conditions,
                metiers.job_instability, metiers.training_link, metiers.geographic_mismatch) as main_driver
from metiers
left join (select rome_code, any_value(rome_label) as rome_label from stg_rome_fap__correspondence group by 1)
    as rome on metiers.metier_nomenclature = 'rome' and rome.rome_code = metiers.metier_code
left join (select fap2009_code, any_value(fap2009_label) as fap2009_label from stg_rome_fap__correspondence
           group by 1) as fap on metiers.metier_nomenclature = 'fap2009' and fap.fap2009_code = metiers.metier_code
