"""`import`: accept publisher files exactly as downloaded, recognised by their content."""

import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines import atomic, paths
from pipelines.errors import BuildError, InputError, system_problem, writing
from pipelines.frformat import fmt_count, fmt_int, fmt_size
from pipelines.ingest import manifest
from pipelines.sources import SOURCES
from pipelines.sources.readers import (
    CSV_FIELD_LIMIT,
    FIRST_LINE_READ,
    ArchiveError,
    csv_header,
    decode_text,
    describe_columns,
    first_line_length,
    normalise_label,
    open_workbook,
)
from pipelines.warehouse import build, parsed

# Layouts met in the wild that no source reads (yet): said plainly rather than "format non reconnu".
# Keys: the normalised header labels that identify the layout.
UNSUPPORTED_LAYOUTS = {
    frozenset({"codgeo", "year", "demandeurs emploi"}): (
        "séries mensuelles de demandeurs d'emploi ré-exportées par un tiers (catégorie non précisée) : non prises "
        "en charge ; importez l'export Dares « dares_defm_communales-brutes »"),
    frozenset({"fap3", "annee", "effectifs", "categorie"}): (
        "série nationale Dares des demandeurs d'emploi par métier (milliers) : pas de territoire, non prise en "
        "charge"),
}
# Compressed files, by their first bytes (zip apart: an xlsx is a zip). Refused by name rather than
# as "binary": the user has only to decompress them.
COMPRESSED = {b"BZh": "bz2", b"\x1f\x8b": "gzip", b"7z\xbc\xaf\x27\x1c": "7z", b"\xfd7zXZ\x00": "xz"}
# A CSV header holding at least this share of the columns of one source's layout (CSV_LAYOUTS), but not
# all, is that layout with columns renamed or missing: said so, naming them, rather than "format non reconnu".
NEAR_MISS_SHARE = 0.6
# A replacement holds the same data again (same source, period and scope: a corrected re-export, a new
# vintage repeating the history), so it may lose a few rows, not more: below this share of the rows of
# the file it replaces, it is most likely a truncated download. A file cut in half must not pass.
SHRINK_LIMIT = 0.9
# A replacement of a source with a REPLACEMENT_KEY (a list of communes) shares at least this share of its values
# with the file it replaces: a new vintage moves a few communes, not most of them.
SHARED_LIMIT = 0.5
# What is said when a write into data/ fails: nothing of the command was kept.
NOTHING_IMPORTED = "rien n'a été importé ; les données déjà chargées n'ont pas changé"


@dataclass
class ImportResult:
    file: Path
    source: str
    period: str
    status: str  # "nouveau", "inchangé", "remplacé"
    rows: int
    sha256: str = ""  # the file's digest, once computed (a file given twice in one import is found by it)


