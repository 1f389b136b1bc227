-- grain: one row per (list_code, commune_code)
-- Communes of the user's lists that no loaded file knows (a typo, a merged commune): the list's sums
-- leave them out, and build says so.
select list_code, commune_code
from seed_commune_lists
where commune_code not in (select commune_code from bridge_territory_commune where territory_type <> 'liste')
