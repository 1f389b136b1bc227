"""`import`: recognised by content, copied with provenance, idempotent, and harmless when it fails."""

import bz2
import gzip
import json
import lzma

import pytest

from pipelines import paths
from pipelines.errors import InputError
from pipelines.ingest import importer, manifest
from pipelines.ingest.demo import write_bassins_csv, write_bmo_workbook, write_urssaf_csv
from pipelines.sources import SOURCES
from pipelines.sources.dares_tensions import write_2021_csv
from pipelines.sources.rome_fap import write_fap225_rome_csv
from tests.conftest import FIXTURES, WORLD_2024, WORLD_2025, cell, write_world


def snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_files_are_recognised_by_content_not_name(no_demo, tmp_path):
    files = write_world(tmp_path / "dl")
    renamed = [f.rename(f.with_name(f"download({i}){f.suffix}")) for i, f in enumerate(files)]
    results = [importer.import_file(f) for f in renamed]
    assert [(r.source, r.period, r.status) for r in results] == [
        ("bmo", "2024", "nouveau"), ("bmo", "2025", "nouveau"),
        ("bmo_bassins", "2024", "nouveau"), ("insee_ze", "2022", "nouveau")]
    assert (paths.RAW_DIR / "bmo" / "2024" / "download(0).xlsx").read_bytes() == renamed[0].read_bytes()


def test_manifest_records_provenance(no_demo, tmp_path):
    source = write_bmo_workbook(tmp_path / "Base_open_data_BMO_2024.xlsx", 2024, WORLD_2024)
    importer.import_file(source)
    [entry] = json.loads(paths.MANIFEST.read_text())["files"]
    assert entry["source"] == "bmo" and entry["publisher"] == "France Travail"
    assert entry["origin"] == "Base_open_data_BMO_2024.xlsx"
    assert entry["period"] == "2024" and entry["demo"] is False
    assert entry["sha256"] == manifest.sha256_of(source) and entry["bytes"] == source.stat().st_size
    assert entry["licence"].startswith("Licence Ouverte") and entry["retrieved_at"].startswith("20")


def test_same_file_twice_is_a_no_op(no_demo, tmp_path):
    source = write_bmo_workbook(tmp_path / "b.xlsx", 2024, WORLD_2024)
    importer.import_file(source)
    before = snapshot(paths.RAW_DIR)
    assert importer.import_file(source).status == "inchangé"
    assert snapshot(paths.RAW_DIR) == before


def test_the_build_hint_is_given_only_when_a_file_changed(no_demo, tmp_path, capsys):
    from pipelines.__main__ import main

    source = str(write_bmo_workbook(tmp_path / "b.xlsx", 2024, WORLD_2024))
    hint = "Lancez « python -m pipelines build »"
    assert main(["import", source]) == 0 and hint in capsys.readouterr().err
    assert main(["import", source]) == 0
    assert "inchangé" in (again := capsys.readouterr().err) and hint not in again
    assert main(["import", source, str(tmp_path / "absent.csv")]) == 1 and hint not in capsys.readouterr().err


def test_another_year_is_kept_beside_and_a_new_release_replaces_its_year(no_demo, tmp_path):
    importer.import_file(write_bmo_workbook(tmp_path / "a.xlsx", 2024, WORLD_2024))
    importer.import_file(write_bmo_workbook(tmp_path / "b.xlsx", 2025, WORLD_2025))
    corrected = write_bmo_workbook(tmp_path / "c.xlsx", 2024, [cell("5314", "35", "B1X31", 101, 80, 10),
                                                               *WORLD_2024[1:]])
    assert importer.import_file(corrected).status == "remplacé"
    entries = manifest.load()
    assert sorted((e["period"], e["origin"]) for e in entries) == [("2024", "c.xlsx"), ("2025", "b.xlsx")]
    assert not (paths.RAW_DIR / "bmo" / "2024" / "a.xlsx").exists()


REASONS = {
    "unrelated": "format non reconnu",
    "truncated": "tronqué ou endommagé",
    "utf16": "encodage non reconnu",
    "missing_column": "colonnes manquantes : bassin_name",
    "empty": "fichier vide",
    "absent": "fichier introuvable",
    "ragged": "ligne 3 : 3 champs au lieu de 5",
}


