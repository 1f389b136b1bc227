"""One sector in one territory: everything the "Zoom secteur" page, its workshop slides and its exports show.

One code path: the page, the slides, the offline HTML pack and the PDF all read `zoom()`, which reads the
marts (and `figures.key_figures` for the figures the overview shows too), so every output shows the same
numbers. Plain data only (dicts and lists): the charts are drawn by `pipelines.report.zoom_charts`.
"""

from dataclasses import dataclass, field

import duckdb

from pipelines.frformat import display_name, fmt_int
from pipelines.read import figures as read
from pipelines.read.compare import index_to_first_common_year
from pipelines.read.offers import offers_snapshot
from pipelines.read.skills import sector_skills
from pipelines.report import employers, figures
from pipelines.report.conventions import APPRENTICE_BREAK, DRIVER_LABELS
from pipelines.report.sentences import change_words, place_phrase

METIERS_SHOWN = 15


def comparison_places(con, territory_type: str, territory_code: str) -> list[dict]:
    """The territory, then its département, région and France when it lies in one of each: the places the
    zoom compares it with (sizes differ: charts index or use shares)."""
    place = read.territory(con, territory_type, territory_code)
    wanted = [(territory_type, territory_code)]
    if place and place["dept_code"] and territory_type not in ("departement", "region", "france"):
        wanted.append(("departement", place["dept_code"]))
    region = place["region_code"] if place else None
    if region is None and place and place["dept_code"]:
        region = (read.territory(con, "departement", place["dept_code"]) or {}).get("region_code")
    if region and territory_type not in ("region", "france"):
        wanted.append(("region", region))
    if territory_type != "france":
        wanted.append(("france", "FR"))
    places = []
    for kind, code in wanted:
        row = read.territory(con, kind, code)
        if row:
            places.append({"type": kind, "code": code, "name": display_name(row["territory_name"]),
                           "label": "France" if kind == "france" else
                           f"{figures.TERRITORY_LABELS[kind]} {display_name(row['territory_name'])}"})
    return places


def _keys(places: list[dict]) -> list[tuple[str, str]]:
    return [(place["type"], place["code"]) for place in places]


def _place_label(places: list[dict], row: dict) -> str:
    return next(p["label"] for p in places if (p["type"], p["code"]) == (row["territory_type"], row["territory_code"]))


@dataclass
class Zoom:
    """One sector of one territory: everything the "Zoom secteur" page, its workshop slides and its exports show.
    The figures under it are rows of the marts (dicts keyed by column name); headline cards and takeaways are
    worded in French here."""

    sector: dict  # sector_code, label, short_label, of_label, colour, parent_code, caveat_naf
    sectors: list[dict]  # every sector: code and label (the picker)
    territory: dict  # as KeyFigures.territory
    places: list[dict]  # the territory, then its département, région and France
    year: int | None
    years: list[int]
    unavailable: str | None
    demo_parts: list[str]
    not_loaded: dict[str, str]
    sources: dict[str, str]
    bmo: dict | None
    bmo_all: dict | None
    employment: dict | None
    tension: dict | None
    market: dict | None
    market_period: str | None
    perimeter: str = ""
    headline: list[dict] = field(default_factory=list)
    employment_series: list[dict] = field(default_factory=list)
    employment_partial: str | None = None  # set when the employment is a sum over part of the communes
    job_seekers_partial: str | None = None
    employment_comparison_notes: list[str] = field(default_factory=list)
    employment_comparison: list[dict] = field(default_factory=list)
    projects_series: list[dict] = field(default_factory=list)
    projects_comparison: list[dict] = field(default_factory=list)
    metiers: list[dict] = field(default_factory=list)
    tension_metiers: list[dict] = field(default_factory=list)
    market_series: list[dict] = field(default_factory=list)
    job_seekers_series: list[dict] = field(default_factory=list)
    # What employers expect (read.skills.sector_skills) and the latest offers online (read.offers.offers_snapshot,
    # None when no offer of the sector is loaded for the territory): worded by pipelines.report.employers.
    skills: dict = field(default_factory=dict)
    offers: dict | None = None
    takeaways: list[str] = field(default_factory=list)


