"""The France Travail "Marché du travail" API, called for `fetch`: OAuth2 client credentials from the
environment (FT_CLIENT_ID, FT_CLIENT_SECRET; never stored nor printed), a token cached until shortly before
it expires, throttled calls. What to ask and how to read the answers is the source's (sources/france_travail.py);
the bassins and ROME codes to ask come from the marts (read/figures.py)."""

import os
import time
from collections.abc import Callable
from pathlib import Path

from pipelines import paths
from pipelines.errors import InputError
from pipelines.ingest import http
from pipelines.read import figures, marts
from pipelines.sources.france_travail import (
    API_BASE,
    ENV_ID,
    ENV_SECRET,
    INDICATORS,
    NAME,
    SCOPE,
    SKIP_REASON,
    TOKEN_URL,
    criteria_for,
    write_snapshot,
)
from pipelines.sources.protocol import Skipped

CALLS_PER_SECOND = 9  # a margin under the documented 10 calls/s
MAX_BASSINS = 12  # beyond, ask for a bassin or a département rather than hundreds of thousands of calls
TOKEN_MARGIN = 60.0  # seconds before expiry when a cached token is renewed (a tenth of a short lifetime)
# An answer for one (bassin, ROME) the API does not know: recorded, not fatal. But when EVERY call of one
# indicator gets 400, its criteria are wrong (not "no data"): the fetch fails, naming the endpoint.
NO_DATA_STATUSES = (400, 404)


# --- the API client ---------------------------------------------------------------------------------


class Throttle:
    """At most `per_second` calls in any one second: calls are spaced 1/per_second apart."""

    def __init__(self, per_second: float, clock: Callable[[], float], sleep: Callable[[float], object]):
        self.interval, self.clock, self.sleep = 1.0 / per_second, clock, sleep
        self.next_at: float | None = None

    def wait(self) -> None:
        now = self.clock()
        if self.next_at is not None and now < self.next_at:
            self.sleep(self.next_at - now)
            now = self.next_at
        self.next_at = now + self.interval


class TokenError(http.DownloadError):
    """A failed token request (whatever its status): never taken for an indicator's "no data" answer."""


class Client:
    """OAuth2 client-credentials client of the API: the token is cached until shortly before it expires
    and renewed once on a 401; API calls are throttled. clock and sleep are injectable for tests;
    on_retry is told of each retry (see http.download), so that a slow API is not silent; network is the
    fetch's http.Connectivity (no retries when the machine is offline)."""

    def __init__(self, client_id: str, client_secret: str, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], object] = time.sleep, per_second: float = CALLS_PER_SECOND,
                 on_retry: Callable[[str], object] | None = None, network: http.Connectivity | None = None,
                 scope: str = SCOPE, api_name: str = "Marché du travail", token_url: str = TOKEN_URL):
        self._id, self._secret = client_id, client_secret
        # The API asked (its scope, its token URL), and its name in a refused token's message.
        self.scope, self.api_name, self.token_url = scope, api_name, token_url
        self.clock, self.sleep, self.on_retry, self.network = clock, sleep, on_retry, network
        self.throttle = Throttle(per_second, clock, sleep)
        self._token: str | None = None
        self._expires_at = 0.0
        self.token_requests = 0
        self.calls = 0  # API calls made (token requests apart), for the provenance

    def __repr__(self) -> str:  # never the secret nor the token, even in a traceback's locals
        return f"Client({ENV_ID}=…, {ENV_SECRET}=***)"

    def token(self) -> str:
        if self._token is not None and self.clock() < self._expires_at:
            return self._token
        self.token_requests += 1
        try:
            answer = http.post_json(self.token_url, data={"grant_type": "client_credentials", "client_id": self._id,
                                                     "client_secret": self._secret, "scope": self.scope},
                                    sleep=self.sleep, on_retry=self.on_retry, network=self.network)
        except http.OfflineError:
            raise  # no network: not the credentials' fault
        except http.DownloadError as error:  # url, body and detail already masked by http (secret AND client id)
            if error.status in (400, 401, 403):
                raise TokenError(
                    error.url, "jeton refusé : vérifiez FT_CLIENT_ID / FT_CLIENT_SECRET et que l'API « "
                    f"{self.api_name} » est associée à votre application francetravail.io", status=error.status,
                    body=error.body) from None
            raise TokenError(error.url, "demande de jeton en échec", status=error.status,
                             detail=str(error)) from None
        token = answer.get("access_token") if isinstance(answer, dict) else None
        if not isinstance(token, str) or not token:
            raise TokenError(self.token_url, "réponse sans access_token")
        lifetime = answer.get("expires_in")
        lifetime = float(lifetime) if isinstance(lifetime, int | float) and not isinstance(lifetime, bool) else 60.0
        self._token = token
        self._expires_at = self.clock() + max(0.0, lifetime - min(TOKEN_MARGIN, lifetime / 10))
        return token

    def forget_token(self) -> None:
        self._token, self._expires_at = None, 0.0

    def call(self, endpoint: str, criteria: dict):
        """POST criteria to an indicator endpoint: the parsed answer, or None for 204 "no content"."""
        return self._authorised(lambda headers: http.post_json(
            API_BASE + endpoint, json=criteria, sleep=self.sleep, no_content_ok=True, on_retry=self.on_retry,
            network=self.network, headers=headers))

    def get(self, url: str, params: dict):
        """GET an API URL with params: the parsed answer, or None for 204 "no content"."""
        return self._authorised(lambda headers: http.get_json(
            url, params=params, sleep=self.sleep, no_content_ok=True, on_retry=self.on_retry, network=self.network,
            headers=headers))

    def _authorised(self, request: Callable[[dict], object]):
        """request(headers) with a bearer token, throttled; on a 401, once, with a new token."""
        for attempt in (1, 2):
            token = self.token()
            self.throttle.wait()
            self.calls += 1
            try:
                return request({"Authorization": f"Bearer {token}", "Accept": "application/json"})
            except http.DownloadError as error:
                if error.status == 401 and attempt == 1:  # expired or revoked early: one new token, once
                    self.forget_token()
                    continue
                raise
        raise AssertionError("unreachable")


