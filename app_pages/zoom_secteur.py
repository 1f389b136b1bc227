"""Zoom secteur: the key figures of one sector in one territory, to project in a workshop and to share.

Everything shown comes from `pipelines.report.zoom` (figures), `pipelines.report.zoom_charts` (charts) and
`pipelines.report.slides` (workshop slides): the page, the workshop mode and the exports show the same numbers.
The view lives in the URL: ?secteur=btp&territoire=bassin:5314&annee=2025 (&mode=atelier&diapo=3).
"""

import textwrap
from urllib.parse import urlsplit, urlunsplit

import streamlit as st

from app_pages.shared import pairs, ui, zoom_exports
from pipelines.frformat import lower_first
from pipelines.report import employers, figures, glossary, links
from pipelines.report.conventions import DEMO_PARTS, demo_labels
from pipelines.report.safe_text import Markup, css_name, markdown_text, markup
from pipelines.report.slides import build_slides, demo_mark, qr_svg, view_query
from pipelines.report.zoom import file_stem
from pipelines.report.zoom_charts import EMPLOYMENT_VIEWS, plotly_config, radar, zoom_charts

WORKSHOP = "atelier"
DEFAULT_SECTOR = "btp"
SECRET_NOTE = "« s » : secret statistique ; « n.d. » : non disponible."
BLOCKS = ("1. L'essentiel", "2. Emploi", "3. Recrutements", "4. Métiers", "5. Ce que les employeurs attendent",
          "6. Demandeurs d'emploi et offres", "7. À retenir")
CHART_HEIGHT = 74  # % of the screen's height for a chart slide's chart with a one-line title and no notes...
TITLE_CHARS, NOTE_CHARS = 60, 130  # ...less 6 % per more line of title, 4 % per line of notes (at 1280 px)
SOURCE_CHARS = 150  # ...and 4 % per more line of source (the same type as the notes, over the whole width)
WORDED_VALUE = 9  # a figure's value longer than this is words ('couverture partielle'): set in smaller type


def page_url() -> str:
    """This page's address in the user's browser, without its query (st.context.url; a default in tests)."""
    url = st.context.url or links.DEFAULT_ZOOM_URL
    scheme, netloc, path, _, _ = urlsplit(url)
    return urlunsplit((scheme, netloc, path, "", ""))


workshop = ui.url_param("mode") == WORKSHOP
if ui.url_param("mode") not in ("", WORKSHOP):
    ui.url_notice(f"Mode « {ui.shown_text(ui.url_param('mode'))} » inconnu (le seul mode est « {WORKSHOP} ») ; "
                  "affichée à la place : la page complète.")
    del st.query_params["mode"]

# --- The view: sector, territory, year (widgets on the page, the URL alone in workshop mode) -----------
if workshop:
    territory_type, territory_code = ui.wanted_territory(ui.territory_choices())
else:
    st.title("Zoom secteur")
    sector_slot, level_slot, territory_slot, year_slot = st.columns([2, 1.5, 2, 1])
    territory_type, territory_code = ui.territory_picker(level_slot, territory_slot)
base = ui.key_figures(territory_type, territory_code)
sectors = {s["sector_code"]: figures.sector_name(s) for s in base.sectors if s["sector_code"] != "ensemble"}
codes = list(sectors)
url_sector = ui.wanted_option("secteur", sectors, DEFAULT_SECTOR, "Secteur")
if workshop:
    sector_code, year = url_sector, ui.wanted_year(base.years)
else:
    sector_code = sector_slot.selectbox("Secteur", codes, index=codes.index(url_sector), format_func=sectors.get,
                                        key="zoom-sector")
    year = ui.wanted_year(base.years)  # None where BMO is not published (a zone d'emploi, a list of communes)
    if year:
        years = base.years
        year = year_slot.selectbox("Année de l'enquête BMO", years, index=years.index(year), key="zoom-year")
st.query_params["secteur"] = sector_code
st.query_params["territoire"] = figures.territory_spec(territory_type, territory_code)
if year:
    st.query_params["annee"] = str(year)
