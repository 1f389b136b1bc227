"""Hostile links: whatever a URL's query holds, every page answers with the French notice, never a traceback.

`?annee=²` used to show a traceback with the server's paths: str.isdigit() is True for '²', int() is not.
"""

import pytest
from streamlit.testing.v1 import AppTest

from app_pages.shared.ui import URL_NOTICE_ICON, url_number
from pipelines import paths

HOSTILE = {
    "superscript-2": "²", "superscript-3": "³", "arabic-indic-3": "٣", "exponent": "1e9", "negative": "-1",
    "twenty-digits": "99999999999999999999", "ten-thousand-digits": "9" * 10_000, "script": "<script>",
    "percent-null": "%00", "null": "\x00", "spaces": " 3 ",
}
# The parameters each page reads, and so must refuse with a notice.
PAGES = {
    "overview": ("app_pages/overview.py", {}, ("territoire", "annee")),
    "zoom": ("app_pages/zoom_secteur.py", {}, ("territoire", "annee", "secteur", "mode")),
    "workshop": ("app_pages/zoom_secteur.py", {"mode": "atelier"}, ("territoire", "annee", "secteur", "diapo")),
    "sources": ("app_pages/sources.py", {}, ()),
}
PARAMETERS = ("territoire", "annee", "secteur", "mode", "diapo")


def open_link(page: str, query: dict[str, str]) -> AppTest:
    """A page opened from a link with `query` (AppTest runs the default page first)."""
    test = AppTest.from_file(str(paths.ROOT / "dashboard.py"), default_timeout=60).run()
    test.switch_page(page)
    test.query_params.clear()
    for name, value in query.items():
        test.query_params[name] = value
    return test.run()


def url_notices(test: AppTest) -> list[str]:
    return [w.value for w in test.warning if w.icon == URL_NOTICE_ICON]


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize("view", PAGES)
def test_every_page_answers_a_hostile_link_with_a_notice(world, view, value):
    page, fixed, read = PAGES[view]
    test = open_link(page, {name: value for name in PARAMETERS} | fixed)
    assert not test.exception, [e.message for e in test.exception]
    notices = url_notices(test)
    assert len(notices) == len(read), notices
    for notice in notices:  # the value quoted, cut short and inert (Markdown characters escaped)
        assert len(notice) < 400 and "<script>" not in notice


@pytest.mark.parametrize("name", ["annee", "diapo"])
def test_a_number_in_other_digits_is_not_read_as_that_number(world, name):
    test = open_link(PAGES["workshop"][0], {"mode": "atelier", "secteur": "btp", name: "٢"})  # 2, arabic-indic
    assert not test.exception
    assert len(url_notices(test)) == 1
    assert test.query_params["diapo"] in (["1"], "1")  # the first slide, not the second


def test_a_valid_link_shows_no_notice(world):
    test = open_link(PAGES["workshop"][0], {"mode": "atelier", "secteur": "btp", "territoire": "bassin:5314",
                                            "annee": "2024", "diapo": "02"})
    assert not test.exception and not url_notices(test)
    assert test.query_params["diapo"] in (["2"], "2")


@pytest.mark.parametrize(("text", "expected"), [
    ("2025", 2025), ("0", 0), ("007", 7), ("²", None), ("٣", None), ("1e9", None), ("-1", None), ("+1", None),
    (" 1", None), ("1\n", None), ("", None), ("9" * 10_000, None), ("99999999999999999999", None), ("3000", None),
])
def test_url_number_reads_ascii_digits_within_bounds_only(text, expected):
    assert url_number(text, 0, 2999) == expected
