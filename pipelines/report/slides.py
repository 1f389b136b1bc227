"""The workshop slides of a zoom: one key figure or one chart per slide, for a projector.

Built once from `zoom()` and `zoom_charts()`; the workshop mode of the page, the offline HTML pack and the
PDF all show these slides, so a room sees the same thing whichever it opens. Every slide carries the
sector and the territory, and its source line.
"""

from collections import Counter
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from pipelines.frformat import MISSING, SECRET, fmt_int
from pipelines.report import employers, figures, glossary
from pipelines.report.conventions import DEMO_NOTICE, demo_labels
from pipelines.report.safe_text import Markup
from pipelines.report.zoom import Zoom, display_name
from pipelines.report.zoom_charts import DRIVER_AXES, Chart, radar, value_text

ROOM_BARS = 8  # at most this many bars on a slide; the others are said ("et 16 autres métiers")
GLOSSARY_SOURCE = "Sources : Dares et France Travail (définitions)"
# What a chart of one bar would show is on a headline figure's slide: chart key -> (card key, note on that slide).
ONE_YEAR = "une seule année chargée : pas de graphique d'évolution"
FIGURE_OF = {"recrutements": ("projects", ONE_YEAR), "emploi": ("employees", ONE_YEAR),
             "etablissements": ("establishments", ONE_YEAR),
             "difficultes": ("difficult", "un seul territoire : pas de graphique de comparaison")}
SAME_CLASS = 0.75  # when this share of a sector's métiers has one tension class, a sentence says it better


@dataclass
class Slide:
    kind: str  # "cover" | "figure" | "chart" | "statement" | "lines" (sentences: to remember, words) | "end"
    title: str
    subtitle: str  # the sector and the territory, on every slide
    source: str  # the source line, on every slide
    figure: dict | None = None  # a headline figure: label, value, detail
    chart: Chart | None = None
    lines: list[str] = field(default_factory=list)  # takeaways; the details under a statement
    statement: str | None = None  # one sentence in large type, where a chart would say nothing more
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


# Which part of the figures (its code in conventions.DEMO_PARTS) each headline card and chart shows: a slide is marked
# fictitious when its own part comes from demo files, not because another part does.
PART_OF = {
    "employees": "employment", "establishments": "employment",
    "emploi": "employment", "etablissements": "employment",
    "emploi-comparaison": "employment", "part-emploi": "employment",
    "projects": "bmo", "difficult": "bmo",
    "seasonal": "bmo", "recrutements": "bmo",
    "difficultes": "bmo", "metiers": "bmo",
    "tension": "tension", "marche": "market",
    "demandeurs": "job_seekers", "radar": "tension",
    "skills": "skills", "offers": "offers", "debutants": "offers",
}
# The charts shown after the employers' slides (those of the sources on job seekers and offers by quarter).
AFTER_EMPLOYERS = ("marche", "demandeurs")
DEMO_MARK = f" · {DEMO_NOTICE}"


def demo_mark(zoomed: Zoom, key: str) -> str:
    """' · Données fictives de démonstration' when the card or chart `key` shows demo figures."""
    part = PART_OF["radar" if key.startswith("radar-") else key]  # a new chart must say its part here
    return DEMO_MARK if part in zoomed.demo_parts else ""


