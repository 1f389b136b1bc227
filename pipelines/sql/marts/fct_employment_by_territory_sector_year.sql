-- grain: one row per (territory_type, territory_code, sector_code, year)
-- URSSAF employment and establishments summed over the communes present in the loaded files, for each
-- commune, EPCI, zone d'emploi, département, région, France (codes from the URSSAF file) and bassin BMO
-- (communes of its latest zoning). communes_with_data says how many communes contributed. Changes over
-- 1 and 5 years; apprentice_break_* when the period straddles 2023, when apprentices started to count.
with cells as (
    select
        fact.*,
        unnest([
            {'territory_type': 'commune', 'territory_code': fact.commune_code},
            {'territory_type': 'epci', 'territory_code': fact.epci_code},
            {'territory_type': 'zone_emploi', 'territory_code': fact.ze_code},
            {'territory_type': 'departement', 'territory_code': fact.dept_code},
            {'territory_type': 'region', 'territory_code': fact.region_code},
            {'territory_type': 'france', 'territory_code': 'FR'}
        ]) as territory
    from fct_employment_by_commune_sector_year as fact
),
by_territory as (
    select territory.territory_type, territory.territory_code, sector_code, year, any_value(period) as period,
        sum(employees) as employees, sum(establishments) as establishments,
        count(distinct commune_code) as communes_with_data, bool_or(is_demo) as is_demo
    from cells
    where territory.territory_code is not null
    group by all
    union all
    select 'bassin_bmo', bridge.territory_code, fact.sector_code, fact.year, any_value(fact.period),
        sum(fact.employees), sum(fact.establishments), count(distinct fact.commune_code), bool_or(fact.is_demo)
    from fct_employment_by_commune_sector_year as fact
    join bridge_territory_commune as bridge
        on bridge.territory_type = 'bassin_bmo' and bridge.commune_code = fact.commune_code
        and bridge.zoning = (select max(zoning) from bridge_territory_commune where territory_type = 'bassin_bmo')
    group by all
)
select
    current.*,
    current.employees / nullif(one_year.employees, 0) - 1 as employees_change_1y,
    current.employees / nullif(five_years.employees, 0) - 1 as employees_change_5y,
    current.establishments / nullif(one_year.establishments, 0) - 1 as establishments_change_1y,
    current.establishments / nullif(five_years.establishments, 0) - 1 as establishments_change_5y,
    current.year >= 2023 and current.year - 1 < 2023 as apprentice_break_1y,
    current.year >= 2023 and current.year - 5 < 2023 as apprentice_break_5y
from by_territory as current
left join by_territory as one_year
    on one_year.territory_type = current.territory_type and one_year.territory_code = current.territory_code
    and one_year.sector_code = current.sector_code and one_year.year = current.year - 1
left join by_territory as five_years
    on five_years.territory_type = current.territory_type and five_years.territory_code = current.territory_code
    and five_years.sector_code = current.sector_code and five_years.year = current.year - 5
