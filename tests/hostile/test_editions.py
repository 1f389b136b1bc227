"""A damaged archive of editions (a file missing, a truncated JSON, stray files, an edition.json that lies) and
hostile territory names: every good edition is still listed, every bad folder is named in French, nothing is ever
rewritten, and names reach the diff, the note and the terminal as text, never as markup or control characters."""

import json

import duckdb
import pytest

from pipelines import paths
from pipelines.__main__ import main
from pipelines.publish import editions as publisher
from pipelines.read import editions as archive
from pipelines.read import note
from pipelines.report.edition_diff import diff_table
from tests.hostile.markup_files import IFRAME, IMG
from tests.note_sample import DEPT, PLACE, sample

SPEC = PLACE


def tree(folder):
    return {file.relative_to(folder).as_posix(): file.read_bytes() for file in sorted(folder.rglob("*"))
            if file.is_file()}


@pytest.fixture
def damaged(data_dir):
    """Four months published, then each but the first damaged differently; stray files beside them."""
    for month in ("2026-09", "2026-10", "2026-11", "2026-12"):
        publisher.publish(sample(month=month), month)
    base = archive.territory_folder(SPEC)
    (base / "2026-10" / "figures.json").unlink()  # a folder without figures.json
    truncated = base / "2026-11" / "figures.json"
    truncated.write_bytes(truncated.read_bytes()[:200])  # cut mid-way
    meta = base / "2026-12" / "edition.json"
    meta.write_text(json.dumps({"spec": "epci:999999999", "month": "2026-12", "revision": 1,
                                "published_at": "2026-12-05T06:00:00+00:00"}), encoding="utf-8")
    (base / "LISEZMOI.txt").write_text("notes à la main", encoding="utf-8")
    (base / "2026-13").mkdir()
    (base / "2026-09" / "copie.pdf").write_bytes(b"%PDF")
    (base / "2026-09" / "revision-2").mkdir()  # an empty revision folder
    return base


def test_a_damaged_archive_lists_what_is_whole_and_names_the_rest(damaged):
    assert [(edition.month, edition.revision) for edition in archive.editions(SPEC)] == [("2026-09", 1)]
    problems = archive.skipped(SPEC)
    expected = {"2026-10": "manque figures.json", "2026-11": "JSON invalide ou tronqué",
                "2026-12": "ne décrit pas l'édition de ce dossier", "LISEZMOI.txt": "ni une édition",
                "2026-13": "ni une édition", "copie.pdf": "fichier inconnu", "revision-2": "édition incomplète"}
    for name, problem in expected.items():
        assert any(name in line and problem in line for line in problems), (name, problems)
    assert len(problems) == len(expected)
    assert archive.territories_with_editions() == [SPEC]


def test_the_cli_lists_a_damaged_archive_without_a_traceback(damaged, capsys):
    assert main(["editions", "--territoire", SPEC]) == 0
    captured = capsys.readouterr()
    assert "septembre 2026" in captured.out and "octobre 2026" not in captured.out
    assert captured.err.count("Attention : ") == 7 and "Traceback" not in captured.err
    assert main(["editions", "--territoire", SPEC, "--comparer", "2026-09", "2026-11"]) == 1
    assert "Pas d'édition 2026-11" in capsys.readouterr().err


def test_a_new_revision_never_reuses_nor_rewrites_a_damaged_folder(damaged):
    before = tree(damaged)
    result = publisher.publish(sample(month="2026-11"), "2026-11")  # the month's only revision is unreadable
    assert (result.status, result.edition.revision, result.revised) == ("revision", 2, [])
    after = tree(damaged)
    assert {name: after[name] for name in before} == before
    changed = sample(month="2026-09")
    changed["series"][0]["values"][PLACE]["value"] = 10401
    assert publisher.publish(changed, "2026-09").edition.revision == 3  # the empty revision-2 keeps its number
    assert [(edition.month, edition.revision) for edition in archive.editions(SPEC)] == \
        [("2026-09", 1), ("2026-09", 3), ("2026-11", 2)]


