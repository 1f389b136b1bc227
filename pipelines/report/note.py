"""The monthly note of a territory, worded from its figures (read/note.note_figures) as a note_model.Note.

Everything is worded here from the figures dict alone (no marts): the key figures beside the département, région
and France, what changed since the previous edition, the sectors, the flags of report/vigilance.py, the caveats of
the source catalog and the glossary. Two A4 portrait pages at 9 pt: about 60 table lines and 40 text lines.
Honesty rules, as in the zoom: a partial sum of communes is never the territory's figure, a rate taken from a zone
d'emploi says which, a figure of another place says whose it is, a share biased by secret cells says "au moins".
"""

import re
from datetime import date

from pipelines.frformat import display_name, fmt_count, fmt_int, fmt_pct, lower_first, period_text, plural
from pipelines.report import glossary, vigilance
from pipelines.report.conventions import APPRENTICE_BREAK, DEMO_NOTICE
from pipelines.report.figures import (
    BMO_SOURCE,
    HIRES_SOURCE,
    JOB_SEEKERS_SOURCE,
    MARKET_SOURCE,
    PARTIAL_SUM,
    TENSION_SOURCE,
    TERRITORY_NOUNS,
    URSSAF_SOURCE,
    change_over,
    level_of_five,
    of_name,
    of_noun,
    partial_sum_note,
    share_text,
)
from pipelines.report.note_model import Bullets, Definitions, Note, Paragraphs, Section, Table
from pipelines.report.release_calendar import late_since, next_release
from pipelines.report.sentences import (
    STABLE,
    change_words,
    fmt_change_of,
    fmt_day,
    fmt_value,
    place_noun,
    trend,
    zone_phrase,
)

TITLE = "Note mensuelle sur l'emploi"
LABELS = {
    "demandeurs_a": "Demandeurs d'emploi, catégorie A",
    "demandeurs_abc": "Demandeurs d'emploi, catégories A, B, C",
    "taux_chomage": "Taux de chômage (CVS)",
    "emploi_salarie": "Emploi salarié au 31 décembre",
    "etablissements": "Établissements employeurs",
    "embauches": "Embauches (DPAE)",
    "offres": "Offres d'emploi enregistrées",
    "projets_bmo": "Projets de recrutement (BMO)",
}
# Why a figure is missing (read/note reason codes): the cell's word, then the table's footnote.
REASONS = {
    "not_loaded": ("non chargé", "aucun fichier de la source n'a été importé."),
    "not_published_at_level": ("non publié à cette échelle",
                               "la source ne publie pas ce chiffre pour ce type de territoire."),
    "no_data": ("pas de donnée", "la source est chargée, sans chiffre pour ce territoire."),
}
# What a source's caveats are about, when two sources share a publisher (Urssaf, France Travail).
TOPICS = {"dares_defm": "Demandeurs d'emploi", "insee_chomage": "Taux de chômage", "urssaf": "Emploi salarié",
          "urssaf_dpae": "Embauches", "france_travail": "Offres d'emploi", "bmo": "Projets de recrutement"}
ROLE_OF = {"departement": "du département", "region": "de la région", "france": "de la France"}
SPANS = {"quarter": ("trim.", "un trimestre"), "year": ("an", "un an")}  # (in a cell, in a sentence)
# The key figures' rows: short labels (the sentences say LABELS), the publisher added on a second line when each
# holds on one line of the label column (about LABEL_CHARS characters on the A4 page).
ROW_LABELS = {
    "demandeurs_a": "Demandeurs d'emploi cat. A",
    "demandeurs_abc": "Demandeurs d'emploi cat. A, B, C",
    "offres": "Offres enregistrées",
}
LABEL_CHARS = 34
CELL_NOTE = "Évolutions sur un trimestre (« trim. ») et sur un an (« an ») ; pour un taux, en points (pt)."
NO_FLAG = "Aucun point de vigilance selon les règles de la note."
# A source's line when neither the catalog nor the raw files name it: the zoom's.
SOURCE_LINES = {"bmo": BMO_SOURCE, "urssaf": URSSAF_SOURCE, "dares_tensions": TENSION_SOURCE,
                "dares_defm": JOB_SEEKERS_SOURCE, "urssaf_dpae": HIRES_SOURCE, "france_travail": MARKET_SOURCE}
