"""The explorer's "Territoires proches" view and the peer group (?pairs=) in the explorer, the overview and the
zoom, rendered with Streamlit's AppTest on the demo marts."""

import json

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from pipelines import paths
from pipelines.frformat import fmt_int
from pipelines.read import similar
from tests.pages.test_dashboard import texts

EXPLORER = "app_pages/explorer.py"
OVERVIEW = "app_pages/overview.py"


def page(file: str, query: dict) -> AppTest:
    """`file` opened from a link with `query`: AppTest runs the default page (the overview) first, so another page
    is opened after it, with the link's query only (the overview's widgets would keep its first run's values)."""
    test = AppTest.from_file(str(paths.ROOT / "dashboard.py"), default_timeout=60)
    if file != OVERVIEW:
        test.run().switch_page(file)
        test.query_params.clear()
    for key, value in query.items():
        test.query_params[key] = value
    test.run()
    assert not test.exception
    return test


def param(test: AppTest, name: str) -> str:
    value = test.query_params[name]
    return value[0] if isinstance(value, list) else value


def expected(territory_type: str, code: str, factor: float | None = None) -> list[str]:
    with duckdb.connect(str(paths.MARTS_DB), read_only=True) as con:
        return [peer.code for peer in similar.similar(con, territory_type, code, 10, factor).peers]


def table_with(test: AppTest, column: str):
    """The page's data grid that has `column` (AppTest's data grids carry no key)."""
    return next(grid.value for grid in test.dataframe if column in grid.value.columns)


def has_group(test: AppTest) -> bool:
    return any("Mode de calcul" in grid.value.columns for grid in test.dataframe)


def group_row(test: AppTest):
    table = table_with(test, "Mode de calcul")
    return table[table["Lieu"].str.startswith("Groupe de pairs")].iloc[0], table


def test_the_view_proposes_the_closest_and_makes_them_the_peer_group(demo_marts):
    test = page(EXPLORER, {"vue": "proches", "territoire": "ze:5315"})
    assert "Profil proche, pas un classement de performance" in test.info[0].value
    peers = expected("zone_emploi", "5315")
    assert list(table_with(test, "Rang")["Code"]) == peers
    # at 1280 px: the long sections are in each peer's detail (and the downloads), not in the screen's columns;
    # the chart under the subheader that names it has no title of its own
    assert not [column for column in table_with(test, "Rang").columns if column.startswith("Sections")]
    assert json.loads(test.get("plotly_chart")[0].proto.spec)["layout"]["title"]["text"] == ""
    assert "dissimilarité de Krugman" in texts(test)
    detail = test.selectbox(key="similar-detail")
    assert detail.value == peers[0]
    detail.set_value(peers[1]).run()
    assert "**Ce qui les distingue**" in texts(test) and " ici, " in texts(test)
    assert test.multiselect(key="similar-pairs-zone_emploi-5315").value == peers
    assert param(test, "pairs") == ",".join(peers)  # the group lives in the URL
    row, table = group_row(test)
    assert row["Lieu"] == f"Groupe de pairs ({len(peers)} zones d'emploi)"
    assert list(table["Lieu"])[-1] == "France"


def test_a_link_reopens_the_size_band_and_the_edited_group(demo_marts):
    test = page(EXPLORER, {"vue": "proches", "territoire": "ze:5316", "taille": "2", "pairs": "5306,5315"})
    assert test.selectbox(key="similar-size").value == "2"
    in_band = expected("zone_emploi", "5316", 2)
    assert len(in_band) >= 2 and list(table_with(test, "Rang")["Code"]) == in_band
    assert in_band != expected("zone_emploi", "5316")  # the band left some out
    assert test.multiselect(key="similar-pairs-zone_emploi-5316").value == ["5306", "5315"]
    assert param(test, "taille") == "2" and param(test, "pairs") == "5306,5315"
    assert group_row(test)[0]["Lieu"] == "Groupe de pairs (2 zones d'emploi)"
    # Edited in the view: the URL follows; the proposed territories come back with one click.
    test.multiselect(key="similar-pairs-zone_emploi-5316").set_value(["5313"]).run()
    assert param(test, "pairs") == "5313"
    test.button(key="similar-pairs-reset").click().run()
    assert param(test, "pairs") == ",".join(in_band)
    test.selectbox(key="similar-size").set_value("toutes").run()
    assert "taille" not in test.query_params


