"""The "Zoom secteur" page in a real browser (Debian's Chromium, `streamlit run` on demo marts; fixtures in
tests/conftest.py): each sector opened from its URL with every chart drawn, a sector switch, a reload, the
workshop slides driven by the keyboard, the CSV and the offline HTML pack downloaded and checked.

Expected figures are read from the same marts the server shows (read-only, closed before the browser runs).
Screenshots at projector size (1920 × 1080) are kept in test-artifacts/.
"""

import csv
import io
import re

import duckdb
import openpyxl
import pytest
from playwright.sync_api import Page, expect

from pipelines.report.export_html import pack_charts
from pipelines.report.slides import build_slides
from pipelines.report.zoom import Zoom, file_stem, zoom
from pipelines.report.zoom_charts import Chart, page_chart_count, zoom_charts
from tests.conftest import ARTIFACTS, offline_page

SECTORS = ["btp", "travaux_publics", "numerique", "iaa", "agriculture"]
RENNES = ("bassin_bmo", "5314")  # the page's default territory
PROJECTOR = {"width": 1920, "height": 1080}
TIMEOUT = 60_000  # a cold Streamlit run of the zoom draws ten charts: generous, never a fixed sleep

# Streamlit marks the app "notRunning" once a run is over, and its elements "stale" while a rerun replaces them.
IDLE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.dataset.testScriptState === 'notRunning' && app.dataset.testConnectionState === 'CONNECTED'
    && !document.querySelector('[data-stale="true"]');
}"""
# A chart is drawn when plotly has built its SVG (.main-svg) with a trace in it.
DRAWN = """() => {
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  return plots.filter(plot => plot.querySelector('.main-svg .trace')).length === plots.length ? plots.length : -1;
}"""


def expected_view(served, sector: str, territory=RENNES, year: int | None = None) -> tuple[Zoom, list[Chart]]:
    """The zoom and its charts as the page computes them, from the marts the server reads."""
    con = duckdb.connect(str(served.marts), read_only=True)
    try:
        zoomed = zoom(con, sector, *territory, year)
    finally:
        con.close()
    return zoomed, zoom_charts(zoomed)


def settle(page: Page) -> None:
    page.wait_for_function(IDLE, timeout=TIMEOUT)


def wait_for_charts(page: Page, count: int) -> None:
    """The run is over and exactly `count` charts are on the page, each drawn (no stale chart of a former run)."""
    page.wait_for_function(f"() => ({IDLE})() && ({DRAWN})() === {count}", timeout=TIMEOUT)
    assert page.evaluate(DRAWN) == count


def param(page: Page, name: str) -> str | None:
    match = re.search(rf"[?&]{name}=([^&]*)", page.url)
    return match and match.group(1).replace("%3A", ":")


def check_headline(page: Page, zoomed: dict) -> None:
    """The page's title, the sector and perimeter of L'essentiel, and each headline figure."""
    expect(page.locator("h1")).to_have_text("Zoom secteur")
    expect(page.get_by_text(f"{zoomed.sector['label']} · {zoomed.perimeter}", exact=False).first).to_be_visible()
    assert zoomed.headline
    for card in zoomed.headline:
        box = page.locator(f".st-key-card-{card['key']}")
        expect(box).to_contain_text(card["label"])
        expect(box).to_contain_text(card["value"])


def view_state(page: Page) -> dict:
    """What the pickers show, and the headline figures."""
    picked = {key: page.locator(f".st-key-{key} input").input_value()
              for key in ("zoom-sector", "territory-level", "zoom-year")}
    picked["territory"] = page.locator("[class*='st-key-territory-code-'] input").input_value()
    picked["cards"] = page.locator("[class*='st-key-card-']").all_inner_texts()
    return picked


# --- 1. Each sector from its URL -------------------------------------------------------------------------------


@pytest.mark.parametrize("sector", SECTORS)
def test_each_sector_opens_from_its_url_with_every_chart_drawn(page, demo_server, sector):
    zoomed, charts = expected_view(demo_server, sector)
    page.set_viewport_size(PROJECTOR)
    page.goto(f"{demo_server.url}/zoom?secteur={sector}")
    wait_for_charts(page, page_chart_count(charts))
    check_headline(page, zoomed)
    expect(page.locator(".st-key-zoom-sector input")).to_have_value(zoomed.sector["label"])
    assert (param(page, "secteur"), param(page, "territoire"), param(page, "annee")) == (
        sector, "bassin:5314", str(zoomed.year))
    if sector == "btp":
        page.evaluate("document.fonts.ready")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "zoom-btp.png")



# --- 2. Switch sector, 3. reload --------------------------------------------------------------------------------


def choose(page: Page, key: str, option: str) -> None:
    """Open a selectbox and click one of its options, as a user does."""
    page.locator(f".st-key-{key} [role='combobox']").click()
    page.get_by_role("option", name=option, exact=True).click()


def test_switching_sector_changes_the_headline_and_the_url(page, demo_server):
    btp, btp_charts = expected_view(demo_server, "btp")
    numerique, numerique_charts = expected_view(demo_server, "numerique")
    page.goto(f"{demo_server.url}/zoom?secteur=btp")
    wait_for_charts(page, page_chart_count(btp_charts))
    check_headline(page, btp)
    choose(page, "zoom-sector", numerique.sector["label"])
    expect(page).to_have_url(re.compile(r"[?&]secteur=numerique(&|$)"), timeout=TIMEOUT)
    wait_for_charts(page, page_chart_count(numerique_charts))
    check_headline(page, numerique)
    projects = next(card for card in numerique.headline if card["key"] == "projects")
    assert projects["value"] != next(card for card in btp.headline if card["key"] == "projects")["value"]
    assert (param(page, "territoire"), param(page, "annee")) == ("bassin:5314", str(numerique.year))
    page.reload()  # the sector chosen with the widget stays: it lives in the URL
    wait_for_charts(page, page_chart_count(numerique_charts))
    check_headline(page, numerique)


def test_reloading_a_link_reopens_the_same_view(page, demo_server):
    """Not the default view: another sector, a département and the former BMO year."""
    zoomed, charts = expected_view(demo_server, "iaa", ("departement", "35"), 2024)
    page.goto(f"{demo_server.url}/zoom?secteur=iaa&territoire=dep:35&annee=2024")
    wait_for_charts(page, page_chart_count(charts))
    check_headline(page, zoomed)
    shown = view_state(page)
    assert {key: value for key, value in shown.items() if key != "cards"} == {
        "zoom-sector": "Industrie agroalimentaire", "territory-level": "Département",
        "territory": "Ille-et-Vilaine (35)", "zoom-year": "2024"}
    query = [param(page, name) for name in ("secteur", "territoire", "annee")]
    assert query == ["iaa", "dep:35", "2024"]
    page.reload()
    wait_for_charts(page, page_chart_count(charts))
    assert view_state(page) == shown
    assert [param(page, name) for name in ("secteur", "territoire", "annee")] == query
    link = page.locator("[data-testid='stCode'] code").inner_text().strip()  # "Copier le lien"
    assert link == f"{demo_server.url}/zoom?secteur=iaa&territoire=dep:35&annee=2024"
    page.goto(link)
    wait_for_charts(page, page_chart_count(charts))
    assert view_state(page) == shown


# --- 4. Workshop mode -----------------------------------------------------------------------------------------


def test_workshop_slides_go_by_the_keyboard(page, demo_server):
    zoomed, charts = expected_view(demo_server, "btp")
    slides = build_slides(zoomed, charts, "https://example.org/zoom")
    count = len(slides)
    number = page.locator(".slide-number")
    page.set_viewport_size(PROJECTOR)
    page.goto(f"{demo_server.url}/zoom?secteur=btp&mode=atelier")
    expect(number).to_have_text(f"1 / {count}", timeout=TIMEOUT)
    settle(page)
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    expect(page.get_by_test_id("stHeader")).to_be_hidden()
    expect(page.locator(".slide-qr svg")).to_be_visible()  # the first slide opens the view on a phone
    assert param(page, "diapo") == "1"
    # The keys are heard by a script in a 1-px frame: wait until it listens, then give the page the keyboard
    # (the body, not an input: the script leaves keys typed in a field alone).
    page.wait_for_function("() => typeof document.zoomSlideKeys === 'function'", timeout=TIMEOUT)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    for key, expected in (("ArrowRight", 2), ("ArrowRight", 3), ("ArrowRight", 4), ("PageDown", 5),
                          ("ArrowLeft", 4)):
        assert page.evaluate("() => document.activeElement.tagName") == "BODY"
        page.keyboard.press(key)
        expect(number).to_have_text(f"{expected} / {count}", timeout=TIMEOUT)
        expect(page).to_have_url(re.compile(rf"[?&]diapo={expected}(&|$)"), timeout=TIMEOUT)
        settle(page)
        if expected == 5:
            assert slides[4].kind == "figure"
            expect(page.locator(".slide-value")).to_have_text(slides[4].figure["value"])
    # A chart slide (a link to it, as a reload would): the sector, the territory and the source line are on it.
    chart_slide = next(i for i, slide in enumerate(slides, start=1) if slide.kind == "chart"
                       and slide.chart.key == "metiers")
    slide = slides[chart_slide - 1]
    page.goto(f"{demo_server.url}/zoom?secteur=btp&territoire=bassin:5314&mode=atelier&diapo={chart_slide}")
    expect(number).to_have_text(f"{chart_slide} / {count}", timeout=TIMEOUT)
    wait_for_charts(page, 1)
    for text in (zoomed.sector["label"], zoomed.perimeter):
        expect(page.locator(".slide-top")).to_contain_text(text)
    expect(page.locator(".slide-source")).to_have_text(slide.source)
    expect(page.locator(".slide-source")).to_be_in_viewport()
    expect(page.locator(".slide-chart-title")).to_have_text(slide.chart.title)  # the slide writes it, not plotly
    expect(page.locator(".modebar")).to_have_count(0)  # no toolbar on a projector
    page.evaluate("document.fonts.ready")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "workshop-slide.png")
    # The last slide has the QR code again, and nothing after it.
    page.goto(f"{demo_server.url}/zoom?secteur=btp&mode=atelier&diapo={count}")
    expect(number).to_have_text(f"{count} / {count}", timeout=TIMEOUT)
    settle(page)
    expect(page.locator(".slide-qr svg")).to_be_visible()
    expect(page.locator(".st-key-slide-next button")).to_be_disabled()


def test_workshop_slides_fit_a_1280_by_720_projector(page, demo_server):
    """The source line and the buttons stay on screen on a low projector: the slide scales down, a chart
    takes its share of the screen's height."""
    zoomed, charts = expected_view(demo_server, "btp")
    slides = build_slides(zoomed, charts, "https://example.org/zoom")
    page.set_viewport_size({"width": 1280, "height": 720})
    for number, slide in enumerate(slides, start=1):
        if slide.kind not in ("cover", "figure") and not (slide.kind == "chart" and slide.chart.key == "metiers"):
            continue
        page.goto(f"{demo_server.url}/zoom?secteur=btp&territoire=bassin:5314&mode=atelier&diapo={number}")
        expect(page.locator(".slide-number")).to_have_text(f"{number} / {len(slides)}", timeout=TIMEOUT)
        if slide.kind == "chart":
            wait_for_charts(page, 1)
        settle(page)
        for part in (".slide-source", ".st-key-slide-next button", ".st-key-workshop-off button"):
            expect(page.locator(part)).to_be_in_viewport(ratio=1)
        if slide.kind == "chart":
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=ARTIFACTS / "workshop-slide-1280x720.png")