SECTOR_SOURCES = ("bmo", "urssaf", "dares_tensions")  # the sources of the sector table's columns


def build_note(figures: dict, previous: dict | None = None, revision: int = 1) -> Note:
    """The note of `figures`; `previous` is the figures of the territory's previous edition (an earlier month),
    for "Quoi de neuf"; `revision` the edition's revision number (1: first publication of the month)."""
    month = period_text(figures["month"])
    demo = demo_parts(figures)
    flags = vigilance.flags(figures)
    return Note(
        title=TITLE,
        territory=territory_label(figures["territory"]),
        month=month,
        sections=[
            Section("Chiffres clés", key_figures(figures)),
            Section("Quoi de neuf depuis la note précédente", whats_new(figures, previous)),
            Section("Les quatre secteurs", [sectors_table(figures)]),
            Section("Points de vigilance", [Bullets([flag.text for flag in flags])] if flags
                    else [Paragraphs([NO_FLAG])]),
            Section("Avertissements", [Bullets(warning_lines(figures, demo))]),
            Section("Glossaire", [Definitions(glossary.note_terms())]),
        ],
        footer=f"Édition {of_name(month)}" + (f", révision {revision}" if revision > 1 else ""),
        demo_warning=f"{DEMO_NOTICE} : {' ; '.join(demo)}." if demo else "",
    )


def territory_label(territory: dict) -> str:
    """'Rennes Métropole (EPCI 243500139)', 'Rennes (zone d'emploi 5315)', 'Mission locale (liste de communes)'."""
    name = display_name(territory["name"] or territory["code"])
    kind = territory["type"]
    if kind == "france":
        return "France"
    if kind == "liste" or kind not in TERRITORY_NOUNS:
        return f"{name} (liste de communes)"
    return f"{name} ({TERRITORY_NOUNS[kind][1]} {territory['code']})"


def _name(place: dict) -> str:
    return display_name(place["name"] or place["code"])


def _shown(figures: dict) -> list[dict]:
    """The series with a value for at least one place of the note: the rows of the key figures."""
    specs = [place["spec"] for place in figures["places"]]
    return [series for series in figures["series"] if any(spec in series["values"] for spec in specs)]


def _label(series: dict) -> str:
    return LABELS.get(series["id"], series["id"])


def _catalog(figures: dict) -> dict[str, dict]:
    return {entry["source"]: entry for entry in figures["catalog"]}


def _source(figures: dict, source: str) -> dict | None:
    return _catalog(figures).get(source) or next((s for s in figures["sources"] if s["source"] == source), None)


def _publisher_title(figures: dict, source: str) -> tuple[str, str]:
    """A source's publisher and title: its catalog entry, its raw files', or the zoom's line of it."""
    known = _source(figures, source)
    if known:
        return known["publisher"], known["title"]
    name, _, title = SOURCE_LINES.get(source, source).partition(", ")
    return name, title


def publisher(figures: dict, source: str) -> str:
    return _publisher_title(figures, source)[0]


def source_line(figures: dict, source: str) -> str:
    """'Dares : Demandeurs d'emploi…', the line that names a source under a table."""
    name, title = _publisher_title(figures, source)
    return f"{name} : {title}" if title else name


def coverage_words(entry: dict) -> str:
    """'40 communes sur 43': the communes a partial sum holds, of the territory's."""
    coverage = entry.get("coverage") or {}
    have, total = coverage.get("communes_with_data"), coverage.get("territory_communes")
    if have is None:
        return "communes chargées seulement"
    return fmt_count(have, "commune") + (f" sur {fmt_int(total)}" if total else ", total du territoire inconnu")


