"""The archive of published monthly notes (data/editions/, written by pipelines/publish/editions.py): which editions
a territory has, their figures, and what changed between two of them.

Layout: data/editions/<folder_name(spec)>/<YYYY-MM>/ holds the first publication of a month, and
<YYYY-MM>/revision-N/ (N >= 2) each later revision; every edition folder holds EDITION_FILES. The archive is read
as it is found: a folder that is not a whole, readable edition (a file missing, a truncated JSON, a name that is
not a month) is left out of the listing, with a French message naming it (skipped()), and never breaks the others.
"""

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from pipelines import paths
from pipelines.read.territories import territory_spec

FIGURES, NOTE_HTML, NOTE_PDF, SOURCES, META = "figures.json", "note.html", "note.pdf", "sources.json", "edition.json"
EDITION_FILES = (FIGURES, NOTE_HTML, NOTE_PDF, SOURCES, META)
MONTH = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")
REVISION_FOLDER = re.compile(r"revision-([1-9][0-9]{0,3})")
# An edition as a user names it: "2026-12" (its latest revision) or "2026-12r2".
REFERENCE = re.compile(r"([0-9]{4}-[0-9]{2})(?:r([1-9][0-9]{0,3}))?")
# Kinds of diff rows for a figure of the fictitious demo files: replaced by a real one, replacing a real one, or
# replaced by another demo figure.
DEMO_REPLACED, REPLACED_BY_DEMO, DEMO_CHANGED = "demo_remplace", "remplace_par_demo", "demo_modifie"
DEMO_KINDS = (DEMO_REPLACED, REPLACED_BY_DEMO, DEMO_CHANGED)
NAME_KEPT = 120  # characters of a folder name: far below every filesystem's limit
ECHOED = 40


@dataclass(frozen=True)
class Edition:
    spec: str
    month: str
    revision: int
    folder: Path
    published_at: str  # ISO 8601, UTC


def folder_name(spec: str) -> str:
    """'epci:243500139' -> 'epci-243500139': only ASCII letters, digits, '-' and '_' (a valid, case-stable name on
    every OS, never a reserved one since it always holds a '-')."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", spec.replace(":", "-", 1))[:NAME_KEPT]


def territory_folder(spec: str) -> Path:
    return paths.EDITIONS_DIR / folder_name(spec)


def edition_folder(spec: str, month: str, revision: int) -> Path:
    month_folder = territory_folder(spec) / month
    return month_folder if revision == 1 else month_folder / f"revision-{revision}"


def _echoed(text: str) -> str:
    return text if len(text) <= ECHOED else text[:ECHOED] + "…"


def parse_month(text: str) -> str:
    """'2026-12' as it is; ValueError (French) for anything else ('2026-13', '12/2026')."""
    if not MONTH.fullmatch(text or ""):
        raise ValueError(f"mois « {_echoed(str(text))} » invalide : AAAA-MM attendu, comme 2026-12")
    return text


def parse_reference(text: str) -> tuple[str, int | None]:
    """'2026-12' -> ('2026-12', None): the month's latest revision; '2026-12r2' -> ('2026-12', 2)."""
    match = REFERENCE.fullmatch(text or "")
    if not match or not MONTH.fullmatch(match.group(1)):
        raise ValueError(f"édition « {_echoed(str(text))} » invalide : AAAA-MM (sa dernière révision) ou AAAA-MMrN "
                         "(la révision N) attendu, comme 2026-12 ou 2026-12r2")
    return match.group(1), int(match.group(2)) if match.group(2) else None


def spec_for(territory_type: str, territory_code: str) -> str | None:
    """The spec under which a territory's editions are filed (the figures' own, e.g. 'departement:35', or the
    command line's 'dep:35'), or None when it has none."""
    for spec in (f"{territory_type}:{territory_code}", territory_spec(territory_type, territory_code)):
        if territory_folder(spec).is_dir():
            return spec
    return None


