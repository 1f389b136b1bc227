"""The "Comparer" view with six territories of five levels, in Chromium at 1280 × 720, on demo and real marts: the
six names picked, the table's six columns and the charts' legends of six long names all legible
(test_browser_legibility's measure: no overlap, nothing clipped, nothing under 12 px)."""

from playwright.sync_api import expect

from tests.pages.test_browser_explorer import SHOTS, opened, served_url  # noqa: F401 (the fixture used here)
from tests.pages.test_browser_legibility import problems, settled_measure
from tests.pages.test_browser_zoom import TIMEOUT

# Six territories with figures in both the demo and the real marts (the real URSSAF file covers the ZE of Rouen).
SIX = {"demo": "bassin:5314,dep:35,reg:53,fr,ze:5315,epci:242900314",
       "real": "bassin:2801,ze:2815,epci:200023414,dep:76,reg:28,fr"}


def test_six_territories_are_legible_at_1280_by_720(browser, served_url, request):  # noqa: F811
    dataset = request.node.callspec.params["served_url"]
    context, page, errors = opened(browser, f"{served_url}/explorer?vue=comparer&comparer={SIX[dataset]}")
    try:
        expect(page.locator(".compare-table th.value")).to_have_count(6, timeout=TIMEOUT)
        found = problems(settled_measure(page, "page"), "page")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / f"{dataset}_comparer-six_1280x720.png", full_page=True)
    finally:
        context.close()
    assert not errors, errors
    assert not found, f"{dataset}, six territoires à 1280 × 720 :\n" + "\n".join(found)