# --- 5. Downloads: a chart's CSV, the offline HTML pack -------------------------------------------------------


def csv_cell(value) -> str:
    """A cell of a downloaded CSV: a decimal comma, whole numbers without decimals, "s" and "n.d." as they are."""
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def test_csv_and_xlsx_of_a_chart_are_what_it_draws(page, demo_server):
    zoomed, charts = expected_view(demo_server, "btp")
    chart = next(chart for chart in charts if chart.key == "metiers")  # text, counts and shares
    page.goto(f"{demo_server.url}/zoom?secteur=btp")
    wait_for_charts(page, page_chart_count(charts))
    with page.expect_download(timeout=TIMEOUT) as download:
        page.locator(".st-key-csv-metiers").get_by_role("button", name="Télécharger les données (CSV)").click()
    name = download.value.suggested_filename
    assert name.startswith("zoom_btp_") and name.endswith(f"_{zoomed.year}_metiers.csv")
    raw = download.value.path().read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: a French spreadsheet reads the accents right
    header, *rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert header[:4] == [chart.category_title, "Projets de recrutement", "Part jugée difficile (%)",
                          "Part saisonnière (%)"]
    # a share with secret cells in its numerator is a minimum, said in a column of its own
    assert all(name.endswith(" : minimum (cellules secrètes non comptées)") for name in header[4:])
    projects, difficult, seasonal = chart.series
    for row, category, count, share, seasonal_share, label in zip(
            rows, chart.categories, projects.values, difficult.values, seasonal.values, difficult.labels, strict=True):
        assert row[0] == category and row[1] == str(round(count))  # counts as integers
        assert row[2] == ("s" if label == "s" else "n.d.") if share is None else \
            row[2] == csv_cell(round(share * 100, 1))  # shares in %, one decimal
        assert row[3] == "n.d." or row[3] == "s" or row[3] == csv_cell(round(seasonal_share * 100, 1))
    with page.expect_download(timeout=TIMEOUT) as download:
        page.locator(".st-key-xlsx-metiers").get_by_role("button", name="Télécharger avec la source (XLSX)").click()
    assert download.value.suggested_filename == name.removesuffix(".csv") + ".xlsx"
    workbook = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert [cell.value for cell in workbook["Données"][1]] == header
    provenance = {row[0].value: row[1].value for row in workbook["Source"].iter_rows(min_row=2)}
    assert provenance["Territoire"].startswith(zoomed.perimeter) and provenance["Période"] == str(zoomed.year)
    assert provenance["Extrait le"] and "France Travail, enquête BMO" in provenance["Source"]


