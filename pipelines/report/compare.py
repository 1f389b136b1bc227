"""The comparison of 2 to 6 territories in French: one table of key figures per sector (for the screen and for a
spreadsheet), the employment index and the BMO projects by year as charts (zoom_charts.Chart, drawn like the
zoom's). Flags as the overview says them: "s" for a secret count, "au moins" for a share biased by secret
cells, a sum over part of a territory's communes never shown as its figure ("couverture partielle").
"""

import math
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from pipelines.frformat import MISSING, display_name, fmt_change, fmt_int
from pipelines.read.compare import Comparison
from pipelines.report import figures, zoom_charts
from pipelines.report.conventions import APPRENTICE_BREAK, PALETTE
from pipelines.report.downloads import CONVENTIONS, MINIMUM, cell
from pipelines.report.safe_text import plotly_text
from pipelines.report.zoom_charts import APPRENTICE_BREAK as APPRENTICE_YEAR
from pipelines.report.zoom_charts import Chart, Series

NO_SURVEY = "sans objet"  # BMO is published by bassin (and sums): not for a ZE, an EPCI, a commune, a list
NOT_LOADED = "non chargé"
NOT_REPRESENTATIVE = "non représentatif"
NO_EMPLOYER = "aucun établissement"  # the territory has URSSAF figures, but no employer of the sector
# Sources of each part: a part with none loaded says "non chargé" (figures.PART_SOURCES).
PARTS = figures.PART_SOURCES


def place_label(place: dict) -> str:
    """A compared place as a column header: 'Rennes (bassin:5314)', unique by its spec; 'France'."""
    return "France" if place["type"] == "france" else f"{display_name(place['name'])} ({place['spec']})"


def place_title(place: dict) -> str:
    """'Bassin d'emploi BMO Rennes (5314)', as the other pages name a territory."""
    return figures.perimeter_label({"type": place["type"], "code": place["code"],
                                    "name": display_name(place["name"]),
                                    "type_label": figures.TERRITORY_LABELS[place["type"]]})


def partial(data: Comparison, place: dict, row: dict | None) -> str | None:
    """'couverture partielle (…)' when `row` sums part of the place's communes (figures.partial_coverage)."""
    return figures.partial_coverage(row, {"territory_communes": place["commune_count"]})


def _loaded(data: Comparison, part: str) -> bool:
    return bool(set(PARTS[part]) & set(data.loaded))


@dataclass
class Line:
    """One row of the table: a sector, an indicator, and per place (in order) its text and its spreadsheet cell."""
    sector: str
    indicator: str
    shown: list[str]
    cells: list


def _bmo_lines(data: Comparison, sector: dict) -> list[Line]:
    code = sector["sector_code"]
    projects, difficult, minimum = [], [], []
    for place in data.places:
        row = data.bmo[place["spec"]].get(code)
        if place["type"] not in figures.BMO_TERRITORY_TYPES:
            texts = (NO_SURVEY, NO_SURVEY)
        elif not _loaded(data, "bmo"):
            texts = (NOT_LOADED, NOT_LOADED)
        elif row is None:
            texts = (MISSING, MISSING)
        else:
            projects.append((fmt_int(row["projects"], row["secret_cells"]),
                             cell(row["projects"], "count", bool(row["secret_cells"]))))
            difficult.append((figures.share_text(row, "difficult"),
                              cell(row["difficult_share"], "share", bool(row["difficult_secret_cells"]))))
            lower = "oui" if row["difficult_share_is_lower_bound"] else "non"
            minimum.append((lower, lower))
            continue
        projects.append(texts)
        difficult.append(texts)
        minimum.append(texts)
    label = sector["label"]
    lines = [Line(label, f"Projets de recrutement {data.year} (BMO)", *zip(*projects, strict=True)),
             Line(label, "Part jugée difficile (%)", *zip(*difficult, strict=True))]
    if any(text == "oui" for text, _ in minimum):
        lines.append(Line(label, "Part jugée difficile" + MINIMUM, *zip(*minimum, strict=True)))
    return lines


