"""The charts of a zoom, as data: what each chart draws, once, for every renderer.

A `Chart` holds its categories, series, titles, source line and notes. `to_plotly` draws it for the page,
the workshop slides and the offline HTML pack; `pipelines.report.export_pdf` draws the same Chart for the PDF;
`Chart.table()` is exactly what is drawn, for "voir les données" and the CSV download.
"""

import math
import textwrap
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from pipelines.frformat import MISSING, SECRET, fmt_decimal, fmt_int, fmt_pct
from pipelines.report import employers, figures
from pipelines.report.conventions import APPRENTICE_BREAK_MARK, DRIVER_AXES, PALETTE  # noqa: F401 (re-exported)
from pipelines.report.safe_text import plotly_text
from pipelines.report.zoom import Zoom

# Okabe-Ito, safe for colour-blind readers (the sector's own colour comes first where it makes sense).
FONT_FAMILY = "Source Sans Pro, Arial, sans-serif"
APPRENTICE_BREAK = 2023


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
    # Sums over part of the territory's communes: never drawn as the territory's curve nor put on a slide, shown
    # only as a table labelled as partial sums (issue 9).
    partial: bool = False

    def unit_of(self, series: Series) -> str:
        return series.unit or self.unit

    def table(self) -> pd.DataFrame:
        """Exactly what is drawn: one row per category, one column per series."""
        data = {self.category_title: self.categories}
        for series in self.series:
            data[series.name] = series.values
        return pd.DataFrame(data)


