"""The figures of a territory's monthly note, read from the marts: numbers, periods, codes and reason codes, no
wording (report/note.py words them). tests/note_sample.py shows the shape; NOTE13_SPEC's "figures dict" says it.

"Latest" is the marts' `is_latest_period`; the previous period and the same period a year earlier are the rows one
step and one year before it, and every change is computed in SQL (rates in points, counts relative), rounded so that
the same raw files give the same bytes (figures_json). Nothing here reads a time of import or build.
"""

import json
import re

from pipelines.read import figures as read
from pipelines.read.marts import communes_incomplete_sql, communes_partial, records
from pipelines.read.territories import TERRITORY_PREFIXES, territory_spec

FORMAT = 1
# The note's series, in the note's order: (id, source, unit, frequency).
SERIES = (
    ("demandeurs_a", "dares_defm", "count", "quarter"),
    ("demandeurs_abc", "dares_defm", "count", "quarter"),
    ("taux_chomage", "insee_chomage", "rate", "quarter"),
    ("emploi_salarie", "urssaf", "count", "year"),
    ("etablissements", "urssaf", "count", "year"),
    ("embauches", "urssaf_dpae", "count", "quarter"),
    ("offres", "france_travail", "count", "quarter"),
    ("projets_bmo", "bmo", "count", "year"),
)
# The territory types a series is published for (or summed to), when not all: another type's place is
# "not_published_at_level". Insee gives no commune a rate; the API is read per bassin; hires: hires_perimeter.
LEVELS = {
    "taux_chomage": tuple(kind for kind in TERRITORY_PREFIXES.values() if kind != "commune"),
    "offres": ("bassin_bmo",),
    "projets_bmo": read.BMO_TERRITORY_TYPES,
}
# The quarterly series published seasonally adjusted (CVS): only these get a change over the previous quarter. A raw
# count's quarter-on-quarter change is mostly the season (DPAE: +37 % from T2 to T3 2023 raw, +0.1 % CVS); its change
# over a year compares the same quarter, so the season cancels.
ADJUSTED = {"taux_chomage"}
ADJUSTED_SQL = ", ".join(f"'{name}'" for name in sorted(ADJUSTED))
DECIMALS = 6  # of changes, shares and rates: a rebuild from the same files gives the same bytes
MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")

# Every observation of every series, in one shape: the place's own row (territory_type, territory_code), its period,
# value, whether it is the marts' latest, and what qualifies it. complete: the value is whole (hires: no
# unpublished cell), else no change is computed with it; break_before: not comparable with the period before (BMO:
# nomenclature or bassin's communes changed).
OBSERVATIONS = f"""
    select 'demandeurs_' || lower(category) as series, territory_type, territory_code, period,
        job_seekers::double as value, is_latest_period, is_demo, communes_with_data, 'communes' as basis
    from fct_job_seekers_by_territory_quarter
    where category in ('A', 'ABC')
    union all by name
    select 'taux_chomage' as series, territory_type, territory_code, period, rate as value, is_latest_period, is_demo,
        zone_code, zone_name, round(zone_share, {DECIMALS}) as zone_share, zone_tied,
        rate_basis = 'zone d''emploi majoritaire' as by_zone
    from fct_unemployment_by_territory_quarter
    union all by name
    select unnest(['emploi_salarie', 'etablissements']) as series, territory_type, territory_code, period,
        unnest([employees::double, establishments::double]) as value, is_latest_period, is_demo, communes_with_data,
        basis,
        unnest([apprentice_break_1y, null]) as apprentice_break
    from fct_employment_by_territory_sector_year
    where sector_code = 'ensemble'
    union all by name
    select 'embauches' as series, territory_type, territory_code, period, hires_raw::double as value,
        is_latest_period, is_demo,
        unpublished_cells = 0 as complete
    from fct_hires_by_territory_quarter
    where grand_secteur = 'ensemble' and contract_nature = 'ensemble'
    union all by name
    select 'offres' as series, territory_type, territory_code, period, job_offers as value, is_latest_period,
        is_demo
    from fct_market_by_territory_sector_quarter
    where sector_code = 'ensemble'
    union all by name
    select 'projets_bmo' as series, territory_type, territory_code, period, projects::double as value,
        is_latest_period, is_demo,
        nomenclature_break or zoning_break as break_before, round(difficult_share, {DECIMALS}) as difficult_share,
        difficult_share_is_lower_bound
    from fct_projects_by_territory_sector_year
    where sector_code = 'ensemble'
"""


