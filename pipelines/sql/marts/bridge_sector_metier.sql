-- grain: one row per (sector_code, metier_code)
-- Which métiers make up each sector (occupation lens): FAP patterns of sectors.toml by nomenclature.
select distinct rule.sector_code, metier.metier_code
from dim_metier as metier
join seed_sector_rules as rule
    on rule.lens = metier.nomenclature
    and metier.metier_code like rule.like_pattern
