"""The block "Ce que les employeurs attendent" and its workshop slides in a real browser (Debian's Chromium) at
1280 × 720, a room's projector, on the demo marts and on marts built from the real files (the ROME v460 files and
the offers samples; REAL_DATA_DIR): what a person sees is the figures the marts give, on screen, not clipped.
Every slide's legibility (sizes, overlaps) is measured for all sectors by test_browser_legibility.py."""

import pytest
from playwright.sync_api import Page, expect

from pipelines.report import employers
from pipelines.report.slides import build_slides
from tests.conftest import ARTIFACTS
from tests.pages.test_browser_zoom import TIMEOUT, choose, expected_view, settle

ROOM = {"width": 1280, "height": 720}
DEPARTEMENT = ("departement", "35")  # the real offers samples hold enough offers of the BTP there


@pytest.fixture(params=["demo", "real"])
def served(request):
    return request.getfixturevalue("demo_server" if request.param == "demo" else "real_server")


def inside_the_screen_sideways(page: Page, selector: str) -> None:
    """Every element of `selector` lies within the screen's width (nothing cut on the right)."""
    for box in page.locator(selector).evaluate_all("els => els.map(e => e.getBoundingClientRect().toJSON())"):
        assert box["left"] >= 0 and box["right"] <= ROOM["width"] + 0.5, (selector, box)


def test_the_block_shows_the_skills_and_the_offers_open_to_beginners(page: Page, served, request):
    dataset = request.node.callspec.params["served"]
    zoomed, _ = expected_view(served, "btp", DEPARTEMENT)
    assert zoomed.skills["metiers"] and zoomed.offers, "the ROME files and the offers must be loaded"
    page.set_viewport_size(ROOM)
    page.goto(f"{served.url}/zoom?secteur=btp&territoire=dep:35")
    settle(page)
    header = page.get_by_role("heading", name="5. Ce que les employeurs attendent")
    header.scroll_into_view_if_needed()
    expect(header).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text(employers.skills_source(zoomed.skills)[:60], exact=False)).to_be_visible()
    shared = employers.shared_lines(zoomed.skills)
    if shared:
        expect(page.get_by_text(shared[0], exact=True)).to_be_visible()
    # the first métier's lists, then another's once chosen
    sections = employers.metier_sections(zoomed.skills)
    expect(page.locator(".st-key-skills-metier input")).to_have_value(sections[0]["title"])
    for items in sections[0]["lists"].values():
        expect(page.locator(".st-key-skills-lists").get_by_text(items[0], exact=True).first).to_be_visible()
    page.locator(".st-key-skills-metier").scroll_into_view_if_needed()
    choose(page, "skills-metier", sections[1]["title"])
    settle(page)
    expect(page.locator(".st-key-skills-metier input")).to_have_value(sections[1]["title"])
    for items in sections[1]["lists"].values():
        expect(page.locator(".st-key-skills-lists").get_by_text(items[0], exact=True).first).to_be_visible()
    # the offers: the statement and the three figures, as the marts give them
    expect(page.get_by_text(employers.beginners_statement(zoomed.offers, "du BTP"), exact=True)).to_be_visible()
    for card in employers.offer_figures(zoomed.offers):
        box = page.locator(f".st-key-offers-{card['key']}")
        expect(box).to_contain_text(card["label"])
        expect(box).to_contain_text(card["value"])
    expect(page.get_by_text("moins de 26 ans", exact=False)).to_be_visible()
    inside_the_screen_sideways(page, "[class*='st-key-offers-'], .st-key-skills-lists li")
    page.locator(".st-key-offers-offres").scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"employers-block-{dataset}-1280x720.png")


