"""The note's figures asked for with odd months and territories: refused in French, naming what was given."""

import pytest

from pipelines.read.note import note_figures
from tests.conftest import marts


@pytest.fixture
def demo(demo_marts):
    con = marts(demo_marts)
    yield con
    con.close()


@pytest.mark.parametrize("month", ["2026-13", "2026-1", "2026-00", "26-12", "2026-12-01", " 2026-12", "../../etc",
                                   "２０２６-１２", "", None, 202612])
def test_an_odd_month_is_refused(demo, month):
    with pytest.raises(ValueError, match=r"mois « .* » invalide : il s'écrit AAAA-MM, comme 2026-12"):
        note_figures(demo, "bassin_bmo", "5314", month)


@pytest.mark.parametrize(("territory_type", "code"), [("epci", "999999999"), ("bassin_bmo", "5314' or '1'='1"),
                                                      ("departement", "<script>")])
def test_an_unknown_territory_is_refused(demo, territory_type, code):
    with pytest.raises(LookupError, match="territoire inconnu"):
        note_figures(demo, territory_type, code, "2026-12")
