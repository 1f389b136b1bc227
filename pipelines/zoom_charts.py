"""The charts of a zoom, as data: what each chart draws, once, for every renderer.

A `Chart` holds its categories, series, titles, source line and notes. `to_plotly` draws it for the page,
the workshop slides and the offline HTML pack; `pipelines.export_pdf` draws the same Chart for the PDF;
`Chart.table()` is exactly what is drawn, for "voir les données" and the CSV download.
"""

import math
import textwrap
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from pipelines import figures
from pipelines.frformat import MISSING, SECRET, fmt_decimal, fmt_int, fmt_pct

# Okabe-Ito, safe for colour-blind readers (the sector's own colour comes first where it makes sense).
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
FONT_FAMILY = "Source Sans Pro, Arial, sans-serif"
APPRENTICE_BREAK = 2023
DRIVER_AXES = {  # radar axes, in the order the DARES portraits draw them
    "labour_shortage": "Manque de main-d'œuvre", "hiring_intensity": "Intensité d'embauches",
    "working_conditions": "Conditions de travail", "job_instability": "Non-durabilité de l'emploi",
    "training_link": "Lien formation-emploi", "geographic_mismatch": "Inadéquation géographique",
}


@dataclass
class Series:
    name: str
    values: list  # one per category; None = not published (drawn as a gap, never 0)
    colour: str
    labels: list[str] | None = None  # formatted values shown on the chart ("s" for secrets)
    unit: str | None = None  # when it differs from its chart's (the métiers' shares beside their counts)


@dataclass
class Chart:
    key: str  # stable identifier: file names, Streamlit keys, slide anchors
    title: str
    kind: str  # "line" | "bar" | "barh" | "grouped_bar" | "radar"
    category_title: str
    value_title: str
    unit: str  # "count" | "share" | "index" | "class"
    categories: list
    series: list[Series]
    source: str  # source, period and perimeter, shown under the chart
    notes: list[str] = field(default_factory=list)
    break_at: object = None  # a category where the series breaks (the 2023 apprentices), drawn as a line

    def unit_of(self, series: Series) -> str:
        return series.unit or self.unit

    def table(self) -> pd.DataFrame:
        """Exactly what is drawn: one row per category, one column per series."""
        data = {self.category_title: self.categories}
        for series in self.series:
            data[series.name] = series.values
        return pd.DataFrame(data)


