-- One row per (ROME code, item) link of the latest unix_coherence_item loaded: the savoir-faire, savoir-être,
-- savoirs and work contexts of each métier, with whether the item is at the heart of the métier
-- (coeur_metier: 'principale', 'emergente', NULL for the others).
select
    upper(trim(rome_code)) as rome_code,
    trim(code) as item_code,
    max(case
        when strip_accents(lower(trim(flag))) = 'principale' then 'principale'
        when strip_accents(lower(trim(flag))) = 'emergente' then 'emergente'
    end) as core,
    version,
    bool_or(is_demo) as is_demo
from raw_rome
where "table" = 'liens'
group by upper(trim(rome_code)), trim(code), version
qualify rome_version_number(version) = max(rome_version_number(version)) over ()
