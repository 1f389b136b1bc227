"""The project's one HTTP layer: every download from a publisher and every API call goes through here.

What it guarantees (DESIGN §2 and §8, issue 3 §1):
- one `requests` Session for the whole project, with a User-Agent naming the project and its URL;
- connect and read timeouts on every request;
- retries with exponential backoff on connection errors, timeouts, 408, 429 and 5xx, honouring
  `Retry-After` (seconds or HTTP date, capped at MAX_WAIT); a connection dropped in the middle of the
  body is retried too, within the same attempt budget (the download restarts from the first byte);
- the body streams to a temporary file next to the destination, hashed (sha256) and counted on the way,
  then `os.replace`s the destination: a failure never leaves a half-written file and never touches the
  previous good file;
- conditional GET (ETag / Last-Modified): a 304 keeps the file and reports "inchangé";
- a redirect only to the request's own host or to a host the caller declares (`allowed_hosts`): any other is
  refused before it is followed, naming both hosts; the URL finally answered is reported (`final_url`);
- a size cap (`max_bytes`, JSON_MAX_BYTES for API answers): a body announced or streamed past it is refused at
  once, nothing written;
- content checks when the caller says what it expects: an HTML error page served with status 200, an
  empty body or header-only CSV export, an "xlsx" or "zip" that is not a whole zip archive are refused;
- every failure is one exception, DownloadError, naming the URL (secrets masked), the HTTP status if
  any and the first bytes of the body;
- a machine with no network is recognised at once (issue 10 §3) when the caller passes a Connectivity
  (`network`, one per fetch): when a first request cannot even connect (DNS failure, connection refused,
  network unreachable, connect timeout) and nothing has answered yet, two other publisher hosts are tried once
  each; if none answers either, the request is given up without retries (OfflineError, a DownloadError) and so
  is every later one through the same Connectivity. A host that cannot be reached while another answers is
  only a publisher down: its retries are as usual.

Nothing here prints: results are returned, long downloads report through a `progress` callback and
retries through an `on_retry` one (the caller decides where the words go).
The read timeout applies to each wait for data, not to the whole download: a server that keeps sending
slowly is not cut off.
"""

import hashlib
import json
import os
import re
import time
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urljoin, urlsplit, urlunsplit

import requests
import urllib3

from pipelines import atomic
from pipelines.errors import DownloadError, OfflineError, system_problem  # defined low so that sources can name them
from pipelines.frformat import fmt_int, fmt_size
from pipelines.sources.raw import sha256_of

# How we name ourselves to the publishers' servers: the project, and how to reach whoever runs this copy, from one
# setting, ZOOM_SECTEURS_CONTACT (an e-mail address or a web page of the organisation; none by default: the
# project has no address of its own to give, and a made-up one would mislead a publisher wanting to reach us).
CONTACT_SETTING = "ZOOM_SECTEURS_CONTACT"


def user_agent() -> str:
    """'zoom-secteurs/0.1.0 (Zoom secteurs, tableau de bord open source ; contact : observatoire@exemple.fr)'."""
    # An HTTP header is Latin-1: accents kept, anything else ("œ", emoji) written without its mark or left out;
    # then one line, whatever was set.
    contact = "".join(char if ord(char) < 256 else
                      unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode("latin-1")
                      for char in os.environ.get(CONTACT_SETTING, ""))
    contact = " ".join(contact.split())
    try:
        installed = version("zoom-secteurs")
    except PackageNotFoundError:  # the code run from a checkout that was not pip-installed
        installed = "dev"
    return (f"zoom-secteurs/{installed} (Zoom secteurs, tableau de bord open source"
            + (f" ; contact : {contact}" if contact else "") + ")")

NEW = "nouveau"  # a file that was not there, or whose content changed
UNCHANGED = "inchangé"  # a 304, or the same content (sha256) as last time

