"""Points de vigilance of the monthly note: every rule that flags a figure is here, none is written by hand.

Each rule reads the figures dict (read/note.note_figures) and words its flags in French, with the figures. A rule
fires only on figures it can compare honestly, so that missing data never fires a rule: the territory's own
value (never a partial sum of its communes, `partial`, nor another place's figure given as context,
`context_of`), compared with a value of the same period. Changes are rounded to 6 decimals before the comparison,
as note_figures rounds them, so that a value at a threshold fires whatever the float arithmetic.

The rules, in the order their flags are listed:

1. "demandeurs" — job seekers rising faster than around: for category A, and for A, B, C, the territory's count
   up over a year by at least STABLE (1 %: under it the zoom and the note say "stable") AND by at least
   JOB_SEEKERS_MARGIN (1 point of %) more than in the nearest wider place of the note (its département; the
   région for a département, France for a région), for the same quarter. Why: a rise beyond the surrounding
   trend is local, worth a look; 1 point is above the noise of counts rounded to 5.
2. "chomage" — the territory's unemployment rate (or its zone d'emploi's, said so) up UNEMPLOYMENT_RISE
   (0.3 point) or more over a year. Why: the issue's threshold; Insee publishes one decimal, and 0.3 point is three
   times the smallest published step.
3. "difficultes" — the sectors whose share of BMO recruitment projects judged difficult is DIFFICULT_SHARE (70 %)
   or more. A share that is a lower bound (secret cells counted as nothing) counts only when it already reaches
   70 %: the true share is then at least that; below, nothing is known. Why: the issue's threshold; more than two
   projects in three expected to be hard to fill.
4. "emploi" — the territory's salaried employment (Urssaf, all sectors) down by STABLE (1 %) or more over a year:
   a fall the zoom would not call "stable". Why: a loss of jobs an elected official hears about first.
5. "tension" — the sectors whose tension level (the mean class, 1 to 5, of its métiers) is TENSION_LEVEL (4) or
   more. Why: classes 4 and 5 are the DARES' "en tension"; at a mean of 4 the sector's métiers are, on average.
"""

from dataclasses import dataclass

from pipelines.frformat import fmt_change, fmt_int, fmt_pct, period_text, plural
from pipelines.report.conventions import APPRENTICE_BREAK
from pipelines.report.figures import level_of_five, share_text
from pipelines.report.sentences import (
    STABLE,
    at_period,
    fmt_value,
    in_place,
    place_phrase,
    points_words,
    zone_phrase,
)

JOB_SEEKERS_MARGIN = 0.01
UNEMPLOYMENT_RISE = 0.3
DIFFICULT_SHARE = 0.70
TENSION_LEVEL = 4.0
CATEGORIES = {"demandeurs_a": "de catégorie A", "demandeurs_abc": "des catégories A, B et C"}


@dataclass(frozen=True)
class Flag:
    rule: str  # the rule's name in the docstring: "demandeurs", "chomage", "difficultes", "emploi", "tension"
    text: str  # the French sentence, with its figures


def _sector(sector: dict) -> str:
    """A sector's name in a sentence: 'Travaux publics' for the table's 'dont travaux publics' (under its parent)."""
    label = sector["label"]
    return label.removeprefix("dont ").capitalize() if label.startswith("dont ") else label


def _r(number: float) -> float:
    return round(number, 6)


def _own(figures: dict, series_id: str) -> tuple[dict, dict] | tuple[None, None]:
    """(series, the territory's own entry) when it can be compared honestly (see the docstring), else Nones."""
    series = next((s for s in figures["series"] if s["id"] == series_id), None)
    entry = (series or {}).get("values", {}).get(figures["territory"]["spec"])
    if not entry or entry.get("partial") or entry.get("context_of") or entry.get("value") is None:
        return None, None
    return series, entry


def _wider_place(figures: dict) -> dict | None:
    """The nearest wider place of the note: the first place after the territory (département, région, France)."""
    return next((place for place in figures["places"] if place["spec"] != figures["territory"]["spec"]), None)


