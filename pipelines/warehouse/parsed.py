"""Parsed raw files, cached by content so a workbook is parsed once (at import), not again at build.

The key is the file's sha256 plus a fingerprint of the parsing code: changing a parser invalidates
its cache by itself. The cache lives beside the marts (derived data), never in data/raw/.
"""

import hashlib
import inspect
from functools import cache
from pathlib import Path

import pyarrow.parquet as pq

from pipelines import atomic, paths
from pipelines.sources import readers
from pipelines.sources.protocol import RawTable, Source


@cache
def _parser_fingerprint(module) -> str:
    code = inspect.getsource(module) + inspect.getsource(readers)
    return hashlib.sha256(code.encode()).hexdigest()[:12]


def _cache_file(source: Source, sha256: str) -> Path:
    return paths.MARTS_DIR / "parsed" / f"{source.name}-{sha256[:24]}-{_parser_fingerprint(source.module)}.parquet"


def store(source: Source, sha256: str, table: RawTable) -> Path:
    target = _cache_file(source, sha256)
    with atomic.replacing(target) as partial:
        table.write_parquet(partial)
    return target


def partial_files() -> list[Path]:
    """Parses being written (see store), or left by a process killed while writing one."""
    return sorted((paths.MARTS_DIR / "parsed").glob(atomic.TEMP_GLOB))


def load(source: Source, file: Path, sha256: str) -> Path:
    """A parquet file of the parsed raw file (whose content has been checked against sha256)."""
    cached = _cache_file(source, sha256)
    if cached.exists():
        try:
            pq.read_metadata(cached)
            return cached
        except Exception:  # noqa: BLE001 - a damaged cache is only derived data: parse the file again
            cached.unlink(missing_ok=True)
    return store(source, sha256, source.read(file))


def prune(keep: list[tuple[Source, str]]) -> None:
    """Remove cached parses of files no longer used (replaced imports, old parser versions)."""
    wanted = {_cache_file(source, sha256).name for source, sha256 in keep}
    for cached in (paths.MARTS_DIR / "parsed").glob("*.parquet"):
        if cached.name not in wanted:
            cached.unlink(missing_ok=True)
