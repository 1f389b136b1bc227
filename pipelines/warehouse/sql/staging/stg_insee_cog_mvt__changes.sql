-- One row per event line of the COG commune history (a line repeated by several vintages counted once).
select distinct
    cast(mod as integer) as mod,
    cast(effective_date as date) as effective_date,
    trim(type_before) as type_before,
    pad_code(trim(code_before), 5) as code_before,
    name_before,
    trim(type_after) as type_after,
    pad_code(trim(code_after), 5) as code_after,
    name_after,
    is_demo
from raw_insee_cog_mvt
