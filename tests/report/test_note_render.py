"""The monthly note rendered from a hand-written Note (tests/note_documents.py), tested by opening the result: the
PDF with pdfium (pages rendered to PNG and kept in test-artifacts/note/, text and character boxes read back),
the HTML with the standard library's parser and in Chromium. Hostile texts: tests/hostile/test_note_rendering.py."""

import pypdfium2 as pdfium
import pytest
from PIL import ImageStat

from pipelines.report.note_html import note_html
from pipelines.report.note_pdf import note_pdf
from tests.conftest import ARTIFACTS
from tests.note_documents import Document, chars, layout_problems, missing_in_order, note_texts, realistic

A4 = (595.28, 841.89)  # points


@pytest.fixture(scope="module")
def realistic_pdf() -> bytes:
    return note_pdf(realistic())


def test_the_realistic_note_is_two_a4_portrait_pages_drawn_and_kept_as_png(realistic_pdf):
    document = pdfium.PdfDocument(realistic_pdf)
    assert len(document) == 2
    folder = ARTIFACTS / "note"
    folder.mkdir(parents=True, exist_ok=True)
    for number, page in enumerate(document, start=1):
        assert page.get_size() == pytest.approx(A4, abs=0.5)
        image = page.render(scale=2).to_pil().convert("L")
        image.save(folder / f"note_page_{number}.png")
        # Ink over the body of the page (not only a title): the lower half has text too.
        lower = image.crop((0, image.height // 2, image.width, image.height * 9 // 10))
        assert ImageStat.Stat(lower).mean[0] < 250, f"page {number}: its lower half is blank"


def test_the_pdf_says_every_text_of_the_note_in_order(realistic_pdf):
    note = realistic()
    pages = [page.get_textpage().get_text_range() for page in pdfium.PdfDocument(realistic_pdf)]
    assert missing_in_order(note_texts(note), "".join(pages)) == []
    for number, text in enumerate(pages, start=1):  # the footer on every page
        assert missing_in_order([note.demo_warning, note.footer, f"page {number} / 2"], text) == []


def test_every_character_lies_inside_the_margins_and_no_lines_overlap(realistic_pdf):
    drawn = sum(len(chars(page)) for page in pdfium.PdfDocument(realistic_pdf))
    assert drawn >= sum(len("".join(text.split())) for text in note_texts(realistic()))
    assert layout_problems(realistic_pdf) == []


def test_text_is_legible_on_paper_and_titles_are_larger(realistic_pdf):
    sizes = [size for page in pdfium.PdfDocument(realistic_pdf) for _, _, size in chars(page)]
    assert min(sizes) >= 8.5
    first = chars(pdfium.PdfDocument(realistic_pdf)[0])
    title = "".join(char for char, _, size in first if size >= 15)
    assert title == "".join(realistic().title.split())
    body = [size for char, _, size in first if size > 8.5]
    assert body and min(body) >= 9


def test_the_same_note_gives_the_same_bytes_with_its_title_in_the_metadata(realistic_pdf):
    assert note_pdf(realistic()) == realistic_pdf
    metadata = pdfium.PdfDocument(realistic_pdf).get_metadata_dict()
    assert metadata["Title"].startswith(realistic().title) and metadata["CreationDate"] == ""


def test_a_table_longer_than_a_page_continues_with_its_header_repeated():
    from pipelines.report.note_model import Note, Section, Table

    table = Table(["Commune", "Demandeurs"], [[f"Commune numéro {i}", f"{i}\u202f000"] for i in range(120)])
    data = note_pdf(Note("Note", "Territoire", "décembre 2026", [Section("Communes", [table])], "Édition", ""))
    pages = [page.get_textpage().get_text_range() for page in pdfium.PdfDocument(data)]
    assert len(pages) >= 3
    assert all("Commune Demandeurs" in " ".join(text.split()) for text in pages)
    assert missing_in_order(table.columns + [cell for row in table.rows for cell in row], "".join(pages)) == []
    assert layout_problems(data) == []


# --- HTML ------------------------------------------------------------------------------------------------------


def test_the_html_is_one_a4_page_in_french_with_every_text_in_order():
    note = realistic()
    page = note_html(note)
    document = Document(page)
    assert page.startswith("<!doctype html>") and '<html lang="fr">' in page and '<meta charset="utf-8">' in page
    assert "@page { size: A4 portrait;" in document.style
    assert missing_in_order(note_texts(note) + [note.footer], "".join(document.text)) == []
    assert note.demo_warning in "".join(document.text)
    # No script, no external resource; header rows in <thead> (repeated when printed), figures right-aligned.
    assert "script" not in document.tags and "link" not in document.tags and "src=" not in page and "url(" not in page
    assert document.tags.count("thead") == 2 and "thead { display: table-header-group; }" in document.style
    assert "text-align: right" in document.style and "th:first-child, td:first-child { text-align: left; }" in page


def test_the_html_reads_like_the_paper_page_in_the_dashboard_frame(browser):
    page = browser.new_page(viewport={"width": 980, "height": 720})
    page.set_content(note_html(realistic()))
    sizes = page.evaluate("""() => ({scroll: document.documentElement.scrollWidth,
        paper: document.querySelector('main').getBoundingClientRect().width,
        cells: [...document.querySelectorAll('td')].map(td => parseFloat(getComputedStyle(td).fontSize)),
        right: getComputedStyle(document.querySelector('td:nth-child(2)')).textAlign})""")
    assert sizes["scroll"] <= 980  # no sideways scrolling
    assert sizes["paper"] == pytest.approx(210 / 25.4 * 96, abs=1)  # A4 wide
    assert min(sizes["cells"]) >= 11 and sizes["right"] == "right"
    folder = ARTIFACTS / "note"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / "note_html_980.png", full_page=True)
    page.close()


def test_the_layout_check_sees_text_off_the_margins_and_overlapping_lines():
    import io

    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    buffer = io.BytesIO()
    with PdfPages(buffer) as pdf:
        figure = Figure(figsize=(210 / 25.4, 297 / 25.4))
        figure.text(0.01, 0.5, "Au bord")
        figure.text(0.3, 0.5, "Une ligne")
        figure.text(0.32, 0.502, "Une autre")
        pdf.savefig(figure)
    problems = layout_problems(buffer.getvalue())
    assert any("outside the margins" in problem for problem in problems)
    assert any("lines overlap" in problem for problem in problems)


# --- Page breaks -----------------------------------------------------------------------------------------------


def _after_filler(lines: int, *sections):
    """A note whose first section is `lines` short paragraphs, then `sections`."""
    from pipelines.report.note_model import Note, Paragraphs, Section

    filler = Section("Avant", [Paragraphs([f"Paragraphe de remplissage {i}." for i in range(lines)])])
    return Note("Note", "Territoire", "décembre 2026", [filler, *sections], "Édition")


def test_a_list_or_a_table_that_does_not_fit_goes_on_over_the_next_page_between_items_and_rows():
    from pipelines.report.note_model import Bullets, Section, Table
    from tests.report.test_note_fits import filled

    items = [f"Élément {i} de la liste." for i in range(30)]
    table = Table(["Commune", "Demandeurs"], [[f"Commune {i}", f"{i}\u202f000"] for i in range(30)])
    for block, first, last in ((Bullets(items), "Élément 0 ", "Élément 29 "),
                               (table, "Commune 0 ", "Commune 29 ")):
        note = _after_filler(40, Section("Suite", [block]))
        data = note_pdf(note)
        pages = [" ".join(page.get_textpage().get_text_range().split()) for page in pdfium.PdfDocument(data)]
        assert len(pages) == 2
        # The block starts on page 1 under its title, ends on page 2: page 1 is filled, not left a third empty.
        assert "Suite" in pages[0] and first in pages[0] and last in pages[1] and last not in pages[0]
        assert filled(note, data)[0] > 0.9
        if isinstance(block, Table):
            assert all("Commune Demandeurs" in text for text in pages)  # the header repeated
        assert layout_problems(data) == []


def test_a_title_never_ends_a_page_and_a_dont_row_stays_with_its_row():
    from pipelines.report.note_model import Bullets, Section, Table
    from pipelines.report.note_pdf import lay_out

    table = Table(["Secteur", "Projets"], [row for i in range(30) for row in ([f"Secteur {i}", "10"],
                                                                               [f"dont partie {i}", "5"])])
    for lines in range(30, 70):  # the page break falls at every place of the title, the list and the table
        frame = lay_out(_after_filler(lines, Section("Liste", [Bullets(["Un élément."] * 3)]),
                                      Section("Tableau", [table])))
        for placed in frame.pages[:-1]:
            assert not placed[-1][0].keep_with_next, f"{lines} lines: a title or a header ends page"
        for placed in frame.pages[1:]:
            rows = [unit for unit, _ in placed if unit.row]
            assert not rows or not rows[0].lines[0].text.startswith("dont "), f"{lines} lines: a dont row on top"


def test_a_line_never_starts_with_french_closing_punctuation_nor_ends_with_an_opening_quote():
    from pipelines.report.pdf_text import drawn_width, wrap_lines

    text = "un chiffre qui ferait reconnaître une entreprise n'est pas publié (« s ») ; une part est « au moins » !"
    for room in range(60, 400, 7):
        lines = wrap_lines(text, 9, room, width=drawn_width)
        assert " ".join(lines) == text
        assert not any(line[:1] in ";:!?»" or line.endswith("«") for line in lines), (room, lines)
