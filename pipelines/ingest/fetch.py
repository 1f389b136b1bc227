"""`fetch`: bring sources from their publishers into data/raw/, through exactly the checks of `import`.

A source that can be fetched has `fetch_requests(departements) -> list[FetchRequest]` (with
`FETCH_NATIONAL = True` when its files are national and the territory does not filter them: see
sources/protocol.Source); one that cannot says why in `NO_FETCH_REASON`, and the summary names its `URL` for a
manual download. Each file is
downloaded to data/raw/.incoming/ (never over a loaded file), then imported: validated, trial-built,
copied, recorded with its URL, ETag and Last-Modified so the next fetch is a conditional GET. One
failing source never stops the others, and its previous raw files stay as they were.

A source whose files are not downloads (an API answering criteria) has instead a client here, in API_CLIENTS:
`fetch_files(territory, incoming, say, sleep) -> [(file, provenance)]` writes its snapshot into
data/raw/.incoming/<source>/ and it is imported the same way. It raises protocol.Skipped when it cannot run
here (no credentials): the source is then "ignoré" with the reason, never a failure.

With no network at all (issue 10 §3), the first request that cannot connect makes http try two other publishers
once (http.Connectivity, one per fetch); if none answers, that file fails at once and every file not yet fetched
is "non tenté", without a request: the fetch ends in seconds instead of retrying every file of every source.
A publisher that cannot be reached while another answers keeps its retries.
"""

import shutil
import time
from dataclasses import dataclass
from functools import partial
from urllib.parse import urlsplit

import requests

from pipelines import paths
from pipelines.errors import InputError
from pipelines.frformat import fmt_count, fmt_size
from pipelines.ingest import france_travail_api, http, importer, manifest, offres_api
from pipelines.read import figures, marts
from pipelines.read.territories import territory_spec
from pipelines.sources import SOURCES
from pipelines.sources.protocol import FetchRequest, Skipped

# Sources fetched through an API client of ours rather than as files to download.
API_CLIENTS = {"france_travail": france_travail_api.fetch_files, "offres": offres_api.fetch_files}
NOT_TRIED = "non tenté"  # the status of a file left alone because the machine is offline
OFFLINE_REASON = "pas de connexion réseau"


@dataclass
class Outcome:
    source: str  # the line's label: the source, or "source · part" for one file of several
    status: str  # "nouveau", "remplacé", "inchangé", "échec", "non disponible", "ignoré", NOT_TRIED
    rows: int | None = None
    period: str | None = None
    seconds: float = 0.0
    reason: str = ""
    name: str = ""  # the source's name in SOURCES (default: `source`), to count sources rather than files
    # When the machine is offline: the hosts tried, none of which answered (on the file that found out and on
    # every file not tried after it).
    unreached: tuple[str, ...] = ()
    url: str = ""  # the address asked, for a file that failed (the user may download it by hand)

    def __post_init__(self):
        self.name = self.name or self.source


def territory_departements(territory_type: str, territory_code: str) -> list[str]:
    """The départements whose communes make up the territory, read from the current marts."""
    if territory_type == "departement":  # no marts needed
        return [territory_code]
    with marts.connect() as con:
        departements = figures.territory_departements(con, territory_type, territory_code)
    if not departements:
        raise InputError(territory_spec(territory_type, territory_code), "aucune commune connue pour ce territoire")
    return departements


def _prepared_url(url: str, params: dict) -> str:
    return requests.Request("GET", url, params=params).prepare().url


