-- grain: one row per (sector_code, ape_code)
-- Which APE (NAF rév. 2) codes make up each sector (activity lens: NAF patterns of sectors.toml), and
-- 'ensemble' made of every code. Mapped once per distinct code, then joined by equality.
with codes as (
    select distinct naf_code(ape_code) as ape_code from raw_urssaf
)
select distinct rule.sector_code, codes.ape_code
from codes
join seed_sector_rules as rule on rule.lens = 'naf' and codes.ape_code like rule.like_pattern
union all
select 'ensemble', ape_code from codes