def recognise(path: Path):
    """The source source whose format the file has, judged by content (sheets, header), not by name."""
    if path.is_dir():
        raise InputError(path, "c'est un dossier : donnez les fichiers qu'il contient")
    if not path.exists():
        raise InputError(path, "lien symbolique vers un fichier introuvable" if path.is_symlink()
                         else "fichier introuvable")
    if not path.is_file():  # never opened: /dev/zero or a pipe would be read forever
        raise InputError(path, "ce n'est pas un fichier ordinaire (périphérique, tube ou lien vers l'un d'eux)")
    if path.stat().st_size == 0:
        raise InputError(path, "fichier vide")
    matches = [source for source in SOURCES.values() if source.recognise(path)]
    if not matches:
        with open(path, "rb") as handle:
            head = handle.read(8)
        compressed = next((kind for magic, kind in COMPRESSED.items() if head.startswith(magic)), None)
        if compressed:
            raise InputError(path, f"archive compressée ({compressed}) : décompressez-la puis importez le fichier "
                                   "qu'elle contient")
        zipped = head.startswith(b"PK\x03\x04")  # xlsx files are zip archives
        if zipped and not zipfile.is_zipfile(path):
            raise InputError(path, "classeur (zip) tronqué ou endommagé : téléchargez-le à nouveau")
        if zipped:
            try:  # a zip damaged, or decompressing beyond the limit: say so rather than "unknown format"
                open_workbook(path)
            except ArchiveError:
                raise
            except InputError:
                pass
        for source in SOURCES.values():  # before decoding: a file of a set we do not read is said so by name
            hint = source.near_miss(path)
            if hint:
                raise InputError(path, hint)
        if not zipped:
            decode_text(path)  # a text file we cannot decode: say so rather than "unknown format"
        labels = [normalise_label(label) for label in csv_header(path)]
        for layout, problem in UNSUPPORTED_LAYOUTS.items():
            if layout <= set(labels):
                raise InputError(path, problem)
        _refuse_near_miss(path, labels)
        known = ", ".join(SOURCES)
        first_line = first_line_length(path) if not zipped else 0
        more = "plus de " if first_line > FIRST_LINE_READ else ""  # read no further than that
        long_line = (f" (première ligne de {more}{fmt_size(min(first_line, FIRST_LINE_READ))} : pas un en-tête de "
                     "tableau CSV)" if first_line > CSV_FIELD_LIMIT else "")
        raise InputError(path, f"format non reconnu{long_line} ; sources connues : {known}")
    return matches[0]


def _refuse_near_miss(path: Path, labels: list[str]) -> None:
    """Refuse a CSV whose header holds most, not all, of the columns of a source's layout, naming the
    columns it lacks (of the layout it comes closest to)."""
    best = None
    for source in SOURCES.values():
        for columns in source.csv_layouts.values():
            missing = [name for name, pattern in columns.items()
                       if not any(re.fullmatch(pattern, label) for label in labels)]
            share = 1 - len(missing) / len(columns)
            if missing and share >= NEAR_MISS_SHARE and len(columns) - len(missing) >= 2 \
                    and (best is None or share > best[0]):
                best = share, source, describe_columns(missing, columns)
    if best is not None:
        _, source, wanted = best
        raise InputError(path, f"ressemble à {source.name} ({source.title}) mais colonne(s) absente(s) : {wanted}")


# The longest name a file may have to be stored (bytes): with the "-<sha>" that tells two files of one name apart,
# and the prefix of its temporary copy, within the 255 bytes of a filesystem's name.
NAME_LIMIT = 200


def _name_problem(path: Path) -> str | None:
    """Why a file's name cannot be stored under data/raw and in the manifest (JSON, UTF-8), in French; or None."""
    try:
        size = len(path.name.encode("utf-8"))
    except UnicodeEncodeError:  # bytes that are not UTF-8 (a name from an old Windows zip, say)
        return "nom de fichier illisible (octets qui ne sont pas de l'UTF-8) : renommez le fichier, puis importez-le"
    if size > NAME_LIMIT:
        return f"nom de fichier trop long ({size} octets, au plus {NAME_LIMIT}) : renommez le fichier, puis importez-le"
    return None


def _stored_name(source, period: str, path: Path, sha: str, pending: dict[str, str]) -> str:
    """data/raw/<source>/<period>/<original name>, made unique if another file already has that name (a loaded
    file, or one of `pending`, stored name -> sha256, files of the same import not copied yet)."""
    stored_as = f"{source.name}/{period}/{path.name}"
    existing = paths.RAW_DIR / stored_as
    if pending.get(stored_as, sha) != sha or (existing.exists() and manifest.sha256_of(existing) != sha):
        stored_as = f"{source.name}/{period}/{path.stem}-{sha[:8]}{path.suffix}"
    return stored_as


