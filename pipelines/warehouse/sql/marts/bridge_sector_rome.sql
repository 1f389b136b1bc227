-- grain: one row per (sector_code, rome_code)
-- Which ROME v3 codes make up each sector (rome patterns of sectors.toml less rome_except), and
-- 'ensemble' made of every code. ROME codes come from the tension files, the correspondence tables and the
-- France Travail "Marché du travail" API snapshots, the offers (Offres d'emploi v2) and the ROME 4.0 referential
-- (every fiche of the latest version, those that no figure names yet too).
with codes as (
    select distinct metier_code as rome_code from stg_dares_tensions__indicators where metier_nomenclature = 'rome'
    union
    select distinct rome_code from stg_rome_fap__correspondence
    union
    select distinct rome_code from stg_france_travail__indicators
    union
    select distinct rome_code from stg_offres__offers where rome_code is not null
    union
    select distinct rome_code from stg_rome__metiers
)
select distinct rule.sector_code, codes.rome_code
from codes
join seed_sector_rules as rule on rule.lens = 'rome' and codes.rome_code like rule.like_pattern
where not exists (
    select 1 from seed_sector_rules as excluded
    where excluded.lens = 'rome_except' and excluded.sector_code = rule.sector_code
    and codes.rome_code like excluded.like_pattern
)
union all
select 'ensemble', rome_code from codes