def _scan(spec: str) -> tuple[list[Edition], list[str]]:
    """Every readable edition of the territory (oldest first), and a message for each thing left out."""
    found, problems = [], []
    base = territory_folder(spec)
    try:
        entries = sorted(base.iterdir()) if base.is_dir() else []
    except OSError as error:
        return [], [f"{base} : dossier illisible ({error.strerror or error}) : éditions ignorées"]
    for month_folder in entries:
        if month_folder.name.startswith("."):  # a publication in progress, or what a killed one left
            continue
        if not month_folder.is_dir() or not MONTH.fullmatch(month_folder.name):
            problems.append(f"{month_folder} : ni une édition ni un dossier de mois (AAAA-MM) : ignoré")
            continue
        candidates = [(1, month_folder)]
        for entry in sorted(month_folder.iterdir()):
            if entry.name.startswith(".") or entry.name in EDITION_FILES:
                continue
            revision = REVISION_FOLDER.fullmatch(entry.name)
            if entry.is_dir() and revision and int(revision.group(1)) >= 2:
                candidates.append((int(revision.group(1)), entry))
            else:
                problems.append(f"{entry} : fichier inconnu dans une édition : ignoré")
        for revision, folder in candidates:
            edition = _edition(spec, month_folder.name, revision, folder)
            if isinstance(edition, str):
                problems.append(edition)
            else:
                found.append(edition)
    return sorted(found, key=lambda edition: (edition.month, edition.revision)), problems


def _edition(spec: str, month: str, revision: int, folder: Path) -> Edition | str:
    """The edition in `folder`, or why it is not one (French, naming the folder)."""
    missing = [name for name in EDITION_FILES if not (folder / name).is_file()]
    if missing:
        return f"{folder} : édition incomplète (manque {', '.join(missing)}) : ignorée"
    try:
        meta = _json(folder / META)
        figures = _json(folder / FIGURES)
    except ValueError as error:
        return f"{error} : édition ignorée"
    if not isinstance(meta, dict) or (meta.get("spec"), meta.get("month"), meta.get("revision")) != \
            (spec, month, revision) or not _is_moment(meta.get("published_at")):
        return f"{folder / META} : ne décrit pas l'édition de ce dossier ({spec}, {month}, révision {revision}) : " \
               "édition ignorée"
    if problem := _shape_problem(figures, spec, month):
        return f"{folder / FIGURES} : {problem} : édition ignorée"
    return Edition(spec, month, revision, folder, meta["published_at"])


def _json(file: Path):
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except OSError as error:
        raise ValueError(f"{file} : illisible ({error.strerror or error})") from error
    except UnicodeDecodeError as error:
        raise ValueError(f"{file} : illisible (pas du texte UTF-8)") from error
    except json.JSONDecodeError as error:
        raise ValueError(f"{file} : JSON invalide ou tronqué (ligne {error.lineno})") from error


def _is_moment(value) -> bool:
    try:
        return isinstance(value, str) and datetime.fromisoformat(value) is not None
    except ValueError:
        return False


def _shape_problem(figures, spec: str, month: str) -> str | None:
    """What in a figures.json would break a reader (the diff, the page), or None."""
    if not isinstance(figures, dict) or not isinstance(figures.get("territory"), dict):
        return "pas des chiffres de note (objet avec « territory » attendu)"
    if (figures["territory"].get("spec"), figures.get("month")) != (spec, month):
        return f"chiffres d'un autre territoire ou d'un autre mois que {spec}, {month}"
    series = figures.get("series")
    if not isinstance(series, list) or not all(
            isinstance(one, dict) and isinstance(one.get("id"), str) and isinstance(one.get("values"), dict)
            and all(isinstance(entry, dict) for entry in one["values"].values()) for one in series):
        return "séries illisibles"
    if not isinstance(figures.get("places", []), list):
        return "lieux illisibles"
    if not isinstance(figures.get("sectors", []), list) or not isinstance(figures.get("sources", []), list):
        return "secteurs ou fichiers sources illisibles"
    return None