def zoom(con: duckdb.DuckDBPyConnection, sector_code: str, territory_type: str, territory_code: str,
         year: int | None = None) -> Zoom:
    """The zoom on one sector of one territory (year: the BMO survey year, default the latest)."""
    base = figures.key_figures(con, territory_type, territory_code, year)
    by_code = {sector["sector_code"]: sector for sector in base.sectors}
    if sector_code not in by_code or sector_code == "ensemble":
        raise LookupError(f"secteur inconnu : {sector_code} ; secteurs : "
                          f"{', '.join(code for code in by_code if code != 'ensemble')}")
    sector, everything = by_code[sector_code], by_code["ensemble"]
    places = comparison_places(con, territory_type, territory_code)
    result = Zoom(
        sector={key: sector[key] for key in ("sector_code", "short_label", "of_label", "colour", "parent_code",
                                             "caveat_naf")} | {"label": figures.sector_name(sector)},
        sectors=[{"code": s["sector_code"], "label": figures.sector_name(s)} for s in base.sectors
                 if s["sector_code"] != "ensemble"],
        territory=base.territory,
        places=places,
        year=base.year,
        years=base.years,
        unavailable=base.unavailable,
        demo_parts=base.demo_parts,
        not_loaded=base.not_loaded,  # parts whose sources have no file: "non chargé" and how to load them
        sources={"bmo": figures.BMO_SOURCE, "employment": figures.URSSAF_SOURCE,
                 "tension": (sector["tension"] or {}).get("source") or figures.TENSION_SOURCE,
                 "market": base.market_source, "job_seekers": figures.JOB_SEEKERS_SOURCE},
        bmo=sector if base.year else None,
        bmo_all=everything if base.year else None,
        employment=sector["employment"],
        tension=sector["tension"],
        market=sector["market"] if not base.market_unavailable else None,
        market_period=base.market_period,
    )
    result.perimeter = figures.perimeter_label(base.territory)
    result.headline = _headline(result)
    result.employment_series = read.employment_series(con, sector_code, territory_type, territory_code)
    # Set when the territory's employment is a sum over part of its communes: its charts and tables say so.
    coverage = (sector["employment"] or {}).get("partial_coverage")
    result.employment_partial = figures.partial_sum_note(coverage) if coverage else None
    seekers = next(iter((base.job_seekers or {}).values()), {})
    result.job_seekers_partial = (figures.partial_sum_note(seekers["partial_coverage"])
                                     if seekers.get("partial_coverage") else None)
    compared, result.employment_comparison_notes = _comparable_places(con, places)
    result.employment_comparison = _employment_comparison(con, sector_code, compared)
    result.projects_series = read.projects_series(con, sector_code, territory_type, territory_code)
    result.projects_comparison = _projects_comparison(con, sector_code, places, base.year)
    result.metiers = ([{k: v for k, v in row.items() if k != "sector_code"} for row in read.top_metiers(
        con, territory_type, territory_code, base.year, METIERS_SHOWN, sector_code)] if base.year else [])
    result.tension_metiers = _tension_metiers(con, sector_code, territory_type, territory_code,
                                                 (sector["tension"] or {}).get("year"))
    result.market_series = (read.market_series(con, sector_code, territory_type, territory_code)
                               if result.market else [])
    result.job_seekers_series = read.job_seekers_series(con, territory_type, territory_code)
    result.skills = sector_skills(con, sector_code, (territory_type, territory_code))
    result.offers = offers_snapshot(con, territory_type, territory_code, sector_code)
    result.takeaways = takeaways(result)
    return result


def file_stem(zoomed: Zoom) -> str:
    """'zoom_btp_bassin-5314_2025': the stem of every file exported from this view (CSV, PNG, HTML, PDF)."""
    territory = zoomed.territory
    spec = territory["spec"].replace(":", "-")
    return "_".join(part for part in ("zoom", zoomed.sector["sector_code"], spec,
                                      str(zoomed.year) if zoomed.year else "") if part)


