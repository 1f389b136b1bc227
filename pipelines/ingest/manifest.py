"""Writing the provenance of every raw file: data/raw/manifest.json (fetched or imported files, git-ignored)
and data/raw/demo/manifest.json (the committed fictitious demo files). Reading it is sources/raw.py's (re-exported
here for ingest's own code)."""

import json
from datetime import UTC, datetime
from pathlib import Path

from pipelines import atomic, paths
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
    entries = sorted(entries, key=lambda e: (e["source"], e["period"], e["path"]))
    text = json.dumps({"files": entries}, ensure_ascii=False, indent=2) + "\n"
    with atomic.replacing(manifest) as temporary:
        temporary.write_text(text, encoding="utf-8")
