"""Exports of a zoom, tested by opening the result: the PDF with pdfium (pages rendered to PNG, text extracted),
the HTML pack in Debian's Chromium with every non-file request aborted. Rendered pages and a screenshot of the
pack are kept in test-artifacts/."""

import html
import math
import re
from html.parser import HTMLParser

import duckdb
import plotly.offline
import pypdfium2 as pdfium
import pytest
from matplotlib.figure import Figure
from PIL import ImageStat
from streamlit.testing.v1 import AppTest

from pipelines import paths
from pipelines.__main__ import main
from pipelines.report.export_html import pack_charts, zoom_pack
from pipelines.report.export_pdf import A4_LANDSCAPE, RC, draw_chart, draw_slide, fr_number, slides_pdf, tick_formatter
from pipelines.report.slides import ROOM_BARS, build_slides, view_query
from pipelines.report.zoom import file_stem, zoom
from pipelines.report.zoom_charts import Chart, Series, zoom_charts
from pipelines.warehouse import build
from tests.conftest import offline_page, use_data_dir

ARTIFACTS = paths.ROOT / "test-artifacts" / "exports"  # Chromium: the launch fixture of tests/conftest.py
LINK = "https://zoom.example.org/zoom"


@pytest.fixture(scope="module")
def demo_marts(tmp_path_factory):
    """Demo marts built once for this module, in a temporary data folder."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        use_data_dir(monkeypatch, tmp_path_factory.mktemp("exports") / "data")
        build.build(say=lambda message: None)
        yield paths.MARTS_DB


def view(marts, sector="btp", territory=("bassin_bmo", "5314"), year=None):
    """The zoom, its charts and its slides, as the page builds them."""
    con = duckdb.connect(str(marts), read_only=True)
    try:
        zoomed = zoom(con, sector, *territory, year)
    finally:
        con.close()
    charts = zoom_charts(zoomed)
    slides = build_slides(zoomed, charts, f"{LINK}?{view_query(sector, *territory, zoomed.year)}")
    return zoomed, charts, slides


def plain(text: str) -> str:
    """Whitespace (line breaks of wrapped lines, narrow no-break spaces) as single spaces, to compare texts."""
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\xa0", " ")).strip()


# --- PDF -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sector", ["btp", "agriculture"])
def test_pdf_has_one_a4_landscape_page_per_slide_each_drawn_with_its_sector_and_source(demo_marts, sector):
    zoomed, charts, slides = view(demo_marts, sector)
    calls = []
    data = slides_pdf(slides, progress=lambda done, total: calls.append((done, total)))
    total = len(slides)
    assert calls == [(n, total) for n in range(1, total + 1)]
    document = pdfium.PdfDocument(data)
    assert len(document) == total
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for number, (page, slide) in enumerate(zip(document, slides, strict=True), start=1):
        width, height = page.get_size()
        assert abs(width - 842) <= 1 and abs(height - 595) <= 1
        image = page.render(scale=1).to_pil().convert("L")
        image.save(ARTIFACTS / f"slides_{sector}_{number:02d}.png")
        assert ImageStat.Stat(image).var[0] > 100, f"page {number} looks blank"
        text = plain(page.get_textpage().get_text_range())
        assert plain(zoomed.sector["label"]) in text and plain(zoomed.perimeter) in text
        assert plain(slide.source) in text, f"page {number}: source line missing"
        assert f"{number} / {total}" in text
        if slide.kind == "figure":
            assert plain(slide.figure["value"]) in text
        if slide.kind == "lines":
            assert all(plain(sentence) in text for sentence in slide.lines)
    # Every chart has its slide, except a chart of one bar or point (the figure slide shows it); the tension
    # chart may be a sentence, and is followed by the radar of the métier most in tension; the offers open to
    # beginners are a sentence of their own ("Ouvert aux débutants").
    shown = [c for c in charts if c.kind in ("barh", "radar") or len(c.categories) > 1]
    tension = any(c.key == "tension" for c in charts)
    assert sum(slide.kind in ("chart", "statement") for slide in slides) == len(shown) + tension + 1
    titles = [slide.title for slide in slides]
    assert {"Les compétences clés", "Ouvert aux débutants"} <= set(titles)


def test_pdf_on_the_small_world_with_secrets_and_missing_sources(world):
    """Secret cells, no employment (no URSSAF file), no tension: the slides still draw, with 's', never 0."""
    zoomed, charts, slides = view(world, "btp", year=2024)
    document = pdfium.PdfDocument(slides_pdf(slides))
    assert len(document) == len(slides)
    text = plain(" ".join(page.get_textpage().get_text_range() for page in document))
    assert "Bâtiment et travaux publics" in text and "Sur votre téléphone" not in text


def test_missing_values_are_gaps_never_zero_and_axes_are_french():
    chart = Chart("t", "Test", "line", "Année", "Salariés", "count", [2021, 2022, 2023],
                  [Series("Salariés", [1500, None, 2500], "#0072B2")], "Source : test")
    figure = Figure(figsize=A4_LANDSCAPE)
    draw_chart(figure, chart)
    line = figure.axes[0].lines[0]
    assert math.isnan(line.get_ydata()[1]) and list(line.get_ydata())[::2] == [1500, 2500]
    bars = Chart("b", "Test", "bar", "Année", "Projets", "count", [2024, 2025],
                 [Series("Projets", [None, 120], "#D55E00", ["s", "120"])], "Source : test")
    figure = Figure(figsize=A4_LANDSCAPE)
    draw_chart(figure, bars)
    axes = figure.axes[0]
    assert [patch.get_height() for patch in axes.patches] == [120]  # no bar for the secret year
    assert [text.get_text() for text in axes.texts] == ["s", "120"]
    assert fr_number(12345) == "12\u202f345"
    assert tick_formatter("share")(23.5, 0) == "23,5\u202f%"
    assert tick_formatter("index")(104.25, 0) == "104,2"


# --- Legibility of the PDF: every page drawn, its texts measured by matplotlib -----------------------------------

# The slides' rule, on a projected page: an A4 landscape page (595.3 pt high) shown 720 px high is 720 / 595.3 px
# per pt. Chart text must be 18 px at least, every other text (source line, notes, link, page number…) 14 px.
PAGE_HEIGHT_PT = A4_LANDSCAPE[1] * 72
PROJECTED_PX_PER_PT = 720 / PAGE_HEIGHT_PT
MIN_PX = {"chart": 18, "page": 14}


def projected_px(size_pt: float) -> float:
    """The size in CSS px of a text of `size_pt` points when the page is projected 720 px high."""
    return size_pt * PROJECTED_PX_PER_PT


def texts_of(fig) -> list[tuple[str, str, float, object]]:
    """(role, text, size in pt, box in px) of every text drawn on a page."""
    import matplotlib.text
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    found = [("page", t) for t in fig.texts]
    for ax in (ax for ax in fig.axes if ax.axison):  # not the QR code's
        legend = ax.get_legend()
        low, high = sorted(ax.get_ylim())  # the locator's ticks beyond the axis are not drawn
        shown_y = [t for t in ax.get_yticklabels() if low - 1e-9 <= t.get_position()[1] <= high + 1e-9]
        found += [("chart", t) for t in [*ax.get_xticklabels(), *shown_y, *ax.texts, ax.xaxis.label,
                                         ax.yaxis.label, *(legend.get_texts() if legend else [])]]
    return [(role, t.get_text(), t.get_fontsize(), t.get_window_extent(renderer)) for role, t in found
            if isinstance(t, matplotlib.text.Text) and t.get_visible() and t.get_text().strip()]


def pdf_problems(fig) -> list[str]:
    found = []
    texts = texts_of(fig)
    page = fig.bbox
    for i, (role, text, size, box) in enumerate(texts):
        if projected_px(size) < MIN_PX[role] - 1e-6:
            found.append(f"trop petit ({size} pt = {projected_px(size):.1f} px < {MIN_PX[role]} px) : {text!r}")
        if not (box.x0 >= page.x0 - 1 and box.y0 >= page.y0 - 1 and box.x1 <= page.x1 + 1 and box.y1 <= page.y1 + 1):
            found.append(f"coupé par la page : {text!r}")
        for _, other, _, other_box in texts[i + 1:]:
            width = min(box.x1, other_box.x1) - max(box.x0, other_box.x0)
            height = min(box.y1, other_box.y1) - max(box.y0, other_box.y0)
            if width > 1 and height > 1:
                found.append(f"chevauchement : {text!r} et {other!r}")
    return found


def legible_pdf_pages(marts) -> list[str]:
    import matplotlib

    found = []
    for sector in ("btp", "travaux_publics", "numerique", "iaa", "agriculture"):
        _, _, slides = view(marts, sector)
        with matplotlib.rc_context(RC):
            for number, slide in enumerate(slides, start=1):
                page = draw_slide(slide, number, len(slides))
                found += [f"{sector}, page {number} : {problem}" for problem in pdf_problems(page)]
    return found


def test_pdf_pages_are_legible_on_the_demo(demo_marts):
    found = legible_pdf_pages(demo_marts)
    assert not found, "\n".join(found)


def test_pdf_pages_are_legible_on_the_real_files(real_server):
    found = legible_pdf_pages(real_server.marts)
    assert not found, "\n".join(found)


def test_slides_on_the_real_files_keep_what_a_room_reads(real_server):
    """BMO 2024 only (one bar: no chart), top métiers cut with the others said, a tension chart whose classes are
    alike said in one sentence, the radar of the métier most in tension; figures from the marts."""
    zoomed, charts, slides = view(real_server.marts, "btp")
    assert [row["year"] for row in zoomed.projects_series] == [2024]
    assert not any(slide.chart and slide.chart.key == "recrutements" for slide in slides)
    projects = next(slide for slide in slides if slide.figure and slide.figure["key"] == "projects")
    assert projects.source.endswith("une seule année chargée : pas de graphique d'évolution")  # left out, said
    metiers = next(slide.chart for slide in slides if slide.chart and slide.chart.key == "metiers")
    total = zoomed.metiers[0]["metiers_with_projects"]
    assert total > ROOM_BARS and len(metiers.categories) == ROOM_BARS
    assert metiers.categories == [row["metier_label"] for row in zoomed.metiers[:ROOM_BARS]]
    assert f"et {total - ROOM_BARS} autres ({total} au total)" in metiers.notes[0]
    classes = [row["tension_class"] for row in zoomed.tension_metiers]
    top = max(set(classes), key=classes.count)
    statement = next(slide for slide in slides if slide.kind == "statement")
    assert statement.statement.startswith(f"{classes.count(top)} des {len(classes)} métiers du BTP suivis sont en")
    assert not any(slide.chart and slide.chart.key == "tension" for slide in slides)
    assert slides[slides.index(statement) + 1].title == "Les six facteurs de tension"
    radar_slide = slides[slides.index(statement) + 2]
    most = max(zoomed.tension_metiers, key=lambda r: (r["tension_class"], sum(
        r[k] or 0 for k in ("labour_shortage", "hiring_intensity", "working_conditions", "job_instability",
                            "training_link", "geographic_mismatch"))))
    assert radar_slide.chart.key == f"radar-{most['metier_code']}" and most["tension_class"] == top


def test_a_tension_chart_that_varies_stays_a_chart_on_its_true_scale(demo_marts):
    zoomed, charts, slides = view(demo_marts, "btp")
    classes = [row["tension_class"] for row in zoomed.tension_metiers]
    assert max(classes.count(c) for c in classes) < 0.75 * len(classes)  # the demo's classes differ
    chart = next(slide.chart for slide in slides if slide.chart and slide.chart.key == "tension")
    assert chart.series[0].labels == [f"{c} / 5" for c in classes]
    from pipelines.report.zoom_charts import to_plotly

    axis = to_plotly(chart, large=True).layout.xaxis
    assert list(axis.range) == [0, 5] and list(axis.tickvals) == [1, 2, 3, 4, 5]


def test_plotly_labels_from_data_are_escaped():
    from pipelines.report.zoom_charts import to_plotly

    chart = Chart("metiers", "Métiers <b>", "barh", "Métier", "Projets", "count", ["A & <script>", "B"],
                  [Series("Projets", [3, 2], "#0072B2", ["3 <i>", "2"])], "Source : test")
    figure = to_plotly(chart)
    assert list(figure.data[0].y) == ["A &amp; &lt;script&gt;", "B"] and figure.data[0].text[0] == "3 &lt;i&gt;"
    assert figure.layout.title.text == "Métiers &lt;b&gt;"


# --- HTML pack -----------------------------------------------------------------------------------------------


class Attributes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        self.links += [(tag, name, value) for name, value in attrs if name in ("src", "href", "srcset", "data")]


def test_pack_is_self_contained(demo_marts):
    zoomed, charts, slides = view(demo_marts)
    pack = zoom_pack(zoomed, charts, slides)
    parser = Attributes()
    parser.feed(pack)
    assert parser.links == []  # no src, href: nothing to fetch, not even a relative file
    outside_scripts = re.sub(r"<script[^>]*>.*?</script>", "", pack, flags=re.S)
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", outside_scripts)
    assert "url(" not in outside_scripts and "@import" not in outside_scripts
    assert pack.count(plotly.offline.get_plotlyjs()[:500]) == 1  # plotly.js inlined once
    assert pack.count("Plotly.newPlot(") == len(pack_charts(zoomed, charts)) == len(charts) + 1  # + the radar
    assert "Données fictives de démonstration" in pack and "<svg" in pack
    assert file_stem(zoomed) == "zoom_btp_bassin-5314_2025"


@pytest.mark.parametrize("sector", ["btp", "numerique"])
def test_pack_opens_in_the_browser_with_the_network_off(demo_marts, tmp_path, browser, sector):
    zoomed, charts, slides = view(demo_marts, sector)
    path = tmp_path / f"{file_stem(zoomed)}.html"
    path.write_text(zoom_pack(zoomed, charts, slides), encoding="utf-8")
    requested, errors = [], []
    page = offline_page(browser, errors, requested)
    context = page.context
    page.goto(path.as_uri())
    drawn = pack_charts(zoomed, charts)
    page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot').length === {len(drawn)}")
    assert page.locator(".js-plotly-plot").evaluate_all(
        "plots => plots.filter(p => p.querySelector('.main-svg') && p.querySelector('.trace')).length") == len(drawn)
    assert errors == [] and requested == []
    body = plain(page.inner_text("body"))
    for card in zoomed.headline:
        assert plain(card["value"]) in body and plain(card["label"]) in body
    for sentence in zoomed.takeaways:
        assert plain(sentence) in body
    for chart in drawn:
        assert plain(chart.source) in body
    if zoomed.tension_metiers:  # the radar's menu shows each métier in tension
        other = zoomed.tension_metiers[-1]["metier_label"]
        page.locator("#radar .updatemenu-header-group").click()
        page.locator("#radar .updatemenu-item-text", has_text=other).click()
        page.wait_for_function("document.getElementById('chart-radar').data.at(-1).visible === true")
        assert page.evaluate("document.getElementById('chart-radar').data.filter(t => t.visible !== false).length") == 1
    assert page.locator(".qr svg").count() == 1
    page.get_by_text("Voir les données").first.click()
    assert page.locator("table").first.is_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"pack_{sector}.png", full_page=False)
    context.close()


# --- CLI -----------------------------------------------------------------------------------------------------


def test_cli_exports_pdf_and_html_with_progress(demo_marts, tmp_path, capsys):
    output = tmp_path / "zoom.pdf"
    assert main(["export", "--sector", "btp", "--territory", "bassin:5314", "--format", "pdf",
                 "--output", str(output)]) == 0
    err = capsys.readouterr().err
    pages = len(pdfium.PdfDocument(output.read_bytes()))
    assert "page 1/" in err and f"page {pages}/{pages}" in err and "Écrit" in err
    output = tmp_path / "zoom.html"
    assert main(["export", "--sector", "numerique", "--territory", "dep:35", "--year", "2024", "--format", "html",
                 "--output", str(output)]) == 0
    pack = output.read_text(encoding="utf-8")
    assert pack.startswith("<!DOCTYPE html>") and "Numérique" in pack and "secteur=numerique" in pack


@pytest.mark.parametrize(("args", "message", "code"), [
    (["--sector", "peche", "--territory", "bassin:5314"], "secteur inconnu", 1),
    (["--sector", "btp", "--territory", "bassin:9999"], "territoire", 1),
    (["--sector", "btp", "--territory", "ville:1"], "territoire", 2),  # malformed: a usage error, as in figures
])
def test_cli_refuses_unknown_sector_or_territory(demo_marts, tmp_path, capsys, args, message, code):
    output = tmp_path / "out.pdf"
    assert main(["export", *args, "--format", "pdf", "--output", str(output)]) == code
    assert message in capsys.readouterr().err and not output.exists()


def test_cli_says_when_marts_are_missing(no_demo, tmp_path, capsys):
    assert main(["export", "--sector", "btp", "--format", "html", "--output", str(tmp_path / "x.html")]) == 1
    assert "python -m pipelines build" in capsys.readouterr().err


# --- Streamlit buttons ---------------------------------------------------------------------------------------


def exports_app():
    import duckdb

    from app_pages.shared import zoom_exports
    from pipelines import paths
    from pipelines.report.slides import build_slides
    from pipelines.report.zoom import zoom
    from pipelines.report.zoom_charts import zoom_charts

    con = duckdb.connect(str(paths.MARTS_DB), read_only=True)
    zoomed = zoom(con, "btp", "bassin_bmo", "5314")
    con.close()
    charts = zoom_charts(zoomed)
    zoom_exports.render(zoomed, charts, build_slides(zoomed, charts, "https://zoom.example.org/zoom?x=1"))


def test_buttons_prepare_then_offer_the_files(demo_marts):
    test = AppTest.from_function(exports_app, default_timeout=60).run()
    assert not test.exception
    assert "1920 × 1080" in " ".join(caption.value for caption in test.caption)
    assert not test.get("download_button")
    test.button(key="prepare-pdf").click().run()
    assert not test.exception
    downloads = test.get("download_button")
    assert len(downloads) == 1 and "zoom_btp_bassin-5314_2025.pdf" in html.unescape(downloads[0].proto.label)
    test.button(key="prepare-html").click().run()
    labels = [html.unescape(download.proto.label) for download in test.get("download_button")]  # markdown_text
    assert labels == ["Télécharger zoom_btp_bassin-5314_2025.html", "Télécharger zoom_btp_bassin-5314_2025.pdf"]
    test.run()  # a rerun keeps the built files: no need to prepare them again
    assert len(test.get("download_button")) == 2


def test_an_unpublished_figure_is_no_slide_and_the_end_says_so(demo_marts):
    """A headline figure that is secret or not published would fill a slide with a lone 's': left out, said."""
    zoomed, charts, _ = view(demo_marts, "btp")
    card = next(card for card in zoomed.headline if card["key"] == "seasonal")
    zoomed.headline = [*(c for c in zoomed.headline if c is not card), card | {"value": "s"}]
    slides = build_slides(zoomed, charts, LINK)
    assert not any(slide.figure and slide.figure["key"] == "seasonal" for slide in slides)
    assert slides[-1].source.endswith("Non publiés (secret statistique ou non disponible) : saisonniers")
