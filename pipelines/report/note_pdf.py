"""The note as an A4 portrait PDF, drawn with matplotlib from the same Note as the HTML (report/note_html.py).

Laid out in points from the page's top left, then drawn: every text is wrapped with the font's own metrics
(pdf_text), so a line never passes its column. A block (a table, a list, paragraphs) that does not fit where it
is goes on over the next page, cut between its rows or items (a table repeats its header there): two pages are
filled, not left a third empty. A single row or item taller than a third of a page is cut between its lines. A
section's title stays with the first item (a table: its header and first row), a "dont" row with the row it is
part of. Every page carries the footer, the demo warning and "page n / N".
"""

import functools
import io
from collections.abc import Callable
from dataclasses import dataclass, field

import matplotlib
from matplotlib.artist import Artist
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from pipelines.report.note_model import Bullets, Definitions, Note, Paragraphs, Table
from pipelines.report.pdf_text import INK, MUTED, PDF_LOCK, RC, RULE, drawable, drawn_width, french_words, wrap_lines

A4_PORTRAIT = (210 / 25.4, 297 / 25.4)  # inches
PAGE_W, PAGE_H = A4_PORTRAIT[0] * 72, A4_PORTRAIT[1] * 72  # 595.3 × 841.9 pt
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 48.0, 40.0, 34.0  # about 17, 14 and 12 mm: the printable area
WIDTH = PAGE_W - 2 * MARGIN_X
# Sizes in points: body ≥ 9, tables and small print ≥ 8.5 (read on paper at arm's length).
TITLE_PT, TERRITORY_PT, MONTH_PT, SECTION_PT, BODY_PT, TABLE_PT, SMALL_PT = 17, 12.5, 10.5, 12, 9, 8.5, 8.5
LEADING, SMALL_LEADING = 1.3, 1.22  # line pitch / font size: text, then tables and small print (set tighter)
ASCENT, DESCENT = 0.93, 0.24  # DejaVu Sans, of the font size
WARNING, HEADER_FILL, ROW_RULE = "#9b1c1c", "#e8eef5", "#c8c8c8"
CELL_X, CELL_Y = 4.0, 2.5  # padding inside a table cell
BULLET_INDENT = 12.0


def pitch(size: float) -> float:
    return size * (SMALL_LEADING if size <= SMALL_PT else LEADING)


@dataclass
class Line:
    """One line of text at (x, top) of its unit; `ha` "right" puts its end at x."""
    x: float
    top: float
    text: str
    size: float
    bold: bool = False
    color: str = INK
    ha: str = "left"


@dataclass
class Unit:
    """What cannot be cut across two pages: a row, an item, a heading. Coordinates relative to its top."""
    height: float
    lines: list[Line] = field(default_factory=list)
    rects: list[tuple[float, float, float, float, str]] = field(default_factory=list)  # x, top, w, h, colour
    rules: list[tuple[float, float, float, str]] = field(default_factory=list)  # x0, x1, y, colour
    keep_with_next: bool = False
    row: bool = False  # a table's row: on top of a new page, the table's header comes first


@dataclass
class Group:
    """A block as units; `header` is repeated on top of a page where a table continues."""
    units: list[Unit]
    header: Unit | None = None


def text_lines(text: str, size: float, room: float, x: float = 0.0, top: float = 0.0, bold: bool = False,
               color: str = INK, ha: str = "left") -> list[Line]:
    """`text` wrapped in `room` points, one Line per line from `top` down."""
    wrapped = wrap_lines(drawable(str(text), bold), size, room, bold, drawn_width)
    return [Line(x, top + i * pitch(size), line, size, bold, color, ha) for i, line in enumerate(wrapped)]


def _split_tall(unit: Unit, most: float) -> list[Unit]:
    """A unit higher than `most` points (a huge cell, a very long item) cut between its lines; its rules and
    backgrounds go with the piece where they start."""
    if unit.height <= most:
        return [unit]
    starts = [0.0]
    while True:
        start = starts[-1]
        ends = [line.top + pitch(line.size) for line in unit.lines if line.top >= start]
        if not ends:
            break
        fitting = [end for end in ends if end <= start + most]
        starts.append(max(fitting) if fitting else min(ends))  # a single line higher than `most` goes alone
    starts[-1] = unit.height
    pieces = []
    for start, end in zip(starts, starts[1:], strict=False):
        last = end == unit.height

        def inside(y: float, start=start, end=end, last=last) -> bool:
            return start <= y < end or (last and y >= end)

        pieces.append(Unit(
            end - start,
            [Line(ln.x, ln.top - start, ln.text, ln.size, ln.bold, ln.color, ln.ha) for ln in unit.lines
             if inside(ln.top)],
            [(x, y - start, w, min(h, end - y), c) for x, y, w, h, c in unit.rects if inside(y)],
            [(x0, x1, y - start, c) for x0, x1, y, c in unit.rules if inside(y)],
            keep_with_next=unit.keep_with_next and last, row=unit.row))
    return pieces


