-- grain: one row per (territory_type, territory_code, sector_code, snapshot_date)
-- The offers online on a date (a snapshot, not a census) whose workplace commune is in the territory (its latest
-- zoning) and whose ROME code is in the sector: their number, those open to beginners (experienceExige D) and
-- their share, by contract type (CDI, CDD, intérim MIS, saisonnier SAI, the rest), work-study, driving licence
-- required. Offers without a commune are in no territory. is_latest_snapshot: the latest date with offers of the
-- sector in the territory (a snapshot without any of the sector's offers there does not hide an older one).
-- What a search covered is not in the offers: departements_with_offers (of the territory's départements, those
-- where the snapshot holds any offer loaded, of whatever métier, in or out of the territory) below
-- territory_departements says the offers loaded cover part of the territory only (a search for Rennes's
-- département read for the whole région). A lower bound of what is missing: a search for one commune reads as
-- covering its whole département.
with searched as (
    select distinct offer.snapshot_date, place.dept_code
    from stg_offres__offers as offer
    join dim_territory as place on place.territory_type = 'commune' and place.territory_code = offer.commune_code
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
),
coverage as (
    select snapshot.territory_type, snapshot.territory_code, snapshot.snapshot_date,
        count(member.dept_code) as territory_departements,
        count(searched.dept_code) as departements_with_offers
    from (select distinct territory_type, territory_code, snapshot_date from offers) as snapshot
    left join bridge_territory_departement as member using (territory_type, territory_code)
    left join searched on searched.snapshot_date = snapshot.snapshot_date and searched.dept_code = member.dept_code
    group by snapshot.territory_type, snapshot.territory_code, snapshot.snapshot_date
)
select offers.*, coverage.departements_with_offers, coverage.territory_departements
from offers
join coverage using (territory_type, territory_code, snapshot_date)
