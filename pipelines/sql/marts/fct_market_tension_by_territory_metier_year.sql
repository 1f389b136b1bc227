-- grain: one row per (territory_type, territory_code, rome_code, year)
-- The France Travail "Marché du travail" tension indicator (stat-perspective-employeur, annual) per ROME code:
-- the main class (PERSPECTIVE, 1 low .. 5 high), its six drivers, wage attractiveness, and the main driver
-- (highest class; ties in the main_driver macro's order). NULL = not published, never 0.
with metiers as (
    select
        territory_type, territory_code, rome_code, year,
        make_date(year, 1, 1) as period,
        max(rome_label) as rome_label,
        max(value) filter (where measure = 'tension') as tension_class,
        max(value) filter (where measure = 'hiring_intensity') as hiring_intensity,
        max(value) filter (where measure = 'labour_shortage') as labour_shortage,
        max(value) filter (where measure = 'job_instability') as job_instability,
        max(value) filter (where measure = 'working_conditions') as working_conditions,
        max(value) filter (where measure = 'geographic_mismatch') as geographic_mismatch,
        max(value) filter (where measure = 'training_link') as training_link,
        max(value) filter (where measure = 'wage_attractiveness') as wage_attractiveness,
        bool_or(is_demo) as is_demo
    from stg_france_travail__indicators
    where indicator = 'tension'
    group by territory_type, territory_code, rome_code, year
)
select
    metiers.*,
    main_driver(metiers.labour_shortage, metiers.hiring_intensity, metiers.working_conditions,
                metiers.job_instability, metiers.training_link, metiers.geographic_mismatch) as main_driver
from metiers
