"""Frozen editions of the monthly note (issue 13 §3): publish(), the archive's reader and the diff, on the sample
figures (tests/note_sample.py) with the real renderers; tests/publish/test_note_cli.py runs the whole chain on demo
and real marts."""

import errno
import fcntl
import json
import os
from datetime import date
from pathlib import Path

import pytest

from pipelines import datalock, paths
from pipelines.errors import StorageError
from pipelines.publish import editions as publisher
from pipelines.read import editions as archive
from pipelines.read.note import figures_json
from pipelines.report.edition_diff import diff_table
from pipelines.warehouse import build
from tests.note_sample import DEPT, FRANCE, PLACE, REGION, sample

SPEC = PLACE


def tree(folder: Path) -> dict:
    """Every file under `folder`: its bytes and modification time (a rewrite changes one or the other)."""
    return {file.relative_to(folder).as_posix(): (file.read_bytes(), file.stat().st_mtime_ns)
            for file in sorted(folder.rglob("*")) if file.is_file()}


def revised(figures: dict, series_id: str, place: str, **entry) -> dict:
    """`figures` with some keys of one series × place entry changed."""
    series = next(one for one in figures["series"] if one["id"] == series_id)
    series["values"][place].update(entry)
    return figures


def test_first_publication_writes_a_whole_edition(data_dir):
    files = [{"source": "dares_defm", "sha256": "0" * 64, "path": "dares_defm/2025-T2/defm.csv",
              "retrieved_at": "2026-12-01T06:00:00+00:00", "bytes": 1234, "origin": "import"}]
    result = publisher.publish(sample(), "2026-12", files=files)
    folder = paths.EDITIONS_DIR / "epci-200000001" / "2026-12"
    assert (result.status, result.edition.folder, result.edition.revision, result.revised) == \
        ("nouvelle", folder, 1, [])
    assert sorted(path.name for path in folder.iterdir()) == sorted(archive.EDITION_FILES)
    assert (folder / "figures.json").read_bytes() == figures_json(sample())
    assert (folder / "note.pdf").read_bytes().startswith(b"%PDF")
    assert "Agglomération fictive" in (folder / "note.html").read_text(encoding="utf-8")
    meta = json.loads((folder / "edition.json").read_text(encoding="utf-8"))
    assert {key: meta[key] for key in ("spec", "month", "revision", "revised")} == \
        {"spec": SPEC, "month": "2026-12", "revision": 1, "revised": []}
    assert meta["published_at"] == result.edition.published_at and meta["published_at"].endswith("+00:00")
    sources = json.loads((folder / "sources.json").read_text(encoding="utf-8"))["files"]
    assert sources[0] == {**sample()["sources"][0], "path": "dares_defm/2025-T2/defm.csv",
                               "retrieved_at": "2026-12-01T06:00:00+00:00", "bytes": 1234}
    assert sources[1]["path"] is None  # not in the manifest any more: said, not invented
    assert archive.editions(SPEC) == [result.edition]
    assert archive.territories_with_editions() == [SPEC]
    assert archive.figures_of(result.edition) == sample()


def test_the_same_figures_publish_nothing(data_dir):
    publisher.publish(sample(), "2026-12")
    before = tree(paths.EDITIONS_DIR)
    result = publisher.publish(sample(), "2026-12")
    assert result.status == "inchangee" and result.edition.revision == 1
    assert tree(paths.EDITIONS_DIR) == before


