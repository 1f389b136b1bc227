-- grain: one row per (territory_type, territory_code, sector_code, snapshot_date, qualification_code)
-- The offers of fct_offers_by_territory_sector_snapshot by qualification level (qualificationCode 1..9, with the
-- API's label; '?' when the offer states none), and those open to beginners.
select
    territory_type, territory_code, sector_code, snapshot_date,
    coalesce(qualification_code, '?') as qualification_code,
    coalesce(max(qualification_label), 'non précisé') as qualification_label,
    count(*) as offers,
    count(*) filter (where open_to_beginners) as beginner_offers
from offers_by_territory_sector()
group by territory_type, territory_code, sector_code, snapshot_date, coalesce(qualification_code, '?')
