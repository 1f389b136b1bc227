"""The workshop slides as a PDF: A4 landscape, one slide per page, drawn with matplotlib.

Drawn from the same `Slide`s and `Chart`s as the workshop mode and the HTML pack (one code path): a figure slide
shows its value in huge type with its label and detail; a chart slide draws `chart.categories`/`chart.series` in
the Chart's own colours (a missing value is a gap, never 0; shares in %; French decimal comma and narrow no-break
thousands separators); the cover and the last slide carry the QR code of the same view (drawn from segno's
module matrix, no image library). Every page shows the sector · territory, the source line and "n / N".
"""

import functools
import io
import math
import textwrap
import threading
from collections.abc import Callable

import matplotlib
from babel.numbers import format_decimal
from matplotlib import font_manager
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter, MaxNLocator

from pipelines.frformat import LOCALE
from pipelines.slides import Slide
from pipelines.zoom_charts import Chart, bar_text, label_lines, value_text

_LOCK = threading.Lock()
A4_LANDSCAPE = (297 / 25.4, 210 / 25.4)  # inches: 841.9 × 595.3 pt
INK, MUTED, RULE = "#1a1a1a", "#555555", "#0072B2"
CHART_PT = 14  # chart text in points (13 at least): read from the back of a room when the page is projected
RC = {
    "pdf.fonttype": 42,  # TrueType: the text of each page can be searched, copied and extracted
    "font.family": "DejaVu Sans",  # ships with matplotlib; has the narrow no-break space and the minus sign
    "axes.edgecolor": "#888888", "axes.labelcolor": INK, "xtick.color": INK, "ytick.color": INK,
    "axes.spines.top": False, "axes.spines.right": False,
}


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
    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


