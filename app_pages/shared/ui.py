"""Shared UI pieces: read-only marts access that follows rebuilds, demo banner, charts with data."""

import base64
import hashlib
import json
import pickle
import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from pipelines.frformat import display_name, lower_first
from pipelines.read import figures as read_figures
from pipelines.read import marts
from pipelines.report import downloads, figures, safe_text, zoom_charts
from pipelines.report import zoom as zoom_data
from pipelines.report.conventions import DEMO_NOTICE, PALETTE  # noqa: F401 (the pages read them from ui)

FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=16)
# Okabe-Ito, safe for colour-blind readers.


# Streamlit's own controls speak English to a screen reader and in their tooltips ("Copy to clipboard",
# "Search"), and its page shell says lang="en". Everything a user reads is in French: the page says
# lang="fr", and these labels are replaced as Streamlit draws them. Its "Fullscreen" button on plotly's toolbar
# has no French version: hidden.
STREAMLIT_FR = {
    "Sidebar": "Barre latérale", "Collapse sidebar": "Replier la barre latérale",
    "Expand sidebar": "Déplier la barre latérale", "App pages": "Pages", "Link to heading": "Lien vers ce titre",
    "Choose an option": "Choisir", "Open": "Ouvrir", "Close": "Fermer", "Clear all": "Tout effacer",
    "Copy to clipboard": "Copier", "Copied": "Copié", "warning icon": "attention", "info icon": "information",
    "error icon": "erreur", "Help": "Aide", "Show/hide columns": "Colonnes affichées",
    "Search": "Rechercher", "Fullscreen": "Plein écran",
    "Close fullscreen": "Quitter le plein écran", "Main menu": "Menu",
}
FRENCH_FRAME = """
<style>.modebar-btn[data-title='Fullscreen'] { display: none !important; }</style>
<script>
if (!window.zoomSecteursFrench) {
  window.zoomSecteursFrench = true;
  document.documentElement.lang = 'fr';
  const words = %s;
  const french = text => words[text] || (text.startsWith('Help for ') ? 'Aide : ' + text.slice(9) : null);
  const translate = () => document.querySelectorAll('[title], [aria-label], [placeholder]').forEach(element => {
    for (const name of ['title', 'aria-label', 'placeholder']) {
      const shown = element.getAttribute(name), said = shown && french(shown);
      if (said) { element.setAttribute(name, said); }
    }
  });
  new MutationObserver(translate).observe(document.body, {subtree: true, childList: true, attributes: true,
    attributeFilter: ['title', 'aria-label', 'placeholder']});
  translate();
}
</script>
"""


def french_frame() -> None:
    """The page in French for its readers and screen readers (see STREAMLIT_FR); once per page load."""
    st.sidebar.html(FRENCH_FRAME % json.dumps(STREAMLIT_FR, ensure_ascii=False), unsafe_allow_javascript=True)


_shared = marts.Shared()


@st.cache_data(max_entries=256, show_spinner=False)
def _query(signature, sql: str, params: tuple) -> pd.DataFrame:
    return _shared.frame(signature, sql, list(params))


def query(sql: str, params: tuple = ()) -> pd.DataFrame:
    """Run a read-only page query (parameters bound with ?), cached until the marts change."""
    return _query(marts.signature(), sql, tuple(params))


def marts_connection(signature):
    """The shared read-only connection to the marts `signature` names, for a view's own cached reader (`with`)."""
    return _shared.connection(signature)


@st.cache_data(max_entries=512, show_spinner=False)
def _marts_read(signature, name: str, args: tuple, kwargs: tuple, _read: Callable):
    with _shared.connection(signature) as con:
        return _read(con, *args, **dict(kwargs))


def marts_read(read: Callable, *args, **kwargs):
    """read(con, *args, **kwargs) on the marts in service (pipelines.read's functions), cached until they change:
    the one cached wrapper the views share. Arguments are part of the cache key (hashable by Streamlit: lists,
    tuples, strings, numbers); two functions never share a result (their names differ); an exception it raises
    is raised again, not cached; the result is a copy (cache_data)."""
    if "<" in read.__qualname__:  # a lambda or a nested function: two of them could share one name, and results
        raise TypeError(f"marts_read lit une fonction nommée de pipelines.read, pas {read.__qualname__}")
    return _marts_read(marts.signature(), f"{read.__module__}.{read.__qualname__}", args,
                       tuple(sorted(kwargs.items())), read)


