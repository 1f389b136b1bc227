"""The monthly note's renderers on hostile texts (tests/note_documents.hostile: a territory named with <script>, &,
quotes, $ and %, an emoji, Hebrew and Arabic; 300-character cells; words longer than a column): everything shown
as written, nothing run, nothing out of the page."""

import re
import warnings

import pypdfium2 as pdfium

from pipelines.report.note_html import note_html
from pipelines.report.note_pdf import note_pdf
from tests.note_documents import HOSTILE_NAME, Document, hostile, layout_problems, missing_in_order, note_texts

# The tags the note's HTML is made of: a tag from the data would be one more.
OWN_TAGS = {"html", "head", "meta", "title", "style", "body", "main", "header", "h1", "h2", "p", "section", "div",
            "table", "colgroup", "col", "thead", "tbody", "tr", "th", "td", "ul", "li", "dl", "dt", "dd", "footer"}


def test_the_html_shows_hostile_texts_as_written_and_runs_nothing():
    note = hostile()
    page = note_html(note)
    document = Document(page)
    assert set(document.tags) <= OWN_TAGS  # no <script>, <b>, <i> from the data
    shown = "".join(document.text)
    assert missing_in_order(note_texts(note) + [note.demo_warning, note.footer], shown) == []
    assert HOSTILE_NAME in shown and "<script>alert(1)</script>" in shown
    assert "@page { size: A4 portrait;" in document.style


def test_the_html_with_hostile_texts_stays_in_the_dashboard_frame(browser):
    page = browser.new_page(viewport={"width": 980, "height": 720})
    page.set_content(note_html(hostile()))
    assert page.evaluate("document.querySelectorAll('script').length") == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 980
    page.close()


def test_the_pdf_draws_hostile_texts_inside_the_page_without_overlap():
    note = hostile()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "Glyph missing" nor mathtext complaint
        data = note_pdf(note)
    assert note_pdf(note) == data
    assert layout_problems(data) == []
    text = "".join(page.get_textpage().get_text_range() for page in pdfium.PdfDocument(data))
    # Markup and formulas drawn as written; the emoji the font lacks as U+FFFD, not an empty box.
    assert missing_in_order([note.title.split(" $")[0], "$\\frac{1}{2}$", '"$5 %"', "\ufffd"], text) == []
    assert "x" * 300 in "".join(text.split())


def test_a_paragraph_a_cell_and_a_heading_taller_than_a_page_are_cut_between_lines():
    from pipelines.report.note_model import Definitions, Note, Paragraphs, Section, Table

    def words(count: int) -> str:
        return " ".join(f"mot{i}" for i in range(count))

    table = Table(["Nom", "Valeur"], [["a", words(1200)], [words(1200), "1"]])
    blocks = [Paragraphs([words(1200)]), table, Definitions([("Terme", words(1200))])]
    note = Note("Titre", "Territoire", "décembre 2026", [Section(words(300), blocks)], "Édition", "")
    data = note_pdf(note)
    assert len(pdfium.PdfDocument(data)) >= 4
    assert layout_problems(data) == []
    text = "".join(page.get_textpage().get_text_range() for page in pdfium.PdfDocument(data))
    # Each long text complete and in order, cut between lines only.
    assert [int(n) for n in re.findall(r"mot(\d+)", text)] == [*range(300)] + [*range(1200)] * 4
