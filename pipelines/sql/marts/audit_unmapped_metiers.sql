-- grain: one row per (metier_code)
-- Métiers whose code follows no known FAP nomenclature: they count in 'ensemble' only. Listed by build.
select metier_code, metier_label, first_year, last_year
from dim_metier
where nomenclature is null
