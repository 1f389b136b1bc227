"""The explorer in a real browser (Debian's Chromium), on demo marts and on marts built from the real files:

- every view at 1280 × 720 (an analyst's laptop, a meeting room's projector): drawn without an error, every text
  legible (no overlap, nothing clipped sideways, nothing under 12 px: test_browser_legibility's measure);
- the ranking's map: the choropleth drawn from the marts' shapes with no request to any other server, the
  chosen territory outlined;
- a view's link, completed by the view (its year), reopens it after a reload;
- the ranking's CSV download holds the table the page shows;
- the perimeter's communes picked by name: the list a typed name opens, legible, homonyms told apart.
Screenshots at 1280 × 720 are kept in test-artifacts/explorer/.
"""

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.conftest import ARTIFACTS
from tests.pages.test_browser_legibility import problems, settled_measure
from tests.pages.test_browser_zoom import IDLE, TIMEOUT

SHOTS = ARTIFACTS / "explorer"
SIZE = {"width": 1280, "height": 720}
# Every view, as the link a user opens. Rennes Métropole has no figure in the real marts (their URSSAF file is
# Rouen's): its ranking falls back to the bassin, with a notice, which must be legible too.
VIEWS = {
    "classement-bassin": "vue=classement&territoire=bassin:5314&indicateur=projets&secteur=ensemble&echelle=reg:53",
    "classement-epci": "vue=classement&territoire=epci:243500139&indicateur=emploi&secteur=ensemble&echelle=dep:35",
    "specialisation": "vue=specialisation&territoire=bassin:5314&source=bmo",
    "evolution": "vue=evolution&territoire=dep:35",
    "proches": "vue=proches&territoire=bassin:5314",
    "comparer": "vue=comparer&territoire=bassin:5314&comparer=bassin:5314,dep:35",
    "metiers": "vue=metiers&territoire=bassin:5314",
    # A FAP 2009 family ranked on tension by département (DARES 2019 file).
    "metiers-famille": "vue=metiers&territoire=dep:35&metier=famille:B2Z&indicateur=tension&echelle=fr",
    # Communes picked by name (on the real marts: Rennes, and the two Bais, of Ille-et-Vilaine and of Mayenne,
    # told apart), and a code no file knows, left typed.
    "perimetre": "vue=perimetre&territoire=bassin:5314&perimetre=epci:243500139,commune:35238,commune:35014,"
                 "commune:53016,commune:35999&nom=Essai",
}
MAP_DRAWN = """() => [...document.querySelectorAll('.js-plotly-plot')]
    .some(plot => plot.querySelectorAll('path.choroplethlocation').length > 0)"""


@pytest.fixture(params=["demo", "real"])
def served_url(request) -> str:
    return request.getfixturevalue("demo_server").url if request.param == "demo" \
        else request.getfixturevalue("real_dashboard_url")


def opened(browser, url: str):
    context = browser.new_context(viewport=SIZE, accept_downloads=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.wait_for_function(IDLE, timeout=TIMEOUT)
    return context, page, errors


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_is_legible_at_1280_by_720(browser, served_url, request, view):
    dataset = request.node.callspec.params["served_url"]
    context, page, errors = opened(browser, f"{served_url}/explorer?{VIEWS[view]}")
    try:
        expect(page.get_by_role("heading", name="Explorateur des territoires")).to_be_visible(timeout=TIMEOUT)
        assert page.locator('[data-testid="stException"]').count() == 0
        found = problems(settled_measure(page, "page"), "page")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / f"{dataset}_{view}_1280x720.png", full_page=True)
    finally:
        context.close()
    assert not errors, errors
    assert not found, f"{dataset}, {view} à 1280 × 720 :\n" + "\n".join(found)


def test_the_ranking_map_is_drawn_offline_with_the_territory_outlined(browser, served_url):
    """Every request but the dashboard's own is refused: the map draws from the shapes the page sends."""
    context = browser.new_context(viewport=SIZE)
    foreign = []
    host = urlsplit(served_url).netloc

    def local_only(route):
        if urlsplit(route.request.url).netloc == host:
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    context.route("**/*", local_only)
    page = context.new_page()
    try:
        # The bassins of Ille-et-Vilaine: BMO figures in both marts, shapes dissolved from the communes' geometry
        # (the real file: Ille-et-Vilaine's communes; the real URSSAF file has no EPCI of it, so no EPCI figure).
        page.goto(f"{served_url}/explorer?vue=classement&territoire=bassin:5314&indicateur=projets&echelle=dep:35")
        page.wait_for_function(f"() => ({IDLE})() && ({MAP_DRAWN})()", timeout=TIMEOUT)
        shapes = page.evaluate("""() => {
            const plot = [...document.querySelectorAll('.js-plotly-plot')]
                .find(p => p.querySelector('path.choroplethlocation'));
            const traces = plot.data.map(t => ({type: t.type, locations: t.locations}));
            return {traces, drawn: plot.querySelectorAll('path.choroplethlocation').length};
        }""")
    finally:
        context.close()
    assert not foreign, foreign
    types = {trace["type"] for trace in shapes["traces"]}
    assert types == {"choropleth"}  # no tile layer, no scattermapbox
    outline = shapes["traces"][-1]
    assert outline["locations"] == ["5314"]  # the bassin of Rennes outlined, on top of the others
    drawn_locations = sum(len(trace["locations"]) for trace in shapes["traces"])
    assert shapes["drawn"] == drawn_locations > 1


