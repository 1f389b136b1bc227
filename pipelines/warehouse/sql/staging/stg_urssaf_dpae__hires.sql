-- One row per territory × grand secteur × contract nature × period, as published: the national monthly
-- file (territory_type 'france', grand secteur NULL = all activities, frequency 'month') and the
-- département × grand secteur quarterly file (frequency 'quarter') stacked. period = first day of the
-- month or quarter. DPAE of contracts of more than one month; hires_raw = brut, hires_sa = CVS-CJO;
-- NULL = not published. Calibration rows ("_calage_") of the CVS series are flagged, never dropped here.
select
    case when territory_level = 'france' then 'france' else 'departement' end as territory_type,
    case when territory_level = 'france' then 'FR' else pad_code(dept_code, 2) end as territory_code,
    dept_name,
    pad_code(region_code, 2) as region_code,
    region_complete = 'true' as region_complete,
    nullif(regexp_extract(grand_secteur, '^(GS\d+)', 1), '') as grand_secteur_code,
    trim(regexp_replace(grand_secteur, '^GS\d+\s*', '')) as grand_secteur,
    case
        when regexp_matches(contract_nature, '^(?i)cdi') then 'cdi'
        when regexp_matches(contract_nature, '^(?i)cdd') then 'cdd'
    end as contract_nature,
    contract_nature as contract_label,
    contract_duration,
    frequency,
    case when frequency = 'month' then date_trunc('month', cast(period_end as date))
         else date_trunc('quarter', cast(period_end as date)) end :: date as period,
    cast(period_end as date) as period_end,
    cast(hires_raw as bigint) as hires_raw,
    cast(hires_sa as bigint) as hires_sa,
    is_calibration = 'true' as is_calibration,
    source_file,
    is_demo
from raw_urssaf_dpae