def zoom_charts(zoomed: Zoom) -> list[Chart]:
    """Every chart of a zoom, in page order; charts without data are left out."""
    sector, place = zoomed.sector, zoomed.perimeter
    colour = sector["colour"]
    charts = []
    jobs = zoomed.employment_series
    if jobs and not sector["caveat_naf"]:
        years = [row["year"] for row in jobs]
        last = years[-1]
        apprentices = [f"Les apprentis sont comptés à partir de {APPRENTICE_BREAK} (rupture de série)."] \
            if years[0] < APPRENTICE_BREAK <= last else []
        # A sum over part of the territory's communes says so in its title, its series (the CSV) and its notes.
        partial = zoomed.employment_partial
        partial_label = f" ({figures.PARTIAL_SUM})" if partial else ""
        for key, column, name in (("emploi", "employees", "Salariés"),
                                  ("etablissements", "establishments", "Établissements employeurs")):
            charts.append(Chart(
                key, f"{sector['label']} : {name.lower()}, {years[0]}–{last}{partial_label}", "line", "Année", name,
                "count", years, [Series(name + partial_label, [row[column] for row in jobs], colour)],
                f"Source : Urssaf, fin d'année · {place}", ([partial] if partial else []) + apprentices,
                APPRENTICE_BREAK if apprentices else None, partial=bool(partial)))
        comparison = zoomed.employment_comparison
        present = {row["place"] for row in comparison}
        places = [p["label"] for p in zoomed.places if p["label"] in present]  # the territory first
        if len(places) > 1:
            all_years = sorted({row["year"] for row in comparison if row["index"] is not None})
            base_year = comparison[0]["base_year"]
            compared_source = f"Source : Urssaf, fin d'année · {', '.join(places)}"
            compared_notes = zoomed.employment_comparison_notes

            def values(place_name, key):
                by_year = {row["year"]: row[key] for row in comparison if row["place"] == place_name}
                return [by_year.get(year) for year in all_years]

            charts.append(Chart(
                "emploi-comparaison",
                f"Évolution de l'emploi salarié {sector['of_label']} (base 100 en {base_year}){partial_label}",
                "line", "Année", f"Indice, base 100 en {base_year}", "index", all_years,
                [Series(name, values(name, "index"), PALETTE[i % len(PALETTE)]) for i, name in enumerate(places)],
                compared_source, compared_notes + apprentices, APPRENTICE_BREAK if apprentices else None,
                partial=bool(partial)))
            charts.append(Chart(
                "part-emploi", f"Part {sector['of_label']} dans l'emploi salarié{partial_label}", "line", "Année",
                "Part de l'emploi salarié", "share", all_years,
                [Series(name, values(name, "share_of_employment"), PALETTE[i % len(PALETTE)])
                 for i, name in enumerate(places)],
                compared_source, compared_notes, partial=bool(partial)))
    projects = zoomed.projects_series
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
    compared = zoomed.projects_comparison
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
            "difficultes", f"Projets jugés difficiles et saisonniers, {zoomed.year}", "grouped_bar", "Territoire",
            "Part des projets de recrutement", "share", labels, series,
            f"Source : France Travail, enquête BMO {zoomed.year}", _share_rule(compared)))
    metiers = [row for row in zoomed.metiers if row["projects"] is not None]
    if metiers:
        charts.append(Chart(
            "metiers", f"{sector['label']} : métiers les plus recherchés, {zoomed.year}", "barh", "Métier",
            "Projets de recrutement", "count", [row["metier_label"] for row in metiers],
            [Series("Projets de recrutement", [row["projects"] for row in metiers], colour,
                    [f"{fmt_int(row['projects'])} · {figures.share_text(row, 'difficult')}"
                     " difficiles" for row in metiers]),
             Series("Part jugée difficile", [row["difficult_share"] for row in metiers], colour,
                    [figures.share_text(row, "difficult") for row in metiers], "share"),
             Series("Part saisonnière", [row["seasonal_share"] for row in metiers], colour,
                    [figures.share_text(row, "seasonal") for row in metiers], "share")],
            f"Source : France Travail, enquête BMO {zoomed.year} · {place}", _share_rule(metiers)))
    tension = zoomed.tension_metiers
    if tension:
        year = zoomed.tension["year"]
        charts.append(Chart(
            "tension", f"Métiers {sector['of_label']} : niveau de tension, {year}", "barh", "Métier",
            "Classe de tension (1 faible à 5 très forte)", "class", [row["metier_label"] for row in tension],
            [Series("Classe de tension", [row["tension_class"] for row in tension], colour,
                    [f"{row['tension_class']} / 5 · {row['main_driver_label'] or 'n.d.'}" for row in tension]),
             Series("Principal facteur", [row["main_driver_label"] for row in tension], colour, None)],
            f"Source : {zoomed.tension['source']}, {year} · {place}"))
    open_metiers = [row for row in (zoomed.offers or {}).get("metiers", []) if row["beginner_offers"]]
    if len(open_metiers) > 1:  # one bar would only repeat the block's figure
        partial = employers.partial_coverage(zoomed.offers)  # offers in part of the territory only: said so
        partial_label = f" ({figures.PARTIAL_SUM})" if partial else ""
        charts.append(Chart(
            "debutants", f"Métiers {sector['of_label']} : offres ouvertes aux débutants{partial_label}", "barh",
            "Métier", "Offres ouvertes aux débutants", "count",
            [row["rome_label"] or row["rome_code"] for row in open_metiers],
            [Series("Offres ouvertes aux débutants" + partial_label, [row["beginner_offers"] for row in open_metiers],
                    colour,
                    [f"{fmt_int(row['beginner_offers'])} sur {fmt_int(row['offers'])} offres" for row in open_metiers]),
             Series("Offres chargées" + partial_label, [row["offers"] for row in open_metiers], colour, None)],
            employers.offers_source(zoomed.offers, place),
            ["Les métiers dont au moins une offre est ouverte aux débutants, par nombre de ces offres.",
             *([partial] if partial else [])], partial=bool(partial)))
    market = zoomed.market_series
    if market:
        charts.append(Chart(
            "marche", f"Métiers {sector['of_label']} : offres et demandeurs d'emploi par trimestre", "line",
            "Trimestre", "Nombre", "count", [row["quarter"] for row in market],
            [Series("Offres enregistrées", [row["job_offers"] for row in market], colour),
             Series("Demandeurs d'emploi (A)", [row["job_seekers_a"] for row in market], PALETTE[0]),
             Series("Demandeurs d'emploi (A, B, C)", [row["job_seekers_abc"] for row in market], PALETTE[5])],
            f"Source : France Travail, API Marché du travail · {place}"))
    seekers = zoomed.job_seekers_series
    if not market and seekers:
        # No offers and job seekers by métier here (the API is read per bassin): the territory's job seekers,
        # all métiers (Dares, residents), as context for the sector.
        quarters = list(dict.fromkeys(row["quarter"] for row in seekers))
        by_key = {(row["quarter"], row["category"]): row["job_seekers"] for row in seekers}
        categories = [c for c in ("A", "ABC") if any(row["category"] == c for row in seekers)]
        names = {"A": "Demandeurs d'emploi (A)", "ABC": "Demandeurs d'emploi (A, B, C)"}
        partial = zoomed.job_seekers_partial  # a sum over part of the territory's communes says so
        partial_label = f" ({figures.PARTIAL_SUM})" if partial else ""
        # Dares publishes the communes' job seekers for fourth quarters only: the title says which quarter.
        when = "au 4e trimestre de chaque année" if all(q.startswith("T4") for q in quarters) else "par trimestre"
        charts.append(Chart(
            "demandeurs", f"Demandeurs d'emploi du territoire, tous métiers, {when}{partial_label}", "line",
            "Trimestre", "Nombre", "count", quarters,
            [Series(names[c] + partial_label, [by_key.get((q, c)) for q in quarters], PALETTE[0 if c == "A" else 5])
             for c in categories],
            f"Source : {zoomed.sources['job_seekers']} · {place} · "
            + figures.coverage_label(seekers[-1]["communes_with_data"], zoomed.territory["territory_communes"]),
            ([partial] if partial else [])
            + ["Tous métiers : les demandeurs d'emploi par métier du secteur ne sont pas disponibles "
               + ("pour ce secteur sur ce bassin (pas de chiffre de l'API Marché du travail chargé pour ses métiers)."
                  if zoomed.territory["type"] == "bassin_bmo" else
                  "pour ce territoire (l'API Marché du travail est lue par bassin d'emploi BMO).")],
            partial=bool(partial)))
    return charts