def partial_words(entry: dict) -> str:
    """'somme partielle : 40 communes sur 43': a sum over part of the territory's communes, never its total."""
    return f"{PARTIAL_SUM} : {coverage_words(entry)}"


def _whose(figures: dict, entry: dict) -> str:
    """'du département': whose figure a figure of another place is (DPAE hires of the département)."""
    place = next((p for p in figures["places"] if p["spec"] == entry["context_of"]), None)
    return ROLE_OF.get(place["role"], of_noun(place_noun(place))) if place else "d'un autre territoire"


def _context_words(figures: dict, entry: dict) -> str:
    return f"(chiffre {_whose(figures, entry)})"


class Marks:
    """The footnote marks of a table, "(a)", "(b)"…: a remark that would make a cell taller is marked on the
    figure and said once under the table (the same remark gets the same mark)."""

    def __init__(self):
        self.remarks: dict[str, str] = {}

    def mark(self, remark: str) -> str:
        count = len(self.remarks)
        return self.remarks.setdefault(remark, f"({chr(ord('a') + count) if count < 26 else count + 1})")

    def notes(self) -> list[str]:
        return [f"{mark} {remark}" for remark, mark in self.remarks.items()]


def remarks(figures: dict, series: dict, place: dict, period: str) -> list[str]:
    """What a reader must know about a place's figure in the key figures (marked on it, said under the table): a
    period other than the row's, the zone d'emploi whose rate it is, another place's figure given for context, the
    apprentices' break in its change."""
    entry, label, said = series["values"][place["spec"]], _label(series), []
    if entry["period"] != period:
        said.append(f"{_name(place)} : chiffre de la période {period_text(entry['period'])}.")
    if entry.get("zone"):
        said.append(f"{label} : taux de {zone_phrase(entry['zone'])}.")
    if entry.get("context_of"):
        said.append(f"{label} : chiffre {_whose(figures, entry)}, non publié pour {place_noun(place)}.")
    if entry.get("apprentice_break"):  # the catalog's caveat says more
        said.append(f"{label} : {APPRENTICE_BREAK}, l'évolution sur un an enjambe ce changement (voir "
                    "Avertissements).")
    return said


def value_cell(figures: dict, series: dict, place: dict, period: str, marks: Marks) -> str:
    """A cell of the key figures, three short lines at most: the value (with its footnote marks), its change over
    the previous period ("trim.", quarterly series) and over one year ("an"); for BMO projects, the share judged
    difficult. A partial sum says so instead of a value."""
    entry, unit = series["values"][place["spec"]], series["unit"]
    if entry.get("partial"):
        return partial_words(entry).replace(" : ", " :\n", 1)
    lines = [" ".join([fmt_value(entry["value"], unit),
                       *map(marks.mark, remarks(figures, series, place, period))])]
    if series["frequency"] == "quarter" and entry.get("change_previous") is not None:
        lines.append(f"{fmt_change_of(entry['change_previous'], unit)} {SPANS['quarter'][0]}")
    if entry.get("change_1y") is not None:
        lines.append(f"{fmt_change_of(entry['change_1y'], unit)} {SPANS['year'][0]}")
    if entry.get("difficult_share") is not None:  # BMO projects of all sectors
        lines.append(f"{share_text(entry, 'difficult')} difficiles")
    return "\n".join(lines)


def _row_period(figures: dict, series: dict) -> str:
    """The period of a row: the territory's, else the first place's that has one."""
    for place in figures["places"]:
        if place["spec"] in series["values"]:
            return series["values"][place["spec"]]["period"]
    return ""


def row_label(figures: dict, series: dict) -> str:
    """The short label of a row, its publisher on a second line when each fits on one line of the label column
    ('Demandeurs d'emploi cat. A\n(Dares)'): no taller than its figures. The source notes name every source."""
    label, name = ROW_LABELS.get(series["id"], _label(series)), f"({publisher(figures, series['source'])})"
    return f"{label}\n{name}" if max(len(label), len(name)) <= LABEL_CHARS else label


