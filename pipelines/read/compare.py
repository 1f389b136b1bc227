"""Two to six territories side by side (any levels): the rows behind the comparison table and its two series,
read from the marts. Numbers and flags only; pipelines/report/compare.py words them, the page and the command
line (`python -m pipelines compare`) both call `compare`.
"""

from dataclasses import dataclass, field

from pipelines.read import figures as read
from pipelines.read.marts import records
from pipelines.read.territories import territory_spec

MIN_PLACES, MAX_PLACES = 2, 6


def index_to_first_common_year(rows: list[dict], value: str = "employees") -> int | None:
    """Index each place's `value` to 100 in the first year every place with data has (row["index"]), in place;
    returns that base year (None when the places share no year). Rows: territory_type, territory_code, year,
    `value`. Sizes differ by orders of magnitude: trends compare, levels do not."""
    years_by_place: dict[tuple, set] = {}
    for row in rows:
        if row[value] is not None:
            years_by_place.setdefault((row["territory_type"], row["territory_code"]), set()).add(row["year"])
    common = set.intersection(*years_by_place.values()) if years_by_place else set()
    base_year = min(common) if common else None
    base = {(r["territory_type"], r["territory_code"]): r[value] for r in rows if r["year"] == base_year}
    for row in rows:
        start = base.get((row["territory_type"], row["territory_code"]))
        row["index"] = 100 * row[value] / start if start and row[value] is not None else None
        row["base_year"] = base_year
    return base_year


@dataclass
class Comparison:
    """The compared places in the order asked, and per place and sector the marts' rows (None where there are
    none): BMO for the survey year, the latest URSSAF employment and tension, the latest job seekers."""

    places: list[dict]  # spec, type, code, name (as published), commune_count, commune_zoning, is_demo
    sectors: list[dict]  # dim_sector rows in their order ('ensemble' last)
    year: int | None  # the BMO survey year of the table (the latest any BMO place has, unless asked)
    bmo: dict[str, dict[str, dict]] = field(default_factory=dict)  # spec -> sector -> row (None if no BMO)
    employment: dict[str, dict[str, dict]] = field(default_factory=dict)  # spec -> sector -> latest row
    tension: dict[str, dict[str, dict]] = field(default_factory=dict)  # spec -> sector -> latest row
    job_seekers: dict[str, dict[str, dict]] = field(default_factory=dict)  # spec -> category -> latest row
    coverage: dict[str, dict] = field(default_factory=dict)  # spec -> latest all-sector employment coverage
    employment_index: list[dict] = field(default_factory=list)  # spec, sector_code, year, employees, index
    base_years: dict[str, int | None] = field(default_factory=dict)  # sector -> base year of the index
    projects: list[dict] = field(default_factory=list)  # spec, sector_code, year, projects, secret_cells, breaks
    loaded: list[str] = field(default_factory=list)  # sources with files in the marts
    demo: bool = False  # the marts are built from the demo files


def check_count(places: list) -> None:
    """2 to 6 distinct places, or a ValueError saying how many were asked."""
    if not MIN_PLACES <= len(places) <= MAX_PLACES:
        raise ValueError(f"{len(places)} territoire{'s' if len(places) > 1 else ''} à comparer : il en faut de "
                         f"{MIN_PLACES} à {MAX_PLACES}")


def compare(con, places: list[tuple[str, str]], year: int | None = None) -> Comparison:
    """The comparison of `places` ((territory_type, territory_code), duplicates counted once). LookupError names
    every place the marts do not know, or a `year` that is no BMO year of theirs; ValueError when there are not
    2 to 6 of them."""
    places = list(dict.fromkeys(places))
    check_count(places)
    known = {place: read.territory(con, *place) for place in places}
    unknown = [territory_spec(*place) for place, row in known.items() if row is None]
    if unknown:
        raise LookupError(f"territoire{'s' if len(unknown) > 1 else ''} inconnu{'s' if len(unknown) > 1 else ''} : "
                          f"{', '.join(unknown)}")
    loaded, demo = read.loaded_sources(con)
    specs = {place: territory_spec(*place) for place in places}
    years = sorted({y for place in places for y in read.bmo_years(con, *place)})
    if year is not None and year not in years:
        raise LookupError(f"enquête BMO {year} absente pour ces territoires ; années disponibles : "
                         f"{', '.join(map(str, years)) or 'aucune'}")
    result = Comparison(
        places=[{"spec": specs[place], "type": place[0], "code": place[1], "name": known[place]["territory_name"],
                 "commune_count": known[place]["commune_count"], "commune_zoning": known[place]["commune_zoning"],
                 "is_demo": bool(known[place]["is_demo"])} for place in places],
        sectors=records(con, "select * from dim_sector order by sort_order", []),
        year=year if year is not None else (years[-1] if years else None), loaded=sorted(loaded), demo=demo)
    for place in places:
        spec = specs[place]
        bmo = read.sectors(con, *place, result.year) if result.year is not None else []
        result.bmo[spec] = {row["sector_code"]: row for row in bmo if row["projects"] is not None
                            or row["secret_cells"]}
        result.employment[spec] = {row["sector_code"]: row for row in read.latest_employment(con, *place)}
        result.tension[spec] = {row["sector_code"]: row for row in read.latest_tension(con, *place)}
        result.job_seekers[spec] = {row["category"]: row for row in read.latest_job_seekers(con, *place)}
    for row in read.employment_coverage(con, places):
        result.coverage[specs[(row["territory_type"], row["territory_code"])]] = row
    for sector in result.sectors:
        rows = read.employment_in_places(con, sector["sector_code"], places)
        result.base_years[sector["sector_code"]] = index_to_first_common_year(rows)
        result.employment_index += [{"spec": specs[(row["territory_type"], row["territory_code"])],
                                     "sector_code": sector["sector_code"], "year": row["year"],
                                     "employees": row["employees"], "index": row["index"]} for row in rows]
    result.projects = [{"spec": specs[(row["territory_type"], row["territory_code"])]} | row
                       for row in _projects_by_year(con, places)]
    return result


def _projects_by_year(con, places: list[tuple[str, str]]) -> list[dict]:
    """BMO projects of every sector by survey year in the places that have the survey."""
    condition = " or ".join("(territory_type = ? and territory_code = ?)" for _ in places)
    return records(con, f"""
        select territory_type, territory_code, sector_code, year, projects, secret_cells, nomenclature_break,
               zoning_break
        from fct_projects_by_territory_sector_year
        where {condition}
        order by year""", [value for place in places for value in place])
