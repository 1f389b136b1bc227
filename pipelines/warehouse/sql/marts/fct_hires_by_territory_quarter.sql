-- grain: one row per (territory_type, territory_code, grand_secteur, contract_nature, period)
-- URSSAF hires (DPAE of contracts of more than one month) by quarter: NATIONAL / DEPARTMENTAL CONTEXT
-- ONLY (context_only, context_note), never published for a bassin, a zone d'emploi or a commune.
-- France comes from the national monthly series, a quarter being the sum of its months only when all
-- three are there; départements as published (quarterly, by URSSAF grand secteur); régions are the
-- sum of their départements, only when the loaded files hold every grand secteur × contract cell of
-- every département of the région for the quarter (region_complete, set by the reader).
-- grand_secteur 'ensemble' = all activities; its CVS includes the calibration rows of the CVS series
-- (a département's and, summed the same way, its région's); raw totals never include them. A URSSAF
-- label otherwise ('Construction', 'Industrie'...); sector_code is ours only where it is honest:
-- 'btp' for the grand secteurs of sectors.toml's dpae_grand_secteur, 'ensemble' for all, NULL else.
-- contract_nature 'cdi', 'cdd' (more than one month) or 'ensemble'. Sums skip unpublished (empty) cells,
-- counted in unpublished_cells (raw) and unpublished_sa_cells (CVS). Changes: same quarter a year before,
-- NULL when either quarter has unpublished cells (hires_raw_change_1y_note says why for the raw change).
-- is_latest_period: the territory's latest period, the one every "latest figure" reads. (of the all-sector, all-contract total)
select * , period = max(period) filter (where grand_secteur = 'ensemble' and contract_nature = 'ensemble')
    over (partition by territory_type, territory_code) as is_latest_period
from (
with quarters as (
    select territory_type, territory_code, territory_code as dept_code, region_code, region_complete,
        grand_secteur_code, grand_secteur, contract_nature, period, hires_raw, hires_sa, is_calibration,
        null::integer as months, 'trimestrielle' as published, is_demo
    from stg_urssaf_dpae__hires
    where frequency = 'quarter'
    union all
    select territory_type, territory_code, null, null, false, null, null, contract_nature,
        date_trunc('quarter', period)::date,
        case when count(hires_raw) = 3 then sum(hires_raw)::bigint end,
        case when count(hires_sa) = 3 then sum(hires_sa)::bigint end,
        false, count(distinct period)::integer, 'mensuelle (somme des 3 mois)', bool_or(is_demo)
    from stg_urssaf_dpae__hires
    where frequency = 'month'
    group by territory_type, territory_code, contract_nature, date_trunc('quarter', period)
    having count(distinct period) = 3
),
places as (
    select * exclude (region_code, region_complete) from quarters
    union all by name
    select * exclude (territory_type, territory_code, region_code, region_complete)
        replace ('somme des départements' as published),
        'region' as territory_type, region_code as territory_code
    from quarters
    where territory_type = 'departement' and region_complete
),
expanded as (
    select *, grand_secteur as sector_key, contract_nature as contract_key
    from places where grand_secteur is not null and not is_calibration and contract_nature is not null
    union all by name
    select *, grand_secteur as sector_key, 'ensemble' as contract_key
    from places where grand_secteur is not null and not is_calibration
    union all by name
    select *, 'ensemble' as sector_key, contract_nature as contract_key
    from places where contract_nature is not null
    union all by name
    select *, 'ensemble' as sector_key, 'ensemble' as contract_key
    from places
),
sums as (
    select
        territory_type, territory_code, sector_key as grand_secteur,
        case when sector_key <> 'ensemble' then any_value(grand_secteur_code) end as grand_secteur_code,
        contract_key as contract_nature, period,
        quarter_label(period) as quarter,
        (sum(hires_raw) filter (where not is_calibration))::bigint as hires_raw, sum(hires_sa)::bigint as hires_sa,
        count(*) filter (where hires_raw is null and not is_calibration) as unpublished_cells,
        count(*) filter (where hires_sa is null and not is_calibration) as unpublished_sa_cells,
        count(distinct dept_code) as departements,
        any_value(published) as published, bool_or(is_demo) as is_demo
    from expanded
    group by territory_type, territory_code, sector_key, contract_key, period
)
select
    sums.territory_type, sums.territory_code, sums.grand_secteur, sums.grand_secteur_code,
    case when sums.grand_secteur = 'ensemble' then 'ensemble' else (
        select min(rule.sector_code) from seed_sector_rules as rule
        where rule.lens = 'dpae_grand_secteur' and lower(sums.grand_secteur) like lower(rule.like_pattern))
    end as sector_code,
    sums.contract_nature, sums.period, sums.quarter, sums.hires_raw, sums.hires_sa,
    case when sums.unpublished_cells = 0 and first_value(sums.unpublished_cells) over previous_year = 0 then
        sums.hires_raw / nullif(first_value(sums.hires_raw) over previous_year, 0) - 1 end as hires_raw_change_1y,
    case when sums.unpublished_sa_cells = 0 and first_value(sums.unpublished_sa_cells) over previous_year = 0 then
        sums.hires_sa / nullif(first_value(sums.hires_sa) over previous_year, 0) - 1 end as hires_sa_change_1y,
    case when sums.unpublished_cells > 0 or first_value(sums.unpublished_cells) over previous_year > 0
        then 'non comparable : cellules non publiées' end as hires_raw_change_1y_note,
    sums.unpublished_cells, sums.unpublished_sa_cells,
    case when sums.territory_type = 'region' then sums.departements end as departements,
    sums.published,
    true as context_only,
    case sums.territory_type
        when 'france' then 'Contexte national : embauches (DPAE) de plus d''un mois, France entière, toutes activités.'
        when 'departement' then 'Contexte départemental : les DPAE ne sont publiées ni par bassin, ni par zone '
            || 'd''emploi, ni par commune.'
        else 'Contexte régional : somme des départements de la région (CVS : somme des CVS départementales).'
    end as context_note,
    sums.is_demo
from sums
window previous_year as (
    partition by sums.territory_type, sums.territory_code, sums.grand_secteur, sums.contract_nature
    order by sums.period range between interval 1 year preceding and interval 1 year preceding)
)
