"""The protocol every source module follows: what it returns when it reads a file (RawTable), what it asks
`fetch` to download (FetchRequest), and how it says it cannot be fetched now (Skipped)."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

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
    # (or as the module's optional `replaces(new_scope, old_scope)` hook says: raw.replaced_by).
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


# The largest file fetch accepts from a publisher unless its FetchRequest says otherwise: ten times the largest
# file a source publishes today (a BMO workbook, a département's URSSAF export: a few Mo to some tens).
DEFAULT_MAX_BYTES = 200_000_000


@dataclass
class FetchRequest:
    url: str
    # A callable when building them needs a request of its own: fetch calls params(get_json), where
    # get_json(url) is fetch's own JSON request (its retries reported like the download's), so that a source
    # declares what to ask and never performs a request itself.
    params: dict | Callable[..., dict]
    name: str  # file name of the download
    expect: str  # "csv" | "xlsx" | "zip" | "json"
    part: str = ""  # which part of the source, when it comes in several files (shown in the summary)
    # Hosts other than the URL's that a redirect may lead to (a publisher's file server or CDN, once checked by
    # hand): a redirect to any other host is refused.
    redirect_hosts: tuple[str, ...] = ()
    max_bytes: int = DEFAULT_MAX_BYTES  # a bigger download is refused, nothing written


class Skipped(Exception):
    """A source that cannot be fetched here and now for a reason that is not a failure (e.g. no API
    credentials): `fetch` reports it as "ignoré" with this message."""


class Source:
    """One publisher source, as every other layer sees it. A source is a module of pipelines/sources/; this
    class is the one place that says what such a module defines (required) and may define (optional hooks,
    with their type and default), so that no caller probes a module for an attribute.

    Required: NAME, PUBLISHER, TITLE, LICENCE, URL, KIND, FIELDS (the text columns read() returns),
    recognise(path) -> bool and read(path) -> RawTable. Attributes are looked up on each use, so that a test
    may point a module's URL or reader elsewhere."""

    REQUIRED = ("NAME", "PUBLISHER", "TITLE", "LICENCE", "URL", "KIND", "FIELDS", "recognise", "read")
    # Every optional hook, with its default when the module does not define it.
    OPTIONAL = {
        "TYPES": {},  # DuckDB type of a field when not varchar (URSSAF's year struct list)
        "CSV_LAYOUTS": {},  # the columns of each CSV layout: the importer's "renamed column" message
        "near_miss": None,  # (path) -> str | None: a known file it does not read, said by name in French
        # (path, folder) -> Path | None: a copy of the file, written into folder under the same name, without what
        # must never be stored (personal data); the importer reads, digests and stores that copy instead. None:
        # nothing to remove, the file is stored byte for byte.
        "clean": None,
        "replaces": None,  # (new_scope, old_scope) -> bool: a scope that contains an older one replaces it
        "REPLACE_WHOLE_HISTORY": False,  # each new vintage repeats the older periods: replaces them all
        # (column, what its values are, plural): the values a replacement must mostly share with the file it
        # replaces (a list of communes: its communes); one sharing few of them is another list, not a new vintage.
        "REPLACEMENT_KEY": None,
        "fetch_requests": None,  # (departements) -> list[FetchRequest]: what fetch downloads
        "FETCH_NATIONAL": False,  # its files are national: the territory does not filter fetch_requests
        "NO_FETCH_REASON": "",  # why it has no automatic download (then: download by hand, import)
        "LOAD_HINT": "",  # how to load it when that is neither "fetch" nor "import the file"
        # Its release calendar: the days of the year ("MM-DD") it usually publishes a new period, () when none is
        # announced, and then RELEASE_NOTE says why (French: a reference table, a suspended series...).
        "RELEASES": (),
        "RELEASE_NOTE": "",
        # Whether a period is published during itself (the BMO survey of year N comes out in April of N), rather than
        # at the first release after it ends (a quarter's job seekers, a year's employment): what says a file is late.
        "PUBLISHED_IN_PERIOD": False,
        # What a reader of its figures must know, from a date on or always: ({"since": "YYYY" | "YYYY-MM" | "",
        # "text": French[, "about": the part of the source it concerns, "demandeurs" | "offres"; all of it when
        # absent]}, ...). The monthly note's "Avertissements" come from here, never typed into the note.
        "CAVEATS": (),
    }

    def __init__(self, module: ModuleType):
        missing = [name for name in self.REQUIRED if name not in vars(module)]
        if missing:
            raise TypeError(f"source module {module.__name__} lacks {', '.join(missing)}")
        self.module = module

    def _optional(self, name: str):
        return vars(self.module).get(name, self.OPTIONAL[name])

    def __repr__(self) -> str:
        return f"Source({self.name})"

    @property
    def name(self) -> str:
        return self.module.NAME

    @property
    def publisher(self) -> str:
        return self.module.PUBLISHER

    @property
    def title(self) -> str:
        return self.module.TITLE

    @property
    def licence(self) -> str:
        return self.module.LICENCE

    @property
    def url(self) -> str:
        return self.module.URL

    @property
    def kind(self) -> str:
        return self.module.KIND

    @property
    def fields(self) -> list[str]:
        return self.module.FIELDS

    def recognise(self, path: Path) -> bool:
        return self.module.recognise(path)

    def read(self, path: Path) -> RawTable:
        return self.module.read(path)

    @property
    def types(self) -> dict[str, str]:
        return self._optional("TYPES")

    @property
    def csv_layouts(self) -> dict[str, dict[str, str]]:
        return self._optional("CSV_LAYOUTS")

    def near_miss(self, path: Path) -> str | None:
        hook = self._optional("near_miss")
        return hook(path) if hook else None

    def clean(self, path: Path, folder: Path) -> Path:
        """The file to read and store: the source's cleaned copy (see OPTIONAL["clean"]), else the file itself."""
        hook = self._optional("clean")
        return (hook(path, folder) if hook else None) or path

    def replaces(self, new_scope: str, old_scope: str) -> bool:
        hook = self._optional("replaces")
        return bool(hook(new_scope, old_scope)) if hook else False

    @property
    def replace_whole_history(self) -> bool:
        return self._optional("REPLACE_WHOLE_HISTORY")

    @property
    def replacement_key(self) -> tuple[str, str] | None:
        return self._optional("REPLACEMENT_KEY")

    def catalog_row(self) -> dict:
        """What is said of the source where it has no file (meta_source_catalog in the marts)."""
        return {"source": self.name, "publisher": self.publisher, "title": self.title, "url": self.url,
                "fetchable": self.fetchable, "no_fetch_reason": self.no_fetch_reason, "load_hint": self.load_hint,
                "releases": list(self.releases), "release_note": self.release_note,
                "published_in_period": self.published_in_period,
                "caveats": [{"since": caveat["since"], "text": caveat["text"], "about": caveat.get("about", "")}
                            for caveat in self.caveats]}

    @property
    def releases(self) -> tuple[str, ...]:
        return tuple(self._optional("RELEASES"))

    @property
    def published_in_period(self) -> bool:
        return self._optional("PUBLISHED_IN_PERIOD")

    @property
    def release_note(self) -> str:
        return self._optional("RELEASE_NOTE")

    @property
    def caveats(self) -> tuple[dict[str, str], ...]:
        return tuple(self._optional("CAVEATS"))

    @property
    def fetchable(self) -> bool:
        """Whether `fetch` can download it (else the user downloads the file and imports it)."""
        return self._optional("fetch_requests") is not None

    def fetch_requests(self, departements: list[str]) -> list[FetchRequest]:
        return self._optional("fetch_requests")([] if self.fetch_national else departements)

    @property
    def fetch_national(self) -> bool:
        return self._optional("FETCH_NATIONAL")

    @property
    def no_fetch_reason(self) -> str:
        return self._optional("NO_FETCH_REASON")

    @property
    def load_hint(self) -> str:
        return self._optional("LOAD_HINT")