MAX_WAIT = 120.0  # seconds: the longest pause between two attempts, whatever Retry-After asks for
BODY_START = 200  # bytes of a response body quoted in error messages
HEAD_BYTES = 64 * 1024  # bytes kept in memory from the start of a download, for the content checks
CHUNK_BYTES = 64 * 1024  # bytes read from the network at a time while streaming
# The largest API answer accepted (read into memory): a page of France Travail's statistics API or a dataset's
# schema is tens of kilobytes; a bigger answer is a server gone wrong, refused like a download past its cap.
JSON_MAX_BYTES = 20_000_000
RETRY_STATUSES = frozenset({408, 429}) | frozenset(range(500, 600))  # statuses that may heal by waiting
PROBES = 2  # other hosts tried once each before a machine is said to be offline
PROBE_TIMEOUT = (3, 3)  # (connect, read) seconds of such a try: any answer, even an error status, will do

# Query parameters, form fields and headers whose values never appear in messages. An OAuth2 client id is
# half of the credentials: a token endpoint may echo it in an error body, so it is masked like the secret.
_SECRET_NAME = re.compile(r"secret|token|passw|api[-_]?key|signature|credential|auth|cookie|client[-_]?id|^key$|"
                          r"^code$", re.I)
_MASK = "***"

# Transport failures worth another attempt. requests wraps most urllib3 errors, but not every one
# raised while streaming a body (e.g. urllib3's IncompleteRead), hence urllib3.exceptions.HTTPError.
_TRANSPORT_ERRORS = (
    requests.exceptions.ConnectionError,  # refused, reset, DNS failure, connect timeout, read timeout mid-body
    requests.exceptions.Timeout,  # read timeout before the headers
    requests.exceptions.ChunkedEncodingError,  # connection dropped mid-body (IncompleteRead, bad chunk)
    requests.exceptions.ContentDecodingError,  # a gzip body cut short
    urllib3.exceptions.HTTPError,
)

_session: requests.Session | None = None  # the one piece of module state (see session())


def session() -> requests.Session:
    """The project's one HTTP session (connection pooling, User-Agent), made on first use.

    Proxy settings come from the environment (HTTPS_PROXY, NO_PROXY), as requests does by default.
    Retries are done by this module, not by urllib3, so that they are explicit and testable.
    """
    global _session
    if _session is None:
        _session = requests.Session()
        _session.headers["User-Agent"] = user_agent()
    return _session


@dataclass(frozen=True)
class DownloadResult:
    url: str  # the URL with its query string, secrets masked: fit for the manifest
    path: Path
    status: str  # NEW ("nouveau") or UNCHANGED ("inchangé")
    sha256: str
    bytes: int
    etag: str | None
    last_modified: str | None
    attempts: int  # the attempt that succeeded, 1 for the first
    seconds: float  # wall time, pauses between attempts included
    final_url: str = ""  # the URL that answered, after the redirects allowed (secrets masked): `url` if none


# --- describing a request without its secrets --------------------------------------------------


def _pairs(values) -> list[tuple[str, str]]:
    """(name, value) pairs from a dict or a list of pairs; list values give one pair per item."""
    if not values or isinstance(values, str | bytes):
        return []  # a raw query string or body: nothing we can name
    items = values.items() if hasattr(values, "items") else values
    pairs = []
    for name, value in items:
        for item in value if isinstance(value, list | tuple) else [value]:
            if item is not None:
                pairs.append((str(name), str(item)))
    return pairs