@functools.cache
def _font(bold: bool) -> FT2Font:
    return FT2Font(font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans",
                                                                     weight="bold" if bold else "normal")))


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of one line of text in points, as DejaVu Sans draws it."""
    font = _font(bold)
    font.set_size(size, 72)
    font.set_text(text, 0.0)
    return font.get_width_height()[0] / 64


def fit(text: str, size: float, width: float, bold: bool = False) -> str:
    """`text` wrapped on words so that each line fits in `width` (a fraction of the page width)."""
    room = width * A4_LANDSCAPE[0] * 72
    lines: list[str] = []
    for word in str(text).split(" "):  # not str.split(): it would break the narrow no-break spaces
        if lines and text_width(f"{lines[-1]} {word}", size, bold) <= room:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return "\n".join(lines)


def _is_number(value) -> bool:
    return value is not None and not isinstance(value, str)


def draw_chart(fig: Figure, chart: Chart, box=(0.08, 0.17, 0.88, 0.6)) -> None:
    """One Chart on the page, in the area `box` (left, bottom, width, height in figure fractions)."""
    series = [s for s in chart.series if any(_is_number(v) for v in s.values)] or chart.series[:1]
    n = len(chart.categories)
    labels = [str(c) for c in chart.categories]
    if chart.kind == "radar":
        _draw_radar(fig, chart, box)
        return
    if chart.kind == "barh":
        # The slides keep at most slides.ROOM_BARS bars: 14 pt, like the rest of a chart's text.
        size = CHART_PT if n <= 10 else 11
        wrapped = ["\n".join(label_lines(label, 44, 2)) for label in labels]
        page = A4_LANDSCAPE[0] * 72
        left = box[0] + max(text_width(line, size) for label in wrapped for line in label.split("\n")) / page + 0.01
        first = chart.series[0]
        texts = [first.labels[i] if first.labels else value_text(first.values[i], chart.unit) for i in range(n)]
        room = max(text_width(text, size) for text in texts) / page + 0.015  # the bars' labels, right of the axis
        ax = fig.add_axes((left, box[1], box[0] + box[2] - left - room, box[3]))
        values = _scaled(first.values, chart.unit)
        positions = list(range(n))
        ax.barh(positions, [0 if math.isnan(v) else v for v in values], color=first.colour, height=0.7)
        tallest = max((v for v in values if not math.isnan(v)), default=1) or 1
        for i, v in enumerate(values):
            ax.text(0 if math.isnan(v) else v, i, " " + texts[i], va="center", ha="left", fontsize=size, color=INK,
                    clip_on=False)
        ax.set_yticks(positions, wrapped, fontsize=size)
        ax.invert_yaxis()
        ax.set_xlim(0, tallest if chart.unit != "class" else 5)  # the tension scale: 1 to 5, whatever is shown
        if chart.unit == "class":
            ax.set_xticks([1, 2, 3, 4, 5])
        ax.tick_params(axis="x", labelsize=size)
        ax.xaxis.set_major_formatter(tick_formatter(chart.unit))
        ax.set_xlabel(chart.value_title, fontsize=CHART_PT)
        ax.grid(axis="x", color="#e5e5e5")
        ax.set_axisbelow(True)
        return
    ax = fig.add_axes(box)
    positions = list(range(n))
    if chart.kind == "line":
        for s in series:
            values = _scaled(s.values, chart.unit)
            ax.plot(positions, values, color=s.colour, linewidth=3, marker="o", markersize=6, label=s.name)
            if len(series) == 1 and n <= 12:  # one series: its values written on the points
                for i, v in enumerate(values):
                    if not math.isnan(v):
                        ax.annotate(value_text(s.values[i], chart.unit_of(s)), (i, v), textcoords="offset points",
                                    xytext=(0, 10), ha="center", fontsize=CHART_PT - 1, color=INK)
        if chart.break_at in chart.categories:
            at = chart.categories.index(chart.break_at) - 0.5
            ax.axvline(at, color=MUTED, linestyle="--", linewidth=1.5)
            ax.text(at, 1.0, " apprentis comptés", transform=ax.get_xaxis_transform(), ha="left", va="top",
                    fontsize=CHART_PT - 1, color=MUTED)
        ax.margins(y=0.15)
    else:  # bar, grouped_bar
        k = len(series)
        width = 0.8 / k
        drawn = [v for s in series for v in _scaled(s.values, chart.unit) if not math.isnan(v)]
        tallest = max(drawn, default=1) or 1
        size = CHART_PT if k < 3 else CHART_PT - 1
        texts = [[bar_text(s.labels[i]) if s.labels else value_text(s.values[i], chart.unit_of(s)) for i in range(n)]
                 for s in series]
        # A label wider than its bar stands upright above it, rather than over its neighbours' labels.
        bar_points = width * box[2] * A4_LANDSCAPE[0] * 72 / (n + 0.2)
        longest = max(text_width(text, size) for row in texts for text in row)
        upright = longest > bar_points
        axis_points = box[3] * A4_LANDSCAPE[1] * 72
        headroom = (longest if upright else size * 1.3) + 8  # points above the tallest bar for its label
        for j, s in enumerate(series):
            values = _scaled(s.values, chart.unit)
            xs = [p - 0.4 + width * (j + 0.5) for p in positions]
            ax.bar([x for x, v in zip(xs, values, strict=True) if not math.isnan(v)],
                   [v for v in values if not math.isnan(v)], width=width * 0.95, color=s.colour, label=s.name)
            for i, (x, v) in enumerate(zip(xs, values, strict=True)):
                ax.text(x, (0 if math.isnan(v) else v) + tallest * 0.015, texts[j][i], ha="center", va="bottom",
                        fontsize=size, color=INK, rotation=90 if upright else 0)
        ax.set_ylim(0, tallest / max(1 - headroom / axis_points, 0.5))
    ax.set_xticks(positions, [_wrap(label, 22) for label in labels], fontsize=CHART_PT - 1,
                  rotation=45 if n > 12 else 0, ha="right" if n > 12 else "center")
    ax.set_xlim(-0.6, n - 0.4)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    ax.yaxis.set_major_formatter(tick_formatter(chart.unit))
    ax.tick_params(axis="y", labelsize=CHART_PT - 1)
    ax.set_ylabel(_wrap(chart.value_title, 40), fontsize=CHART_PT - 1)
    ax.set_xlabel(chart.category_title, fontsize=CHART_PT - 1)
    ax.grid(axis="y", color="#e5e5e5")
    ax.set_axisbelow(True)
    if len(series) > 1:
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=min(4, len(series)), frameon=False,
                  fontsize=CHART_PT - 1)


def _draw_radar(fig: Figure, chart: Chart, box) -> None:
    """The six tension drivers (classes 1 to 5) around a circle; a class not published is a gap, not 0."""
    height = box[3] * 0.78  # the drivers' names (two lines) above and below the circle
    size = height * A4_LANDSCAPE[1] / A4_LANDSCAPE[0]  # a square area, in figure fractions of the width
    ax = fig.add_axes((0.5 - size / 2, box[1] + (box[3] - height) / 2, size, height), projection="polar")
    n = len(chart.categories)
    angles = [(math.pi / 2 - 2 * math.pi * i / n) % (2 * math.pi) for i in range(n)]  # within [0, 2π): a full circle
    for s in chart.series:
        values = _scaled(s.values, chart.unit)
        ax.plot(angles + angles[:1], values + values[:1], color=s.colour, linewidth=3, marker="o", label=s.name)
        if not any(math.isnan(v) for v in values):
            ax.fill(angles, values, color=s.colour, alpha=0.25)
    ax.set_xticks(angles, [_wrap(c, 18) for c in chart.categories], fontsize=CHART_PT - 1)
    ax.set_ylim(0, 5)
    ax.set_yticks([1, 2, 3, 4, 5], ["1", "2", "3", "4", "5"])
    ax.tick_params(axis="y", labelsize=CHART_PT - 1, labelcolor=MUTED)
    ax.set_rlabel_position(0)  # the classes along the horizontal radius, between two drivers' names


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


def draw_slide(slide: Slide, number: int, total: int) -> Figure:
    """One page: the sector · territory on top, the slide, its source line and "n / N" at the bottom."""
    fig = Figure(figsize=A4_LANDSCAPE)
    fig.text(0.04, 0.955, fit(slide.subtitle, 13, 0.8), fontsize=13, color=MUTED, va="top")
    fig.add_artist(Line2D([0.04, 0.96], [0.925, 0.925], color=RULE, linewidth=3))
    fig.text(0.04, 0.04, fit(slide.source, 10, 0.82), fontsize=10, color=MUTED, va="bottom")
    fig.text(0.96, 0.04, f"{number} / {total}", fontsize=12, color=MUTED, ha="right", va="bottom")
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
            draw_qr(fig, slide.link, _qr_box(0.7, 0.36, 0.24))
            fig.text(0.82, 0.34, "Scannez pour ouvrir la même vue\nsur votre téléphone", fontsize=13,
                     ha="center", va="top", color=INK)
            fig.text(0.82, 0.26, "\n".join(textwrap.wrap(slide.link, 46, break_on_hyphens=False)), fontsize=8,
                     ha="center", va="top", color=MUTED, family="DejaVu Sans Mono")
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
        notes = fit(" ".join(chart.notes), 10, 0.9) if chart.notes else ""
        bottom = 0.2 + 0.025 * (notes.count("\n") + 1 if notes else 0)
        legend = len([s for s in chart.series if any(_is_number(v) for v in s.values)]) > 1 \
            and chart.kind in ("line", "bar", "grouped_bar")
        height = top - 0.07 - (0.05 if legend else 0) - bottom
        draw_chart(fig, chart, (0.09, bottom, 0.87, height))
        if notes:
            fig.text(0.04, 0.085, notes, fontsize=10, color=MUTED, style="italic", va="bottom")
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
            if top - 0.06 - height >= 0.1:
                break
        y = top - 0.06
        for text in texts:
            fig.text(0.06, y, "•", fontsize=size + 2, color=RULE, va="top")
            fig.text(0.09, y, text, fontsize=size, color=INK, va="top", linespacing=1.35)
            y -= (text.count("\n") + 1) * size * 1.45 / (A4_LANDSCAPE[1] * 72) + gap
    return fig


def slides_pdf(slides: list[Slide], progress: Callable[[int, int], None] | None = None) -> bytes:
    """The slides as a PDF, A4 landscape, one slide per page; `progress(done, total)` after each page."""
    buffer = io.BytesIO()
    total = len(slides)
    title = f"{slides[0].title} · {slides[0].subtitle}" if slides else "Zoom secteur"
    # rc_context and the measuring font are process-wide: one PDF at a time (the dashboard serves many sessions).
    metadata = {"Title": title, "Creator": "Zoom secteurs"}
    with _LOCK, matplotlib.rc_context(RC), PdfPages(buffer, metadata=metadata) as pdf:
        for number, slide in enumerate(slides, start=1):
            fig = draw_slide(slide, number, total)
            pdf.savefig(fig)
            if progress:
                progress(number, total)
    return buffer.getvalue()

