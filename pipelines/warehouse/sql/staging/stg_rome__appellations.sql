-- One row per ROME 4.0 appellation (job title, unix_referentiel_appellation) of the latest version loaded: its
-- ROME code, long and short labels, classification (SYNONYME, ...) and whether France Travail marks it rarely
-- used (peu_usite = 'O').
select
    trim(code) as appellation_code,
    any_value(upper(trim(rome_code))) as rome_code,
    any_value(trim(label)) as appellation_label,
    any_value(trim(subcategory)) as appellation_short_label,
    any_value(trim(category)) as classification,
    coalesce(bool_or(upper(trim(flag)) = 'O'), false) as rarely_used,
    version,
    bool_or(is_demo) as is_demo
from raw_rome
where "table" = 'appellations'
group by trim(code), version
qualify rome_version_number(version) = max(rome_version_number(version)) over ()