def employment_year(data: Comparison) -> int | None:
    return max((row["year"] for rows in data.employment.values() for row in rows.values()), default=None)


def _employment_lines(data: Comparison, sector: dict) -> list[Line]:
    code, year = sector["sector_code"], employment_year(data)
    when = f"fin {year}" if year else "en fin d'année"  # none of the places has a figure: no year to name
    measures = (("employees", "count", f"Salariés {when} (Urssaf)"),
                ("employees_change_1y", "share", "Évolution des salariés sur un an (%)"),
                ("establishments", "count", f"Établissements employeurs {when} (Urssaf)"))
    columns = {measure: [] for measure, _, _ in measures}
    for place in data.places:
        row = data.employment[place["spec"]].get(code)
        flag = (NOT_REPRESENTATIVE if sector["caveat_naf"] else NOT_LOADED if not _loaded(data, "employment")
                else MISSING if not data.employment[place["spec"]]
                else NO_EMPLOYER if row is None else partial(data, place, row))
        for measure, unit, _ in measures:
            if flag:
                columns[measure].append((flag, flag))
                continue
            value = row[measure]
            text = fmt_change(value) if unit == "share" else fmt_int(value)
            if row["year"] != year:  # the latest year this place has, said when it is not the table's
                text += f" (fin {row['year']})"
            if measure == "employees_change_1y" and row["apprentice_break_1y"]:
                text += f" ({APPRENTICE_BREAK})"
            columns[measure].append((text, cell(value, unit)))
    return [Line(sector["label"], label, *zip(*columns[measure], strict=True)) for measure, _, label in measures]


def _tension_line(data: Comparison, sector: dict) -> Line:
    values = []
    for place in data.places:
        row = data.tension[place["spec"]].get(sector["sector_code"])
        if not _loaded(data, "tension"):
            values.append((NOT_LOADED, NOT_LOADED))
        elif row is None or not row["metiers"] or row["tension_level"] is None:
            values.append((MISSING, MISSING))
        else:  # two decimals: 26 métiers at 5 and one at 4 never read as the maximum
            values.append((f"{figures.level_of_five(row['tension_level'])} ({row['year']})",
                           figures.level_text(row["tension_level"])))
    return Line(sector["label"], "Tension (niveau de 1 à 5)", *zip(*values, strict=True))


def _job_seekers_lines(data: Comparison) -> list[Line]:
    lines = []
    for category, label in (("A", "catégorie A"), ("ABC", "catégories A, B, C")):
        values, quarters = [], set()
        for place in data.places:
            row = data.job_seekers[place["spec"]].get(category)
            flag = (NOT_LOADED if not _loaded(data, "job_seekers") else MISSING if row is None
                    else partial(data, place, row))
            if flag:
                values.append((flag, flag))
                continue
            quarters.add(row["quarter"])
            values.append((fmt_int(row["job_seekers"]), cell(row["job_seekers"], "count")))
        when = f", {', '.join(sorted(quarters))}" if quarters else ""
        lines.append(Line("Tous métiers", f"Demandeurs d'emploi, {label}{when} (Dares)", *zip(*values, strict=True)))
    return lines


def lines(data: Comparison) -> list[Line]:
    """Every row of the comparison table, sector by sector ('Tous secteurs' last), then job seekers."""
    found = []
    for sector in data.sectors:
        if data.year is not None:
            found += _bmo_lines(data, sector)
        found += _employment_lines(data, sector)
        found.append(_tension_line(data, sector))
    return found + _job_seekers_lines(data)


def _frame(data: Comparison, found: list[Line], shown: bool) -> pd.DataFrame:
    table = {"Secteur": [line.sector for line in found], "Indicateur": [line.indicator for line in found]}
    for i, place in enumerate(data.places):
        table[place_label(place)] = [line.shown[i] if shown else line.cells[i] for line in found]
    return pd.DataFrame(table)