def test_the_workshop_slides_fit_the_projector(page: Page, served, request):
    dataset = request.node.callspec.params["served"]
    zoomed, charts = expected_view(served, "btp", DEPARTEMENT)
    slides = build_slides(zoomed, charts, "https://example.org/zoom")
    titles = [slide.title for slide in slides]
    wanted = ["Les compétences clés", "Ouvert aux débutants", "À retenir"]
    page.set_viewport_size(ROOM)
    for title in wanted:
        number = titles.index(title) + 1
        slide = slides[number - 1]
        page.goto(f"{served.url}/zoom?secteur=btp&territoire=dep:35&mode=atelier&diapo={number}")
        expect(page.locator(".slide-number")).to_have_text(f"{number} / {len(slides)}", timeout=TIMEOUT)
        settle(page)
        expect(page.locator(".slide-title")).to_have_text(title)
        if slide.statement:
            expect(page.locator(".slide-statement")).to_have_text(slide.statement)
        lines = page.locator(".slide-lines li, .slide-detail")
        expect(lines).to_have_count(len(slide.lines))
        for index, line in enumerate(slide.lines):
            expect(lines.nth(index)).to_have_text(line)
            expect(lines.nth(index)).to_be_in_viewport(ratio=1)
        expect(page.locator(".slide-source")).to_have_text(slide.source)
        for part in (".slide-source", ".st-key-slide-next button", ".st-key-workshop-off button"):
            expect(page.locator(part)).to_be_in_viewport(ratio=1)
        inside_the_screen_sideways(page, ".slide-title, .slide-statement, .slide-lines li, .slide-detail")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"employers-slide-{dataset}-{number:02d}.png")
    assert "offres en ligne au" in slides[titles.index("À retenir")].source


def test_offers_of_one_departement_are_said_partial_for_the_region(page: Page, real_server):
    """The real offers samples' latest BTP snapshot is a search of Ille-et-Vilaine: read for Bretagne (4
    départements), its count is no figure of the région. The cards (no count), the statement and the slide "Ouvert
    aux débutants" (its statement alone) say so, within a 1280 × 720 screen, and "À retenir" writes no sentence
    from them."""
    zoomed, charts = expected_view(real_server, "btp", ("region", "53"))
    partial = "Couverture partielle : offres chargées dans 1 département sur 4 du territoire."
    assert employers.partial_coverage(zoomed.offers) == partial
    total = zoomed.offers["counts"]["offers"]
    page.set_viewport_size(ROOM)
    page.goto(f"{real_server.url}/zoom?secteur=btp&territoire=reg:53")
    settle(page)
    cards = employers.offer_figures(zoomed.offers)
    assert [card["value"] for card in cards][0::2] == [
        "couverture partielle", f"{zoomed.offers['counts']['work_study_offers']} sur {total}"]
    for card in cards:
        box = page.locator(f".st-key-offers-{card['key']}")
        box.scroll_into_view_if_needed()
        # label, value, detail: the card's three lines as offer_figures words them
        expect(box.locator("div > div > div").filter(has_text=card["value"]).last).to_have_text(
            card["value"], timeout=TIMEOUT)
        expect(box).to_contain_text(card["detail"])
    statement = employers.beginners_statement(zoomed.offers, "du BTP")
    assert statement.endswith(partial)
    expect(page.get_by_text(statement, exact=True)).to_be_visible()
    inside_the_screen_sideways(page, "[class*='st-key-offers-']")
    for box in page.locator("[class*='st-key-offers-'] div").evaluate_all(
            "els => els.map(e => [e.scrollWidth, e.clientWidth])"):
        assert box[0] <= box[1] + 1, box  # the worded value wraps inside its card, not past it
    page.locator(".st-key-offers-offres").scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "employers-partial-real-1280x720.png")

    slides = build_slides(zoomed, charts, "https://example.org/zoom")
    number = [slide.title for slide in slides].index("Ouvert aux débutants") + 1
    assert slides[number - 1].lines == []
    page.goto(f"{real_server.url}/zoom?secteur=btp&territoire=reg:53&mode=atelier&diapo={number}")
    expect(page.locator(".slide-number")).to_have_text(f"{number} / {len(slides)}", timeout=TIMEOUT)
    settle(page)
    expect(page.locator(".slide-statement")).to_have_text(statement)
    expect(page.locator(".slide-lines li, .slide-detail")).to_have_count(0)
    for part in (".slide-statement", ".slide-source", ".st-key-slide-next button", ".st-key-workshop-off button"):
        expect(page.locator(part)).to_be_in_viewport(ratio=1)
    page.screenshot(path=ARTIFACTS / "employers-partial-slide-real-1280x720.png")
    [remember] = [slide for slide in slides if slide.title == "À retenir"]
    assert not any("débutants" in line for line in remember.lines)
