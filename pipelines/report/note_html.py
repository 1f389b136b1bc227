"""The note as one self-contained A4 HTML document (the page shows it; editions keep it).

STUB (issue 13 in progress): the full rendering replaces it.
"""

from pipelines.report.note_model import Note, Table
from pipelines.report.safe_text import html_text


def note_html(note: Note) -> str:
    parts = [f"<h1>{html_text(note.title)}</h1><p>{html_text(note.territory)} · {html_text(note.month)}</p>"]
    for section in note.sections:
        parts.append(f"<h2>{html_text(section.title)}</h2>")
        for block in section.blocks:
            if isinstance(block, Table):
                parts.append("<table>" + "".join("<tr>" + "".join(f"<td>{html_text(c)}</td>" for c in row) + "</tr>"
                                                 for row in [block.columns, *block.rows]) + "</table>")
    return "<!doctype html><html lang=\"fr\"><meta charset=\"utf-8\"><body>" + "".join(parts) + "</body></html>"