def key_figures(figures: dict) -> list:
    """One row per series with a value somewhere: the territory, then each place of comparison."""
    places, rows, reasons, shown, marks = figures["places"], [], [], _shown(figures), Marks()
    for series in shown:
        period = _row_period(figures, series)
        cells = []
        for place in places:
            entry = series["values"].get(place["spec"])
            if entry:
                cells.append(value_cell(figures, series, place, period, marks))
                continue
            reason = series["unavailable"].get(place["spec"])
            cells.append(REASONS[reason][0] if reason in REASONS else "n.d.")
            reasons += [reason] if reason in REASONS else []
        rows.append([row_label(figures, series), period_text(period), *cells])
    notes = [CELL_NOTE, *marks.notes()]
    notes += reason_notes(reasons)
    notes += source_notes(figures)
    missing = [f"{lower_first(_label(s))} ({_reason_word(figures, s)})" for s in figures["series"] if s not in shown]
    if missing:
        notes.append(f"Sans chiffre pour ces territoires : {' ; '.join(missing)}.")
    table = Table(["Indicateur", "Période", *(_name(place) for place in places)], rows, notes)
    return [table]


def reason_notes(reasons) -> list[str]:
    """'Pas de donnée : la source est chargée, sans chiffre pour ce territoire.': what each missing figure's word
    means, once each, in order."""
    return [f"{REASONS[reason][0].capitalize()} : {REASONS[reason][1]}" for reason in dict.fromkeys(reasons)]


def _reason_word(figures: dict, series: dict) -> str:
    reason = series["unavailable"].get(figures["territory"]["spec"])
    return REASONS[reason][0] if reason in REASONS else "n.d."


def source_notes(figures: dict) -> list[str]:
    """The sources of the rows (each row names its publisher under its label): 'Sources : Dares : Demandeurs… ;
    Insee : …'."""
    sources = list(dict.fromkeys(series["source"] for series in _shown(figures)))
    return [f"{plural(len(sources), 'Source')} — {' ; '.join(source_line(figures, s) for s in sources)}."] \
        if sources else []


# --- Quoi de neuf ---------------------------------------------------------------------------------------------------
def month_start(month: str) -> date:
    """'2026-12' -> 1 December 2026."""
    year, number = month.split("-")
    return date(int(year), int(number), 1)


def release_text(figures: dict, source: str, period: str = "") -> str:
    """'prochaine publication attendue vers le 28 janvier 2027 (Dares)', from the catalog's release calendar and
    the note's month; the source's own words when it announces no date; and when a period newer than `period` was
    due by the note's month, that the file loaded is behind."""
    entry = _catalog(figures).get(source)
    if not entry:
        return "date de la prochaine publication inconnue"
    start = month_start(figures["month"])
    late = late_since(entry.get("releases"), period, bool(entry.get("published_in_period")), start)
    if late:
        return (f"une période plus récente était attendue vers le {fmt_day(late)} ({entry['publisher']}) : fichier "
                "à mettre à jour (python -m pipelines fetch, ou import du fichier publié)")
    day = next_release(entry.get("releases"), start)
    if day:
        return f"prochaine publication attendue vers le {fmt_day(day)} ({entry['publisher']})"
    if entry.get("release_note"):
        return f"prochaine publication : {entry['release_note']} ({entry['publisher']})"
    return f"pas de date de publication annoncée ({entry['publisher']})"


def _territory_figure(figures: dict, series: dict, entry: dict) -> str:
    """'10 400, en hausse de 4,0 % sur un trimestre'; a partial sum says so instead of a value."""
    if entry.get("partial"):
        return partial_words(entry)
    words = fmt_value(entry["value"], series["unit"])
    if entry.get("context_of"):
        words += f" {_context_words(figures, entry)}"
    change = trend(entry.get("change_previous"), series["unit"], SPANS[series["frequency"]][1]) \
        or trend(entry.get("change_1y"), series["unit"], SPANS["year"][1])
    return words + (f", {change}" if change else "")