def table(data: Comparison) -> pd.DataFrame:
    """The table for a spreadsheet (CSV, XLSX): numbers as numbers (shares in %), flags as text."""
    return _frame(data, lines(data), shown=False)


def shown_table(data: Comparison) -> pd.DataFrame:
    """The same table as read on a screen or a terminal: French number formats."""
    return _frame(data, lines(data), shown=True)


def notes(data: Comparison) -> list[str]:
    """What the table's readers need to read it: sources and periods, the conventions of its flags."""
    found = []
    if data.year is not None:
        found.append(f"{figures.BMO_SOURCE}, {data.year} ; {NO_SURVEY} : l'enquête BMO est publiée par bassin "
                     "d'emploi BMO (et leurs sommes : département, région, France), pas pour une zone d'emploi, "
                     "un EPCI, une commune ni une liste de communes.")
        found.append(f"Sommes des cellules publiées : {figures.SHARE_RULE}.")
    if year := employment_year(data):
        found.append(f"{figures.URSSAF_SOURCE}, fin {year} ; couverture partielle : somme des seules communes "
                     "chargées, pas le total du territoire.")
    found.append(f"{figures.TENSION_SOURCE} : moyenne des classes de tension de 1 (peu tendu) à 5 (très tendu) des "
                 "métiers du secteur, année entre parenthèses.")
    found.append(f"{figures.JOB_SEEKERS_SOURCE}.")
    return found


def about(data: Comparison, title: str, extracted: str) -> dict[str, str]:
    """The "Source" sheet of the table's XLSX."""
    return {"Titre": title, "Territoires": " ; ".join(place_title(place) for place in data.places),
            "Période": f"BMO {data.year}" if data.year else MISSING, "Extrait le": extracted,
            "Notes": " ".join(notes(data)), "Conventions": CONVENTIONS}


def _series_places(data: Comparison, spec_rows: dict[str, dict]) -> list[dict]:
    return [place for place in data.places if place["spec"] in spec_rows]


def employment_chart(data: Comparison, sector_code: str) -> Chart | None:
    """Salaried employment of the sector in each place, indexed to 100 in the first year they all have (None when
    the sector's employment is not representative or there is none). A sum over part of a place's communes is
    said in its series' name and in a note; the chart is only a table when every series is such a sum."""
    sector = next(s for s in data.sectors if s["sector_code"] == sector_code)
    rows = [row for row in data.employment_index if row["sector_code"] == sector_code and row["index"] is not None]
    base = data.base_years.get(sector_code)
    if sector["caveat_naf"] or not rows or base is None:
        return None
    years = sorted({row["year"] for row in rows})
    by_place: dict[str, dict] = {}
    for row in rows:
        by_place.setdefault(row["spec"], {})[row["year"]] = row["index"]
    places = _series_places(data, by_place)
    partial_notes, series = [], []
    for i, place in enumerate(places):
        coverage = partial(data, place, data.coverage.get(place["spec"]))
        name = place_label(place) + (f" ({figures.PARTIAL_SUM})" if coverage else "")
        if coverage:
            partial_notes.append(f"{place_label(place)} : {figures.PARTIAL_SUM}, {coverage}.")
        series.append(Series(name, [by_place[place["spec"]].get(year) for year in years], PALETTE[i % len(PALETTE)]))
    apprentices = [f"Les apprentis sont comptés à partir de {APPRENTICE_YEAR} (rupture de série)."] \
        if years[0] < APPRENTICE_YEAR <= years[-1] else []
    every_partial = len(partial_notes) == len(places)
    title = (f"Emploi salarié {sector['of_label']}, indice base 100 en {base}"
             + (f" ({figures.PARTIAL_SUM})" if every_partial else ""))
    return Chart("comparer-emploi", title, "line", "Année", f"Indice, base 100 en {base}", "index", years, series,
                 f"Source : Urssaf, fin d'année · {', '.join(place_label(place) for place in places)}",
                 partial_notes + apprentices, APPRENTICE_YEAR if apprentices else None, partial=every_partial)


