-- grain: one row per (territory_type, territory_code, sector_code, year)
-- URSSAF employment and establishments summed over the communes present in the loaded files, for each
-- commune, EPCI, zone d'emploi, département, région, France (codes from the URSSAF files), bassin BMO
-- (communes of its latest zoning) and the user's lists of communes; communes_with_data says how many of
-- the territory's communes the files hold (in any sector and any year: a commune of the file without an
-- employer of the sector, or without any employer that year, is a true zero, not a missing commune). Where the URSSAF server's own sums (région, France...)
-- are loaded for a territory, they replace the sums of the loaded communes in every year:
-- basis = 'aggregate' (complete) rather than 'communes'. Changes over 1 and 5 years; apprentice_break_* when the period straddles 2023,
-- when apprentices started to count. is_latest_period: the territory's latest year, the one every "latest figure"
-- reads.
with urssaf_communes as materialized (
    -- Read (and grouped by commune) once, not once per mention below.
    select * from stg_urssaf__communes
),
facts as (
    select fact.*, commune.ze_code, commune.epci_code, commune.dept_code, commune.region_code
    from fct_employment_by_commune_sector_year as fact
    join urssaf_communes as commune using (commune_code)
),
by_territory as (
    select 'commune' as territory_type, commune_code as territory_code, sector_code, year, period, employees,
        establishments, 1::bigint as communes_with_data, is_demo
    from fct_employment_by_commune_sector_year
    union all
    select
        case
            when grouping(epci_code) = 0 then 'epci'
            when grouping(ze_code) = 0 then 'zone_emploi'
            when grouping(dept_code) = 0 then 'departement'
            when grouping(region_code) = 0 then 'region'
            else 'france'
        end as territory_type,
        coalesce(epci_code, ze_code, dept_code, region_code, 'FR') as territory_code,
        sector_code, year, any_value(period) as period,
        sum(employees) as employees, sum(establishments) as establishments,
        count(*) as communes_with_data, bool_or(is_demo) as is_demo
    from facts
    group by grouping sets (
        (epci_code, sector_code, year), (ze_code, sector_code, year), (dept_code, sector_code, year),
        (region_code, sector_code, year), (sector_code, year))
    -- a commune without EPCI (or ZE...) code in the file does not make a territory of its own
    having territory_type = 'france' or coalesce(epci_code, ze_code, dept_code, region_code) is not null
    union all
    select bridge.territory_type, bridge.territory_code, fact.sector_code, fact.year, any_value(fact.period),
        sum(fact.employees), sum(fact.establishments), count(*), bool_or(fact.is_demo)
    from fct_employment_by_commune_sector_year as fact
    join bridge_territory_commune as bridge using (commune_code)
    where bridge.is_latest_zoning and bridge.territory_type in ('bassin_bmo', 'liste')
    group by all
),
aggregated as (
    select aggregate.territory_type, aggregate.territory_code, bridge.sector_code, aggregate.year,
        any_value(aggregate.period) as period, sum(aggregate.employees) as employees,
        sum(aggregate.establishments) as establishments, null::bigint as communes_with_data,
        bool_or(aggregate.is_demo) as is_demo
    from stg_urssaf__aggregates as aggregate
    join bridge_sector_ape as bridge using (ape_code)
    group by all
),
present as (
    -- The territory's communes that the loaded files hold at all (urssaf_communes: one row each).
    select territory_type, territory_code, count(distinct commune_code) as communes_present
    from (
        select 'commune' as territory_type, commune_code as territory_code, commune_code from urssaf_communes
        union all select 'epci', epci_code, commune_code from urssaf_communes where epci_code is not null
        union all select 'zone_emploi', ze_code, commune_code from urssaf_communes where ze_code is not null
        union all select 'departement', dept_code, commune_code from urssaf_communes where dept_code is not null
        union all select 'region', region_code, commune_code from urssaf_communes
            where region_code is not null
        union all select 'france', 'FR', commune_code from urssaf_communes
        union all
        select bridge.territory_type, bridge.territory_code, commune.commune_code
        from urssaf_communes as commune
        join bridge_territory_commune as bridge using (commune_code)
        where bridge.is_latest_zoning and bridge.territory_type in ('bassin_bmo', 'liste')
    )
    group by all
),
combined as (
    -- A territory with server sums is read from them alone, every year: a year they lack shows no figure
    -- rather than the sum of a few loaded communes (which a change would compare with a full total).
    select *, 'aggregate' as basis from aggregated
    union all
    select *, 'communes' as basis from by_territory
    where not exists (
        select 1 from aggregated
        where aggregated.territory_type = by_territory.territory_type
            and aggregated.territory_code = by_territory.territory_code)
),
counted as materialized (
    select combined.* replace (if(basis = 'communes', present.communes_present, null)::bigint as communes_with_data)
    from combined
    left join present using (territory_type, territory_code)
)
-- The same territory's 'ensemble' row of the year, and its row of the same sector one and five years
-- before, joined on the grain (one row each at most): hash joins, cheaper than windows sorting millions of rows.
select
    counted.*,
    -- The sector's share of all salaried employment of the territory that year.
    counted.employees / nullif(everything.employees, 0) as share_of_employment,
    -- Comparisons by calendar year (a missing year gives no change, not the change from an older one).
    counted.employees / nullif(year_before.employees, 0) - 1 as employees_change_1y,
    counted.employees / nullif(five_years_before.employees, 0) - 1 as employees_change_5y,
    counted.establishments / nullif(year_before.establishments, 0) - 1 as establishments_change_1y,
    counted.establishments / nullif(five_years_before.establishments, 0) - 1 as establishments_change_5y,
    counted.year >= 2023 and counted.year - 1 < 2023 as apprentice_break_1y,
    counted.year >= 2023 and counted.year - 5 < 2023 as apprentice_break_5y,
    counted.year = latest.year as is_latest_period
from counted
join (select territory_type, territory_code, max(year) as year from counted group by all) as latest
    on latest.territory_type = counted.territory_type and latest.territory_code = counted.territory_code
left join counted as everything
    on everything.territory_type = counted.territory_type and everything.territory_code = counted.territory_code
    and everything.year = counted.year and everything.sector_code = 'ensemble'
left join counted as year_before
    on year_before.territory_type = counted.territory_type and year_before.territory_code = counted.territory_code
    and year_before.sector_code = counted.sector_code and year_before.year = counted.year - 1
left join counted as five_years_before
    on five_years_before.territory_type = counted.territory_type
    and five_years_before.territory_code = counted.territory_code
    and five_years_before.sector_code = counted.sector_code and five_years_before.year = counted.year - 5
