"""The explorer's "Classement" and "Métiers" views with Streamlit's AppTest: URL state, reload, table, downloads."""

import csv
import io
from pathlib import Path

import pytest
import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from pipelines import paths
from tests.pages.test_dashboard import texts
from tests.read.test_ranks import ranked_world  # noqa: F401 (the fixture)

EXPLORER = "app_pages/explorer.py"


def explorer(query: dict) -> AppTest:
    """The explorer opened from a link with `query` (AppTest opens the default page first)."""
    test = AppTest.from_file(str(paths.ROOT / "dashboard.py"), default_timeout=60).run()
    test.switch_page(EXPLORER)
    test.query_params.clear()
    for key, value in query.items():
        test.query_params[key] = value
    return test.run()


@pytest.fixture
def media(monkeypatch) -> list[MemoryMediaFileStorage]:
    """The in-memory media storages of the AppTest runs: where the download buttons' files are."""
    made = []

    class Recorded(MemoryMediaFileStorage):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", Recorded)
    return made


def downloaded(test: AppTest, media: list, label: str) -> bytes:
    [button] = [b for b in test.get("download_button") if b.proto.label == label]
    name = Path(button.proto.url).name
    return media[-1].get_file(name).content


RENNES_BTP = {"vue": "classement", "territoire": "bassin:5303", "indicateur": "projets", "secteur": "btp",
              "echelle": "reg:53", "annee": "2024"}


def test_a_ranking_link_opens_the_same_view_and_reloads_it(ranked_world, media):  # noqa: F811
    test = explorer(RENNES_BTP)
    assert not test.exception
    body = texts(test)
    # Région 53, BTP projects 2024: 5301 100, 5302 = 5303 50, 5304 20, 5306 10; 5305 secret.
    assert "Charlie : 2e ex aequo sur 5 bassins d'emploi BMO (50), au-dessus de 50\u202f% des autres." in body
    assert "1 non classé : chiffre secret (« s »)" in body
    # the fixture's BMO file names its région "Région 53"
    assert [s.value for s in test.subheader] == [
        "Projets de recrutement (BMO) · Bâtiment et travaux publics · 2024 : bassins d'emploi BMO, Région 53 (53)"]
    table = test.dataframe[0].value
    assert list(table["Code"]) == ["5301", "5302", "5303", "5304", "5306", "5305"]
    assert list(table["Classement"]) == ["1er", "2e ex aequo", "2e ex aequo", "4e", "5e", "—"]
    assert list(table[" "]) == ["", "", "▶", "", "", ""]  # the chosen territory marked (and highlighted)
    assert dict(test.query_params) == RENNES_BTP  # every choice stays in the URL
    reloaded = explorer(dict(test.query_params))
    assert reloaded.dataframe[0].value.equals(table) and texts(reloaded) == body


def test_the_peer_group_of_the_url_is_marked(ranked_world, media):  # noqa: F811
    test = explorer({**RENNES_BTP, "pairs": "5301,5306,9999"})
    assert not test.exception
    assert list(test.dataframe[0].value[" "]) == ["◆", "", "▶", "", "◆", ""]
    [chart] = test.get("plotly_chart")
    assert "Territoires proches" in chart.proto.spec


def test_changing_the_indicator_and_the_scope_rewrites_the_url(ranked_world, media):  # noqa: F811
    test = explorer(RENNES_BTP)
    test.selectbox(key="rank-indicator-bassin_bmo").set_value("part_difficiles").run()
    assert not test.exception and test.query_params["indicateur"] == "part_difficiles"
    test.selectbox(key="rank-scope-bassin_bmo").set_value("fr").run()
    assert test.query_params["echelle"] == "fr"
    # 5303: 10 / 50 = 20 %; France: 5302 80 %, 5306 50 %, 5301 50 %, 5304 25 %, 5201 20 % = 5303 20 %.
    assert "Charlie : 5e ex aequo sur 6 bassins d'emploi BMO (20,0\u202f%)" in texts(test)


def test_downloads_hold_the_ranking(ranked_world, media):  # noqa: F811
    test = explorer(RENNES_BTP)
    content = downloaded(test, media, "Télécharger les données (CSV)")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert [(row["Rang"], row["Code"], row["Projets de recrutement (BMO)"]) for row in rows] == [
        ("1", "5301", "100"), ("2", "5302", "50"), ("2", "5303", "50"), ("4", "5304", "20"), ("5", "5306", "10"),
        ("n.d.", "5305", "s")]
    assert [b.proto.label for b in test.get("download_button")] == [
        "Télécharger les données (CSV)", "Télécharger avec la source (XLSX)"]