def paragraph_unit(text: str, size: float = BODY_PT, gap: float = 3.0, x: float = 0.0, room: float = WIDTH,
                   color: str = INK, bold: bool = False) -> Unit:
    lines = text_lines(text, size, room - x, x, bold=bold, color=color)
    return Unit(len(lines) * pitch(size) + gap, lines)


def heading_unit(title: str) -> Unit:
    before = 8.0
    lines = text_lines(title, SECTION_PT, WIDTH, top=before, bold=True, color=RULE)
    bottom = before + len(lines) * pitch(SECTION_PT) + 1
    return Unit(bottom + 4, lines, rules=[(0, WIDTH, bottom, RULE)], keep_with_next=True)


def bullet_units(items: list[str]) -> list[Unit]:
    units = []
    for item in items:
        unit = paragraph_unit(item, x=BULLET_INDENT, gap=2.0)
        unit.lines.insert(0, Line(2.0, 0.0, "•", BODY_PT, color=RULE))
        units.append(unit)
    return units


def definition_units(items: list[tuple[str, str]]) -> list[Unit]:
    """Terms in a column of their own (bold), their definitions beside them."""
    column = min(max((drawn_width(drawable(str(term), True), BODY_PT, True) for term, _ in items), default=0) + 10,
                 WIDTH * 0.3)
    units = []
    for term, definition in items:
        terms = text_lines(term, BODY_PT, column - 10, bold=True)
        texts = text_lines(definition, BODY_PT, WIDTH - column, x=column)
        units.append(Unit(max(len(terms), len(texts)) * pitch(BODY_PT) + 3, terms + texts))
    return units


def column_widths(cells: list[list[tuple[str, bool]]], room: float) -> list[float]:
    """Widths of a table's columns in `room` points: each column its widest line when they all fit. Else each
    figure column up to the same cap (never under its longest word: a longer word is cut) and the label column
    the rest, at the cap that makes the table shortest, then with the fewest lines: figures wrap as little as
    the page allows, evenly, and labels take the wrapping."""
    count = max(len(row) for row in cells)
    columns = [[(row[c] if c < len(row) else ("", False)) for row in cells] for c in range(count)]

    def widest(column, pieces) -> float:
        return max((drawn_width(piece, TABLE_PT, bold) for text, bold in column for line in text.split("\n")
                    for piece in pieces(line)), default=0) + 2 * CELL_X

    natural = [widest(column, lambda line: [line]) for column in columns]
    if sum(natural) <= room:
        return [w * room / sum(natural) for w in natural]
    least = [min(widest(column, french_words), room / count) for column in columns]

    def widths(cap: float) -> list[float]:
        figures = [min(n, max(m, cap)) for n, m in zip(natural[1:], least[1:], strict=True)]
        return [room - sum(figures), *figures]

    def cost(cap: float) -> tuple[int, int, float]:
        counts = [[len(wrap_lines(text, TABLE_PT, width - 2 * CELL_X, bold, drawn_width)) for text, bold in column]
                  for column, width in zip(columns, widths(cap), strict=True)]
        return sum(max(row) for row in zip(*counts, strict=True)), sum(map(sum, counts)), -cap

    low, high = min(least[1:], default=0), max(natural[1:], default=0)
    caps = [cap for cap in (low + (high - low) * i / 24 for i in range(25)) if widths(cap)[0] >= least[0]] or [low]
    chosen = widths(min(caps, key=cost))
    if chosen[0] > natural[0]:  # more than the labels need: the rest to the figures
        spare = chosen[0] - natural[0]
        chosen = [natural[0]] + [w + spare / (count - 1) for w in chosen[1:]]
    return chosen


def row_unit(cells: list[str], widths: list[float], header: bool = False) -> Unit:
    lines, x, tallest = [], 0.0, 1
    for column, (text, width) in enumerate(zip(cells, widths, strict=False)):
        right = column > 0  # the first column is a label, the others figures
        cell = text_lines(text, TABLE_PT, width - 2 * CELL_X, x + (width - CELL_X if right else CELL_X), CELL_Y,
                          bold=header, ha="right" if right else "left")
        lines += cell
        tallest = max(tallest, len(cell))
        x += width
    height = tallest * pitch(TABLE_PT) + 2 * CELL_Y
    if header:
        return Unit(height, lines, rects=[(0, 0, WIDTH, height, HEADER_FILL)], rules=[(0, WIDTH, height, RULE)],
                    keep_with_next=True)
    return Unit(height, lines, rules=[(0, WIDTH, height, ROW_RULE)], row=True)


