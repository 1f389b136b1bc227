"""Publishing a territory's monthly note as a frozen edition (issue 13).

publish() writes data/editions/<territory>/<YYYY-MM>/ (first publication of the month) or
<YYYY-MM>/revision-N/ (the figures changed since the month's latest revision), each whole or not at all (a
temporary folder renamed), under the data lock as every writer of data/. An edition folder, once there, is never
rewritten nor removed; figures that show what the month's latest revision shows publish nothing (a change of the
raw files' list or of the sources' texts alone changes no figure: read.editions.SHOWN). A month to come, or a month
before the newest period the figures show, is refused. Only this module writes data/editions/: imports and builds
never touch it.
"""

import json
import shutil
import sys
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from pipelines import atomic, datalock, errors
from pipelines.read import editions as archive
from pipelines.read.note import figures_json
from pipelines.report.edition_diff import diff_table
from pipelines.report.note import build_note
from pipelines.report.note_html import note_html
from pipelines.report.note_model import Section
from pipelines.report.note_pdf import note_pdf

NEW, REVISION, UNCHANGED = "nouvelle", "revision", "inchangee"
REVISED_TITLE = "Chiffres révisés depuis la révision précédente"
NOTHING_PUBLISHED = "aucune édition n'a été écrite"
# What sources.json adds to each raw file of the figures, from the manifest of raw files.
FILE_FIELDS = ("path", "retrieved_at", "bytes")


@dataclass(frozen=True)
class PublishResult:
    status: str  # NEW, REVISION or UNCHANGED
    edition: archive.Edition  # the one written; for UNCHANGED, the month's latest revision (same figures)
    revised: list[dict] = field(default_factory=list)  # diff rows against the month's previous revision
    # UNCHANGED only: the raw files (or the sources' texts) differ from the latest revision's, its figures do not.
    raw_files_changed: bool = False


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def sources_json(sources: list[dict], files: list[dict]) -> bytes:
    """The raw files the figures were built from (their `sources`), each with where it is stored, when it was
    retrieved and its size, from the manifest entry with the same source and sha256 (None when the manifest no
    longer has it: replaced since the marts were built)."""
    by_digest = {(entry.get("source"), entry.get("sha256")): entry for entry in files}
    listed = [source | {name: by_digest.get((source["source"], source["sha256"]), {}).get(name)
                        for name in FILE_FIELDS} for source in sources]
    return (json.dumps({"files": listed}, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _clean_leftovers(spec: str, month: str) -> None:
    """Remove what a publication killed mid-way left (its temporary folder): under the lock, no live one owns it."""
    for folder in (archive.territory_folder(spec), archive.territory_folder(spec) / month):
        for leftover in folder.glob(atomic.TEMP_GLOB) if folder.is_dir() else ():
            shutil.rmtree(leftover, ignore_errors=True) if leftover.is_dir() else leftover.unlink(missing_ok=True)


def _revisions_there(spec: str, month: str) -> list[int]:
    """The revision numbers whose folders exist, readable or not (a damaged one keeps its number)."""
    month_folder = archive.territory_folder(spec) / month
    if not month_folder.is_dir():
        return []
    return [1, *(int(match.group(1)) for entry in month_folder.iterdir()
                 if (match := archive.REVISION_FOLDER.fullmatch(entry.name)) and entry.is_dir())]


def publish(figures: dict, month: str, files: list[dict] = (), say=_say, today: date | None = None) -> PublishResult:
    """Freeze `figures` (read.note.note_figures's, for `month`) as the month's edition of its territory, with its
    note (HTML, PDF) and the list of its raw files (`files`: the manifest's entries, for their path, date and
    size). Returns what was done: NEW, REVISION (revised: the diff rows against the previous revision) or
    UNCHANGED (nothing written). ValueError (French) for a malformed month, figures of another month, a month after
    `today` (default: today, UTC) or before the newest period of the figures; StorageError when data/ cannot be
    written (nothing written then)."""
    archive.parse_month(month)
    if figures.get("month") != month:
        raise ValueError(f"chiffres du mois « {figures.get('month')} » publiés comme édition de {month}")
    if problem := archive.month_problem(figures, month, today or datetime.now(UTC).date()):
        raise ValueError(problem)
    spec = figures["territory"]["spec"]
    frozen = figures_json(figures)
    with datalock.writing("note", say), errors.writing(NOTHING_PUBLISHED):
        _clean_leftovers(spec, month)
        latest = archive.latest_of_month(spec, month)
        if latest is not None and archive.shown(archive.figures_of(latest)) == archive.shown(json.loads(frozen)):
            raw_files_changed = (latest.folder / archive.FIGURES).read_bytes() != frozen
            return PublishResult(UNCHANGED, latest, raw_files_changed=raw_files_changed)
        revision = max(_revisions_there(spec, month), default=0) + 1
        revised = archive.diff(archive.figures_of(latest), figures) if latest is not None else []
        previous = archive.previous_month_edition(spec, month)
        note = build_note(figures, previous=archive.figures_of(previous) if previous else None, revision=revision)
        if revision > 1:
            note.sections.append(Section(REVISED_TITLE, [diff_table(revised, figures)]))
        # Everything is made before anything is written: a failure here leaves no folder at all.
        written = {archive.FIGURES: frozen, archive.NOTE_HTML: note_html(note).encode("utf-8"),
                   archive.NOTE_PDF: note_pdf(note), archive.SOURCES: sources_json(figures.get("sources", []), files)}
        published_at = datetime.now(UTC).replace(microsecond=0).isoformat()
        written[archive.META] = (json.dumps({"spec": spec, "month": month, "revision": revision,
                                             "published_at": published_at, "revised": revised},
                                            ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
        folder = archive.edition_folder(spec, month, revision)
        with atomic.creating_folder(folder) as scratch:
            for name, content in written.items():
                (scratch / name).write_bytes(content)
    edition = archive.Edition(spec, month, revision, folder, published_at)
    return PublishResult(NEW if revision == 1 else REVISION, edition, revised)