def _refuse_if_much_shorter(path: Path, source, rows: int, old: dict, old_file: Path | None = None) -> None:
    """Refuse a replacement with far fewer rows than the file it replaces (see SHRINK_LIMIT); `old_file`: where
    that file is when it is not loaded yet (an earlier file of the same import)."""
    if rows >= SHRINK_LIMIT * old.get("rows", 0):
        return
    old_rows = old["rows"]
    try:  # counted again: a count recorded by an older version may be of rows after reshaping
        old_rows = source.read(old_file or manifest.file_of(old)).rows
    except (InputError, OSError):
        pass
    if rows >= SHRINK_LIMIT * old_rows:
        return
    counts = f"{fmt_int(rows)} lignes contre {fmt_int(old_rows)} dans {old['origin']}"
    raise InputError(path, f"{counts} qu'il remplacerait (moins de {SHRINK_LIMIT * 100:.0f} %) : fichier tronqué ? "
                           "(--forcer pour remplacer quand même)")


def _refuse_if_unrelated(path: Path, source, table, old: dict, old_file: Path | None = None) -> None:
    """Refuse a replacement that shares few of its key values (its communes) with the file it replaces (see
    SHARED_LIMIT): another list, or a forged one, rather than a new vintage of the same."""
    if source.replacement_key is None:
        return
    column, what = source.replacement_key
    new = _distinct(table.frame, column)
    try:
        previous = _distinct(source.read(old_file or manifest.file_of(old)).frame, column)
    except (InputError, OSError):  # the old file no longer reads: nothing to compare with
        return
    shared = len(new & previous)
    if new and shared < SHARED_LIMIT * len(new):
        raise InputError(path, f"seulement {fmt_int(shared)} de ses {fmt_int(len(new))} {what} figurent dans "
                               f"{old['origin']} qu'il remplacerait : ce n'est pas une nouvelle version de la même "
                               "liste (--forcer pour remplacer quand même)")


def _distinct(frame, column: str) -> set:
    if hasattr(frame, "dropna"):  # a pandas frame
        return set(frame[column].dropna())
    return {value for (value,) in frame.select(f'"{column}"').distinct().fetchall() if value is not None}


@dataclass
class _Accepted:
    """A file read and validated, not yet trial-built nor copied."""

    number: int  # its place among the files imported together
    path: Path
    entry: dict  # its manifest entry
    content: Path  # what is stored: the file, or the source's cleaned copy of it (Source.clean)

    @property
    def candidate(self) -> dict:
        return {**self.entry, "file": self.content}


def import_file(path: Path, force: bool = False, origin: str | None = None,
                provenance: dict | None = None) -> ImportResult:
    """Validate one file fully, then copy it under data/raw/<source>/<period>/ and record it (raises InputError
    if it is refused). See import_files."""
    [outcome] = import_files([path], force=force, origins=[origin], provenances=[provenance])
    if isinstance(outcome, InputError):
        raise outcome
    return outcome


def import_files(files: list[Path], force: bool = False, origins: list | None = None,
                 provenances: list | None = None, say=lambda message: None) -> list[ImportResult | InputError]:
    """Validate files fully, then copy them under data/raw/<source>/<period>/ and record them: one outcome per
    file, in order, its ImportResult or the InputError that refused it (naming the file).

    Validation is each file's own format and values, then one trial build with all of them: the same checks
    as `build`. Nothing is written until both have passed. If the joint trial fails, the files are tried one
    at a time to name the one(s) at fault; the others are imported. The same content twice is a no-op; a new
    file for a period already loaded replaces it (unless it is much shorter: a truncated download?); other
    periods are kept beside it. A source may widen this with a `replaces(new_scope, old_scope)` hook (a file
    whose scope contains an older file's replaces it: see manifest.replaced_by). Files given together count
    as imported one after the other, in their order.
    """
    files = [Path(file) for file in files]
    origins = origins or [None] * len(files)
    provenances = provenances or [None] * len(files)
    loaded = manifest.load()
    # Cleaned copies (Source.clean) live here until stored: nothing a source removes is ever written under data/.
    with tempfile.TemporaryDirectory(prefix="zoom-import-") as cleaned:
        return _import_files(files, force, origins, provenances, say, loaded, Path(cleaned))


