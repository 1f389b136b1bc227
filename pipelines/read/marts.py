"""Opening the marts, read-only: the one place that does (the pages, the command line and fetch all come here).

A rebuild replaces the marts file atomically; `signature()` identifies the file in service, and `Shared`
reopens it when the signature changes, so that a dashboard that has the old file open moves to the new one.
"""

import math
import os
import threading
from contextlib import contextmanager

import duckdb
import pandas as pd

from pipelines import paths
from pipelines.errors import InputError


class MartsMissing(InputError):
    """No marts built yet."""

    def __init__(self):
        super().__init__(paths.MARTS_DB, "marts absents : lancez d'abord « python -m pipelines build »")


@contextmanager
def connect():
    """A read-only connection to the marts in service, closed on exit; MartsMissing when there are none."""
    if not paths.MARTS_DB.exists():
        raise MartsMissing()
    con = duckdb.connect(str(paths.MARTS_DB), read_only=True)
    try:
        yield con
    finally:
        con.close()


def present_tables(con) -> set[str]:
    """The names of the tables and views of the marts (a source never loaded has none)."""
    return {row["table_name"] for row in records(con, "select table_name from information_schema.tables", [])}


def records(con, sql: str, params: list) -> list[dict]:
    """Rows of a query as dicts (NaN read as None), on a cursor of its own."""
    cursor = con.cursor()
    try:
        result = cursor.execute(sql, params)
        names = [column[0] for column in result.description]
        return [dict(zip(names, map(_plain, row), strict=True)) for row in result.fetchall()]
    finally:
        cursor.close()


def _plain(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def signature() -> tuple[str, int, int, int] | None:
    """Identity of the current marts file: a rebuild (atomic replace) changes its inode and mtime."""
    try:
        stat = os.stat(paths.MARTS_DB)
    except FileNotFoundError:
        return None
    return str(paths.MARTS_DB), stat.st_ino, stat.st_mtime_ns, stat.st_size


class Shared:
    """One read-only connection shared by the threads of a long-lived reader (the dashboard's sessions).

    Queries and the switch to a rebuilt file are serialised: DuckDB shares one database instance per path
    within a process, so the old connection must be closed before the new file is opened, and never while
    another query runs on it. Page queries take milliseconds (and most are cached by the pages)."""

    def __init__(self):
        self._signature = None
        self._connection = None
        self._lock = threading.RLock()

    @contextmanager
    def connection(self, wanted):
        """The connection to the marts file identified by `wanted` (a signature()), held for the block."""
        with self._lock:
            if self._signature != wanted:
                if self._connection is not None:
                    self._connection.close()
                self._connection = duckdb.connect(wanted[0], read_only=True)
                self._signature = wanted
            yield self._connection

    def frame(self, wanted, sql: str, params: list) -> pd.DataFrame:
        with self.connection(wanted) as con:
            cursor = con.cursor()
            try:
                return cursor.execute(sql, params).df()
            finally:
                cursor.close()


# The one rule for a sum over a territory's communes (URSSAF employment, Dares job seekers): it is the
# territory's figure only when the loaded files hold every one of its communes; when the territory's number of
# communes is unknown (NULL or 0), the sum is partial too. No communes_with_data (a published total): complete.
# Python form (Coverage, report.figures.partial_coverage) and SQL form (the ranking) below; similar._complete is
# the same rule on whole pandas columns.
def communes_partial(communes_with_data, commune_count) -> bool:
    return communes_with_data is not None and not (commune_count and communes_with_data >= commune_count)


def communes_incomplete_sql(fact: str = "fact", place: str = "place") -> str:
    return (f"({fact}.communes_with_data is not null and "
            f"not coalesce({fact}.communes_with_data >= nullif({place}.commune_count, 0), false))")