def _previous_values(previous: dict, series_id: str) -> dict:
    """A series' values in the previous edition, read back from its frozen JSON: whatever is not in the expected
    shape counts as absent."""
    listed = previous.get("series") if isinstance(previous.get("series"), list) else []
    found = next((s for s in listed if isinstance(s, dict) and s.get("id") == series_id), {})
    return found.get("values") if isinstance(found.get("values"), dict) else {}


def _new_periods(figures: dict, series: dict, previous: dict) -> dict[tuple[str, str | None], list[dict]]:
    """(new period, period of the previous note or None) -> the places with a newer period than in the previous
    note (or none there)."""
    before = _previous_values(previous, series["id"])
    groups: dict[tuple[str, str | None], list[dict]] = {}
    for place in figures["places"]:
        entry, old = series["values"].get(place["spec"]), before.get(place["spec"])
        old = old if isinstance(old, dict) and isinstance(old.get("period"), str) else None
        if entry and (old is None or entry["period"] > old["period"]):
            groups.setdefault((entry["period"], old["period"] if old else None), []).append(place)
    return groups


def _older_period(figures: dict, series: dict, previous: dict) -> str | None:
    """The territory's period in the previous note when it was newer than this note's (else None)."""
    old = _previous_values(previous, series["id"]).get(figures["territory"]["spec"])
    new = series["values"].get(figures["territory"]["spec"])
    if isinstance(old, dict) and isinstance(old.get("period"), str) and new and old["period"] > new["period"]:
        return old["period"]
    return None


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} et {names[-1]}"


def _new_line(figures: dict, series: dict, groups: dict[tuple[str, str | None], list[dict]]) -> str:
    """"Demandeurs d'emploi, catégorie A : T2 2025 (au lieu de T1 2025) : 10 400, en hausse de 4,0 % sur un
    trimestre": the territory's new figure; the places are named when not all of the table's got the period."""
    territory = figures["territory"]["spec"]
    with_values = [place for place in figures["places"] if place["spec"] in series["values"]]
    parts = []
    for (new, old), places in groups.items():
        where = ("" if places == with_values or [place["spec"] for place in places] == [territory] else
                 f"pour {_listed([_name(place) for place in places])}")
        part = " ".join(word for word in (period_text(new), where, f"({_before(old)})") if word)
        if any(place["spec"] == territory for place in places):
            part += f" : {_territory_figure(figures, series, series['values'][territory])}"
        parts.append(part)
    return f"{_label(series)} : {' ; '.join(parts)}."


def _before(period: str | None) -> str:
    return f"au lieu de {period_text(period)}" if period else "absent de la note précédente"


def whats_new(figures: dict, previous: dict | None) -> list:
    """Which series got a new period since the previous edition (with the territory's new figure), and for the
    others (grouped by source) when the next publication is expected."""
    lines, waiting = [], {}
    for series in _shown(figures):
        groups = _new_periods(figures, series, previous) if previous is not None else {}
        if groups:
            lines.append(_new_line(figures, series, groups))
            continue
        period = _row_period(figures, series)
        older = _older_period(figures, series, previous) if previous is not None else None
        if older:  # a file replaced by an older one: never said "toujours"
            state = f"période plus ancienne que dans la note précédente ({period_text(older)} → {period_text(period)})"
        elif previous is not None:
            state = f"toujours {period_text(period)}"
        else:
            state = f"dernière période {period_text(period)}"
        waiting.setdefault((series["source"], state, period), []).append(_label(series))
    for (source, state, period), labels in waiting.items():
        shown = " ; ".join([labels[0], *map(lower_first, labels[1:])])
        lines.append(f"{shown} : {state} ; {release_text(figures, source, period)}.")
    territory = of_noun(place_noun(figures["territory"]))
    if previous is None:
        opening = f"Première note {territory} : pas de note précédente à comparer."
    else:
        opening = f"Depuis la note {of_name(period_text(str(previous.get('month') or 'mois inconnu')))} :"
    return [Paragraphs([opening]), Bullets(lines)] if lines else [Paragraphs([opening])]