def _change(unit: str, new: str, old: str) -> str:
    """SQL of the change from `old` to `new` (observation aliases): points for a rate, relative for a count."""
    difference = (f"{new}.value - {old}.value" if unit == "rate"
                  else f"{new}.value / nullif({old}.value, 0) - 1")
    return (f"case when coalesce({new}.complete, true) and coalesce({old}.complete, true) "
            f"and not coalesce({new}.break_before, false) then round({difference}, {DECIMALS}) end")


def _label(alias: str) -> str:
    """SQL of an observation's period as the note writes it: '2025-T2' for a quarter, '2024' for a year."""
    return (f"case when asked.frequency = 'quarter' then strftime({alias}.period, '%Y') || '-T' || "
            f"quarter({alias}.period) else strftime({alias}.period, '%Y') end")


# One row per asked (series, place) that has a latest observation, with the previous period's and the year-ago's.
ENTRIES = f"""
with asked as (
    select unnest(?::varchar[]) as series, unnest(?::varchar[]) as spec, unnest(?::varchar[]) as unit,
        unnest(?::varchar[]) as frequency, unnest(?::varchar[]) as territory_type,
        unnest(?::varchar[]) as territory_code
),
observations as (  -- only the asked places' rows (the facts hold every territory of France)
    select * from ({OBSERVATIONS}) semi join asked using (series, territory_type, territory_code)
)
select
    asked.series, asked.spec, {_label('latest')} as period, latest.value,
    {_label('previous')} as previous_period, previous.value as previous_value,
    case when asked.frequency = 'quarter' and asked.series not in ({ADJUSTED_SQL}) then null
        when asked.unit = 'rate' then {_change('rate', 'latest', 'previous')}
        else {_change('count', 'latest', 'previous')} end as change_previous,
    {_label('year_ago')} as year_ago_period, year_ago.value as year_ago_value,
    case when asked.unit = 'rate' then {_change('rate', 'latest', 'year_ago')}
        else {_change('count', 'latest', 'year_ago')} end as change_1y,
    coalesce(latest.is_demo, false) as demo,
    latest.by_zone, latest.zone_code, latest.zone_name, latest.zone_share, latest.zone_tied,
    latest.basis, latest.communes_with_data, place.commune_count as territory_communes,
    case when latest.basis = 'communes' then {communes_incomplete_sql('latest', 'place')} end as partial,
    latest.apprentice_break, latest.difficult_share, latest.difficult_share_is_lower_bound
from asked
join observations as latest
    on latest.series = asked.series and latest.territory_type = asked.territory_type
    and latest.territory_code = asked.territory_code and latest.is_latest_period
left join dim_territory as place
    on place.territory_type = asked.territory_type and place.territory_code = asked.territory_code
left join observations as previous
    on previous.series = asked.series and previous.territory_type = asked.territory_type
    and previous.territory_code = asked.territory_code
    and previous.period = latest.period - case when asked.frequency = 'quarter' then interval 3 month
                                               else interval 1 year end
left join observations as year_ago
    on year_ago.series = asked.series and year_ago.territory_type = asked.territory_type
    and year_ago.territory_code = asked.territory_code and year_ago.period = latest.period - interval 1 year
"""

