-- grain: one row per (sector_code, nomenclature, metier_code)
-- Which métiers make up each sector (occupation lens: FAP patterns of sectors.toml for the métier's
-- nomenclature), and 'ensemble' made of every métier.
select distinct rule.sector_code, metier.nomenclature, metier.metier_code
from dim_metier as metier
join seed_sector_rules as rule
    on rule.lens = metier.nomenclature
    and metier.metier_code like rule.like_pattern
union all
select 'ensemble', nomenclature, metier_code
from dim_metier
