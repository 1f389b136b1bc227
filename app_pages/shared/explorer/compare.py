"""Explorer view "Comparer": 2 to 6 territories of any levels side by side, key figures per sector in one table,
employment indexed to 100 and BMO projects by year as charts. The territories live in the URL
(?comparer=bassin:5314,ze:5315); numbers from pipelines.read.compare, words from pipelines.report.compare."""

import streamlit as st

from app_pages.shared import ui
from pipelines.frformat import display_name, fmt_count
from pipelines.read import marts
from pipelines.read.compare import MAX_PLACES, MIN_PLACES, Comparison, compare
from pipelines.report import compare as worded
from pipelines.report import downloads, figures, zoom_charts
from pipelines.report.downloads import extraction_date
from pipelines.report.safe_text import Markup, markdown_text, markup

# Six territories of the longest codes (a list's code has up to 60 characters), and room for a few unknown ones
# the notice names.
URL_LIMIT = 1000


def _spec(row) -> str:
    return figures.territory_spec(row.territory_type, row.territory_code)


def default_places(place: tuple[str, str], known: set[str]) -> list[str]:
    """Without a link: the explorer's territory and the first larger place that contains it (its département,
    région or France)."""
    found = ui.query("select 'dep:' || dept_code, 'reg:' || region_code, 'fr' from dim_territory "
                     "where territory_type = ? and territory_code = ?", place)
    own = figures.territory_spec(*place)
    larger = [spec for spec in (found.iloc[0] if len(found) else []) if isinstance(spec, str)]
    return [own, *[spec for spec in larger if spec in known and spec != own][:1]]


def asked_places(known: set[str], place: tuple[str, str]) -> list[str]:
    """The territories of ?comparer=, in their order: those with figures kept, the others named in a notice (never
    dropped silently), at most MAX_PLACES kept (the others named too)."""
    text = ui.url_param("comparer", URL_LIMIT)
    if not text:
        return default_places(place, known)
    specs, unknown = [], []
    for typed in filter(None, (part.strip() for part in text[:URL_LIMIT].split(","))):
        try:
            spec = figures.territory_spec(*figures.parse_territory(typed))
        except ValueError:
            spec = None
        if spec in known:
            specs.append(spec)
        else:
            unknown.append(typed)
    specs = list(dict.fromkeys(specs))
    if unknown:
        quoted = ", ".join(f"« {ui.shown_text(typed, 40)} »" for typed in unknown[:8])
        more = f" et {fmt_count(len(unknown) - 8, 'autre')}" if len(unknown) > 8 else ""
        ui.url_notice(f"{'Territoires inconnus' if len(unknown) > 1 else 'Territoire inconnu'} ou sans données "
                      f"chargées, hors de la comparaison : {quoted}{more}.")
    if len(text) > URL_LIMIT:
        ui.url_notice(f"Lien trop long : seuls ses {URL_LIMIT} premiers caractères sont lus.")
    if len(specs) > MAX_PLACES:
        ui.url_notice(f"{len(specs)} territoires demandés : {MAX_PLACES} au plus ; comparés : les {MAX_PLACES} "
                      f"premiers, sans {markdown_text(', '.join(specs[MAX_PLACES:]))}.")
    return specs[:MAX_PLACES]


@st.cache_data(max_entries=4, show_spinner=False)
def _choices(signature) -> dict[str, tuple[str, str]]:
    """spec -> (level, label) of every territory with figures: some 36,000 with the communes, built once per marts
    version rather than at every rerun."""
    return {_spec(row): (row.territory_type, f"{figures.TERRITORY_LABELS[row.territory_type]} · " + (
        "France" if row.territory_type == "france" else f"{display_name(row.territory_name)} ({row.territory_code})"))
        for row in ui.territory_options(ui.EXPLORER_LEVELS).itertuples()}


# An HTML table, not a data grid: six territories' columns fit the page's column (about 820 px at 1280 px beside
# the sidebar) with their headers and flags ("couverture partielle (105 communes sur 107)") wrapped, not cut.
TABLE_STYLE = Markup("""<style>
.compare-table table { width: 100%; table-layout: fixed; border-collapse: collapse; font-size: 14px; }
.compare-table th, .compare-table td { padding: 4px 6px; border-bottom: 1px solid #e5e5e5; vertical-align: top;
  overflow-wrap: anywhere; }
.compare-table thead th { font-weight: 600; }
.compare-table td.value, .compare-table thead th.value { text-align: right; }
.compare-table th.indicator { width: 30%; }
.compare-table tr.sector th { text-align: left; font-weight: 700; background: #f5f5f5; }
</style>""")


