"""What changed between two editions of a monthly note (read.editions.diff), worded in French as one table: the
page's comparison, the `editions --comparer` command and the "Chiffres révisés" section of a revision; and how an
edition is named to a reader. Figures and changes are written as the note writes them (report/sentences.py), and
series named as the note names them (report/note.py's LABELS)."""

from datetime import datetime

from pipelines.frformat import fmt_change, fmt_datetime, fmt_decimal, fmt_int, fmt_pct, period_text
from pipelines.read.editions import DEMO_CHANGED, DEMO_KINDS, DEMO_REPLACED, REPLACED_BY_DEMO, Edition
from pipelines.report.figures import LOWER_BOUND
from pipelines.report.note import LABELS
from pipelines.report.note_model import Table
from pipelines.report.sentences import fmt_value, points_words

# The figures of a sector (read.editions.SECTOR_FIGURES), after the sector's name.
SECTOR_LABELS = {
    "projects": "projets de recrutement (BMO)",
    "difficult_share": "part des projets jugés difficiles",
    "employees": "emploi salarié",
    "employees_change_1y": "évolution de l'emploi salarié sur un an",
    "tension_level": "tension (classe moyenne, 1 à 5)",
}
KINDS = {"ajout": "nouveau chiffre", "nouvelle_periode": "nouvelle période",
         "periode_anterieure": "période plus ancienne", "revision": "révisé", "retrait": "retiré",
         DEMO_REPLACED: "chiffre fictif de démonstration remplacé par un chiffre réel",
         REPLACED_BY_DEMO: "chiffre réel remplacé par un chiffre fictif de démonstration",
         DEMO_CHANGED: "chiffre fictif de démonstration modifié"}
COLUMNS = ["Indicateur", "Territoire", "Changement", "Avant", "Après", "Écart"]
NONE = "—"
NO_CHANGE = "Aucun chiffre clé n'a changé entre ces deux éditions."
REVISION_NOTE = ("Révisé : même période, valeur publiée différente (l'éditeur a corrigé ou complété ses chiffres) ; "
                 "écart = nouvelle valeur − ancienne, en points pour un taux ou une part.")
OLDER_NOTE = ("Période plus ancienne : le chiffre porte sur une période antérieure à celle de l'édition de départ "
              "(un fichier remplacé par un fichier plus ancien).")
DEMO_NOTE = ("Chiffre fictif de démonstration : inventé par les fichiers de démonstration, il ne décrit aucun "
             "territoire ; son remplacement n'est pas une révision de l'éditeur (pas d'écart entre un chiffre fictif "
             "et un chiffre réel).")


def _one_line(text) -> str:
    """A name read from a data file, on one line (a table cell's line breaks are the table's own)."""
    return " ".join(str(text).split())


def series_label(series_id: str) -> str:
    return LABELS.get(series_id, _one_line(series_id))


def _label(row: dict) -> str:
    """The series as the note names it, or a sector's figure: 'Numérique : emploi salarié'."""
    if row.get("sector") is None:
        return series_label(row["series"])
    figure = SECTOR_LABELS.get(row["series"], _one_line(row["series"]))
    return f"{_one_line(row.get('sector_label') or row['sector'])} : {figure}"


def value_text(value, unit: str, at_least: bool = False) -> str:
    """A figure as the note writes it: '10 400', '6,1 %' (a rate, in %), 'au moins 72,0 %' (a share), '+1,2 %' (a
    change), '3,8' (a level of tension); '—' when there is none."""
    if value is None:
        return NONE
    if unit == "share":
        return f"{LOWER_BOUND} {fmt_pct(value)}" if at_least else fmt_pct(value)
    if unit == "change":
        return fmt_change(value)
    if unit == "level":
        return fmt_decimal(value)
    return fmt_value(value, unit)


def _figure(period, value, unit: str, at_least: bool = False) -> str:
    """'10 400 (T2 2025)', or '—' when there is no figure."""
    if period is None and value is None:
        return NONE
    shown = value_text(value, unit, at_least)
    return f"{shown} ({period_text(str(period))})" if period is not None else shown


def _signed(number: float, text: str) -> str:
    return text if number == 0 else ("+" if number > 0 else "\u2212") + text


def delta_text(delta, unit: str) -> str:
    """+50 ; −1 200 ; +0,2 point ; −2,5 points (a rate's change in points, never in %; a share's or a change's in
    points of percentage); +0,3 (a level of tension)."""
    if delta is None:
        return NONE
    if unit == "rate":
        return _signed(delta, points_words(delta))
    if unit in ("share", "change"):
        return _signed(delta, points_words(delta * 100))
    if unit == "level":
        return _signed(delta, fmt_decimal(abs(delta)))
    return _signed(delta, fmt_int(abs(delta)))


def diff_table(rows: list[dict], new: dict) -> Table:
    """The diff rows as a French table: one line per change, places named as in the newer figures `new`."""
    names = {place.get("spec"): place.get("name") for place in new.get("places", []) if isinstance(place, dict)}
    territory = new.get("territory") or {}
    names.setdefault(territory.get("spec"), territory.get("name"))
    table = Table(list(COLUMNS), [])
    for row in rows:
        unit = row.get("unit", "count")
        table.rows.append([
            _label(row), _one_line(names.get(row["place"]) or row["place"]),
            KINDS.get(row["kind"], _one_line(row["kind"])),
            _figure(row.get("old_period"), row.get("old_value"), unit, row.get("old_at_least", False)),
            _figure(row.get("new_period"), row.get("new_value"), unit, row.get("new_at_least", False)),
            delta_text(row.get("delta"), unit)])
    kinds = {row["kind"] for row in rows}
    if not rows:
        table.notes.append(NO_CHANGE)
    if "revision" in kinds:
        table.notes.append(REVISION_NOTE)
    if "periode_anterieure" in kinds:
        table.notes.append(OLDER_NOTE)
    if kinds & set(DEMO_KINDS):
        table.notes.append(DEMO_NOTE)
    return table


def edition_text(edition: Edition) -> str:
    """An edition as a reader is told of it: 'décembre 2026, révision 2 · publiée le 6 décembre 2026 à 4 h 29'
    (the first publication of a month: no revision; the time in Paris time)."""
    revision = f", révision {edition.revision}" if edition.revision > 1 else ""
    return (f"{period_text(edition.month)}{revision} · publiée le "
            f"{fmt_datetime(datetime.fromisoformat(edition.published_at))}")
