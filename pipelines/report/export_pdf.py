"""The workshop slides as a PDF: A4 landscape, one slide per page, drawn with matplotlib.

Drawn from the same `Slide`s and `Chart`s as the workshop mode and the HTML pack (one code path): a figure slide
shows its value in huge type with its label and detail; a chart slide draws `chart.categories`/`chart.series` in
the Chart's own colours (a missing value is a gap, never 0; shares in %; French decimal comma and narrow no-break
thousands separators); the cover and the last slide carry the QR code of the same view (drawn from segno's
module matrix, no image library). Every page shows the sector · territory, the source line and "n / N".
"""

import io
import math
import re
import textwrap
from collections.abc import Callable

import matplotlib
from babel.numbers import format_decimal
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.transforms import Bbox

from pipelines.frformat import LOCALE
from pipelines.report.conventions import APPRENTICE_BREAK_MARK
from pipelines.report.pdf_text import INK, MUTED, PDF_LOCK, RC, RULE, text_width, wrap_lines
from pipelines.report.slides import Slide
from pipelines.report.zoom_charts import Chart, bar_text, label_lines, value_text

A4_LANDSCAPE = (297 / 25.4, 210 / 25.4)  # inches: 841.9 × 595.3 pt
# The slides' rules when the page is projected: an A4 landscape page (595.3 pt high) shown 720 px high is
# 720 / 595.3 px per pt, so chart text of 18 px needs 14.9 pt and the facilitator's text of 14 px needs 11.6 pt.
CHART_PT = 15  # every text of a chart (ticks, axis titles, bar labels, legend): 18.1 px projected
SMALL_PT = 12  # the smallest text of a page (source line, notes, the QR code's link, page number): 14.5 px


def fr_number(value: float, decimals: int = 0) -> str:
    """An axis tick in French: '1 500', '23,5' (thousands separator U+202F, decimal comma)."""
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def tick_formatter(unit: str) -> FuncFormatter:
    if unit == "share":  # values are drawn ×100
        return FuncFormatter(lambda v, _: fr_number(v, 1) + "\u202f%")
    if unit == "index":
        return FuncFormatter(lambda v, _: fr_number(v, 1))
    return FuncFormatter(lambda v, _: fr_number(v))


def _scaled(values: list, unit: str) -> list[float]:
    """Values as drawn: None becomes NaN (a gap in a line, no bar), shares ×100."""
    factor = 100 if unit == "share" else 1
    return [math.nan if v is None else v * factor for v in values]


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(str(text), width, break_on_hyphens=False)) or str(text)


def fit(text: str, size: float, width: float, bold: bool = False) -> str:
    """`text` wrapped on words so that each line fits in `width` (a fraction of the page width)."""
    return "\n".join(wrap_lines(text, size, width * A4_LANDSCAPE[0] * 72, bold))


def _is_number(value) -> bool:
    return value is not None and not isinstance(value, str)


def _renderer(fig: Figure):
    """A renderer to measure the texts drawn so far (matplotlib's Agg: the same fonts as the PDF)."""
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    return fig.canvas.get_renderer()


def _extent(fig: Figure, artist) -> Bbox:
    """The box of a text, or of an axes with all its labels, in figure fractions."""
    return artist.get_tightbbox(_renderer(fig)).transformed(fig.transFigure.inverted())


def fit_axes(fig: Figure, axes: list, box, horizontal: bool = True) -> None:
    """Move and resize `axes` so that they and everything drawn around them (ticks, axis titles, bar labels,
    legend) fill `box` (left, bottom, width, height in figure fractions), no more. A few rounds: ticks move
    when an axis is resized."""
    left, bottom, width, height = box
    for _ in range(3):
        drawn = Bbox.union([_extent(fig, ax) for ax in axes])
        for ax in axes:
            position = ax.get_position(original=True)
            x0, x1 = position.x0, position.x1
            if horizontal:
                x0 += left - drawn.x0
                x1 -= drawn.x1 - (left + width)
            y0 = position.y0 + bottom - drawn.y0
            y1 = position.y1 - (drawn.y1 - (bottom + height))
            ax.set_position((x0, y0, max(x1 - x0, 0.05), max(y1 - y0, 0.05)))