def zoom_charts(zoomed: dict) -> list[Chart]:
    """Every chart of a zoom, in page order; charts without data are left out."""
    sector, place = zoomed["sector"], zoomed["perimeter"]
    colour = sector["colour"]
    charts = []
    jobs = zoomed["employment_series"]
    if jobs and not sector["caveat_naf"]:
        years = [row["year"] for row in jobs]
        last = years[-1]
        apprentices = [f"Les apprentis sont comptés à partir de {APPRENTICE_BREAK} (rupture de série)."] \
            if years[0] < APPRENTICE_BREAK <= last else []
        # A sum over part of the territory's communes says so in its title, its series (the CSV) and its notes.
        partial = zoomed.get("employment_partial")
        partial_label = f" ({figures.PARTIAL_SUM})" if partial else ""
        for key, column, name in (("emploi", "employees", "Salariés"),
                                  ("etablissements", "establishments", "Établissements employeurs")):
            charts.append(Chart(
                key, f"{sector['label']} : {name.lower()}, {years[0]}–{last}{partial_label}", "line", "Année", name,
                "count", years, [Series(name + partial_label, [row[column] for row in jobs], colour)],
                f"Source : Urssaf, fin d'année · {place}", ([partial] if partial else []) + apprentices,
                APPRENTICE_BREAK if apprentices else None))
        comparison = zoomed["employment_comparison"]
        present = {row["place"] for row in comparison}
        places = [p["label"] for p in zoomed["places"] if p["label"] in present]  # the territory first
        if len(places) > 1:
            all_years = sorted({row["year"] for row in comparison if row["index"] is not None})
            base_year = comparison[0]["base_year"]
            compared_source = f"Source : Urssaf, fin d'année · {', '.join(places)}"
            compared_notes = zoomed["employment_comparison_notes"]

            def values(place_name, key):
                by_year = {row["year"]: row[key] for row in comparison if row["place"] == place_name}
                return [by_year.get(year) for year in all_years]

            charts.append(Chart(
                "emploi-comparaison",
                f"Évolution de l'emploi salarié {sector['of_label']} (base 100 en {base_year}){partial_label}",
                "line", "Année", f"Indice, base 100 en {base_year}", "index", all_years,
                [Series(name, values(name, "index"), PALETTE[i % len(PALETTE)]) for i, name in enumerate(places)],
                compared_source, compared_notes + apprentices, APPRENTICE_BREAK if apprentices else None))
            charts.append(Chart(
                "part-emploi", f"Part {sector['of_label']} dans l'emploi salarié{partial_label}", "line", "Année",
                "Part de l'emploi salarié", "share", all_years,
                [Series(name, values(name, "share_of_employment"), PALETTE[i % len(PALETTE)])
                 for i, name in enumerate(places)],
                compared_source, compared_notes))
    projects = zoomed["projects_series"]
    if projects:
        charts.append(Chart(
            "recrutements", f"{sector['label']} : projets de recrutement par année", "bar", "Année",
            "Projets de recrutement", "count", [row["year"] for row in projects],
            [Series("Projets de recrutement", [row["projects"] for row in projects], colour,
                    [fmt_int(row["projects"], row["secret_cells"]) for row in projects])],
            f"Source : France Travail, enquête BMO · {place}",
            ["Sommes des cellules publiées : les cellules sous secret (« s ») ne sont pas comptées."]
            + (["Changement de nomenclature des métiers ou de zonage entre deux années : non comparables."]
               if any(row["nomenclature_break"] or row["zoning_break"] for row in projects) else [])))
    compared = zoomed["projects_comparison"]
    if compared:
        labels = list(dict.fromkeys(row["place"] for row in compared))
        rows = {(row["place"], row["sector_code"]): row for row in compared}
        series = []
        for i, (name, key, code) in enumerate((
                (f"Difficiles ({sector['short_label']})", "difficult_share", sector["sector_code"]),
                ("Difficiles (tous secteurs)", "difficult_share", "ensemble"),
                (f"Saisonniers ({sector['short_label']})", "seasonal_share", sector["sector_code"]))):
            cells = [rows.get((label, code)) for label in labels]
            series.append(Series(name, [cell[key] if cell else None for cell in cells],
                                 [colour, "#999999", PALETTE[0]][i],
                                 [figures.share_text(cell, key.removesuffix("_share")) if cell else "n.d."
                                  for cell in cells]))
        charts.append(Chart(
            "difficultes", f"Projets jugés difficiles et saisonniers, {zoomed['year']}", "grouped_bar", "Territoire",
            "Part des projets de recrutement", "share", labels, series,
            f"Source : France Travail, enquête BMO {zoomed['year']}", _share_rule(compared)))
    metiers = [row for row in zoomed["metiers"] if row["projects"] is not None]
    if metiers:
        charts.append(Chart(
            "metiers", f"{sector['label']} : métiers les plus recherchés, {zoomed['year']}", "barh", "Métier",
            "Projets de recrutement", "count", [row["metier_label"] for row in metiers],
            [Series("Projets de recrutement", [row["projects"] for row in metiers], colour,
                    [f"{fmt_int(row['projects'])} · {figures.share_text(row, 'difficult')}"
                     " difficiles" for row in metiers]),
             Series("Part jugée difficile", [row["difficult_share"] for row in metiers], colour,
                    [figures.share_text(row, "difficult") for row in metiers], "share"),
             Series("Part saisonnière", [row["seasonal_share"] for row in metiers], colour,
                    [figures.share_text(row, "seasonal") for row in metiers], "share")],
            f"Source : France Travail, enquête BMO {zoomed['year']} · {place}", _share_rule(metiers)))
    tension = zoomed["tension_metiers"]
    if tension:
        year = zoomed["tension"]["year"]
        charts.append(Chart(
            "tension", f"Métiers {sector['of_label']} : niveau de tension, {year}", "barh", "Métier",
            "Classe de tension (1 faible à 5 très forte)", "class", [row["metier_label"] for row in tension],
            [Series("Classe de tension", [row["tension_class"] for row in tension], colour,
                    [f"{row['tension_class']} / 5 · {row['main_driver_label'] or 'n.d.'}" for row in tension]),
             Series("Principal facteur", [row["main_driver_label"] for row in tension], colour, None)],
            f"Source : {zoomed['tension']['source']}, {year} · {place}"))
    market = zoomed["market_series"]
    if market:
        charts.append(Chart(
            "marche", f"Métiers {sector['of_label']} : offres et demandeurs d'emploi par trimestre", "line",
            "Trimestre", "Nombre", "count", [row["quarter"] for row in market],
            [Series("Offres enregistrées", [row["job_offers"] for row in market], colour),
             Series("Demandeurs d'emploi (A)", [row["job_seekers_a"] for row in market], PALETTE[0]),
             Series("Demandeurs d'emploi (A, B, C)", [row["job_seekers_abc"] for row in market], PALETTE[5])],
            f"Source : France Travail, API Marché du travail · {place}"))
    seekers = zoomed["job_seekers_series"]
    if not market and seekers:
        # No offers and job seekers by métier here (the API is read per bassin): the territory's job seekers,
        # all métiers (Dares, residents), as context for the sector.
        quarters = list(dict.fromkeys(row["quarter"] for row in seekers))
        by_key = {(row["quarter"], row["category"]): row["job_seekers"] for row in seekers}
        categories = [c for c in ("A", "ABC") if any(row["category"] == c for row in seekers)]
        names = {"A": "Demandeurs d'emploi (A)", "ABC": "Demandeurs d'emploi (A, B, C)"}
        partial = zoomed.get("job_seekers_partial")  # a sum over part of the territory's communes says so
        partial_label = f" ({figures.PARTIAL_SUM})" if partial else ""
        charts.append(Chart(
            "demandeurs", f"Demandeurs d'emploi du territoire, tous métiers, par trimestre{partial_label}", "line",
            "Trimestre", "Nombre", "count", quarters,
            [Series(names[c] + partial_label, [by_key.get((q, c)) for q in quarters], PALETTE[0 if c == "A" else 5])
             for c in categories],
            f"Source : {zoomed['sources']['job_seekers']} · {place} · "
            + figures.coverage_label(seekers[-1]["communes_with_data"], zoomed["territory"]["territory_communes"]),
            ([partial] if partial else [])
            + ["Tous métiers : les demandeurs d'emploi par métier du secteur ne sont pas disponibles "
               + ("pour ce secteur sur ce bassin (pas de chiffre de l'API Marché du travail chargé pour ses métiers)."
                  if zoomed["territory"]["type"] == "bassin_bmo" else
                  "pour ce territoire (l'API Marché du travail est lue par bassin d'emploi BMO).")]))
    return charts