class _Target:
    """One request as it may be shown to a user: the URL with secrets masked, and a scrubber that
    removes the secret values from anything quoted (bodies, exception texts)."""

    def __init__(self, url: str, params=None, headers=None, data=None):
        parts = urlsplit(url)
        query = parse_qsl(parts.query, keep_blank_values=True) + _pairs(params)
        secrets = [value for name, value in query + _pairs(data) if _SECRET_NAME.search(name)]
        for name, value in (headers or {}).items():
            value = value.decode("latin-1") if isinstance(value, bytes) else str(value)
            if _SECRET_NAME.search(name):  # Authorization, Proxy-Authorization, Cookie, X-Api-Key...
                secrets += [value, value.split(" ", 1)[-1]]  # "Bearer <token>": the token alone too
        if parts.password:
            secrets.append(parts.password)
        # Longest first, so that a secret containing another is masked whole; very short values are
        # left alone (masking "1" everywhere would garble the message and protect nothing).
        self._secrets = sorted({value for value in secrets if len(value) >= 4}, key=len, reverse=True)
        shown = [(name, _MASK if _SECRET_NAME.search(name) else value) for name, value in query]
        netloc = parts.netloc.rpartition("@")[2]  # drop user:password@
        self.url = urlunsplit((parts.scheme, netloc, parts.path, urlencode(shown, safe="*"), ""))

    def scrub(self, text: str) -> str:
        for secret in self._secrets:
            for form in (secret, quote(secret, safe=""), quote_plus(secret)):
                text = text.replace(form, _MASK)
        return text

    def error(self, problem: str, *, status: int | None = None, body: bytes = b"",
              detail: str = "", attempts: int | None = None) -> DownloadError:
        text = body[:BODY_START].decode("utf-8", errors="replace")
        return DownloadError(self.url, problem, status=status, body=self.scrub(text),
                             detail=self.scrub(detail), attempts=attempts)


# --- retries ---------------------------------------------------------------------------------------


class _Retry(Exception):
    """One attempt failed in a way that may heal by waiting (internal: never leaves this module).
    unreachable: the host could not even be connected to (see _unreachable)."""

    def __init__(self, problem: str, *, status: int | None = None, body: bytes = b"",
                 detail: str = "", wait: float | None = None, unreachable: bool = False):
        super().__init__(problem)
        self.problem = problem
        self.status, self.body, self.detail, self.wait = status, body, detail, wait
        self.unreachable = unreachable


def _unreachable(error: Exception) -> bool:
    """True for a failure to connect at all: DNS resolution failure, connection refused, network unreachable,
    connect timeout, proxy unreachable. False for anything that shows a server was there (an error status, a
    read timeout, a connection dropped after it was made, a TLS error)."""
    if isinstance(error, requests.exceptions.ConnectTimeout | requests.exceptions.ProxyError):
        return True
    # requests wraps urllib3's MaxRetryError, whose `reason` is what went wrong (NameResolutionError and
    # NewConnectionError are ConnectTimeoutError subclasses).
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return isinstance(error, requests.exceptions.ConnectionError) and isinstance(
        reason, urllib3.exceptions.ConnectTimeoutError | urllib3.exceptions.ProxyError)


