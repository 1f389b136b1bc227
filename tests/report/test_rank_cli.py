"""`python -m pipelines rank` in its three formats: the numbers of read.ranking, worded by report.ranking."""

import csv
import io
import json

from pipelines.__main__ import main
from tests.read.test_ranks import ranked_world  # noqa: F401 (the fixture)


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(["rank", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_gives_the_unrounded_ranking(ranked_world, capsys):  # noqa: F811
    code, out, _ = run(capsys, "--indicateur", "projets", "--secteur", "btp", "--echelle", "reg:53",
                       "--annee", "2024", "--territory", "bassin:5303", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["classes"] == 5 and data["secrets"] == 1 and data["incomplets"] == 1
    assert data["territoire"]["rank"] == 2 and data["territoire"]["tied"] is True
    assert data["territoire"]["percentile"] == 0.5
    by_code = {row["territory_code"]: row for row in data["territoires"]}
    assert by_code["5306"]["value"] == 10 and by_code["5306"]["straddles"] is False  # 35 and 56 are both in 53
    assert by_code["5305"]["rank"] is None and by_code["5305"]["secret"] is True
    assert data["titre"].endswith("bassins d'emploi BMO, Région 53 (53)") and data["mediane"] == 50


def test_text_says_ex_aequo_and_the_counts(ranked_world, capsys):  # noqa: F811
    code, out, _ = run(capsys, "--secteur", "btp", "--niveau", "bassin", "--annee", "2024", "--territory",
                       "bassin:5302", "--format", "text")
    assert code == 0
    assert "Bravo : 3e ex aequo sur 6 bassins d'emploi BMO (50), au-dessus de 40\u202f% des autres." in out
    assert "6 territoires classés ; 1 non classé : chiffre secret (« s »)" in out
    assert "▶ 3e ex aequo" in out and "Données fictives" not in out


def test_csv_is_the_download_table(ranked_world, capsys):  # noqa: F811
    code, out, _ = run(capsys, "--secteur", "btp", "--annee", "2024", "--format", "csv")
    assert code == 0 and out.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff")), delimiter=";"))
    assert [(row["Rang"], row["Ex aequo"], row["Code"]) for row in rows] == [
        ("1", "non", "5201"), ("2", "non", "5301"), ("3", "oui", "5302"), ("3", "oui", "5303"), ("5", "non", "5304"),
        ("6", "non", "5306"), ("n.d.", "non", "5305")]
    assert rows[-1]["Projets de recrutement (BMO)"] == "s" and rows[4]["Chiffre incomplet"] == "oui"


def test_what_cannot_be_ranked_is_said_in_french(ranked_world, capsys):  # noqa: F811
    code, _, err = run(capsys, "--indicateur", "projets", "--niveau", "commune")
    assert code == 1 and "n'est pas publié à ce niveau (commune)" in err and "Traceback" not in err
    code, _, err = run(capsys, "--niveau", "pays")
    assert code == 2 and "niveau « pays » invalide" in err
    code, _, err = run(capsys, "--secteur", "fap:<script>")
    assert code == 1 and "invalide" in err
