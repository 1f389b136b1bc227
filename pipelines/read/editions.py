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
from datetime import datetime
from pathlib import Path

from pipelines import paths
from pipelines.read.territories import territory_spec

FIGURES, NOTE_HTML, NOTE_PDF, SOURCES, META = "figures.json", "note.html", "note.pdf", "sources.json", "edition.json"
EDITION_FILES = (FIGURES, NOTE_HTML, NOTE_PDF, SOURCES, META)
MONTH = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")
REVISION_FOLDER = re.compile(r"revision-([1-9][0-9]{0,3})")
# An edition as a user names it: "2026-12" (its latest revision) or "2026-12r2".
REFERENCE = re.compile(r"([0-9]{4}-[0-9]{2})(?:r([1-9][0-9]{0,3}))?")
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


def _known(entry: dict) -> dict:
    """period -> value of what an entry says (its latest period, the previous one, a year ago)."""
    known = {}
    for period_key, value_key in (("year_ago_period", "year_ago_value"), ("previous_period", "previous_value"),
                                  ("period", "value")):
        if entry.get(period_key) is not None:
            known[str(entry[period_key])] = entry.get(value_key)
    return known


def _delta(old, new):
    if isinstance(old, int | float) and isinstance(new, int | float) \
            and not isinstance(old, bool) and not isinstance(new, bool):
        return round(new - old, 6)
    return None


def _row(series: dict, place: str, kind: str, old_period=None, old_value=None, new_period=None, new_value=None,
         delta=None) -> dict:
    return {"series": series["id"], "unit": series.get("unit", "count"), "place": place, "kind": kind,
            "old_period": old_period, "old_value": old_value, "new_period": new_period, "new_value": new_value,
            "delta": delta}


def diff(old: dict, new: dict) -> list[dict]:
    """What changed from the figures `old` to `new`, per series × place: "ajout" (a figure that was not there),
    "nouvelle_periode" (a later period), "retrait" (a figure no longer there), and "revision" for every period
    both know with another value (the latest one, or a previous one the new figures repeat), `delta` = new − old
    (points for a rate). In the order of the new figures' series and places."""
    old_series = {one["id"]: one for one in old.get("series", [])}
    new_series = {one["id"]: one for one in new.get("series", [])}
    order = {spec: rank for rank, spec in enumerate(
        place.get("spec") for figures in (new, old) for place in figures.get("places", []) if isinstance(place, dict))}
    rows = []
    for series_id in [*new_series, *(key for key in old_series if key not in new_series)]:
        before = old_series.get(series_id, {}).get("values", {})
        after = new_series.get(series_id, {}).get("values", {})
        series = new_series.get(series_id) or old_series[series_id]
        for place in sorted({*before, *after}, key=lambda spec: (order.get(spec, len(order)), spec)):
            was, now = before.get(place), after.get(place)
            if was is None:
                rows.append(_row(series, place, "ajout", new_period=now.get("period"), new_value=now.get("value")))
                continue
            if now is None:
                rows.append(_row(series, place, "retrait", old_period=was.get("period"), old_value=was.get("value")))
                continue
            if was.get("period") != now.get("period"):
                rows.append(_row(series, place, "nouvelle_periode", was.get("period"), was.get("value"),
                                 now.get("period"), now.get("value")))
            known_before, known_after = _known(was), _known(now)
            for period in sorted(set(known_before) & set(known_after), reverse=True):
                if known_before[period] != known_after[period]:
                    rows.append(_row(series, place, "revision", period, known_before[period], period,
                                     known_after[period], _delta(known_before[period], known_after[period])))
    return rows