def test_revised_figures_make_a_numbered_revision_saying_what_was_revised(data_dir):
    first = publisher.publish(sample(), "2026-12")
    frozen = tree(first.edition.folder)
    changed = revised(revised(sample(), "demandeurs_a", PLACE, value=10450, change_previous=0.045),
                      "taux_chomage", FRANCE, value=7.6)
    result = publisher.publish(changed, "2026-12")
    assert result.status == "revision" and result.edition.revision == 2
    assert result.edition.folder == first.edition.folder / "revision-2"
    assert [(row["series"], row["place"], row["kind"], row["old_value"], row["new_value"], row["delta"])
            for row in result.revised] == [("demandeurs_a", PLACE, "revision", 10400, 10450, 50),
                                           ("taux_chomage", FRANCE, "revision", 7.5, 7.6, 0.1)]
    meta = json.loads((result.edition.folder / "edition.json").read_text(encoding="utf-8"))
    assert meta["revision"] == 2 and meta["revised"] == result.revised
    html = (result.edition.folder / "note.html").read_text(encoding="utf-8")
    assert publisher.REVISED_TITLE in html and "10\u202f450 (T2 2025)" in html
    assert {name: frozen[name] for name in archive.EDITION_FILES} == \
        {name: tree(first.edition.folder)[name] for name in archive.EDITION_FILES}
    assert [edition.revision for edition in archive.editions(SPEC)] == [1, 2]


def test_a_third_revision_compares_with_the_second(data_dir):
    publisher.publish(sample(), "2026-12")
    second = revised(sample(), "demandeurs_a", PLACE, value=10450)
    publisher.publish(second, "2026-12")
    third = revised(revised(sample(), "demandeurs_a", PLACE, value=10500), "emploi_salarie", DEPT, value=431000)
    result = publisher.publish(third, "2026-12")
    assert (result.status, result.edition.revision) == ("revision", 3)
    assert [(row["series"], row["old_value"], row["new_value"]) for row in result.revised] == \
        [("demandeurs_a", 10450, 10500), ("emploi_salarie", 430000, 431000)]
    # The first figures again: a fourth revision (compared with the third), never a return to the first.
    assert publisher.publish(sample(), "2026-12").edition.revision == 4
    assert publisher.publish(sample(), "2026-12").status == "inchangee"
    assert archive.find(SPEC, "2026-12").revision == 4
    assert archive.find(SPEC, "2026-12", 2).folder.name == "revision-2"


def test_the_note_of_a_month_is_worded_against_the_previous_month(data_dir, monkeypatch):
    publisher.publish(sample(month="2026-10"), "2026-10")
    november = revised(sample(month="2026-11"), "demandeurs_a", PLACE, value=10450)
    publisher.publish(november, "2026-11")
    publisher.publish(revised(sample(month="2026-11"), "demandeurs_a", PLACE, value=10460), "2026-11")
    seen = []
    real = publisher.build_note
    monkeypatch.setattr(publisher, "build_note", lambda figures, previous, revision: seen.append(
        (previous, revision)) or real(figures, previous, revision))
    publisher.publish(sample(), "2026-12")
    previous, revision = seen[0]
    assert revision == 1 and previous["month"] == "2026-11"
    assert previous["series"][0]["values"][PLACE]["value"] == 10460  # the month's latest revision
    assert archive.previous_month_edition(SPEC, "2026-11").month == "2026-10"
    assert archive.previous_month_edition(SPEC, "2026-10") is None


def test_diff_kinds():
    old = sample()
    new = sample(month="2027-01")
    # a new quarter: the old latest period becomes the previous one, revised on the way
    revised(new, "demandeurs_a", PLACE, period="2025-T3", value=10600, previous_period="2025-T2",
            previous_value=10420, year_ago_period="2024-T3", year_ago_value=9900)
    revised(new, "taux_chomage", DEPT, value=6.2)  # the same quarter, revised down 0.2 point
    new["series"][1]["values"][REGION] = {"period": "2025-T2", "value": 119000}  # added
    del new["series"][5]["values"][FRANCE]  # withdrawn
    rows = archive.diff(old, new)
    assert [(row["series"], row["place"], row["kind"], row["old_period"], row["old_value"], row["new_period"],
             row["new_value"], row["delta"]) for row in rows] == [
        ("demandeurs_a", PLACE, "nouvelle_periode", "2025-T2", 10400, "2025-T3", 10600, None),
        ("demandeurs_a", PLACE, "revision", "2025-T2", 10400, "2025-T2", 10420, 20),
        ("demandeurs_abc", REGION, "ajout", None, None, "2025-T2", 119000, None),
        ("taux_chomage", DEPT, "revision", "2025-T2", 6.4, "2025-T2", 6.2, -0.2),
        ("embauches", FRANCE, "retrait", "2025-T2", 2100000, None, None, None)]
    assert archive.diff(old, sample()) == []


