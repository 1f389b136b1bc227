"""The explorer's "Créer un périmètre" view with AppTest: its definition in the URL, unknown communes named, saved
and rebuilt into a territory the other pages open."""

import html

import pytest

from pipelines import paths
from tests.pages.test_compare_view import explorer, notices, param, table
from tests.read.test_compare import compared_world  # noqa: F401 (the fixture every test here uses)

pytestmark = pytest.mark.usefixtures("compared_world")
LINK = {"vue": "perimetre", "perimetre": "bassin:5314,commune:35236,commune:35999", "nom": "Mission locale Sud"}


def warnings(test) -> str:
    return html.unescape("\n".join(w.value for w in test.warning))


def test_a_link_reopens_the_same_perimeter_and_names_its_unknown_commune():
    test = explorer(LINK)
    assert not test.exception and not notices(test)
    assert test.text_input(key="perimeter-name").value == "Mission locale Sud"
    assert test.multiselect(key="perimeter-bassin_bmo").value == ["5314"]
    # Redon, which a loaded file names, is shown picked by its name; 35999, which none knows, stays typed.
    assert test.multiselect(key="perimeter-picked").value == ["35236"]
    assert test.text_area(key="perimeter-communes").value == "35999"
    assert test.metric[0].value == "4"  # Cesson-Sévigné and Rennes (the bassin), Redon, 35999
    brought = dict(zip(test.dataframe[0].value["Code commune"], test.dataframe[0].value["Apportée par"], strict=True))
    assert brought["35236"] == "choisie par son nom" and brought["35999"] == "code saisi"
    assert brought["35238"].startswith("Bassin d'emploi BMO ")  # not specs
    assert test.multiselect(key="perimeter-epci").proto.placeholder == "Choisir"  # not "Choose options"
    assert "1 commune inconnue des zonages chargés" in warnings(test) and "« 35999 »" in warnings(test)
    again = explorer({name: param(test, name) for name in ("vue", "perimetre", "nom")})
    assert param(again, "perimetre") == LINK["perimetre"] and again.metric[0].value == "4"


def test_picking_and_typing_go_into_the_url():
    test = explorer({"vue": "perimetre"})
    assert not test.exception and "Choisissez des EPCI" in test.info[0].value
    test.text_input(key="perimeter-name").input("Nord").run()
    test.multiselect(key="perimeter-zone_emploi").select("5313").run()
    test.text_area(key="perimeter-communes").input("35238;1001 2a004\nRennes").run()
    assert param(test, "nom") == "Nord"
    assert param(test, "perimetre") == "ze:5313,commune:35238,commune:01001,commune:2A004,commune:Rennes"
    assert "Codes commune illisibles" in warnings(test) and "« Rennes »" in warnings(test)
    assert test.button(key="perimeter-save").disabled  # an unreadable code cannot be saved


def test_unknown_members_of_a_link_are_named():
    test = explorer({"vue": "perimetre", "perimetre": "bassin:9999,pays:1,bassin:5314", "nom": "x"})
    assert not test.exception
    said = " ".join(notices(test))
    assert "« pays:1 »" in said and "« 9999 »" in said and "bassin d'emploi BMO" in said
    assert param(test, "perimetre") == "bassin:5314"


def test_saving_makes_a_territory_that_the_other_pages_open():
    test = explorer(LINK)
    test.button(key="perimeter-save").click().run()
    assert not test.exception
    assert "liste:mission-locale-sud" in html.unescape(test.success[0].value)
    assert "mission-locale-sud" in paths.PERIMETERS.read_text(encoding="utf-8")
    overview = explorer({})  # the overview is the default page
    overview.query_params.clear()  # the link opened is the overview's, not the ranking's (its ?annee=)
    overview.query_params["territoire"] = "liste:mission-locale-sud"
    overview.switch_page("app_pages/overview.py").run()
    assert not overview.exception and not notices(overview)
    assert overview.selectbox(key="territory-level").value == "liste"
    compared = explorer({"vue": "comparer", "comparer": "liste:mission-locale-sud,bassin:5314"})
    assert not notices(compared)
    assert "Mission locale Sud (liste:mission-locale-sud)" in table(compared).columns
    # saved again: the code is taken, replacing it is asked for
    again = explorer(LINK)
    assert again.button(key="perimeter-save").disabled
    again.checkbox(key="perimeter-replace").check().run()
    again.button(key="perimeter-save").click().run()
    assert "remplacé" in again.success[0].value