def test_unknown_url_values_are_said_not_switched_silently(ranked_world, media):  # noqa: F811
    test = explorer({**RENNES_BTP, "indicateur": "chiffre_inconnu", "echelle": "dep:99", "annee": "1999"})
    assert not test.exception
    notices = " ".join(w.value for w in test.warning)
    assert "Indicateur « chiffre&#95;inconnu » inconnu" in notices  # markdown characters of a URL value escaped
    assert "Échelle « dep:99 » inconnue" in notices and "Année « 1999 »" in notices
    assert test.query_params["indicateur"] == "projets" and test.query_params["echelle"] == "fr"


def test_france_and_lists_are_not_ranked(ranked_world):  # noqa: F811
    test = explorer({"vue": "classement", "territoire": "fr"})
    assert not test.exception and "même niveau" in test.info[0].value


def test_a_metier_link_ranks_it_across_territories(ranked_world, media):  # noqa: F811
    query = {"vue": "metiers", "territoire": "bassin:5302", "metier": "fap:B1X31", "indicateur": "projets",
             "echelle": "fr", "annee": "2024"}
    test = explorer(query)
    assert not test.exception
    # B1X31 is the only BTP métier of 5301, 5302, 5303, 5306, 5201 and the published one of 5304: same ranks.
    assert "Bravo : 3e ex aequo sur 6 bassins d'emploi BMO (50)" in texts(test)
    assert "métier FAP B1X31" in test.subheader[0].value
    assert dict(test.query_params) == query
    assert texts(explorer(dict(test.query_params))) == texts(test)
    content = downloaded(test, media, "Télécharger les données (CSV)")
    assert content.decode("utf-8-sig").splitlines()[1].startswith("1;non;5201;Golf;500;")


def test_an_a38_section_ranks_epci_and_is_not_offered_by_commune(demo_marts):
    query = {"vue": "classement", "territoire": "epci:243500139", "indicateur": "emploi", "secteur": "a38:FZ",
             "echelle": "dep:35"}
    test = explorer(query)
    assert not test.exception and not [w for w in test.warning if "inconnu" in w.value]
    assert "section NAF A38 FZ : Construction" in test.subheader[0].value
    table = test.dataframe[0].value
    assert table.loc[table[" "] == "▶", "Code"].tolist() == ["243500139"]
    assert any("A38" in option for option in test.selectbox(key="rank-sector-emploi").options)
    assert test.query_params["annee"] == "2024"  # the latest year, written into the link
    # The A38 mart stops at the EPCI: a commune's link asking for a section is told so, not switched silently.
    test = explorer({**query, "territoire": "commune:35238"})
    assert not test.exception
    assert not any("A38" in option for option in test.selectbox(key="rank-sector-emploi").options)
    assert any("Secteur « a38:FZ » inconnu" in w.value for w in test.warning)
    assert test.query_params["secteur"] == "ensemble"


def test_a_rome_code_ranks_its_tension_and_names_its_fap_metiers(demo_marts):
    test = explorer({"vue": "metiers", "territoire": "bassin:5314", "metier": "rome:F1702"})
    assert not test.exception and test.query_params["indicateur"] == "tension"
    assert "métier ROME F1702" in test.subheader[0].value
    assert any("métiers FAP 2009 : B1Z40" in caption.value for caption in test.caption)  # the Dares correspondence
    assert "Métier FAP A0Z40" in test.selectbox(key="metier-pick").options  # FAP 2009 métiers of the tension file


def test_a_ranking_without_any_value_says_so_instead_of_an_empty_chart(ranked_world, media):  # noqa: F811
    """B0X30 is published in one bassin only, and secret there: nothing to spread on a chart (an empty plotly
    chart, never drawn, is what the browser test waited for in vain on the real marts)."""
    test = explorer({"vue": "metiers", "territoire": "bassin:5304", "metier": "fap:B0X30", "indicateur": "projets",
                     "echelle": "fr", "annee": "2024"})
    assert not test.exception
    assert "0 territoire classé ; 1 non classé : chiffre secret" in texts(test)
    assert not test.get("plotly_chart")
    assert any("Pas de distribution à montrer" in info.value for info in test.info)
