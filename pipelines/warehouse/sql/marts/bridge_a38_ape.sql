-- grain: one row per (a38_code, ape_code)
-- Which NAF A38 section each APE code of the URSSAF files belongs to, by its division (the first two digits: seed
-- naf_a38.csv, Insee's table); 'autre' for a code of no known division. Each code in exactly one group, so that
-- employment_by_territory sums the groups into 'ensemble' (every activity).
with codes as (
    select distinct naf_code(ape_code) as ape_code from raw_urssaf
)
select coalesce(seed.a38_code, 'autre') as a38_code, codes.ape_code
from codes
left join seed_naf_a38 as seed on seed.division = substr(codes.ape_code, 1, 2)