def _lines(path) -> int:
    with open(path, "rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))


def _fetch_one(request: FetchRequest, source: str, label: str, say, sleep,
               network: http.Connectivity) -> importer.ImportResult | Outcome:
    # Said before anything touches the network: a publisher down, the retries of one file take several seconds.
    say(f"  {label} : téléchargement…")

    def on_retry(notice: str) -> None:
        say(f"  {label} : {notice}")

    json_call = partial(http.get_json, on_retry=on_retry, network=network)
    params = request.params(json_call) if callable(request.params) else request.params
    url = _prepared_url(request.url, params)
    previous = next((e for e in manifest.load() if e.get("fetched_from") == url), None)
    incoming = paths.RAW_DIR / ".incoming" / source / request.name
    incoming.parent.mkdir(parents=True, exist_ok=True)
    if previous and manifest.file_of(previous).exists():
        shutil.copyfile(manifest.file_of(previous), incoming)  # so that a 304 keeps it
    reported = [0]

    def progress(done: int, total: int | None) -> None:
        if done - reported[0] >= 5_000_000 or (total and done == total):
            reported[0] = done
            say(f"  {label} : {fmt_size(done)}" + (f" sur {fmt_size(total)}" if total else ""))

    try:
        result = http.download(request.url, incoming, params=params, previous=previous, expect=request.expect,
                               sleep=sleep, progress=progress, on_retry=on_retry, network=network,
                               allowed_hosts=request.redirect_hosts, max_bytes=request.max_bytes)
        if result.status == http.UNCHANGED:
            return Outcome(label, "inchangé", previous["rows"] if previous else None,
                           previous["period"] if previous else None)
        if request.expect == "csv":
            rows = fmt_count(max(_lines(incoming) - 1, 0), "ligne téléchargée", "lignes téléchargées")
            say(f"  {label} : {rows}, vérification et import…")
        recognised = importer.recognise(incoming)
        if recognised.name != source:  # the publisher moved another file to this address
            raise InputError(url, f"le fichier téléchargé est au format de la source {recognised.name}, pas {source}")
        final_url = url if result.final_url == result.url else result.final_url  # the same URL, written alike
        return importer.import_file(incoming, origin=url, provenance=manifest.fetch_provenance(
            url, final_url, result.etag, result.last_modified))
    finally:
        incoming.unlink(missing_ok=True)


def _fetch_files(name: str, territory: tuple[str, str], say, sleep, started: float,
                 network: http.Connectivity) -> list[Outcome]:
    """A source that writes its own files (an API snapshot), each imported like a downloaded file."""
    incoming = paths.RAW_DIR / ".incoming" / name
    try:
        outcomes = []
        for file, provenance in API_CLIENTS[name](territory, incoming, say=say, sleep=sleep, network=network):
            result = importer.import_file(file, origin=provenance.get("fetched_from"), provenance=provenance)
            outcomes.append(Outcome(name, result.status, result.rows, result.period))
    except Skipped as skipped:
        return [Outcome(name, "ignoré", seconds=time.perf_counter() - started, reason=str(skipped))]
    except http.OfflineError as error:
        return [_offline(name, name, error, time.perf_counter() - started)]
    except (http.DownloadError, InputError) as error:
        return [Outcome(name, "échec", seconds=time.perf_counter() - started, reason=str(error))]
    finally:
        shutil.rmtree(incoming, ignore_errors=True)
    for outcome in outcomes:
        outcome.seconds = time.perf_counter() - started
    return outcomes


def _offline(label: str, name: str, error: http.OfflineError, seconds: float = 0.0) -> Outcome:
    """The line of a file given up because the machine is offline: the one whose request found out ("échec",
    naming its host), or one tried after ("non tenté": the request was not even sent)."""
    if error.attempts is None:
        return Outcome(label, NOT_TRIED, reason=OFFLINE_REASON, name=name, unreached=tuple(error.hosts))
    return Outcome(label, "échec", seconds=seconds, reason=f"{OFFLINE_REASON} : {urlsplit(error.url).netloc} "
                   "injoignable", name=name, unreached=tuple(error.hosts))


def _plan(name: str, territory: tuple[str, str]) -> list[FetchRequest] | Outcome | None:
    """What fetching a source asks for, before any request: its files, or its outcome already (not
    fetchable, territory unknown), or None for a source fetched by an API client of ours."""
    source = SOURCES[name]
    if name in API_CLIENTS:
        return None
    if not source.fetchable:
        why = source.no_fetch_reason
        return Outcome(name, "non disponible", reason="pas de téléchargement automatique"
                       + (f" ({why})" if why else "") + f" : téléchargez le fichier sur {source.url} "
                       "puis « python -m pipelines import »")
    started = time.perf_counter()
    try:
        # A national file is the same whatever the territory: no need for the marts to find its
        # départements (the zones d'emploi must be fetchable before any territory is known).
        return source.fetch_requests([] if source.fetch_national else territory_departements(*territory))
    except (http.DownloadError, InputError) as error:
        return Outcome(name, "échec", seconds=time.perf_counter() - started, reason=str(error))


def _hosts(plans: dict[str, list[FetchRequest] | Outcome | None]) -> list[str]:
    """The URLs this fetch will ask, then those of the other national files: the hosts tried when a first
    request cannot connect, to tell a machine with no network from one publisher down."""
    urls = [request.url for plan in plans.values() if isinstance(plan, list) for request in plan]
    for name, source in SOURCES.items():
        if name not in plans and name not in API_CLIENTS and source.fetchable and source.fetch_national:
            urls += [request.url for request in source.fetch_requests([])]
    return urls


def _not_tried(name: str, plan: list[FetchRequest] | None, unreached: tuple[str, ...]) -> list[Outcome]:
    labels = [f"{name} · {request.part}" if request.part else name for request in plan] if plan else [name]
    return [Outcome(label, NOT_TRIED, reason=OFFLINE_REASON, name=name, unreached=unreached) for label in labels]


def fetch(names: list[str] | None, territory: tuple[str, str], say=print, sleep=time.sleep) -> list[Outcome]:
    """Fetch the named sources (default: all) for a territory; one Outcome per source (per file for a source
    in several files)."""
    plans = {name: _plan(name, territory) for name in names or list(SOURCES)}
    network = http.Connectivity(_hosts(plans))
    outcomes = []
    for name, plan in plans.items():
        started = time.perf_counter()
        if isinstance(plan, Outcome):
            outcomes.append(plan)
        elif plan is None:  # even offline: the client says first if it is skipped here (no credentials)
            outcomes.extend(_fetch_files(name, territory, say, sleep, started, network))
        elif network.offline:
            outcomes.extend(_not_tried(name, plan, tuple(network.tried)))
        else:
            # A source in several files (URSSAF: communes, then the server's région and France sums) gets one
            # line per file; one failing file does not stop the next.
            for index, request in enumerate(plan):
                if network.offline:
                    outcomes.extend(_not_tried(name, plan[index:], tuple(network.tried)))
                    break
                label = f"{name} · {request.part}" if request.part else name
                try:
                    result = _fetch_one(request, name, label, say, sleep, network)
                except http.OfflineError as error:
                    result = _offline(label, name, error)
                except (http.DownloadError, InputError) as error:
                    result = Outcome(label, "échec", reason=str(error), url=request.url)
                outcomes.append(result if isinstance(result, Outcome) else Outcome(
                    label, result.status, result.rows, result.period))
                outcomes[-1].seconds, outcomes[-1].name = time.perf_counter() - started, name
                started = time.perf_counter()
    shutil.rmtree(paths.RAW_DIR / ".incoming", ignore_errors=True)
    return outcomes
