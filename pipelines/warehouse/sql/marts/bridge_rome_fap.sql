-- grain: one row per (rome_code, fap2009_code)
-- The DARES correspondence between ROME v3 codes and FAP 2009 métiers (a ROME code may sit in several, split by
-- qualification level): how a métier picked by its ROME code is followed in the FAP-coded BMO and tension files.
select rome_code, fap2009_code, any_value(rome_label) as rome_label, any_value(fap2009_label) as fap2009_label,
    bool_or(is_demo) as is_demo
from stg_rome_fap__correspondence
group by rome_code, fap2009_code
