"""`python -m pipelines note` and `editions` as a cron job or a user runs them: what they print and their exit
codes (0 published, 3 nothing new, 1 error, 2 usage).

Most tests replace read.note.note_figures by the sample figures (tests/note_sample.py), on an empty marts file: the
commands' own logic is what they test. The last ones run the whole chain: on the demo marts, on marts from imported
files when a file the note does not use is imported, and from demo marts to marts of real files (REAL_DATA_DIR)."""

import json
import shutil

import duckdb
import pytest

from pipelines import paths
from pipelines.__main__ import main
from pipelines.ingest import importer
from pipelines.read import editions as archive
from pipelines.read import note
from pipelines.warehouse import build
from tests.conftest import real_file
from tests.note_sample import PLACE, sample

SPEC = "epci:200000001"


@pytest.fixture
def figures_of_the_month(data_dir, monkeypatch):
    """note_figures returns the sample figures for the month asked (or `current`, when set); an (empty) marts file
    is there for the command to open."""
    paths.MARTS_DB.parent.mkdir(parents=True, exist_ok=True)
    duckdb.connect(str(paths.MARTS_DB)).close()
    asked = []
    current = {}

    def fake(con, territory_type, territory_code, month):
        asked.append((territory_type, territory_code, month))
        if territory_code != "200000001":
            raise LookupError(f"territoire epci:{territory_code} inconnu des marts")
        return current.get("figures") or sample(month=month)
    monkeypatch.setattr(note, "note_figures", fake)
    return asked, current


def test_publish_then_nothing_new_then_a_revision(figures_of_the_month, capsys):
    asked, current = figures_of_the_month
    assert main(["note", "--territoire", SPEC, "--mois", "2026-12"]) == 0
    assert asked == [("epci", "200000001", "2026-12")]
    out = capsys.readouterr().out
    assert "Nouvelle édition : Agglomération fictive, décembre 2026" in out
    assert "editions/epci-200000001/2026-12/" in out
    before = {file: file.read_bytes() for file in paths.EDITIONS_DIR.rglob("*") if file.is_file()}
    assert main(["note", "--territory", SPEC, "--month", "2026-12"]) == 3  # the English names too
    assert "Inchangée" in capsys.readouterr().out
    assert {file: file.read_bytes() for file in paths.EDITIONS_DIR.rglob("*") if file.is_file()} == before
    figures = sample()
    figures["series"][2]["values"][PLACE]["value"] = 6.3
    current["figures"] = figures
    assert main(["note", "--territoire", SPEC, "--mois", "2026-12"]) == 0
    out = capsys.readouterr().out
    assert "Révision 2 de l'édition de décembre 2026" in out and "revision-2/" in out
    assert "Taux de chômage" in out and "6,1\u202f% (T2 2025)" in out and "+0,2 point" in out


def test_the_territory_is_named_as_the_note_names_it(figures_of_the_month, capsys):
    _, current = figures_of_the_month
    current["figures"] = sample(territory={"spec": SPEC, "type": "epci", "code": "200000001", "name": "RENNES"})
    assert main(["note", "--territoire", SPEC, "--mois", "2026-12"]) == 0
    assert "Nouvelle édition : Rennes, décembre 2026" in capsys.readouterr().out
    assert main(["note", "--territoire", SPEC, "--mois", "2026-12"]) == 3
    assert "Inchangée : Rennes, décembre 2026" in capsys.readouterr().out


def test_the_current_month_by_default(figures_of_the_month, capsys):
    asked, _ = figures_of_the_month
    assert main(["note", "--territoire", SPEC]) == 0
    month = asked[0][2]
    assert archive.MONTH.fullmatch(month) and archive.find(SPEC, month) is not None


@pytest.mark.parametrize("month", ["2026-13", "12-2026", "2026-1", "décembre"])
def test_a_month_in_a_wrong_format(figures_of_the_month, capsys, month):
    asked, _ = figures_of_the_month
    assert main(["note", "--territoire", SPEC, "--mois", month]) == 1
    assert "invalide : AAAA-MM attendu" in capsys.readouterr().err
    assert asked == [] and not paths.EDITIONS_DIR.exists()


def test_errors_and_usage(figures_of_the_month, capsys):
    assert main(["note", "--territoire", "epci:999999999", "--mois", "2026-12"]) == 1  # unknown territory
    assert "inconnu" in capsys.readouterr().err
    assert main(["note", "--territoire", "epci:12", "--mois", "2026-12"]) == 2  # malformed: usage
    assert "invalide" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main(["note", "--mois", "2026-12"])
    assert usage.value.code == 2 and "arguments obligatoires manquants : --territoire" in capsys.readouterr().err
    paths.MARTS_DB.unlink()
    assert main(["note", "--territoire", SPEC, "--mois", "2026-12"]) == 1  # no marts
    assert "build" in capsys.readouterr().err
    assert not paths.EDITIONS_DIR.exists()


