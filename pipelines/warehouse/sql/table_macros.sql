-- Table macros: one piece of SQL for marts that differ only by how they group codes. Each is created just before
-- the first mart that calls it (build.py), once the tables it reads exist (DuckDB binds a macro's tables when
-- it is created).
-- URSSAF employment rows by a grouping of APE codes: ape_bridge (a table name) maps each APE code to a group in
-- its column code_column (with 'ensemble' = every code, or else each code in exactly one group:
-- employment_by_territory then sums the groups into 'ensemble'), the group in group_code; a row is repeated
-- once per group of its code. employment_rows: the commune × APE rows, their years still nested (values);
-- employment_cells: one row per commune × APE × year; employment_by_commune sums them per commune × group × year.
-- Serves the four sectors and the NAF A38 sections alike.
create macro employment_rows(ape_bridge, code_column) as table
select commune_ape.commune_code, bridge.group_code, commune_ape."values", commune_ape.is_demo
from stg_urssaf__commune_ape as commune_ape
join (select columns('^' || code_column || '$') as group_code, ape_code from query_table(ape_bridge)) as bridge
    using (ape_code);
create macro employment_cells(ape_bridge, code_column) as table
select employment.commune_code, bridge.group_code, employment.year, employment.period, employment.employees,
    employment.establishments, employment.is_demo
from stg_urssaf__employment as employment
join (select columns('^' || code_column || '$') as group_code, ape_code from query_table(ape_bridge)) as bridge
    using (ape_code);
create macro employment_by_commune(ape_bridge, code_column) as table
select
    commune_code,
    group_code,
    year,
    any_value(period) as period,
    sum(employees) as employees,
    sum(establishments) as establishments,
    bool_or(is_demo) as is_demo