def _headline(zoomed: Zoom) -> list[dict]:
    """4 to 6 figures in large type; a figure a source lacks says why rather than showing 0."""
    sector, jobs, bmo, tension = zoomed.sector, zoomed.employment, zoomed.bmo, zoomed.tension
    cards = []
    if sector["caveat_naf"]:
        cards.append({"key": "employees", "label": "Salariés", "value": "non représentatif",
                      "detail": sector["caveat_naf"],
                      "source": f"Urssaf, fin {jobs['year']}" if jobs else "Urssaf (régime général)"})
    elif jobs and jobs["partial_coverage"]:
        # A sum over part of the territory's communes is not the territory's figure: the card says so instead.
        cards.append({"key": "employees", "label": f"Salariés fin {jobs['year']}", "value": "couverture partielle",
                      "detail": f"{jobs['partial_coverage']} dans les fichiers Urssaf chargés : pas de total pour ce "
                                "territoire (sommes partielles dans le bloc Emploi)",
                      "source": f"Urssaf, fin {jobs['year']}"})
    elif jobs:
        verb, change = change_words(jobs["employees_change_1y"])
        detail = figures.change_over(jobs["employees_change_1y"]) if change else "pas d'année précédente"
        if verb == "est stable":
            detail = f"stable sur un an ({change})"
        source = f"Urssaf, fin {jobs['year']}"
        cards.append({"key": "employees", "label": f"Salariés fin {jobs['year']}", "value": fmt_int(jobs["employees"]),
                      "detail": detail + (f" ; {APPRENTICE_BREAK}" if jobs["apprentice_break_1y"] else ""),
                      "source": source})
        cards.append({"key": "establishments", "label": "Établissements employeurs",
                      "value": fmt_int(jobs["establishments"]),
                      "detail": figures.change_over(jobs["establishments_change_1y"]), "source": source})
    if bmo:
        cards.append({"key": "projects", "label": f"Projets de recrutement {zoomed.year}",
                      "value": fmt_int(bmo["projects"], bmo["secret_cells"]), "detail": figures.change_label(bmo),
                      "source": f"BMO {zoomed.year}"})
        for key, label, measure in (("difficult", "Jugés difficiles", "difficult"),
                                    ("seasonal", "Saisonniers", "seasonal")):
            note = figures.share_secret_note(bmo, measure)  # a lower bound says so, with its secret cells
            cards.append({"key": key, "label": label, "value": figures.share_text(bmo, measure),
                          "detail": "des projets de recrutement" + (f" ; {note}" if note else ""),
                          "source": f"BMO {zoomed.year}"})
    if tension and tension["metiers"]:
        cards.append({"key": "tension", "label": "Tension",
                      "value": figures.level_of_five(tension["tension_level"]),
                      "detail": f"principal facteur : {tension['main_driver_label'] or 'n.d.'}",
                      "source": f"{tension['source']}, {tension['year']}"})
    return cards[:6]


def _comparable_places(con, places: list[dict]) -> tuple[list[dict], list[str]]:
    """The places whose employment compares with the territory's (the territory first), and notes.

    A département, région or France summed from the very communes of the territory (the files hold no
    other) would only repeat its figures under a larger name: left out, and said. A place summed from
    part of its communes keeps its coverage in a note."""
    coverage = {(row["territory_type"], row["territory_code"]): row
                for row in read.employment_coverage(con, _keys(places))}
    own = coverage.get((places[0]["type"], places[0]["code"]))
    kept, left_out, notes = places[:1], [], []
    for place in places:
        row = coverage.get((place["type"], place["code"]))
        if row is None:
            continue
        if row is not own and own and row["basis"] == "communes" \
                and row["communes_with_data"] == own["communes_with_data"]:
            left_out.append(place["label"])
            continue
        if row is not own:
            kept.append(place)
        partial = figures.partial_coverage(row, {"territory_communes": row["commune_count"]})
        if partial:
            notes.append(f"{place['label']} : {figures.PARTIAL_SUM}, {partial}.")
    if left_out:
        notes.insert(0, f"Pas de comparaison avec {', '.join(left_out)} : les fichiers Urssaf chargés n'y ont pas "
                        "d'autres communes que celles du territoire.")
    return kept, notes


def _employment_comparison(con, sector_code: str, places: list[dict]) -> list[dict]:
    """Employment of the sector in each place, indexed to 100 in the first year every place has, and its
    share of all employment: sizes differ by orders of magnitude, trends and shares compare."""
    rows = read.employment_in_places(con, sector_code, _keys(places))
    index_to_first_common_year(rows)
    for row in rows:
        row["place"] = _place_label(places, row)
    return rows


def _projects_comparison(con, sector_code: str, places: list[dict], year: int | None) -> list[dict]:
    """The sector's % difficult and % seasonal in each place, beside all sectors, for the survey year."""
    if year is None:
        return []
    rows = read.projects_in_places(con, sector_code, _keys(places), year)
    order = {(p["type"], p["code"]): i for i, p in enumerate(places)}
    for row in rows:
        row["place"] = _place_label(places, row)
    return sorted(rows, key=lambda r: (order[(r["territory_type"], r["territory_code"])],
                                       r["sector_code"] == "ensemble"))


def _tension_metiers(con, sector_code: str, territory_type: str, territory_code: str, year: int | None) -> list[dict]:
    """The sector's métiers with a tension class, highest first, with their six drivers (for the radar)."""
    if year is None:
        return []
    rows = read.tension_metiers(con, sector_code, territory_type, territory_code, year)
    for row in rows:
        row["main_driver_label"] = DRIVER_LABELS.get(row["main_driver"])
        # No label loaded (the DARES labels of FAP 2009 families come with the ROME ↔ FAP xls): say what the code is.
        row["metier_label"] = row["metier_label"] or (
            f"{'Métier ROME' if row['metier_nomenclature'] == 'rome' else 'Famille FAP'} {row['metier_code']}")
    return rows


