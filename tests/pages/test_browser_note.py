"""The Note mensuelle page in a real browser (Debian's Chromium) at 1280 × 720, on the demo marts and on marts built
from the real publisher files: the published note is shown whole in the page, legible (no text under 12 px, no two
lines overlapping, nothing running off its sheet or the screen sideways), and its PDF downloads and opens.
Screenshots and the PDF's first page are kept in test-artifacts/note/."""

import os
import subprocess
import sys

import pypdfium2
import pytest
from playwright.sync_api import Page

from pipelines import paths
from tests.conftest import ARTIFACTS, real_file, serve
from tests.pages.test_browser_zoom import IDLE, TIMEOUT

SHOTS = ARTIFACTS / "note"
PROJECTOR = {"width": 1280, "height": 720}
MIN_PX = 12
TOLERANCE = 1.0
# Inside the note's frame (its own origin: a data: URL): every text line (text nodes line by line) with its box and
# its rendered font size, the sheet's box and the document's widths.
MEASURE = """() => {
  const doc = document;
  const lines = [];
  const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const size = parseFloat(getComputedStyle(node.parentElement).fontSize);
    const range = doc.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.width > 0 && r.height > 0) lines.push({text: node.textContent.trim().slice(0, 40), size,
                                                   left: r.left, right: r.right, top: r.top, bottom: r.bottom});
    }
  }
  const sheet = doc.querySelector('.page').getBoundingClientRect();
  return {lines, sheet: {left: sheet.left, right: sheet.right}, scrollWidth: doc.documentElement.scrollWidth,
          clientWidth: doc.documentElement.clientWidth};
}"""


def publish(served, spec: str, month: str) -> None:
    env = {**os.environ, "ZOOM_SECTEURS_DATA": str(served.data)}
    done = subprocess.run([sys.executable, "-m", "pipelines", "note", "--territoire", spec, "--mois", month],
                          cwd=paths.ROOT, env=env, capture_output=True, text=True)
    assert done.returncode in (0, 3), done.stdout + done.stderr


def overlapping(lines: list[dict]) -> list[tuple[str, str]]:
    found = []
    for index, one in enumerate(lines):
        for other in lines[index + 1:]:
            if min(one["right"], other["right"]) - max(one["left"], other["left"]) > TOLERANCE and \
                    min(one["bottom"], other["bottom"]) - max(one["top"], other["top"]) > TOLERANCE:
                found.append((one["text"], other["text"]))
    return found


def check_the_note(page: Page, url: str, name: str, expected: list[str]) -> None:
    page.set_viewport_size(PROJECTOR)
    page.goto(url)
    page.wait_for_function(IDLE, timeout=TIMEOUT)
    frame = page.locator("iframe").first
    frame.wait_for(timeout=TIMEOUT)
    note = page.frame_locator("iframe").first
    note.locator(".page h1").wait_for(timeout=TIMEOUT)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}-1280x720.png")
    document = next(one for one in page.frames if one.url.startswith("data:text/html"))
    # A data: URL is an opaque origin: the page cannot reach into the note, nor the note into the page.
    assert page.evaluate("() => document.querySelector('iframe').contentDocument") is None
    measured = document.evaluate(MEASURE)
    box = frame.bounding_box()
    text = note.locator("body").inner_text()
    for words in expected:
        assert words in text, words
    lines = measured["lines"]
    assert len(lines) > 80  # the whole note: its tables, sections and glossary
    small = sorted({(line["size"], line["text"]) for line in lines if line["size"] < MIN_PX})
    assert not small, f"text under {MIN_PX} px: {small[:5]}"
    assert not overlapping(lines)
    assert measured["scrollWidth"] <= measured["clientWidth"], "the note scrolls sideways"
    sheet = measured["sheet"]
    outside = [line["text"] for line in lines if line["left"] < sheet["left"] - TOLERANCE
               or line["right"] > sheet["right"] + TOLERANCE]
    assert not outside, f"text outside its sheet: {outside[:5]}"
    assert box["x"] >= 0 and box["x"] + box["width"] <= PROJECTOR["width"]
    page.screenshot(path=SHOTS / f"{name}-1280x720-full.png", full_page=True)


def check_the_pdf_download(page: Page, name: str, label: str) -> None:
    with page.expect_download(timeout=TIMEOUT) as download:
        page.get_by_role("button", name=label).click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    document = pypdfium2.PdfDocument(pdf)
    assert len(document) >= 1
    document[0].render(scale=1.5).to_pil().save(SHOTS / f"{name}-pdf-page-1.png")


def test_the_published_note_on_the_demo_marts(demo_server, page: Page):
    publish(demo_server, "epci:243500139", "2026-11")
    publish(demo_server, "epci:243500139", "2026-12")
    url = f"{demo_server.url}/note?territoire=epci:243500139"
    check_the_note(page, url, "demo-edition", ["Chiffres clés", "Quoi de neuf depuis la note précédente",
                                               "Les quatre secteurs", "Points de vigilance", "Avertissements",
                                               "Glossaire", "Données fictives de démonstration"])
    check_the_pdf_download(page, "demo-edition", "Note (PDF)")


def test_the_preview_on_the_demo_marts(demo_server, page: Page):
    check_the_note(page, f"{demo_server.url}/note?territoire=bassin:5314&vue=apercu&mois=2026-12", "demo-preview",
                   ["Chiffres clés", "Première note"])
    check_the_pdf_download(page, "demo-preview", "Télécharger l'aperçu (PDF)")


@pytest.fixture(scope="module")
def note_real_server(tmp_path_factory):
    """Marts from the real files a note of Rennes Métropole draws on: Insee's zones d'emploi, EPCI and localised
    unemployment rates, BMO 2024 and its bassins, URSSAF's DPAE hires, DARES's tension files."""
    files = [str(real_file(name)) for name in (
        "insee_ze2020/Communes_to_ZE_2022.xlsx", "insee_epci/Intercommunalite_Metropole_au_01-01-2023.xlsx",
        "insee_chomage/chomage-zone-t1-2003-t3-2023.xlsx", "bmo/Base_open_data_BMO_2024.xlsx",
        "bmo/bassin_emploi.csv", "dpae/dpae-mensuelles-france-entiere.csv", "tensions/dares_tensions_2019.csv",
        "tensions/cities-tension-utf8.csv", "fap_rome/fap225_rome.csv")]
    yield from serve(tmp_path_factory.mktemp("note-real") / "data", files)


def test_the_published_note_on_the_real_files(note_real_server, page: Page):
    publish(note_real_server, "epci:243500139", "2026-12")
    check_the_note(page, f"{note_real_server.url}/note?territoire=epci:243500139", "real-edition",
                   ["Rennes Métropole", "Taux de chômage", "zone d'emploi de Rennes", "Ille-et-Vilaine", "Bretagne"])
    check_the_pdf_download(page, "real-edition", "Note (PDF)")
    publish(note_real_server, "bassin:5314", "2026-12")
    check_the_note(page, f"{note_real_server.url}/note?territoire=bassin:5314", "real-bassin",
                   ["Projets de recrutement", "Les quatre secteurs"])
