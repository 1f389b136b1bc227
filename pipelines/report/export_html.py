"""The offline pack of a zoom: ONE self-contained HTML file, for rooms without Wi-Fi.

Built from the same `zoom()` dict, `Chart`s and `Slide`s as the page and the PDF (one code path). Everything it
needs is inside the file: plotly.js inlined once, charts drawn by `to_plotly`, the QR code as inline SVG, styles
inline with system fonts. No CDN, no external font, stylesheet or script: it opens with the network off.
"""

import json
from datetime import datetime

import plotly.offline

from pipelines.frformat import PARIS, fmt_datetime
from pipelines.report import employers
from pipelines.report.conventions import DEMO_NOTICE, demo_labels
from pipelines.report.safe_text import html_text as _e  # every text of the pack: names come from files
from pipelines.report.safe_text import plotly_text
from pipelines.report.slides import Slide, qr_svg
from pipelines.report.zoom import Zoom, file_stem
from pipelines.report.zoom_charts import (
    DRIVER_AXES,
    PLOTLY_FR,
    Chart,
    Series,
    plotly_config,
    radar,
    shown_table,
    to_plotly,
)

STYLE = """
:root { --ink: #1a1a1a; --muted: #555; --line: #d9d9d9; --accent: %(colour)s; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "Source Sans Pro", "Segoe UI", Arial, Helvetica, sans-serif; color: var(--ink);
       background: #fff; line-height: 1.45; }
main { max-width: 1200px; margin: 0 auto; padding: 1.5rem 1.5rem 3rem; }
header { border-bottom: 6px solid var(--accent); margin-bottom: 1.5rem; }
h1 { font-size: 2.2rem; margin: 0 0 .2rem; }
h2 { font-size: 1.5rem; margin: 2.2rem 0 .8rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem; }
.perimeter { font-size: 1.2rem; color: var(--muted); margin: 0 0 1rem; }
.demo { background: #fff3cd; border: 1px solid #e0b000; padding: .7rem 1rem; border-radius: 6px; }
.unavailable { background: #eef3f8; border: 1px solid #9bb7d4; padding: .7rem 1rem; border-radius: 6px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 1rem; }
.card { border: 1px solid var(--line); border-top: 5px solid var(--accent); border-radius: 6px; padding: .9rem 1rem; }
.card .label { font-size: 1rem; color: var(--muted); }
.card .value { font-size: 2.6rem; font-weight: 700; line-height: 1.1; margin: .2rem 0; }
.card .detail { font-size: .95rem; }
.card .source, .chart .source, .notes { font-size: .85rem; color: var(--muted); }
.chart { margin: 0 0 2.2rem; }
.chart .notes { margin: .2rem 0; padding-left: 1.2rem; }
details { margin-top: .4rem; }
summary { cursor: pointer; color: #0b5394; }
table { border-collapse: collapse; margin-top: .5rem; font-size: .9rem; }
th, td { border: 1px solid var(--line); padding: .25rem .6rem; }
th { background: #f3f3f3; text-align: left; }
td.number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.takeaways li { font-size: 1.25rem; margin-bottom: .6rem; }
.share { display: flex; gap: 1.5rem; align-items: center; flex-wrap: wrap; }
.share svg { width: 200px; height: 200px; }
.link { font-family: monospace; word-break: break-all; }
footer { margin-top: 2.5rem; border-top: 1px solid var(--line); padding-top: .8rem; font-size: .9rem;
         color: var(--muted); }
@media print { details { display: none; } .chart { break-inside: avoid; } }
"""


def category_text(category) -> str:
    """Years and quarters as they are written ('2024', not '2 024')."""
    return str(category)


