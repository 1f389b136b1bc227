-- grain: one row per (territory_type, territory_code, sector_code, snapshot_date)
-- The offers online on a date (a snapshot, not a census) whose workplace commune is in the territory (its latest
-- zoning) and whose ROME code is in the sector: their number, those open to beginners (experienceExige D) and
-- their share, by contract type (CDI, CDD, intérim MIS, saisonnier SAI, the rest), work-study, driving licence
-- required. Offers without a commune are in no territory. is_latest_snapshot: the latest date with offers of the
-- sector in the territory (a snapshot without any of the sector's offers there does not hide an older one).
-- What a search covered is not in the offers: departements_with_offers (of the territory's, those where the
-- snapshot holds any offer, of any sector) below territory_departements says the offers loaded cover part of the
-- territory only (a search for Rennes's département read for the whole région).
with commune_departement as (
    select territory_code as commune_code, dept_code
    from dim_territory
    where territory_type = 'commune' and dept_code is not null
),
territory_departements as (
    select member.territory_type, member.territory_code, count(distinct place.dept_code) as territory_departements
    from bridge_territory_commune as member
    join commune_departement as place using (commune_code)
    where member.is_latest_zoning
    group by member.territory_type, member.territory_code
),
searched as (
    select member.territory_type, member.territory_code, offer.snapshot_date,
        count(distinct place.dept_code) as departements_with_offers
    from stg_offres__offers as offer
    join commune_departement as place using (commune_code)
    join bridge_territory_commune as member on member.is_latest_zoning and member.commune_code = offer.commune_code
    group by member.territory_type, member.territory_code, offer.snapshot_date
),
offers as (
    select
        territory_type, territory_code, sector_code, snapshot_date,
        count(*) as offers,
        count(*) filter (where open_to_beginners) as beginner_offers,
        count(*) filter (where open_to_beginners) / count(*) as beginner_share,
        count(*) filter (where contract_type = 'CDI') as cdi_offers,
        count(*) filter (where contract_type = 'CDD') as cdd_offers,
        count(*) filter (where contract_type = 'MIS') as temp_agency_offers,
        count(*) filter (where contract_type = 'SAI') as seasonal_offers,
        count(*) filter (where contract_type is null or contract_type not in ('CDI', 'CDD', 'MIS', 'SAI'))
            as other_contract_offers,
        count(*) filter (where work_study) as work_study_offers,
        count(*) filter (where licence_required) as licence_required_offers,
        bool_or(is_demo) as is_demo,
        snapshot_date = max(snapshot_date) over (partition by territory_type, territory_code, sector_code)
            as is_latest_snapshot
    from offers_by_territory_sector()
    group by territory_type, territory_code, sector_code, snapshot_date
)
select offers.*, searched.departements_with_offers, territory_departements.territory_departements
from offers
left join searched using (territory_type, territory_code, snapshot_date)
left join territory_departements using (territory_type, territory_code)
