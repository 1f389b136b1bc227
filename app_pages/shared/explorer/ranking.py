"""Explorer view "Classement et carte": every territory of the chosen territory's level ranked on one indicator ×
sector × scope × year (URL: indicateur, secteur, echelle, annee), the chosen territory highlighted, the distribution
with its peers (`pairs`) and the median, CSV and XLSX downloads. Numbers: pipelines.read.ranking; words, tables and
chart: pipelines.report.ranking. `show` is shared with the Métiers view."""

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app_pages.shared import pairs, ui
from pipelines.frformat import lower_first
from pipelines.read import geometry, marts
from pipelines.read import ranking as read_ranking
from pipelines.report import downloads, maps, safe_text, zoom_charts
from pipelines.report import ranking as report
from pipelines.report.figures import TERRITORY_LABELS

# The dimensions a ranking's "Secteur" list offers (métiers, by FAP or ROME code, are picked in the Métiers view).
RANKED_DIMENSIONS = ("secteur", "a38", "famille")


def indicators_for(level: str) -> list[str]:
    """The indicators of any ranked dimension at `level`, in catalogue order (a FAP 2009 family's published tension
    class has no sector, yet is ranked here once a family is its sector)."""
    offered = {code for dimension in RANKED_DIMENSIONS
               for code in ui.marts_read(read_ranking.indicator_choices, level, dimension)}
    return [code for code in read_ranking.INDICATORS if code in offered]


def _sectors(indicator: str, level: str) -> list[tuple[str, str | None]]:
    return ui.marts_read(read_ranking.sector_choices, indicator, level)


def _scopes(level: str) -> list[tuple[str, str, str]]:
    return ui.marts_read(read_ranking.scope_choices, level)


def _years(indicator: str, sector: str, level: str) -> list[int]:
    return ui.marts_read(read_ranking.years, indicator, sector, level)


@dataclass(frozen=True)
class Prepared:
    """A ranking and what the page draws from it, built once per marts version and shared by every session (read
    only: see ui's shared charts)."""
    view: report.RankingView
    table: pd.DataFrame  # for the downloads
    csv: bytes
    map_table: pd.DataFrame  # for the choropleth (pipelines.report.maps.choropleth)


@st.cache_resource(max_entries=32, show_spinner=False)
def _prepared(signature, indicator: str, sector: str, level: str, scope: str, year: int | None) -> Prepared:
    with ui.marts_connection(signature) as con:
        view = report.ranking_view(con, indicator, sector, level, scope, year)
    table = report.download_table(view.ranking)
    return Prepared(view, table, downloads.csv_bytes(table), report.map_table(view.ranking))


@st.cache_resource(max_entries=64, show_spinner=False)
def _screen(signature, key: tuple, chosen: str, peers: tuple[str, ...], _made: Prepared):
    """The on-screen table, the chosen territory and its peers marked (shared: read only)."""
    return report.screen_table(_made.view.ranking, chosen, peers)


def highlighted(table: pd.DataFrame):
    """The chosen territory's row coloured while the table is small (HIGHLIGHT_MAX). A Styler of its own at each
    render: Streamlit writes into the Styler it draws, so one is never shared between sessions."""
    if len(table) > HIGHLIGHT_MAX:
        return table
    return table.style.apply(lambda row: [HIGHLIGHT if row[" "] == report.CHOSEN_MARK else ""] * len(row), axis=1)


@st.cache_resource(max_entries=64, show_spinner=False)
def _figure(signature, key: tuple, chosen: str, peers: tuple[str, ...], _made: Prepared) -> go.Figure:
    return ui.style_figure(report.distribution(_made.view.ranking, chosen, list(peers)),
                           "Distribution des valeurs")


class FrozenFigure(go.Figure):
    """A shared figure that is never changed once built, its dict made once: st.plotly_chart calls to_dict() at
    every render, which deep-copies every coordinate of the shapes (60 ms for the ~350 communes of a département,
    more than the JSON that Streamlit then writes from it)."""

    def __init__(self, figure: go.Figure):
        super().__init__(figure)
        self._frozen = super().to_dict()

    def to_dict(self) -> dict:
        return self._frozen


