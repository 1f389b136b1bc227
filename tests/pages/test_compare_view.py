"""The explorer's "Comparer" view with AppTest: territories from the URL (?comparer=…), picked, reloaded."""

import html
from html.parser import HTMLParser

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from app_pages.shared.ui import URL_NOTICE_ICON
from pipelines import paths
from tests.read.test_compare import compared_world  # noqa: F401 (the fixture every test here uses)

pytestmark = pytest.mark.usefixtures("compared_world")


def explorer(query: dict) -> AppTest:
    """The explorer opened from a link (AppTest runs the default page first)."""
    test = AppTest.from_file(str(paths.ROOT / "dashboard.py"), default_timeout=60).run()
    test.switch_page("app_pages/explorer.py")
    test.query_params.clear()
    for name, value in query.items():
        test.query_params[name] = value
    return test.run()


def notices(test: AppTest) -> list[str]:
    return [html.unescape(w.value) for w in test.warning if w.icon == URL_NOTICE_ICON]


def param(test: AppTest, name: str) -> str:
    value = test.query_params[name]
    return value[0] if isinstance(value, list) else value


class _Table(HTMLParser):
    """The comparison table's HTML read back: header cells, then rows of cells (a sector's row has one)."""

    def __init__(self):
        super().__init__()
        self.rows, self._cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = ""

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.rows[-1].append(self._cell)
            self._cell = None


def table(test: AppTest) -> pd.DataFrame | None:
    """The comparison table as shown (Secteur, Indicateur, one column per place), None when there is none."""
    shown = [m.value for m in test.markdown if "compare-table" in m.value and "<table>" in m.value]
    if not shown:
        return None
    parser = _Table()
    parser.feed(html.unescape(shown[0].split("</style>")[-1]))
    header, lines, sector = parser.rows[0], [], None
    for row in parser.rows[1:]:
        if len(row) == 1:
            sector = row[0]
        else:
            lines.append([sector, *row])
    return pd.DataFrame(lines, columns=["Secteur", *header])


def cell(test: AppTest, sector: str, indicator: str, column: str):
    shown = table(test)
    found = shown[(shown["Secteur"] == sector) & shown["Indicateur"].str.startswith(indicator)]
    return found.iloc[0][column]


def test_a_link_reopens_the_same_comparison():
    link = {"vue": "comparer", "territoire": "bassin:5314", "comparer": "bassin:5314,bassin:5313,liste:rennes-redon",
            "secteur": "btp"}
    test = explorer(link)
    assert not test.exception and not notices(test)
    assert test.multiselect(key="compare-places-bassin_bmo").value == ["bassin:5314", "bassin:5313",
                                                                      "liste:rennes-redon"]
    assert cell(test, "Bâtiment et travaux publics", "Projets de recrutement 2025", "Rennes (bassin:5314)") == "140"
    assert cell(test, "Bâtiment et travaux publics", "Salariés fin 2023", "Redon (bassin:5313)") == "45"
    assert cell(test, "Bâtiment et travaux publics", "Salariés fin 2023", "Rennes et Redon (liste:rennes-redon)") \
        == "couverture partielle (2 communes sur 3)"
    assert test.selectbox(key="compare-sector").value == "btp"
    assert len(test.get("plotly_chart")) == 2  # the employment index and the BMO projects
    assert len(test.get("download_button")) == 6  # CSV and XLSX of the table and of each chart
    again = explorer({name: param(test, name) for name in ("vue", "territoire", "comparer", "secteur")})
    assert again.multiselect(key="compare-places-bassin_bmo").value == ["bassin:5314", "bassin:5313",
                                                                       "liste:rennes-redon"]
    assert param(again, "comparer") == link["comparer"]


def test_picking_territories_of_other_levels_goes_into_the_url():
    test = explorer({"vue": "comparer", "territoire": "bassin:5314"})
    assert not test.exception
    assert test.multiselect(key="compare-places-bassin_bmo").value == ["bassin:5314", "dep:35"]  # the default
    test.selectbox(key="compare-level").set_value("zone_emploi").run()
    test.multiselect(key="compare-places-zone_emploi").select("ze:5313").run()
    assert param(test, "comparer") == "bassin:5314,dep:35,ze:5313"
    test.multiselect(key="compare-places-zone_emploi").unselect("bassin:5314").unselect("dep:35").run()
    assert param(test, "comparer") == "ze:5313"
    assert "de 2 à 6 territoires" in test.info[0].value  # one is not a comparison: said, no table
    assert table(test) is None


def test_an_unknown_territory_in_the_link_is_named_not_dropped_silently():
    test = explorer({"vue": "comparer", "comparer": "bassin:5314,bassin:9999,pays:x,,ze:5313"})
    assert not test.exception
    said = notices(test)
    assert len(said) == 1 and "« bassin:9999 »" in said[0] and "« pays:x »" in said[0]
    assert param(test, "comparer") == "bassin:5314,ze:5313"


def test_more_than_six_are_said_and_the_first_six_compared():
    seven = "bassin:5314,bassin:5313,ze:5313,bassin:2201,dep:35,dep:44,ze:5315"
    test = explorer({"vue": "comparer", "comparer": seven})
    assert not test.exception
    assert any("7 territoires demandés : 6 au plus" in notice and "ze:5315" in notice for notice in notices(test)), \
        notices(test)
    assert param(test, "comparer") == seven.rsplit(",", 1)[0]
    assert list(table(test).columns)[2:] == [
        "Rennes (bassin:5314)", "Redon (bassin:5313)", "Redon (ze:5313)", "Nantes (bassin:2201)",
        "Département 35 (dep:35)", "Département 44 (dep:44)"]


@pytest.mark.parametrize("sector", ["agriculture", "inconnu"])
def test_a_sector_without_a_curve_says_why(sector):
    test = explorer({"vue": "comparer", "comparer": "bassin:5314,bassin:5313", "secteur": sector})
    assert not test.exception
    if sector == "inconnu":
        assert any("Secteur « inconnu » inconnu" in notice for notice in notices(test))
    else:
        assert any("Pas de courbe d'emploi salarié" in info.value for info in test.info)
