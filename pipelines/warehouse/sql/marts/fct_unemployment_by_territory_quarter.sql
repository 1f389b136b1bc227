-- grain: one row per (territory_type, territory_code, period)
-- Insee's localised unemployment rate (%, CVS, quarterly average) of each territory, never computed here:
-- a zone d'emploi (or a regional part, a département, a région where the edition has them) gets its own
-- published rate (rate_basis 'publié'); an EPCI, a bassin BMO or a list of communes gets the rate of ONE zone
-- d'emploi, the one holding most of its communes in its latest zoning (rate_basis 'zone d''emploi majoritaire'),
-- with that zone (zone_code, zone_name) and the share of the territory's communes it holds (zone_communes /
-- territory_communes = zone_share, communes the ZE geography does not know counted as outside), so a page says
-- "taux de la zone d'emploi de Rennes, qui compte 8 de ses 11 communes". A rate is never averaged across zones.
-- Tie (two zones holding as many communes): the zone of lowest code, and zone_tied says so (no rate is better
-- than another's; the lowest code makes the choice stable from one build to the next).
-- Communes are mapped with the newest loaded ZE geography. BMO bassin 5314 (Rennes) is not ZE 5314 (Quimperlé):
-- codes of different zonings never join, only communes do.
-- rate NULL = not published (overseas zones before 2014), never 0. rate_change_1y: in points, the same quarter a
-- year before, NULL when either is not published. is_latest_period: the territory's latest published rate.
select *, period = max(period) filter (where rate is not null)
    over (partition by territory_type, territory_code) as is_latest_period
from (
with published as (
    select territory_type, territory_code, territory_name, period, rate, is_demo
    from stg_insee_chomage__rates
),
commune_zone as (
    select distinct commune_code, territory_code as zone_code
    from bridge_territory_commune
    where territory_type = 'zone_emploi'
        and zoning = (select max(zoning) from bridge_territory_commune where territory_type = 'zone_emploi')
),
members as (
    select member.territory_type, member.territory_code, member.commune_code, commune_zone.zone_code
    from bridge_territory_commune as member
    left join commune_zone using (commune_code)
    where member.is_latest_zoning and member.territory_type in ('epci', 'bassin_bmo', 'liste')
),
counted as (
    select territory_type, territory_code, zone_code, count(*) as zone_communes,
        sum(count(*)) over (partition by territory_type, territory_code) as territory_communes
    from members
    group by territory_type, territory_code, zone_code
),
ranked as (
    select *,
        row_number() over (partition by territory_type, territory_code order by zone_communes desc, zone_code)
            as zone_rank,
        count(*) over (partition by territory_type, territory_code, zone_communes) > 1 as zone_tied
    from counted
    where zone_code is not null
),
majority as (
    select territory_type, territory_code, zone_code, zone_communes::integer as zone_communes,
        territory_communes::integer as territory_communes, zone_tied
    from ranked
    where zone_rank = 1
),
rows as (
    select territory_type, territory_code, period, rate, 'publié' as rate_basis,
        case when territory_type = 'zone_emploi' then territory_code end as zone_code,
        null::integer as zone_communes, null::integer as territory_communes, false as zone_tied, is_demo
    from published
    union all
    select majority.territory_type, majority.territory_code, zone.period, zone.rate,
        'zone d''emploi majoritaire', majority.zone_code, majority.zone_communes, majority.territory_communes,
        majority.zone_tied, zone.is_demo
    from majority
    join published as zone on zone.territory_type = 'zone_emploi' and zone.territory_code = majority.zone_code
)
select
    rows.territory_type, rows.territory_code, rows.period, quarter_label(rows.period) as quarter, rows.rate,
    -- rounded: rates have one decimal (two at most), a difference of doubles would show 0.10000000000000053
    round(rows.rate - first_value(rows.rate) over (
        partition by rows.territory_type, rows.territory_code order by rows.period
        range between interval 1 year preceding and interval 1 year preceding), 2) as rate_change_1y,
    rows.rate_basis, rows.zone_code,
    (select any_value(zone.territory_name) from published as zone
     where zone.territory_type = 'zone_emploi' and zone.territory_code = rows.zone_code) as zone_name,
    rows.zone_communes, rows.territory_communes,
    rows.zone_communes / rows.territory_communes as zone_share,
    rows.zone_tied, rows.is_demo
from rows
)