@st.cache_resource(max_entries=32, show_spinner=False)
def _map(signature, key: tuple, chosen: str, _made: Prepared) -> tuple[go.Figure | None, list[str]]:
    """The choropleth of the ranking at its level (None when no territory of it has a shape) and its notes."""
    ranking = _made.view.ranking
    with ui.marts_connection(signature) as con:
        shapes = geometry.shapes(con, ranking.level, list(_made.map_table["territory_code"]))
    if not shapes.codes:
        return None, maps.notes(shapes, _made.map_table, chosen)
    # No title in the figure: the view's subheader, just above, is it.
    figure = maps.choropleth(shapes, _made.map_table, chosen, None, report.value_column(ranking))
    # Not ui.style_figure: the map keeps the bottom margin its notes need; only the page's type and separators.
    figure.update_layout(font=ui.FONT, separators=",\u202f", height=MAP_HEIGHT)
    return FrozenFigure(figure), []


def show_map(signature, key: tuple, chosen: str, prepared: Prepared, stem: str) -> None:
    """The map of the ranking, drawn offline (maps.PLOTLY_CONFIG: no request to plotly's CDN), or why there is none."""
    figure, notes = _map(signature, key, chosen, prepared)
    if figure is None:
        st.info(safe_text.markdown_text(" ; ".join(notes) + "."))
        return
    st.plotly_chart(figure, width="stretch", key=f"{key[0]}-map", theme=None,
                    config={**zoom_charts.plotly_config(f"carte-{stem}"), **maps.PLOTLY_CONFIG})


MAP_HEIGHT = 560  # fits a 1280×720 screen below the page's header, with its notes
# Styling costs about a quarter of a millisecond per row at every render (pandas' Styler): the ~400 bassins take
# 0.1 s warm; the ~1,250 EPCI and the communes are marked (▶) but not coloured, to stay under 0.3 s.
HIGHLIGHT_MAX = 500
HIGHLIGHT = "background-color: #fde0c5; font-weight: bold"
RANKABLE = ("Le classement compare les territoires d'un même niveau (bassins d'emploi, zones d'emploi, EPCI, "
            "départements, régions, communes) : choisissez un territoire de l'un de ces niveaux.")


def wanted_year(years: list[int], key: str) -> int:
    """The year of the URL (annee) if the indicator has it, else the latest, with a notice; then its picker."""
    asked = ui.url_param("annee")
    year = ui.url_number(asked, min(years), max(years))
    if year not in years:
        year = years[-1]
        if asked:
            ui.url_notice(f"Année « {ui.shown_text(asked)} » sans chiffre pour cet indicateur ; affichée à la place : "
                          f"{year} (années chargées : {safe_text.markdown_text(', '.join(map(str, years)))}).")
    year = st.selectbox("Année", years, index=years.index(year), key=f"{key}-year-{years[0]}-{years[-1]}")
    st.query_params["annee"] = str(year)
    return year


def scope_label(kind: str, spec: str, name: str) -> str:
    return "France" if kind == "france" else f"{TERRITORY_LABELS[kind]} {name} ({spec.partition(':')[2]})"


