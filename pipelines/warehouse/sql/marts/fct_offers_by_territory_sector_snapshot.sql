-- grain: one row per (territory_type, territory_code, sector_code, snapshot_date)
-- The offers online on a date (a snapshot, not a census) whose workplace commune is in the territory (its latest
-- zoning) and whose ROME code is in the sector: their number, those open to beginners (experienceExige D) and
-- their share, by contract type (CDI, CDD, intérim MIS, saisonnier SAI, the rest), work-study, driving licence
-- required. Offers without a commune are in no territory. is_latest_snapshot: the latest date with offers of the
-- sector in the territory (a snapshot without any of the sector's offers there does not hide an older one).
select
    territory_type, territory_code, sector_code, snapshot_date,
    count(*) as offers,
    count(*) filter (where open_to_beginners) as beginner_offers,
    count(*) filter (where open_to_beginners) / count(*) as beginner_share,
    count(*) filter (where contract_type = 'CDI') as cdi_offers,
    count(*) filter (where contract_type = 'CDD') as cdd_offers,
    count(*) filter (where contract_type = 'MIS') as temp_agency_offers,
    count(*) filter (where contract_type = 'SAI') as seasonal_offers,
    count(*) filter (where contract_type is null or contract_type not in ('CDI', 'CDD', 'MIS', 'SAI')) as other_contract_offers,
    count(*) filter (where work_study) as work_study_offers,
    count(*) filter (where licence_required) as licence_required_offers,
    bool_or(is_demo) as is_demo,
    snapshot_date = max(snapshot_date) over (partition by territory_type, territory_code, sector_code)
        as is_latest_snapshot
from offers_by_territory_sector()
group by territory_type, territory_code, sector_code, snapshot_date
