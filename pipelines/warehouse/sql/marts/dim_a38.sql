-- grain: one row per (a38_code)
-- The 38 sections of the NAF rév. 2 aggregated classification A38 (Insee), from seed naf_a38.csv, with their
-- divisions ('01-03'), plus 'ensemble' (every activity), the reference every share is taken over.
select a38_code, any_value(a38_label) as label, any_value(a38_short_label) as short_label,
    string_agg(division, ',' order by division) as divisions, row_number() over (order by a38_code) as sort_order
from seed_naf_a38
group by a38_code
union all
select 'ensemble', 'Toutes activités', 'Toutes activités', null, 99
