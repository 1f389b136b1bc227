-- grain: one row per (territory_type, territory_code, sector_code, snapshot_date, kind, skill)
-- The skills the offers ask for: kind 'competence' (the API's competences: savoir-faire) or 'qualite' (its
-- qualitesProfessionnelles: soft skills), with the number of offers asking each (an offer counts once per skill)
-- and its rank within its kind (1 = most asked; ties by name).
with asked as (
    select territory_type, territory_code, sector_code, snapshot_date, offer_id, skills, soft_skills
    from offers_by_territory_sector()
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