def test_offline_html_pack_downloads_and_opens_with_the_network_off(page, demo_server, browser, tmp_path):
    zoomed, charts = expected_view(demo_server, "btp")
    page.goto(f"{demo_server.url}/zoom?secteur=btp")
    wait_for_charts(page, page_chart_count(charts))
    page.locator(".st-key-prepare-html").get_by_role("button").click()
    download_button = page.locator(".st-key-export-html").get_by_role("button")
    expect(download_button).to_be_visible(timeout=TIMEOUT)
    with page.expect_download(timeout=TIMEOUT) as download:
        download_button.click()
    assert download.value.suggested_filename == f"{file_stem(zoomed)}.html"
    pack = tmp_path / download.value.suggested_filename
    download.value.save_as(pack)

    requested, errors = [], []
    opened = offline_page(browser, errors, requested)
    try:
        opened.goto(pack.as_uri())
        drawn = pack_charts(zoomed, charts)  # the page's charts and the radar of the métiers in tension
        opened.wait_for_function(f"() => ({DRAWN})() === {len(drawn)}", timeout=TIMEOUT)
        body = opened.inner_text("body")
        for card in zoomed.headline:
            assert card["label"] in body and card["value"] in body
        assert zoomed.sector["label"] in body and "Données fictives de démonstration" in body
    finally:
        opened.context.close()
    assert requested == [] and errors == []