elif "annee" in st.query_params:
    del st.query_params["annee"]

zoomed = ui.zoom(sector_code, territory_type, territory_code, year)
charts = zoom_charts(zoomed)
link = f"{page_url()}?{view_query(sector_code, territory_type, territory_code, year)}"
slides = build_slides(zoomed, charts, link)
sector, place = zoomed.sector, zoomed.territory
perimeter = zoomed.perimeter
if place["commune_count"]:
    perimeter += f" · {figures.communes_label(place)}"
stem = file_stem(zoomed)


def leave_workshop() -> None:
    for name in ("mode", "diapo"):
        if name in st.query_params:
            del st.query_params[name]


def enter_workshop() -> None:
    st.query_params["mode"] = WORKSHOP
    st.query_params["diapo"] = "1"


# --- Workshop mode: one slide per screen ----------------------------------------------------------------
WORKSHOP_CSS = Markup("""
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"], #MainMenu, footer,
[data-testid="stSidebarNav"], [data-testid="stMainMenu"] { display: none !important; }
main, main:focus, main:focus-visible, [data-testid="stAppViewContainer"], [data-testid="stMainBlockContainer"] {
  outline: 0 !important; border: 0 !important; box-shadow: none !important; }
.stApp, [data-testid="stMain"] { background: #ffffff !important; color: #000000 !important; }
[data-testid="stMainBlockContainer"], .block-container { padding: 1.2rem 2.5rem 0.5rem !important;
  max-width: 100% !important; }
.slide-top { display: flex; justify-content: space-between; align-items: baseline; font-size: 2rem !important;
  font-weight: 700; color: #000; border-bottom: 5px solid #000; padding-bottom: .3rem; }
.slide-number { font-size: 2.2rem !important; font-weight: 800; white-space: nowrap; margin-left: 2rem; }
.slide-body { min-height: 72vh; display: flex; flex-direction: column; justify-content: center; color: #000; }
.slide-title { font-size: 4rem !important; font-weight: 800; line-height: 1.3; color: #000; margin: 0 0 1.2rem; }
.slide-value { font-size: 13rem !important; font-weight: 900; line-height: 1.3; color: #000; margin: 0 0 1rem; }
.slide-value.small { font-size: 7rem !important; }
.slide-detail { font-size: 3rem !important; line-height: 1.3; color: #000; }
.slide-detail + .slide-detail { margin-top: .6rem; }
.slide-statement { font-size: 4.6rem !important; font-weight: 800; line-height: 1.3; color: #000; margin: 0 0 2rem; }
.slide-chart-title { font-size: 2.8rem !important; font-weight: 800; line-height: 1.3; color: #000; }
.slide-notes { font-size: 1.6rem !important; line-height: 1.3; color: #000; }
.slide-link { font-size: 1.6rem !important; color: #000; margin-top: 2rem; word-break: break-all; }
.slide-warning { word-break: normal; margin-top: 1rem; color: #8a3b00; }
.slide-lines { font-size: 2.8rem !important; line-height: 1.3; color: #000; }
.slide-lines li { margin-bottom: 1.5rem; font-size: 2.8rem !important; }
.slide-qr svg { width: 420px; height: 420px; }
.slide-cover { display: flex; gap: 3rem; align-items: center; justify-content: space-between; }
.slide-source { font-size: 1.6rem !important; color: #000; border-top: 4px solid #000; padding-top: .4rem;
  margin-top: .6rem; }
.st-key-slide-prev button, .st-key-slide-next button, .st-key-workshop-off button { font-size: 1.6rem;
  min-height: 3.6rem; border: 3px solid #000; color: #000; background: #fff; }
.st-key-slide-prev button p, .st-key-slide-next button p, .st-key-workshop-off button p { font-size: 1.6rem; }
/* Slides are laid out for a 1080-pixel-high screen; on a lower one (a 1280×720 projector, a laptop) the
   slide's text and buttons are scaled down so that the source line and the buttons stay on screen. A chart
   is not scaled (plotly would measure the scaled box and be scaled twice): it takes what the slide's title
   and notes leave of the screen's height (show_slide), and its type is sized for a 1280×720 room
   (pipelines.report.zoom_charts.SIZES). */
[class*="st-key-slide-chart-"] { height: 66vh; }
@media (max-height: 1050px) { [data-testid="stMainBlockContainer"] { zoom: 0.85; }
  [class*="st-key-slide-chart-"] { zoom: 1.1765; } }
@media (max-height: 899px) { [data-testid="stMainBlockContainer"] { zoom: 0.75; }
  [class*="st-key-slide-chart-"] { zoom: 1.3333; } }
@media (max-height: 794px) { [data-testid="stMainBlockContainer"] { zoom: 0.66; }
  [class*="st-key-slide-chart-"] { zoom: 1.5152; } }
@media (max-height: 699px) { [data-testid="stMainBlockContainer"] { zoom: 0.58; }
  [class*="st-key-slide-chart-"] { zoom: 1.7241; } }
@media (max-height: 614px) { [data-testid="stMainBlockContainer"] { zoom: 0.5; }
  [class*="st-key-slide-chart-"] { zoom: 2.0; } }
</style>
""")
# Streamlit has no key events: a tiny script in a zero-height frame listens on the page and clicks the
# "précédent / suivant" buttons (arrows, and PageUp/PageDown as sent by presenter remotes).
KEYS_SCRIPT = """
<script>
const doc = window.parent.document;
if (doc.zoomSlideKeys) { doc.removeEventListener("keydown", doc.zoomSlideKeys); }
doc.zoomSlideKeys = function (event) {
  const target = event.target;
  if (target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))) { return; }
  const next = ["ArrowRight", "PageDown"].includes(event.key), previous = ["ArrowLeft", "PageUp"].includes(event.key);
  if (!next && !previous) { return; }
  const button = doc.querySelector(next ? ".st-key-slide-next button" : ".st-key-slide-prev button");
  if (button && !button.disabled) { event.preventDefault(); button.click(); }
};
doc.addEventListener("keydown", doc.zoomSlideKeys);
</script>
"""