def _legend_columns(series, room: float) -> int:
    """The most legend columns (4 at most) whose entries fit on `room` points. Matplotlib fills the legend
    column by column; an entry is its handle, its name and the gaps around them (about 4.8 em)."""
    entries = [text_width(s.name, CHART_PT) + 4.8 * CHART_PT for s in series]
    for columns in range(min(4, len(entries)), 1, -1):
        rows = math.ceil(len(entries) / columns)
        if sum(max(entries[i:i + rows]) for i in range(0, len(entries), rows)) <= room:
            return columns
    return 1


def _headroom(ax, low: float, high: float, above: float, below: float = 0.0) -> None:
    """The value axis from `low` to `high` with `above` points free over `high` (its labels) and `below` under
    `low`, at the axis's current height."""
    points = ax.get_position().height * A4_LANDSCAPE[1] * 72
    share = min((above + below) / points, 0.6)
    span = (high - low) or abs(high) or 1
    total = span / (1 - share)
    ax.set_ylim(low - total * below / points, high + total * (share - below / points))


def draw_chart(fig: Figure, chart: Chart, box=(0.04, 0.12, 0.92, 0.7)) -> None:
    """One Chart on the page, with its ticks, labels and legend inside `box` (left, bottom, width, height in
    figure fractions)."""
    series = [s for s in chart.series if any(_is_number(v) for v in s.values)] or chart.series[:1]
    n = len(chart.categories)
    labels = [str(c) for c in chart.categories]
    page = A4_LANDSCAPE[0] * 72
    if chart.kind == "radar":
        _draw_radar(fig, chart, box)
        return
    if chart.kind == "barh":
        # The slides keep at most slides.ROOM_BARS bars: the same size as the rest of a chart's text.
        size = CHART_PT
        wrapped = ["\n".join(label_lines(label, 44, 2)) for label in labels]
        ax = fig.add_axes(box)
        first = chart.series[0]
        texts = [first.labels[i] if first.labels else value_text(first.values[i], chart.unit) for i in range(n)]
        values = _scaled(first.values, chart.unit)
        positions = list(range(n))
        ax.barh(positions, [0 if math.isnan(v) else v for v in values], color=first.colour, height=0.7)
        tallest = max((v for v in values if not math.isnan(v)), default=1) or 1
        for i, v in enumerate(values):
            ax.text(0 if math.isnan(v) else v, i, " " + texts[i], va="center", ha="left", fontsize=size, color=INK,
                    clip_on=False)
        ax.set_yticks(positions, wrapped, fontsize=size)
        ax.set_ylim(n - 0.5, -0.5)  # the first bar on top, no padding beyond the bars' slots
        ax.set_xlim(0, tallest if chart.unit != "class" else 5)  # the tension scale: 1 to 5, whatever is shown
        if chart.unit == "class":
            ax.set_xticks([1, 2, 3, 4, 5])
        ax.tick_params(axis="x", labelsize=size)
        ax.xaxis.set_major_formatter(tick_formatter(chart.unit))
        ax.set_xlabel(chart.value_title, fontsize=CHART_PT)
        ax.grid(axis="x", color="#e5e5e5")
        ax.set_axisbelow(True)
        fit_axes(fig, [ax], box)
        return
    ax = fig.add_axes(box)
    positions = list(range(n))
    if chart.kind == "line":
        drawn = []
        labelled = len(series) == 1 and n <= 12  # one series: its values written on the points
        for s in series:
            values = _scaled(s.values, chart.unit)
            drawn += [v for v in values if not math.isnan(v)]
            ax.plot(positions, values, color=s.colour, linewidth=3, marker="o", markersize=6, label=s.name)
            if labelled:
                for i, v in enumerate(values):
                    if not math.isnan(v):
                        ax.annotate(value_text(s.values[i], chart.unit_of(s)), (i, v), textcoords="offset points",
                                    xytext=(0, 8), ha="center", fontsize=CHART_PT, color=INK)
        breaks = chart.break_at in chart.categories
        if breaks:
            at = chart.categories.index(chart.break_at) - 0.5
            ax.axvline(at, color=MUTED, linestyle="--", linewidth=1.5)
            ax.text(at, 1.0, " " + APPRENTICE_BREAK_MARK, transform=ax.get_xaxis_transform(), ha="left", va="top",
                    fontsize=CHART_PT, color=MUTED)
        # Points above: a value's label (8 pt off the point), then the break's label under the axis's top.
        above = (8 + CHART_PT * 1.4 if labelled else 8) + (CHART_PT * 1.4 + 4 if breaks else 0)

        # A share's axis starts at 0 (a cut axis makes 0.1 point look like a swing), as on the page.
        low = 0 if chart.unit == "share" else min(drawn, default=0)

        def room() -> None:
            _headroom(ax, low, max(drawn, default=1), above, below=10)
    else:  # bar, grouped_bar
        k = len(series)
        width = 0.8 / k
        drawn = [v for s in series for v in _scaled(s.values, chart.unit) if not math.isnan(v)]
        tallest = max(drawn, default=1) or 1
        size = CHART_PT
        texts = [[bar_text(s.labels[i]) if s.labels else value_text(s.values[i], chart.unit_of(s)) for i in range(n)]
                 for s in series]
        # A label wider than its bar stands upright above it, rather than over its neighbours' labels.
        bar_points = width * box[2] * page / (n + 0.2) * 0.85  # the axis is narrower than the box
        longest = max(text_width(text, size) for row in texts for text in row)
        upright = longest > bar_points
        for j, s in enumerate(series):
            values = _scaled(s.values, chart.unit)
            xs = [p - 0.4 + width * (j + 0.5) for p in positions]
            ax.bar([x for x, v in zip(xs, values, strict=True) if not math.isnan(v)],
                   [v for v in values if not math.isnan(v)], width=width * 0.95, color=s.colour, label=s.name)
            for i, (x, v) in enumerate(zip(xs, values, strict=True)):
                ax.annotate(texts[j][i], (x, 0 if math.isnan(v) else v), textcoords="offset points", xytext=(0, 4),
                            ha="center", va="bottom", fontsize=size, color=INK, rotation=90 if upright else 0)

        def room() -> None:
            _headroom(ax, 0, tallest, (longest if upright else size * 1.3) + 8)
    ax.set_xticks(positions, [_wrap(label, 22) for label in labels], fontsize=CHART_PT,
                  rotation=45 if n > 12 else 0, ha="right" if n > 12 else "center")
    ax.set_xlim(-0.6, n - 0.4)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    ax.yaxis.set_major_formatter(tick_formatter(chart.unit))
    ax.tick_params(axis="y", labelsize=CHART_PT)
    ax.set_ylabel(_wrap(chart.value_title, 40), fontsize=CHART_PT)
    ax.set_xlabel(chart.category_title, fontsize=CHART_PT)
    ax.grid(axis="y", color="#e5e5e5")
    ax.set_axisbelow(True)
    if len(series) > 1:
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=_legend_columns(series, box[2] * page * 0.9),
                  frameon=False, fontsize=CHART_PT, borderaxespad=0.2)
    for _ in range(2):  # the labels' room over the values depends on the axis's height, set by the fit
        room()
        fit_axes(fig, [ax], box)


