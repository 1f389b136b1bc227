-- grain: one row per (family_code, nomenclature, metier_code)
-- The FAP family of each métier of the BMO files: the first 3 characters of its FAP code (A0X40 -> A0X), and
-- 'ensemble' made of every métier. A code in no FAP format is in 'ensemble' only.
select left(metier_code, 3) as family_code, nomenclature, metier_code
from dim_metier
where nomenclature <> 'inconnue'
union all
select 'ensemble', nomenclature, metier_code
from dim_metier