def _origin(url: str) -> str:
    """scheme://host[:port] of a URL, without user:password@."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"


class Connectivity:
    """What one fetch has learnt about the network, so that a machine with no network is told at once rather
    than after every retry of every file: has any host answered, and, once a first request could not connect,
    did other hosts (`hosts`: URLs of the publishers this fetch may ask, in order) answer a single try.

    reached() is called after any attempt that got an answer; unreachable(url) after an attempt that could not
    connect, and says whether the machine is offline (then the caller gives up without retries). The other hosts
    are tried once, at the first such failure, only if nothing has answered yet; with no other host to try, the
    machine is not said to be offline (a publisher may be down: its retries go on)."""

    def __init__(self, hosts: Iterable[str] = (), probes: int = PROBES, timeout=PROBE_TIMEOUT):
        self.candidates = list(dict.fromkeys(_origin(url) for url in hosts))
        self.probes, self.timeout = probes, timeout
        self.answered = False  # some host answered, in this fetch: the network is there
        self.offline = False
        self.tried: list[str] = []  # the hosts that could not be connected to, when offline
        self._probed = False

    def reached(self) -> None:
        self.answered = True

    def unreachable(self, url: str) -> bool:
        if self.offline or self.answered or self._probed:
            return self.offline
        self._probed = True
        failing = _origin(url)
        others = [origin for origin in self.candidates if origin != failing][: self.probes]
        for origin in others:
            if self._answers(origin):
                self.answered = True
                return False
        if others:
            self.offline = True
            self.tried = [urlsplit(origin).netloc for origin in [failing, *others]]
        return self.offline

    def _answers(self, origin: str) -> bool:
        """One try of a host (HEAD /, no retry, short timeouts, through the session and so its proxies):
        True if anything answered, whatever the status."""
        try:
            session().head(origin + "/", timeout=self.timeout, allow_redirects=False).close()
        except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError) as error:
            return not _unreachable(error)
        return True


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait according to a Retry-After header (delay in seconds or HTTP date), between 0 and
    MAX_WAIT; None when the header is absent or unreadable."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        seconds = float(value)
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(seconds, 0.0), MAX_WAIT)


def _backoff_seconds(backoff: float, attempt: int) -> float:
    """Exponential backoff after the given failed attempt: backoff, 2×backoff, 4×backoff… capped."""
    return min(backoff * 2 ** (attempt - 1), MAX_WAIT)


def _retry_notice(failure: _Retry, wait: float, attempt: int, attempts: int) -> str:
    """What a user waiting on a retry is told, e.g. 'nouvelle tentative dans 2 s (erreur du serveur,
    HTTP 503), essai 2 sur 4'."""
    problem = failure.problem + (f", HTTP {failure.status}" if failure.status is not None else "")
    seconds = f"{wait:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"nouvelle tentative dans {seconds} s ({problem}), essai {attempt + 1} sur {attempts}"


def _with_retries(target: _Target, once: Callable[[int], object], attempts: int, backoff: float,
                  sleep: Callable[[float], object], on_retry: Callable[[str], object] | None = None,
                  network: Connectivity | None = None):
    """Call once(attempt) until it returns; a _Retry means wait and try again, up to `attempts` calls.
    Any other exception (a DownloadError that waiting will not fix) goes straight to the caller.
    on_retry(notice) is told before each pause, so that a long series of retries is not silent.
    network: the fetch's Connectivity; when it says the machine is offline, OfflineError at once."""
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    if network is not None and network.offline:
        raise OfflineError(target.url, network.tried)
    for attempt in range(1, attempts + 1):
        try:
            result = once(attempt)
        except _Retry as failure:
            if network is not None:
                if not failure.unreachable:
                    network.reached()
                elif network.unreachable(target.url):
                    raise OfflineError(target.url, network.tried, detail=failure.detail, attempts=attempt) from None
            if attempt == attempts:
                raise target.error(failure.problem, status=failure.status, body=failure.body,
                                   detail=failure.detail, attempts=attempts) from None
            wait = failure.wait if failure.wait is not None else _backoff_seconds(backoff, attempt)
            if on_retry:
                on_retry(_retry_notice(failure, wait, attempt, attempts))
            sleep(wait)
        except DownloadError:
            if network is not None:
                network.reached()  # refused, or not what was expected: a server answered all the same
            raise
        else:
            if network is not None:
                network.reached()
            return result
    raise AssertionError("unreachable")


def _transport_failure(target: _Target, error: Exception) -> _Retry:
    """A _Retry describing a network failure; the exception's text is kept, scrubbed of secrets
    (requests puts the full URL with its query string in its messages)."""
    detail = target.scrub(f"{type(error).__name__}: {error}")[:300]
    if _unreachable(error):
        timed_out = isinstance(error, requests.exceptions.ConnectTimeout)
        return _Retry("délai de connexion dépassé" if timed_out else "connexion impossible ou interrompue",
                      detail=detail, unreachable=True)
    if isinstance(error, requests.exceptions.Timeout | urllib3.exceptions.TimeoutError) \
            or "timed out" in str(error).lower():
        return _Retry("délai d'attente dépassé", detail=detail)
    if isinstance(error, requests.exceptions.ChunkedEncodingError | requests.exceptions.ContentDecodingError
                  | urllib3.exceptions.ProtocolError):
        return _Retry("connexion coupée pendant le téléchargement",
                      detail=detail)
    return _Retry("connexion impossible ou interrompue", detail=detail)