def table_html(shown) -> Markup:
    """The comparison table (worded.shown_table) in HTML: one header row of places, then each sector's name on
    its own row above its indicators (not repeated on every row)."""
    places = list(shown.columns[2:])
    head = Markup("").join([markup("<th class='value'>{}</th>", place) for place in places])
    rows = []
    for sector, lines in shown.groupby("Secteur", sort=False):
        rows.append(markup("<tr class='sector'><th colspan='{}'>{}</th></tr>", len(places) + 1, sector))
        for line in lines.itertuples(index=False):
            cells = Markup("").join([markup("<td class='value'>{}</td>", value) for value in line[2:]])
            rows.append(markup("<tr><td>{}</td>{}</tr>", line[1], cells))
    return TABLE_STYLE + markup("<div class='compare-table'><table><thead><tr><th class='indicator'>Indicateur</th>"
                                "{}</tr></thead><tbody>{}</tbody></table></div>", head, Markup("").join(rows))


def render(place: tuple[str, str]) -> None:
    choices = _choices(marts.signature())
    labels = {spec: label for spec, (_, label) in choices.items()}
    asked = asked_places(set(choices), place)
    present = {kind for kind, _ in choices.values()}
    levels = [level for level in ui.EXPLORER_LEVELS if level in present]
    level_slot, pick_slot = st.columns([1, 3])
    level = level_slot.selectbox("Ajouter un territoire de niveau", levels, format_func=figures.TERRITORY_LABELS.get,
                                 index=levels.index(place[0]) if place[0] in levels else 0, key="compare-level")
    of_level = [spec for spec, (kind, _) in choices.items() if kind == level]
    # One widget per level (its options are the chosen territories and that level's): the URL holds the choice.
    chosen = pick_slot.multiselect(f"Territoires comparés ({MIN_PLACES} à {MAX_PLACES})",
                                   list(dict.fromkeys([*asked, *of_level])), default=asked,
                                   format_func=labels.get, max_selections=MAX_PLACES, key=f"compare-places-{level}",
                                   placeholder="Choisir des territoires", wrap=True,  # six names on rows, not cut
                                   select_all=False)
    st.query_params["comparer"] = ",".join(chosen)
    if len(chosen) < MIN_PLACES:
        st.info(f"Choisissez de {MIN_PLACES} à {MAX_PLACES} territoires à comparer "
                f"({fmt_count(len(chosen), 'territoire choisi', 'territoires choisis')}).")
        return
    data: Comparison = ui.marts_read(compare, [figures.parse_territory(spec) for spec in chosen])
    title = "Chiffres clés par secteur"
    st.subheader(title)
    st.caption(markdown_text(" ; ".join(worded.place_title(place) for place in data.places)))
    stem = "comparaison_" + "_".join(spec.replace(":", "-") for spec in chosen)
    ui.markdown_html(table_html(worded.shown_table(data)))
    ui.table_downloads(worded.table(data), stem, "compare-table", worded.about(data, title, extraction_date()))
    for note in worded.notes(data):
        st.caption(markdown_text(note))
    sectors = {sector["sector_code"]: figures.sector_name(sector) for sector in data.sectors}
    wanted = ui.wanted_option("secteur", sectors, "ensemble", "Secteur")
    sector = st.selectbox("Secteur des courbes", list(sectors), index=list(sectors).index(wanted),
                          format_func=sectors.get, key="compare-sector")
    st.query_params["secteur"] = sector
    territories = " ; ".join(worded.place_label(place) for place in data.places)
    for chart, missing in ((worded.employment_chart(data, sector), "Pas de courbe d'emploi salarié commune à ces "
                            "territoires pour ce secteur (non représentatif, ou aucune année commune)."),
                           (worded.projects_chart(data, sector), "Aucun de ces territoires n'a l'enquête BMO "
                            "(publiée par bassin d'emploi BMO, département, région et France).")):
        if chart is None:
            st.info(missing)
        else:
            drawn_chart(chart, f"{stem}_{sector}_{chart.key}", territories)


def drawn_chart(chart: zoom_charts.Chart, file_stem: str, territories: str) -> None:
    """As ui.zoom_chart, drawn by worded.figure: its legend of up to six places fits above the plot. A chart of
    partial sums only is its table (ui.zoom_chart)."""
    if chart.partial:
        ui.zoom_chart(chart, file_stem, territories)
        return
    table = downloads.chart_table(chart)
    ui.chart_with_data(ui.shared_figure(lambda: worded.figure(chart), chart), table, file_stem, key=chart.key,
                       about=downloads.chart_about(chart, territories), config=zoom_charts.plotly_config(file_stem),
                       shown=zoom_charts.shown_table(chart), theme=None)
    st.caption(markdown_text(" · ".join([chart.source, *chart.notes])))