def _import_files(files, force, origins, provenances, say, loaded, cleaned: Path) -> list[ImportResult | InputError]:
    outcomes: list[ImportResult | InputError | None] = [None] * len(files)
    accepted: list[_Accepted] = []
    same_as: dict[int, int] = {}  # a file whose content is that of an earlier file of the same import
    for number, path in enumerate(files):
        say(f"Import de {path} …")
        if problem := _name_problem(path):
            outcomes[number] = InputError(path, problem)
            continue
        try:
            folder = cleaned / str(number)
            folder.mkdir()
            outcome = _read_and_validate(path, force, origins[number], provenances[number], loaded, accepted, folder)
        except InputError as error:
            outcomes[number] = error
            continue
        except OSError as error:  # reading it (writes are StorageErrors): no permission, I/O error
            outcomes[number] = InputError(path, f"lecture impossible : {system_problem(error)}")
            continue
        if isinstance(outcome, ImportResult):
            outcomes[number] = outcome
            twin = next((a for a in accepted if a.entry["sha256"] == outcome.sha256
                         and a.entry["source"] == outcome.source), None)
            if twin is not None:
                same_as[number] = twin.number
            continue
        content, outcome = outcome
        accepted.append(_Accepted(number, path, outcome, content))

    kept = _trial(accepted, outcomes, say)
    if kept:
        _store(kept, loaded, outcomes)
    for number, twin in same_as.items():  # its twin's fate: refused with it, or "inchangé" once it is in
        if isinstance(outcomes[twin], InputError):
            outcomes[number] = InputError(files[number], f"même contenu que {files[twin].name}, refusé : "
                                                         f"{outcomes[twin]}")
    return outcomes


def _read_and_validate(path: Path, force: bool, origin: str | None, provenance: dict | None, loaded: list[dict],
                       accepted: list[_Accepted], folder: Path) -> tuple[Path, dict] | ImportResult:
    """(what to store, its manifest entry), once the file is recognised, cleaned (Source.clean, into `folder`),
    read and validated (its parse cached for the trial build and the next build); an ImportResult "inchangé" for a
    content already loaded (or already read in this import). Raises InputError."""
    source = recognise(path)
    content = source.clean(path, folder)
    sha = manifest.sha256_of(content)
    if any(entry["sha256"] == sha for entry in manifest.load(paths.DEMO_MANIFEST)):
        raise InputError(path, "c'est un fichier de démonstration fictif, déjà fourni : importez les fichiers "
                               "des éditeurs")
    table = source.read(content)  # raises InputError on any problem of format or values
    earlier = [*loaded, *(a.entry for a in accepted)]
    if any(entry["sha256"] == sha and entry["source"] == source.name for entry in earlier):
        return ImportResult(path, source.name, table.period, "inchangé", table.rows, sha)

    candidate = {"source": source.name, "period": table.period, "scope": table.scope, "demo": False}
    if not force:
        # Against the loaded file it replaces and any earlier file of this import it replaces: whichever of
        # them ends up loaded, the file is not much shorter than it.
        pending = {a.entry["path"]: a.content for a in accepted}
        for old in (e for e in reversed(earlier) if manifest.replaced_by(e, candidate)):  # the latest first
            _refuse_if_much_shorter(path, source, table.rows, old, pending.get(old["path"]))
            _refuse_if_unrelated(path, source, table, old, pending.get(old["path"]))
    with writing(NOTHING_IMPORTED):
        parsed.store(source, sha, table)  # the trial and the next build reuse this parse
    stored_as = _stored_name(source, table.period, path, sha, {a.entry["path"]: a.entry["sha256"] for a in accepted})
    entry = manifest.make_entry(source, content, stored_as, table.period, origin=origin or path.name, demo=False,
                                rows=table.rows, scope=table.scope, sha256=sha)
    return content, entry | (provenance or {})