def _redirect_guard(target: _Target, url: str, allowed_hosts: Iterable[str]) -> Callable:
    """A requests response hook that refuses, before it is followed, a redirect to a host other than the
    request's own or one of `allowed_hosts` (a publisher's declared CDN): a portal taken over, or a link
    moved to a look-alike site, must not feed data/raw. requests calls it on every hop of a redirect chain."""
    home = urlsplit(url).hostname
    allowed = {home, *(host.lower() for host in allowed_hosts)}

    def check(response: requests.Response, *args, **kwargs) -> requests.Response:
        if response.is_redirect:
            host = urlsplit(urljoin(response.url, response.headers["Location"])).hostname
            if host not in allowed:
                response.close()
                raise target.error(f"redirection de {home} vers {host} refusée : cet hôte n'est pas déclaré par la "
                                   "source", status=response.status_code)
        return response

    return check


def _send(target: _Target, method: str, url: str, *, timeout, stream: bool, allowed_hosts: Iterable[str] = (),
          **kwargs) -> requests.Response:
    """One request through the shared session, its redirects checked (_redirect_guard); network failures
    become _Retry or DownloadError."""
    hooks = {"response": _redirect_guard(target, url, allowed_hosts)}
    try:
        return session().request(method, url, timeout=timeout, stream=stream, hooks=hooks, **kwargs)
    except requests.exceptions.SSLError as error:
        # A certificate problem does not heal by waiting: say so at once.
        raise target.error("erreur TLS/SSL (certificat ?)",
                           detail=f"{type(error).__name__}: {error}") from None
    except _TRANSPORT_ERRORS as error:
        raise _transport_failure(target, error) from None
    except requests.exceptions.RequestException as error:  # invalid URL, too many redirects...
        raise target.error("requête impossible",
                           detail=f"{type(error).__name__}: {error}") from None


def _body_start(response: requests.Response) -> bytes:
    """The first bytes of a body we are about to discard (for error messages); b"" if unreadable."""
    try:
        return next(response.iter_content(BODY_START), b"")[:BODY_START]
    except (*_TRANSPORT_ERRORS, requests.exceptions.RequestException):
        return b""


def _check_status(target: _Target, response: requests.Response) -> None:
    """Return for a 2xx or 304; raise _Retry for statuses that may heal, DownloadError for the others."""
    status = response.status_code
    if 200 <= status < 300 or status == 304:
        return
    body = _body_start(response)
    if status in RETRY_STATUSES:
        problem = {429: "trop de requêtes", 408: "délai dépassé côté serveur"}.get(status, "erreur du serveur")
        raise _Retry(problem, status=status, body=body, wait=retry_after_seconds(response.headers.get("Retry-After")))
    raise target.error("le serveur refuse la demande", status=status, body=body)


# --- content checks ----------------------------------------------------------------------------------


def _looks_like_html(response: requests.Response, head: bytes) -> bool:
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()  # after a BOM and blank space
    return content_type in ("text/html", "application/xhtml+xml") or start.startswith((b"<!doctype html", b"<html"))


def _header_only(head: bytes, size: int) -> bool:
    """A CSV with at most one non-blank line (a header and no rows). Only judged when the whole file fits
    in `head`: a bigger file has rows unless its header alone is over 64 KiB, which no source has."""
    lines = [line for line in head.splitlines() if line.strip(b"\xef\xbb\xbf \t")]
    return size <= len(head) and len(lines) <= 1