# The territory's département and région: dim_territory's, else those holding most of its communes (latest zoning;
# a tie goes to the lowest code, so that the choice is the same from one build to the next).
PARENTS = """
with members as (
    select commune_code from bridge_territory_commune
    where is_latest_zoning and territory_type = ? and territory_code = ?
),
majority as (
    select parent.territory_type, parent.territory_code
    from bridge_territory_commune as parent
    join members using (commune_code)
    where parent.is_latest_zoning and parent.territory_type in ('departement', 'region')
    group by parent.territory_type, parent.territory_code
    qualify row_number() over (partition by parent.territory_type order by count(*) desc, parent.territory_code) = 1
),
place as (select * from dim_territory where territory_type = ? and territory_code = ?),
parents as (
    select 'departement' as territory_type,
        coalesce(place.dept_code, (select territory_code from majority where territory_type = 'departement'))
            as territory_code, 1 as rank
    from place
    union all
    select 'region', coalesce(place.region_code, (select territory_code from majority where territory_type = 'region')),
        2
    from place
    union all
    select 'france', 'FR', 3
)
select parents.territory_type, parents.territory_code, coalesce(named.territory_name, parents.territory_code) as name
from parents
left join dim_territory as named using (territory_type, territory_code)
where parents.territory_code is not null
order by parents.rank
"""
# Which parents a territory type is compared with: none below itself (a région's note has no département column).
PARENT_TYPES = {"region": ("france",), "france": ()}


def note_figures(con, territory_type: str, territory_code: str, month: str) -> dict:
    """The figures of the note of `month` ("YYYY-MM", the edition's month) for a territory: its places, the eight
    series of each place, its sectors, the raw files behind them and the catalog of sources (see the module's
    docstring and tests/note_sample.py)."""
    if not isinstance(month, str) or not MONTH.fullmatch(month):
        raise ValueError(f"mois « {str(month)[:20]} » invalide : il s'écrit AAAA-MM, comme 2026-12")
    place = read.territory(con, territory_type, territory_code)
    if place is None:
        raise LookupError(f"territoire inconnu : {territory_spec(territory_type, territory_code)}")
    places = _places(con, place)
    loaded, _ = read.loaded_sources(con)
    series = _series(con, places, loaded)
    return {
        "format": FORMAT,
        "month": month,
        "territory": {key: places[0][key] for key in ("spec", "type", "code", "name")},
        "places": places,
        "series": series,
        "sectors": _sectors(con, place, series),
        "sources": records(con, """
            select source, publisher, title, period, sha256, demo from meta_sources
            order by source, period, sha256""", []),
        "catalog": [{key: row[key] for key in ("source", "publisher", "title", "url", "releases", "release_note",
                                               "published_in_period", "caveats")}
                    for row in read.source_catalog(con)],
    }


def _place(role: str, territory_type: str, territory_code: str, name: str) -> dict:
    return {"role": role, "spec": territory_spec(territory_type, territory_code), "type": territory_type,
            "code": territory_code, "name": name}


def _places(con, place: dict) -> list[dict]:
    """The territory, then its département, région and France (each once: one equal to the territory is left out)."""
    kind, code = place["territory_type"], place["territory_code"]
    found = [_place("territoire", kind, code, place["territory_name"])]
    wanted = PARENT_TYPES.get(kind, ("departement", "region", "france"))
    for parent in records(con, PARENTS, [kind, code, kind, code]):
        if parent["territory_type"] in wanted and (parent["territory_type"], parent["territory_code"]) != (kind, code):
            found.append(_place(parent["territory_type"], parent["territory_type"], parent["territory_code"],
                                parent["name"]))
    return found


def _series(con, places: list[dict], loaded: set[str]) -> list[dict]:
    """The eight series, each with its values per place and, for the places without one, the reason."""
    asked = []  # (series, place spec, unit, frequency, the rows' territory type and code)
    context = {}  # (series, place spec) -> spec of the place whose figures these are, when another's
    for series, _, unit, frequency in SERIES:
        for place in places:
            if series == "embauches":
                perimeter, _ = read.hires_perimeter(con, place["type"], place["code"])
            else:
                perimeter = (place["type"], place["code"]) if place["type"] in LEVELS.get(series, (place["type"],)) \
                    else None
            if perimeter is not None:
                asked.append((series, place["spec"], unit, frequency, *perimeter))
                if perimeter != (place["type"], place["code"]):
                    context[series, place["spec"]] = territory_spec(*perimeter)
    rows = records(con, ENTRIES, [list(column) for column in zip(*asked, strict=True)] if asked else [[]] * 6)
    found = {(row["series"], row["spec"]): row for row in rows}
    published = {(series, spec) for series, spec, *_ in asked}
    result = []
    for series, source, unit, frequency in SERIES:
        values, unavailable = {}, {}
        for place in places:
            row = found.get((series, place["spec"]))
            if row is not None:
                values[place["spec"]] = _entry(row, unit, context.get((series, place["spec"])))
            elif (series, place["spec"]) not in published:
                unavailable[place["spec"]] = "not_published_at_level"
            else:
                unavailable[place["spec"]] = "not_loaded" if source not in loaded else "no_data"
        result.append({"id": series, "source": source, "unit": unit, "frequency": frequency, "values": values,
                       "unavailable": unavailable})
    return result


