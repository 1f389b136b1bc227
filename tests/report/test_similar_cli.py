"""`python -m pipelines similar` in its three formats, on the hand-checkable world of tests/similar_world.py."""

import csv
import io
import json

import pytest

from pipelines import paths
from pipelines.__main__ import main
from tests.similar_world import write_similar_world


@pytest.fixture
def similar_marts(data_dir):
    return write_similar_world(paths.MARTS_DB)


def test_json_gives_the_page_numbers(similar_marts, capsys):
    assert main(["similar", "--territory", "ze:0001", "--taille", "2", "--nombre", "3", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [peer["code"] for peer in data["peers"]] == ["0005", "0002", "0007"]
    assert [peer["distance"] for peer in data["peers"]] == pytest.approx([0.0, 0.2, 0.4])
    assert data["size_factor"] == 2 and data["outside_band"] == 2 and data["source"] == "urssaf"
    assert [s["code"] for s in data["peers"][1]["apart"]] == ["AZ", "FZ"]
    assert data["label"] == "Profil proche, pas un classement de performance"


def test_csv_is_the_page_download(similar_marts, capsys):
    assert main(["similar", "--territory", "bassin:B001", "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out), delimiter=";"))
    assert rows[0][:5] == ["Rang", "Code", "Territoire", "Distance (dissimilarité de Krugman, 0 à 2)",
                           "Taille (projets de recrutement)"]
    assert [row[1] for row in rows[1:]] == ["B003", "B004", "B002"]
    assert [row[3] for row in rows[1:]] == ["0,200", "0,200", "0,600"]


def test_text_reads_like_the_page(similar_marts, capsys):
    assert main(["similar", "--territory", "ze:0001", "--nombre", "2", "--taille", "1,5"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[:2] == ["Territoires au profil proche : Zone test (0001)",
                                    "Profil proche, pas un classement de performance."]
    # From 100 / 1.5 to 150 salariés: 0005 (50) is left out.
    assert " 1. Deux (0002) : distance 0,200, 100 salariés" in out
    assert " 2. Sept (0007) : distance 0,400, 100 salariés" in out
    assert "taille de 1/1,5 à 1,5 fois la sienne (100 salariés, soit de 67 à 150) : 4 en dehors" in out
    assert "    distinguent : Agriculture (50,0\u202f% / 40,0\u202f%) ; Construction (30,0\u202f% / 40,0\u202f%)" in out


@pytest.mark.parametrize("arguments, message", [
    (["--territory", "ze:0010"], "pas de profil sectoriel à comparer"),
    (["--territory", "fr"], "la France n'a pas de territoire de même niveau"),
    (["--territory", "ze:7777"], "pas de profil sectoriel"),
])
def test_refusals_are_said_in_french(similar_marts, capsys, arguments, message):
    assert main(["similar", *arguments]) == 1
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("option", [["--taille", "1"], ["--taille", "deux"], ["--nombre", "0"], ["--nombre", "٣"]])
def test_bad_options_are_refused_by_name(similar_marts, capsys, option):
    with pytest.raises(SystemExit) as stopped:
        main(["similar", "--territory", "ze:0001", *option])
    assert stopped.value.code == 2
    assert f"argument {option[0]} :" in capsys.readouterr().err
