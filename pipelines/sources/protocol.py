"""The protocol every source module follows: what it returns when it reads a file (RawTable), what it asks
`fetch` to download (FetchRequest), and how it says it cannot be fetched now (Skipped)."""

from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import pandas as pd


@dataclass
class RawTable:
    """A publisher file read as text columns with canonical names (the module's FIELDS), plus the period
    it covers. Small files come as a pandas frame; large ones as a DuckDB relation, never in Python rows."""

    frame: pd.DataFrame | duckdb.DuckDBPyRelation
    period: str
    # What part of the source's coverage the file holds, when files of one period can hold different
    # parts (URSSAF: its départements). Files of the same source, period and scope replace each other
    # (or as the module's optional `replaces(new_scope, old_scope)` hook says: manifest.replaced_by).
    scope: str = ""
    # The file's own row count when read() reshapes it (one frame row per file row × indicator): what
    # `import` reports and the manifest keeps, so that the truncation guard compares files, not frames.
    file_rows: int | None = None

    @property
    def rows(self) -> int:
        """Rows of the file read: file_rows if set, else the frame's."""
        if self.file_rows is not None:
            return self.file_rows
        if isinstance(self.frame, pd.DataFrame):
            return len(self.frame)
        return self.frame.aggregate("count(*)").fetchall()[0][0]

    def write_parquet(self, path) -> None:
        if isinstance(self.frame, pd.DataFrame):
            self.frame.to_parquet(path, index=False)
        else:
            self.frame.write_parquet(str(path))


@dataclass
class FetchRequest:
    url: str
    # A callable when building them needs a request of its own; it is called as params(on_retry=notice)
    # so that the retries of that request are reported like the download's (http.download's on_retry).
    params: dict | Callable[..., dict]
    name: str  # file name of the download
    expect: str  # "csv" | "xlsx" | "zip" | "json"
    part: str = ""  # which part of the source, when it comes in several files (shown in the summary)


class Skipped(Exception):
    """A source that cannot be fetched here and now for a reason that is not a failure (e.g. no API
    credentials): `fetch` reports it as "ignoré" with this message."""