def slide_index(count: int) -> int:
    """The slide of the URL (?diapo=3), 1 for none or an unreadable one, the last for a number past it."""
    number = ui.url_number(ui.url_param("diapo") or "1", 0, 10**9)
    return 1 if number is None else min(max(number, 1), count)


def step(delta: int) -> None:
    st.query_params["diapo"] = str(min(max(slide_index(len(slides)) + delta, 1), len(slides)))


def show_slide(slide, number: int, count: int) -> None:
    """One slide in HTML: its texts hold names from files, escaped by safe_text.markup (ui.markdown_html)."""
    ui.markdown_html(markup("<div class='slide-top'><span>{}</span><span class='slide-number'>{} / {}</span></div>",
                            slide.subtitle, number, count))
    if slide.kind in ("cover", "end"):
        lines = Markup().join(markup("<div class='slide-detail'>{}</div>", line) for line in slide.lines)
        local = links.local_link_warning(slide.link)  # the facilitator sees it before the room scans in vain
        warning = markup("<div class='slide-link slide-warning'>⚠ {}</div>", local) if local else Markup()
        ui.markdown_html(markup("<div class='slide-body'><div class='slide-cover'><div>"
                                "<div class='slide-title'>{}</div>{}<div class='slide-link'>{}</div>{}</div>"
                                "<div class='slide-qr'>{}</div></div></div>",
                                slide.title, lines, slide.link or "", warning, qr_svg(slide.link)))
    elif slide.kind == "figure":
        card = slide.figure
        size = " small" if len(card["value"]) > WORDED_VALUE else ""
        ui.markdown_html(markup("<div class='slide-body'><div class='slide-title'>{}</div>"
                                "<div class='slide-value{}'>{}</div><div class='slide-detail'>{}</div></div>",
                                slide.title, size, card["value"], card["detail"] or ""))
    elif slide.kind == "chart":
        chart, notes = slide.chart, " · ".join(slide.chart.notes)
        figure = ui.chart_figure(chart, large=True, fill=True)  # the height of the screen (CSS above), not fixed
        # The chart takes what the title, the notes and a source line longer than one line leave of the screen.
        height = (CHART_HEIGHT - (len(textwrap.wrap(chart.title, TITLE_CHARS)) - 1) * 6
                  - len(textwrap.wrap(notes, NOTE_CHARS)) * 4
                  - (len(textwrap.wrap(slide.source, SOURCE_CHARS)) - 1) * 4)
        ui.markdown_html(markup("<style>.st-key-slide-chart-{} {{ height: {}vh !important; }}</style>"
                                "<div class='slide-chart-title'>{}</div>", css_name(chart.key), height, chart.title))
        # No toolbar on a projector: it would sit on the chart (the page keeps it, for the PNG).
        st.plotly_chart(figure, width="stretch", height="stretch", key=f"slide-chart-{chart.key}", theme=None,
                        config=plotly_config(f"{stem}_{chart.key}") | {"responsive": True, "displayModeBar": False})
        if notes:
            ui.markdown_html(markup("<div class='slide-notes'>{}</div>", notes))
    elif slide.kind == "statement":
        details = Markup().join(markup("<div class='slide-detail'>{}</div>", line) for line in slide.lines)
        ui.markdown_html(markup("<div class='slide-body'><div class='slide-title'>{}</div>"
                                "<div class='slide-statement'>{}</div>{}</div>", slide.title, slide.statement, details))
    else:
        items = Markup().join(markup("<li>{}</li>", line) for line in slide.lines)
        ui.markdown_html(markup("<div class='slide-body'><div class='slide-title'>{}</div>"
                                "<ul class='slide-lines'>{}</ul></div>", slide.title, items))
    ui.markdown_html(markup("<div class='slide-source'>{}</div>", slide.source))

