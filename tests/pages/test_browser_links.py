"""The QR code of an exported PDF opens the same view in the running app (Debian's Chromium, `streamlit run` on
demo marts), and the page says it is in French."""

import os
import subprocess
import sys

import pypdfium2
import zxingcpp
from playwright.sync_api import Page, expect

from app_pages.shared.ui import STREAMLIT_FR
from pipelines import paths
from pipelines.report import links
from pipelines.report.zoom_charts import PLOTLY_FR
from tests.pages.test_browser_zoom import TIMEOUT, param, settle


def qr_links(pdf, page_index: int) -> list[str]:
    """The QR codes a phone would read on one page of the PDF, rendered at 150 dpi."""
    image = pypdfium2.PdfDocument(str(pdf))[page_index].render(scale=150 / 72).to_pil()
    return [code.text for code in zxingcpp.read_barcodes(image) if code.format == zxingcpp.BarcodeFormat.QRCode]


def test_the_qr_code_of_a_cli_export_opens_the_same_zoom_in_the_app(page: Page, demo_server, tmp_path):
    output = tmp_path / "zoom.pdf"
    env = {key: value for key, value in os.environ.items() if key != "ZOOM_SECTEURS_URL"}
    env["ZOOM_SECTEURS_DATA"] = str(demo_server.data)
    done = subprocess.run([sys.executable, "-m", "pipelines", "export", "--sector", "iaa", "--territory", "dep:35",
                           "--format", "pdf", "--output", str(output)], cwd=paths.ROOT, env=env, capture_output=True,
                          text=True, check=True)
    assert "make run HOST=0.0.0.0" in done.stderr + done.stdout  # the default address is this computer's
    cover, end = qr_links(output, 0), qr_links(output, len(pypdfium2.PdfDocument(str(output))) - 1)
    assert cover == end and len(cover) == 1
    link = cover[0]
    assert link.startswith(f"{links.DEFAULT_ZOOM_URL}?secteur=iaa&territoire=dep:35"), link
    page.goto(link.replace(links.LOCAL_APP_URL, demo_server.url))  # the same path, on the test's server
    settle(page)
    expect(page.locator("h1")).to_have_text("Zoom secteur", timeout=TIMEOUT)
    expect(page.locator(".st-key-zoom-sector input")).to_have_value("Industrie agroalimentaire")
    assert (param(page, "secteur"), param(page, "territoire")) == ("iaa", "dep:35")
    assert page.evaluate("document.documentElement.lang") == "fr"


def test_the_chart_toolbar_speaks_french(page: Page, demo_server):
    page.goto(f"{demo_server.url}/zoom?secteur=btp")
    page.wait_for_selector(".js-plotly-plot .modebar-btn", state="attached", timeout=TIMEOUT)
    settle(page)
    titles = page.evaluate("""[...new Set([...document.querySelectorAll('.modebar-btn')]
        .filter(button => getComputedStyle(button).display !== 'none')
        .map(button => button.getAttribute('data-title')))]""")
    french = set(PLOTLY_FR["dictionary"].values())
    assert "Télécharger le graphique en PNG" in titles and set(titles) <= french, titles


def test_streamlit_controls_speak_french_to_a_screen_reader(page: Page, demo_server):
    page.goto(f"{demo_server.url}/zoom?secteur=btp")
    page.wait_for_selector(".js-plotly-plot .modebar-btn", state="attached", timeout=TIMEOUT)
    page.locator(".st-key-show-metiers").click()  # a data grid and its toolbar
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=TIMEOUT)
    settle(page)
    said = page.evaluate("""[...new Set([...document.querySelectorAll('[title], [aria-label], [placeholder]')]
        .flatMap(element => ['title', 'aria-label', 'placeholder'].map(name => element.getAttribute(name)))
        .filter(Boolean))]""")
    english = [text for text in said if text in STREAMLIT_FR or text.startswith("Help for ")]
    assert not english, english
    assert "Copier" in said and "Rechercher" in said and page.evaluate("document.documentElement.lang") == "fr"
