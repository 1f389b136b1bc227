"""How a sentence says a territory, a figure and its change, shared by the zoom and the monthly note: one
"stable" threshold, one way of opening on a place, one way of writing a rate's change in points."""

from datetime import date

from pipelines.frformat import (
    MONTHS,
    display_name,
    fmt_change,
    fmt_decimal,
    fmt_int,
    fmt_pct,
    lower_first,
    period_text,
    plural,
)
from pipelines.report import figures

STABLE = 0.01  # a change within ±1 % is "stable"
# A rate (unemployment, in %) is published with one decimal: a change under 0.05 point rounds to no change.
STABLE_POINTS = 0.05
NNBSP = "\u202f"  # the narrow no-break space frformat puts before "%"


def place_phrase(territory: dict) -> str:
    """How a sentence opens on the territory: 'Dans le bassin d'emploi de Rennes', 'En France', 'À Redon'..."""
    name = display_name(territory["name"] or territory["code"])
    kind = territory["type"]
    if kind == "france":
        return "En France"
    if kind == "commune":
        return figures.in_name(name)
    if kind == "liste" or kind not in figures.TERRITORY_NOUNS:
        return f"Dans le territoire « {name} »"
    return "Dans " + figures.territory_noun(kind, name, territory["code"] if kind == "departement" else None)


def in_place(territory: dict) -> str:
    """The same inside a sentence: 'dans le département Ille-et-Vilaine (35)', 'en France', 'à Redon'."""
    return lower_first(place_phrase(territory))


def place_noun(territory: dict) -> str:
    """The territory as a sentence names it: "l'EPCI Rennes Métropole", 'la zone d'emploi de Rennes', 'la France'."""
    name = display_name(territory["name"] or territory["code"])
    kind = territory["type"]
    if kind == "liste" or (kind not in figures.TERRITORY_NOUNS and kind != "france"):
        return f"le territoire « {name} »"
    return figures.territory_noun(kind, name, territory["code"] if kind == "departement" else None)


def change_words(change: float | None) -> tuple[str, str]:
    """('a progressé de', '+3,2 %'), ('a reculé de', '−2,0 %') or ('est stable', '+0,4 %')."""
    if change is None:
        return "", ""
    if abs(change) < STABLE:
        return "est stable", fmt_change(change)
    return ("a progressé de" if change > 0 else "a reculé de"), fmt_change(change)


def fmt_points(change) -> str:
    """A rate's change in points: 0.3 -> '+0,3 pt', -0.25 -> '−0,3 pt' (true minus), 0 -> '0,0 pt'."""
    if change is None:
        return fmt_decimal(None)
    text = f"{fmt_decimal(abs(change))}{NNBSP}pt"
    if round(change, 1) == 0:
        return text
    return ("+" if change > 0 else "\u2212") + text


def fmt_value(value, unit: str) -> str:
    """A figure of the note: a count '10 400', a rate (in %) '6,1 %'; 'n.d.' when missing."""
    if unit == "rate":
        return fmt_decimal(value) + (f"{NNBSP}%" if value is not None else "")
    return fmt_int(value)


def fmt_change_of(change, unit: str) -> str:
    """A change as its series counts it: a relative change of a count ('+3,5 %'), a difference of rates ('+0,3 pt')."""
    return fmt_points(change) if unit == "rate" else fmt_change(change)


def points_words(points: float) -> str:
    """'0,4 point', '2,5 points' (French: under 2, singular)."""
    return f"{fmt_decimal(abs(points))} {plural(round(abs(points), 1), 'point')}"


def trend(change, unit: str, span: str) -> str:
    """A change as a clause after a figure: 'en hausse de 4,0 % sur un trimestre', 'en baisse de 0,3 point sur
    un an', 'stable sur un an (+0,4 %)' (within the "stable" thresholds); '' when there is none."""
    if change is None:
        return ""
    if abs(change) < (STABLE_POINTS if unit == "rate" else STABLE):
        return f"stable sur {span} ({fmt_change_of(change, unit)})"
    size = points_words(change) if unit == "rate" else fmt_pct(abs(change))
    return f"en {'hausse' if change > 0 else 'baisse'} de {size} sur {span}"


def fmt_day(day: date) -> str:
    """'28 janvier 2027', '1er mars 2027'."""
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"


def at_period(period: str) -> str:
    """'au T2 2025' (a quarter), 'en 2024' (a year)."""
    text = period_text(period)
    return f"au {text}" if text.startswith("T") else f"en {text}"


def zone_phrase(zone: dict) -> str:
    """The zone d'emploi whose rate a territory gets (read/note: the zone holding most of its communes): 'la zone
    d'emploi de Rennes (5315), qui regroupe 80 % des communes du territoire' (a rate is never averaged across
    zones)."""
    share = f", qui regroupe {fmt_pct(zone['share'], digits=0)} des communes du territoire" \
        if zone.get("share") is not None else ""
    tied = ", à égalité avec une autre zone" if zone.get("tied") else ""
    name = display_name(zone["name"] or zone["code"])
    return f"{figures.territory_noun('zone_emploi', name, zone['code'])}{share}{tied}"