if workshop:
    ui.markdown_html(WORKSHOP_CSS)
    count = len(slides)
    index = slide_index(count)
    if ui.url_param("diapo") and ui.url_number(ui.url_param("diapo"), 1, count) != index:
        ui.url_notice(f"Diapositive « {ui.shown_text(ui.url_param('diapo'))} » inconnue ; affichée à la place : "
                      f"{index} sur {count}.")
    st.query_params["diapo"] = str(index)
    show_slide(slides[index - 1], index, count)
    previous, _, following, _, leave = st.columns([2, 3, 2, 3, 2])
    previous.button("◀ Précédent", key="slide-prev", on_click=step, args=(-1,), disabled=index == 1, width="stretch")
    following.button("Suivant ▶", key="slide-next", on_click=step, args=(1,), disabled=index == count,
                     width="stretch")
    leave.button("Quitter le mode atelier", key="workshop-off", on_click=leave_workshop, width="stretch")
    st.iframe(KEYS_SCRIPT, height=1, alt="Navigation au clavier entre les diapositives")
    st.stop()

# --- The page -------------------------------------------------------------------------------------------
ui.demo_banner(demo_labels(zoomed.demo_parts), all_parts=len(DEMO_PARTS))
share, workshop_slot = st.columns([4, 1], vertical_alignment="bottom")
with share:
    st.markdown("**Copier le lien** de cette vue (secteur, territoire, année) :")
    st.code(pairs.link_with_group(link, (territory_type, territory_code)), language=None, wrap_lines=True)
    if local := links.local_link_warning(link):
        st.caption(f":material/warning: {markdown_text(local)}")
workshop_slot.button("Mode atelier", key="workshop-on", on_click=enter_workshop,
                     icon=":material/slideshow:", width="stretch")


def block(title: str, source: str, help: str | None = None) -> None:
    st.header(title, divider="gray", help=help)
    st.caption(markdown_text(source))


def show(key: str) -> bool:
    chart = next((c for c in charts if c.key == key), None)
    if chart is not None:
        ui.zoom_chart(chart, f"{stem}_{key}", perimeter)
    return chart is not None


bmo_source = f"Source : {zoomed.sources['bmo']} {year} · {perimeter}" if year else perimeter
bmo_missing = zoomed.unavailable or "L'enquête BMO n'a pas de données pour ce territoire."