# --- Les quatre secteurs --------------------------------------------------------------------------------------------
def _sector_reason(figures: dict, series_id: str | None = None, loaded: bool = True) -> str:
    """Why a sector's figure is missing (a REASONS code): the territory's reason for the series of all sectors
    (BMO projects, employment), else "no_data" when its source is `loaded`, "not_loaded" when not."""
    series = next((s for s in figures["series"] if s["id"] == series_id), {})
    reason = series.get("unavailable", {}).get(figures["territory"]["spec"])
    return reason if reason in REASONS else "no_data" if loaded else "not_loaded"


def _bmo_cell(figures: dict, sector: dict) -> str:
    if sector.get("bmo_year") is None:
        return REASONS[_sector_reason(figures, "projets_bmo")][0]
    projects = sector.get("projects")
    count = fmt_int(projects, sector.get("secret_cells") or 0)
    return (f"{count} {plural(projects, 'projet')} en {sector['bmo_year']}\n"
            f"{share_text(sector, 'difficult')} difficiles")


def _employment_cell(figures: dict, sector: dict) -> str:
    if sector.get("employees") is None:
        return REASONS[_sector_reason(figures, "emploi_salarie")][0]
    if sector.get("employment_partial"):
        entry = next((s for s in figures["series"] if s["id"] == "emploi_salarie"), {"values": {}})["values"].get(
            figures["territory"]["spec"], {})
        return partial_words(entry if entry.get("partial") else {}).replace(" : ", " :\n", 1)
    change = sector.get("employees_change_1y")
    verb, shown = change_words(change)
    lines = [f"{fmt_int(sector['employees'])} salariés fin {sector['employment_year']}",
             "pas d'année précédente" if change is None else
             f"stable sur un an ({shown})" if verb == "est stable" else change_over(change)]
    if sector.get("apprentice_break_1y"):
        lines.append(f"({APPRENTICE_BREAK})")
    return "\n".join(lines)


def _tension_cell(figures: dict, sector: dict) -> str:
    if sector.get("tension_level") is None:
        loaded = any(s.get("tension_level") is not None for s in figures["sectors"]) or \
            any(source["source"] == "dares_tensions" for source in figures["sources"])
        return REASONS[_sector_reason(figures, loaded=loaded)][0]
    lines = [f"{level_of_five(sector['tension_level'])} en {sector['tension_year']}"]
    count, total = sector.get("metiers_in_tension"), sector.get("metiers")
    if count is not None and total:
        lines.append(f"{fmt_int(count) if count else 'aucun'} {plural(count, 'métier')} en tension sur "
                     f"{fmt_int(total)}")
    return "\n".join(lines)


def sectors_table(figures: dict) -> Table:
    """One row per sector: BMO projects and their share judged difficult, employment and its change, tension."""
    rows = [[sector["label"], _bmo_cell(figures, sector), _employment_cell(figures, sector),
             _tension_cell(figures, sector)] for sector in figures["sectors"]]
    # The words of missing figures, said under this table when the key figures' notes do not say them already.
    said = {cell for table in key_figures(figures) for cells in table.rows for cell in cells[2:]}
    notes = reason_notes(code for code, (word, _) in REASONS.items()
                         if any(word in cells[1:] for cells in rows) and word not in said)
    if any(sector.get("difficult_share_is_lower_bound") for sector in figures["sectors"]):
        notes.append("« au moins » : les projets des cellules secrètes ne sont pas comptés (voir Secret statistique).")
    notes.append(f"« Stable » : moins de {fmt_pct(STABLE)} d'écart sur un an. Tension : moyenne des classes (1 à 5) "
                 "des métiers du secteur ; un métier est en tension en classe 4 ou 5.")
    # The sources of the key figures are named under them already.
    named = {series["source"] for series in _shown(figures)}
    sources = [source_line(figures, source) for source in SECTOR_SOURCES if source not in named]
    notes += [f"{plural(len(sources), 'Source')} — {' ; '.join(sources)}."] if sources else []
    return Table(["Secteur", "Projets de recrutement", "Emploi salarié", "Tension"], rows, notes)


