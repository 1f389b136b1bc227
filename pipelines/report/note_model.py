"""The monthly note as a document: sections of blocks holding French text only (already worded and formatted).

One model, two renderings: report/note_html.py (the page and the HTML file) and report/note_pdf.py (the A4 PDF)
draw the same Note, so that the page and the PDF never say different things. Every string here may come from a
data file: the renderers escape all of it.
"""

from dataclasses import dataclass, field


@dataclass
class Table:
    """A table: a header row, then rows of cells. A cell may hold line breaks ("27 635\\n+0,6 % sur un an").
    The first column is a label (left-aligned), the others figures (right-aligned)."""

    columns: list[str]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)  # footnotes under the table, in order


@dataclass
class Paragraphs:
    items: list[str]


@dataclass
class Bullets:
    items: list[str]


@dataclass
class Definitions:
    items: list[tuple[str, str]]  # (term, definition)


Block = Table | Paragraphs | Bullets | Definitions


@dataclass
class Section:
    title: str
    blocks: list[Block]


@dataclass
class Note:
    title: str  # "Note mensuelle sur l'emploi"
    territory: str  # "Rennes Métropole (EPCI 243500139)"
    month: str  # "décembre 2026"
    sections: list[Section]
    # Said on every page: the edition ("Édition de décembre 2026, révision 2"), and the demo warning when any
    # figure comes from the fictitious demo files.
    footer: str = ""
    demo_warning: str = ""