def figure_card(card: dict, size: str) -> None:
    """A card's figure in large type (size) between its label and detail; a worded value ('couverture
    partielle') in smaller type, so that it holds in a third of a 1280-px screen."""
    size = "2rem" if len(card["value"]) > WORDED_VALUE else size
    # line-height 1.3: the value's line holds its glyphs' whole box (1.15 ran into the label and detail)
    ui.markdown_html(markup("<div style='font-size:1.1rem;font-weight:600'>{}</div>"
                            "<div style='font-size:{};font-weight:800;line-height:1.3;color:{}'>{}</div>"
                            "<div style='font-size:1rem'>{}</div>", card["label"], size, sector["colour"],
                            card["value"], card["detail"] or ""))


# 1. L'essentiel
block(BLOCKS[0], f"{sector['label']} · {perimeter}")
cards = zoomed.headline
if not cards:
    st.info("Aucun chiffre clé publié pour ce secteur sur ce territoire.")
for row_start in range(0, len(cards), 3):
    columns = st.columns(3)
    for column, card in zip(columns, cards[row_start:row_start + 3], strict=False):
        with column.container(border=True, key=f"card-{card['key']}"):
            figure_card(card, "3.2rem")
            st.caption(f"Source : {markdown_text(card['source'])}")
st.caption(SECRET_NOTE)

# 2. Emploi
block(BLOCKS[1], f"Source : {zoomed.sources['employment']} · {perimeter}")
if sector["caveat_naf"]:
    st.info(f"Emploi salarié non représentatif pour ce secteur : {markdown_text(lower_first(sector['caveat_naf']))}")
elif "employment" in zoomed.not_loaded:
    st.info(f"Emploi salarié (Urssaf) : {markdown_text(zoomed.not_loaded['employment'])}.")
elif not (views := [key for key in EMPLOYMENT_VIEWS if any(chart.key == key for chart in charts)]):
    st.info("Les effectifs salariés Urssaf de ce secteur ne sont pas chargés pour ce territoire.")
else:
    shown_view = st.segmented_control("Graphique", views, default=views[0], format_func=EMPLOYMENT_VIEWS.get,
                                      key="employment-view")
    show(shown_view or views[0])

# 3. Recrutements
block(BLOCKS[2], bmo_source)
if not year:
    st.info(markdown_text(bmo_missing))
elif not any([show("recrutements"), show("difficultes")]):
    st.info("Aucun projet de recrutement publié pour ce secteur sur ce territoire.")
# The peer group of the URL (?pairs=…, made in the explorer) beside the département, the région and France.
pairs.comparison_section((territory_type, territory_code), year, key="zoom", sector_code=sector_code)

# 4. Métiers
tension_year = (zoomed.tension or {}).get("year")
metiers_sources = " · ".join(part for part in (
    f"{zoomed.sources['bmo']} {year} (métiers qui recrutent)" if year else None,
    f"{zoomed.sources['tension']}, {tension_year} (tension)" if tension_year else None, perimeter) if part)
block(BLOCKS[3], f"Sources : {metiers_sources}", help=f"{glossary.metiers_help()}\n\n{glossary.tension_help()}")
if not year:
    st.info(f"Métiers qui recrutent : {markdown_text(bmo_missing)}")
elif not show("metiers"):
    st.info("Aucun métier de ce secteur n'a de projet de recrutement publié sur ce territoire.")
if show("tension"):
    metiers = {row["metier_code"]: row["metier_label"] for row in zoomed.tension_metiers}
    chosen = st.selectbox("Facteurs de tension du métier", list(metiers), format_func=metiers.get, key="radar-metier",
                          help=glossary.tension_help())
    ui.zoom_chart(radar(zoomed, chosen), f"{stem}_radar_{chosen}", perimeter)
elif "tension" in zoomed.not_loaded:
    st.info(f"Indicateurs de tension (Dares / France Travail) : {markdown_text(zoomed.not_loaded['tension'])}.")