def _number(value, unit: str):
    """A value as the JSON holds it: a whole count as an integer, anything else rounded."""
    if value is None:
        return None
    if unit == "count" and float(value).is_integer():
        return int(value)
    return round(float(value), DECIMALS)


def _entry(row: dict, unit: str, context_of: str | None) -> dict:
    entry = {key: row[key] for key in ("period", "previous_period", "change_previous", "year_ago_period",
                                       "change_1y", "demo")}
    entry |= {key: _number(row[key], unit) for key in ("value", "previous_value", "year_ago_value")}
    if row["by_zone"]:
        entry["zone"] = {"code": row["zone_code"], "name": row["zone_name"], "share": row["zone_share"],
                         "tied": bool(row["zone_tied"])}
    if row["basis"] is not None:
        entry["coverage"] = {"communes_with_data": row["communes_with_data"],
                             "territory_communes": row["territory_communes"], "basis": row["basis"]}
        entry["partial"] = bool(row["partial"])
    if row["apprentice_break"] is not None:
        entry["apprentice_break"] = bool(row["apprentice_break"])
    if row["difficult_share"] is not None:
        # A share without the secret cells' projects (not counted) is only a lower bound: said, never shown plain.
        entry["difficult_share"] = row["difficult_share"]
        entry["difficult_share_is_lower_bound"] = bool(row["difficult_share_is_lower_bound"])
    if context_of:
        entry["context_of"] = context_of
    return entry


def _rounded(value):
    return None if value is None else round(float(value), DECIMALS)


def _sectors(con, place: dict, series: list[dict]) -> list[dict]:
    """One line per sector (dim_sector order, 'ensemble' aside): BMO projects of the territory's latest survey
    year (the projets_bmo series' period), latest employment and tension."""
    kind, code = place["territory_type"], place["territory_code"]
    spec = territory_spec(kind, code)
    bmo = next(entry for entry in series if entry["id"] == "projets_bmo")["values"].get(spec)
    year = int(bmo["period"]) if bmo else None
    employment = {row["sector_code"]: row for row in read.latest_employment(con, kind, code)}
    tension = {row["sector_code"]: row for row in read.latest_tension(con, kind, code)}
    found = []
    for sector in read.sectors(con, kind, code, year):
        if sector["sector_code"] == "ensemble":
            continue
        jobs = employment.get(sector["sector_code"]) or {}
        tense = tension.get(sector["sector_code"]) or {}
        found.append({
            "sector_code": sector["sector_code"], "label": sector["label"],
            "bmo_year": year, "projects": sector["projects"], "difficult_share": _rounded(sector["difficult_share"]),
            "difficult_share_is_lower_bound": bool(sector["difficult_share_is_lower_bound"]),
            "secret_cells": sector["secret_cells"] or 0,
            "employment_year": jobs.get("year"), "employees": jobs.get("employees"),
            "employees_change_1y": _rounded(jobs.get("employees_change_1y")),
            "apprentice_break_1y": bool(jobs.get("apprentice_break_1y")),
            "employment_partial": bool(jobs) and jobs["basis"] == "communes"
            and communes_partial(jobs["communes_with_data"], place["commune_count"]),
            "tension_year": tense.get("year"), "tension_level": _rounded(tense.get("tension_level")),
            "metiers_in_tension": tense.get("metiers_in_tension"), "metiers": tense.get("metiers"),
            "demo": bool(sector["is_demo"] or jobs.get("is_demo") or tense.get("is_demo")),
        })
    return found


def figures_json(figures: dict) -> bytes:
    """The figures as frozen in an edition: the same figures give the same bytes."""
    return (json.dumps(figures, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
