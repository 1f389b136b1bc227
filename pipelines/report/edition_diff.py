"""What changed between two editions of a monthly note (read.editions.diff), worded in French as one table: the
page's comparison, the `editions --comparer` command and the "Chiffres révisés" section of a revision."""

from pipelines.frformat import fmt_decimal, fmt_int, period_text, plural
from pipelines.report.note_model import Table

SERIES_LABELS = {
    "demandeurs_a": "Demandeurs d'emploi (cat. A)",
    "demandeurs_abc": "Demandeurs d'emploi (cat. A, B, C)",
    "taux_chomage": "Taux de chômage",
    "emploi_salarie": "Emploi salarié",
    "etablissements": "Établissements employeurs",
    "embauches": "Embauches (DPAE)",
    "offres": "Offres d'emploi",
    "projets_bmo": "Projets de recrutement (BMO)",
}
KINDS = {"ajout": "nouveau chiffre", "nouvelle_periode": "nouvelle période", "revision": "révisé",
         "retrait": "retiré"}
COLUMNS = ["Indicateur", "Territoire", "Changement", "Avant", "Après", "Écart"]
NONE = "—"
NO_CHANGE = "Aucun chiffre clé n'a changé entre ces deux éditions."
REVISION_NOTE = ("Révisé : même période, valeur publiée différente (l'éditeur a corrigé ou complété ses chiffres) ; "
                 "écart = nouvelle valeur − ancienne, en points pour un taux.")


def _one_line(text) -> str:
    """A name read from a data file, on one line (a table cell's line breaks are the table's own)."""
    return " ".join(str(text).split())


def series_label(series_id: str) -> str:
    return SERIES_LABELS.get(series_id, _one_line(series_id))


def _value(value, unit: str) -> str:
    if unit == "rate":
        return NONE if value is None else f"{fmt_decimal(value)}\u202f%"
    return NONE if value is None else fmt_int(value)


def _figure(period, value, unit: str) -> str:
    """'10 400 (T2 2025)', or '—' when there is no figure."""
    if period is None and value is None:
        return NONE
    return f"{_value(value, unit)} ({period_text(str(period))})" if period is not None else _value(value, unit)


def _signed(number: float, text: str) -> str:
    return text if number == 0 else ("+" if number > 0 else "\u2212") + text


def delta_text(delta, unit: str) -> str:
    """+50 ; −1 200 ; +0,2 point ; −2,5 points (a rate's change in points, never in %)."""
    if delta is None:
        return NONE
    if unit == "rate":
        return _signed(delta, f"{fmt_decimal(abs(delta))} {plural(round(abs(delta), 1), 'point')}")
    return _signed(delta, fmt_int(abs(delta)))


def diff_table(rows: list[dict], new: dict) -> Table:
    """The diff rows as a French table: one line per change, places named as in the newer figures `new`."""
    names = {place.get("spec"): place.get("name") for place in new.get("places", []) if isinstance(place, dict)}
    table = Table(list(COLUMNS), [])
    for row in rows:
        unit = row.get("unit", "count")
        table.rows.append([
            series_label(row["series"]), _one_line(names.get(row["place"]) or row["place"]),
            KINDS.get(row["kind"], _one_line(row["kind"])),
            _figure(row.get("old_period"), row.get("old_value"), unit),
            _figure(row.get("new_period"), row.get("new_value"), unit), delta_text(row.get("delta"), unit)])
    if not rows:
        table.notes.append(NO_CHANGE)
    if any(row["kind"] == "revision" for row in rows):
        table.notes.append(REVISION_NOTE)
    return table
