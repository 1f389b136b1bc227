-- One row per published tension indicator: year × territory × métier (FAP 2009 or ROME) × indicator.
-- value_class: the published class, 1 (lowest) to 5 (highest); value: the continuous tension score (2019
-- 'tension' rows) or a volume (employment, job_offers, job_seekers_abc). NULL = not published (n.d.), never 0.
select
    cast(year as integer) as year,
    make_date(cast(year as integer), 1, 1) as period,
    territory_type,
    case territory_type
        when 'region' then pad_code(trim(territory_code), 2)
        when 'departement' then pad_code(upper(trim(territory_code)), 2)
        when 'bassin_bmo' then pad_code(trim(territory_code), 4)
        else territory_code
    end as territory_code,
    metier_nomenclature,
    upper(trim(metier_code)) as metier_code,
    metier_level,
    indicator,
    case
        when indicator = 'tension' then 'tension'
        when indicator in ('employment', 'job_offers', 'job_seekers_abc') then 'volume'
        else 'driver'
    end as indicator_group,
    cast(value_class as integer) as value_class,
    cast(value as double) as value,
    -- Whether the figure the indicator is read by was published: its class, or its value for a volume.
    case
        when indicator in ('employment', 'job_offers', 'job_seekers_abc') then value is not null
        else value_class is not null
    end as is_published,
    source_file,
    is_demo
from raw_dares_tensions