def show(place: tuple[str, str], indicator: str, sector: str, key: str) -> None:
    """Scope and year pickers, then the ranking of `indicator` for `sector` at the place's level: the place's
    sentence, the table, its downloads, the map (integrator) and the distribution."""
    level, code = place
    signature = marts.signature()
    peers = tuple(pairs.wanted_pairs(place))  # the peer group of the URL, checked against the level
    scopes = {spec: scope_label(kind, spec, name) for spec, kind, name in _scopes(level)}
    scope_slot, year_slot = st.columns(2)
    with scope_slot:
        wanted = ui.url_param("echelle")
        if wanted not in scopes:
            if wanted:
                ui.url_notice(f"Échelle « {ui.shown_text(wanted)} » inconnue, ou pas plus large que le niveau classé ; "
                              "affichée à la place : France.")
            wanted = "fr"
        scope = st.selectbox("Échelle", list(scopes), index=list(scopes).index(wanted), format_func=scopes.get,
                             key=f"{key}-scope-{level}")
        st.query_params["echelle"] = scope
    years = _years(indicator, sector, level)
    if not years:
        st.info(safe_text.markdown_text(f"Pas de chiffre chargé pour cet indicateur au niveau "
                                        f"« {lower_first(TERRITORY_LABELS[level])} »."))
        return
    with year_slot:
        year = wanted_year(years, key)
    try:
        prepared = _prepared(signature, indicator, sector, level, scope, year)
    except read_ranking.RankingError as error:
        st.warning(f"Classement impossible : {safe_text.markdown_text(error)}.")
        return
    ranking = prepared.view.ranking
    st.subheader(safe_text.markdown_text(prepared.view.title))
    sentence = report.place_sentence(ranking, code)
    st.markdown(f"**{safe_text.markdown_text(sentence)}**" if sentence else
                "Le territoire choisi n'est pas dans cette échelle : rien n'est mis en évidence.")
    st.caption(safe_text.markdown_text(f"{report.counts_note(ranking)} {report.RANK_RULE}"))
    cache_key = (indicator, sector, level, scope, year)
    value = report.value_column(ranking)
    stem = f"classement-{indicator}-{sector.replace(':', '-')}-{level}-{scope.replace(':', '-')}-{year}"
    # The table is shown above the map but sent after it: the browser starts loading plotly.js (Streamlit's
    # largest chunk, ~4.7 MB, most of the time before a map is drawn) when the map arrives, not after the table.
    table_slot = st.container()
    show_map(signature, cache_key, code, prepared, stem)
    with table_slot:
        st.dataframe(highlighted(_screen(signature, cache_key, code, peers, prepared)), hide_index=True,
                     width="stretch", key=f"{key}-table",
                     column_config={"Rang": st.column_config.NumberColumn(format="localized"),
                                    value: st.column_config.NumberColumn(format="localized"),
                                    "Centile (%)": st.column_config.NumberColumn(format="localized")})
        territory = report.title(ranking, prepared.view.sector, prepared.view.scope_name)
        ui.table_downloads(prepared.table, stem, key, report.about(ranking, prepared.view.sector,
                                                                      prepared.view.scope_name, territory),
                           prepared.csv)
    if ranking.ranked:
        st.plotly_chart(_figure(signature, cache_key, code, peers, prepared), width="stretch", key=f"{key}-chart",
                        config=zoom_charts.plotly_config(stem), theme=None)
    else:  # no value to spread: an empty chart would say nothing
        st.info("Pas de distribution à montrer : aucun territoire de cette échelle n'a de valeur pour cet indicateur.")
    st.caption(safe_text.markdown_text(report.source_line(ranking)))


def render(place: tuple[str, str]) -> None:
    level = place[0]
    if level not in read_ranking.LEVELS:
        st.info(RANKABLE)
        return
    indicators = {code: report.INDICATOR_LABELS[code] for code in indicators_for(level)}
    if not indicators:
        st.info(safe_text.markdown_text(
            f"Aucun indicateur chargé au niveau « {lower_first(TERRITORY_LABELS[level])} »."))
        return
    indicator_slot, sector_slot = st.columns(2)
    with indicator_slot:
        wanted = ui.wanted_option("indicateur", indicators, read_ranking.DEFAULT_INDICATOR, "Indicateur")
        indicator = st.selectbox("Indicateur", list(indicators), index=list(indicators).index(wanted),
                                 format_func=indicators.get, key=f"rank-indicator-{level}")
        st.query_params["indicateur"] = indicator
    sectors = {spec: report.sector_label(spec, {spec: label}) for spec, label in _sectors(indicator, level)}
    with sector_slot:
        wanted = ui.wanted_option("secteur", sectors, read_ranking.DEFAULT_SECTOR, "Secteur")
        sector = st.selectbox("Secteur", list(sectors), index=list(sectors).index(wanted), format_func=sectors.get,
                              key=f"rank-sector-{indicator}")
        st.query_params["secteur"] = sector
    if sector.startswith("famille:") and indicator in report.FAMILY_TENSION_NOTES:
        st.caption(report.FAMILY_TENSION_NOTES[indicator])
    show(place, indicator, sector, "rank")