@pytest.mark.parametrize("content", [b"\xff\xfe not utf-8", b"[1, 2]", b'{"territory": "x"}', b"",
                                     b'{"territory": {"spec": "epci:200000001"}, "month": "2026-12", "series": [1]}',
                                     b'{"territory": {"spec": "epci:200000001"}, "month": "2026-12", "series": [], '
                                     b'"sectors": 5}'])
def test_figures_that_would_break_a_reader_are_skipped(data_dir, content):
    publisher.publish(sample(), "2026-12")
    (archive.territory_folder(SPEC) / "2026-12" / "figures.json").write_bytes(content)
    assert archive.editions(SPEC) == []
    [problem] = archive.skipped(SPEC)
    assert "2026-12/figures.json" in problem and problem.endswith("édition ignorée")


HOSTILE = {"name": f"Agglo {IFRAME}\n\x1b[2J\u202e{IMG} %s {{0}}", "dept": "Ille\r\net\x07Vilaine <b>"}


def hostile_figures(month="2026-12"):
    figures = sample(month=month)
    figures["territory"]["name"] = figures["places"][0]["name"] = HOSTILE["name"]
    figures["places"][1]["name"] = HOSTILE["dept"]
    return figures


def test_hostile_names_in_the_diff_are_one_line_of_text():
    new = hostile_figures()
    new["series"][0]["values"][PLACE]["value"] = 10401
    new["series"][0]["values"][DEPT]["value"] = 30001
    table = diff_table(archive.diff(sample(), new), new)
    assert [row[1] for row in table.rows] == [" ".join(HOSTILE["name"].split()), "Ille et\x07Vilaine <b>"]
    assert all("\n" not in cell and "\r" not in cell for row in table.rows for cell in row)


def test_a_hostile_sector_label_in_the_diff_is_one_line_of_text():
    old, new = sample(), sample()
    new["sectors"][0] |= {"label": f"BTP {IFRAME}\r\n\x1b[2J", "employees": 12001}
    old["sectors"][1] |= {"sector_code": "<b>disparu</b>\n", "label": None}
    rows = diff_table(archive.diff(old, new), new).rows
    assert [row[:3] for row in rows if row[2] != "nouveau chiffre"] == [
        [f"BTP {' '.join(IFRAME.split())} \x1b[2J : emploi salarié", "Agglomération fictive", "révisé"],
        *([f"<b>disparu</b> : {label}", "Agglomération fictive", "retiré"] for label in (
            "emploi salarié", "évolution de l'emploi salarié sur un an", "tension (classe moyenne, 1 à 5)"))]
    assert all("\n" not in cell and "\r" not in cell for row in rows for cell in row)


def test_hostile_names_reach_the_note_and_the_terminal_inert(data_dir, monkeypatch, capsys):
    paths.MARTS_DB.parent.mkdir(parents=True, exist_ok=True)
    duckdb.connect(str(paths.MARTS_DB)).close()
    figures = {"current": hostile_figures()}
    monkeypatch.setattr(note, "note_figures", lambda con, kind, code, month: figures["current"])
    assert main(["note", "--territoire", SPEC, "--mois", "2026-12"]) == 0
    figures["current"] = hostile_figures()
    figures["current"]["series"][0]["values"][PLACE]["value"] = 10401
    assert main(["note", "--territoire", SPEC, "--mois", "2026-12"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "<iframe" in out  # shown as text on a terminal, as every name is
    html = (archive.territory_folder(SPEC) / "2026-12" / "revision-2" / "note.html").read_text(encoding="utf-8")
    assert "<iframe" not in html and "<img" not in html and "&lt;iframe" in html


def test_a_hostile_spec_stays_inside_the_archive(data_dir):
    figures = sample()
    figures["territory"]["spec"] = "liste:../../../etc/passwd"
    result = publisher.publish(figures, "2026-12")
    assert result.edition.folder.parent.parent == paths.EDITIONS_DIR
    assert result.edition.folder.parent.name == "liste-_________etc_passwd"
    assert archive.editions("liste:../../../etc/passwd") == [result.edition]