def editions(spec: str) -> list[Edition]:
    """Every edition and revision of the territory, oldest first (month, then revision)."""
    return _scan(spec)[0]


def skipped(spec: str) -> list[str]:
    """Why folders of the territory's archive were left out of editions() (French, each naming its folder)."""
    return _scan(spec)[1]


def territories_with_editions() -> list[str]:
    """The specs of the territories with at least one readable edition."""
    try:
        folders = sorted(folder for folder in paths.EDITIONS_DIR.iterdir()
                         if folder.is_dir() and not folder.name.startswith("."))
    except OSError:  # no archive yet
        return []
    specs = [folder.name.replace("-", ":", 1) for folder in folders]
    return [spec for spec in specs if editions(spec)]


def figures_of(edition: Edition) -> dict:
    return json.loads((edition.folder / FIGURES).read_text(encoding="utf-8"))


def latest_of_month(spec: str, month: str) -> Edition | None:
    return next((edition for edition in reversed(editions(spec)) if edition.month == month), None)


def find(spec: str, month: str, revision: int | None = None) -> Edition | None:
    """The edition of `month` with that revision (None: its latest), or None."""
    if revision is None:
        return latest_of_month(spec, month)
    return next((edition for edition in editions(spec) if (edition.month, edition.revision) == (month, revision)),
                None)


def previous_month_edition(spec: str, month: str) -> Edition | None:
    """The newest revision of the newest month before `month`."""
    return next((edition for edition in reversed(editions(spec)) if edition.month < month), None)


# A series whose period is the year it forecasts, published early in that year (BMO: hiring plans surveyed in
# autumn, published in April): its year is not over when a note shows it.
FORECASTS = frozenset({"bmo"})
# The figures of a sector the diff compares: (key, key of its year, unit). "share" is a fraction (0.57 = 57 %, its
# change in points), "change" a relative change over a year (its change in points too), "level" a mean class of
# tension (1 to 5).
SECTOR_FIGURES = (("projects", "bmo_year", "count"), ("difficult_share", "bmo_year", "share"),
                  ("employees", "employment_year", "count"), ("employees_change_1y", "employment_year", "change"),
                  ("tension_level", "tension_year", "level"))
# What the note shows (figures.json also holds `sources`, every raw file's sha256, and `catalog`, the sources'
# texts: a change there alone changes no figure, and publishes nothing).
SHOWN = ("format", "month", "territory", "places", "series", "sectors")
PERIOD = re.compile(r"([0-9]{4})(?:-?T([1-4])|-(0[1-9]|1[0-2]))?")


def period_span(period) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """(first month, last month) of a period, each (year, month): '2025-T2' -> ((2025, 4), (2025, 6)),
    '2024' -> ((2024, 1), (2024, 12)), '2025-01' -> ((2025, 1), (2025, 1)); None for any other text."""
    match = PERIOD.fullmatch(str(period)) if period is not None else None
    if not match:
        return None
    year, quarter, month = match.groups()
    if month:
        return (int(year), int(month)), (int(year), int(month))
    if quarter:
        return (int(year), 3 * int(quarter) - 2), (int(year), 3 * int(quarter))
    return (int(year), 1), (int(year), 12)


def period_order(old, new) -> int:
    """1 when `new` is a later period than `old`, -1 when an earlier one, 0 when the same: by their last month,
    then their first ('2025-T2' after '2024'); text of another form as text."""
    spans = period_span(old), period_span(new)
    before, after = ((spans[0][1], spans[0][0]), (spans[1][1], spans[1][0])) if None not in spans \
        else (str(old), str(new))
    return (after > before) - (after < before)


def shown(figures: dict) -> dict:
    """The part of figures that the note shows (SHOWN): what decides whether a publication is new."""
    return {key: figures.get(key) for key in SHOWN}


