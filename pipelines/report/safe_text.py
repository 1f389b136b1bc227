"""Text from a data file is shown as text, never run as markup or formula: one function per place it goes.

A name read from a publisher's or a user's file (territory, métier, sector, source, file name) can hold anything:
`<iframe …>`, `[lien](javascript:…)`, `**`, `$x$`, `=HYPERLINK(…)`. Wherever such a text is shown it is escaped
here, for that place, and nowhere else (tests/test_conventions.py checks that pages and exports do not escape
on their own and that no f-string reaches Streamlit's `unsafe_allow_html`):

- `html_text`: an HTML page we write ourselves (the offline pack);
- `markdown_text`: Streamlit's markdown (st.markdown, captions, notices, widget labels), with or without HTML;
- `markup` / `Markup`: a piece of HTML for Streamlit's markdown, made of code literals and escaped data only,
  the one thing `trusted` lets through to `unsafe_allow_html`;
- `plotly_text`: any text a plotly figure draws (plotly reads a small HTML subset: `<a>`, `<b>`, `<br>`…);
- `csv_cell`: a cell of a CSV download (a spreadsheet runs a cell starting with `=` as a formula);
- `MATPLOTLIB_RC`: matplotlib (the PDF) draws every text as written (no `$…$` mathtext);
- `terminal_text` / `TerminalStream`: what the command line prints (no escape sequence from a file reaches the
  terminal: `\x1b[2J` would clear it, others retitle it or rewrite what it shows).
"""

import html
import re
import unicodedata

# Written as a character reference, a character is that character for the markdown parser (never emphasis, link,
# code, HTML, table, math, Streamlit directive) and for the browser (raw HTML, attribute values): the same escaped
# text is right in plain markdown, in markdown with HTML and in HTML blocks. Escaped: the characters that open
# markup anywhere in a line (`@` for GFM's e-mail autolinks, `"` for an attribute value), and what opens markup
# only where it stands: a line's leading spaces or list/heading marker, `www.` and `://` (GFM's autolinks), a `:`
# that starts a `:shortcode:` (an emoji, or an icon: `:material/dangerous:`; Streamlit rewrites any `:material/`
# before parsing, hence that too). French punctuation (`'`, `:`, `,`, `(`, `%`) stays as it is, readable in the source.
MARKDOWN_SPECIAL = frozenset('\\`*_~[]<>&#|$@"')
MARKDOWN_PLACED = re.compile(r"^\s+|^[+=-]|^\d+[.)]|(?i:www)\.|:(?=//)|:(?=[\w+/-]+:|material/)")
NAMED = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
# A cell starting with one of these is read as a formula by spreadsheets (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MATPLOTLIB_RC = {"text.usetex": False, "text.parse_math": False}


def html_text(value) -> str:
    """A text for an HTML page (element content or quoted attribute value)."""
    return html.escape(str(value), quote=True)


def markdown_text(value) -> str:
    """A text for Streamlit's markdown, shown as written: markup characters as character references (see
    MARKDOWN_SPECIAL), line breaks as spaces (a line break could start a block)."""
    text = " ".join(str(value).splitlines())
    placed = {i for match in MARKDOWN_PLACED.finditer(text) for i in range(*match.span())}
    return "".join(NAMED.get(char, f"&#{ord(char)};") if char in MARKDOWN_SPECIAL or i in placed else char
                   for i, char in enumerate(text))


class Markup(str):
    """Markdown with HTML for Streamlit, built by `markup`: code literals and escaped data only. Adding or joining a
    plain text escapes it."""

    def __add__(self, other):
        return Markup(str.__add__(self, _escaped(other)))

    def __radd__(self, other):
        return Markup(str.__add__(_escaped(other), self))

    def join(self, parts) -> "Markup":
        return Markup(str.join(self, (_escaped(part) for part in parts)))


def _escaped(value) -> str:
    """A value for HTML in markdown: markdown_text, and `'` too (a value may sit in a quoted attribute)."""
    return value if isinstance(value, Markup) else markdown_text(value).replace("'", "&#x27;")


def markup(template: str, *values, **named) -> Markup:
    """`template` (a literal of the code: markdown and HTML) with each `{}` filled by a value escaped for it
    (`markdown_text`), unless the value is already Markup."""
    return Markup(template.format(*map(_escaped, values), **{name: _escaped(v) for name, v in named.items()}))


def css_name(text) -> Markup:
    """A CSS class or key fragment (`<style>` does not read character references): letters, digits, - and _."""
    return Markup(re.sub(r"[^A-Za-z0-9_-]", "", str(text)))


def trusted(value) -> str:
    """What may be given to Streamlit's `unsafe_allow_html`: Markup only (a plain f-string never is)."""
    if not isinstance(value, Markup):
        raise TypeError("HTML for the page must be built with safe_text.markup (data escaped), not a plain str")
    return str(value)


def plotly_text(value) -> str:
    """A text a plotly figure draws (title, axis and tick labels, legend, hover, bar labels, annotation, menu)."""
    return html.escape(str(value), quote=False)


def csv_cell(value):
    """A text cell that would start a formula, prefixed with an apostrophe (shown as typed); numbers untouched."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


# Control characters but line breaks and tabs (C0, DEL, C1: escape sequences, backspace, carriage return that
# overwrites a line) and the invisible bidirectional controls that reorder what a terminal shows.
_TERMINAL_KEPT = frozenset("\n\t")
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def terminal_text(value) -> str:
    """A text for a terminal, shown as written: each control character (see above), and each byte of a file name
    that was not UTF-8 (Python's lone surrogates), replaced by U+FFFD."""
    text = str(value)
    return "".join("\ufffd" if (unicodedata.category(char) == "Cc" and char not in _TERMINAL_KEPT)
                   or char in _BIDI_CONTROLS or unicodedata.category(char) == "Cs" else char for char in text)


class TerminalStream:
    """sys.stdout or sys.stderr for the command line: everything written goes through terminal_text."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(terminal_text(text))

    def __getattr__(self, name):  # flush, fileno, encoding...: the wrapped stream's
        return getattr(self.stream, name)
