"""`import`: accept publisher files exactly as downloaded, recognised by their content."""

import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from pipelines import paths
from pipelines.errors import BuildError, InputError
from pipelines.frformat import fmt_int
from pipelines.ingest import manifest
from pipelines.sources import SOURCES
from pipelines.sources.readers import csv_header, decode_text, describe_columns, normalise_label, zipped_workbook
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


@dataclass
class ImportResult:
    file: Path
    source: str
    period: str
    status: str  # "nouveau", "inchangé", "remplacé"
    rows: int


def recognise(path: Path):
    """The source source whose format the file has, judged by content (sheets, header), not by name."""
    if path.is_dir():
        raise InputError(path, "c'est un dossier : donnez les fichiers qu'il contient")
    if not path.is_file():
        raise InputError(path, "fichier introuvable")
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
            zipped_workbook(path)  # a zip whose workbook is damaged: say so rather than "unknown format"
        else:
            decode_text(path)  # a text file we cannot decode: say so rather than "unknown format"
        for source in SOURCES.values():
            hint = source.near_miss(path)
            if hint:
                raise InputError(path, hint)
        labels = [normalise_label(label) for label in csv_header(path)]
        for layout, problem in UNSUPPORTED_LAYOUTS.items():
            if layout <= set(labels):
                raise InputError(path, problem)
        _refuse_near_miss(path, labels)
        known = ", ".join(SOURCES)
        raise InputError(path, f"format non reconnu ; sources connues : {known}")
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


def _stored_name(source, period: str, path: Path, sha: str) -> str:
    """data/raw/<source>/<period>/<original name>, made unique if another file already has that name."""
    stored_as = f"{source.name}/{period}/{path.name}"
    existing = paths.RAW_DIR / stored_as
    if existing.exists() and manifest.sha256_of(existing) != sha:
        stored_as = f"{source.name}/{period}/{path.stem}-{sha[:8]}{path.suffix}"
    return stored_as


def _refuse_if_much_shorter(path: Path, source, rows: int, old: dict) -> None:
    """Refuse a replacement with far fewer rows than the file it replaces (see SHRINK_LIMIT)."""
    if rows >= SHRINK_LIMIT * old.get("rows", 0):
        return
    old_rows = old["rows"]
    try:  # counted again: a count recorded by an older version may be of rows after reshaping
        old_rows = source.read(manifest.file_of(old)).rows
    except (InputError, OSError):
        pass
    if rows >= SHRINK_LIMIT * old_rows:
        return
    counts = f"{fmt_int(rows)} lignes contre {fmt_int(old_rows)} dans {old['origin']}"
    raise InputError(path, f"{counts} qu'il remplacerait (moins de {SHRINK_LIMIT * 100:.0f} %) : fichier tronqué ? "
                           "(--force pour remplacer quand même)")


def import_file(path: Path, force: bool = False, origin: str | None = None,
                provenance: dict | None = None) -> ImportResult:
    """Validate one file fully, then copy it under data/raw/<source>/<period>/ and record it.

    Validation is the file's own format and values, then a trial build with it: the same checks as
    `build`. Nothing is written until both have passed. The same content twice is a no-op; a new file
    for a period already loaded replaces it (unless it is much shorter: a truncated download?); other
    periods are kept beside it. A source source may widen this with a `replaces(new_scope, old_scope)`
    hook (a file whose scope contains an older file's replaces it: see manifest.replaced_by).
    """
    path = Path(path)
    source = recognise(path)
    sha = manifest.sha256_of(path)
    if any(entry["sha256"] == sha for entry in manifest.load(paths.DEMO_MANIFEST)):
        raise InputError(path, "c'est un fichier de démonstration fictif, déjà fourni : importez les fichiers "
                               "des éditeurs")
    table = source.read(path)  # raises InputError on any problem of format or values
    entries = manifest.load()
    if any(entry["sha256"] == sha and entry["source"] == source.name for entry in entries):
        return ImportResult(path, source.name, table.period, "inchangé", table.rows)

    candidate = {"source": source.name, "period": table.period, "scope": table.scope, "demo": False}
    replaced = [e for e in entries if manifest.replaced_by(e, candidate)]
    if not force:
        for old in replaced:
            _refuse_if_much_shorter(path, source, table.rows, old)
    parsed.store(source, sha, table)  # the trial and the next build reuse this parse
    stored_as = _stored_name(source, table.period, path, sha)
    entry = manifest.make_entry(source, path, stored_as, table.period, origin=origin or path.name, demo=False,
                                rows=table.rows, scope=table.scope) | (provenance or {})
    try:
        build.trial(manifest.entries_for_build(candidate={**entry, "file": path}))
    except BuildError as error:
        raise InputError(path, "refusé par les contrôles de cohérence",
                         details=str(error)) from error

    destination = paths.RAW_DIR / stored_as
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=destination.parent, delete=False, suffix=".part") as handle:
        temporary = Path(handle.name)
    try:
        shutil.copyfile(path, temporary)
        os.replace(temporary, destination)
    finally:
        temporary.unlink(missing_ok=True)
    # The manifest first, then the replaced files: a crash in between leaves a stray file, not a hole.
    manifest.save([e for e in entries if e not in replaced] + [entry])
    for old in replaced:
        if manifest.file_of(old) != destination:
            manifest.file_of(old).unlink(missing_ok=True)
    return ImportResult(path, source.name, table.period, "remplacé" if replaced else "nouveau", table.rows)
