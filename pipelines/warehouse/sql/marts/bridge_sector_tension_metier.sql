-- grain: one row per (sector_code, metier_nomenclature, metier_code)
-- Which métiers of the tension files belong to each sector: FAP 2009 families by the sectors' fap2009
-- patterns, ROME codes through bridge_sector_rome, and every métier in 'ensemble'.
select rule.sector_code, 'fap2009' as metier_nomenclature, metier.metier_code
from (select distinct metier_code from fct_tension_by_territory_metier_year
      where metier_nomenclature = 'fap2009') as metier
join seed_sector_rules as rule on rule.lens = 'fap2009' and metier.metier_code like rule.like_pattern
union
select sector_code, 'rome', rome_code from bridge_sector_rome where sector_code <> 'ensemble'
union
select distinct 'ensemble', metier_nomenclature, metier_code from fct_tension_by_territory_metier_year