@pytest.mark.parametrize("make_bad", list(REASONS))
def test_bad_files_are_refused_and_nothing_changes(no_demo, tmp_path, make_bad):
    importer.import_file(write_bmo_workbook(tmp_path / "good.xlsx", 2024, WORLD_2024))
    before = snapshot(paths.RAW_DIR)
    bad = tmp_path / "bad_file.xlsx"
    if make_bad == "unrelated":
        bad.write_bytes((FIXTURES / "budget_not_bmo.xlsx").read_bytes())
    elif make_bad == "truncated":
        whole = write_bmo_workbook(tmp_path / "whole.xlsx", 2025, WORLD_2025).read_bytes()
        bad.write_bytes(whole[: len(whole) // 3])
    elif make_bad == "utf16":
        bad = tmp_path / "bad_file.csv"
        bad.write_bytes("reg,dep,code_commune_insee,code_bassin_BMO,lib_bassin_BMO\n".encode("utf-16"))
    elif make_bad == "missing_column":
        bad = tmp_path / "bad_file.csv"
        bad.write_text("reg,dep,code_commune_insee,code_bassin_BMO\n53,35,35238,5314\n")
    elif make_bad == "ragged":  # a download cut in the middle of a row
        bad = tmp_path / "bad_file.csv"
        bad.write_text("reg,dep,code_commune_insee,code_bassin_BMO,lib_bassin_BMO\r\n53,35,35238,5314,RENNES\r\n"
                       "53,35,35051\r\n")
    elif make_bad == "empty":
        bad.write_bytes(b"")
    with pytest.raises(InputError) as error:
        importer.import_file(bad)
    assert bad.name in str(error.value)
    assert REASONS[make_bad] in str(error.value)
    assert snapshot(paths.RAW_DIR) == before


@pytest.mark.parametrize(("kind", "compress"), [
    ("bz2", bz2.compress), ("gzip", gzip.compress), ("xz", lzma.compress),
    ("7z", lambda data: b"7z\xbc\xaf\x27\x1c\x00\x04" + data),  # the signature: no 7z writer in the stdlib
])
def test_a_compressed_file_is_named_as_such(no_demo, tmp_path, kind, compress):
    packed = tmp_path / "bassins.csv.archive"
    packed.write_bytes(compress(b"reg,dep,code_commune_insee,code_bassin_BMO,lib_bassin_BMO\n53,35,35238,5314,RENNES\n"))
    with pytest.raises(InputError, match=rf"bassins.csv.archive : archive compressée \({kind}\) : décompressez-la"):
        importer.import_file(packed)


def renamed(path, old: str, new: str):
    """The file with one header label renamed, as a publisher (or a spreadsheet) might."""
    lines = path.read_bytes().split(b"\n", 1)
    path.write_bytes(lines[0].replace(old.encode(), new.encode()) + b"\n" + lines[1])
    return path


@pytest.mark.parametrize(("write", "old", "new", "source", "column"), [
    (lambda p: write_2021_csv(p, [{"rome": "F1703", "bassin": "5314", "tension": 4}]),
     "ind_tension_d", "ind_tension", "dares_tensions", "tension (/ind tension d/)"),
    (lambda p: write_bassins_csv(p, [{"region_code": "53", "dept_code": "35", "commune_code": "35238",
                                      "bassin_code": "5314", "bassin_name": "RENNES"}]),
     "code_commune_insee", "code_insee", "bmo_bassins", "commune_code"),
    (lambda p: write_fap225_rome_csv(p, [{"fap2009_code": "B2Z44", "rome_code": "F1703", "rome_label": "Maçon"}]),
     "Fap", "Famille", "rome_fap", "fap2009_code"),
    (lambda p: write_urssaf_csv(p, urssaf_rows(2), range(2021, 2023), labels=True),
     "Code APE", "APE", "urssaf", "ape_code"),
])
def test_a_renamed_column_is_named(tmp_path, write, old, new, source, column):
    path = renamed(write(tmp_path / "export.csv"), old, new)
    with pytest.raises(InputError) as error:
        importer.recognise(path)
    assert f"export.csv : ressemble à {source} (" in str(error.value)
    assert f"mais colonne(s) absente(s) : {column}" in str(error.value)
    assert " / " not in str(error.value)  # French only


def test_an_unknown_file_gets_a_short_list_of_sources(tmp_path):
    notes = tmp_path / "notes.csv"
    notes.write_text("annee;remarque\n2024;rien\n")  # one column shared with some sources: not a near miss
    with pytest.raises(InputError) as error:
        importer.recognise(notes)
    assert str(error.value) == (f"{notes} : format non reconnu ; sources connues : {', '.join(SOURCES)}")


def test_bad_value_in_a_recognised_workbook_is_refused(no_demo, tmp_path):
    bad = write_bmo_workbook(tmp_path / "bmo.xlsx", 2024, [cell("5314", "35", "B1X31", "-", 1, 1)])
    with pytest.raises(InputError, match="non numérique"):
        importer.import_file(bad)
    assert manifest.load() == []


def test_a_much_shorter_replacement_is_refused_unless_forced(no_demo, tmp_path):
    importer.import_file(write_bmo_workbook(tmp_path / "full.xlsx", 2024, WORLD_2024))
    short = write_bmo_workbook(tmp_path / "short.xlsx", 2024, WORLD_2024[:5])
    with pytest.raises(InputError, match="short.xlsx.*5 lignes contre 12 dans full.xlsx.*tronqué"):
        importer.import_file(short)
    assert [e["origin"] for e in manifest.load()] == ["full.xlsx"]
    assert importer.import_file(short, force=True).status == "remplacé"


def urssaf_rows(count: int, years=range(2018, 2023)) -> list[dict]:
    """`count` commune × APE rows in the URSSAF export's shape (invented values)."""
    return [{"region_code": "53", "dept_code": "35", "ze_code": "5315", "epci_code": "243500139",
             "commune_code": f"35{number:03d}", "ape_code": "4120A",
             "values": {year: (number % 7 + 1, number % 50 + 3) for year in years}} for number in range(1, count + 1)]


def test_a_cut_short_urssaf_export_does_not_replace_the_whole_one(no_demo, tmp_path):
    full = write_urssaf_csv(tmp_path / "urssaf_full.csv", urssaf_rows(20), range(2018, 2023), labels=True)
    importer.import_file(full)
    lines = full.read_bytes().splitlines(keepends=True)
    cut = tmp_path / "urssaf_cut.csv"
    cut.write_bytes(b"".join(lines[:18]))  # 17 rows of 20: 85 %, as `head -n` would leave
    before = snapshot(paths.RAW_DIR)
    with pytest.raises(InputError, match=r"urssaf_cut.csv : 17 lignes contre 20 dans urssaf_full.csv .*tronqué.*"
                                         r"--forcer[^/]*$"):
        importer.import_file(cut)
    assert snapshot(paths.RAW_DIR) == before  # the whole file is kept, and still the one used
    # A new vintage (one more year, the same rows: each repeats the history) replaces it as before.
    newer = write_urssaf_csv(tmp_path / "urssaf_2023.csv", urssaf_rows(20, range(2018, 2024)), range(2018, 2024))
    assert (importer.import_file(newer).status, [e["origin"] for e in manifest.load()]) == \
        ("remplacé", ["urssaf_2023.csv"])
    assert importer.import_file(cut, force=True).status == "remplacé"


def test_a_cut_short_tension_file_is_refused_and_counts_are_file_rows(no_demo, tmp_path):
    rows = [{"rome": f"F{1700 + n}", "bassin": "5314", "job_offers": n, "job_seekers_abc": n,
             "tension": 1 + n % 5} for n in range(10)]
    importer.import_file(write_2021_csv(tmp_path / "tensions_full.csv", rows))
    with pytest.raises(InputError, match="tensions_cut.csv : 8 lignes contre 10 dans tensions_full.csv"):
        importer.import_file(write_2021_csv(tmp_path / "tensions_cut.csv", rows[:8]))
    # A count recorded as reshaped rows (10 × 9 indicators, by an older version) is counted again from the
    # file before refusing: a corrected file of the same rows still replaces it.
    entries = manifest.load()
    manifest.save([{**entries[0], "rows": 90}])
    corrected = write_2021_csv(tmp_path / "tensions_corrected.csv", [{**rows[0], "tension": 2}, *rows[1:]])
    assert importer.import_file(corrected).status == "remplacé"


def test_a_bundled_demo_file_is_not_taken_for_real_data(data_dir):
    with pytest.raises(InputError, match="démonstration"):
        importer.import_file(paths.DEMO_DIR / "bmo_2024_demo.xlsx")
    assert manifest.load() == []


def test_negative_counts_are_refused_at_import_naming_column_and_line(no_demo, tmp_path):
    # Stopped by the reader, before any build (the build's counts_not_negative check stays as a second line).
    for file in write_world(tmp_path / "dl", years=()):
        importer.import_file(file)
    negative = write_bmo_workbook(tmp_path / "neg.xlsx", 2024, [*WORLD_2024, cell("2201", "44", "J1X80", -3, 0, 0)])
    with pytest.raises(InputError, match="neg.xlsx : nombre négatif « -3 » dans la colonne « met » \\(ligne 14\\)"):
        importer.import_file(negative, force=True)


def test_a_bmo_csv_re_export_and_a_folder_get_specific_messages(no_demo, tmp_path):
    csv_export = tmp_path / "BMO_2024_Rennes.csv"
    csv_export.write_text("annee;Code métier BMO;Nom métier BMO;BE24;NOMBE24;met;xmet;smet\n"
                          "2024;B1X31;Maçons;5314;RENNES;10;5;1\n", encoding="utf-8")
    with pytest.raises(InputError, match="BMO en CSV.*xlsx"):
        importer.import_file(csv_export)
    with pytest.raises(InputError, match="c'est un dossier"):
        importer.import_file(tmp_path)


def counting_trials(monkeypatch) -> list[list[dict]]:
    """The entries of every trial build run from now on."""
    from pipelines.warehouse import build

    trials, trial = [], build.trial
    monkeypatch.setattr(build, "trial", lambda entries: trials.append(entries) or trial(entries))
    return trials


def test_files_imported_in_one_command_are_checked_by_one_trial_build(no_demo, tmp_path, monkeypatch, capsys):
    from pipelines.__main__ import main
    from pipelines.warehouse import build

    trials = counting_trials(monkeypatch)
    files = write_world(tmp_path / "dl", years=(2024,))
    assert main(["import", *map(str, files)]) == 0
    assert len(trials) == 1 and sorted(e["source"] for e in trials[0]) == ["bmo", "bmo_bassins", "insee_ze"]
    said = capsys.readouterr().err
    for file, source in zip(files, ["bmo", "bmo_bassins", "insee_ze"], strict=True):
        assert f"  {file} : nouveau : source {source}, période" in said
    assert sorted(e["source"] for e in manifest.load()) == ["bmo", "bmo_bassins", "insee_ze"]
    messages = []
    build.build(say=messages.append)
    assert messages[0].startswith("[1/2] Marts déjà construits et contrôlés par l'import")

    again = write_bmo_workbook(tmp_path / "bmo2025.xlsx", 2025, WORLD_2025)
    assert [r.status for r in importer.import_files([*files, again])] == ["inchangé"] * 3 + ["nouveau"]
    assert len(trials) == 2  # the unchanged files need none of their own


def test_a_bad_file_among_several_is_named_and_the_others_are_imported(world, tmp_path, monkeypatch, capsys):
    from pipelines.__main__ import main
    from pipelines.ingest.demo import write_bassins_csv
    from pipelines.warehouse import build
    from tests.conftest import WORLD_COMMUNES
    from tests.warehouse.test_build import IMPOSSIBLE_2024

    marts_before, manifest_before = world.read_bytes(), manifest.load()
    trials = counting_trials(monkeypatch)
    good = write_bmo_workbook(tmp_path / "bmo2023.xlsx", 2023, WORLD_2024)
    bad = write_bmo_workbook(tmp_path / "corrected.xlsx", 2024, IMPOSSIBLE_2024)  # difficult > projects
    lexicon = write_bassins_csv(tmp_path / "lexique-2019.csv", WORLD_COMMUNES, layout="2019")
    assert main(["import", str(good), str(bad), str(lexicon)]) == 1
    said = capsys.readouterr().err
    # All three together, then one at a time, and the bad one once more beside both good ones (a file may
    # need one given after it).
    assert len(trials) == 5
    assert f"REFUSÉ  {bad} : refusé par les contrôles de cohérence" in said
    assert "difficult_and_seasonal_within_projects" in said and "E3X20" in said
    assert f"  {good} : nouveau : source bmo, période 2023" in said
    assert f"  {lexicon} : nouveau : source bmo_bassins, période 2019" in said
    assert "1 fichier refusé, non chargé ; les fichiers acceptés sont importés." in said

    # The marts in service and the file the bad one would have replaced are untouched; the others are in.
    assert world.read_bytes() == marts_before
    entries = manifest.load()
    assert [e for e in entries if e["source"] == "bmo" and e["period"] == "2024"] == [
        e for e in manifest_before if e["source"] == "bmo" and e["period"] == "2024"]
    assert sorted((e["source"], e["period"]) for e in entries) == sorted(
        [("bmo", "2023"), ("bmo_bassins", "2019"), *((e["source"], e["period"]) for e in manifest_before)])
    assert not any(p.name == "corrected.xlsx" for p in paths.RAW_DIR.rglob("*"))
    messages = []
    build.build(say=messages.append)  # the last trial was of exactly what was imported
    assert messages[0].startswith("[1/2] Marts déjà construits et contrôlés par l'import")


def test_a_joint_import_with_only_bad_files_changes_nothing(world, tmp_path, capsys):
    from pipelines.__main__ import main
    from tests.warehouse.test_build import IMPOSSIBLE_2024

    before = snapshot(paths.RAW_DIR)
    bad = write_bmo_workbook(tmp_path / "corrected.xlsx", 2024, IMPOSSIBLE_2024)
    twin = tmp_path / "corrected (1).xlsx"
    twin.write_bytes(bad.read_bytes())
    assert main(["import", str(bad), str(twin), str(tmp_path / "absent.csv")]) == 1
    said = capsys.readouterr().err
    assert f"REFUSÉ  {bad} : refusé par les contrôles de cohérence" in said
    assert f"REFUSÉ  {twin} : même contenu que corrected.xlsx, refusé" in said
    assert f"REFUSÉ  {tmp_path / 'absent.csv'} : fichier introuvable" in said
    assert "3 fichiers refusés ; les données déjà chargées n'ont pas changé." in said
    assert "Lancez" not in said and snapshot(paths.RAW_DIR) == before


def test_files_imported_together_count_as_imported_one_after_the_other(no_demo, tmp_path):
    first = write_bmo_workbook(tmp_path / "a.xlsx", 2024, WORLD_2024)
    corrected = write_bmo_workbook(tmp_path / "c.xlsx", 2024, [cell("5314", "35", "B1X31", 101, 80, 10),
                                                               *WORLD_2024[1:]])
    short = write_bmo_workbook(tmp_path / "short.xlsx", 2024, WORLD_2024[:5])
    outcomes = importer.import_files([first, corrected, short, *write_world(tmp_path / "dl", years=())])
    assert [getattr(o, "status", None) for o in outcomes] == ["nouveau", "remplacé", None, "nouveau", "nouveau"]
    assert "short.xlsx : 5 lignes contre 12 dans c.xlsx" in str(outcomes[2])
    assert [(e["source"], e["origin"]) for e in manifest.load()] == [
        ("bmo", "c.xlsx"), ("bmo_bassins", "communes_bassins.csv"), ("insee_ze", "ze.xlsx")]
    assert sorted(p.name for p in (paths.RAW_DIR / "bmo" / "2024").iterdir()) == ["c.xlsx"]