def source_catalog() -> list[dict]:
    """Every registered source and how to load it (pipelines.read.figures.source_catalog), cached."""
    return marts_read(read_figures.source_catalog)


def key_figures(territory_type: str, territory_code: str, year: int | None = None, top: int = 10) -> figures.KeyFigures:
    return marts_read(figures.key_figures, territory_type, territory_code, year, top=top)


def zoom(sector_code: str, territory_type: str, territory_code: str, year: int | None = None) -> zoom_data.Zoom:
    """One sector of one territory (pipelines.report.zoom), cached until the marts change."""
    return marts_read(zoom_data.zoom, sector_code, territory_type, territory_code, year)


def demo_banner(demo_parts: list[str], all_parts: int = 0) -> None:
    """Say it whenever a figure on the page comes from the fictitious demo files, and which ones."""
    if not demo_parts:
        return
    if len(demo_parts) >= all_parts:
        detail = "les chiffres affichés sont inventés"
    else:
        detail = (f"chiffres inventés pour {safe_text.markdown_text(', '.join(demo_parts))} ; les autres chiffres "
                  "sont réels")
    st.warning(f"**{DEMO_NOTICE}** : {detail}. La page « Sources » explique comment charger les vraies données.",
               icon="⚠️")


def style_figure(figure: go.Figure, title: str, height: int = 420) -> go.Figure:
    """French number separators, large readable type, no plotly logo clutter."""
    figure.update_layout(
        title=dict(text=safe_text.plotly_text(title), font=dict(size=20)),
        font=FONT,
        separators=",\u202f",
        height=height,
        margin=dict(l=10, r=10, t=60, b=10),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0),
        plot_bgcolor="white",
    )
    figure.update_xaxes(gridcolor="#e5e5e5")
    figure.update_yaxes(gridcolor="#e5e5e5")
    return figure


def markdown_html(markup: safe_text.Markup, **kwargs) -> None:
    """Markdown with HTML: only code literals and data escaped by safe_text.markup reach `unsafe_allow_html` (a
    plain str, such as an f-string holding a name from a file, is refused)."""
    st.markdown(safe_text.trusted(markup), unsafe_allow_html=True, **kwargs)


def document_frame(document: str, height: int) -> None:
    """A whole HTML document (the monthly note, as written or as frozen in an edition's file) in a frame of its own,
    given as a data: URL: the frame is then of an opaque origin, so that nothing in the document (its styles; a
    script, were an edition's file tampered with) reaches the page or the app."""
    st.iframe("data:text/html;charset=utf-8;base64," + base64.b64encode(document.encode("utf-8")).decode("ascii"),
              height=height)


def chart_with_data(figure: go.Figure, table: pd.DataFrame, file_stem: str, key: str, about: dict[str, str],
                    config: dict | None = None, shown: pd.DataFrame | None = None,
                    theme: str | None = "streamlit", csv: bytes | None = None) -> None:
    """Every chart comes with the table of exactly what it draws and its downloads.

    `table` is what is drawn, for a spreadsheet (pipelines.report.downloads); `about` its provenance (the XLSX's
    "Source" sheet); `shown` the same table in French number formats for the screen (default: `table`);
    `config` the plotly config (e.g. zoom_charts.plotly_config); `theme` None keeps the figure's own fonts
    and colours (Streamlit's theme would replace them); `csv` the table's CSV when already written."""
    st.plotly_chart(figure, width="stretch", key=f"chart-{key}", config=config or zoom_charts.PLOTLY_CONFIG,
                    theme=theme)
    # Built only when asked for: ten data grids on a page cost a third of a second at every rerun.
    if st.toggle("Voir les données", key=f"show-{key}"):
        st.dataframe(table if shown is None else shown, hide_index=True, width="stretch", key=f"table-{key}")
    table_downloads(table, file_stem, key, about, csv)