else:
    published_here = territory_type in ("bassin_bmo", "departement", "region", "france")
    st.info("Pas d'indicateur de tension (Dares / France Travail) chargé pour les métiers de ce secteur sur ce "
            "territoire" + (" : aucun de ses métiers n'a de classe de tension dans les fichiers chargés."
                            if published_here else
                            " : ils existent par département, région et bassin d'emploi BMO, pas pour ce découpage."))

# 5. Ce que les employeurs attendent
skills, offers = zoomed.skills, zoomed.offers
block(BLOCKS[4], "Sources : France Travail, ROME 4.0 (compétences des métiers) et offres d'emploi en ligne · "
                 f"{perimeter}")
st.subheader("Les compétences des métiers")
if not skills.get("metiers"):
    st.info(markdown_text(employers.skills_missing(zoomed.not_loaded)))
else:
    st.caption(markdown_text(employers.skills_source(skills) + demo_mark(zoomed, "skills")))
    if shared := employers.shared_lines(skills, employers.SHARED_LISTED):
        st.markdown("**Compétences communes à plusieurs de ces métiers**, à travailler pour plusieurs à la fois :")
        st.markdown("\n".join(f"- {markdown_text(line)}" for line in shared))
    sections = {section["code"]: section for section in employers.metier_sections(skills)}
    chosen = st.selectbox("Métier", list(sections), format_func=lambda code: sections[code]["title"],
                          key="skills-metier")
    with st.container(key="skills-lists"):
        columns = st.columns(2)
        for i, (name, items) in enumerate(sections[chosen]["lists"].items()):
            listed = "\n".join(f"- {markdown_text(item)}" for item in items)
            columns[i % 2].markdown(f"**{markdown_text(name)}**\n\n{listed}")
st.subheader("Les offres en ligne : ce qui est ouvert aux débutants")
if not offers:
    st.info(markdown_text(employers.offers_missing(zoomed.not_loaded)))
else:
    st.caption(markdown_text(employers.offers_source(offers, perimeter) + demo_mark(zoomed, "offers")))
    st.markdown(f"**{markdown_text(employers.beginners_statement(offers, sector['of_label']))}**")
    for column, card in zip(st.columns(3), employers.offer_figures(offers), strict=True):
        with column.container(border=True, key=f"offers-{card['key']}"):
            figure_card(card, "2.4rem")
    st.markdown("\n".join(f"- {markdown_text(line)}" for line in employers.offer_lines(offers)))
    show("debutants")
    asked = employers.asked_lines(offers)
    for column, (name, lines) in zip(st.columns(2), asked.items(), strict=False):
        column.markdown(f"**{markdown_text(name)}**\n\n" + "\n".join(f"- {markdown_text(line)}" for line in lines))
st.info(employers.YOUNG_JOB_SEEKERS)

# 6. Demandeurs d'emploi et offres
market_source = zoomed.sources["market" if zoomed.market_series else "job_seekers"]
block(BLOCKS[5], f"Source : {market_source} · {perimeter}")
if not any([show("marche"), show("demandeurs")]):
    not_loaded = [f"{name} : {markdown_text(zoomed.not_loaded[part])}." for part, name in (
        ("market", "Offres et demandeurs par métier (API France Travail)"),
        ("job_seekers", "Demandeurs d'emploi (Dares)")) if part in zoomed.not_loaded]
    for line in not_loaded or ["Ni les offres et demandeurs par métier (API France Travail, par bassin d'emploi BMO) "
                               "ni les demandeurs d'emploi Dares ne sont chargés pour ce territoire."]:
        st.info(line)

# 7. À retenir
block(BLOCKS[6], f"{sector['label']} · {perimeter}")
if zoomed.takeaways:
    st.markdown("\n".join(f"- {markdown_text(sentence)}" for sentence in zoomed.takeaways))
else:
    st.info("Pas assez de chiffres publiés sur ce territoire pour en tirer des phrases à retenir.")
st.caption("Sommes des cellules publiées : les cellules sous secret statistique (« s ») ne sont pas comptées, "
           "les totaux sont donc inférieurs aux totaux officiels.")

st.header("Exporter", divider="gray")
zoom_exports.render(zoomed, charts, slides)
