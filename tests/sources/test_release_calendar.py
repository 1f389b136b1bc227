"""Each source declares its release calendar and caveats (RELEASES, RELEASE_NOTE, CAVEATS), validly, and the build
carries them into meta_source_catalog, where the monthly note reads them (never from the source modules)."""

import datetime
import re

import pytest

from pipelines.read import figures as read
from pipelines.sources import SOURCES
from tests.conftest import marts

SINCE = re.compile(r"([0-9]{4}(-(0[1-9]|1[0-2]))?)?")
DAY = re.compile(r"[0-9]{2}-[0-9]{2}")


ABOUT = {"", "demandeurs", "offres"}  # what part of a source a caveat concerns ("": all of it)


def calendar_problems(module) -> list[str]:
    """What is wrong with a source module's calendar and caveats (nothing: [])."""
    problems = [f"{name} not declared" for name in ("RELEASES", "RELEASE_NOTE", "CAVEATS") if name not in vars(module)]
    if problems:
        return problems
    releases, note, caveats = module.RELEASES, module.RELEASE_NOTE, module.CAVEATS
    if not isinstance(releases, tuple) or not all(isinstance(day, str) for day in releases):
        return ["RELEASES is not a tuple of strings"]
    for day in releases:
        try:  # a leap year, so that 02-29 is a day
            if not DAY.fullmatch(day):
                raise ValueError
            datetime.date.fromisoformat(f"2024-{day}")
        except ValueError:
            problems.append(f"RELEASES: {day!r} is no MM-DD day")
    if list(releases) != sorted(set(releases)):
        problems.append("RELEASES not in calendar order, or repeated")
    if not isinstance(note, str) or (not releases and not note.strip()):
        problems.append("RELEASE_NOTE must say why no release is announced")
    if not isinstance(caveats, tuple):
        return [*problems, "CAVEATS is not a tuple"]
    for caveat in caveats:
        if not isinstance(caveat, dict) or not {"since", "text"} <= set(caveat) <= {"since", "text", "about"}:
            problems.append(f"CAVEATS: {caveat!r} is not {{since, text[, about]}}")
        elif caveat.get("about", "") not in ABOUT:
            problems.append(f"CAVEATS: about {caveat['about']!r} is none of {sorted(ABOUT)}")
        elif not isinstance(caveat["since"], str) or not SINCE.fullmatch(caveat["since"]):
            problems.append(f"CAVEATS: since {caveat['since']!r} is not YYYY, YYYY-MM or ''")
        elif not isinstance(caveat["text"], str) or not caveat["text"].strip():
            problems.append("CAVEATS: empty text")
    return problems


@pytest.mark.parametrize("name", list(SOURCES))
def test_every_source_declares_a_valid_calendar_and_caveats(name):
    assert calendar_problems(SOURCES[name].module) == []


class Fake:
    NAME = "fake"


@pytest.mark.parametrize(("releases", "note", "caveats", "problem"), [
    (("13-01",), "", (), "'13-01' is no MM-DD day"),
    (("02-30",), "", (), "'02-30' is no MM-DD day"),
    (("4-15",), "", (), "'4-15' is no MM-DD day"),
    (("10-05", "01-05"), "", (), "not in calendar order"),
    ((), "", (), "RELEASE_NOTE must say why"),
    (("02-29",), "", ({"since": "2025-13", "text": "x"},), "since '2025-13'"),
    (("02-29",), "", ({"depuis": "2025", "text": "x"},), "is not {since, text[, about]}"),
    (("02-29",), "", ({"since": "2025", "text": "x", "about": "tout"},), "about 'tout' is none of"),
    (("02-29",), "", ({"since": "2025", "text": " "},), "empty text"),
])
def test_the_check_refuses_a_bad_calendar(releases, note, caveats, problem):
    fake = type("Module", (), {"RELEASES": releases, "RELEASE_NOTE": note, "CAVEATS": caveats})
    assert any(problem in found for found in calendar_problems(fake))
    assert calendar_problems(Fake) == ["RELEASES not declared", "RELEASE_NOTE not declared", "CAVEATS not declared"]


def _caveats(name: str) -> str:
    return " | ".join(f"{caveat['since']}: {caveat['text']}" for caveat in SOURCES[name].caveats)


def test_the_known_caveats_come_from_the_sources():
    """What the note's "Avertissements" must say, declared where the figures come from."""
    assert re.search(r"2023: [^|]*apprentis", _caveats("urssaf"))
    for name in ("dares_defm", "france_travail"):
        assert re.search(r"2025-01: [^|]*plein emploi[^|]*RSA[^|]*Missions locales", _caveats(name))
        assert re.search(r"2025-01: [^|]*label de statistique publique[^|]*suspendu", _caveats(name))
    assert re.search(r"CVS\)[^|]*révisés", _caveats("insee_chomage"))
    # The zone holding most of the communes, not always a majority of them (24 EPCI of France have none).
    assert re.search(r"EPCI[^|]*zone d'emploi[^|]*le plus de ses communes, même sans en avoir la majorité",
                     _caveats("insee_chomage"))
    assert SOURCES["urssaf_dpae"].releases == () and "suspendue" in SOURCES["urssaf_dpae"].release_note
    assert "zonage" in SOURCES["insee_ze"].release_note and "zonage" in SOURCES["bmo_bassins"].release_note


def test_the_calendar_and_caveats_reach_meta_source_catalog(demo_marts):
    con = marts(demo_marts)
    try:
        catalog = read.source_catalog(con)
    finally:
        con.close()
    assert [row["source"] for row in catalog] == list(SOURCES)
    for row in catalog:
        source = SOURCES[row["source"]]
        assert row["releases"] == list(source.releases)
        assert row["release_note"] == source.release_note
        assert row["published_in_period"] is source.published_in_period
        assert row["caveats"] == [{"about": "", **caveat} for caveat in source.caveats]
    assert any(row["caveats"] for row in catalog) and any(row["releases"] for row in catalog)
    assert [row["source"] for row in catalog if row["published_in_period"]] == ["bmo"]
