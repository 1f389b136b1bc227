-- grain: one row per (territory_type, territory_code, sector_code, snapshot_date, rome_code)
-- The métiers (ROME codes) of the sector's offers: offers, those open to beginners (experienceExige D), and the
-- rank by offers open to beginners (1 = most; ties by offers, then code).
select
    territory.territory_type, territory.territory_code, sector.sector_code, offer.snapshot_date, offer.rome_code,
    max(offer.rome_label) as rome_label,
    count(*) as offers,
    count(*) filter (where offer.open_to_beginners) as beginner_offers,
    row_number() over (partition by territory.territory_type, territory.territory_code, sector.sector_code,
                                    offer.snapshot_date
                       order by count(*) filter (where offer.open_to_beginners) desc, count(*) desc,
                                offer.rome_code) as beginner_rank
from stg_offres__offers as offer
join bridge_territory_commune as territory on territory.is_latest_zoning and territory.commune_code = offer.commune_code
join bridge_sector_rome as sector on sector.rome_code = offer.rome_code
group by territory.territory_type, territory.territory_code, sector.sector_code, offer.snapshot_date, offer.rome_code