def rome_codes() -> list[str]:
    """The ROME codes of our sectors, from the current marts."""
    with marts.connect() as con:
        codes = figures.sector_rome_codes(con)
    if not codes:
        raise InputError(paths.MARTS_DB, "aucun code ROME connu pour les secteurs : importez la correspondance "
                                         "ROME ↔ FAP (rome_fap) puis relancez")
    return codes


def bassins_of(territory_type: str, territory_code: str) -> list[str]:
    """The bassins BMO to ask for: the territory itself, or the bassins whose communes meet it."""
    if territory_type == "bassin_bmo":
        return [territory_code]
    with marts.connect() as con:
        bassins = figures.bassins_meeting(con, territory_type, territory_code)
    if not bassins:
        raise InputError(f"{territory_type}:{territory_code}", "aucun bassin BMO connu pour ce territoire")
    if len(bassins) > MAX_BASSINS:
        raise InputError(f"{territory_type}:{territory_code}",
                         f"{len(bassins)} bassins BMO : trop d'appels ; choisissez un bassin ou un département")
    return bassins


def credentials() -> tuple[str, str] | None:
    client_id, secret = os.environ.get(ENV_ID, "").strip(), os.environ.get(ENV_SECRET, "").strip()
    return (client_id, secret) if client_id and secret else None


def fetch_files(territory: tuple[str, str], incoming: Path, say=print, sleep=time.sleep,
                clock=time.monotonic, network: http.Connectivity | None = None) -> list[tuple[Path, dict]]:
    """Call the API for the territory's bassins × our sectors' ROME codes × the three indicators and write one
    snapshot into `incoming`; [(file, provenance)] for `fetch` to import. Raises Skipped without credentials,
    DownloadError or InputError on failure (nothing written then); network: see Client."""
    found = credentials()
    if found is None:
        raise Skipped(SKIP_REASON)
    bassins, romes = bassins_of(*territory), rome_codes()
    client = Client(*found, clock=clock, sleep=sleep, on_retry=lambda notice: say(f"  {NAME} : {notice}"),
                    network=network)
    total = len(bassins) * len(romes) * len(INDICATORS)
    say(f"  {NAME} : {total} appels ({len(bassins)} bassin(s) × {len(romes)} codes ROME × {len(INDICATORS)} "
        f"indicateurs)")
    calls, refused = [], {indicator: [] for indicator in INDICATORS}  # indicator: bodies of its 400 answers
    for bassin in bassins:
        for rome in romes:
            for indicator, (endpoint, _, _) in INDICATORS.items():
                criteria = criteria_for(indicator, bassin, rome)
                call = {"indicator": indicator, "endpoint": endpoint, "criteria": criteria}
                try:
                    call["response"] = client.call(endpoint, criteria)
                except http.DownloadError as error:
                    if isinstance(error, TokenError) or error.status not in NO_DATA_STATUSES:
                        raise  # a refused token is the credentials' failure, never "no data"
                    call["response"], call["error"] = None, {"status": error.status, "body": error.body}
                    if error.status == 400:
                        refused[indicator].append(error.body)
                calls.append(call)
                if len(calls) % 50 == 0:
                    say(f"  {NAME} : {len(calls)} / {total} appels")
    asked = len(bassins) * len(romes)
    for indicator, bodies in refused.items():
        if len(bodies) == asked:
            raise http.DownloadError(
                API_BASE + INDICATORS[indicator][0],
                f"les {asked} appels de l'indicateur sont refusés (critères invalides ?) : rien n'est importé",
                status=400, body=bodies[-1])
    incoming.mkdir(parents=True, exist_ok=True)
    name = f"marche_du_travail_basbmo_{'-'.join(bassins)}.json"
    path = write_snapshot(incoming / name, calls)
    return [(path, {"fetched_from": f"{API_BASE} (BASBMO {', '.join(bassins)}, {len(romes)} codes ROME)",
                    "api_calls": len(calls)})]