def test_diff_table_in_french():
    new = sample()
    revised(new, "taux_chomage", DEPT, value=6.4 + 2.5)
    revised(new, "demandeurs_a", PLACE, value=9200)
    new["series"][1]["values"][REGION] = {"period": "2025-T2", "value": 119000}
    rows = archive.diff(sample(), new)
    table = diff_table(rows, new)
    assert table.columns == ["Indicateur", "Territoire", "Changement", "Avant", "Après", "Écart"]
    assert table.rows == [
        ["Demandeurs d'emploi, catégorie A", "Agglomération fictive", "révisé", "10\u202f400 (T2 2025)",
         "9\u202f200 (T2 2025)", "\u22121\u202f200"],
        ["Demandeurs d'emploi, catégories A, B, C", "Bretagne", "nouveau chiffre", "—", "119\u202f000 (T2 2025)", "—"],
        ["Taux de chômage (CVS)", "Ille-et-Vilaine", "révisé", "6,4\u202f% (T2 2025)", "8,9\u202f% (T2 2025)",
         "+2,5 points"]]
    assert table.notes == [diff_table(rows[:1], new).notes[0]] and "points pour un taux" in table.notes[0]
    small = diff_table(archive.diff(sample(), revised(sample(), "taux_chomage", FRANCE, value=7.4)), sample())
    assert small.rows[0][-1] == "\u22120,1 point"
    assert diff_table([], sample()).notes == ["Aucun chiffre clé n'a changé entre ces deux éditions."]


def test_a_failure_while_rendering_leaves_no_folder(data_dir, monkeypatch):
    def broken(note):
        raise RuntimeError("rendu impossible")
    monkeypatch.setattr(publisher, "note_pdf", broken)
    with pytest.raises(RuntimeError):
        publisher.publish(sample(), "2026-12")
    assert not (paths.EDITIONS_DIR / "epci-200000001" / "2026-12").exists()
    assert list(paths.EDITIONS_DIR.rglob("*.part")) == []


def test_a_failure_while_writing_leaves_no_folder_and_no_scratch(data_dir, monkeypatch):
    publisher.publish(sample(), "2026-12")
    before = tree(paths.EDITIONS_DIR)
    write_bytes = Path.write_bytes

    def full_disk(path, content):
        if path.name == "note.pdf":
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return write_bytes(path, content)
    monkeypatch.setattr(Path, "write_bytes", full_disk)
    with pytest.raises(StorageError, match="disque plein.*aucune édition n'a été écrite"):
        publisher.publish(revised(sample(), "demandeurs_a", PLACE, value=1), "2026-12")
    assert tree(paths.EDITIONS_DIR) == before  # no revision-2, no temporary folder
    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    assert publisher.publish(revised(sample(), "demandeurs_a", PLACE, value=1), "2026-12").edition.revision == 2


def test_what_a_killed_publication_left_is_ignored_then_removed(data_dir):
    leftover = paths.EDITIONS_DIR / "epci-200000001" / ".2026-12.abc123.part"
    leftover.mkdir(parents=True)
    (leftover / "figures.json").write_text("{", encoding="utf-8")
    assert archive.editions(SPEC) == [] and archive.skipped(SPEC) == []
    publisher.publish(sample(), "2026-12")
    assert not leftover.exists()
    assert [edition.month for edition in archive.editions(SPEC)] == ["2026-12"]


