"""The ranking and métiers views and `rank` on hostile input: markup in the names of the files (markup_files.py),
and crafted values in the URL. Everything is shown as text, and an unknown value is said, never a traceback."""

import json

import pytest

from pipelines.__main__ import main
from pipelines.ingest import importer
from pipelines.warehouse import build
from tests.hostile.markup_files import IMG, MD_LINK, PLACES, write_markup_files
from tests.pages.test_explorer_ranking import explorer

RAW = ("<img", "[lien](", "<iframe", "<b>")


@pytest.fixture
def hostile_marts(no_demo, tmp_path):
    importer.import_files(write_markup_files(tmp_path / "downloads"))
    build.build(say=lambda message: None)


def shown(test) -> str:
    """Everything the view wrote as markdown (the raw text Streamlit receives), and its chart."""
    parts = [element.value for kind in ("markdown", "caption", "warning", "info", "subheader") for element in
             getattr(test, kind)]
    return "\n".join(parts + [chart.proto.spec for chart in test.get("plotly_chart")])


@pytest.mark.parametrize("query", [
    {"vue": "classement", "territoire": "bassin:5314", "indicateur": "projets", "secteur": "btp", "echelle": "reg:53"},
    {"vue": "metiers", "territoire": "bassin:5314", "metier": "fap:B2X32", "indicateur": "projets"},
    {"vue": "metiers", "territoire": "bassin:5314", "metier": "rome:M1805", "indicateur": "tension"},
])
def test_names_from_files_are_shown_as_text(hostile_marts, query):
    test = explorer(query)
    assert not test.exception
    text = shown(test).lower()  # the BMO file's names are in capitals
    assert not any(raw in text for raw in RAW), text
    assert "&lt;img" in text or "&#60;img" in text  # the bassin's name is there, escaped


@pytest.mark.parametrize("name, value", [
    ("indicateur", IMG), ("secteur", MD_LINK), ("echelle", "dep:" + "9" * 5000), ("annee", "²"),
    ("annee", "٢٠٢٤"), ("metier", "fap:<b>B2X31</b>"), ("pairs", ",".join(["<b>"] * 2000)),
    ("secteur", "a38:" + "Z" * 100),
])
def test_crafted_url_values_are_said_and_replaced(hostile_marts, name, value):
    view = "metiers" if name == "metier" else "classement"
    test = explorer({"vue": view, "territoire": "bassin:5314", name: value})
    assert not test.exception
    assert not any(raw in shown(test).lower() for raw in RAW)
    if name != "pairs":
        assert test.query_params[name] != value
        assert any("inconnu" in w.value or "sans chiffre" in w.value for w in test.warning)  # inconnu(e)


def test_the_command_line_prints_names_as_they_are_and_refuses_crafted_options(hostile_marts, capsys):
    assert main(["rank", "--secteur", "btp", "--territory", "bassin:5314", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["territoire"]["territory_name"] == PLACES["bassin"].upper()  # as the BMO file has it, in capitals
    assert main(["rank", "--secteur", "btp", "--echelle", "reg:53'; drop table dim_territory; --"]) == 1
    assert "échelle" in capsys.readouterr().err
    assert main(["rank", "--indicateur", "\x1b[2J"]) == 1
    assert "\x1b" not in capsys.readouterr().err
