"""`python -m pipelines specialisation`: the numbers of the read functions, as text, CSV and JSON."""

import csv
import io
import json

import pytest

from pipelines.__main__ import main
from pipelines.read import marts, specialisation


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(["specialisation", "--territory", "bassin:5314", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_csv_and_text_give_the_numbers_of_the_read_function(demo_marts, capsys):
    with marts.connect() as con:
        expected = specialisation.location_quotients(con, "bassin_bmo", "5314", source="bmo", reference="reg")
    code, out, err = run(capsys, "--source", "bmo", "--reference", "reg", "--format", "json")
    assert code == 0 and "Données fictives de démonstration" in err
    data = json.loads(out)
    assert (data["year"], data["reference"]["territory_type"], len(data["details"])) == (
        expected.year, "region", len(expected.details))
    assert [row["quotient"] for row in data["details"]] == [row.quotient for row in expected.details]

    code, out, _ = run(capsys, "--source", "bmo", "--reference", "reg", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out), delimiter=";"))
    assert code == 0 and len(rows) == len(expected.sectors) + len(expected.details)
    btp = next(row for row in rows if row["Code"] == "btp")
    assert btp["Indice de spécialisation"] == f"{expected.sectors[0].quotient:.3f}".replace(".", ",")
    assert btp["Statut"] == ("partiel" if expected.sectors[0].status == "partiel" else "")

    code, out, _ = run(capsys, "--source", "bmo", "--reference", "reg")
    assert code == 0 and "Spécialisation du bassin d'emploi de Rennes (5314) en" in out
    assert "Activité la plus surreprésentée" in out and "Familles de métiers FAP" in out


def test_shift_share_formats(demo_marts, capsys):
    with marts.connect() as con:
        expected = specialisation.shift_share(con, "bassin_bmo", "5314", 2019, 2024)
    code, out, _ = run(capsys, "--depuis", "2019", "--jusqu-a", "2024", "--format", "json")
    data = json.loads(out)
    assert code == 0 and "exact" not in data
    assert data["total"]["change"] == expected.total.change == expected.total.end - expected.total.start
    assert data["total"]["national"] + data["total"]["mix"] + data["total"]["local"] == pytest.approx(
        data["total"]["change"])
    code, out, _ = run(capsys, "--depuis", "2019", "--jusqu-a", "2024", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out), delimiter=";"))
    assert rows[-1]["Code"] == "ensemble" and rows[-1]["Emploi 2024"] == str(expected.total.end)
    code, out, _ = run(capsys, "--depuis", "2019", "--jusqu-a", "2024")
    assert code == 0 and "Entre 2019 et 2024, le bassin d'emploi de Rennes (5314) a gagné" in out
    assert "effet national" in out and "Rupture de série" in out  # 2019-2024 straddles the apprentices' 2023


def test_impossible_requests_are_said_in_french(demo_marts, capsys):
    code, _, err = run(capsys, "--source", "bmo", "--depuis", "2019")
    assert code == 2 and "source « urssaf » seulement" in err
    code, _, err = run(capsys, "--depuis", "2024", "--jusqu-a", "2019")
    assert code == 1 and "doit précéder" in err and "Traceback" not in err
    code = main(["specialisation", "--territory", "reg:53", "--reference", "reg"])
    assert code == 1 and "sans objet" in capsys.readouterr().err
    code = main(["specialisation", "--territory", "ze:5315", "--source", "bmo"])
    assert code == 1 and "l'enquête BMO n'est publiée que par bassin" in capsys.readouterr().err
