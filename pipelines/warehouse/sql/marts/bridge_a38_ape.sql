-- grain: one row per (a38_code, ape_code)
-- Which NAF A38 section each APE code of the URSSAF files belongs to (by its division, the first two digits:
-- seed naf_a38.csv, Insee's table), and 'ensemble' made of every code. A code of no known division is in
-- 'ensemble' only.
with codes as (
    select distinct naf_code(ape_code) as ape_code from raw_urssaf
)
select distinct seed.a38_code, codes.ape_code
from codes
join seed_naf_a38 as seed on seed.division = substr(codes.ape_code, 1, 2)
union all
select 'ensemble', ape_code from codes
