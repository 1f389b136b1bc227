-- grain: one row per (territory_type, territory_code, sector_code, year)
-- Tension in each sector: how many of its métiers have a published tension class, how many are in
-- tension (class 4 or 5), the average class (the "tension level", unweighted), each driver's average
-- class and the main driver (highest average), both over the métiers with a published tension class.
-- Métiers map to sectors through bridge_sector_tension_metier (FAP 2009 or ROME patterns).
-- is_latest_period: the territory's latest period, the one every "latest figure" reads. A year of real figures wins over any demo year:
-- a demo file never hides a real one.
select * exclude (period_is_demo) , year = first_value(year) over (partition by territory_type, territory_code
    order by period_is_demo, year desc) as is_latest_period
from (
select *, bool_or(is_demo) over (partition by territory_type, territory_code, year) as period_is_demo
from (
with sectors as (
    select
        fact.territory_type, fact.territory_code, bridge.sector_code, fact.year,
        any_value(fact.period) as period,
        any_value(fact.metier_nomenclature) as metier_nomenclature,
        string_agg(distinct fact.source, ' ; ' order by fact.source) as source,
        count(fact.tension_class) as metiers,
        count(*) filter (where fact.tension_class >= 4) as metiers_in_tension,
        avg(fact.tension_class) as tension_level,
        avg(fact.labour_shortage) filter (where fact.tension_class is not null) as labour_shortage,
        avg(fact.hiring_intensity) filter (where fact.tension_class is not null) as hiring_intensity,
        avg(fact.working_conditions) filter (where fact.tension_class is not null) as working_conditions,
        avg(fact.job_instability) filter (where fact.tension_class is not null) as job_instability,
        avg(fact.training_link) filter (where fact.tension_class is not null) as training_link,
        avg(fact.geographic_mismatch) filter (where fact.tension_class is not null) as geographic_mismatch,
        sum(fact.job_offers) as job_offers,
        sum(fact.job_seekers_abc) as job_seekers_abc,
        bool_or(fact.is_demo) as is_demo
    from fct_tension_by_territory_metier_year as fact
    join bridge_sector_tension_metier as bridge using (metier_nomenclature, metier_code)
    group by fact.territory_type, fact.territory_code, bridge.sector_code, fact.year
)
select
    sectors.*,
    main_driver(sectors.labour_shortage, sectors.hiring_intensity, sectors.working_conditions,
                sectors.job_instability, sectors.training_link, sectors.geographic_mismatch) as main_driver
from sectors
)
)
