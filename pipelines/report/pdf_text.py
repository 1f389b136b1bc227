"""Text on a matplotlib PDF page, measured as it will be drawn: shared by the slides (export_pdf) and the note
(note_pdf).

Widths come from the font file itself (FreeType, DejaVu Sans: the font the PDF embeds), so that a line wrapped
here fits where it is drawn. rc_context and the measuring fonts are process-wide: one PDF at a time (PDF_LOCK;
the dashboard serves many sessions).
"""

import functools
import threading
import unicodedata
from collections.abc import Callable

from matplotlib import font_manager
from matplotlib.ft2font import FT2Font, Kerning, LoadFlags

from pipelines.report.safe_text import MATPLOTLIB_RC

PDF_LOCK = threading.Lock()
INK, MUTED, RULE = "#1a1a1a", "#555555", "#0072B2"
RC = {
    "pdf.fonttype": 42,  # TrueType: the text of each page can be searched, copied and extracted
    "font.family": "DejaVu Sans",  # ships with matplotlib; has the narrow no-break space and the minus sign
    "axes.edgecolor": "#888888", "axes.labelcolor": INK, "xtick.color": INK, "ytick.color": INK,
    "axes.spines.top": False, "axes.spines.right": False,
    **MATPLOTLIB_RC,  # a "$" in a label is a dollar sign, not mathtext (which garbles or refuses it)
}
EM = 100.0  # the size advances are read at (points), then scaled
MISSING = "\ufffd"  # what a character the font cannot draw becomes (DejaVu Sans has it)


@functools.cache
def _font(bold: bool, mono: bool = False) -> FT2Font:
    family = "DejaVu Sans Mono" if mono else "DejaVu Sans"
    return FT2Font(font_manager.findfont(font_manager.FontProperties(family=family,
                                                                     weight="bold" if bold else "normal")))


@functools.cache
def _charmap(bold: bool) -> frozenset[int]:
    return frozenset(_font(bold).get_charmap())


def drawable(text: str, bold: bool = False) -> str:
    """`text` as the font can draw it: a control character but the line break (tab, carriage return, escape…)
    is a space, a character the font lacks (most emoji) is U+FFFD, not an empty box with a warning."""
    chars = _charmap(bold)
    return "".join(c if c == "\n" or (ord(c) in chars and unicodedata.category(c) != "Cc")
                   else " " if unicodedata.category(c) == "Cc" else MISSING for c in text)


def text_width(text: str, size: float, bold: bool = False, mono: bool = False) -> float:
    """The width of one line of text in points, as DejaVu Sans (or DejaVu Sans Mono) draws it."""
    font = _font(bold, mono)
    font.set_size(size, 72)
    font.set_text(text, 0.0)
    return font.get_width_height()[0] / 64


@functools.cache
def _advance(char: str, bold: bool) -> float:
    """A character's advance in em, unhinted: where the PDF viewer puts the next glyph."""
    font = _font(bold)
    font.set_size(EM, 72)
    return font.load_char(ord(char), flags=LoadFlags.NO_HINTING).linearHoriAdvance / 65536 / EM


@functools.cache
def _kerning(left: str, right: str, bold: bool) -> float:
    font = _font(bold)
    font.set_size(EM, 72)
    return font.get_kerning(font.get_char_index(ord(left)), font.get_char_index(ord(right)),
                            Kerning.UNFITTED) / 64 / EM


def drawn_width(text: str, size: float, bold: bool = False) -> float:
    """The width of one line in points as the PDF draws it (matplotlib places each glyph at the sum of the
    advances and kerning before it). Fast: per character, cached; text_width shapes the whole string."""
    return size * (sum(_advance(c, bold) for c in text)
                   + sum(_kerning(a, b, bold) for a, b in zip(text, text[1:], strict=False)))


def _cut(word: str, size: float, room: float, bold: bool, width: Callable) -> list[str]:
    """A word wider than `room` cut into pieces that fit (a long code, an address, a name without spaces)."""
    pieces = [""]
    for char in word:
        if pieces[-1] and width(pieces[-1] + char, size, bold) > room:
            pieces.append("")
        pieces[-1] += char
    return pieces


def french_words(paragraph: str) -> list[str]:
    """The words of a paragraph at its spaces (not str.split(): it would break the narrow no-break spaces), a
    French ";", ":", "!", "?" or "»" kept with the word before it and "«" with the word after: a line never
    starts with "; une part"."""
    words: list[str] = []
    for word in paragraph.split(" "):
        if words and word and (word[0] in ";:!?»" or words[-1].endswith("«")):
            words[-1] += f" {word}"
        else:
            words.append(word)
    return words


def wrap_lines(text: str, size: float, room: float, bold: bool = False, width: Callable = text_width) -> list[str]:
    """`text` on lines of at most `room` points as `width` measures them: its own line breaks kept, words wrapped
    at spaces (never at the narrow no-break spaces of French numbers), a word wider than the room cut."""
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        start = len(lines)
        for word in french_words(paragraph):
            if len(lines) > start and width(f"{lines[-1]} {word}", size, bold) <= room:
                lines[-1] += f" {word}"
            elif width(word, size, bold) <= room:
                lines.append(word)
            else:
                lines += _cut(word, size, room, bold, width)
    return lines
