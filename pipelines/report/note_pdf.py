"""The note as an A4 portrait PDF, drawn from the same Note as the HTML.

STUB (issue 13 in progress): the full rendering replaces it.
"""

import io

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from pipelines.report.note_model import Note

A4_PORTRAIT = (210 / 25.4, 297 / 25.4)


def note_pdf(note: Note) -> bytes:
    buffer = io.BytesIO()
    with PdfPages(buffer, metadata={"CreationDate": None}) as pdf:
        figure = Figure(figsize=A4_PORTRAIT)
        figure.text(0.1, 0.9, f"{note.title} · {note.territory}")
        pdf.savefig(figure)
    return buffer.getvalue()
