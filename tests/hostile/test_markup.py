"""Names full of markup and formulas (tests/hostile/markup_files.py), imported and built, then shown by every page,
slide and export: each is text, never an element, a script, a link, a formula or mathtext (issue 11, §1).

One server for the module (CI time): the overview of a département and of a bassin, the zoom of every sector,
every workshop slide (of the département and of the bassin), the Sources page with a file imported under a hostile
name, CSV downloads, the data grids' toolbars, the offline HTML pack and the PDF."""

import csv
import io

import duckdb
import pypdfium2
import pytest
from playwright.sync_api import Page, expect

from pipelines.frformat import display_name
from pipelines.report import downloads
from pipelines.report.export_html import zoom_pack
from pipelines.report.export_pdf import slides_pdf
from pipelines.report.figures import parse_territory
from pipelines.report.slides import build_slides
from pipelines.report.zoom import zoom
from pipelines.report.zoom_charts import zoom_charts
from tests.conftest import offline_page, serve
from tests.hostile.markup_files import BOLD, FILE_NAME, FORMULA, IFRAME, IMG, LINK, MATH, PLACES, write_markup_files
from tests.pages.test_browser_zoom import DRAWN, IDLE, SECTORS

TIMEOUT = 60_000
BASSIN, DEPARTEMENT = "bassin:5314", "dep:35"
RENNES = display_name(PLACES["bassin"].upper())  # bassin names are stored in capitals, shown in lower case
# The last element of each page: the run is over once it is there and Streamlit says "not running".
OVERVIEW_END = ".st-key-xlsx-top"
ZOOM_END = "text=la résolution d'un vidéoprojecteur"
SLIDE_END = ".st-key-workshop-off"
SOURCES_END = "text=laisse les marts précédents en service"
# What markup from the data would have made: an element, a link to the data's address, a run script, bold text.
FROM_DATA = """() => {
  const own = frame => (frame.getAttribute('srcdoc') || '').includes('zoomSlideKeys');  // the slides' key listener
  const href = a => a.getAttribute('href') || a.getAttribute('xlink:href') || '';
  const alone = word => [...document.querySelectorAll('body *')].filter(e => e.textContent.trim() === word).length;
  return {
    title: document.title,
    iframes: [...document.querySelectorAll('iframe')].filter(frame => !own(frame)).length,
    images: document.querySelectorAll('img[src="x"], [onerror]').length,
    links: [...document.querySelectorAll('a')].map(href).filter(h => /example\\.org|javascript:|^x$/i.test(h)),
    scripts: [...document.querySelectorAll('script')].filter(s => s.textContent.trim().startsWith('parent.')).length,
    bold: alone('gras'), clic: alone('clic'), lien: alone('lien'),
    icons: [...document.querySelectorAll('[data-testid="stIconMaterial"]')]
      .filter(icon => icon.textContent.trim() === 'dangerous').length,
    text: [document.body.innerText, ...[...document.querySelectorAll('svg text')].map(t => t.textContent)].join('\\n'),
  };
}"""


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("markup")
    yield from serve(folder / "data", [str(file) for file in write_markup_files(folder / "downloads")])


@pytest.fixture
def dialogs(page: Page) -> list[str]:
    """Every JS dialog the page opens (alert(1) from an onerror), dismissed."""
    seen: list[str] = []
    page.on("dialog", lambda dialog: (seen.append(dialog.message), dialog.dismiss()))
    return seen


def settle(page: Page, last: str) -> None:
    """The page's last element (`last`, a CSS selector) is there, the run is over and every chart is drawn (before
    the first run starts, Streamlit says "not running" too)."""
    page.locator(last).last.wait_for(timeout=TIMEOUT)
    charts = "document.querySelectorAll('[data-testid=\"stPlotlyChart\"]').length"
    page.wait_for_function(f"() => ({IDLE})() && ({DRAWN})() === {charts}", timeout=TIMEOUT)