def _share_rule(rows: list[dict]) -> list[str]:
    """The note saying what « au moins » means, when a share drawn is a lower bound (secret cells)."""
    lower = any(row.get(f"{m}_share_is_lower_bound") for row in rows for m in ("difficult", "seasonal"))
    return [figures.SHARE_RULE + "."] if lower else []


def radar(zoomed: Zoom, metier_code: str) -> Chart | None:
    """The six tension drivers of one métier (classes 1 to 5), the DARES portraits' radar."""
    row = next((r for r in zoomed.tension_metiers if r["metier_code"] == metier_code), None)
    if row is None:
        return None
    return Chart(
        f"radar-{metier_code}", f"{row['metier_label']} : facteurs de tension", "radar", "Facteur", "Classe (1 à 5)",
        "class", list(DRIVER_AXES.values()),
        [Series(row["metier_label"], [row[key] for key in DRIVER_AXES], zoomed.sector["colour"])],
        f"Source : {row['source']}, {zoomed.tension['year']} · {zoomed.perimeter}",
        ["Classe non publiée : point absent, pas 0."])


def shown_table(chart: Chart) -> pd.DataFrame:
    """chart.table() as read on a screen (the page's "Voir les données", the offline pack): French number formats,
    "s" for a secret cell, "n.d." for a gap, and a share that is a lower bound said so ("au moins 6,6 %")."""
    table = chart.table()
    table[chart.category_title] = [str(c) for c in chart.categories]
    for series in chart.series:
        labels = series.labels or [None] * len(series.values)
        table[series.name] = [label if str(label).startswith(figures.LOWER_BOUND) else
                              value_text(v, chart.unit_of(series), label)
                              for v, label in zip(series.values, labels, strict=True)]
    return table


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