def _share_rule(rows: list[dict]) -> list[str]:
    """The note saying what « au moins » means, when a share drawn is a lower bound (secret cells)."""
    lower = any(row.get(f"{m}_share_is_lower_bound") for row in rows for m in ("difficult", "seasonal"))
    return [figures.SHARE_RULE + "."] if lower else []


def radar(zoomed: dict, metier_code: str) -> Chart | None:
    """The six tension drivers of one métier (classes 1 to 5), the DARES portraits' radar."""
    row = next((r for r in zoomed["tension_metiers"] if r["metier_code"] == metier_code), None)
    if row is None:
        return None
    return Chart(
        f"radar-{metier_code}", f"{row['metier_label']} : facteurs de tension", "radar", "Facteur", "Classe (1 à 5)",
        "class", list(DRIVER_AXES.values()),
        [Series(row["metier_label"], [row[key] for key in DRIVER_AXES], zoomed["sector"]["colour"])],
        f"Source : {row['source']}, {zoomed['tension']['year']} · {zoomed['perimeter']}",
        ["Classe non publiée : point absent, pas 0."])


def value_text(value, unit: str, label: str | None = None) -> str:
    """A value of a chart in French, as its data table shows it (page, HTML pack, PDF): '3 291', '79,7 %',
    '104,2'; a missing value is 's' when its label says secret, else 'n.d.', never 0."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return SECRET if label == SECRET else MISSING
    if isinstance(value, str):
        return value
    if unit == "share":
        return fmt_pct(value)
    if unit == "index" or (unit == "class" and not float(value).is_integer()):
        return fmt_decimal(value)
    return fmt_int(value)


def wrap_label(label, width: int = 32) -> str:
    """A long category label on several lines (plotly line breaks), for horizontal bars."""
    return "<br>".join(textwrap.wrap(str(label), width)) or str(label)


def to_plotly(chart: Chart, large: bool = False) -> go.Figure:
    """The chart in plotly: French separators, colour-blind-safe colours, large type on a projector."""
    size = 26 if large else 16
    figure = go.Figure()
    factor = 100 if chart.unit == "share" else 1  # shares drawn in %, with a French " %" suffix
    suffix = "\u202f%" if chart.unit == "share" else ""
    if chart.kind == "line":
        for series in chart.series:
            figure.add_scatter(x=chart.categories, y=[None if v is None else v * factor for v in series.values],
                               name=series.name, mode="lines+markers",
                               line=dict(color=series.colour, width=4 if large else 3), connectgaps=False,
                               hovertemplate="%{x} : %{y:,.1f}" + suffix + "<extra>" + series.name + "</extra>")
    elif chart.kind in ("bar", "grouped_bar"):
        for series in chart.series:
            figure.add_bar(x=chart.categories, y=[None if v is None else v * factor for v in series.values],
                           name=series.name, marker_color=series.colour, text=series.labels,
                           textposition="outside", cliponaxis=False)
    elif chart.kind == "barh":
        series = chart.series[0]
        # Long métier names wrapped on two or three lines: on a laptop-wide page they left the bars no room.
        figure.add_bar(y=[wrap_label(category) for category in chart.categories], x=series.values,
                       orientation="h", name=series.name, marker_color=series.colour, text=series.labels,
                       textposition="outside", cliponaxis=False)
        figure.update_yaxes(autorange="reversed")
    elif chart.kind == "radar":
        series = chart.series[0]
        figure.add_scatterpolar(r=series.values + series.values[:1], theta=chart.categories + chart.categories[:1],
                                fill="toself", name=series.name, line=dict(color=series.colour, width=3))
        figure.update_polars(radialaxis=dict(range=[0, 5], dtick=1))
    if chart.break_at is not None:
        figure.add_vline(x=chart.break_at - 0.5, line=dict(color="#555555", dash="dash"),
                         annotation_text="apprentis comptés", annotation_position="top left")
    value_axis = dict(title=chart.value_title, ticksuffix=suffix, tickformat=",.1~f" if chart.unit == "share" else ",")
    if chart.kind in ("bar", "grouped_bar"):  # room above the tallest bar for its label, below the legend
        tallest = max((v * factor for s in chart.series for v in s.values if v is not None), default=0)
        if tallest > 0:
            value_axis["range"] = [0, tallest * 1.15]
    if chart.kind == "barh":  # room right of the longest bar for its label
        longest = max((v for v in chart.series[0].values if v is not None), default=0)
        figure.update_xaxes(**value_axis, **({"range": [0, longest * 1.6]} if longest > 0 else {}))
    elif chart.kind != "radar":
        figure.update_yaxes(**value_axis, rangemode="tozero" if chart.kind != "line" else "normal")
        figure.update_xaxes(title=chart.category_title, type="category" if chart.kind != "line" else None)
    figure.update_layout(
        title=dict(text=chart.title, font=dict(size=size + 4), x=0, xanchor="left"),
        font=dict(family=FONT_FAMILY, size=size, color="#111111"),
        separators=",\u202f",
        height=(720 if large else 420) if chart.kind != "barh" else max(420, 120 + (70 if large else 50) * len(
            chart.categories)),
        margin=dict(l=10, r=10, t=80 if large else 60, b=10),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0),
        plot_bgcolor="white",
        barmode="group",
    )
    figure.update_xaxes(gridcolor="#e5e5e5", automargin=True, linecolor="#444444")
    figure.update_yaxes(gridcolor="#e5e5e5", automargin=True, linecolor="#444444")
    return figure


# The employment charts share one place on the page, one at a time (a sector switch redraws every chart
# shown: fewer charts, faster switch); the slides and exports show them all.
EMPLOYMENT_VIEWS = {"emploi": "Salariés", "etablissements": "Établissements", "emploi-comparaison": "Comparaison",
                    "part-emploi": "Part de l'emploi"}


def page_chart_count(charts: list[Chart]) -> int:
    """How many charts the zoom page draws at first: one employment chart of those available, the others, and
    the radar of one métier beside the tension chart."""
    employment = sum(chart.key in EMPLOYMENT_VIEWS for chart in charts)
    return len(charts) - max(employment - 1, 0) + any(chart.key == "tension" for chart in charts)


PNG_EXPORT = {"format": "png", "width": 1920, "height": 1080, "scale": 1}  # projector resolution


def plotly_config(file_stem: str) -> dict:
    """The modebar's camera button downloads a PNG at projector resolution (1920 × 1080), in the browser."""
    return {"displaylogo": False, "locale": "fr", "toImageButtonOptions": {**PNG_EXPORT, "filename": file_stem}}

