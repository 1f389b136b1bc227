-- grain: one row per (metier_code)
-- Métiers of the BMO files, labelled from their latest year; nomenclature NULL = code format unknown.
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