def job_seekers(figures: dict) -> list[Flag]:
    flags = []
    wider = _wider_place(figures)
    for series_id, category in CATEGORIES.items():
        series, entry = _own(figures, series_id)
        reference = series["values"].get(wider["spec"]) if series and wider else None
        if not reference or reference.get("partial") or entry["change_1y"] is None \
                or reference.get("change_1y") is None or reference["period"] != entry["period"]:
            continue
        change, margin = _r(entry["change_1y"]), _r(entry["change_1y"] - reference["change_1y"])
        if change >= STABLE and margin >= JOB_SEEKERS_MARGIN:
            flags.append(Flag("demandeurs", (
                f"{place_phrase(figures['territory'])}, le nombre de demandeurs d'emploi {category} a augmenté de "
                f"{fmt_pct(change)} en un an ({fmt_int(entry['value'])} {at_period(entry['period'])}), contre "
                f"{fmt_change(reference['change_1y'])} {in_place(wider)} : {points_words(margin * 100)} d'écart.")))
    return flags


def unemployment(figures: dict) -> list[Flag]:
    _, entry = _own(figures, "taux_chomage")
    if not entry or entry["change_1y"] is None or _r(entry["change_1y"]) < UNEMPLOYMENT_RISE:
        return []
    where = f"dans {zone_phrase(entry['zone'])}" if entry.get("zone") else in_place(figures["territory"])
    return [Flag("chomage", (
        f"Le taux de chômage a augmenté de {points_words(entry['change_1y'])} en un an {where} : "
        f"{fmt_value(entry['value'], 'rate')} {at_period(entry['period'])}, contre "
        f"{fmt_value(entry['year_ago_value'], 'rate')} {at_period(entry['year_ago_period'])}."))]


def difficult_projects(figures: dict) -> list[Flag]:
    """One flag listing every sector at or above the threshold."""
    found = []
    for sector in figures["sectors"]:
        share = sector.get("difficult_share")
        if share is None or _r(share) < DIFFICULT_SHARE:
            continue
        projects = sector.get("projects")
        of_them = ("du seul projet" if projects == 1 else f"des {fmt_int(projects)} projets" if projects is not None
                   else "des projets")
        found.append(f"{_sector(sector)}, {share_text(sector, 'difficult')} {of_them} de {sector['bmo_year']}")
    if not found:
        return []
    return [Flag("difficultes", f"Projets de recrutement jugés difficiles à {fmt_pct(DIFFICULT_SHARE, digits=0)} ou "
                                f"plus : {' ; '.join(found)}.")]


def employment(figures: dict) -> list[Flag]:
    _, entry = _own(figures, "emploi_salarie")
    if not entry or entry["change_1y"] is None or _r(entry["change_1y"]) > -STABLE:
        return []
    apprentices = f" ({APPRENTICE_BREAK})" if entry.get("apprentice_break") else ""
    return [Flag("emploi", (
        f"{place_phrase(figures['territory'])}, l'emploi salarié a reculé de {fmt_pct(-entry['change_1y'])} en un an"
        f" : {fmt_int(entry['value'])} salariés fin {period_text(entry['period'])}, contre "
        f"{fmt_int(entry['year_ago_value'])} fin {period_text(entry['year_ago_period'])}{apprentices}."))]


def tension(figures: dict) -> list[Flag]:
    """One flag listing every sector at or above the threshold."""
    found = []
    for sector in figures["sectors"]:
        level = sector.get("tension_level")
        if level is None or _r(level) < TENSION_LEVEL:
            continue
        count = sector.get("metiers_in_tension")
        metiers = (f" ({fmt_int(count)} {plural(count, 'métier')} en tension sur {fmt_int(sector['metiers'])})"
                   if count is not None and sector.get("metiers") else "")
        found.append(f"{_sector(sector)}, {level_of_five(level)} en {sector['tension_year']}{metiers}")
    if not found:
        return []
    return [Flag("tension", f"{plural(len(found), 'Secteur')} en tension (niveau moyen de {fmt_int(TENSION_LEVEL)} / 5 "
                            f"ou plus) : {' ; '.join(found)}.")]


RULES = (job_seekers, unemployment, difficult_projects, employment, tension)


def flags(figures: dict) -> list[Flag]:
    """Every flag of the note, rule by rule in the docstring's order."""
    return [flag for rule in RULES for flag in rule(figures)]