def table_downloads(table: pd.DataFrame, file_stem: str, key: str, about: dict[str, str],
                    csv: bytes | None = None) -> None:
    """The table as CSV (bare, for a spreadsheet or a script) and as XLSX with its "Source" sheet."""
    csv_slot, xlsx_slot = st.columns(2)
    csv_slot.download_button("Télécharger les données (CSV)", data=downloads.csv_bytes(table) if csv is None else csv,
                             file_name=f"{file_stem}.csv", mime="text/csv", key=f"csv-{key}", on_click="ignore")
    # Deferred: an XLSX is written only when asked for, not at every rerun of the page.
    xlsx_slot.download_button("Télécharger avec la source (XLSX)", data=lambda: downloads.xlsx_bytes(table, about),
                              file_name=f"{file_stem}.xlsx", key=f"xlsx-{key}", on_click="ignore",
                              mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# --- Charts shared by every session --------------------------------------------------------------------------
# A workshop's QR code sends twenty phones to the same view at once: each chart of a view is drawn (plotly figure,
# tables, CSV) once per marts version, in the first session that shows it, and the others reuse it. What these
# caches return is shared between sessions, hence read only: Streamlit's elements copy what they send, and nothing
# changes a figure or a table after it is built (a slide's figure is drawn for the slide, see chart_figure). A
# figure holds about 130 kB: 256 of them are some sixteen views (page and slides).


def digest(*values) -> str:
    """Identifies what a chart is drawn from by its content (a zoom_charts.Chart, rows, titles): the same
    content, the same digest."""
    return hashlib.blake2b(pickle.dumps(values), digest_size=16).hexdigest()


@st.cache_resource(max_entries=256, show_spinner=False)
def _shared_figure(signature, digest: str, _build: Callable[[], go.Figure]) -> go.Figure:
    return _build()


def shared_figure(build: Callable[[], go.Figure], *inputs) -> go.Figure:
    """build(), once per marts version and `inputs` (everything the figure is drawn from: its rows, its title),
    then the same figure for every session: read only. Two builders never share a figure (their names differ)."""
    return _shared_figure(marts.signature(), digest(build.__module__, build.__qualname__, *inputs), build)


def chart_figure(chart: zoom_charts.Chart, large: bool = False, fill: bool = False) -> go.Figure:
    """The chart drawn by plotly (zoom_charts.to_plotly), shared (see shared_figure). `fill`: as high as its
    container (a slide, sized by CSS), not a fixed height."""
    def draw() -> go.Figure:
        figure = zoom_charts.to_plotly(chart, large=large)
        return figure.update_layout(height=None, autosize=True) if fill else figure

    return shared_figure(draw, chart, large, fill)


@dataclass(frozen=True)
class ChartTables:
    """What is drawn, for a spreadsheet (table, csv) and for the screen (shown): read only."""
    table: pd.DataFrame
    shown: pd.DataFrame
    csv: bytes


@st.cache_resource(max_entries=256, show_spinner=False)
def _chart_tables(signature, digest: str, _chart: zoom_charts.Chart) -> ChartTables:
    table = downloads.chart_table(_chart)
    return ChartTables(table, zoom_charts.shown_table(_chart), downloads.csv_bytes(table))


def zoom_chart(chart: zoom_charts.Chart, file_stem: str, territory: str, large: bool = False) -> None:
    """A chart of the zoom: drawn by plotly, its French table, its downloads, then its source line and notes. A
    chart of partial sums is shown as its table only, titled so (never as the territory's curve)."""
    tables = _chart_tables(marts.signature(), digest(chart), chart)
    about = downloads.chart_about(chart, territory)  # not shared: it says when the table was extracted
    if chart.partial:
        st.markdown(f"**{safe_text.markdown_text(chart.title)}**")
        st.dataframe(tables.shown, hide_index=True, width="stretch", key=f"table-{chart.key}")
        table_downloads(tables.table, file_stem, chart.key, about, tables.csv)
    else:
        chart_with_data(chart_figure(chart, large), tables.table, file_stem, key=chart.key, about=about,
                        config=zoom_charts.plotly_config(file_stem), shown=tables.shown, theme=None, csv=tables.csv)
    st.caption(safe_text.markdown_text(" · ".join([chart.source, *chart.notes])))


def to_csv(data: pd.DataFrame) -> bytes:
    """A table as a French spreadsheet reads it (pipelines.report.downloads.csv_bytes)."""
    return downloads.csv_bytes(data)


# BMO levels first; zones d'emploi, EPCI and the user's lists of communes have commune-level figures only.
PICKER_LEVELS = (*figures.BMO_TERRITORY_TYPES, "zone_emploi", "epci", "liste")
# The explorer ranks communes too.
EXPLORER_LEVELS = (*PICKER_LEVELS, "commune")


# The facts whose territories a picker offers: those with figures the pages show (BMO projects, employment, job
# seekers). The monthly note also shows a territory that has only an unemployment rate.
PAGE_FACTS = ("fct_projects_by_territory_sector_year", "fct_employment_by_territory_sector_year",
              "fct_job_seekers_by_territory_quarter")
NOTE_FACTS = (*PAGE_FACTS, "fct_unemployment_by_territory_quarter")
_TERRITORY_OPTIONS = """
    select territory_type, territory_code, territory_name
    from dim_territory
    where territory_type in {levels} and (territory_type, territory_code) in ({facts})
    order by territory_type, territory_name, territory_code"""


def _options_sql(levels: tuple[str, ...], facts: tuple[str, ...]) -> str:
    return _TERRITORY_OPTIONS.format(levels=levels, facts=" union ".join(
        f"select territory_type, territory_code from {fact}" for fact in facts))


def territory_options(levels: tuple[str, ...] = PICKER_LEVELS) -> pd.DataFrame:
    """Territories that have figures to show (BMO projects, employment or job seekers), by level."""
    return query(_options_sql(levels, PAGE_FACTS))


URL_NOTICE_ICON = ":material/link_off:"
# Longer than any code, year or slide number a link of this dashboard holds: a longer value is never one.
URL_VALUE_CHARS = 100
_ASCII_NUMBER = re.compile(r"[0-9]{1,9}")


def url_param(name: str, limit: int = URL_VALUE_CHARS) -> str:
    """The URL's `name` parameter as typed ('' when absent), cut after `limit` + 1 characters: every value a link
    can hold is read through here, so that no page compares, parses or quotes a huge one. A list of territories
    (?comparer=…, ?perimetre=…) is longer than one code: its view gives its own limit."""
    return st.query_params.get(name, "")[: limit + 1]


def url_number(text: str, low: int, high: int) -> int | None:
    """`text` as a whole number between `low` and `high`, written in ASCII digits only; else None.

    str.isdigit() says yes to '²' or '٣' (int() then raises on one and reads the other), so a link with such a
    value is judged here, never by int() alone: '²', '٣', '1e9', '-1', ' 3' and a thousand digits are not
    numbers of a link."""
    if not _ASCII_NUMBER.fullmatch(text):
        return None
    number = int(text)
    return number if low <= number <= high else None


def url_notice(message: str) -> None:
    """Say that the link asked for something this dashboard cannot show, and what it shows instead."""
    st.warning(message, icon=URL_NOTICE_ICON)


def shown_text(text: str, limit: int = 60) -> str:
    """A value typed in a URL, quoted in a notice: cut short, and its Markdown characters shown as they are."""
    return safe_text.markdown_text(text if len(text) <= limit else text[:limit] + "…")


@dataclass(frozen=True)
class TerritoryChoices:
    """The territories a picker offers, built once per marts version and levels and shared by every session (read
    only): iterating some 39,000 territories' columns at each rerun cost the commune ranking 0.2 s."""
    levels: list[str]  # the asked levels that have territories, in the asked order
    codes: dict[str, list[str]]  # level -> its codes, by name
    labels: dict[str, dict[str, str]]  # level -> code -> "Name (code)" as the picker shows it
    names: dict[tuple[str, str], str]  # (level, code) -> the name as loaded


@st.cache_resource(max_entries=8, show_spinner=False)
def _territory_choices(signature, levels: tuple[str, ...], facts: tuple[str, ...]) -> TerritoryChoices:
    options = _query(signature, _options_sql(levels, facts), ())
    present = set(options["territory_type"])
    choices = TerritoryChoices([level for level in levels if level in present], {}, {}, {})
    for level, code, name in zip(options["territory_type"].tolist(), options["territory_code"].tolist(),
                                 options["territory_name"].tolist(), strict=True):
        choices.codes.setdefault(level, []).append(code)
        choices.labels.setdefault(level, {})[code] = code if level == "france" else f"{display_name(name)} ({code})"
        choices.names[level, code] = name
    return choices


def territory_choices(levels: tuple[str, ...] = PICKER_LEVELS, facts: tuple[str, ...] = PAGE_FACTS) -> TerritoryChoices:
    return _territory_choices(marts.signature(), levels, facts)


def wanted_territory(choices: TerritoryChoices) -> tuple[str, str]:
    """The territory of the URL (?territoire=bassin:5314) if it has figures, else the default one, with a
    notice naming what the link asked for (a link never switches territory silently)."""
    asked = url_param("territoire")
    try:
        wanted = figures.parse_territory(asked) if asked else figures.DEFAULT_TERRITORY
    except ValueError:
        wanted = None
    if wanted in choices.names:
        return wanted
    shown = figures.DEFAULT_TERRITORY if figures.DEFAULT_TERRITORY in choices.names else min(choices.names)
    if asked:
        label = figures.perimeter_label({"type": shown[0], "code": shown[1],
                                         "name": display_name(choices.names[shown]),
                                         "type_label": lower_first(figures.TERRITORY_LABELS[shown[0]])})
        url_notice(f"Territoire « {shown_text(asked)} » inconnu ou sans données chargées ; affiché à la place : "
                   f"{shown_text(label, limit=120)}.")
    return shown


def wanted_year(years: list[int]) -> int | None:
    """The BMO survey year of the URL (?annee=2025) if loaded for the territory, else the latest, with a notice."""
    asked = url_param("annee")
    if not years:
        if asked:
            url_notice(f"Année d'enquête BMO « {shown_text(asked)} » sans objet ici : l'enquête BMO n'est pas publiée "
                       "pour ce territoire.")
        return None
    if (number := url_number(asked, min(years), max(years))) in years:
        return number
    if asked:
        url_notice(f"Enquête BMO « {shown_text(asked)} » non chargée pour ce territoire ; affichée à la place : "
                   f"{safe_text.markdown_text(years[-1])} (années chargées : "
                   f"{safe_text.markdown_text(', '.join(map(str, years)))}).")
    return years[-1]


def wanted_option(name: str, options: dict[str, str], default: str, what: str, feminine: bool = False) -> str:
    """The code of the URL's `name` parameter if it is one of `options` (code → label), else `default`, with a
    notice naming what the link asked for ("Vue … inconnue ; affichée à la place" when `what` is feminine)."""
    asked = url_param(name)
    if asked in options:
        return asked
    shown = default if default in options else next(iter(options))
    if asked:
        agreement = "e" if feminine else ""
        url_notice(f"{safe_text.markdown_text(what)} « {shown_text(asked)} » inconnu{agreement} ; affiché{agreement} "
                   f"à la place : {safe_text.markdown_text(lower_first(options[shown]))}.")
    return shown


def territory_picker(level_slot, territory_slot, key: str = "territory", levels: tuple[str, ...] = PICKER_LEVELS,
                     facts: tuple[str, ...] = PAGE_FACTS) -> tuple[str, str]:
    """Level then territory; the choice lives in the URL (?territoire=bassin:5314) so links reopen it."""
    choices = territory_choices(levels, facts)
    wanted = wanted_territory(choices)
    level = level_slot.selectbox("Niveau", choices.levels, index=choices.levels.index(wanted[0]),
                                 format_func=figures.TERRITORY_LABELS.get, key=f"{key}-level")
    codes, labels = choices.codes[level], choices.labels[level]
    index = codes.index(wanted[1]) if level == wanted[0] else 0
    code = territory_slot.selectbox("Territoire", codes, index=index, key=f"{key}-code-{level}",
                                    format_func=labels.__getitem__)
    st.query_params["territoire"] = figures.territory_spec(level, code)
    return level, code
