"""Links that say what they show: one path for the zoom page (app, CLI export, README), and a link that asks for
an unknown territory, sector or year says so instead of switching silently."""

import html
import re

import pytest
from streamlit.testing.v1 import AppTest

from app_pages.shared.ui import URL_NOTICE_ICON
from pipelines import paths
from pipelines.__main__ import DEFAULT_ZOOM_URL
from pipelines.report import links
from tests.pages.test_zoom_page import param, zoom_app


def warnings(test: AppTest) -> list[str]:
    """The notices about the link (the demo banner is a warning too)."""
    return [warning.value for warning in test.warning if warning.icon == URL_NOTICE_ICON]


def test_the_zoom_page_the_cli_and_the_readme_use_one_path():
    dashboard = (paths.ROOT / "dashboard.py").read_text(encoding="utf-8")
    assert 'url_path=ZOOM_URL_PATH' in dashboard and '"zoom"' not in dashboard
    assert 'url_path=EXPLORER_URL_PATH' in dashboard and '"explorer"' not in dashboard
    assert 'url_path=NOTE_URL_PATH' in dashboard and '"note"' not in dashboard
    assert DEFAULT_ZOOM_URL.endswith(f"/{links.ZOOM_URL_PATH}") or "ZOOM_SECTEURS_URL" in __import__("os").environ
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    page_paths = set(re.findall(r"127\.0\.0\.1:8501/(\w+)", readme)) | set(re.findall(r"`/(\w+)\?", readme))
    assert page_paths == {links.ZOOM_URL_PATH, links.EXPLORER_URL_PATH, links.NOTE_URL_PATH}, page_paths


@pytest.mark.parametrize("host, local", [("http://127.0.0.1:8501/zoom?x=1", True), ("http://localhost:8501/zoom", True),
                                          ("http://0.0.0.0:8501/zoom", True),
                                          ("http://192.168.1.20:8501/zoom", False),
                                          ("https://zoom.example.org/zoom", False)])
def test_a_link_to_this_computer_is_said_unreachable_from_a_phone(host, local):
    warning = links.local_link_warning(host)
    assert (warning is not None) == local
    if local:
        assert "make run HOST=0.0.0.0" in warning


def test_an_unknown_territory_in_a_link_is_named_not_silently_replaced(demo_marts):
    test = zoom_app({"secteur": "btp", "territoire": "bassin:9999"})
    assert not test.exception
    notices = warnings(test)
    assert len(notices) == 1 and "Territoire « bassin:9999 » inconnu" in notices[0], notices
    shown = notices[0].replace("\\", "")  # the Markdown source escapes the name read from a file
    assert "bassin d'emploi BMO Rennes (5314)" in shown
    assert param(test, "territoire") == "bassin:5314"


def test_a_malformed_territory_is_named_too(demo_marts):
    test = zoom_app({"secteur": "btp", "territoire": "[x](javascript:alert(1))"})
    assert not test.exception
    (notice,) = warnings(test)
    assert "Territoire « [x](javascript:alert(1)) » inconnu" in html.unescape(notice)  # shown as typed,
    assert "[" not in notice  # not a link (safe_text.markdown_text)


def test_an_unknown_sector_in_a_link_is_named(demo_marts):
    test = zoom_app({"secteur": "xyz", "territoire": "bassin:5314"})
    assert not test.exception
    (notice,) = warnings(test)
    assert notice.startswith("Secteur « xyz » inconnu ; affiché à la place : bâtiment")
    assert param(test, "secteur") == "btp"


def test_a_year_not_loaded_is_named_in_the_zoom_and_its_workshop_mode(demo_marts):
    for query in ({"secteur": "iaa", "annee": "1999"}, {"secteur": "iaa", "annee": "1999", "mode": "atelier"}):
        test = zoom_app(query)
        assert not test.exception
        (notice,) = warnings(test)
        assert "Enquête BMO « 1999 » non chargée pour ce territoire" in notice
        assert param(test, "annee") != "1999"


def test_the_overview_names_an_unknown_year_and_territory(demo_marts):
    test = AppTest.from_file(str(paths.ROOT / "dashboard.py"), default_timeout=60)
    test.query_params["territoire"] = "dep:99"
    test.query_params["annee"] = "1999"
    test.run()
    assert not test.exception
    notices = warnings(test)
    assert any("Territoire « dep:99 » inconnu" in notice for notice in notices), notices
    assert any("Enquête BMO « 1999 » non chargée" in notice for notice in notices), notices


def test_a_link_without_parameters_shows_no_notice(demo_marts):
    test = zoom_app({})
    assert not test.exception
    assert not [w for w in warnings(test) if "inconnu" in w or "non chargée" in w]



def test_a_year_for_a_territory_without_bmo_survey_is_said_to_have_no_object(demo_marts):
    test = zoom_app({"secteur": "btp", "territoire": "ze:5315", "annee": "1999"})
    assert not test.exception
    (notice,) = warnings(test)
    assert "Année d'enquête BMO « 1999 » sans objet ici" in notice and param(test, "annee") is None
