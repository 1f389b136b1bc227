"""Every command that writes data/ runs as its only writer (pipelines/datalock.py), and first removes what
a writer killed mid-way (kill -9, power cut) left: no live command can own those files then."""

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipelines import atomic, datalock, errors, paths
from pipelines.frformat import fmt_count, fmt_size
from pipelines.ingest import manifest
from pipelines.warehouse import build


def found() -> list[Path]:
    """Scratch files of writers that died: build and trial databases, partial parses (build.scratch_files),
    partial copies of imported files and a manifest being written (atomic.TEMP_GLOB beside them), a fetch's
    download folder (.incoming)."""
    recorded = {manifest.file_of(entry) for entry in manifest.load()}
    incoming = paths.RAW_DIR / ".incoming"
    raw = [file for file in (*paths.RAW_DIR.glob(f"*/*/{atomic.TEMP_GLOB}"), *paths.RAW_DIR.glob(atomic.TEMP_GLOB))
           if file not in recorded and not file.is_relative_to(incoming)]  # a loaded file is never scratch
    return [*build.scratch_files(), *sorted(raw), *([incoming] if incoming.exists() else [])]


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(file.stat().st_size for file in path.rglob("*") if file.is_file())
    return path.stat().st_size


def clean(say) -> list[Path]:
    """Remove found() and say what went, in one line (nothing when there was nothing). Returns what went."""
    removed, size = [], 0
    for path in found():
        try:
            size += _size(path)
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
        except FileNotFoundError:
            continue
        removed.append(path)
    if removed:
        names = ", ".join(path.name for path in removed[:4]) + (" …" if len(removed) > 4 else "")
        count = fmt_count(len(removed), "fichier supprimé", "fichiers supprimés")
        say(f"Nettoyage des restes d'une commande interrompue : {count} ({names} ; {fmt_size(size)}).")
    return removed


@contextmanager
def writing(command: str, say, wait: bool = True) -> Iterator[None]:
    """Run the block as the only writer of data/ (raises datalock.Busy if another one keeps it too long, or
    datalock.Held at once with wait=False), after removing what a dead writer left."""
    with datalock.writing(command, say, wait):
        with errors.writing(""):  # leftovers on a read-only data/: said, not a traceback
            clean(say)
        yield
