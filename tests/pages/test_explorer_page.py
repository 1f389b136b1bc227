"""The explorer page itself: its views, and the URL parameters each one owns."""

import re

from streamlit.testing.v1 import AppTest

from app_pages.shared import explorer
from pipelines import paths

READ = re.compile(r'(?:url_param|wanted_option)\(\s*"([a-z_]+)"|query_params\["([a-z_]+)"\]')


def test_every_parameter_a_view_reads_is_declared_as_its_own():
    """VIEW_PARAMS is what a view switch keeps: a parameter a view reads but does not declare would be dropped."""
    for view, (_, module) in explorer.VIEWS.items():
        source = (paths.ROOT / "app_pages" / "shared" / "explorer" / f"{module}.py").read_text(encoding="utf-8")
        read = {a or b for a, b in READ.findall(source)}
        assert read - explorer.KEPT_PARAMS <= explorer.VIEW_PARAMS[view], (view, read)
    assert set(explorer.VIEW_PARAMS) == set(explorer.VIEWS)


def test_switching_view_drops_the_parameters_of_the_previous_one(demo_marts):
    test = AppTest.from_file(str(paths.ROOT / "dashboard.py"), default_timeout=60)
    query = {"vue": "classement", "territoire": "epci:243500139", "indicateur": "emploi", "secteur": "a38:FZ",
             "echelle": "dep:35", "pairs": "200000001"}
    for key, value in query.items():
        test.query_params[key] = value
    test.switch_page("app_pages/explorer.py").run()
    assert not test.exception and test.query_params["secteur"] == "a38:FZ"
    test.button_group(key="explorer-view").set_value("comparer").run()
    assert not test.exception
    assert test.query_params["vue"] == "comparer"
    assert "indicateur" not in test.query_params and "echelle" not in test.query_params
    assert test.query_params.get("secteur") != "a38:FZ"  # the comparison's own sector, not the ranking's section
    assert not [w.value for w in test.warning if "inconnu" in w.value]
    assert test.query_params["territoire"] == "epci:243500139"  # kept across views


def test_a_peer_group_made_at_one_level_is_dropped_when_the_level_changes(demo_marts):
    """5313 is both a bassin and a zone d'emploi: the group of zones must not become a group of bassins."""
    test = AppTest.from_file(str(paths.ROOT / "dashboard.py"), default_timeout=60)
    for key, value in {"vue": "classement", "territoire": "ze:5315", "pairs": "5313,5316"}.items():
        test.query_params[key] = value
    test.switch_page("app_pages/explorer.py").run()
    assert not test.exception and test.query_params["pairs"] == "5313,5316"
    test.selectbox(key="explorer-territory-level").set_value("bassin_bmo").run()
    assert not test.exception
    assert test.query_params["territoire"].startswith("bassin:")
    assert "pairs" not in test.query_params
    assert any("Groupe de pairs retiré" in w.value and "zone d'emploi" in w.value for w in test.warning)