def check_text_only(page: Page, shown: list[str], dialogs: list[str]) -> str:
    """No element, link, script or bold text from the data, no dialog; each of `shown` is on the page as written
    (waited for: a chart's tick labels are drawn a moment after the chart; never there, the wait fails the test)."""
    page.wait_for_function(f"literals => {{ const text = ({FROM_DATA})().text; "
                           "return literals.every(literal => text.includes(literal)); }", arg=shown, timeout=TIMEOUT)
    found = page.evaluate(FROM_DATA)
    text = found.pop("text")
    assert found == {"title": found["title"], "iframes": 0, "images": 0, "links": [], "scripts": 0, "bold": 0,
                     "clic": 0, "lien": 0, "icons": 0}, page.url
    assert found["title"] != "1337" and not dialogs, page.url  # the iframe's script would set it
    for literal in shown:
        assert literal in text, (page.url, literal)
    return text


def check_csv(page: Page, key: str | None, label: str = "Télécharger les données (CSV)") -> list[list[str]]:
    """A CSV download (the one of the element keyed `key`, or the page's only one): no cell starts a formula,
    numbers stay numbers."""
    with page.expect_download(timeout=TIMEOUT) as download:
        (page.locator(f".st-key-csv-{key}") if key else page).get_by_role("button", name=label).click()
    raw = open(download.value.path(), encoding="utf-8-sig").read()
    rows = list(csv.reader(io.StringIO(raw, newline=""), delimiter=";"))
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row), rows
    return rows


def toolbar_labels(page: Page) -> set[str]:
    """The buttons of the first data grid's toolbar (shown on hover), by their label or tooltip."""
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.scroll_into_view_if_needed(timeout=TIMEOUT)
    grid.hover()
    toolbar = grid.locator("[data-testid='stElementToolbar']")
    toolbar.get_by_role("button").first.wait_for(timeout=TIMEOUT)
    return {label for button in toolbar.get_by_role("button").all()
            for label in (button.get_attribute("aria-label"), button.get_attribute("title")) if label}


def check_no_csv_in_toolbar(page: Page) -> None:
    """Streamlit's own "Download as CSV" writes `=HYPERLINK(…)` as it is: no such button (the page's own CSV
    downloads neutralise formulas), while the grid's other buttons are there (the toolbar was found)."""
    labels = toolbar_labels(page)
    assert {"Rechercher", "Plein écran"} <= labels, labels
    assert not [label for label in labels if any(word in label.lower() for word in ("csv", "télécharger",
                                                                                     "download"))], labels


def check_slides(page: Page, url: str, territory: str, shown: str, dialogs: list[str]) -> str:
    """Every workshop slide of the BTP zoom of `territory`: text only, `shown` on each; their texts."""
    page.goto(f"{url}/zoom?secteur=btp&territoire={territory}&mode=atelier&diapo=1")
    number = page.locator(".slide-number")
    number.wait_for(timeout=TIMEOUT)
    count = int(number.inner_text().split("/")[1])
    texts = ""
    for slide in range(1, count + 1):
        if slide > 1:
            page.locator(".st-key-slide-next button").click()
            expect(number).to_have_text(f"{slide} / {count}", timeout=TIMEOUT)
        settle(page, SLIDE_END)
        texts += check_text_only(page, [shown], dialogs)
    return texts