def test_a_link_reopens_the_same_view_after_a_reload(browser, demo_server):
    """The link a view writes (its choices completed: the year) reopens that view, unchanged, after a reload. That the
    widgets write their choice into the link is checked with AppTest (tests/pages/test_explorer_ranking.py)."""
    context, page, errors = opened(browser, f"{demo_server.url}/explorer?vue=classement&territoire=bassin:5314"
                                            "&indicateur=emploi&secteur=btp&echelle=reg:53")
    try:
        page.wait_for_function("() => location.search.includes('annee=')", timeout=TIMEOUT)
        page.wait_for_function(IDLE, timeout=TIMEOUT)
        heading = page.locator('[data-testid="stHeading"] h3').first.inner_text()
        link = page.url
        page.reload()
        page.wait_for_function(IDLE, timeout=TIMEOUT)
        expect(page.locator('[data-testid="stHeading"] h3').first).to_have_text(heading, timeout=TIMEOUT)
        assert page.url == link
    finally:
        context.close()
    assert not errors, errors
    query = parse_qs(urlsplit(link).query)
    assert query["vue"] == ["classement"] and query["indicateur"] == ["emploi"] and query["secteur"] == ["btp"]
    assert "Emploi salarié" in heading


def test_the_ranking_csv_holds_the_table_shown(browser, served_url):
    context, page, errors = opened(browser, f"{served_url}/explorer?{VIEWS['classement-bassin']}")
    try:
        page.wait_for_function(f"() => ({IDLE})() && ({MAP_DRAWN})()", timeout=TIMEOUT)
        with page.expect_download(timeout=TIMEOUT) as download:
            page.get_by_role("button", name="Télécharger les données (CSV)").first.click()
        content = download.value.path().read_bytes().decode("utf-8-sig")
    finally:
        context.close()
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert "Rang" in header and "Territoire" in header
    assert any("5314" in ";".join(row) for row in body)  # the bassin of Rennes is ranked
    ranks = [row[header.index("Rang")] for row in body if row[header.index("Rang")]]
    assert ranks[0] == "1"


def test_the_perimeter_lists_communes_by_name(browser, served_url, request):
    """The perimeter's link reopens its communes picked by name (on the real marts, the two Bais, of Ille-et-Vilaine
    and of Mayenne, each with its département); typing a name lists the département's communes by name and code.
    The open list lies outside the page's column that test_every_view_is_legible_at_1280_by_720 measures: its
    screenshot is kept, and its type size checked here."""
    dataset = request.node.callspec.params["served_url"]
    context, page, errors = opened(browser, f"{served_url}/explorer?{VIEWS['perimetre']}")
    try:
        picker = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Communes choisies par leur nom")
        picker.scroll_into_view_if_needed()
        chips = picker.inner_text()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / f"{dataset}_perimetre_choix_1280x720.png")
        typed, options = picker.locator("input"), page.get_by_role("option")
        for _ in range(5):  # a click while the page settles may not open the list: open it again
            typed.click()
            typed.press("ArrowDown")
            try:
                options.first.wait_for(timeout=5000)
                break
            except PlaywrightTimeout:
                page.keyboard.press("Escape")
        expect(options.first).to_be_visible(timeout=TIMEOUT)
        if dataset == "real":
            typed.press_sequentially("Bais")
            expect(options.filter(has_text="Louvigné-de-Bais (35161)")).to_be_visible(timeout=TIMEOUT)
        shown = options.all_inner_texts()
        page.wait_for_timeout(500)  # the list fades in: a clear screenshot, nothing measured
        page.screenshot(path=SHOTS / f"{dataset}_perimetre_liste_1280x720.png")
        size = float(options.first.evaluate("option => parseFloat(getComputedStyle(option).fontSize)"))
    finally:
        context.close()
    assert not errors, errors
    assert size >= 12
    assert all(re.search(r"\(\d[0-9AB]\d{3}\)", text) for text in shown), shown  # every name with its code
    if dataset == "real":
        assert "Bais (35014) — Ille-et-Vilaine" in chips and "Bais (53016) — Mayenne" in chips, chips
        assert "Rennes (35238)" in chips and not any(text.startswith("Bais (") for text in shown), shown
