-- grain: one row per (sector_code)
-- The sectors of sectors.toml, plus 'ensemble' (all métiers) used as the reference in comparisons.
select sector_code, label, short_label, of_label, colour, parent_code, sort_order, caveat_naf
from seed_sectors
union all
select 'ensemble', 'Tous secteurs', 'Tous secteurs', 'de tous les secteurs', '#555555', null, 99, null