def test_an_empty_group_stays_empty_and_unknown_codes_are_named(demo_marts):
    test = page(EXPLORER, {"vue": "proches", "territoire": "bassin:5314", "pairs": "5313,9999,<b>x</b>,5314"})
    assert test.multiselect(key="similar-pairs-bassin_bmo-5314").value == ["5313"]  # Rennes itself left out
    notice = next(w.value for w in test.warning if "Pairs" in w.value)
    assert "9999" in notice and "inconnus au niveau Bassin d'emploi BMO" in notice
    assert param(test, "pairs") == "5313"  # the link says what is shown
    overview = page(OVERVIEW, {"territoire": "dep:35", "pairs": "5313,5316"})  # bassins: not peers
    assert any("inconnus au niveau Département" in w.value for w in overview.warning)
    assert param(overview, "pairs") == "" and not has_group(overview)
    empty = page(EXPLORER, {"vue": "proches", "territoire": "bassin:5314", "pairs": ""})
    assert empty.multiselect(key="similar-pairs-bassin_bmo-5314").value == []
    assert not [s for s in empty.subheader if s.value == "Comparaison avec le groupe de pairs"]


def _btp_employees(codes: list[str]) -> int:
    """The peer group's BTP employees, summed here straight from the mart."""
    with duckdb.connect(str(paths.MARTS_DB), read_only=True) as con:
        return con.execute("""select sum(employees) from fct_employment_by_territory_sector_year
                              where territory_type = 'bassin_bmo' and list_contains(?, territory_code)
                                and sector_code = 'btp' and is_latest_period""", [codes]).fetchone()[0]


def test_the_overview_shows_the_peer_group_beside_the_other_places(demo_marts):
    test = page(OVERVIEW, {"territoire": "bassin:5314", "pairs": "5313,5316"})
    row, table = group_row(test)
    assert list(table["Lieu"]) == ["Bassin d'emploi BMO Rennes", "Groupe de pairs (2 bassins d'emploi BMO)",
                                   "Département Ille-et-Vilaine", "Région Bretagne", "France"]
    assert row["Salariés"] == fmt_int(_btp_employees(["5313", "5316"]))  # the first sector: BTP, a sum
    assert "médiane" in texts(test)
    assert not has_group(page(OVERVIEW, {"territoire": "bassin:5314"}))  # no group, no table


def test_the_zoom_shows_the_peer_group_and_its_workshop_is_unchanged(demo_marts):
    query = {"territoire": "bassin:5314", "secteur": "btp", "pairs": "5313,5316"}
    test = page("app_pages/zoom_secteur.py", query)
    row, _ = group_row(test)
    assert row["Salariés"] == fmt_int(_btp_employees(["5313", "5316"]))
    assert param(test, "pairs") == "5313,5316"
    assert test.code[0].value.endswith("&pairs=5313%2C5316")  # the link to copy keeps the group
    workshop = page("app_pages/zoom_secteur.py", query | {"mode": "atelier", "diapo": "2"})
    assert param(workshop, "diapo") == "2" and not has_group(workshop)
    assert not [s for s in workshop.subheader if "groupe de pairs" in s.value]


@pytest.mark.parametrize("taille", ["7", "²", "2" * 500])
def test_an_unknown_size_band_is_said(demo_marts, taille):
    test = page(EXPLORER, {"vue": "proches", "territoire": "ze:5315", "taille": taille})
    assert any("Bande de taille" in w.value for w in test.warning)
    assert test.selectbox(key="similar-size").value == "toutes"