def _check_content(target: _Target, response: requests.Response, expect: str | None, head: bytes, size: int,
                   file: Path | None = None) -> None:
    """Refuse a body that cannot be the expected kind of file. Not retried: a portal that serves an
    error page or an empty export with status 200 usually does so for a while."""
    if expect is None:
        return
    status = response.status_code
    if _looks_like_html(response, head):
        raise target.error(f"page HTML reçue au lieu d'un fichier {expect} (page d'erreur ou de connexion ?)",
                           status=status, body=head)
    if size == 0:
        raise target.error("réponse vide", status=status)
    if expect == "csv" and _header_only(head, size):
        raise target.error("export vide : une ligne d'en-tête et aucune donnée", status=status, body=head)
    if expect == "xlsx" and (not head.startswith(b"PK\x03\x04") or (file is not None and not zipfile.is_zipfile(file))):
        raise target.error("ce n'est pas un classeur xlsx (archive zip attendue, ou archive tronquée)",
                           status=status, body=head)
    if expect == "zip" and (not head.startswith(b"PK\x03\x04") or (file is not None and not zipfile.is_zipfile(file))):
        raise target.error("ce n'est pas une archive zip (ou l'archive est tronquée)", status=status, body=head)
    # The APIs we call answer with an object or an array, never a bare string or number.
    if expect == "json" and head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] not in (b"{", b"["):
        raise target.error("ce n'est pas du JSON", status=status, body=head)


# --- downloads ---------------------------------------------------------------------------------------


@dataclass
class _Streamed:
    sha256: str
    size: int
    head: bytes  # the first HEAD_BYTES bytes


def _expected_length(response: requests.Response) -> int | None:
    """Content-Length when it counts the bytes we will write (not for a compressed body)."""
    if response.headers.get("Content-Encoding", "identity").lower() != "identity":
        return None
    try:
        return int(response.headers["Content-Length"])
    except (KeyError, ValueError):
        return None


def _too_big(target: _Target, response: requests.Response, max_bytes: int, announced: int | None = None):
    said = f"le serveur annonce {fmt_size(announced)}" if announced else "téléchargement arrêté"
    return target.error(f"fichier trop gros : plus de {fmt_size(max_bytes)}, la limite fixée pour cette source "
                        f"({said} ; rien n'est écrit)", status=response.status_code)


def _stream_body(target: _Target, response: requests.Response, write: Callable[[bytes], object],
                 progress: Callable[[int, int | None], object] | None = None,
                 max_bytes: int | None = None) -> _Streamed:
    """Pass the body to `write` chunk by chunk, hashing and counting on the way, refused (DownloadError) as soon
    as it is announced or streamed past `max_bytes`: one cap for downloads and API answers. A connection dropped
    or stalled mid-body is a _Retry."""
    total = _expected_length(response)
    if max_bytes is not None and total is not None and total > max_bytes:
        raise _too_big(target, response, max_bytes, total)  # not one byte read
    digest, size, head = hashlib.sha256(), 0, bytearray()
    if progress:
        progress(0, total)
    try:
        for chunk in response.iter_content(CHUNK_BYTES):
            if max_bytes is not None and size + len(chunk) > max_bytes:  # a compressed body, or a lie
                raise _too_big(target, response, max_bytes)
            write(chunk)
            digest.update(chunk)
            size += len(chunk)
            if len(head) < HEAD_BYTES:
                head += chunk[: HEAD_BYTES - len(head)]
            if progress:
                progress(size, total)
    except _TRANSPORT_ERRORS as error:
        raise _transport_failure(target, error) from None
    if total is not None and size != total:
        # urllib3 normally raises on a short body already; this also catches a long one.
        raise _Retry("connexion coupée pendant le téléchargement",
                     detail=f"{fmt_int(size)} octets reçus sur {fmt_int(total)} annoncés")
    return _Streamed(digest.hexdigest(), size, bytes(head))


def _stream_to_file(target: _Target, response: requests.Response, file: Path,
                    progress: Callable[[int, int | None], object] | None, max_bytes: int | None = None) -> _Streamed:
    """Write the body to `file` (a temporary file: see download), its bytes on disk when this returns."""
    with open(file, "wb") as handle:
        streamed = _stream_body(target, response, handle.write, progress, max_bytes)
        handle.flush()
        os.fsync(handle.fileno())  # the bytes are on disk before the rename makes them the file
    return streamed


