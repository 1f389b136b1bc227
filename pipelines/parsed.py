"""Parsed raw files, cached by content so a workbook is parsed once (at import), not again at build.

The key is the file's sha256 plus a fingerprint of the parsing code: changing a parser invalidates
its cache by itself. The cache lives beside the marts (derived data), never in data/raw/.
"""

import hashlib
import inspect
import os
from functools import cache
from pathlib import Path

import pandas as pd

from pipelines import paths, readers


@cache
def _parser_fingerprint(module) -> str:
    code = inspect.getsource(module) + inspect.getsource(readers)
    return hashlib.sha256(code.encode()).hexdigest()[:12]


def _cache_file(module, sha256: str) -> Path:
    return paths.MARTS_DIR / "parsed" / f"{module.NAME}-{sha256[:24]}-{_parser_fingerprint(module)}.parquet"


def store(module, sha256: str, frame: pd.DataFrame) -> None:
    target = _cache_file(module, sha256)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.part")
    frame.to_parquet(partial, index=False)
    os.replace(partial, target)


def load(module, file: Path, sha256: str) -> pd.DataFrame:
    """The parsed frame of a raw file whose content has been checked against sha256."""
    cached = _cache_file(module, sha256)
    if cached.exists():
        try:
            return pd.read_parquet(cached)
        except Exception:  # noqa: BLE001 - a damaged cache is only derived data: parse the file again
            cached.unlink(missing_ok=True)
    frame = module.read(file).frame
    store(module, sha256, frame)
    return frame


def prune(keep: list[tuple[object, str]]) -> None:
    """Remove cached parses of files no longer used (replaced imports, old parser versions)."""
    wanted = {_cache_file(module, sha256).name for module, sha256 in keep}
    for cached in (paths.MARTS_DIR / "parsed").glob("*.parquet"):
        if cached.name not in wanted:
            cached.unlink(missing_ok=True)
