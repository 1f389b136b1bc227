"""`import`: accept publisher files exactly as downloaded, recognised by their content."""

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pipelines import SOURCES, manifest, parsed, paths
from pipelines.errors import InputError


@dataclass
class ImportResult:
    file: Path
    source: str
    period: str
    status: str  # "nouveau", "inchangé", "remplacé"
    rows: int


def recognise(path: Path):
    """The source module whose format the file has, judged by content (sheets, header), not by name."""
    if not path.is_file():
        raise InputError(path, "fichier introuvable", "file not found")
    if path.stat().st_size == 0:
        raise InputError(path, "fichier vide", "empty file")
    matches = [module for module in SOURCES.values() if module.recognise(path)]
    if not matches:
        known = ", ".join(f"{m.NAME} ({m.TITLE})" for m in SOURCES.values())
        raise InputError(path, f"format non reconnu ; sources connues : {known}",
                         f"unrecognised format; known sources: {known}")
    return matches[0]


def import_file(path: Path) -> ImportResult:
    """Validate one file fully, then copy it under data/raw/<source>/<period>/ and record it.

    Nothing is written until the file has been read without error. The same content twice is a
    no-op; a new file for a period already loaded replaces it; other periods are kept beside it.
    """
    path = Path(path)
    module = recognise(path)
    table = module.read(path)  # raises InputError on any problem
    sha = manifest.sha256_of(path)
    parsed.store(module, sha, table.frame)  # so that build does not parse the file again
    entries = manifest.load()
    if any(entry["sha256"] == sha and entry["source"] == module.NAME for entry in entries):
        return ImportResult(path, module.NAME, table.period, "inchangé", len(table.frame))

    stored_as = f"{module.NAME}/{table.period}/{path.name}"
    destination = paths.RAW_DIR / stored_as
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=destination.parent, delete=False, suffix=".part") as handle:
        temporary = Path(handle.name)
    try:
        shutil.copyfile(path, temporary)
        os.replace(temporary, destination)
    finally:
        temporary.unlink(missing_ok=True)

    replaced = [e for e in entries if e["source"] == module.NAME and e["period"] == table.period]
    for entry in replaced:
        old = manifest.file_of(entry)
        if old != destination:
            old.unlink(missing_ok=True)
    kept = [e for e in entries if e not in replaced]
    entry = manifest.make_entry(module, destination, stored_as, table.period, origin=path.name, demo=False)
    manifest.save(kept + [entry])
    return ImportResult(path, module.NAME, table.period, "remplacé" if replaced else "nouveau",
                        len(table.frame))