def download(url: str, destination: Path, *, params=None, headers=None, previous: dict | None = None,
             expect: str | None = None, timeout=(10, 60), attempts: int = 4, backoff: float = 1.0,
             sleep: Callable[[float], object] = time.sleep,
             progress: Callable[[int, int | None], object] | None = None,
             on_retry: Callable[[str], object] | None = None, network: Connectivity | None = None,
             allowed_hosts: Iterable[str] = (), max_bytes: int | None = None) -> DownloadResult:
    """Download `url` to `destination`, replacing it atomically, or raise DownloadError leaving it untouched.

    previous: what was recorded for this URL last time (keys "etag", "last_modified", "sha256", all
        optional). With a file already at `destination`, the request is conditional and a 304 returns
        status "inchangé" without rewriting the file; the same sha256 as last time is "inchangé" too.
    expect: "csv" | "xlsx" | "zip" | "json" | None: refuse an HTML page, an empty body, a header-only CSV,
        an "xlsx" or "zip" that is not a whole zip archive (None: accept any body).
    timeout: (connect, read) seconds. attempts: requests at most, retries included. backoff: first pause
        in seconds, doubled at each retry unless the server sends Retry-After. sleep: injectable for tests.
    progress: called as progress(bytes_so_far, total_or_None) while the body streams.
    on_retry: called with a French notice (_retry_notice) before each pause between attempts.
    network: the fetch's Connectivity: with no network at all, OfflineError without retries (module docstring).
    allowed_hosts: hosts other than the URL's that a redirect may lead to (any other: DownloadError, not retried).
    max_bytes: the largest body accepted (None: no cap); a bigger one is DownloadError, not retried.
    """
    destination = Path(destination)
    if expect not in (None, "csv", "xlsx", "zip", "json"):
        raise ValueError(f"expect must be csv, xlsx, zip, json or None, not {expect!r}")
    target = _Target(url, params, headers)
    previous = previous or {}
    started = time.monotonic()
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise target.error(f"dossier de destination impossible à créer : {destination.parent}",
                           detail=system_problem(error)) from None

    # Conditional GET only when there is a file to keep: a 304 without one would leave us with nothing.
    conditional = {}
    if destination.is_file():
        if previous.get("etag"):
            conditional["If-None-Match"] = previous["etag"]
        if previous.get("last_modified"):
            conditional["If-Modified-Since"] = previous["last_modified"]

    def once(attempt: int) -> DownloadResult:
        response = _send(target, "GET", url, params=params, headers={**conditional, **(headers or {})},
                         timeout=timeout, stream=True, allowed_hosts=allowed_hosts)
        # After the redirects allowed, secrets masked; written as `url` is when there was none.
        final_url = _Target(response.url).url if response.history else target.url
        with response:
            _check_status(target, response)
            etag = response.headers.get("ETag")
            last_modified = response.headers.get("Last-Modified")
            if response.status_code == 304:
                if not conditional:
                    raise target.error("réponse 304 à une demande non conditionnelle", status=304)
                return DownloadResult(target.url, destination, UNCHANGED, sha256_of(destination),
                                      destination.stat().st_size, etag or previous.get("etag"),
                                      last_modified or previous.get("last_modified"), attempt,
                                      time.monotonic() - started, final_url)
            try:
                with atomic.replacing(destination) as temporary:  # the old file stays until the new one is whole
                    try:
                        streamed = _stream_to_file(target, response, temporary, progress, max_bytes)
                    except OSError as error:  # disk full, permission denied (network errors are _Retry by now)
                        raise target.error(f"écriture impossible dans {destination.parent}",
                                           detail=system_problem(error)) from None
                    _check_content(target, response, expect, streamed.head, streamed.size, temporary)
            except OSError as error:  # e.g. the destination is a folder
                raise target.error(f"impossible de remplacer {destination}", detail=system_problem(error)) from None
            status = UNCHANGED if previous.get("sha256") == streamed.sha256 else NEW
            return DownloadResult(target.url, destination, status, streamed.sha256, streamed.size, etag,
                                  last_modified, attempt, time.monotonic() - started, final_url)

    return _with_retries(target, once, attempts, backoff, sleep, on_retry, network)


