"""The note's wording given figures it did not expect: a release calendar written by hand, a previous edition
read back from a JSON of another shape, figures missing their value, series and reasons of a later format. The
note is still built, says what it knows and invents nothing. (Markup in names is the renderers' business.)"""

from datetime import date

import pytest

from pipelines.report.note import build_note
from pipelines.report.note_model import Bullets, Paragraphs, Table
from pipelines.report.release_calendar import next_release
from tests.note_sample import PLACE, sample

WHATS_NEW = "Quoi de neuf depuis la note précédente"


def items(note, title: str) -> list[str]:
    blocks = next(s.blocks for s in note.sections if s.title == title)
    return [item for block in blocks if isinstance(block, Bullets | Paragraphs) for item in block.items]


def test_a_release_calendar_written_by_hand_keeps_only_real_days():
    releases = ["13-45", "1-2", "", "00-10", "12-32", "02-30", "04-31", 1228, None, "vers le 15"]
    assert next_release(releases, date(2026, 12, 1)) == date(2027, 2, 28)  # 30 February: its last day
    assert next_release(["04-31"], date(2027, 1, 1)) == date(2027, 4, 30)
    assert next_release(None, date(2026, 12, 1)) is None
    figures = sample(month="2025-09")  # T2 2025 is then the newest quarter: no release missed yet
    figures["catalog"][0]["releases"] = releases
    assert any("vers le 28 février 2026 (Dares)" in line for line in items(build_note(figures), WHATS_NEW))


@pytest.mark.parametrize("previous", [
    {},
    {"month": 202611, "series": "abc"},
    {"month": "2026-11", "series": [None, "x", {"id": "demandeurs_a", "values": ["2025-T1"]}]},
    {"month": "2026-11", "series": [{"id": "demandeurs_a", "values": {PLACE: {"period": None}}}]},
    {"month": "2026-11", "series": [{"id": "demandeurs_a", "values": {PLACE: "2025-T1"}}]},
])
def test_a_previous_edition_of_another_shape_counts_as_absent(previous):
    lines = items(build_note(sample(), previous), WHATS_NEW)
    assert lines[0].startswith("Depuis la note de ")
    assert lines[1].startswith("Demandeurs d'emploi, catégorie A : T2 2025 (absent de la note précédente) : 10")


def test_figures_missing_their_value_or_of_a_later_format_say_so():
    figures = sample()
    figures["series"][0]["values"][PLACE].update(value=None, change_previous=None, change_1y=None)
    figures["series"].append({"id": "serie_future", "source": "inconnue", "unit": "count", "frequency": "quarter",
                              "values": {}, "unavailable": {PLACE: "raison_future"}})
    note = build_note(figures)
    table = next(s.blocks for s in note.sections if s.title == "Chiffres clés")[0]
    assert isinstance(table, Table)
    assert table.rows[0][2] == "n.d."  # never 0, no change made up
    assert "Sans chiffre pour ces territoires : offres d'emploi enregistrées (non publié à cette échelle) ; projets " \
           "de recrutement (BMO) (non publié à cette échelle) ; serie_future (n.d.)." in table.notes