def has_demo(figures: dict) -> bool:
    """Whether figures hold anything from the fictitious demo files (a figure, a sector, a raw file)."""
    entries = [entry for series in figures.get("series", []) for entry in series.get("values", {}).values()]
    return any(isinstance(one, dict) and one.get("demo")
               for one in [*entries, *figures.get("sectors", []), *figures.get("sources", [])])


def newest_period_end(figures: dict) -> tuple[int, int] | None:
    """The last month (year, month) of the newest period the figures show, forecasts (FORECASTS) left out."""
    ends = [span[1] for series in figures.get("series", []) if series.get("source") not in FORECASTS
            for entry in series.get("values", {}).values() if (span := period_span(entry.get("period")))]
    ends += [(int(sector[key]), 12) for sector in figures.get("sectors", [])
             for key in ("employment_year", "tension_year") if isinstance(sector.get(key), int)]
    return max(ends, default=None)


def month_problem(figures: dict, month: str, today: date) -> str | None:
    """Why a note of `month` with these figures cannot be published (French), or None: a month to come (after
    today's, UTC), or a month before the end of the newest period it shows (a note of 2001-01 with 2024 figures)."""
    if month > today.strftime("%Y-%m"):
        return (f"mois « {month} » à venir : une note se publie pour le mois en cours ({today.strftime('%Y-%m')}) "
                "ou un mois passé")
    end = newest_period_end(figures)
    if end is not None and month < f"{end[0]:04d}-{end[1]:02d}":
        return (f"mois « {month} » antérieur aux chiffres de la note (ses chiffres les plus récents vont jusqu'en "
                f"{end[1]:02d}/{end[0]}) : choisissez le mois en cours ou un mois depuis {end[0]:04d}-{end[1]:02d}")
    return None


def reference(edition: Edition, among: list[Edition]) -> str:
    """How the CLI (parse_reference) and the page name an edition: its month ('2026-12') when it is the latest
    revision of its month among `among` (the territory's editions), else month and revision ('2026-12r1'). So
    '2026-12' always means the month's latest revision, and a revision that has been superseded keeps 'rN'."""
    latest = max((other.revision for other in among if other.month == edition.month), default=edition.revision)
    return edition.month if edition.revision >= latest else f"{edition.month}r{edition.revision}"


def _known(entry: dict) -> dict:
    """period -> what an entry says of it (value, and for its latest period whether it is a lower bound): its latest
    period, the previous one, a year ago."""
    known = {}
    for period_key, value_key in (("year_ago_period", "year_ago_value"), ("previous_period", "previous_value")):
        if entry.get(period_key) is not None:
            known[str(entry[period_key])] = (entry.get(value_key), False)
    if entry.get("period") is not None:
        known[str(entry["period"])] = (entry.get("value"), bool(entry.get("at_least")))
    return known


def _delta(old, new):
    if isinstance(old, int | float) and isinstance(new, int | float) \
            and not isinstance(old, bool) and not isinstance(new, bool):
        return round(new - old, 6)
    return None


def _changes(was: dict | None, now: dict | None) -> list[tuple]:
    """What changed from one entry (period, value, demo, previous periods...) to the next: (kind, old_period,
    old_value, new_period, new_value, delta) for each change. A figure of the demo files replaced (or replacing, or
    replaced by another) is one change of its own kind: never a revision by the publisher, nor a new period."""
    if was is None:
        return [("ajout", None, None, now.get("period"), now.get("value"), None)]
    if now is None:
        return [("retrait", was.get("period"), was.get("value"), None, None, None)]
    figures = was.get("period"), was.get("value"), now.get("period"), now.get("value")
    known_before, known_after = _known(was), _known(now)
    if was.get("demo") or now.get("demo"):
        if was.get("demo") and now.get("demo"):
            # two fictitious figures: their difference is the demo's own (shown, as the demo shows revisions)
            delta = _delta(figures[1], figures[3]) if figures[0] == figures[2] else None
            return [] if known_before == known_after else [(DEMO_CHANGED, *figures, delta)]
        return [(DEMO_REPLACED if was.get("demo") else REPLACED_BY_DEMO, *figures, None)]
    rows = []
    if order := period_order(was.get("period"), now.get("period")):
        rows.append(("nouvelle_periode" if order > 0 else "periode_anterieure", *figures, None))
    for period in sorted(set(known_before) & set(known_after), reverse=True):
        if known_before[period] != known_after[period]:
            old, new = known_before[period][0], known_after[period][0]
            rows.append(("revision", period, old, period, new, _delta(old, new)))
    return rows


