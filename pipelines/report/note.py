"""The monthly note of a territory, worded from its figures (read/note.note_figures) as a note_model.Note.

STUB (issue 13 in progress): a minimal, working note; the full wording replaces it.
"""

from pipelines.report.note_model import Note, Section, Table


def build_note(figures: dict, previous: dict | None = None, revision: int = 1) -> Note:
    """The note of `figures`; `previous` is the figures of the territory's previous edition (an earlier month),
    for "Quoi de neuf"; `revision` the edition's revision number (1: first publication of the month)."""
    place = figures["territory"]["spec"]
    rows = [[series["id"], str(series["values"][place]["period"]), str(series["values"][place]["value"])]
            for series in figures["series"] if place in series["values"]]
    return Note(title="Note mensuelle sur l'emploi", territory=figures["territory"]["name"], month=figures["month"],
                sections=[Section("Chiffres clés", [Table(["Indicateur", "Période", "Valeur"], rows)])],
                footer=f"Édition {figures['month']}, révision {revision}")