def _draw_radar(fig: Figure, chart: Chart, box) -> None:
    """The six tension drivers (classes 1 to 5) around a circle; a class not published is a gap, not 0."""
    ax = fig.add_axes(box, projection="polar")  # a circle: as high as the box, in its middle
    n = len(chart.categories)
    angles = [(math.pi / 2 - 2 * math.pi * i / n) % (2 * math.pi) for i in range(n)]  # within [0, 2π): a full circle
    for s in chart.series:
        values = _scaled(s.values, chart.unit)
        ax.plot(angles + angles[:1], values + values[:1], color=s.colour, linewidth=3, marker="o", label=s.name)
        if not any(math.isnan(v) for v in values):
            ax.fill(angles, values, color=s.colour, alpha=0.25)
    ax.set_xticks(angles, [_wrap(c, 18) for c in chart.categories], fontsize=CHART_PT)
    ax.set_ylim(0, 5)
    ax.set_yticks([1, 2, 3, 4, 5], ["1", "2", "3", "4", "5"])
    ax.tick_params(axis="y", labelsize=CHART_PT, labelcolor=MUTED)
    ax.set_rlabel_position(0)  # the classes along the horizontal radius, between two drivers' names
    ax.tick_params(axis="x", pad=CHART_PT / 2)
    for label, angle in zip(ax.get_xticklabels(), angles, strict=True):  # each name outside the circle
        side = math.cos(angle)
        label.set_horizontalalignment("left" if side > 0.1 else "right" if side < -0.1 else "center")
    fit_axes(fig, [ax], box, horizontal=False)


