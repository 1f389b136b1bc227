"""Hostile links and arguments for the specialisation and shift-share views and command."""

import json

from pipelines.__main__ import main
from tests.pages.test_specialisation_views import explorer


def test_a_hostile_peer_list_in_the_url_is_named_not_run(demo_marts):
    hostile = "5313,' or 1=1 --," + ",".join(str(n) for n in range(2000))
    test = explorer({"vue": "specialisation", "territoire": "bassin:5314", "reference": "pairs", "pairs": hostile})
    warnings = " ".join(warning.value for warning in test.warning)
    # the unknown codes named and left out (pairs.wanted_pairs), the known peer 5313 kept as the reference
    assert "inconnus au niveau Bassin d'emploi BMO ; ignorés" in warnings
    assert test.query_params["reference"] == "pairs" and test.query_params["pairs"] == "5313"
    shift = explorer({"vue": "evolution", "territoire": "bassin:5314", "reference": "<script>", "debut": "9" * 500})
    warnings = " ".join(warning.value for warning in shift.warning)
    assert "Référence «" in warnings and "Année de début «" in warnings  # said (as text), then replaced
    assert shift.query_params["reference"] == "fr" and shift.query_params["debut"] != "9" * 500


def test_hostile_cli_arguments_fail_in_french(demo_marts, capsys):
    code = main(["specialisation", "--territory", "bassin:5314", "--reference", "pairs", "--pairs",
                 "5313,'); drop table dim_a38; --"])
    err = capsys.readouterr().err
    assert code == 1 and "pairs inconnus à ce niveau" in err and "Traceback" not in err
    code = main(["specialisation", "--territory", "bassin:5314", "--reference", "pairs", "--pairs", ",,,"])
    assert code == 1 and "aucun territoire pair donné" in capsys.readouterr().err
    code = main(["specialisation", "--territory", "bassin:5314", "--annee", "99999", "--format", "json"])
    assert code == 1 and "année 99999 sans données" in capsys.readouterr().err
    # the marts are intact: the same command still answers
    assert main(["specialisation", "--territory", "bassin:5314", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["details"]
