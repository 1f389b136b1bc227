-- grain: one row per (metier_code)
-- Métiers of the BMO files, labelled from their latest year, with the sector they belong to
-- (NULL: none of the four). nomenclature NULL = code format unknown (see audit_unmapped_metiers).
with metiers as (
    select
        metier_code,
        arg_max(metier_label, year) as metier_label,
        arg_max(family_code, year) as family_code,
        arg_max(family_label, year) as family_label,
        arg_max(nomenclature, year) as nomenclature,
        min(year) as first_year,
        max(year) as last_year
    from stg_bmo__projects
    group by metier_code
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