def draw_qr(fig: Figure, link: str, box) -> None:
    """The link as a QR code, drawn as vector squares from segno's module matrix (quiet zone included)."""
    import segno

    matrix = segno.make(link, error="m").matrix
    ax = fig.add_axes(box)
    count = len(matrix)
    squares = []
    for row, modules in enumerate(matrix):
        column = 0
        while column < count:  # one rectangle per run of dark modules: no seams between squares
            if modules[column]:
                start = column
                while column < count and modules[column]:
                    column += 1
                squares.append(Rectangle((start, count - row - 1), column - start, 1.02))
            else:
                column += 1
    ax.add_collection(PatchCollection(squares, facecolor="black", edgecolor="none", antialiased=False))
    ax.set_xlim(-4, count + 4)
    ax.set_ylim(-4, count + 4)
    ax.set_aspect("equal")
    ax.set_axis_off()


def _qr_box(left: float, bottom: float, width: float) -> tuple:
    """A square box `width` wide (figure fraction of the page width)."""
    return left, bottom, width, width * A4_LANDSCAPE[0] / A4_LANDSCAPE[1]


def _title(fig: Figure, text: str) -> float:
    """The slide's title under the rule, smaller when it is long; returns the bottom of the title (fraction)."""
    for size in (26, 22):  # one line if it can, else two lines at 22 pt
        lines = fit(text, size, 0.92, bold=True)
        if lines.count("\n") == 0:
            break
    fig.text(0.04, 0.885, lines, fontsize=size, fontweight="bold", color=INK, va="top")
    return 0.885 - (lines.count("\n") + 1) * size * 1.4 / (A4_LANDSCAPE[1] * 72)