def _row(series: str, unit: str, place: str, change: tuple, **extra) -> dict:
    kind, old_period, old_value, new_period, new_value, delta = change
    return {"series": series, "unit": unit, "place": place, "kind": kind, "old_period": old_period,
            "old_value": old_value, "new_period": new_period, "new_value": new_value, "delta": delta, **extra}


def _sector_entry(sector: dict | None, key: str, year_key: str) -> dict | None:
    """One figure of a sector as an entry of the diff (its year as period), or None when the sector has none."""
    if not isinstance(sector, dict) or sector.get(key) is None:
        return None
    at_least = key == "difficult_share" and bool(sector.get("difficult_share_is_lower_bound"))
    year = sector.get(year_key)
    return {"period": None if year is None else str(year), "value": sector[key], "demo": bool(sector.get("demo")),
            "at_least": at_least}


def _sector_rows(old: dict, new: dict) -> list[dict]:
    """The changes of the sectors' figures (projects, share judged difficult and whether it is a lower bound,
    employees and their change, tension), in the new figures' order of sectors; the place is the territory."""
    before = {sector.get("sector_code"): sector for sector in old.get("sectors", []) if isinstance(sector, dict)}
    after = {sector.get("sector_code"): sector for sector in new.get("sectors", []) if isinstance(sector, dict)}
    place = (new.get("territory") or {}).get("spec")
    rows = []
    for code in [*after, *(code for code in before if code not in after)]:
        label = (after.get(code) or before[code]).get("label") or code
        for key, year_key, unit in SECTOR_FIGURES:
            was, now = _sector_entry(before.get(code), key, year_key), _sector_entry(after.get(code), key, year_key)
            for change in _changes(was, now) if was or now else []:
                extra = {"old_at_least": bool(was and was["at_least"]), "new_at_least": bool(now and now["at_least"])} \
                    if key == "difficult_share" else {}
                rows.append(_row(key, unit, place, change, sector=code, sector_label=label, **extra))
    return rows


def diff(old: dict, new: dict) -> list[dict]:
    """What changed from the figures `old` to `new`, per series × place, then per sector × figure (rows with a
    `sector` and its `sector_label`; the place is the territory). Kinds: "ajout" (a figure that was not there),
    "nouvelle_periode" (a later period), "periode_anterieure" (an earlier period: a file replaced by an older one),
    "retrait" (a figure no longer there), "revision" for every period both know with another value (the latest one,
    or a previous one the new figures repeat), `delta` = new − old (points for a rate); and DEMO_KINDS when the old
    or the new figure comes from the demo files (no delta between a fictitious figure and a real one). In the order of
    the new figures' series and places."""
    old_series = {one["id"]: one for one in old.get("series", [])}
    new_series = {one["id"]: one for one in new.get("series", [])}
    order = {spec: rank for rank, spec in enumerate(
        place.get("spec") for figures in (new, old) for place in figures.get("places", []) if isinstance(place, dict))}
    rows = []
    for series_id in [*new_series, *(key for key in old_series if key not in new_series)]:
        before = old_series.get(series_id, {}).get("values", {})
        after = new_series.get(series_id, {}).get("values", {})
        unit = (new_series.get(series_id) or old_series[series_id]).get("unit", "count")
        for place in sorted({*before, *after}, key=lambda spec: (order.get(spec, len(order)), spec)):
            rows += [_row(series_id, unit, place, change) for change in _changes(before.get(place), after.get(place))]
    return rows + _sector_rows(old, new)