def takeaways(zoomed: Zoom) -> list[str]:
    """Up to four sentences in French to read aloud: recruitment difficulty, employment trend, tension, and the
    share of offers open to beginners (when enough offers are loaded: employers.takeaway).

    The difficulty is compared one thing at a time: with all sectors of the same territory, and with the
    same sector in France (never all sectors in France, which would change both at once)."""
    sector, place = zoomed.sector, place_phrase(zoomed.territory)
    sentences = []
    bmo = zoomed.bmo
    if bmo and bmo["projects"] and bmo["difficult_share"] is not None:
        many = bmo["projects"] > 1
        note = figures.share_secret_note(bmo, "difficult")
        text = (f"{place}, {figures.share_text(bmo, 'difficult')} des {fmt_int(bmo['projects'])} projets de "
                f"recrutement {sector['of_label']} sont jugés difficiles en {zoomed.year}"
                + (f" ({note})" if note else "") if many else
                f"{place}, le seul projet de recrutement {sector['of_label']} est "
                f"{'jugé difficile' if bmo['difficult_share'] else 'jugé facile'} en {zoomed.year}")
        everything = zoomed.bmo_all
        alike = [f"{figures.share_text(everything, 'difficult')} tous secteurs confondus"
                 + ("" if zoomed.territory["type"] == "france" else " sur ce territoire")] \
            if everything and everything["difficult_share"] is not None else []
        alike += [f"{figures.share_text(row, 'difficult')} pour ce secteur en France"
                  for row in zoomed.projects_comparison if row["territory_type"] == "france"
                  and row["sector_code"] == sector["sector_code"] and row["difficult_share"] is not None
                  and zoomed.territory["type"] != "france"]
        if alike:
            text += ", contre " + " et ".join(alike)
        sentences.append(text + ".")
    jobs = zoomed.employment
    if sector["caveat_naf"]:
        sentences.append(f"L'emploi salarié {sector['of_label']} relève surtout de la MSA : les chiffres Urssaf ne le "
                         "représentent pas.")
    elif jobs and jobs["partial_coverage"]:
        sentences.append(f"{place if not sentences else 'Sur ce territoire'}, les fichiers Urssaf chargés n'ont qu'une "
                         f"partie des communes, {jobs['partial_coverage']} : pas de chiffre d'emploi salarié "
                         f"{sector['of_label']} à citer.")
    elif jobs and jobs["employees"] is not None:
        verb, change = change_words(jobs["employees_change_1y"])
        opening = f"{place if not sentences else 'Sur ce territoire'}, l'emploi salarié {sector['of_label']}"
        count = f"{fmt_int(jobs['employees'])} salariés fin {jobs['year']}"
        if not verb:
            sentences.append(f"{opening} compte {count}.")
        else:
            trend = (f"est stable sur un an ({change})" if verb == "est stable"
                     else f"{verb} {change.lstrip('+−')} en un an")
            sentences.append(f"{opening} {trend} : {count}"
                             + (f" ({APPRENTICE_BREAK})." if jobs["apprentice_break_1y"] else "."))
    tension = zoomed.tension
    market = zoomed.market
    if tension and tension["metiers"]:
        total, in_tension = tension["metiers"], tension["metiers_in_tension"]
        of_them = f"des {fmt_int(total)} métiers {sector['of_label']} suivis"
        if total == 1:
            text = (f"Le seul métier {sector['of_label']} suivi a une tension de "
                    f"{figures.level_text(tension['tension_level'])} sur 5")
        elif in_tension == 0:
            text = f"Aucun {of_them} n'est en tension (classe 4 ou 5)"
        elif in_tension == total:
            text = f"Les {fmt_int(total)} métiers {sector['of_label']} suivis sont tous en tension (classe 4 ou 5)"
        else:
            text = f"{fmt_int(in_tension)} {of_them} {'sont' if in_tension > 1 else 'est'} en tension (classe 4 ou 5)"
        sentences.append(f"{text} en {tension['year']}")
        sentences[-1] += (f" ; principal facteur : {tension['main_driver_label']}."
                          if tension["main_driver_label"] else ".")
    elif market and market["job_offers"] is not None and market["job_seekers_a"] is not None:
        sentences.append(f"Au {zoomed.market_period}, {fmt_int(market['job_offers'])} offres ont été enregistrées "
                         f"pour {fmt_int(market['job_seekers_a'])} demandeurs d'emploi de catégorie A dans les métiers "
                         f"{sector['of_label']}.")
    sentences = sentences[:3]
    beginners = employers.takeaway(zoomed.offers, "Sur ce territoire" if sentences else place, sector["of_label"])
    return sentences + ([beginners] if beginners else [])
