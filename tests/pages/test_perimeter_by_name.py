"""The "Créer un périmètre" view with AppTest: communes picked by their name, a département at a time, homonyms
told apart by their département, the link reopening the same picks, and the perimeter saved as before."""

import html
import tomllib

import pytest

from pipelines import paths
from pipelines.ingest import importer
from pipelines.ingest.demo import write_bassins_csv, write_ze_workbook
from pipelines.warehouse import build
from tests.conftest import WORLD_COMMUNES, write_world
from tests.pages.test_compare_view import explorer, notices, param

# Two fictitious communes named alike in two départements, beside the small world's.
SAINT_AUBIN = {"commune_name": "Saint-Aubin", "region_code": "53"}
COMMUNES = [*WORLD_COMMUNES,
            {**SAINT_AUBIN, "commune_code": "35250", "bassin_code": "5314", "bassin_name": "RENNES", "ze_code": "5315",
             "ze_name": "Rennes", "dept_code": "35"},
            {**SAINT_AUBIN, "commune_code": "29250", "bassin_code": "5319", "bassin_name": "QUIMPERLE",
             "ze_code": "5314", "ze_name": "Quimperlé", "dept_code": "29"}]


@pytest.fixture(autouse=True)
def homonym_world(no_demo, tmp_path):
    for file in write_world(tmp_path / "dl")[:2]:  # the BMO workbooks
        importer.import_file(file)
    importer.import_file(write_bassins_csv(tmp_path / "dl" / "communes_bassins.csv", COMMUNES))
    importer.import_file(write_ze_workbook(tmp_path / "dl" / "ze.xlsx", COMMUNES))
    build.build(say=lambda m: None)


def test_communes_picked_by_name_a_departement_at_a_time_are_saved():
    test = explorer({"vue": "perimetre", "territoire": "bassin:5314"})
    assert not test.exception and not notices(test)
    assert test.selectbox(key="perimeter-departement").value == "35"  # the explorer's territory's département
    shown = test.multiselect(key="perimeter-picked").options
    # Ille-et-Vilaine's communes by name; the Saint-Aubin says its département, as another one has its name.
    assert [label.split(" (")[0] for label in shown] == ["Cesson-Sévigné", "Redon", "Rennes", "Saint-Aubin"]
    departements = test.selectbox(key="perimeter-departement").options  # as the loaded files name them
    assert departements == ["département 29", "Département 35 (35)"]
    assert "Rennes (35238)" in shown and "Saint-Aubin (35250) — Département 35" in shown
    test.text_input(key="perimeter-name").input("Deux Saint-Aubin").run()
    test.multiselect(key="perimeter-picked").select("35250").select("35238").run()
    test.selectbox(key="perimeter-departement").select("29").run()
    picker = test.multiselect(key="perimeter-picked")
    assert picker.value == ["35250", "35238"]  # kept while another département's communes are offered
    assert "Saint-Aubin (29250) — département 29" in picker.options
    picker.select("29250").run()
    assert param(test, "perimetre") == "commune:35250,commune:35238,commune:29250"
    shown = test.dataframe[0].value
    assert list(shown["Département"]) == ["35", "35", "29"]  # homonyms told apart in the table too
    assert set(shown["Apportée par"]) == {"choisie par son nom"}
    test.button(key="perimeter-save").click().run()
    assert not test.exception
    assert "liste:deux-saint-aubin" in html.unescape(test.success[0].value)
    saved = tomllib.loads(paths.PERIMETERS.read_text(encoding="utf-8"))["deux-saint-aubin"]
    assert saved["communes"] == ["35250", "35238", "29250"]
    assert saved["membres"] == ["commune:35250", "commune:35238", "commune:29250"]


def test_a_link_reopens_the_communes_picked_and_reads_the_same():
    link = {"vue": "perimetre", "nom": "Essai",
            "perimetre": "bassin:5313,commune:29250,commune:35999,commune:35238,commune:Rennes"}
    test = explorer(link)
    assert not test.exception
    # The named communes picked (the département of the first one offered), the others left as typed.
    assert test.selectbox(key="perimeter-departement").value == "29"
    assert test.multiselect(key="perimeter-picked").value == ["29250", "35238"]
    assert test.text_area(key="perimeter-communes").value == "35999, Rennes"
    written = param(test, "perimetre")
    assert written == "bassin:5313,commune:29250,commune:35238,commune:35999,commune:Rennes"
    again = explorer({name: param(test, name) for name in ("vue", "perimetre", "nom")})
    assert param(again, "perimetre") == written
    assert again.multiselect(key="perimeter-picked").value == ["29250", "35238"]


def test_a_code_typed_for_a_named_commune_is_named_after_a_reload():
    test = explorer({"vue": "perimetre", "territoire": "bassin:5314"})
    test.text_area(key="perimeter-communes").input("35999 35236").run()
    assert param(test, "perimetre") == "commune:35236,commune:35999"  # named first: the order a reload shows
    again = explorer({"vue": "perimetre", "perimetre": param(test, "perimetre")})
    assert again.multiselect(key="perimeter-picked").value == ["35236"]
    assert param(again, "perimetre") == "commune:35236,commune:35999"