def test_pages_and_slides_show_markup_from_files_as_text(page: Page, hostile_server, dialogs):
    url = hostile_server.url
    page.goto(f"{url}/?territoire={DEPARTEMENT}")
    settle(page, OVERVIEW_END)
    check_text_only(page, [PLACES["dept"]], dialogs)
    rows = check_csv(page, "top")  # the BTP's métiers: one is named =HYPERLINK(…)
    assert ["'" + FORMULA] in [row[2:3] for row in rows] and all(row[3].isdigit() or row[3] == "s" for row in rows[1:])
    check_no_csv_in_toolbar(page)  # the métiers' table

    page.goto(f"{url}/?territoire={BASSIN}")
    settle(page, OVERVIEW_END)
    check_text_only(page, [RENNES], dialogs)

    for sector in SECTORS:
        page.goto(f"{url}/zoom?secteur={sector}&territoire={BASSIN}")
        settle(page, ZOOM_END)
        check_text_only(page, [RENNES, BOLD, MATH] if sector == "btp" else [RENNES], dialogs)
        if sector == "btp":
            rows = check_csv(page, "metiers")
            assert ["'" + FORMULA] in [row[:1] for row in rows]
            page.locator(".st-key-show-metiers").click()  # "Voir les données"
            check_no_csv_in_toolbar(page)  # the page's only data grid

    page.goto(f"{url}/zoom?secteur=btp&territoire={DEPARTEMENT}")
    settle(page, ZOOM_END)
    check_text_only(page, [PLACES["dept"]], dialogs)

    for territory, name in ((BASSIN, RENNES), (DEPARTEMENT, PLACES["dept"])):
        shown = check_slides(page, url, territory, name, dialogs)
        assert LINK in shown and FORMULA in shown

    page.goto(f"{url}/sources")
    settle(page, SOURCES_END)
    check_text_only(page, [], dialogs)
    check_no_csv_in_toolbar(page)
    # the grid is drawn on a canvas, from text; its cells' text is also in the page for screen readers
    page.wait_for_function("name => [...document.querySelectorAll('[data-testid=\"stDataFrame\"] td')]"
                           ".some(cell => cell.textContent === name)", arg=FILE_NAME, timeout=TIMEOUT)
    rows = check_csv(page, None, "Télécharger ce tableau (CSV)")
    assert ["'" + FILE_NAME] in [row[rows[0].index("Origine"):][:1] for row in rows]


@pytest.fixture(scope="module")
def btp_views(hostile_server):
    """The BTP zoom of the département and of the bassin, with their charts and slides, as the page builds them."""
    con = duckdb.connect(str(hostile_server.marts), read_only=True)
    try:
        views = {spec: zoom(con, "btp", *parse_territory(spec), None) for spec in (DEPARTEMENT, BASSIN)}
    finally:
        con.close()
    return {spec: (zoomed, charts, build_slides(zoomed, charts, "http://127.0.0.1:8501/zoom"))
            for spec, zoomed in views.items() for charts in [zoom_charts(zoomed)]}


def test_the_offline_pack_shows_markup_from_files_as_text(browser, btp_views, tmp_path):
    zoomed, charts, slides = btp_views[DEPARTEMENT]
    pack = tmp_path / "pack.html"
    pack.write_text(zoom_pack(zoomed, charts, slides), encoding="utf-8")
    errors, requested, dialogs = [], [], []
    opened = offline_page(browser, errors, requested)
    opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        opened.goto(pack.as_uri())
        opened.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .main-svg').length > 0")
        check_text_only(opened, [IFRAME, PLACES["region"]], dialogs)
        assert IFRAME in opened.title() and not requested and not errors
        assert LINK in opened.evaluate("document.body.textContent")  # the métiers' table, folded
    finally:
        opened.context.close()


def test_the_pdf_writes_dollars_and_backslashes_as_they_are(btp_views):
    zoomed, charts, slides = btp_views[BASSIN]
    document = pypdfium2.PdfDocument(slides_pdf(slides))
    text = "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    assert "$x$ et 5 $_$" in text.replace("\r", "").replace("\n", " ") and IMG in text


def test_no_csv_of_any_chart_starts_a_formula(btp_views):
    for _, charts, _ in btp_views.values():
        for chart in charts:
            rows = list(csv.reader(io.StringIO(downloads.csv_bytes(downloads.chart_table(chart)).decode("utf-8-sig"),
                                               newline=""), delimiter=";"))
            assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for row in rows for cell in row), chart.key
            assert not any(cell.startswith("-") and not cell[1:2].isdigit() for row in rows for cell in row)
