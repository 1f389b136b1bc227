"""The note as one self-contained A4 HTML document (the page shows it; editions keep it), drawn from the same Note
as the PDF (report/note_pdf.py), in the same order.

No script, no external resource: the CSS is inline. On screen it looks like the paper page (A4 wide, centred,
narrower when its frame is: the dashboard shows it about 980 px wide); printed, `@page` makes it A4 portrait with
the PDF's sizes, the tables' header rows repeated on each page, pages broken between rows and items. Every text
of the Note is escaped (safe_text.html_text).
"""

from pipelines.report.note_model import Bullets, Definitions, Note, Paragraphs, Table
from pipelines.report.note_pdf import table_widths
from pipelines.report.safe_text import html_text

STYLE = """
@page { size: A4 portrait; margin: 14mm 17mm 12mm; }
* { box-sizing: border-box; }
html { background: #e9e9e9; }
body { margin: 0; padding: 16px 8px; color: #1a1a1a; font: 10pt/1.35 "DejaVu Sans", Verdana, Arial, sans-serif; }
.page { width: 210mm; max-width: 100%; margin: 0 auto; padding: 14mm 17mm 12mm; background: #fff;
  box-shadow: 0 1px 6px rgba(0, 0, 0, .25); }
p, li, td, th, dd, dt, h1, h2 { unicode-bidi: plaintext; overflow-wrap: anywhere; }
h1 { font-size: 17pt; margin: 0; }
.territory { font-size: 12.5pt; font-weight: bold; color: #005a8c; margin: 2pt 0 0; }
.month { font-size: 10.5pt; color: #555; margin: 0 0 4pt; padding-bottom: 4pt; border-bottom: 1px solid #0072B2; }
.demo { color: #9b1c1c; font-weight: bold; font-size: 9pt; border: 1px solid #9b1c1c; padding: 3pt 6pt;
  margin: 6pt 0; }
h2 { font-size: 12.5pt; color: #005a8c; border-bottom: 1px solid #0072B2; margin: 14pt 0 5pt; padding-bottom: 1pt;
  break-after: avoid; }
p { margin: 0 0 4pt; }
ul { margin: 0 0 4pt; padding-left: 14pt; }
li { margin-bottom: 3pt; }
.scroll { overflow-x: auto; }
table { width: 100%; min-width: 36em; table-layout: fixed; border-collapse: collapse; font-size: 8.5pt;
  line-height: 1.22; }
th, td { padding: 2.5pt 4pt; vertical-align: top; text-align: right; white-space: pre-line; }
th:first-child, td:first-child { text-align: left; }
thead th { background: #e8eef5; border-bottom: 1px solid #0072B2; print-color-adjust: exact;
  -webkit-print-color-adjust: exact; }
tbody td { border-bottom: 1px solid #c8c8c8; }
tr, li, p, dd { break-inside: avoid; }
dt { break-after: avoid; }
.notes { color: #555; font-size: 8.5pt; margin: 3pt 0 6pt; }
.notes p { margin: 0 0 2pt; }
dl { display: grid; grid-template-columns: minmax(6em, max-content) 1fr; gap: 2pt 10pt; margin: 0; }
dt { font-weight: bold; max-width: 30ch; }
dd { margin: 0; }
footer { margin-top: 14pt; padding-top: 4pt; border-top: 1px solid #c8c8c8; color: #555; font-size: 8.5pt; }
footer .demo { border: 0; padding: 0; margin: 0 0 2pt; font-size: 8.5pt; }
/* On a screen (the page, a projector) no text is under 12 px (9 pt); paper keeps the PDF's sizes. */
@media screen { table, .notes, footer, footer .demo { font-size: 9pt; } }
@media print {
  /* The PDF's sizes (report/note_pdf.py): the printed note is two pages as well. */
  html, body { background: none; padding: 0; }
  body { font-size: 9pt; line-height: 1.3; }
  h2 { font-size: 12pt; margin: 8pt 0 4pt; }
  li { margin-bottom: 2pt; }
  footer { margin-top: 8pt; }
  .page { width: auto; padding: 0; box-shadow: none; }
  .scroll { overflow: visible; }
  thead { display: table-header-group; }
}
"""


def _table(table: Table) -> str:
    # The PDF's column widths, as shares: the same lines wrap on the page and on paper.
    widths = table_widths(table)
    cols = "".join(f'<col style="width:{100 * width / sum(widths):.2f}%">' for width in widths)
    head = "".join(f'<th scope="col">{html_text(column)}</th>' for column in table.columns)
    rows = "".join("<tr>" + "".join(f"<td>{html_text(cell)}</td>" for cell in row) + "</tr>" for row in table.rows)
    notes = "".join(f"<p>{html_text(note)}</p>" for note in table.notes)
    return (f'<div class="scroll"><table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>'
            f'<tbody>{rows}</tbody></table></div>' + (f'<div class="notes">{notes}</div>' if notes else ""))


def _block(block) -> str:
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Paragraphs):
        return "".join(f"<p>{html_text(item)}</p>" for item in block.items)
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{html_text(item)}</li>" for item in block.items) + "</ul>"
    if isinstance(block, Definitions):
        return "<dl>" + "".join(f"<dt>{html_text(term)}</dt><dd>{html_text(text)}</dd>"
                                for term, text in block.items) + "</dl>"
    raise TypeError(f"unknown block {type(block).__name__}")


def note_html(note: Note) -> str:
    demo = html_text(note.demo_warning)
    sections = "".join(f"<section><h2>{html_text(section.title)}</h2>{''.join(map(_block, section.blocks))}</section>"
                       for section in note.sections)
    footer = (f'<p class="demo">{demo}</p>' if demo else "") + f"<p>{html_text(note.footer)}</p>"
    return ('<!doctype html>\n<html lang="fr"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html_text(note.title)} · {html_text(note.territory)} · {html_text(note.month)}</title>"
            f"<style>{STYLE}</style></head><body><main class=\"page\">"
            f'<header><h1>{html_text(note.title)}</h1><p class="territory">{html_text(note.territory)}</p>'
            f'<p class="month">{html_text(note.month)}</p>'
            + (f'<p class="demo" role="note">{demo}</p>' if demo else "") + "</header>"
            f"{sections}<footer>{footer}</footer></main></body></html>\n")
