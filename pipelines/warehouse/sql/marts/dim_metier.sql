-- grain: one row per (nomenclature, metier_code)
-- Métiers of the BMO files, labelled from their latest year, with the sector they belong to (NULL: none
-- of the four). Keyed by nomenclature too: some codes (G0A40, T2A60...) exist in FAP 2009 and FAP 2021.
-- nomenclature 'inconnue' = a code in no FAP format (listed in audit_unmapped_metiers).
with metiers as (
    select
        nomenclature,
        metier_code,
        arg_max(metier_label, year) as metier_label,
        arg_max(family_code, year) as family_code,
        arg_max(family_label, year) as family_label,
        min(year) as first_year,
        max(year) as last_year
    from stg_bmo__projects
    group by nomenclature, metier_code
),
top_level_rules as (
    select rule.*
    from seed_sector_rules as rule
    join seed_sectors as sector using (sector_code)
    where sector.parent_code is null
)
select
    metiers.*,
    (select min(rule.sector_code) from top_level_rules as rule
     where rule.lens = metiers.nomenclature and metiers.metier_code like rule.like_pattern) as sector_code
from metiers
