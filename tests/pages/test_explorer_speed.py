"""What keeps the explorer's ranking fast (benchmarks/explorer.py measures it; tests never check a duration):

- the territory picker's choices (some 39,000 territories with the communes) are built once per marts version,
  not at every rerun;
- the map's figure, shared by every session, hands Streamlit the same dict at every render instead of a deep copy
  of every coordinate of its shapes, and that dict is the one plotly would write;
- the map is sent to the browser before the ranking's table (so that the browser starts loading plotly.js, the
  slowest part of a map to appear, as early as it can), and still shown below the table.
"""

import plotly.graph_objects as go
import pytest
from streamlit.delta_generator import DeltaGenerator
from streamlit.testing.v1 import AppTest

from app_pages.shared import ui
from app_pages.shared.explorer import ranking as view
from pipelines import paths
from pipelines.read import marts

MAP_LINK = {"vue": "classement", "territoire": "bassin:5314", "indicateur": "projets", "secteur": "ensemble",
            "echelle": "dep:35"}


def explorer(query: dict) -> AppTest:
    test = AppTest.from_file(str(paths.ROOT / "dashboard.py"), default_timeout=60)
    for key, value in query.items():
        test.query_params[key] = value
    test.switch_page("app_pages/explorer.py").run()
    assert not test.exception, test.exception
    return test


def test_a_rerun_does_not_rebuild_the_territory_pickers_choices(demo_marts, monkeypatch):
    test = explorer({**MAP_LINK, "territoire": "commune:35238"})
    offered = test.selectbox(key="explorer-territory-code-commune").options
    assert len(offered) > 1 and "Rennes (35238)" in offered
    named = []
    monkeypatch.setattr(ui, "display_name", lambda name: named.append(name) or name)
    test.run()
    assert not test.exception
    assert named == []  # not one label written again: on a rerun the choices come from the cache
    assert test.selectbox(key="explorer-territory-code-commune").options == offered
    assert test.selectbox(key="explorer-territory-code-commune").value == "35238"


def test_the_shared_map_figure_gives_streamlit_one_dict_the_one_plotly_writes(demo_marts):
    signature = marts.signature()
    year = view._years("projets", "ensemble", "bassin_bmo")[-1]
    prepared = view._prepared(signature, "projets", "ensemble", "bassin_bmo", "dep:35", year)
    figure, notes = view._map(signature, ("projets", "ensemble", "bassin_bmo", "dep:35", year), "5314", prepared)
    assert figure is not None and notes == []
    first = figure.to_dict()
    assert figure.to_dict() is first  # st.plotly_chart calls to_dict() at every render: no copy of the shapes
    assert first == go.Figure.to_dict(figure)  # plotly's own dict of the same figure
    assert [trace["type"] for trace in first["data"]][-1] == "choropleth"
    assert first["data"][-1]["locations"] == ["5314"]  # the chosen bassin outlined


@pytest.fixture
def sent(monkeypatch) -> list[str]:
    """The types of the elements the page sends, in the order it sends them."""
    order = []
    enqueue = DeltaGenerator._enqueue

    def recorded(self, delta_type, *args, **kwargs):
        order.append(delta_type)
        return enqueue(self, delta_type, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "_enqueue", recorded)
    return order


def shown(node) -> list[str]:
    """The element types of the page from top to bottom."""
    children = getattr(node, "children", None)
    if children is None:
        return [node.type]
    return [kind for key in sorted(children) for kind in shown(children[key])]


def test_the_map_is_sent_before_the_table_and_shown_below_it(demo_marts, sent):
    test = explorer(MAP_LINK)
    assert "plotly_chart" in sent and "dataframe" in sent
    assert sent.index("plotly_chart") < sent.index("dataframe")
    page = shown(test.main)
    table, charts = page.index("dataframe"), [i for i, kind in enumerate(page) if kind == "plotly_chart"]
    assert len(charts) == 2 and table < charts[0]  # the table and its downloads, then the map, the distribution
    assert page[table:charts[0]] == ["dataframe", "download_button", "download_button"]
    map_spec = test.get("plotly_chart")[0].proto.spec
    assert '"choropleth"' in map_spec