def upright_labels(chart: Chart, drawn: list[Series]) -> bool:
    """Many bars side by side leave each label less width than it needs: it stands upright above its bar."""
    return chart.kind == "grouped_bar" and len(drawn) * len(chart.categories) > 8


def bar_text(label: str) -> str:
    """A value label above a vertical bar, where three bars share a few centimetres: 'au moins 58,9 %' is
    written '≥ 58,9 %' (the chart's note says what it means)."""
    return str(label).replace(f"{figures.LOWER_BOUND} ", "≥\u202f")


def label_lines(label, width: int, max_lines: int | None = None) -> list[str]:
    """A label on lines of at most `width` characters; beyond `max_lines` lines the last one ends with "…" (the
    full label is in the chart's table). For plotly (wrap_label) and the PDF."""
    lines = textwrap.wrap(str(label), width, break_on_hyphens=False) or [str(label)]
    if max_lines and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][:width - 1].rstrip(" ,;:") + "…"
    return lines


def wrap_label(label, width: int = 32, max_lines: int | None = None) -> str:
    """A label escaped for plotly, on several lines (plotly line breaks)."""
    return "<br>".join(plotly_text(line) for line in label_lines(label, width, max_lines))


# Type in CSS px. A slide ("large") is read from the back of a room at 1280 × 720: nothing under 18 px there.
SIZES = {False: {"text": 16, "title": 20, "bars": 16}, True: {"text": 22, "title": 28, "bars": 20}}
MIN_WIDTH = {False: 760, True: 1180}  # the narrowest chart to plan for: the page at 1280 px, a 1280-px slide
CHAR = 0.56  # width of an average character, in font sizes (Arial/Source Sans, generous): estimates only
BARH_SLOT = {False: 50, True: 44}  # px per bar of a horizontal bar chart, at least


def text_px(text: str, size: float) -> float:
    """An estimate of the width of one line of text in px, generous (plan margins with it, not layouts)."""
    return len(str(text)) * size * CHAR


def _lines(wrapped: str) -> int:
    return wrapped.count("<br>") + 1


def legend_rows(names: list[str], size: float, width: float) -> int:
    """How many rows a horizontal legend takes in `width` px (symbol and gap included)."""
    rows, used = 1, 0.0
    for name in names:
        entry = text_px(name, size) + 50
        if used and used + entry > width:
            rows, used = rows + 1, 0.0
        used += entry
    return rows


