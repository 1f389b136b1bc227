"""The workshop slides of a zoom: one key figure or one chart per slide, for a projector.

Built once from `zoom()` and `zoom_charts()`; the workshop mode of the page, the offline HTML pack and the
PDF all show these slides, so a room sees the same thing whichever it opens. Every slide carries the
sector and the territory, and its source line.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from pipelines import figures
from pipelines.zoom import display_name
from pipelines.zoom_charts import Chart


@dataclass
class Slide:
    kind: str  # "cover" | "figure" | "chart" | "takeaways" | "end"
    title: str
    subtitle: str  # the sector and the territory, on every slide
    source: str  # the source line, on every slide
    figure: dict | None = None  # a headline figure: label, value, detail
    chart: Chart | None = None
    lines: list[str] = field(default_factory=list)
    link: str | None = None  # the same view on a phone (QR code on the first and last slides)


def view_query(sector_code: str, territory_type: str, territory_code: str, year: int | None,
               mode: str | None = None) -> str:
    """The URL query of a zoom view: sector, territory, year (and mode), as the page reads them."""
    params = {"secteur": sector_code, "territoire": figures.territory_spec(territory_type, territory_code)}
    if year:
        params["annee"] = str(year)
    if mode:
        params["mode"] = mode
    return urlencode(params, safe=":")


# Which part of the figures (figures.DEMO_PARTS) each headline card and chart shows: a slide is marked
# fictitious when its own part comes from demo files, not because another part does.
PART_OF = {
    "employees": "emploi salarié (Urssaf)", "establishments": "emploi salarié (Urssaf)",
    "emploi": "emploi salarié (Urssaf)", "etablissements": "emploi salarié (Urssaf)",
    "emploi-comparaison": "emploi salarié (Urssaf)", "part-emploi": "emploi salarié (Urssaf)",
    "projects": "projets de recrutement (BMO)", "difficult": "projets de recrutement (BMO)",
    "seasonal": "projets de recrutement (BMO)", "recrutements": "projets de recrutement (BMO)",
    "difficultes": "projets de recrutement (BMO)", "metiers": "projets de recrutement (BMO)",
    "tension": "indicateurs de tension", "marche": "offres et demandeurs par métier (France Travail)",
    "demandeurs": "demandeurs d'emploi (Dares)", "radar": "indicateurs de tension",
}
DEMO_MARK = " · Données fictives de démonstration"


def demo_mark(zoomed: dict, key: str) -> str:
    """' · Données fictives de démonstration' when the card or chart `key` shows demo figures."""
    part = PART_OF["radar" if key.startswith("radar-") else key]  # a new chart must say its part here
    return DEMO_MARK if part in zoomed["demo_parts"] else ""


def build_slides(zoomed: dict, charts: list[Chart], link: str | None = None) -> list[Slide]:
    """Cover, each headline figure, each chart, the three sentences to remember, end (with the link)."""
    sector, territory = zoomed["sector"], zoomed["territory"]
    subtitle = f"{sector['label']} · {zoomed['perimeter']}"
    sources = " · ".join(dict.fromkeys(card["source"] for card in zoomed["headline"])) or zoomed["perimeter"]
    # The slides that gather several sources say which parts are fictitious.
    demo = f" · Données fictives de démonstration : {', '.join(zoomed['demo_parts'])}" if zoomed["demo_parts"] else ""
    slides = [Slide("cover", f"Zoom secteur : {sector['label']}", subtitle,
                    f"Sources : {sources}{demo}", lines=[display_name(territory["name"] or territory["code"])],
                    link=link)]
    for card in zoomed["headline"]:
        slides.append(Slide("figure", card["label"], subtitle, f"Source : {card['source']} · {zoomed['perimeter']}"
                            + demo_mark(zoomed, card["key"]), figure=card))
    for chart in charts:
        slides.append(Slide("chart", chart.title, subtitle, chart.source + demo_mark(zoomed, chart.key), chart=chart))
    if zoomed["takeaways"]:
        slides.append(Slide("takeaways", "À retenir", subtitle, f"Sources : {sources}{demo}",
                            lines=zoomed["takeaways"]))
    slides.append(Slide("end", "Merci !", subtitle, f"Sources : {sources}{demo}",
                        lines=["Retrouvez ces chiffres sur votre téléphone :"], link=link))
    return slides


def qr_svg(link: str, scale: int = 8) -> str:
    """The link as a QR code, an SVG string (no image library needed)."""
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="svg", scale=scale, border=2, xmldecl=False, svgns=True)
    return buffer.getvalue().decode("utf-8")