# --- Avertissements -------------------------------------------------------------------------------------------------
def _period_end(period: str) -> tuple[int, int] | None:
    """(year, last month) of a period: '2025-T2' -> (2025, 6), '2024' -> (2024, 12), '2025-01' -> (2025, 1)."""
    if match := re.fullmatch(r"([0-9]{4})(?:-?T([1-4])|-([0-9]{2}))?", period):
        year, quarter, month = match.groups()
        return int(year), int(month) if month else 3 * int(quarter) if quarter else 12
    return None


def _applies(caveat: dict, periods: list[str]) -> bool:
    """A caveat holds since a period ("" : always): shown when the newest period of the source in the note is on
    or after its start ('2023' starts in January)."""
    since = caveat.get("since") or ""
    match = re.fullmatch(r"([0-9]{4})(?:-([0-9]{2}))?", since)
    if not match:
        return True
    start = (int(match.group(1)), int(match.group(2) or 1))
    ends = [end for end in map(_period_end, periods) if end]
    return not ends or max(ends) >= start


def warning_lines(figures: dict, demo: list[str]) -> list[str]:
    """The caveats the catalog declares for the sources of the figures shown, the partial sums, the demo notice:
    never typed into the note. (A zone d'emploi's rate, another place's figure: said under the key figures.)"""
    lines = []
    periods: dict[str, list[str]] = {}
    about: dict[str, set[str]] = {}  # source -> the parts of it the note shows (a caveat "about" another: left out)
    for series in _shown(figures):
        periods.setdefault(series["source"], []).extend(entry["period"] for entry in series["values"].values())
        about.setdefault(series["source"], {""}).add(series["id"].split("_")[0])
    for entry in figures["catalog"]:
        said = [caveat["text"] for caveat in entry.get("caveats") or [] if entry["source"] in periods
                and (caveat.get("about") or "") in about[entry["source"]]
                and _applies(caveat, periods[entry["source"]])]
        if said:  # one line per source: the caveats say their own dates; after the colon, no capital
            said[0] = lower_first(said[0])
            topic = TOPICS.get(entry["source"])
            lines.append(f"{topic} ({entry['publisher']}) : {' '.join(said)}" if topic
                         else f"{entry['publisher']} : {' '.join(said)}")
    names = {place["spec"]: _name(place) for place in figures["places"]}
    for series in _shown(figures):
        for spec, entry in series["values"].items():
            if entry.get("partial"):
                coverage = f"couverture partielle ({coverage_words(entry)})"
                lines.append(f"{_label(series)}, {names.get(spec, spec)} : {lower_first(partial_sum_note(coverage))}")
    if demo:
        lines.append(f"{DEMO_NOTICE} : {' ; '.join(demo)}. Ils ne décrivent aucun territoire réel.")
    return lines or ["Aucun avertissement des sources pour les chiffres de cette note."]


def demo_parts(figures: dict) -> list[str]:
    """What comes from the fictitious demo files: the series and the sectors shown, and the reference files
    (perimeters, correspondences) as one part; 'tous les chiffres' when every figure does."""
    shown = _shown(figures)
    demo = [series for series in shown if any(entry.get("demo") for entry in series["values"].values())]
    sectors = any(sector.get("demo") for sector in figures["sectors"])
    if shown and len(demo) == len(shown) and sectors:
        return ["tous les chiffres de cette note"]
    parts = [lower_first(_label(series)) for series in demo] + (["chiffres des secteurs"] if sectors else [])
    sources = {series["source"] for series in figures["series"]}
    if any(source.get("demo") and source["source"] not in sources for source in figures["sources"]):
        parts.append("fichiers de référence (périmètres, correspondances)")
    elif any(source.get("demo") for source in figures["sources"]) and not parts:
        parts.append("fichiers de sources")
    return parts