def _link_lines(link: str, width: float) -> str:
    """The link on as many lines as it needs to fit `width` points in the monospaced font, cut before its
    parameters ('?', '&') when it can."""
    per_line = max(10, int(width // text_width("0", SMALL_PT, mono=True)))
    lines = [""]
    for part in re.split(r"(?=[?&])", link):
        if lines[-1] and len(lines[-1]) + len(part) > per_line:
            lines.append("")
        lines[-1] += part
    return "\n".join(piece for line in lines for piece in textwrap.wrap(line, per_line, break_on_hyphens=False))


def draw_slide(slide: Slide, number: int, total: int) -> Figure:
    """One page: the sector · territory on top, the slide, its source line and "n / N" at the bottom."""
    fig = Figure(figsize=A4_LANDSCAPE)
    fig.text(0.04, 0.955, fit(slide.subtitle, 13, 0.8), fontsize=13, color=MUTED, va="top")
    fig.add_artist(Line2D([0.04, 0.96], [0.925, 0.925], color=RULE, linewidth=3))
    source = fig.text(0.04, 0.035, fit(slide.source, SMALL_PT, 0.84), fontsize=SMALL_PT, color=MUTED, va="bottom")
    fig.text(0.96, 0.035, f"{number} / {total}", fontsize=SMALL_PT, color=MUTED, ha="right", va="bottom")
    floor = _extent(fig, source).y1 + 0.02  # nothing of the slide under this line (figure fraction)
    if slide.kind in ("cover", "end"):
        qr = slide.link is not None
        room = 0.58 if qr else 0.88
        size = 40 if slide.kind == "cover" else 60
        title = fit(slide.title, size, room, bold=True)
        fig.text(0.06, 0.8, title, fontsize=size, fontweight="bold", color=INK, va="top", linespacing=1.1)
        y = 0.8 - (title.count("\n") + 1) * size * 1.2 / (A4_LANDSCAPE[1] * 72) - 0.06
        for line in slide.lines:
            text = fit(line, 24, room)
            fig.text(0.06, y, text, fontsize=24, color=INK, va="top")
            y -= (text.count("\n") + 1) * 0.05 + 0.03
        if slide.kind == "cover":
            fig.text(0.06, y, fit(slide.subtitle, 16, room), fontsize=16, color=MUTED, va="top")
        if qr:
            draw_qr(fig, slide.link, _qr_box(0.7, 0.4, 0.22))
            scan = fig.text(0.81, 0.39, "Scannez pour ouvrir la même vue\nsur votre téléphone", fontsize=13,
                            ha="center", va="top", color=INK)
            fig.text(0.81, _extent(fig, scan).y0 - 0.015, _link_lines(slide.link, 0.3 * A4_LANDSCAPE[0] * 72),
                     fontsize=SMALL_PT, ha="center", va="top", color=MUTED, family="DejaVu Sans Mono")
        return fig
    top = _title(fig, slide.title)
    if slide.kind == "figure":
        card = slide.figure
        value = str(card["value"])
        size = 130
        while size > 40 and text_width(value, size, bold=True) > 0.88 * A4_LANDSCAPE[0] * 72:
            size -= 10
        fig.text(0.5, 0.5, value, fontsize=size, fontweight="bold", color=INK, ha="center", va="center")
        fig.text(0.5, 0.28, fit(card["detail"], 24, 0.85), fontsize=24, color=INK, ha="center", va="top",
                 multialignment="center")
    elif slide.kind == "chart":
        chart = slide.chart
        bottom = floor
        if chart.notes:  # under the chart, over the source line
            notes = fig.text(0.04, floor, fit(" ".join(chart.notes), SMALL_PT, 0.92), fontsize=SMALL_PT,
                             color=MUTED, style="italic", va="bottom")
            bottom = _extent(fig, notes).y1 + 0.025
        draw_chart(fig, chart, (0.04, bottom, 0.92, top - 0.03 - bottom))
    elif slide.kind == "statement":
        text = fit(slide.statement, 30, 0.9, bold=True)
        fig.text(0.05, top - 0.06, text, fontsize=30, fontweight="bold", color=INK, va="top", linespacing=1.3)
        y = top - 0.06 - (text.count("\n") + 1) * 30 * 1.45 / (A4_LANDSCAPE[1] * 72) - 0.05
        for line in slide.lines:
            detail = fit(line, 20, 0.9)
            fig.text(0.05, y, detail, fontsize=20, color=INK, va="top", linespacing=1.3)
            y -= (detail.count("\n") + 1) * 20 * 1.45 / (A4_LANDSCAPE[1] * 72) + 0.03
    elif slide.kind == "lines":
        # The largest type at which every sentence fits between the title and the source line.
        for size in (22, 20, 18):
            texts = [fit(sentence, size, 0.86) for sentence in slide.lines]
            gap = 0.045 if size == 22 else 0.03
            height = sum((text.count("\n") + 1) * size * 1.45 / (A4_LANDSCAPE[1] * 72) + gap for text in texts)
            if top - 0.06 - height >= floor:
                break
        y = top - 0.06
        for text in texts:  # each sentence under the one before, as drawn: even gaps whatever their lines
            fig.text(0.06, y, "•", fontsize=size + 2, color=RULE, va="top")
            y = _extent(fig, fig.text(0.09, y, text, fontsize=size, color=INK, va="top", linespacing=1.35)).y0 - gap
    return fig


def slides_pdf(slides: list[Slide], progress: Callable[[int, int], None] | None = None) -> bytes:
    """The slides as a PDF, A4 landscape, one slide per page; `progress(done, total)` after each page."""
    buffer = io.BytesIO()
    total = len(slides)
    title = f"{slides[0].title} · {slides[0].subtitle}" if slides else "Zoom secteur"
    # rc_context and the measuring font are process-wide: one PDF at a time (the dashboard serves many sessions).
    metadata = {"Title": title, "Creator": "Zoom secteurs"}
    with PDF_LOCK, matplotlib.rc_context(RC), PdfPages(buffer, metadata=metadata) as pdf:
        for number, slide in enumerate(slides, start=1):
            fig = draw_slide(slide, number, total)
            pdf.savefig(fig)
            if progress:
                progress(number, total)
    return buffer.getvalue()

