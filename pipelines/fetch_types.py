"""What a source asks `fetch` to download (kept apart so source modules need not import fetch itself)."""

from collections.abc import Callable
from dataclasses import dataclass


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
