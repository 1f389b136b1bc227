-- grain: one row per (geometry_code)
-- Which commune of today each commune code of the geometry files stands for. 'identique': a commune the loaded
-- zonings know. 'fusion': a commune merged since the geometry's year, followed through the COG's events
-- (fusions, communes nouvelles, changes of code; several in a row) to the commune it belongs to now.
-- 'sans correspondance': neither (merged while no COG history is loaded, or outside every loaded zoning): it keeps
-- its own code, and is counted and said where a map is drawn, never dropped silently.
with recursive current_communes as (
    select distinct commune_code from bridge_territory_commune
    where is_latest_zoning and territory_type <> 'liste'  -- a user's list may hold an outdated code
),
successors as (
    -- The last time a code stopped being a commune of its own, and the commune it went into. MOD: 31 fusion
    -- simple, 32 commune nouvelle, 33 fusion-association, 34 fusion-association made simple, 41 and 50 changes
    -- of code (of département, of chef-lieu). A restored commune (21) leaves its former commune in place.
    select code_before as code, arg_max(code_after, effective_date) as successor,
        max(effective_date) as effective_date
    from stg_insee_cog_mvt__changes
    where mod in (31, 32, 33, 34, 41, 50) and type_before = 'COM' and type_after = 'COM' and code_after <> code_before
    group by code_before
),
chain as (
    select commune_code as geometry_code, commune_code as code, cast(null as date) as merged_on, 0 as step
    from stg_geo_communes__shapes
    union all
    select chain.geometry_code, successors.successor, successors.effective_date, chain.step + 1
    from chain
    join successors on successors.code = chain.code
        and (chain.merged_on is null or successors.effective_date > chain.merged_on)
    where chain.step < 20 and chain.code not in (select commune_code from current_communes)
),
last_step as (
    select geometry_code, arg_max(code, step) as commune_code, max(step) as steps,
        arg_max(merged_on, step) as merged_on
    from chain
    group by geometry_code
)
select
    last_step.geometry_code,
    last_step.commune_code,
    case
        when last_step.steps > 0 then 'fusion'
        when last_step.commune_code in (select commune_code from current_communes) then 'identique'
        else 'sans correspondance'
    end as mapping,
    last_step.merged_on,
    shapes.is_demo
from last_step
join stg_geo_communes__shapes as shapes on shapes.commune_code = last_step.geometry_code
