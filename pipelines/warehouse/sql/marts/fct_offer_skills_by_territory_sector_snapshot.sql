-- grain: one row per (territory_type, territory_code, sector_code, snapshot_date, kind, skill)
-- The skills the offers ask for: kind 'competence' (the API's competences: savoir-faire) or 'qualite' (its
-- qualitesProfessionnelles: soft skills), with the number of offers asking each (an offer counts once per skill)
-- and its rank within its kind (1 = most asked; ties by name).
with asked as (
    select territory.territory_type, territory.territory_code, sector.sector_code, offer.snapshot_date,
        offer.offer_id, offer.skills, offer.soft_skills
    from stg_offres__offers as offer
    join bridge_territory_commune as territory
        on territory.is_latest_zoning and territory.commune_code = offer.commune_code
    join bridge_sector_rome as sector on sector.rome_code = offer.rome_code
),
skills as (
    select territory_type, territory_code, sector_code, snapshot_date, 'competence' as kind, unnest(skills) as skill
    from asked
    union all
    select territory_type, territory_code, sector_code, snapshot_date, 'qualite', unnest(soft_skills) from asked
)
select territory_type, territory_code, sector_code, snapshot_date, kind, skill, count(*) as offers,
    row_number() over (partition by territory_type, territory_code, sector_code, snapshot_date, kind
                       order by count(*) desc, skill) as skill_rank
from skills
group by territory_type, territory_code, sector_code, snapshot_date, kind, skill