def test_a_publication_waits_for_the_data_lock(data_dir, monkeypatch):
    """Another writer holds data/: publish is refused (no wait here) and writes nothing."""
    monkeypatch.setenv(datalock.WAIT_ENV, "0")
    paths.LOCK_FILE.parent.mkdir(parents=True, exist_ok=True)
    holder = os.open(paths.LOCK_FILE, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(datalock.Busy):
            publisher.publish(sample(), "2026-12", say=lambda message: None)
    finally:
        os.close(holder)
    assert not paths.EDITIONS_DIR.exists()


def test_figures_of_another_month_or_a_bad_month_are_refused(data_dir):
    with pytest.raises(ValueError, match="2026-11"):
        publisher.publish(sample(), "2026-11")
    with pytest.raises(ValueError, match="mois « 2026-13 » invalide"):
        publisher.publish(sample(month="2026-13"), "2026-13")
    assert not paths.EDITIONS_DIR.exists()


def test_a_later_build_and_publication_leave_an_edition_untouched(data_dir):
    publisher.publish(sample(), "2026-12")
    frozen = tree(paths.EDITIONS_DIR)
    build.build(say=lambda message: None)  # the demo marts: a build in the same data folder
    assert paths.MARTS_DB.exists()
    publisher.publish(sample(month="2027-01"), "2027-01", today=date(2027, 1, 5))
    after = tree(paths.EDITIONS_DIR)
    assert {name: after[name] for name in frozen} == frozen
    assert [edition.month for edition in archive.editions(SPEC)] == ["2026-12", "2027-01"]


def test_folder_names_and_references():
    assert archive.folder_name("epci:243500139") == "epci-243500139"
    assert archive.folder_name("liste:pays-de-rennes") == "liste-pays-de-rennes"
    assert archive.folder_name("x:../../etc") == "x-______etc"
    assert archive.parse_reference("2026-12") == ("2026-12", None)
    assert archive.parse_reference("2026-12r2") == ("2026-12", 2)
    for wrong in ("2026-13", "2026-12r0", "12-2026", "2026-12r", ""):
        with pytest.raises(ValueError, match="invalide"):
            archive.parse_reference(wrong)


def demo(figures: dict, series_id: str, place: str) -> dict:
    """`figures` with one entry marked as coming from the demo files."""
    return revised(figures, series_id, place, demo=True)


def test_demo_figures_replaced_by_real_ones_are_never_a_publishers_revision():
    """Real files imported after the demo ones: the figure's change is said as a demo figure replaced, without a
    delta, never as "révisé" with "l'éditeur a corrigé"; the other way round and demo to demo too."""
    old = demo(sample(), "demandeurs_a", PLACE)
    new = revised(sample(), "demandeurs_a", PLACE, value=52000, period="2025-T1")  # real, even an older quarter
    revised(demo(new, "taux_chomage", DEPT), "taux_chomage", DEPT, value=9.9)  # real -> demo
    revised(demo(old, "taux_chomage", FRANCE), "taux_chomage", FRANCE, value=1.0)
    revised(demo(new, "taux_chomage", FRANCE), "taux_chomage", FRANCE, value=2.0)  # demo -> other demo
    demo(old, "taux_chomage", REGION)
    demo(new, "taux_chomage", REGION)  # demo -> the same demo figure: no change
    rows = archive.diff(old, new)
    assert [(row["series"], row["place"], row["kind"], row["old_value"], row["new_value"], row["delta"])
            for row in rows] == [
        ("demandeurs_a", PLACE, "demo_remplace", 10400, 52000, None),
        ("taux_chomage", DEPT, "remplace_par_demo", 6.4, 9.9, None),
        ("taux_chomage", FRANCE, "demo_modifie", 1.0, 2.0, 1.0)]  # two fictitious figures: the demo's own delta
    table = diff_table(rows, new)
    assert [row[2] for row in table.rows] == ["chiffre fictif de démonstration remplacé par un chiffre réel",
                                              "chiffre réel remplacé par un chiffre fictif de démonstration",
                                              "chiffre fictif de démonstration modifié"]
    assert [row[-1] for row in table.rows] == ["—", "—", "+1,0 point"]
    assert not any("éditeur a corrigé" in note for note in table.notes)
    assert any("n'est pas une révision de l'éditeur" in note for note in table.notes)


def test_an_earlier_period_is_not_a_new_one():
    new = revised(sample(), "demandeurs_a", PLACE, period="2025-T1", value=10000, previous_period="2024-T4",
                  previous_value=9900)
    revised(new, "emploi_salarie", DEPT, period="2023", value=426000, previous_period="2022", previous_value=1,
            year_ago_period="2022", year_ago_value=1)
    revised(new, "taux_chomage", DEPT, period="2025-T3", value=6.5)
    rows = archive.diff(sample(), new)
    assert [(row["series"], row["place"], row["kind"], row["old_period"], row["new_period"]) for row in rows
            if row["kind"] != "revision"] == [
        ("demandeurs_a", PLACE, "periode_anterieure", "2025-T2", "2025-T1"),
        ("taux_chomage", DEPT, "nouvelle_periode", "2025-T2", "2025-T3"),
        ("emploi_salarie", DEPT, "periode_anterieure", "2024", "2023")]
    table = diff_table(rows, new)
    assert "période plus ancienne" in [row[2] for row in table.rows]
    assert any(note.startswith("Période plus ancienne") for note in table.notes)
    # periods of one series compare by their months, not as text
    assert archive.period_order("2024-T4", "2025-T1") == 1 and archive.period_order("2025-T1", "2024-T4") == -1
    assert archive.period_order("2024", "2025-T1") == 1 and archive.period_order("2025-T2", "2025-T2") == 0
    assert archive.period_order("2009", "2010") == 1 and archive.period_order("2025-01", "2024-12") == -1


def test_raw_files_or_source_texts_that_change_no_figure_publish_nothing(data_dir):
    first = publisher.publish(sample(), "2026-12")
    before = tree(paths.EDITIONS_DIR)
    same_figures = sample()
    same_figures["sources"].append({"source": "geo", "publisher": "IGN", "title": "Contours", "period": "2018",
                                    "sha256": "2" * 64, "demo": False})
    same_figures["sources"][0]["sha256"] = "3" * 64
    same_figures["catalog"][0]["caveats"][0]["text"] = "Un autre texte."
    result = publisher.publish(same_figures, "2026-12")
    assert (result.status, result.edition, result.raw_files_changed) == ("inchangee", first.edition, True)
    assert tree(paths.EDITIONS_DIR) == before
    assert publisher.publish(sample(), "2026-12").raw_files_changed is False
    sectors = sample()
    sectors["sectors"][0]["employees"] = 12100  # a figure of the note: a revision
    assert publisher.publish(sectors, "2026-12").status == "revision"


def test_the_diff_covers_the_sectors():
    new = sample()
    btp, numerique = new["sectors"][0], new["sectors"][1]
    btp |= {"bmo_year": 2025, "projects": 900, "difficult_share": 0.72, "difficult_share_is_lower_bound": True}
    btp["employees"] = 12100
    numerique |= {"employees_change_1y": -0.01, "tension_level": 3.5}
    old = sample()
    old["sectors"][0] |= {"bmo_year": 2025, "projects": 880, "difficult_share": 0.72}
    rows = archive.diff(old, new)
    assert [(row["sector"], row["series"], row["kind"], row["old_value"], row["new_value"], row["delta"])
            for row in rows] == [
        ("btp", "projects", "revision", 880, 900, 20),
        ("btp", "difficult_share", "revision", 0.72, 0.72, 0.0),  # now a lower bound: said
        ("btp", "employees", "revision", 12000, 12100, 100),
        ("numerique", "employees_change_1y", "revision", -0.02, -0.01, 0.01),
        ("numerique", "tension_level", "revision", 3.2, 3.5, 0.3)]
    assert {row["place"] for row in rows} == {PLACE}
    assert [row[:1] + row[2:] for row in diff_table(rows, new).rows] == [
        ["Bâtiment et travaux publics : projets de recrutement (BMO)", "révisé", "880 (2025)", "900 (2025)", "+20"],
        ["Bâtiment et travaux publics : part des projets jugés difficiles", "révisé", "72,0\u202f% (2025)",
         "au moins 72,0\u202f% (2025)", "0,0 point"],
        ["Bâtiment et travaux publics : emploi salarié", "révisé", "12\u202f000 (2024)", "12\u202f100 (2024)", "+100"],
        ["Numérique : évolution de l'emploi salarié sur un an", "révisé", "\u22122,0\u202f% (2024)",
         "\u22121,0\u202f% (2024)", "+1,0 point"],
        ["Numérique : tension (classe moyenne, 1 à 5)", "révisé", "3,2 (2024)", "3,5 (2024)", "+0,3"]]
    later = sample()
    later["sectors"][3] |= {"employment_year": 2025, "employees": 650}
    del later["sectors"][2]
    assert [(row["sector"], row["series"], row["kind"]) for row in archive.diff(sample(), later)] == [
        ("agriculture", "employees", "nouvelle_periode"),
        *(("iaa", key, "retrait") for key in ("employees", "employees_change_1y", "tension_level"))]


def test_month_sanity(data_dir):
    today = date(2026, 12, 6)
    with pytest.raises(ValueError, match="mois « 2027-01 » à venir"):
        publisher.publish(sample(month="2027-01"), "2027-01", today=today)
    with pytest.raises(ValueError, match="mois « 2001-01 » antérieur aux chiffres de la note.*06/2025.*2025-06"):
        publisher.publish(sample(month="2001-01"), "2001-01", today=today)
    with pytest.raises(ValueError, match="antérieur"):  # 2025-T2 ends in June
        publisher.publish(sample(month="2025-05"), "2025-05", today=today)
    assert not paths.EDITIONS_DIR.exists()
    assert publisher.publish(sample(month="2025-06"), "2025-06", today=today).status == "nouvelle"
    # BMO's year is a forecast published in the spring of that year: it does not push the month to December.
    bmo = sample(month="2025-07")
    bmo["series"][7]["values"][PLACE] = {"period": "2025", "value": 900, "demo": False}
    assert publisher.publish(bmo, "2025-07", today=today).status == "nouvelle"
    assert archive.newest_period_end(bmo) == (2025, 6)


def test_the_diff_words_figures_as_the_note_does():
    """One wording of numbers and series: the note's (report/sentences.py, report/note.py's LABELS)."""
    from pipelines.report import edition_diff, sentences
    from pipelines.report.note import LABELS
    assert edition_diff.series_label("taux_chomage") == LABELS["taux_chomage"] == "Taux de chômage (CVS)"
    assert edition_diff.value_text(6.1, "rate") == sentences.fmt_value(6.1, "rate")
    assert edition_diff.value_text(10400, "count") == sentences.fmt_value(10400, "count")
    assert edition_diff.delta_text(0.3, "rate") == "+" + sentences.points_words(0.3) == "+0,3 point"
    assert edition_diff.delta_text(-2.5, "rate") == "\u22122,5 points"
    assert not hasattr(edition_diff, "SERIES_LABELS") and not hasattr(edition_diff, "_value")


def test_edition_references_and_labels(data_dir):
    from pipelines.report.edition_diff import edition_text
    publisher.publish(sample(month="2026-11"), "2026-11")
    publisher.publish(sample(), "2026-12")
    publisher.publish(revised(sample(), "demandeurs_a", PLACE, value=1), "2026-12")
    found = archive.editions(SPEC)
    assert [archive.reference(edition, found) for edition in found] == ["2026-11", "2026-12r1", "2026-12"]
    for edition in found:  # what the CLI parses back is the edition itself
        assert archive.find(SPEC, *archive.parse_reference(archive.reference(edition, found))) == edition
    edition = archive.Edition(SPEC, "2026-12", 2, Path("x"), "2026-12-06T03:29:00+00:00")
    assert edition_text(edition) == "décembre 2026, révision 2 · publiée le 6 décembre 2026 à 4 h 29"
    first = archive.Edition(SPEC, "2026-12", 1, Path("x"), "2026-12-01T05:03:00+00:00")
    assert edition_text(first) == "décembre 2026 · publiée le 1 décembre 2026 à 6 h 03"
