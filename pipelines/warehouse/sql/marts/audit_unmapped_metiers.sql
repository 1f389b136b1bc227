-- grain: one row per (metier_code)
-- Métiers whose code follows no known FAP format: they count in 'ensemble' only. Listed by build.
select metier_code, metier_label, first_year, last_year
from dim_metier
where nomenclature = 'inconnue'