def test_editions_lists_and_compares(figures_of_the_month, capsys):
    _, current = figures_of_the_month
    assert main(["editions", "--territoire", SPEC]) == 0
    assert "Aucune édition publiée" in capsys.readouterr().err
    main(["note", "--territoire", SPEC, "--mois", "2026-11"])
    later = sample()
    later["series"][0]["values"][PLACE] |= {"period": "2025-T3", "value": 10500}
    current["figures"] = later
    main(["note", "--territoire", SPEC, "--mois", "2026-12"])
    revised = sample()
    revised["series"][0]["values"][PLACE] |= {"period": "2025-T3", "value": 10550}
    current["figures"] = revised
    main(["note", "--territoire", SPEC, "--mois", "2026-12"])
    capsys.readouterr()
    assert main(["editions", "--territoire", SPEC]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["édition", "nom", "(--comparer)", "dossier"]
    # each edition as the page says it, and the name that --comparer takes: "2026-12" is the month's latest revision
    assert [line.split(" · publiée le ")[0] for line in lines[1:]] == \
        ["novembre 2026", "décembre 2026", "décembre 2026, révision 2"]
    assert [line.split()[-2] for line in lines[1:]] == ["2026-11", "2026-12r1", "2026-12"]
    assert main(["editions", "--territoire", SPEC, "--comparer", "2026-11", "2026-12r1"]) == 0
    out = capsys.readouterr().out
    assert "entre l'édition de novembre 2026 · publiée le " in out and " et celle de décembre 2026 · publiée le " in out
    assert "nouvelle période" in out and "10\u202f400 (T2 2025)" in out and "10\u202f500 (T3 2025)" in out
    assert main(["editions", "--territory", SPEC, "--compare", "2026-12r1", "2026-12"]) == 0
    out = capsys.readouterr().out
    assert "décembre 2026, révision 2" in out and "révisé" in out and "+50" in out
    assert main(["editions", "--territoire", SPEC, "--comparer", "2026-12r1", "2026-10"]) == 1
    assert "Pas d'édition 2026-10" in capsys.readouterr().err
    assert main(["editions", "--territoire", SPEC, "--comparer", "2026-12r1", "2026-12-2"]) == 1
    assert "édition « 2026-12-2 » invalide" in capsys.readouterr().err


def test_end_to_end_on_demo_marts_a_rebuild_publishes_nothing_new(demo_marts, capsys):
    """The real chain (marts → figures → note → HTML, PDF → folder): the same raw files, rebuilt from scratch, give
    byte-identical figures, so a second run says "nothing new" (exit 3)."""
    assert main(["note", "--territoire", "epci:243500139", "--mois", "2026-12"]) == 0
    folder = paths.EDITIONS_DIR / "epci-243500139" / "2026-12"
    frozen = {file.name: file.read_bytes() for file in folder.iterdir()}
    figures = json.loads(frozen["figures.json"])
    rate = next(series for series in figures["series"] if series["id"] == "taux_chomage")
    assert rate["values"]["epci:243500139"]["zone"]["code"] == "5315"
    assert frozen["note.pdf"].startswith(b"%PDF") and "Chiffres clés" in frozen["note.html"].decode("utf-8")
    paths.MARTS_DB.unlink()
    build.build(say=lambda message: None)
    capsys.readouterr()
    assert main(["note", "--territoire", "epci:243500139", "--mois", "2026-12"]) == 3
    assert "Inchangée" in capsys.readouterr().out
    assert {file.name: file.read_bytes() for file in folder.iterdir()} == frozen
    assert [path.name for path in folder.iterdir() if path.is_dir()] == []


def test_figures_from_demo_files_are_said_so(figures_of_the_month, capsys):
    _, current = figures_of_the_month
    assert main(["note", "--territoire", SPEC, "--mois", "2026-11"]) == 0
    assert main(["editions", "--territoire", SPEC]) == 0
    assert "Données fictives de démonstration" not in capsys.readouterr().err
    for part in ("series", "sectors", "sources"):
        figures = sample()
        entry = figures["series"][3]["values"][PLACE] if part == "series" else figures[part][0]
        entry["demo"] = True
        current["figures"] = figures
        assert main(["note", "--territoire", SPEC, "--mois", "2026-12"]) == 0
        assert "Données fictives de démonstration" in capsys.readouterr().err, part
    assert main(["editions", "--territoire", SPEC]) == 0
    assert "Données fictives de démonstration" in capsys.readouterr().err
    assert main(["editions", "--territoire", SPEC, "--comparer", "2026-11", "2026-12r1"]) == 0
    assert "Données fictives de démonstration" in capsys.readouterr().err


@pytest.mark.parametrize(("month", "said"), [("9999-12", "mois « 9999-12 » à venir"),
                                             ("2001-01", "mois « 2001-01 » antérieur aux chiffres de la note")])
def test_a_month_to_come_or_before_the_figures_is_refused(figures_of_the_month, capsys, month, said):
    assert main(["note", "--territoire", SPEC, "--mois", month]) == 1
    err = capsys.readouterr().err
    assert said in err and "aucune édition n'a été écrite" in err and "Traceback" not in err
    assert not paths.EDITIONS_DIR.exists()


def test_raw_files_that_change_no_figure_publish_nothing(figures_of_the_month, capsys):
    _, current = figures_of_the_month
    assert main(["note", "--territoire", SPEC, "--mois", "2026-12"]) == 0
    figures = sample()
    figures["sources"][1]["sha256"] = "9" * 64
    current["figures"] = figures
    capsys.readouterr()
    assert main(["note", "--territoire", SPEC, "--mois", "2026-12"]) == 3
    assert "les fichiers bruts ont changé sans changer aucun chiffre de la note" in capsys.readouterr().out
    assert [edition.revision for edition in archive.editions(SPEC)] == [1]


def import_copies(folder, names):
    """Copies (under other names) of demo files, imported as the user's own files: fictitious values, real files
    for the manifest and the build."""
    for name in names:
        copy = folder / name.replace("_demo", "_copie")
        shutil.copy(paths.ROOT / "data" / "raw" / "demo" / name, copy)  # the committed ones: no_demo hides DEMO_DIR
        importer.import_file(copy)


def test_end_to_end_a_file_the_note_does_not_use_publishes_nothing(no_demo, tmp_path, capsys):
    """A file imported that no figure of the note comes from (the communes' contours): the rebuilt marts list one
    more raw file, the note's figures are the same: exit 3, nothing written, and the command says why."""
    import_copies(tmp_path, ["zones_emploi_demo.xlsx", "intercommunalites_demo.xlsx",
                             "chomage_zones_emploi_demo.xlsx"])
    build.build(say=lambda message: None)
    assert main(["note", "--territoire", "epci:243500139", "--mois", "2026-12"]) == 0
    before = {file: file.read_bytes() for file in paths.EDITIONS_DIR.rglob("*") if file.is_file()}
    import_copies(tmp_path, ["contours_communes_2018_demo.geojson"])
    build.build(say=lambda message: None)
    capsys.readouterr()
    assert main(["note", "--territoire", "epci:243500139", "--mois", "2026-12"]) == 3
    assert "les fichiers bruts ont changé sans changer aucun chiffre de la note" in capsys.readouterr().out
    assert {file: file.read_bytes() for file in paths.EDITIONS_DIR.rglob("*") if file.is_file()} == before


def test_end_to_end_demo_figures_replaced_by_real_ones(demo_marts, capsys):
    """Published on the demo marts, then republished on marts built from real files: the revision says which demo
    figures real ones replaced, never that the publisher revised them."""
    assert main(["note", "--territoire", "epci:243500139", "--mois", "2026-12"]) == 0
    assert "Données fictives de démonstration" in capsys.readouterr().err
    for name in ("insee_ze2020/Communes_to_ZE_2022.xlsx", "insee_epci/Intercommunalite_Metropole_au_01-01-2023.xlsx",
                 "insee_chomage/chomage-zone-t1-2003-t3-2023.xlsx", "bmo/Base_open_data_BMO_2024.xlsx",
                 "bmo/bassin_emploi.csv"):
        importer.import_file(real_file(name))
    build.build(say=lambda message: None)
    assert main(["note", "--territoire", "epci:243500139", "--mois", "2026-12"]) == 0
    captured = capsys.readouterr()
    assert "Révision 2" in captured.out and "chiffre fictif de démonstration remplacé par un chiffre réel" in \
        captured.out and "éditeur a corrigé" not in captured.out
    assert "Données fictives de démonstration" not in captured.err
    edition = archive.find("epci:243500139", "2026-12")
    revised = json.loads((edition.folder / "edition.json").read_text(encoding="utf-8"))["revised"]
    old = archive.figures_of(archive.find("epci:243500139", "2026-12", 1))
    was_demo = {(series["id"], place) for series in old["series"] for place, entry in series["values"].items()
                if entry["demo"]} | {(key, code) for sector in old["sectors"] if sector["demo"]
                                     for code in [sector["sector_code"]] for key in ("projects", "employees")}
    kinds = {(row["series"], row.get("sector") or row["place"]): row["kind"] for row in revised}
    assert was_demo and {kind for key, kind in kinds.items() if key in was_demo} <= {"demo_remplace", "retrait"}
    assert kinds[("projets_bmo", "fr")] == "demo_remplace"  # BMO 2024 France: demo figure → 2 751 069
    assert "revision" not in kinds.values()