def table_widths(table: Table, room: float = WIDTH) -> list[float]:
    """The widths of `table`'s columns on the page (the HTML gives its columns the same shares)."""
    cells = [[(drawable(str(c), True), True) for c in table.columns]] + \
        [[(drawable(str(c)), False) for c in row] for row in table.rows]
    return column_widths(cells, room)


def table_group(table: Table, most: float) -> Group:
    """The header row (repeated where the table continues, unless it is itself cut), the rows, the notes."""
    widths = table_widths(table)
    units: list[Unit] = []
    header = None
    if table.columns:
        units = _split_tall(row_unit([str(c) for c in table.columns], widths, header=True), most)
        header = units[0] if len(units) == 1 else None
    for row in table.rows:
        if units and row and str(row[0]).startswith("dont "):  # "dont travaux publics" is part of the row above
            units[-1].keep_with_next = True
        units += _split_tall(row_unit([str(c) for c in row], widths), most)
    notes = [paragraph_unit(note, SMALL_PT, gap=2.0, color=MUTED) for note in table.notes]
    if notes:
        notes[0].height += 3
        notes[0].lines = [Line(ln.x, ln.top + 3, ln.text, ln.size, ln.bold, ln.color, ln.ha) for ln in notes[0].lines]
    units += [piece for note in notes for piece in _split_tall(note, most)]
    if units:
        units[-1].height += 4
    return Group(units, header=header)


def block_group(block, most: float) -> Group:
    if isinstance(block, Table):
        return table_group(block, most)
    if isinstance(block, Bullets):
        units = bullet_units([str(item) for item in block.items])
    elif isinstance(block, Definitions):
        units = definition_units([(str(term), str(text)) for term, text in block.items])
    elif isinstance(block, Paragraphs):
        units = [paragraph_unit(str(item)) for item in block.items]
    else:
        raise TypeError(f"unknown block {type(block).__name__}")
    units = [piece for unit in units for piece in _split_tall(unit, most)]
    if units:
        units[-1].height += 3
    return Group(units)


@dataclass
class Frame:
    """What every page has: a running head (but the first, which starts with the title block) and the footer;
    the body lies between."""
    running: Unit
    footer: Unit
    pages: list[list[tuple[Unit, float]]] = field(default_factory=lambda: [[]])

    def top(self, page: int) -> float:
        return MARGIN_TOP + (self.running.height if page else 0)

    @property
    def bottom(self) -> float:
        return PAGE_H - MARGIN_BOTTOM - self.footer.height


def title_unit(note: Note) -> Unit:
    lines = text_lines(note.title, TITLE_PT, WIDTH, bold=True)
    y = len(lines) * pitch(TITLE_PT)
    lines += text_lines(note.territory, TERRITORY_PT, WIDTH, top=y, bold=True, color=RULE)
    y = lines[-1].top + pitch(TERRITORY_PT)
    lines += text_lines(note.month, MONTH_PT, WIDTH, top=y, color=MUTED)
    y = lines[-1].top + pitch(MONTH_PT) + 3
    return Unit(y + 4, lines, rules=[(0, WIDTH, y, RULE)])


def running_unit(note: Note) -> Unit:
    """The title, territory and month, on two lines at most (cut with "…": page 1 has them in full)."""
    lines = text_lines(" · ".join(str(t) for t in (note.title, note.territory, note.month) if str(t)), SMALL_PT,
                       WIDTH, color=MUTED)
    if len(lines) > 2:
        last = lines[1].text
        while last and drawn_width(last + " …", SMALL_PT) > WIDTH:
            last = last[:-1]
        lines = [lines[0], Line(0, lines[1].top, last + " …", SMALL_PT, color=MUTED)]
    y = len(lines) * pitch(SMALL_PT) + 2
    return Unit(y + 6, lines, rules=[(0, WIDTH, y, ROW_RULE)])


def footer_unit(note: Note) -> Unit:
    """The demo warning over the edition line; the right end is kept for "page n / N" (drawn per page)."""
    number_room = drawn_width("page 999 / 999", SMALL_PT) + 12
    lines = []
    top = 6.0
    if str(note.demo_warning):
        lines += text_lines(note.demo_warning, SMALL_PT, WIDTH, top=top, bold=True, color=WARNING)
        top = lines[-1].top + pitch(SMALL_PT)
    footer = text_lines(note.footer, SMALL_PT, WIDTH - number_room, top=top, color=MUTED)
    lines += footer
    height = max(top + len(footer) * pitch(SMALL_PT), 6 + pitch(SMALL_PT))
    return Unit(height, lines, rules=[(0, WIDTH, 2.0, ROW_RULE)])


