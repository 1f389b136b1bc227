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


def _umask() -> int:
    """The process's umask, read without changing it where Linux says it (/proc), else set and restored."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def give_raw_file_mode(path: Path) -> None:
    """Give a file about to become a raw file (imported or fetched) the mode of an ordinary new file: 0o666 less
    the umask, as `open` would. Raw files are written to a temporary file first (private: mkstemp gives 0o600)
    then renamed: without this they would stay readable by their owner only. One function for `import` and
    `fetch`, so that their files are alike."""
    os.chmod(path, 0o666 & ~_umask())


def fetch_provenance(fetched_from: str, final_url: str, etag: str | None, last_modified: str | None) -> dict:
    """What a fetched file's manifest entry records beyond make_entry's: the URL asked (the next fetch's key),
    the URL that answered after the redirects the source allows (final_url, shown by `status` when it differs),
    and the validators of the next conditional GET."""
    return {"fetched_from": fetched_from, "final_url": final_url, "etag": etag, "last_modified": last_modified}


def origin_text(entry: dict) -> str:
    """Where a file came from, as `status` shows it: its origin, and the URL that answered if redirected."""
    final = entry.get("final_url")
    return entry["origin"] if not final or final == entry.get("fetched_from") else \
        f"{entry['origin']} (redirigé vers {final})"


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
