-- grain: one row per (territory_type, territory_code, sector_code, snapshot_date, qualification_code)
-- The offers of fct_offers_by_territory_sector_snapshot by qualification level (qualificationCode 1..9, with the
-- API's label; '?' when the offer states none), and those open to beginners.
select
    territory.territory_type, territory.territory_code, sector.sector_code, offer.snapshot_date,
    coalesce(offer.qualification_code, '?') as qualification_code,
    coalesce(max(offer.qualification_label), 'non précisé') as qualification_label,
    count(*) as offers,
    count(*) filter (where offer.open_to_beginners) as beginner_offers
from stg_offres__offers as offer
join bridge_territory_commune as territory on territory.is_latest_zoning and territory.commune_code = offer.commune_code
join bridge_sector_rome as sector on sector.rome_code = offer.rome_code
group by territory.territory_type, territory.territory_code, sector.sector_code, offer.snapshot_date,
    coalesce(offer.qualification_code, '?')