def table_html(chart: Chart) -> str:
    """Exactly what the chart draws, as the page's table shows it (zoom_charts.shown_table)."""
    shown = shown_table(chart)
    head = "".join(f"<th>{_e(name)}</th>" for name in shown.columns)
    rows = []
    for i, category in enumerate(chart.categories):
        cells = [f"<td>{_e(category_text(category))}</td>"]
        for series in chart.series:
            value = series.values[i]
            css = ' class="number"' if value is not None and not isinstance(value, str) else ""
            cells.append(f"<td{css}>{_e(shown[series.name].iloc[i])}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def drivers_chart(zoomed: Zoom, charts: list[Chart]) -> Chart | None:
    """The radar of the six tension drivers, one series per métier in tension (the page lets the user choose a
    métier; offline, a menu inside the chart does): None when the page's charts already have a radar."""
    if any(chart.kind == "radar" for chart in charts) or not zoomed.tension_metiers:
        return None
    radars = [radar(zoomed, row["metier_code"]) for row in zoomed.tension_metiers]
    first = radars[0]
    return Chart("radar", f"Métiers {zoomed.sector['of_label']} : facteurs de tension", "radar", "Facteur",
                 first.value_title, "class", list(DRIVER_AXES.values()),
                 [Series(r.series[0].name, r.series[0].values, r.series[0].colour) for r in radars],
                 first.source, first.notes)


def pack_charts(zoomed: Zoom, charts: list[Chart]) -> list[Chart]:
    """The charts of the pack: the page's charts, and the radar of the tension drivers."""
    drivers = drivers_chart(zoomed, charts)
    return charts + ([drivers] if drivers else [])


def _figure(chart: Chart):
    """`to_plotly`; a radar of several métiers shows one at a time, chosen from a menu inside the chart."""
    if chart.kind != "radar" or len(chart.series) == 1:
        return to_plotly(chart)
    figure = to_plotly(Chart(**{**vars(chart), "series": chart.series[:1]}))
    for series in chart.series[1:]:
        figure.add_scatterpolar(r=series.values + series.values[:1], theta=figure.data[0].theta,
                                fill="toself", name=plotly_text(series.name), line=dict(color=series.colour, width=3),
                                visible=False)
    buttons = [dict(label=plotly_text(series.name), method="update",
                    args=[{"visible": [j == i for j in range(len(chart.series))]}])
               for i, series in enumerate(chart.series)]
    figure.update_layout(updatemenus=[dict(buttons=buttons, direction="down", x=0, xanchor="left", y=1.02,
                                           yanchor="bottom", showactive=True)],
                         margin=dict(t=120), height=520, showlegend=False)
    return figure


def _chart_html(chart: Chart, stem: str) -> str:
    notes = "".join(f"<li>{_e(note)}</li>" for note in chart.notes)
    if chart.partial:  # sums over part of the territory: a table titled so, never a curve
        return (f'<section class="chart" id="{_e(chart.key)}"><h3>{_e(chart.title)}</h3>{table_html(chart)}'
                f'<p class="source">{_e(chart.source)}</p>' + (f'<ul class="notes">{notes}</ul>' if notes else "")
                + "</section>")
    figure = _figure(chart)
    plot = figure.to_html(full_html=False, include_plotlyjs=False, config=plotly_config(f"{stem}_{chart.key}"),
                          div_id=f"chart-{chart.key}", default_width="100%")
    return (f'<section class="chart" id="{_e(chart.key)}">{plot}'
            f'<p class="source">{_e(chart.source)}</p>'
            + (f'<ul class="notes">{notes}</ul>' if notes else "")
            + f"<details><summary>Voir les données</summary>{table_html(chart)}</details></section>")


def sources_list(zoomed: Zoom, charts: list[Chart]) -> list[str]:
    """The full names of the sources the zoom shows, then each chart's source line."""
    names = zoomed.sources
    shown = []
    if zoomed.employment or zoomed.sector["caveat_naf"] or zoomed.employment_series:
        shown.append(names["employment"])
    if zoomed.bmo:
        shown.append(names["bmo"])
    if zoomed.tension:
        shown.append(names["tension"])
    if zoomed.market:
        shown.append(names["market"])
    if zoomed.skills.get("metiers"):
        shown.append(employers.skills_source(zoomed.skills).removeprefix("Source : "))
    if zoomed.offers:
        shown.append(employers.offers_source(zoomed.offers, zoomed.perimeter).removeprefix("Source : "))
    return list(dict.fromkeys(shown))


def _list_html(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{_e(item)}</li>" for item in items) + "</ul>"


def employers_html(zoomed: Zoom) -> str:
    """The block "Ce que les employeurs attendent": the skills of the sector's métiers (ROME 4.0), the offers
    online open to beginners, and what no loaded source gives (job seekers under 26 by métier)."""
    skills, offers = zoomed.skills, zoomed.offers
    parts = ["<h2>Ce que les employeurs attendent</h2>"]
    if skills.get("metiers"):
        parts.append(f'<p class="notes">{_e(employers.skills_source(skills))}</p>')
        shared = employers.shared_lines(skills, employers.SHARED_LISTED)
        if shared:
            parts.append("<p><strong>Compétences communes à plusieurs de ces métiers</strong> :</p>"
                         + _list_html(shared))
        for section in employers.metier_sections(skills):
            lists = "".join(f"<p><strong>{_e(name)}</strong></p>{_list_html(items)}"
                            for name, items in section["lists"].items())
            parts.append(f"<details><summary>{_e(section['title'])}</summary>{lists}</details>")
    else:
        parts.append(f"<p>{_e(employers.skills_missing(zoomed.not_loaded))}</p>")
    if offers:
        parts.append(f'<h3>Offres en ligne au {_e(employers.snapshot_day(offers))}</h3>'
                     f'<p class="notes">{_e(employers.offers_source(offers, zoomed.perimeter))}</p>'
                     f"<p><strong>{_e(employers.beginners_statement(offers, zoomed.sector['of_label']))}</strong></p>"
                     + _list_html(employers.offer_lines(offers))
                     + "".join(f"<p><strong>{_e(name)}</strong></p>{_list_html(lines)}"
                               for name, lines in employers.asked_lines(offers).items()))
    else:
        parts.append(f"<p>{_e(employers.offers_missing(zoomed.not_loaded))}</p>")
    parts.append(f'<p class="unavailable">{_e(employers.YOUNG_JOB_SEEKERS)}</p>')
    return "".join(parts)


def zoom_pack(zoomed: Zoom, charts: list[Chart], slides: list[Slide], generated: datetime | None = None) -> str:
    """The zoom as one HTML file that opens offline: headline figures, every chart (interactive) with its source
    and data table, the sentences to remember, the QR code of the same view, generation date and sources."""
    sector = zoomed.sector
    generated = generated or datetime.now(PARIS)
    stem = file_stem(zoomed)
    title = f"Zoom secteur : {sector['label']}"
    year = f" · enquête BMO {zoomed.year}" if zoomed.year else ""
    parts = [f"<header><h1>{_e(title)}</h1><p class=\"perimeter\">{_e(zoomed.perimeter)}{_e(year)}</p>"]
    if zoomed.demo_parts:
        parts.append(f'<p class="demo" role="alert"><strong>{DEMO_NOTICE}</strong> : inventées pour '
                     f"{_e(', '.join(demo_labels(zoomed.demo_parts)))}.</p>")
    if zoomed.unavailable:
        parts.append(f'<p class="unavailable">{_e(zoomed.unavailable)}</p>')
    parts.append("</header>")

    if zoomed.headline:
        cards = "".join(
            f'<div class="card"><div class="label">{_e(card["label"])}</div><div class="value">{_e(card["value"])}'
            f'</div><div class="detail">{_e(card["detail"])}</div><div class="source">Source : {_e(card["source"])}'
            "</div></div>" for card in zoomed.headline)
        parts.append(f'<h2>L\'essentiel</h2><div class="cards">{cards}</div>')

    if charts:
        parts.append("<h2>Graphiques</h2>")
        parts.append('<p class="notes">Survolez un graphique pour lire ses valeurs ; l\'icône appareil photo '
                     "télécharge une image PNG en 1920 × 1080 (résolution d'un vidéoprojecteur).</p>")
        parts += [_chart_html(chart, stem) for chart in pack_charts(zoomed, charts)]

    parts.append(employers_html(zoomed))

    if zoomed.takeaways:
        items = "".join(f"<li>{_e(sentence)}</li>" for sentence in zoomed.takeaways)
        parts.append(f'<h2>À retenir</h2><ul class="takeaways">{items}</ul>')

    link = next((slide.link for slide in slides if slide.link), None)
    if link:
        parts.append(f'<h2>Sur votre téléphone</h2><div class="share"><div class="qr" role="img" '
                     f'aria-label="QR code de la même vue">{qr_svg(link)}</div><div><p>Scannez ce code pour ouvrir '
                     f'la même vue (secteur, territoire, année) dans le tableau de bord en ligne :</p>'
                     f'<p class="link">{_e(link)}</p></div></div>')

    when = fmt_datetime(generated)
    sources = "".join(f"<li>{_e(name)}</li>" for name in sources_list(zoomed, charts))
    demo = f" {DEMO_NOTICE}." if zoomed.demo_parts else ""
    parts.append(f"<footer><p>Généré le {_e(when)} par Zoom secteurs, à partir des mêmes chiffres que le tableau de "
                 f"bord.{_e(demo)}</p><p>Sources :</p><ul>{sources}</ul><p>Périmètre : {_e(zoomed.perimeter)}. "
                 "Les parts de projets sont des sommes de cellules publiées : les cellules sous secret (« s ») ne "
                 "sont pas comptées.</p></footer>")

    plotly_js = plotly.offline.get_plotlyjs()
    return (
        "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)} · {_e(zoomed.perimeter)}</title>"
        f"<style>{STYLE % {'colour': sector['colour']}}</style>"
        f'<script type="text/javascript">{plotly_js}</script>'
        f'<script type="text/javascript">Plotly.register({json.dumps(PLOTLY_FR, ensure_ascii=False)});'
        "Plotly.setPlotConfig({locale: 'fr'});</script>"
        f"</head><body><main>{''.join(parts)}</main></body></html>\n"
    )
