"""`python -m pipelines note` and `editions` as a cron job or a user runs them: what they print and their exit
codes (0 published, 3 nothing new, 1 error, 2 usage).

Most tests replace read.note.note_figures by the sample figures (tests/note_sample.py), on an empty marts file: the
commands' own logic is what they test. The last one runs the whole chain on the demo marts."""

import json

import duckdb
import pytest

from pipelines import paths
from pipelines.__main__ import main
from pipelines.read import editions as archive
from pipelines.read import note
from pipelines.warehouse import build
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
    assert lines[0].split() == ["mois", "révision", "publiée", "le", "dossier"]
    assert [line.split()[:3] for line in lines[1:]] == [["novembre", "2026", "1"], ["décembre", "2026", "1"],
                                                        ["décembre", "2026", "2"]]
    assert main(["editions", "--territoire", SPEC, "--comparer", "2026-11", "2026-12r1"]) == 0
    out = capsys.readouterr().out
    assert "entre l'édition de novembre 2026 et celle de décembre 2026 :" in out
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
