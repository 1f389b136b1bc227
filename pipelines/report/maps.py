"""The choropleth map of one indicator at one territory level: plotly's geo map, drawn from the shapes alone.

No tile server, no basemap: the figure holds its own GeoJSON (pipelines/read/geometry.shapes), so it draws offline.
Plotly.js still asks its CDN for a world topojson whenever a choropleth is drawn (plotly.js issue 6767); pass
PLOTLY_CONFIG to the chart (st.plotly_chart(figure, config=PLOTLY_CONFIG)) so that it reads an empty one instead.
"""

import json
import math

import pandas as pd
import plotly.graph_objects as go

from pipelines.frformat import fmt_count, plural
from pipelines.read.geometry import Shapes
from pipelines.report.safe_text import plotly_text
from pipelines.report.zoom_charts import label_lines

GREY = "#c8c8c8"  # a territory drawn without a value: secret or not published
OUTLINE = "#111111"  # the highlighted territory's outline
COLOURS = "Blues"
SHOWN_NAMES = 5  # territories named in a note before "…"
# The notes under the map: 13 px, lines of at most NOTE_CHARS characters, so that they fit the page's column at
# 1280 px (about 800 px wide: 13 px × 0.56 × 100 characters ≈ 730 px); NOTE_LINE px per line of bottom margin.
NOTE_SIZE, NOTE_CHARS, NOTE_LINE = 13, 100, 19
DEMO_NOTE = "Contours fictifs de démonstration : ni les formes ni les positions ne sont réelles"
# plotly.js fetches topojsonURL + "world_110m.json": a data: URL ending in "#" makes that name a fragment, so the
# browser reads this empty topology without a request (the map draws no base layer from it).
EMPTY_TOPOLOGY = {"type": "Topology", "objects": {}, "arcs": []}
PLOTLY_CONFIG = {"topojsonURL": "data:application/json," + json.dumps(EMPTY_TOPOLOGY, separators=(",", ":")) + "#"}


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def _named(names: list[str]) -> str:
    shown = ", ".join(names[:SHOWN_NAMES])
    return shown + (f"… (+{len(names) - SHOWN_NAMES})" if len(names) > SHOWN_NAMES else "")


def _only(shapes: Shapes, codes) -> dict:
    """The FeatureCollection of `codes` only: each trace carries its own features, so that the figure (sent whole
    to the browser) holds each shape once, not once per trace."""
    wanted = set(codes)
    return {"type": "FeatureCollection", "features": [f for f in shapes.geojson["features"] if f["id"] in wanted]}


def _outline(shapes: Shapes, code: str) -> go.Choropleth:
    return go.Choropleth(geojson=_only(shapes, [code]), locations=[code], z=[0], featureidkey="id",
                         colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], showscale=False,
                         marker=dict(line=dict(color=OUTLINE, width=2.5)), hoverinfo="skip", name="")


def notes(shapes: Shapes, table: pd.DataFrame, highlight: str | None) -> list[str]:
    """What the map says under it, in French: fictitious geometry, grey territories, territories not drawn."""
    said, codes = [], shapes.codes
    if not codes:
        said.append("Aucun contour pour ce niveau : importez un fichier de contours des communes (GeoJSON, "
                    "source geo_communes), puis relancez la construction des marts")
    if shapes.is_demo:
        said.append(DEMO_NOTE)
    names = dict(zip(table["territory_code"], table["territory_name"], strict=True))
    drawn = table[table["territory_code"].isin(codes)]
    grey = [code for code, value in zip(drawn["territory_code"], drawn["value"], strict=True) if _missing(value)]
    if grey:
        said.append(f"En gris : valeur secrète (« s ») ou non disponible ({len(grey)} territoire"
                    f"{'s' if len(grey) > 1 else ''})")
    absent = [names[code] for code in table["territory_code"] if code not in codes]
    if absent and codes:
        said.append(f"Sans contour, non dessinés : {_named(absent)}")
    partial = [code for code in drawn["territory_code"] if code in shapes.partial]
    if partial:
        without = sum(shapes.partial[code] for code in partial)
        said.append(f"Dessinés en partie ({fmt_count(without, 'commune')} sans contour) : "
                    f"{_named([names[code] for code in partial])}")
    if highlight and highlight not in codes:
        said.append(f"{names.get(highlight, highlight)} n'a pas de contour : non souligné sur la carte")
    if shapes.unmatched_communes:
        said.append(f"{shapes.unmatched_communes} commune{'s' if shapes.unmatched_communes > 1 else ''} du fichier "
                    "de contours hors des zonages chargés et sans fusion connue")
    if shapes.holes:
        said.append(f"{fmt_count(shapes.holes, 'commune')} du fichier de contours hors de tout territoire de ce niveau "
                    f"(zonages chargés) : {plural(shapes.holes, 'un trou blanc', 'des trous blancs')} sur la carte ; "
                    "souvent des communes fusionnées depuis l'année des contours (le fichier v_mvt_commune_AAAA.csv "
                    "d'Insee les rattache à leur commune nouvelle), ou, pour les EPCI, des communes sans "
                    "intercommunalité (îles)")
    year = f"géographie {shapes.geography_year}" if shapes.geography_year else "année de géographie non indiquée"
    merged = f", {shapes.merged_communes} ancienne(s) commune(s) rattachée(s) à leur commune nouvelle" \
        if shapes.merged_communes else ""
    said.append(f"Contours : {year}{merged}")
    return said


