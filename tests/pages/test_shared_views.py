"""Twenty phones on one link (issue 11 §4): sessions that open the same view share its drawn charts.

Each AppTest is a session of its own; the plotly figures, tables and CSVs of a view are built by the first one
that shows them and reused by the next ones until the marts change. Counted here by wrapping the functions that
build them (no timing)."""

import plotly.io
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from app_pages.shared import ui
from pipelines import paths
from pipelines.report import downloads, zoom_charts
from pipelines.warehouse import build

ZOOM = "app_pages/zoom_secteur.py"
VIEW = {"secteur": "btp", "territoire": "bassin:5314"}


def session(query: dict, calls: dict[str, list]) -> AppTest:
    """A new session (a phone) that opens the zoom from a link; `calls` keeps what its zoom drew and wrote."""
    test = AppTest.from_file(str(paths.ROOT / "dashboard.py"), default_timeout=60).run()  # the overview first
    test.switch_page(ZOOM)
    test.query_params.clear()
    for key, value in query.items():
        test.query_params[key] = value
    for made in calls.values():
        made.clear()
    test.run()
    assert not test.exception
    return test


@pytest.fixture
def built(monkeypatch) -> dict[str, list]:
    """The figures drawn (chart key, large) and the CSVs written (columns) by a session's zoom; empty caches."""
    st.cache_resource.clear()
    st.cache_data.clear()
    calls = {"figures": [], "csv": []}
    to_plotly, csv_bytes = zoom_charts.to_plotly, downloads.csv_bytes

    def counted_figure(chart, large=False):
        calls["figures"].append((chart.key, large))
        return to_plotly(chart, large=large)

    def counted_csv(table):
        calls["csv"].append(tuple(table.columns))
        return csv_bytes(table)

    monkeypatch.setattr(zoom_charts, "to_plotly", counted_figure)
    monkeypatch.setattr(downloads, "csv_bytes", counted_csv)
    return calls


def test_a_second_session_on_the_same_view_reuses_its_charts(world, built):
    first = session(VIEW, built)
    charts = len(first.get("plotly_chart"))
    assert charts >= 3 and len(built["figures"]) == charts and len(built["csv"]) == charts
    second = session(VIEW, built)
    assert built == {"figures": [], "csv": []}  # nothing drawn or written again
    # ...and it shows the same charts as the first
    assert [c.proto.spec for c in second.get("plotly_chart")] == [c.proto.spec for c in first.get("plotly_chart")]
    session({**VIEW, "secteur": "numerique"}, built)  # another view draws its own
    assert built["figures"]


def test_new_marts_draw_the_charts_again(world, built):
    session(VIEW, built)
    drawn = list(built["figures"])
    build.build(say=lambda message: None)  # a rebuild swaps in a new marts file: a new version
    session(VIEW, built)
    assert built["figures"] == drawn


def test_workshop_slides_share_their_figure_and_leave_the_pages_alone(world, built):
    slide = {**VIEW, "mode": "atelier", "diapo": "6"}  # the first chart slide of the small world's zoom
    first = session(slide, built)
    [(key, large)] = built["figures"]
    assert large  # drawn for a projector
    second = session(slide, built)
    assert not built["figures"]  # ...once for both sessions
    assert first.get("plotly_chart")[0].proto.spec == second.get("plotly_chart")[0].proto.spec
    # the slide's figure fills the screen; the page's figure of the same chart keeps its own height
    page = session(VIEW, built)
    shown = next(c for c in page.get("plotly_chart") if c.proto.id.endswith(f"chart-{key}"))
    chart = next(c for c in zoom_charts.zoom_charts(ui.zoom("btp", "bassin_bmo", "5314", 2025)) if c.key == key)
    assert shown.proto.spec == plotly.io.to_json(zoom_charts.to_plotly(chart), validate=False)


def test_the_overview_shares_its_figures(world, monkeypatch):
    st.cache_resource.clear()
    styled = []
    style_figure = ui.style_figure
    monkeypatch.setattr(ui, "style_figure", lambda figure, title, **size: styled.append(title)
                        or style_figure(figure, title, **size))
    first = AppTest.from_file(str(paths.ROOT / "dashboard.py"), default_timeout=60).run()
    assert not first.exception and len(first.get("plotly_chart")) == len(styled) == 2
    second = AppTest.from_file(str(paths.ROOT / "dashboard.py"), default_timeout=60).run()
    assert len(styled) == 2  # drawn by the first session only
    assert [c.proto.spec for c in second.get("plotly_chart")] == [c.proto.spec for c in first.get("plotly_chart")]
    second.selectbox(key="top-sector").set_value("numerique").run()  # other rows: another figure
    assert len(styled) == 3


def test_no_full_garbage_collection_after_every_run():
    """Streamlit's collection after each script run cost two thirds of a warm view's CPU (benchmarks/load.py)."""
    import tomllib

    with open(paths.ROOT / ".streamlit" / "config.toml", "rb") as handle:
        assert tomllib.load(handle)["runner"]["postScriptGC"] is False


def test_the_pages_do_not_load_the_pdf_renderer_before_a_pdf_is_asked_for():
    """matplotlib (the PDF of the slides) costs a second at the first view after each server start."""
    import subprocess
    import sys

    code = ("import sys; import app_pages.shared.ui, app_pages.shared.zoom_exports; "
            "print('matplotlib' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=paths.ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