# --- APIs ----------------------------------------------------------------------------------------------


def _json_call(method: str, url: str, *, params, headers, data, timeout, attempts, backoff, sleep, on_retry,
               network=None, json_body=None, no_content_ok: bool = False, max_bytes: int | None = None):
    target = _Target(url, params, headers, data)

    def once(attempt: int):
        response = _send(target, method, url, params=params, headers=headers, data=data, json=json_body,
                         timeout=timeout, stream=True)  # streamed under the cap, as a download
        with response:
            _check_status(target, response)
            if response.status_code == 304:
                raise target.error("réponse 304 inattendue", status=304)
            if response.status_code == 204 and no_content_ok:
                return None  # "no content": the API has nothing for these criteria
            chunks: list[bytes] = []
            streamed = _stream_body(target, response, chunks.append, max_bytes=max_bytes or JSON_MAX_BYTES)
            body = b"".join(chunks)
            _check_content(target, response, "json", streamed.head, streamed.size)
            try:  # JSON is UTF-8 (or UTF-16/32, with or without BOM): guessed as requests' own .json() does
                return json.loads(body.decode(requests.utils.guess_json_utf(body) or "utf-8"))
            except ValueError as error:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
                raise target.error("JSON illisible", status=response.status_code, body=body,
                                   detail=str(error)) from None

    return _with_retries(target, once, attempts, backoff, sleep, on_retry, network)


def get_json(url: str, *, params=None, headers=None, timeout=(10, 60), attempts: int = 4, backoff: float = 1.0,
             sleep: Callable[[float], object] = time.sleep, on_retry: Callable[[str], object] | None = None,
             network: Connectivity | None = None, max_bytes: int | None = None, no_content_ok: bool = False):
    """GET an API endpoint and return its parsed JSON, with the same retries (and on_retry notices, and
    network) as download(); raises DownloadError (HTML page, empty or unreadable JSON, refused request, server
    still failing, an answer past max_bytes: JSON_MAX_BYTES unless said). no_content_ok: as post_json's."""
    return _json_call("GET", url, params=params, headers=headers, data=None, timeout=timeout,
                      attempts=attempts, backoff=backoff, sleep=sleep, on_retry=on_retry, network=network,
                      max_bytes=max_bytes, no_content_ok=no_content_ok)


def post_json(url: str, *, data: dict | Iterable | None = None, json: dict | list | None = None, params=None,
              headers=None, timeout=(10, 60), attempts: int = 4, backoff: float = 1.0,
              sleep: Callable[[float], object] = time.sleep, no_content_ok: bool = False,
              on_retry: Callable[[str], object] | None = None, network: Connectivity | None = None,
              max_bytes: int | None = None):
    """POST a form (e.g. an OAuth2 client-credentials token request) or a JSON body (`json`, e.g. API search
    criteria) and return the parsed JSON answer. Form fields named like secrets (client_secret, client_id,
    password...) and secret headers (Authorization) never appear in error messages.
    no_content_ok: a 204 "no content" answer returns None instead of being refused as an empty body.
    max_bytes: the largest answer accepted (None: JSON_MAX_BYTES), as download()'s."""
    return _json_call("POST", url, params=params, headers=headers, data=data, timeout=timeout,
                      attempts=attempts, backoff=backoff, sleep=sleep, on_retry=on_retry, network=network,
                      json_body=json, no_content_ok=no_content_ok, max_bytes=max_bytes)
