"""Writing the provenance of every raw file: data/raw/manifest.json (fetched or imported files, git-ignored)
and data/raw/demo/manifest.json (the committed fictitious demo files). Reading it is sources/raw.py's (re-exported
here for ingest's own code)."""

import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from pipelines import paths
from pipelines.sources.protocol import Source
from pipelines.sources.raw import (  # noqa: F401 (re-exported: ingest reads what it writes)
    DEMO_SET_ASIDE_REASON,
    all_entries,
    entries_for_build,
    file_of,
    load,
    replaced_by,
    set_aside,
    sha256_of,
    slot,
)


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def make_entry(source: Source, file: Path, stored_as: str, period: str, origin: str, demo: bool, rows: int,
               scope: str = "", sha256: str | None = None) -> dict:
    """The manifest entry of a file (sha256: its digest when the caller has already computed it)."""
    return {
        "source": source.name,
        "publisher": source.publisher,
        "title": source.title,
        "licence": source.licence,
        "url": source.url,
        "origin": origin,
        "path": stored_as,
        "retrieved_at": now_iso(),
        "sha256": sha256 or sha256_of(file),
        "bytes": file.stat().st_size,
        "period": period,
        "scope": scope,
        "rows": rows,
        "demo": demo,
    }


def save(entries: list[dict], manifest: Path = None) -> None:
    """Write atomically: a crash leaves the previous manifest, never half a file."""
    manifest = manifest or paths.MANIFEST
    manifest.parent.mkdir(parents=True, exist_ok=True)
    entries = sorted(entries, key=lambda e: (e["source"], e["period"], e["path"]))
    text = json.dumps({"files": entries}, ensure_ascii=False, indent=2) + "\n"
    handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=manifest.parent, delete=False, suffix=".tmp")
    try:
        with handle:
            handle.write(text)
        os.chmod(handle.name, 0o644)
        os.replace(handle.name, manifest)
    finally:  # a failed write (disk full) leaves the previous manifest and no temporary file
        Path(handle.name).unlink(missing_ok=True)