def to_plotly(chart: Chart, large: bool = False) -> go.Figure:
    """The chart in plotly: French separators, colour-blind-safe colours, large type on a projector.

    The layout is planned so that no text covers another: the title at the top (wrapped to the width; none on a
    slide, which writes it), the legend between the title and the plot (the top margin holds both), axis titles
    only where they are horizontal on a slide (the chart's title says what a vertical axis counts), room on the
    right for the labels of bars."""
    sizes, width = SIZES[large], MIN_WIDTH[large]
    size = sizes["text"]
    figure = go.Figure()
    factor = 100 if chart.unit == "share" else 1  # shares drawn in %, with a French " %" suffix
    suffix = "\u202f%" if chart.unit == "share" else ""
    drawn = [s for s in chart.series if any(v is not None and not isinstance(v, str) for v in s.values)] \
        or chart.series[:1]
    margin = dict(l=10, r=10, b=10)
    if chart.kind == "line":
        for series in drawn:
            figure.add_scatter(x=[plotly_text(c) if isinstance(c, str) else c for c in chart.categories],
                               y=[None if v is None else v * factor for v in series.values],
                               name=plotly_text(series.name), mode="lines+markers",
                               line=dict(color=series.colour, width=4 if large else 3), connectgaps=False,
                               hovertemplate="%{x} : %{y:,.1f}" + suffix + "<extra>%{fullData.name}</extra>")
    elif chart.kind in ("bar", "grouped_bar"):
        for series in drawn:
            figure.add_bar(x=[wrap_label(c, 16) for c in chart.categories],
                           y=[None if v is None else v * factor for v in series.values],
                           name=plotly_text(series.name), marker_color=series.colour,
                           text=[plotly_text(bar_text(t)) for t in series.labels] if series.labels else None,
                           textangle=-90 if upright_labels(chart, drawn) else 0,
                           textposition="outside", cliponaxis=False, constraintext="none",
                           textfont=dict(size=size))
        figure.update_xaxes(tickangle=0)
    elif chart.kind == "barh":
        series = chart.series[0]
        # A slide has room for two lines a bar (then "…"); the page grows with its longest name.
        labels = [wrap_label(category, 40, 2) if large else wrap_label(category) for category in chart.categories]
        texts = [plotly_text(t) for t in series.labels] if series.labels else None
        figure.add_bar(y=labels, x=series.values, orientation="h", name=plotly_text(series.name),
                       marker_color=series.colour, text=texts, textposition="outside", cliponaxis=False,
                       constraintext="none", textfont=dict(size=sizes["bars"]))
        # Long métier names wrapped on up to two or three lines; the bar's label goes in the right margin.
        margin["r"] = 20 + max((text_px(t, sizes["bars"]) for t in series.labels or []), default=0)
        figure.update_yaxes(autorange="reversed", tickfont=dict(size=sizes["bars"]))
        slot = max(BARH_SLOT[large], max(_lines(label) for label in labels) * sizes["bars"] * 1.3 + 12)
    elif chart.kind == "radar":
        series = chart.series[0]
        axes = [wrap_label(c, 16) for c in chart.categories]
        figure.add_scatterpolar(r=series.values + series.values[:1], theta=axes + axes[:1],
                                fill="toself", name=plotly_text(series.name), line=dict(color=series.colour, width=3))
        figure.update_polars(radialaxis=dict(range=[0, 5], tickvals=[1, 2, 3, 4, 5]),
                             angularaxis=dict(tickfont=dict(size=size)))
        margin["l"] = margin["r"] = 30 + max(text_px(line, size) for c in chart.categories
                                                 for line in textwrap.wrap(c, 16))
        polar_room = max(_lines(axis) for axis in axes) * size * 1.3 + 10  # labels above and below the circle
        margin["b"] = round(polar_room)
    if chart.break_at is not None:
        figure.add_vline(x=chart.break_at - 0.5, line=dict(color="#555555", dash="dash"),
                         annotation_text=APPRENTICE_BREAK_MARK, annotation_position="top left")
    value_axis = dict(title=plotly_text(chart.value_title), ticksuffix=suffix,
                      tickformat=",.1~f" if chart.unit == "share" else ",")
    if chart.unit == "class":  # the tension scale, whatever the classes shown: 1 to 5
        value_axis |= dict(range=[0, 5], tickvals=[1, 2, 3, 4, 5], tickformat="d")
    if chart.kind in ("bar", "grouped_bar"):  # room above the tallest bar for its label, below the legend
        tallest = max((v * factor for s in drawn for v in s.values if v is not None), default=0)
        if tallest > 0:
            value_axis["range"] = [0, tallest * (1.45 if upright_labels(chart, drawn) else 1.18)]
    if chart.kind == "barh":
        longest = max((v for v in chart.series[0].values if v is not None), default=0)
        figure.update_xaxes(**({"range": [0, longest]} if longest > 0 else {}) | value_axis)
    elif chart.kind != "radar":
        if large:  # a vertical title would run along the whole axis, up into the chart's title
            value_axis["title"] = None
        # A share's axis starts at 0 (a cut axis makes 0.1 point look like a swing); an index's around 100.
        zero = chart.kind != "line" or chart.unit == "share"
        figure.update_yaxes(**value_axis, rangemode="tozero" if zero else "normal")
        figure.update_xaxes(title=None if large else plotly_text(chart.category_title),
                            type="category" if chart.kind != "line" else None)
    # A slide writes the chart's title itself, above the chart (HTML wraps a long title; plotly places a title of
    # several lines above its own box).
    title = "" if large else wrap_label(chart.title, int(width / (sizes["title"] * CHAR)))
    legend = len(drawn) > 1 and chart.kind in ("line", "bar", "grouped_bar")
    rows = legend_rows([s.name for s in drawn], size, width) if legend else 0
    # plotly lifts a title of several lines above its anchor: pushed down by one font size per extra line.
    lifted = (_lines(title) - 1) * sizes["title"]
    margin["t"] = round(12 + lifted + (_lines(title) * sizes["title"] * 1.3 if title else 0) + rows * size * 1.6
                        + (10 if legend else 0) + (polar_room if chart.kind == "radar" else 0))
    height = (720 if large else 420) if chart.kind != "barh" else \
        max(420, round(margin["t"] + 100 + slot * len(chart.categories)))
    figure.update_layout(
        title=dict(text=title, font=dict(size=sizes["title"]), x=0, xanchor="left", y=1, yref="container",
                   yanchor="top", pad=dict(t=10 + lifted)),
        font=dict(family=FONT_FAMILY, size=size, color="#111111"),
        separators=",\u202f",
        height=height,
        margin=margin,
        showlegend=legend,
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0, font=dict(size=size)),
        plot_bgcolor="white",
        barmode="group",
        bargap=0.15 if chart.kind == "grouped_bar" else None,
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