def projects_chart(data: Comparison, sector_code: str) -> Chart | None:
    """BMO projects of the sector by survey year in each place that has the survey (None when none has)."""
    sector = next(s for s in data.sectors if s["sector_code"] == sector_code)
    rows = [row for row in data.projects if row["sector_code"] == sector_code]
    if not rows:
        return None
    years = sorted({row["year"] for row in rows})
    by_place: dict[str, dict] = {}
    for row in rows:
        by_place.setdefault(row["spec"], {})[row["year"]] = row
    places = _series_places(data, by_place)
    series = []
    for i, place in enumerate(places):
        cells = [by_place[place["spec"]].get(year) for year in years]
        series.append(Series(place_label(place), [row["projects"] if row else None for row in cells],
                             PALETTE[i % len(PALETTE)],
                             [fmt_int(row["projects"], row["secret_cells"]) if row else MISSING for row in cells]))
    breaks = any(row["nomenclature_break"] or row["zoning_break"] for row in rows)
    left_out = [place_label(place) for place in data.places if place not in places]
    # One survey year: bars side by side, each labelled (a line of one point per place reads as nothing).
    kind = "line" if len(years) > 1 else "grouped_bar"
    return Chart("comparer-bmo", f"Projets de recrutement {sector['of_label']} par année (BMO)", kind, "Année",
                 "Projets de recrutement", "count", years, series,
                 f"Source : France Travail, enquête BMO · {', '.join(place_label(place) for place in places)}",
                 ["Sommes des cellules publiées : les cellules sous secret (« s ») ne sont pas comptées."]
                 + (["Changement de nomenclature des métiers ou de zonage entre deux années : non comparables."]
                    if breaks else [])
                 + ([f"Sans enquête BMO (publiée par bassin) : {', '.join(left_out)}."] if left_out else []))


# The legend of up to six places in two columns of half the chart each: plotly puts the entries of a legend that
# does not fit on one row in columns as wide as its longest entry, one a row for long names, over the title.
LEGEND_COLUMNS = 2
LEGEND_CHARS = int((zoom_charts.MIN_WIDTH[False] / LEGEND_COLUMNS - 50) / (zoom_charts.SIZES[False]["text"]
                                                                          * zoom_charts.CHAR))


def figure(chart: Chart) -> go.Figure:
    """The chart drawn as the zoom draws it (zoom_charts.to_plotly), with years as whole numbers on the axis and
    a legend of several places that fits between the title and the plot."""
    drawn = zoom_charts.to_plotly(chart)
    if chart.kind == "line":  # two survey years must not read 2024, 2024.2, 2024.4…
        drawn.update_xaxes(tickformat="d", dtick=1 if len(chart.categories) <= 12 else None)
    names = [trace.name for trace in drawn.data]
    size = zoom_charts.SIZES[False]["text"]
    if not drawn.layout.showlegend or zoom_charts.legend_rows(names, size, zoom_charts.MIN_WIDTH[False]) == 1:
        return drawn
    series = {plotly_text(s.name): s.name for s in chart.series}
    wrapped = [zoom_charts.wrap_label(series.get(name, name), LEGEND_CHARS) for name in names]
    for trace, name in zip(drawn.data, wrapped, strict=True):
        trace.name = name
    rows = [wrapped[i:i + LEGEND_COLUMNS] for i in range(0, len(wrapped), LEGEND_COLUMNS)]
    height = sum(size * 1.6 + (max(name.count("<br>") for name in row)) * size * 1.3 for row in rows)
    planned = zoom_charts.legend_rows(names, size, zoom_charts.MIN_WIDTH[False]) * size * 1.6
    drawn.update_layout(legend=dict(entrywidth=1 / LEGEND_COLUMNS, entrywidthmode="fraction"),
                        margin=dict(t=math.ceil(drawn.layout.margin.t - planned + height)))
    return drawn