def colour_ticks(values: list[float]) -> dict:
    """The colour bar's ticks: a scale of one value (one territory, or all alike) shows that value alone, and whole
    numbers close together a step of 1, where plotly would write 2.5 projects or 0.2 steps around a lone value."""
    distinct = sorted(set(values))
    if len(distinct) == 1:
        return dict(tickmode="array", tickvals=distinct)
    if distinct and all(value.is_integer() for value in distinct) and distinct[-1] - distinct[0] < 10:
        return dict(tickmode="linear", tick0=0, dtick=1)
    return {}


def choropleth(shapes: Shapes, table: pd.DataFrame, highlight: str | None, title: str | None,
               value_label: str) -> go.Figure:
    """A choropleth of `table` (territory_code, territory_name, value, value_text: the value as the page writes
    it) on `shapes`; `highlight` (a territory code, or None) outlined. Territories with no value are grey, those
    without shape are named in the note under the map; names from files are escaped for plotly. `title` None: no
    title in the figure (a page that writes it above the chart)."""
    codes = shapes.codes
    drawn = table[table["territory_code"].isin(codes)]
    missing = drawn["value"].map(_missing).astype(bool)
    valued, grey = drawn[~missing], drawn[missing]
    label = plotly_text(value_label)

    def hover(rows: pd.DataFrame) -> list[str]:
        return [f"<b>{plotly_text(name)}</b><br>{label} : {plotly_text(text)}"
                for name, text in zip(rows["territory_name"], rows["value_text"], strict=True)]

    values = [float(value) for value in valued["value"]]
    figure = go.Figure()
    figure.add_trace(go.Choropleth(
        geojson=_only(shapes, valued["territory_code"]), featureidkey="id", locations=list(valued["territory_code"]),
        z=values, text=hover(valued), hoverinfo="text",
        colorscale=COLOURS, marker=dict(line=dict(color="white", width=0.5)), name=label,
        colorbar=dict(title=dict(text=label), thickness=14, exponentformat="none", separatethousands=True,
                      **colour_ticks(values))))
    if len(grey):
        figure.add_trace(go.Choropleth(
            geojson=_only(shapes, grey["territory_code"]), featureidkey="id", locations=list(grey["territory_code"]),
            z=[0] * len(grey),
            text=hover(grey), hoverinfo="text", colorscale=[[0, GREY], [1, GREY]], showscale=False,
            marker=dict(line=dict(color="white", width=0.5)), name="Secret ou non disponible", showlegend=True))
    if highlight and highlight in codes:
        figure.add_trace(_outline(shapes, highlight))
    lines = [line for note in notes(shapes, table, highlight) for line in label_lines(note, NOTE_CHARS)]
    note = "<br>".join(plotly_text(line) for line in lines)
    figure.update_geos(fitbounds="locations", visible=False, projection_type="mercator", bgcolor="white")
    figure.update_layout(
        title=dict(text=plotly_text(title) if title else None),
        margin=dict(l=10, r=10, t=60 if title else 10, b=20 + NOTE_LINE * len(lines)),
        height=600, paper_bgcolor="white", showlegend=bool(len(grey)),
        legend=dict(orientation="h", yanchor="bottom", y=0, x=0),
        annotations=[dict(text=note, showarrow=False, xref="paper", yref="paper", x=0, y=0, yshift=-10,
                          xanchor="left", yanchor="top", align="left", font=dict(size=NOTE_SIZE))])
    return figure