def lay_out(note: Note) -> Frame:
    frame = Frame(running_unit(note), footer_unit(note))
    body = frame.bottom - frame.top(1)  # the body of a page other than the first
    # A piece of a block, a heading and a table's header each take a third of a page at most: together they
    # fit on any page. (A footer so long that this leaves no room is the only way text can pass the page.)
    most = max(body / 3, 4 * pitch(TITLE_PT))
    groups = [Group(_split_tall(title_unit(note), most))]
    for section in note.sections:
        section_groups = [block_group(block, most) for block in section.blocks] or [Group([])]
        section_groups[0].units[:0] = _split_tall(heading_unit(str(section.title)), most)
        groups += section_groups
    y = frame.top(0)

    def new_page() -> float:
        frame.pages.append([])
        return frame.top(len(frame.pages) - 1)

    for group in groups:
        for i, unit in enumerate(group.units):
            # A heading (a table's header) goes with the units after it that it is kept with.
            end = i
            while group.units[end].keep_with_next and end + 1 < len(group.units):
                end += 1
            need = sum(kept.height for kept in group.units[i:end + 1])
            if y + need > frame.bottom and frame.pages[-1]:
                y = new_page()
                if unit.row and group.header is not None:
                    frame.pages[-1].append((group.header, y))
                    y += group.header.height
            frame.pages[-1].append((unit, y))
            y += unit.height
    return frame


class TextLines(Artist):
    """Lines of text at fixed baselines, drawn straight by the renderer: each is placed here (Page.draw), so
    matplotlib's Text layout (alignment, rotation, multi-line) would only cost time."""

    def __init__(self, items: list[tuple[float, float, str, FontProperties, str]]):
        super().__init__()
        self.items = items  # (x, baseline) in figure fractions, text, font, colour

    def draw(self, renderer) -> None:
        gc = renderer.new_gc()
        for x, y, text, font, colour in self.items:
            gc.set_foreground(colour)
            px, py = self.figure.transFigure.transform((x, y))
            renderer.draw_text(gc, px, py, text, font, 0)
        gc.restore()


@functools.cache
def _font_properties(size: float, bold: bool) -> FontProperties:
    return FontProperties(family=RC["font.family"], size=size, weight="bold" if bold else "normal")


class Page:
    """A matplotlib figure addressed in points from the page's top left."""

    def __init__(self):
        self.figure = Figure(figsize=A4_PORTRAIT)
        self.texts: list[tuple[float, float, str, FontProperties, str]] = []

    def draw(self, unit: Unit, x: float, top: float) -> None:
        for rx, ry, w, h, colour in unit.rects:
            self.figure.add_artist(Rectangle(((x + rx) / PAGE_W, 1 - (top + ry + h) / PAGE_H), w / PAGE_W,
                                             h / PAGE_H, facecolor=colour, edgecolor="none", zorder=0))
        for x0, x1, y, colour in unit.rules:
            self.figure.add_artist(Line2D([(x + x0) / PAGE_W, (x + x1) / PAGE_W], [1 - (top + y) / PAGE_H] * 2,
                                          color=colour, linewidth=0.8))
        for line in unit.lines:
            baseline = top + line.top + (pitch(line.size) - (ASCENT + DESCENT) * line.size) / 2 + ASCENT * line.size
            # Right-aligned by our own measure (matplotlib's is hinted, the PDF's glyphs are not).
            left = x + line.x - (drawn_width(line.text, line.size, line.bold) if line.ha == "right" else 0)
            if line.text:
                self.texts.append((left / PAGE_W, 1 - baseline / PAGE_H, line.text,
                                   _font_properties(line.size, line.bold), line.color))

    def finished(self) -> Figure:
        """The figure with its texts, in the order they were given (the order text is read back)."""
        self.figure.add_artist(TextLines(self.texts))
        return self.figure


def draw_pages(frame: Frame, progress: Callable[[Figure], None]) -> None:
    total = len(frame.pages)
    for number, placed in enumerate(frame.pages, start=1):
        page = Page()
        if number > 1:
            page.draw(frame.running, MARGIN_X, MARGIN_TOP)
        for unit, top in placed:
            page.draw(unit, MARGIN_X, top)
        footer_top = frame.bottom
        page.draw(frame.footer, MARGIN_X, footer_top)
        page.draw(Unit(0, [Line(WIDTH, frame.footer.height - pitch(SMALL_PT), f"page {number} / {total}", SMALL_PT,
                                color=MUTED, ha="right")]), MARGIN_X, footer_top)
        progress(page.finished())


def note_pdf(note: Note) -> bytes:
    """The note on A4 portrait pages; the same Note gives the same bytes (no date in the file)."""
    buffer = io.BytesIO()
    metadata = {"Title": drawable(f"{note.title} · {note.territory} · {note.month}"), "Creator": "Zoom secteurs",
                "CreationDate": None}
    with PDF_LOCK, matplotlib.rc_context(RC), PdfPages(buffer, metadata=metadata) as pdf:
        draw_pages(lay_out(note), pdf.savefig)
    return buffer.getvalue()