def _trial(accepted: list[_Accepted], outcomes: list, say) -> list[_Accepted]:
    """One trial build with every accepted file; if it fails, the files one at a time (each beside those
    that passed) to name the one(s) at fault: their outcome becomes the refusal. Returns the files kept: the
    last successful trial was built from exactly them."""
    if not accepted:
        return []
    say(f"Contrôles de cohérence : construction d'essai avec {fmt_count(len(accepted), 'fichier')} …")
    try:
        _trial_build(accepted)
        return accepted
    except TRIAL_FAILURES as error:
        if len(accepted) == 1:
            outcomes[accepted[0].number] = _refused(accepted[0].path, error)
            return []
    say("La construction d'essai commune a échoué : essai fichier par fichier pour trouver le ou les fichiers "
        "en cause …")
    kept: list[_Accepted] = []
    failed: dict[int, tuple[int, Exception]] = {}  # number -> (files kept when it failed, error)
    progress = True
    while progress:  # again while a file got in after another failed: that one may have needed it
        progress = False
        for file in accepted:
            if file in kept or (file.number in failed and failed[file.number][0] == len(kept)):
                continue
            trying = sorted([*kept, file], key=lambda a: a.number)
            try:
                _trial_build(trying)
            except TRIAL_FAILURES as error:
                failed[file.number] = len(kept), error
                continue
            kept, progress = trying, True
            failed.pop(file.number, None)
    for number, (_, error) in failed.items():
        file = next(a for a in accepted if a.number == number)
        outcomes[number] = _refused(file.path, error)
    return kept


# A trial build that fails because of the files (a check, or a value DuckDB cannot type): the files are refused. A
# failed write is no fault of theirs: it stops the import (StorageError, from _trial_build).
TRIAL_FAILURES = (BuildError, InputError, duckdb.Error)


def _trial_build(files: list[_Accepted]) -> None:
    with writing(NOTHING_IMPORTED):
        build.trial(manifest.entries_for_build(candidates=[a.candidate for a in files]))


def _refused(path: Path, error: Exception) -> InputError:
    return InputError(path, "refusé par les contrôles de cohérence", details=str(error))


def _store(kept: list[_Accepted], loaded: list[dict], outcomes: list) -> None:
    """Copy the files that passed into data/raw/ and record them, as if imported one after the other."""
    entries = list(loaded)
    for file in kept:
        replaced = [e for e in entries if manifest.replaced_by(e, file.entry)]
        entries = [e for e in entries if e not in replaced] + [file.entry]
        entry = file.entry
        outcomes[file.number] = ImportResult(file.path, entry["source"], entry["period"],
                                             "remplacé" if replaced else "nouveau", entry["rows"], entry["sha256"])
    final = {entry["path"] for entry in entries}
    created: list[Path] = []  # removed again if a later write fails: the import then leaves nothing behind
    try:
        with writing(NOTHING_IMPORTED):
            for file in kept:
                if file.entry["path"] not in final:  # replaced by a later file of the same import
                    continue
                destination = paths.RAW_DIR / file.entry["path"]
                if not destination.exists():
                    created.append(destination)
                _copy(file.content, destination)
            manifest.save(entries)
    except BaseException:
        for destination in created:
            destination.unlink(missing_ok=True)
        raise
    # The manifest first, then the replaced files: a crash in between leaves a stray file, not a hole.
    for old in loaded:
        if old["path"] not in final:
            try:
                manifest.file_of(old).unlink(missing_ok=True)
            except OSError:  # a stray file left in data/raw (unlisted, never read): the import is done
                pass


def _copy(source: Path, destination: Path) -> None:
    """Copy through a temporary file beside the destination: a failed copy leaves no half-written file."""
    with atomic.replacing(destination) as temporary:
        shutil.copyfile(source, temporary)
