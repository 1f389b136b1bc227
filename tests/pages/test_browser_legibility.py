"""Legibility of the workshop slides and of the zoom page, measured in a real browser (Debian's Chromium).

Every slide of every sector of the bassin de Rennes, at 1280 × 720 (a room's projector) and 1920 × 1080, on
the demo marts and on marts built from the real publisher files (REAL_DATA_DIR; skipped only without it):
- no two text boxes overlap (HTML text line by line, and plotly's SVG text: titles, ticks, bar labels, legend,
  annotations);
- no text is clipped: each lies inside the screen and inside every box that clips it (plotly's SVG, any
  element whose overflow is not visible);
- no text is smaller than its minimum, in CSS px as rendered (font size × the page's CSS zoom × SVG scale):
  chart text 18 px; the slide's own text 24 px for what the room reads (title, figure, sentence, lines) and
  14 px for what the facilitator reads (sector · territory, slide number, source line, notes, buttons, link);
- no plotly toolbar (modebar) on a slide.
The zoom page (not the workshop) at 1280 px wide, on the same marts for the five sectors, gets the same check as
far as it applies to a page that scrolls, on every visible text of the main column (the page's HTML text line by
line: cards and their big values, captions, notices, buttons; and plotly's SVG text):
- no two text boxes overlap, across charts and HTML alike;
- no text is clipped sideways by the screen or by a box that scrolls (text below the fold is read by scrolling),
  and none is clipped either way by its own container (a card, a chart's SVG, any box hiding its overflow);
- no text is smaller than 12 px (MIN_PX["page"]).

Slides are walked with the "Suivant" button inside one page per sector and size (one Streamlit session).
Screenshots of every slide at 1280 × 720 are kept in test-artifacts/legibility/.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import ARTIFACTS
from tests.pages.test_browser_zoom import IDLE, TIMEOUT

SECTORS = ["btp", "travaux_publics", "numerique", "iaa", "agriculture"]
SIZES = {"1280x720": {"width": 1280, "height": 720}, "1920x1080": {"width": 1920, "height": 1080}}
MIN_PX = {"chart": 18, "main": 24, "secondary": 14,  # a slide's text, in CSS px, the same at both sizes
          "page": 12}  # every text of the zoom page (HTML and charts)
MAIN_TEXT = ".slide-title, .slide-value, .slide-detail, .slide-lines, .slide-statement"
TOLERANCE = 1.0  # px: boxes that merely touch do not overlap
SHOTS = ARTIFACTS / "legibility"
# Every plotly element of the run has its chart drawn: Streamlit shows a skeleton while it loads plotly, and a
# chart slide (its title) has its chart.
DRAWN = """() => {
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
  const drawn = charts.filter(element => element.querySelector('.js-plotly-plot .main-svg .trace')).length;
  return drawn === charts.length && !document.querySelector('[data-testid="stSkeleton"]')
    && drawn >= document.querySelectorAll('.slide-chart-title').length;
}"""

# Every visible text of the main area: HTML text nodes line by line (range client rects), plotly's SVG <text>
# elements whole. For each: its box, its rendered size in CSS px, the boxes that clip it, and its role.
# On the page (mode "page"), a box that scrolls vertically (the app's main area), and every box around it, clips
# only sideways: text below the fold is read by scrolling; a box inside that hides its overflow (a card) clips
# both ways.
MEASURE = """([mode, mainText]) => {
  const root = document.querySelector('[data-testid="stMainBlockContainer"]') || document.body;
  const view = {left: 0, top: 0, right: window.innerWidth, bottom: window.innerHeight};
  const box = r => ({left: r.left, top: r.top, right: r.right, bottom: r.bottom});
  const visible = el => {
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden' || s.opacity === '0') return false;
      // text for screen readers only (clipped to nothing on purpose)
      if (s.position === 'absolute' && (s.clip !== 'auto' || s.clipPath.startsWith('inset(50%'))) return false;
    }
    return true;
  };
  const name = e => e.tagName.toLowerCase() + (e.className && e.className.baseVal !== undefined
    ? '.' + e.className.baseVal : (e.dataset.testid ? '[' + e.dataset.testid + ']'
      : (typeof e.className === 'string' && e.className ? '.' + e.className.split(' ')[0] : '')));
  const clips = (first, svgOnly) => {  // the boxes of `first` and its ancestors that clip their content
    const found = [];
    let scrolled = false;  // on the page, a box that scrolls vertically, or one around it, clips only sideways
    for (let e = first; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      const overflows = s.overflowX !== 'visible' || s.overflowY !== 'visible';
      const svg = e.tagName.toLowerCase() === 'svg';
      scrolled = scrolled || (mode === 'page' && !svg && ['auto', 'scroll'].includes(s.overflowY));
      if (svg || (!svgOnly && overflows)) {
        found.push({what: name(e), box: box(e.getBoundingClientRect()), sideways: scrolled});
      }
    }
    return found;
  };
  const items = [];
  // plotly's SVG text
  document.querySelectorAll('.js-plotly-plot').forEach((plot, chart) => {
    plot.querySelectorAll('svg text').forEach(t => {
      const text = t.textContent.trim();
      if (!text || t.closest('.hoverlayer') || !visible(t)) return;
      const r = t.getBoundingClientRect();
      if (r.width < 0.5 || r.height < 0.5) return;
      const m = t.getCTM();
      const scale = m ? Math.sqrt(Math.abs(m.a * m.d - m.b * m.c)) : 1;
      const px = parseFloat(getComputedStyle(t).fontSize) * (t.currentCSSZoom || 1) * scale;
      const group = t.closest('[class]') ? t.parentElement.getAttribute('class') || t.getAttribute('class') : '';
      items.push({text, role: mode === 'page' ? 'page' : 'chart', chart,
                  what: (t.getAttribute('class') || '') + ' in ' + (group || ''),
                  px, box: box(r), node: items.length, clips: clips(t.parentElement, mode === 'page')
                    .concat(mode === 'page' ? clips(plot, false) : [])});
    });
  });
  // the HTML text of the slide or of the page's main column, line by line
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let node, index = 0;
  while ((node = walker.nextNode())) {
    index += 1;
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || el.closest('svg, style, script, .js-plotly-plot')) continue;
    if (!visible(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const px = parseFloat(getComputedStyle(el).fontSize) * (el.currentCSSZoom || 1);
    const role = mode === 'page' ? 'page' : el.closest(mainText) ? 'main' : 'secondary';
    const clippedBy = clips(el, false);
    for (const r of range.getClientRects()) {
      if (r.width < 0.5 || r.height < 0.5) continue;
      items.push({text: node.textContent.trim().slice(0, 80), role, chart: -1, what: name(el),
                  px, box: box(r), node: 'html' + index, clips: clippedBy});
    }
  }
  const modebars = [...document.querySelectorAll('.modebar')].filter(visible).length;
  return {items, view, modebars};
}"""


def _overlap(a: dict, b: dict) -> bool:
    width = min(a["right"], b["right"]) - max(a["left"], b["left"])
    height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return width > TOLERANCE and height > TOLERANCE


def _inside_sideways(inner: dict, outer: dict) -> bool:
    return inner["left"] >= outer["left"] - TOLERANCE and inner["right"] <= outer["right"] + TOLERANCE


def _inside(inner: dict, outer: dict) -> bool:
    return (inner["left"] >= outer["left"] - TOLERANCE and inner["top"] >= outer["top"] - TOLERANCE
            and inner["right"] <= outer["right"] + TOLERANCE and inner["bottom"] <= outer["bottom"] + TOLERANCE)


def problems(measured: dict, mode: str) -> list[str]:
    """What a reader could not read: overlapping texts, clipped texts, texts below their minimum size."""
    items, found = measured["items"], []
    for i, a in enumerate(items):
        for b in items[i + 1:]:
            if a["node"] == b["node"]:
                continue
            if _overlap(a["box"], b["box"]):
                found.append(f"chevauchement : « {a['text']} » ({a['what']}) et « {b['text']} » ({b['what']})")
        for clip in a["clips"]:
            inside = _inside_sideways(a["box"], clip["box"]) if clip["sideways"] else _inside(a["box"], clip["box"])
            if not inside:
                found.append(f"coupé par {clip['what']} : « {a['text']} » ({a['what']}) {a['box']} "
                             f"hors de {clip['box']}")
        view = measured["view"]
        outside = not _inside_sideways(a["box"], view) if mode == "page" else not _inside(a["box"], view)
        if outside:
            found.append(f"hors de l'écran : « {a['text']} » ({a['what']}) {a['box']}")
        if a["px"] < MIN_PX[a["role"]] - 0.05:
            found.append(f"trop petit ({a['px']:.1f} px < {MIN_PX[a['role']]} px) : « {a['text']} » ({a['what']})")
    if mode == "slide" and measured["modebars"]:
        found.append("barre d'outils plotly (modebar) visible sur une diapositive")
    return list(dict.fromkeys(found))


def settled_measure(page: Page, mode: str) -> dict:
    """Measured once the run is over, every chart drawn and two measures in a row agree (plotly's resize)."""
    page.wait_for_function(f"() => ({IDLE})() && ({DRAWN})()", timeout=TIMEOUT)
    page.evaluate("document.fonts.ready")
    before = page.evaluate(MEASURE, [mode, MAIN_TEXT])
    for _ in range(20):
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        page.wait_for_function(f"() => ({IDLE})() && ({DRAWN})()", timeout=TIMEOUT)
        after = page.evaluate(MEASURE, [mode, MAIN_TEXT])
        if [(i["text"], i["box"]) for i in after["items"]] == [(i["text"], i["box"]) for i in before["items"]]:
            return after
        before = after
    return before


@pytest.fixture(params=["demo", "real"])
def served_url(request) -> str:
    """The dashboard on demo marts, or on marts built from the real files (skipped without REAL_DATA_DIR)."""
    return request.getfixturevalue("demo_server").url if request.param == "demo" \
        else request.getfixturevalue("real_dashboard_url")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("sector", SECTORS)
def test_every_slide_is_legible_from_the_back_of_the_room(browser, served_url, request, sector, size):
    dataset = request.node.callspec.params["served_url"]
    context = browser.new_context(viewport=SIZES[size])
    page = context.new_page()
    found = []
    try:
        page.goto(f"{served_url}/zoom?secteur={sector}&territoire=bassin:5314&mode=atelier&diapo=1")
        number = page.locator(".slide-number")
        expect(number).to_have_text(re.compile(r"^1 / \d+$"), timeout=TIMEOUT)
        count = int(number.inner_text().split("/")[1])
        for index in range(1, count + 1):
            if index > 1:
                page.locator(".st-key-slide-next button").click()
                expect(number).to_have_text(f"{index} / {count}", timeout=TIMEOUT)
            measured = settled_measure(page, "slide")
            found += [f"diapo {index} / {count} : {problem}" for problem in problems(measured, "slide")]
            if size == "1280x720":
                SHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=SHOTS / f"{dataset}_{sector}_{size}_{index:02d}.png")
    finally:
        context.close()
    assert not found, f"{dataset}, {sector}, {size} :\n" + "\n".join(found)


@pytest.mark.parametrize("sector", SECTORS)
def test_the_zoom_page_is_legible_at_1280_px(browser, served_url, request, sector):
    dataset = request.node.callspec.params["served_url"]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{served_url}/zoom?secteur={sector}&territoire=bassin:5314")
        page.wait_for_function(f"() => ({IDLE})() && document.querySelectorAll('.js-plotly-plot').length > 0",
                               timeout=TIMEOUT)
        found = problems(settled_measure(page, "page"), "page")
        if sector == "btp":
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SHOTS / f"{dataset}_{sector}_page_1280.png", full_page=True)
    finally:
        context.close()
    assert not found, f"{dataset}, {sector}, page à 1280 px :\n" + "\n".join(found)