def build_slides(zoomed: Zoom, charts: list[Chart], link: str | None = None) -> list[Slide]:
    """Cover, each headline figure, each chart, the three sentences to remember, end (with the link)."""
    sector, territory = zoomed.sector, zoomed.territory
    subtitle = f"{sector['label']} · {zoomed.perimeter}"
    sources = " · ".join(dict.fromkeys(card["source"] for card in zoomed.headline)) or zoomed.perimeter
    # The slides that gather several sources say which parts are fictitious.
    demo = f" · {DEMO_NOTICE} : {', '.join(demo_labels(zoomed.demo_parts))}" if zoomed.demo_parts else ""
    slides = [Slide("cover", f"Zoom secteur : {sector['label']}", subtitle,
                    f"Sources : {sources}{demo}", lines=[display_name(territory["name"] or territory["code"])],
                    link=link),
              Slide("lines", "Les mots du zoom", subtitle, GLOSSARY_SOURCE, lines=glossary.term_lines())]
    # A chart of one year says nothing at the back of a room: left out, its figure's slide says why. A figure
    # that is not published ("s", "n.d.") in 13-rem type says nothing either: left out, the end slide says so.
    single = dict(FIGURE_OF[chart.key] for chart in charts if one_point(chart) and chart.key in FIGURE_OF)
    unpublished = [card for card in zoomed.headline if card["value"] in (SECRET, MISSING)]
    for card in (card for card in zoomed.headline if card not in unpublished):
        slides.append(Slide("figure", card["label"], subtitle, f"Source : {card['source']} · {zoomed.perimeter}"
                            + demo_mark(zoomed, card["key"])
                            + (f" · {single[card['key']]}" if card["key"] in single else ""), figure=card))
    employer = employer_slides(zoomed, charts, subtitle)
    for chart in charts:
        if chart.key in AFTER_EMPLOYERS and employer:
            slides, employer = slides + employer, []
        if chart.key != "debutants":  # shown among the employers' slides
            slides += chart_slides(zoomed, chart, subtitle)
    slides += employer
    partial = [chart.title for chart in charts if chart.partial]
    if zoomed.takeaways:
        said = (f"{sources} · France Travail, offres en ligne au {employers.snapshot_day(zoomed.offers)}"
                if employers.enough_for_takeaway(zoomed.offers) else sources)
        slides.append(Slide("lines", "À retenir", subtitle, f"Sources : {said}{demo}",
                            lines=zoomed.takeaways))
    omitted = f" · Sans diapositive (sommes partielles) : {' ; '.join(partial)}" if partial else ""
    if unpublished:
        omitted += (" · Non publiés (secret statistique ou non disponible) : "
                    + ", ".join(card["label"].lower() for card in unpublished))
    slides.append(Slide("end", "Merci !", subtitle, f"Sources : {sources}{demo}{omitted}",
                        lines=["Retrouvez ces chiffres sur votre téléphone :"], link=link))
    return slides


def employer_slides(zoomed: Zoom, charts: list[Chart], subtitle: str) -> list[Slide]:
    """What employers expect: 'Les compétences clés' (the skills the sector's top métiers share, ROME 4.0; a single
    métier's own when none is shared), 'Ouvert aux débutants' (the offers online) and the chart of the métiers
    whose offers are most open to beginners, each with its source line."""
    slides = []
    skills, offers = zoomed.skills, zoomed.offers
    if skills.get("metiers"):
        lines, title = employers.shared_lines(skills, employers.SHARED_SHOWN), "Les compétences clés"
        if not lines:  # no skill shared (a single métier): its own, under its name, not as the sector's
            metier = skills["metiers"][0]
            lines = [f"{row['item_label']} ({employers.KIND_LABELS[kind]})"
                     for kind in ("savoir_faire", "savoir_etre") for row in metier[kind][:3]]
            title = f"Les compétences clés : {metier['rome_label']}"
        if lines:
            slides.append(Slide("lines", title, subtitle,
                                employers.skills_source(skills) + demo_mark(zoomed, "skills"), lines=lines))
    if offers:
        slides.append(Slide("statement", "Ouvert aux débutants", subtitle,
                            employers.offers_source(offers, zoomed.perimeter) + demo_mark(zoomed, "offers"),
                            statement=employers.beginners_statement(offers, zoomed.sector["of_label"]),
                            # partial counts: the statement alone, which says so (never a slide of counts)
                            lines=[] if employers.partial_coverage(offers) else employers.offer_lines(offers)[:2]))
        slides += [slide for chart in charts if chart.key == "debutants"
                   for slide in chart_slides(zoomed, chart, subtitle)]
    return slides


def chart_slides(zoomed: Zoom, chart: Chart, subtitle: str) -> list[Slide]:
    """What a room can read of a chart: the chart itself, its first bars with the others said, a sentence
    when every bar says the same thing, or nothing when one bar would only repeat a figure slide. The tension
    chart is followed by the radar of the six drivers of the sector's métier most in tension."""
    source = chart.source + demo_mark(zoomed, chart.key)
    if one_point(chart) or chart.partial:
        return []  # one year: the figure's slide shows that number; partial sums: never a slide (the end says)
    if chart.key != "tension":
        return [Slide("chart", chart.title, subtitle, source, chart=first_bars(chart, zoomed))]
    said = tension_statement(zoomed)
    if said:
        slides = [Slide("statement", chart.title, subtitle, source, statement=said[0], lines=said[1])]
    else:
        classes = replace(chart.series[0], labels=[f"{value_text(v, 'class')} / 5" for v in chart.series[0].values])
        slides = [Slide("chart", chart.title, subtitle, source,
                        chart=first_bars(replace(chart, series=[classes, *chart.series[1:]]), zoomed))]
    drivers = radar(zoomed, most_in_tension(zoomed)["metier_code"])
    drivers.notes.insert(0, "Le métier le plus en tension du secteur : classe la plus haute, puis facteurs les "
                            "plus élevés.")
    return slides + [Slide("lines", "Les six facteurs de tension", subtitle, GLOSSARY_SOURCE,
                           lines=glossary.driver_lines()),
                     Slide("chart", drivers.title, subtitle, drivers.source + demo_mark(zoomed, drivers.key),
                           chart=drivers)]


