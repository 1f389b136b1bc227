"""The real monthly notes fit the issue's "two A4 portrait pages": notes worded from figures of the demo marts and of
marts built from the real publisher files (REAL_DATA_DIR), rendered to PDF and read back with pdfium: exactly two
pages, the first filled (a block that does not fit goes on over the next page rather than leaving a gap), nothing
out of the margins or overlapping; the HTML printed by Chromium is two pages as well. The real notes' pages are
kept as PNG in test-artifacts/note/."""

import copy

import pypdfium2 as pdfium
import pytest

from pipelines import paths
from pipelines.ingest import importer
from pipelines.read.note import note_figures
from pipelines.report.note import build_note
from pipelines.report.note_html import note_html
from pipelines.report.note_pdf import PAGE_H, lay_out, note_pdf
from pipelines.warehouse import build
from tests.conftest import ARTIFACTS, marts, real_file, use_data_dir
from tests.note_documents import chars, layout_problems
from tests.read.test_note_figures import BMO, CHOMAGE, DPAE, EPCI, ZE

DEMO = ["bassin_bmo:5314", "epci:243500139", "departement:35", "france:FR"]
REAL = ["epci:243500139", "zone_emploi:5315", "departement:35"]
FILLED = 0.8  # of the first page's body, when the note goes on over a second page


def _figures(root, specs: list[str], files: list | None = None) -> dict[str, dict]:
    """The figures of each territory's December 2026 note, from marts built in `root` (demo files, or only
    `files` when given)."""
    with pytest.MonkeyPatch.context() as patch:
        use_data_dir(patch, root / "data", demo_dir=root / "no-demo" if files is not None else None)
        for file in files or []:
            importer.import_file(file)
        build.build(say=lambda message: None)
        con = marts(paths.MARTS_DB)
        try:
            return {spec: note_figures(con, *spec.split(":"), "2026-12") for spec in specs}
        finally:
            con.close()


@pytest.fixture(scope="module")
def demo_notes(tmp_path_factory) -> dict[str, dict]:
    return _figures(tmp_path_factory.mktemp("demo-notes"), DEMO)


@pytest.fixture(scope="module")
def real_notes(tmp_path_factory) -> dict[str, dict]:
    files = [real_file(name) for name in (ZE, EPCI, CHOMAGE, BMO, DPAE)]
    return _figures(tmp_path_factory.mktemp("real-notes"), REAL, files)


def filled(note, data: bytes) -> list[float]:
    """How far down each page's body its text goes (0: empty, 1: down to the footer), read from the PDF."""
    frame = lay_out(note)
    shares = []
    for number, page in enumerate(pdfium.PdfDocument(data)):
        top, bottom = frame.top(number), frame.bottom
        # pdfium's boxes count from the page's bottom: the body is above the footer's top.
        lowest = max((PAGE_H - box[1] for _, box, _ in chars(page) if PAGE_H - box[3] < bottom), default=top)
        shares.append((lowest - top) / (bottom - top))
    return shares


def previous_month(figures: dict) -> dict:
    """The figures of the previous month's edition, every series a period older: "Quoi de neuf" at its longest."""
    older = copy.deepcopy(figures)
    older["month"] = "2026-11"
    for entry in (entry for series in older["series"] for entry in series["values"].values()):
        year, _, quarter = entry["period"].partition("-T")
        entry["period"] = (str(int(year) - 1) if not quarter else f"{year}-T{int(quarter) - 1}" if quarter != "1"
                           else f"{int(year) - 1}-T4")
    return older


def fit_problems(figures: dict, keep: str | None = None) -> list[str]:
    problems = fit_problems_of(build_note(figures, previous_month(figures), revision=2))
    return [f"revision: {problem}" for problem in problems] + fit_problems_of(build_note(figures), keep)


def fit_problems_of(note, keep: str | None = None) -> list[str]:
    data = note_pdf(note)
    document = pdfium.PdfDocument(data)
    problems = [] if len(document) == 2 else [f"{len(document)} pages"]
    shares = filled(note, data)
    if len(shares) > 1 and shares[0] < FILLED:
        problems.append(f"page 1 filled to {shares[0]:.0%} only")
    problems += layout_problems(data)
    if keep:
        folder = ARTIFACTS / "note"
        folder.mkdir(parents=True, exist_ok=True)
        for number, page in enumerate(document, start=1):
            page.render(scale=2).to_pil().save(folder / f"{keep}_page_{number}.png")
    return problems


@pytest.mark.parametrize("spec", DEMO)
def test_the_demo_notes_fit_two_filled_pages(demo_notes, spec):
    assert fit_problems(demo_notes[spec]) == []


@pytest.mark.parametrize("spec", REAL)
def test_the_notes_of_the_real_files_fit_two_filled_pages(real_notes, spec):
    assert fit_problems(real_notes[spec], keep=f"real_{spec.replace(':', '_')}") == []


def printed_pages(browser, figures: dict) -> int:
    """The pages of the note's HTML printed by Chromium (its @page and print rules)."""
    page = browser.new_page()
    try:
        page.set_content(note_html(build_note(figures)))
        return len(pdfium.PdfDocument(page.pdf(prefer_css_page_size=True)))
    finally:
        page.close()


def test_the_printed_html_notes_are_two_pages_too(browser, demo_notes):
    assert {spec: printed_pages(browser, figures) for spec, figures in demo_notes.items()} == dict.fromkeys(DEMO, 2)


def test_the_printed_html_notes_of_the_real_files_are_two_pages_too(browser, real_notes):
    assert {spec: printed_pages(browser, figures) for spec, figures in real_notes.items()} == dict.fromkeys(REAL, 2)


def test_the_fill_measure_sees_a_half_empty_first_page():
    from pipelines.report.note_model import Note, Paragraphs, Section

    sections = [Section("Court", [Paragraphs(["Une ligne."])]), Section("Long", [Paragraphs(["Un paragraphe."] * 200)])]
    note = Note("Titre", "Territoire", "décembre 2026", sections, "Édition")
    shares = filled(note, note_pdf(note))
    assert len(shares) > 2 and all(share > 0.9 for share in shares[:-1])
    short = Note("Titre", "Territoire", "décembre 2026", [Section("Court", [Paragraphs(["Une ligne."])])], "Édition")
    assert filled(short, note_pdf(short))[0] < 0.2
