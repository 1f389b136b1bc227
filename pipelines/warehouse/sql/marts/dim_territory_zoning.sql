-- grain: one row per (territory_type, territory_code, zoning)
-- Size and identity of each territory in each zoning: communes_hash tells whether two zonings give a
-- territory the same communes (then figures stay comparable across them). commune_count counts an arrondissement
-- municipal of Paris, Lyon or Marseille listed beside its commune (the BMO lexicon lists both) once, as its commune,
-- as the commune-level sources count it.
select
    territory_type,
    territory_code,
    zoning,
    count(distinct plm_commune(commune_code)) as commune_count,
    md5(string_agg(commune_code, ',' order by commune_code)) as communes_hash,
    bool_or(is_demo) as is_demo
from bridge_territory_commune
group by territory_type, territory_code, zoning