from employment_cells(ape_bridge, code_column)
group by commune_code, group_code, year;
-- URSSAF employment and establishments of every territory by group (see the grain comment of
-- fct_employment_by_territory_sector_year, which says its rules), summed from the cells of their communes
-- (employment_rows); 'ensemble' is the group every share is taken over.
-- with_communes: a row per commune too (false for the A38 sections: 38 groups by commune and year are some
-- 18 million rows nationwide, whose changes alone took half a minute to compute). One piece of SQL for the
-- sectors and the A38 sections.
create macro employment_by_territory(ape_bridge, code_column, with_communes) as table
with bridge_in as (
    select columns('^' || code_column || '$') as group_code, ape_code from query_table(ape_bridge)
),
urssaf_communes as materialized (
    -- Read (and grouped by commune) once, not once per mention below; geography_id numbers the communes'
    -- (zone d'emploi, département, région) tuples (a few hundred): an integer is summed by faster than 3 codes.
    select *, dense_rank() over (order by ze_code, dept_code, region_code) as geography_id
    from stg_urssaf__communes
),
facts_in as materialized (
    -- With the communes' own rows: their sums, from which the larger territories are summed in turn (a few
    -- million rows: commune × sector × year).
    select * from employment_by_commune(ape_bridge, code_column) where with_communes
),
commune_rows as materialized (
    -- Without them, the larger territories are summed straight from the cells (grouping them by commune first
    -- costs more than it saves: 18 million groups for the A38 sections nationwide). The files' commune × APE rows
    -- are joined to their commune's EPCI and geography tuple before their years are unnested (1.2 million rows
    -- to join rather than 21 million), and each sum below unnests them straight into its groups.
    select fact.commune_code, fact.group_code, fact."values", fact.is_demo, commune.epci_code, commune.geography_id
    from employment_rows(ape_bridge, code_column) as fact
    join urssaf_communes as commune using (commune_code)
    where not with_communes
),
facts as not materialized (
    -- The figures summed into the larger territories, one row per commune (or cell) × group × year: one of the
    -- two branches is empty. Not stored: each sum reads it as it goes.
    select fact.group_code, fact.year, fact.employees, fact.establishments, fact.is_demo, commune.epci_code,
        commune.geography_id
    from facts_in as fact
    join urssaf_communes as commune using (commune_code)
    union all
    -- unnest in the select list: in the from clause, DuckDB may join each cell back to its row (a pass more)
    select group_code, cell.year, cell.employees, cell.establishments, is_demo, epci_code, geography_id
    from (select group_code, is_demo, epci_code, geography_id, unnest("values") as cell from commune_rows)
),
geography_sums as materialized (
    -- Summed once by geography tuple, then rolled up to the zones d'emploi, départements, régions and France
    -- below: one pass over the facts rather than one per level.
    select geography_id, group_code, year, sum(employees) as employees, sum(establishments) as establishments,
        count(*) as cells, bool_or(is_demo) as is_demo
    from facts
    group by all
),
epci_sums as materialized (
    -- Apart from the tuples above, which an EPCI may straddle.
    select epci_code, group_code, year, sum(employees) as employees, sum(establishments) as establishments,
        count(*) as cells, bool_or(is_demo) as is_demo
    from facts
    group by all
),
commune_territories as materialized (
    -- The bassins (latest zoning) and lists each commune is in, numbered for the same reason as geography_id.
    select commune_code, territory_type, territory_code,
        dense_rank() over (order by territory_type, territory_code) as territory_id
    from bridge_territory_commune
    where is_latest_zoning and territory_type in ('bassin_bmo', 'liste')
),
territory_sums as (
    -- Joined to the communes' bassins and lists before the cells are unnested, as commune_rows is.
    select territory_id, group_code, year, sum(employees) as employees, sum(establishments) as establishments,
        count(*) as cells, bool_or(is_demo) as is_demo
    from (
        select territory.territory_id, fact.group_code, fact.year, fact.employees, fact.establishments, fact.is_demo
        from facts_in as fact
        join commune_territories as territory using (commune_code)
        union all
        select territory_id, group_code, cell.year, cell.employees, cell.establishments, is_demo
        from (
            select territory.territory_id, fact.group_code, fact.is_demo, unnest(fact."values") as cell
            from commune_rows as fact
            join commune_territories as territory using (commune_code)
        )
    )
    group by all
),
by_territory as (
    select 'commune' as territory_type, commune_code as territory_code, group_code, year, period, employees,
        establishments, 1::bigint as communes_with_data, is_demo
    from facts_in
    union all
    select 'epci', epci_code, group_code, year, urssaf_period(year), employees, establishments, cells, is_demo
    from epci_sums
    -- a commune without EPCI (or ZE...) code in the file does not make a territory of its own
    where epci_code is not null
    union all
    select
        case
            when grouping(ze_code) = 0 then 'zone_emploi'
            when grouping(dept_code) = 0 then 'departement'
            when grouping(region_code) = 0 then 'region'
            else 'france'
        end as territory_type,
        coalesce(ze_code, dept_code, region_code, 'FR') as territory_code,
        group_code, year, urssaf_period(year) as period,
        sum(employees) as employees, sum(establishments) as establishments,
        sum(cells)::bigint as communes_with_data, bool_or(is_demo) as is_demo
    from geography_sums
    join (select distinct geography_id, ze_code, dept_code, region_code from urssaf_communes) using (geography_id)
    group by grouping sets ((ze_code, group_code, year), (dept_code, group_code, year),
        (region_code, group_code, year), (group_code, year))
    having territory_type = 'france' or coalesce(ze_code, dept_code, region_code) is not null
    union all
    select territory.territory_type, territory.territory_code, sums.group_code, sums.year, urssaf_period(sums.year),
        sums.employees, sums.establishments, sums.cells, sums.is_demo
    from territory_sums as sums
    join (select distinct territory_id, territory_type, territory_code from commune_territories) as territory
        using (territory_id)
),
aggregated as (
    select aggregate.territory_type, aggregate.territory_code, bridge.group_code, aggregate.year,
        any_value(aggregate.period) as period, sum(aggregate.employees) as employees,
        sum(aggregate.establishments) as establishments, null::bigint as communes_with_data,
        bool_or(aggregate.is_demo) as is_demo
    from stg_urssaf__aggregates as aggregate
    join bridge_in as bridge using (ape_code)
    group by all
),
present as (
    -- The territory's communes that the loaded files hold at all (urssaf_communes: one row each).
    select territory_type, territory_code, count(distinct commune_code) as communes_present
    from (
        select 'commune' as territory_type, commune_code as territory_code, commune_code from urssaf_communes
            where with_communes
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
whole as (
    select * from combined
    union all
    -- A bridge that puts every code in one group and has no 'ensemble' (the A38 sections): the whole is the sum
    -- of the groups, not a second pass over every cell.
    select territory_type, territory_code, 'ensemble', year, any_value(period), sum(employees), sum(establishments),
        null, bool_or(is_demo), any_value(basis)
    from combined
    where not exists (select 1 from bridge_in where group_code = 'ensemble')
    group by territory_type, territory_code, year
),
counted as materialized (
    select whole.* replace (if(basis = 'communes', present.communes_present, null)::bigint as communes_with_data)
    from whole
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
    and everything.year = counted.year and everything.group_code = 'ensemble'
left join counted as year_before
    on year_before.territory_type = counted.territory_type and year_before.territory_code = counted.territory_code
    and year_before.group_code = counted.group_code and year_before.year = counted.year - 1
left join counted as five_years_before
    on five_years_before.territory_type = counted.territory_type
    and five_years_before.territory_code = counted.territory_code
    and five_years_before.group_code = counted.group_code and five_years_before.year = counted.year - 5;
-- BMO key figures of every territory by group of métiers (see the grain comment of
-- fct_projects_by_territory_sector_year, which says its rules): metier_bridge (a table name) maps each
-- (nomenclature, metier_code) to a group in its column code_column. One piece of SQL for the sectors and the
-- FAP families.
create macro projects_by_territory(metier_bridge, code_column) as table
select * , year = max(year) over (partition by territory_type, territory_code) as is_latest_period
from (
with sums as (
    select
        fact.territory_type,
        fact.territory_code,
        bridge.group_code,
        fact.year,
        any_value(fact.period) as period,
        sum(fact.projects) as projects,
        sum(fact.difficult) as difficult,
        sum(fact.seasonal) as seasonal,
        sum(fact.difficult) / nullif(sum(fact.projects), 0) as difficult_share,
        sum(fact.seasonal) / nullif(sum(fact.projects), 0) as seasonal_share,
        count(*) as metiers,
        sum(fact.cells) as cells,
        sum(fact.secret_cells) as secret_cells,
        sum(fact.difficult_secret_cells) as difficult_secret_cells,
        sum(fact.seasonal_secret_cells) as seasonal_secret_cells,
        sum(fact.published_cells) as published_cells,
        sum(fact.difficult_uncounted_cells) as difficult_uncounted_cells,
        sum(fact.seasonal_uncounted_cells) as seasonal_uncounted_cells,
        -- the same rule as per métier (fct_projects_by_territory_metier_year): a secret numerator cell of a
        -- published projects cell makes the share a lower bound
        coalesce(sum(fact.difficult) / nullif(sum(fact.projects), 0) is not null
                 and sum(fact.difficult_uncounted_cells) > 0, false) as difficult_share_is_lower_bound,
        coalesce(sum(fact.seasonal) / nullif(sum(fact.projects), 0) is not null
                 and sum(fact.seasonal_uncounted_cells) > 0, false) as seasonal_share_is_lower_bound,
        bool_or(fact.is_demo) as is_demo
    from fct_projects_by_territory_metier_year as fact
    join (select columns('^' || code_column || '$') as group_code, nomenclature, metier_code
          from query_table(metier_bridge)) as bridge
        using (nomenclature, metier_code)
    group by all
),
perimeters as (
    -- The communes the figures describe: for a bassin, its communes in the zoning of that BMO year;
    -- for other levels, the INSEE geography.
    select
        sums.*,
        bmo_year.nomenclature,
        zoning.zoning as commune_zoning,
        zoning.commune_count,
        zoning.communes_hash,
        coalesce(zoning.is_demo, false) as perimeter_is_demo
    from sums
    join dim_bmo_year as bmo_year using (year)
    left join dim_territory as territory using (territory_type, territory_code)
    left join dim_territory_zoning as zoning
        on zoning.territory_type = sums.territory_type
        and zoning.territory_code = sums.territory_code
        and zoning.zoning = case when sums.territory_type = 'bassin_bmo' then bmo_year.bassin_zoning
                                 else territory.commune_zoning end
),
compared as (
    select
        current.*,
        previous.year as previous_year,
        previous.projects as previous_projects,
        coalesce(previous.nomenclature <> current.nomenclature, false) as nomenclature_break,
        -- Only a bassin whose communes changed between the two zonings breaks the series.
        current.territory_type = 'bassin_bmo' and previous.year is not null
            and previous.communes_hash is distinct from current.communes_hash as zoning_break
    from perimeters as current
    left join perimeters as previous
        on previous.territory_type = current.territory_type
        and previous.territory_code = current.territory_code
        and previous.group_code = current.group_code
        and previous.year = current.year - 1
)
select
    territory_type,
    territory_code,
    group_code,
    year,
    period,
    projects,
    difficult,
    seasonal,
    difficult_share,
    seasonal_share,
    metiers,
    cells,
    secret_cells,
    difficult_secret_cells,
    seasonal_secret_cells,
    published_cells,
    difficult_uncounted_cells,
    seasonal_uncounted_cells,
    difficult_share_is_lower_bound,
    seasonal_share_is_lower_bound,
    previous_year,
    previous_projects,
    -- No change across a break: the two figures do not measure the same thing.
    case when not (nomenclature_break or zoning_break) then projects / nullif(previous_projects, 0) - 1 end
        as projects_change,
    nomenclature_break,
    zoning_break,
    commune_zoning,
    commune_count,
    is_demo,
    perimeter_is_demo
from compared
);
-- Tension of every territory by group of métiers (see the grain comment of fct_tension_by_territory_sector_year,
-- which says its rules): metier_bridge (a table name) maps each (metier_nomenclature, metier_code) of
-- fct_tension_by_territory_metier_year to a group in its column code_column. One piece of SQL for the sectors and
-- the FAP 2009 families, so that a tension level means the same thing for both.
create macro tension_by_territory(metier_bridge, code_column) as table
select * exclude (period_is_demo) , year = first_value(year) over (partition by territory_type, territory_code
    order by period_is_demo, year desc) as is_latest_period
from (
select *, bool_or(is_demo) over (partition by territory_type, territory_code, year) as period_is_demo
from (
with groups as (
    select
        fact.territory_type, fact.territory_code, bridge.group_code, fact.year,
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
    join (select columns('^' || code_column || '$') as group_code, metier_nomenclature, metier_code
          from query_table(metier_bridge)) as bridge
        using (metier_nomenclature, metier_code)
    group by fact.territory_type, fact.territory_code, bridge.group_code, fact.year
)
select
    groups.*,
    main_driver(groups.labour_shortage, groups.hiring_intensity, groups.working_conditions,
                groups.job_instability, groups.training_link, groups.geographic_mismatch) as main_driver
from groups
)
);
-- The loaded offers, one row per offer × territory holding its workplace commune (latest zoning) × sector
-- holding its ROME code: the offers of a territory and sector (offers without a commune are in no territory).
-- One join for the four offer marts.
create macro offers_by_territory_sector() as table
select territory.territory_type, territory.territory_code, sector.sector_code, offer.*
from stg_offres__offers as offer
join bridge_territory_commune as territory on territory.is_latest_zoning and territory.commune_code = offer.commune_code
join bridge_sector_rome as sector on sector.rome_code = offer.rome_code;