def one_point(chart: Chart) -> bool:
    """A line or bar chart of a single year or place: its slide would show one bar."""
    return chart.kind in ("line", "bar", "grouped_bar") and len(chart.categories) < 2


def first_bars(chart: Chart, zoomed: Zoom) -> Chart:
    """A horizontal bar chart cut to its first ROOM_BARS bars, with a note saying how many are left out."""
    if chart.kind != "barh" or len(chart.categories) <= ROOM_BARS:
        return chart
    total = zoomed.metiers[0]["metiers_with_projects"] if chart.key == "metiers" else len(chart.categories)
    others = total - ROOM_BARS
    what = "qui recrutent" if chart.key == "metiers" else "suivis"
    note = (f"Les {ROOM_BARS} premiers métiers {what} et {fmt_int(others)} autre{'s' if others > 1 else ''} "
            f"({fmt_int(total)} au total) : la liste complète est dans le tableau de bord.")
    series = [replace(s, values=s.values[:ROOM_BARS], labels=s.labels[:ROOM_BARS] if s.labels else None)
              for s in chart.series]
    return replace(chart, categories=chart.categories[:ROOM_BARS], series=series, notes=[note, *chart.notes])


def class_words(tension_class) -> str:
    """'en tension maximale (5 sur 5)', 'en tension minimale (1 sur 5)', 'en tension de niveau 3 sur 5'."""
    shown = value_text(tension_class, "class")
    return {5: "en tension maximale (5 sur 5)", 1: "en tension minimale (1 sur 5)"}.get(
        tension_class, f"en tension de niveau {shown} sur 5")


def tension_statement(zoomed: Zoom) -> tuple[str, list[str]] | None:
    """'26 des 27 métiers du BTP suivis sont en tension maximale (5 sur 5).' and the details (the others, the
    main driver), when at least SAME_CLASS of the métiers share one class: bars of one length say nothing."""
    rows, of = zoomed.tension_metiers, zoomed.sector["of_label"]
    counts = Counter(row["tension_class"] for row in rows)
    common, count = max(counts.items(), key=lambda item: (item[1], item[0]))
    if count < SAME_CLASS * len(rows):
        return None
    words = class_words(common)
    if len(rows) == 1:
        sentence = f"Le seul métier {of} suivi, {rows[0]['metier_label']}, est {words}."
    elif count == len(rows):
        sentence = f"Les {fmt_int(count)} métiers {of} suivis sont tous {words}."
    else:
        sentence = f"{fmt_int(count)} des {fmt_int(len(rows))} métiers {of} suivis sont {words}."
    others = [row for row in rows if row["tension_class"] != common]
    details = []
    if 0 < len(others) <= 3:
        details.append(("Autre : " if len(others) == 1 else "Autres : ") + ", ".join(
            f"{row['metier_label']} ({value_text(row['tension_class'], 'class')} sur 5)" for row in others) + ".")
    elif others:
        low, high = (value_text(f(row["tension_class"] for row in others), "class") for f in (min, max))
        details.append(f"Les {fmt_int(len(others))} autres : niveaux {low} à {high} sur 5.")
    driver = (zoomed.tension or {}).get("main_driver_label")
    if driver:
        details.append(f"Principal facteur de tension du secteur : {driver}.")
    return sentence, details


def most_in_tension(zoomed: Zoom) -> dict:
    """The sector's métier most in tension: the highest class, then the highest sum of its six drivers."""
    return max(zoomed.tension_metiers,
               key=lambda row: (row["tension_class"], sum(row[key] or 0 for key in DRIVER_AXES)))


def qr_svg(link: str, scale: int = 8) -> Markup:
    """The link as a QR code, an SVG string (no image library needed): segno draws modules only, no text."""
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="svg", scale=scale, border=2, xmldecl=False, svgns=True)
    return Markup(buffer.getvalue().decode("utf-8"))