# plotly.js ships English only: the French words of its modebar and dates. The offline pack registers them
# before any chart; the pages give them in each chart's config (plotly's `locales`).
PLOTLY_FR = {
    "moduleType": "locale", "name": "fr",
    "dictionary": {
        "Autoscale": "Échelle automatique", "Box Select": "Sélection rectangulaire",
        "Click to enter Colorscale title": "Cliquez pour entrer le titre de l'échelle",
        "Compare data on hover": "Comparer les données en survol",
        "Double-click on legend to isolate one trace": "Double-cliquez sur la légende pour isoler une série",
        "Double-click to zoom back out": "Double-cliquez pour dézoomer",
        "Download plot": "Télécharger le graphique", "Download plot as a png": "Télécharger le graphique en PNG",
        "Download plot as a PNG": "Télécharger le graphique en PNG",
        "Lasso Select": "Sélection lasso", "Orbital rotation": "Rotation orbitale", "Pan": "Translation",
        "Produced with Plotly.js": "Réalisé avec Plotly.js", "Reset": "Réinitialiser",
        "Reset axes": "Réinitialiser les axes", "Reset view": "Réinitialiser la vue",
        "Show closest data on hover": "Afficher la donnée la plus proche en survol",
        "Snapshot succeeded": "Image créée", "Taking snapshot - this may take a few seconds":
            "Création de l'image, cela peut prendre quelques secondes",
        "Toggle Spike Lines": "Afficher/masquer les lignes de repère", "Zoom": "Zoom", "Zoom in": "Zoom avant",
        "Zoom out": "Zoom arrière", "close:": "fermeture :", "high:": "haut :", "low:": "bas :", "open:": "ouverture :",
        "trace": "série",
    },
    "format": {
        "days": ["Dimanche", "Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi"],
        "shortDays": ["Dim", "Lun", "Mar", "Mer", "Jeu", "Ven", "Sam"],
        "months": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                   "octobre", "novembre", "décembre"],
        "shortMonths": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
                        "déc."],
        "date": "%d/%m/%Y", "decimal": ",", "thousands": "\u202f",
    },
}

PLOTLY_CONFIG = {"displaylogo": False, "locale": "fr",
                 "locales": {"fr": {key: PLOTLY_FR[key] for key in ("dictionary", "format")}}}


def plotly_config(file_stem: str) -> dict:
    """French tooltips and buttons; the modebar's camera button downloads a PNG at projector resolution
    (1920 × 1080), in the browser."""
    return PLOTLY_CONFIG | {"toImageButtonOptions": {**PNG_EXPORT, "filename": file_stem}}

