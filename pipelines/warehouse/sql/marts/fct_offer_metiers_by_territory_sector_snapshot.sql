-- grain: one row per (territory_type, territory_code, sector_code, snapshot_date, rome_code)
-- The métiers (ROME codes) of the sector's offers: offers, those open to beginners (experienceExige D), and the
-- rank by offers open to beginners (1 = most; ties by offers, then code).
select
    territory_type, territory_code, sector_code, snapshot_date, rome_code,
    max(rome_label) as rome_label,
    count(*) as offers,
    count(*) filter (where open_to_beginners) as beginner_offers,
    row_number() over (partition by territory_type, territory_code, sector_code, snapshot_date
                       order by count(*) filter (where open_to_beginners) desc, count(*) desc, rome_code)
        as beginner_rank
from offers_by_territory_sector()
group by territory_type, territory_code, sector_code, snapshot_date, rome_code
