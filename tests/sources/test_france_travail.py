"""The France Travail "Marché du travail" API source, against hand-written answers in the documented shape.

No network: `responses` answers every HTTP call; a fake clock records the pauses and the time of each call.
"""

import json
import re
from datetime import datetime
from urllib.parse import parse_qs

import duckdb
import pytest
import requests
import responses
import urllib3

from pipelines import paths
from pipelines.__main__ import main
from pipelines.errors import InputError
from pipelines.ingest import fetch, importer, manifest
from pipelines.ingest.france_travail_api import Client
from pipelines.ingest.http import DownloadError
from pipelines.report import figures
from pipelines.sources import france_travail
from pipelines.sources.france_travail import API_BASE, TOKEN_URL, answer, call, write_snapshot
from pipelines.sources.rome_fap import write_fap225_rome_csv
from pipelines.warehouse import build
from tests.conftest import staged, write_world

CLIENT_ID = "client-id-for-tests"
SECRET = "s3cr3t-VALUE-never-shown"
TOKEN = "tok-abcdef-123456"
RENNES = ("bassin_bmo", "5314")
OFFERS, SEEKERS, TENSION = (API_BASE + endpoint for endpoint, _, _ in france_travail.INDICATORS.values())

# The answers of the mocked API for bassin 5314 (F1703 maçonnerie: BTP; M1805 développement: numérique).
ANSWERS = {
    ("offers", "F1703"): [("2025T1", "TOFF", 120), ("2025T1", "PE", 50), ("2025T2", "TOFF", 100),
                          ("2025T2", "PE", 40), ("2025T2", "TOFF-CUMUL12MOIS", 450)],
    ("offers", "M1805"): [("2025T1", "TOFF", 80), ("2025T2", "TOFF", 90)],
    ("job_seekers", "F1703"): [("2025T1", "A", 200), ("2025T1", "ABC", 330), ("2025T2", "A", 210),
                               ("2025T2", "ABC", 340)],
    ("job_seekers", "M1805"): [("2025T1", "A", 150), ("2025T1", "ABC", 260), ("2025T2", "A", None),
                               ("2025T2", "ABC", 270)],
    ("tension", "F1703"): [("2024", "PERSPECTIVE", 5), ("2024", "MAIN_OEUVRE", 5), ("2024", "COND_TRAVAIL", 4),
                           ("2024", "INT_EMB", 3)],
    ("tension", "M1805"): [("2024", "PERSPECTIVE", 4), ("2024", "INT_EMB", 5)],
}
ENDPOINT_INDICATOR = {url: name for url, name in zip((OFFERS, SEEKERS, TENSION), france_travail.INDICATORS,
                                                     strict=True)}


class FakeClock:
    """time.monotonic and time.sleep for tests: sleeping advances the clock and is recorded."""

    def __init__(self):
        self.now, self.sleeps = 1000.0, []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class FakeApi:
    """The token endpoint and the three indicator endpoints, with a log of what was asked and when."""

    def __init__(self, mock: responses.RequestsMock, clock: FakeClock, answers=None):
        self.clock, self.answers = clock, dict(ANSWERS if answers is None else answers)
        self.token_bodies, self.calls, self.tokens_issued = [], [], 0
        self.queued: list[tuple[int, dict, str]] = []  # (status, headers, body) served before the answers
        self.token_status = 200
        self.token_error_body = json.dumps({"error": "invalid_client"})
        # (status, body) served for every call of an endpoint URL, or of (URL, ROME code)
        self.statuses: dict[str | tuple[str, str], tuple[int, str]] = {}
        mock.add_callback(responses.POST, TOKEN_URL.split("?")[0], callback=self.token)
        for url in (OFFERS, SEEKERS, TENSION):
            mock.add_callback(responses.POST, url, callback=self.indicator)

    def token(self, request):
        self.token_bodies.append(parse_qs(request.body))
        if self.token_status != 200:
            return self.token_status, {}, self.token_error_body
        self.tokens_issued += 1
        return 200, {}, json.dumps({"access_token": f"{TOKEN}-{self.tokens_issued}", "expires_in": 1499,
                                    "token_type": "Bearer", "scope": france_travail.SCOPE})

    def indicator(self, request):
        criteria = json.loads(request.body)
        self.calls.append({"at": self.clock.now, "url": request.url, "criteria": criteria,
                           "authorization": request.headers.get("Authorization")})
        if self.queued:
            return self.queued.pop(0)
        served = self.statuses.get((request.url, criteria["codeActivite"])) or self.statuses.get(request.url)
        if served is not None:
            return served[0], {}, served[1]
        indicator = ENDPOINT_INDICATOR[request.url]
        values = self.answers.get((indicator, criteria["codeActivite"]))
        if values is None:
            return 204, {}, ""
        body = answer(indicator, criteria["codeTerritoire"], criteria["codeActivite"], values) \
            if isinstance(values, list) else values
        return 200, {"Content-Type": "application/json"}, json.dumps(body)


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def api(clock):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield FakeApi(mock, clock)


@pytest.fixture
def credentials(monkeypatch):
    monkeypatch.setenv("FT_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("FT_CLIENT_SECRET", SECRET)


@pytest.fixture
def market_world(no_demo, tmp_path):
    """Bassin 5314 and its communes, and the ROME codes of two sectors (correspondence), imported and built."""
    files = write_world(tmp_path / "dl", years=(2024,))
    files.append(write_fap225_rome_csv(tmp_path / "dl" / "fap225_rome.csv", [
        {"fap2009_code": "B2Z40", "rome_code": "F1703", "rome_label": "Maçonnerie"},
        {"fap2009_code": "M2Z90", "rome_code": "M1805", "rome_label": "Études et développement informatique"},
        {"fap2009_code": "S1Z40", "rome_code": "G1602", "rome_label": "Personnel de cuisine"}]))
    for file in files:
        importer.import_file(file)
    build.build(say=lambda message: None)
    return paths.MARTS_DB


def client(clock) -> Client:
    return Client(CLIENT_ID, SECRET, clock=clock, sleep=clock.sleep)


def ask(api_client: Client, rome: str = "F1703", indicator: str = "offers"):
    endpoint = france_travail.INDICATORS[indicator][0]
    return api_client.call(endpoint, france_travail.criteria_for(indicator, "5314", rome))


def run_fetch(clock, messages=None):
    return fetch.fetch(["france_travail"], RENNES, say=(messages.append if messages is not None else lambda m: None),
                       sleep=clock.sleep)


def snapshot_of_raw_dir() -> dict:
    return {p: p.read_bytes() for p in paths.RAW_DIR.rglob("*") if p.is_file()}


# --- the client --------------------------------------------------------------------------------------


def test_token_request_asks_both_scopes_with_client_credentials(api, clock):
    assert ask(client(clock))["listeValeursParPeriode"][0]["codeNomenclature"] == "TOFF"
    [body] = api.token_bodies
    assert body["grant_type"] == ["client_credentials"] and body["client_id"] == [CLIENT_ID]
    assert body["client_secret"] == [SECRET]
    assert set(body["scope"][0].split()) == {"api_stats-offres-demandes-emploiv1", "offresetdemandesemploi"}
    assert api.calls[0]["authorization"] == f"Bearer {TOKEN}-1"
    assert api.calls[0]["criteria"] == {
        "codeTypeTerritoire": "BASBMO", "codeTerritoire": "5314", "codeTypeActivite": "ROME", "codeActivite": "F1703",
        "codeTypePeriode": "TRIMESTRE", "codeTypeNomenclature": "ORIGINEOFF", "dernierePeriode": False,
        "sansCaracteristiques": True}


def test_token_is_cached_until_shortly_before_expiry_then_renewed(api, clock):
    api_client = client(clock)
    for rome in ("F1703", "M1805", "F1703"):
        ask(api_client, rome)
    assert api.tokens_issued == 1
    clock.now += 1499 - 60 - 1  # still inside its lifetime less the margin
    ask(api_client)
    assert api.tokens_issued == 1
    clock.now += 2
    ask(api_client)
    assert api.tokens_issued == 2 and api.calls[-1]["authorization"] == f"Bearer {TOKEN}-2"


def test_a_401_gets_one_new_token_and_only_one(api, clock):
    api_client = client(clock)
    api.queued.append((401, {}, '{"message": "jeton expiré"}'))
    assert ask(api_client)["listeValeursParPeriode"]
    assert api.tokens_issued == 2 and api.calls[-1]["authorization"] == f"Bearer {TOKEN}-2"
    api.queued += [(401, {}, "{}"), (401, {}, "{}")]
    with pytest.raises(DownloadError) as failure:
        ask(api_client)
    assert failure.value.status == 401 and api.tokens_issued == 3


def test_429_waits_as_long_as_retry_after_says(api, clock):
    api.queued.append((429, {"Retry-After": "7"}, '{"message": "trop de requêtes"}'))
    assert ask(client(clock))["listeValeursParPeriode"]
    assert 7.0 in clock.sleeps and len(api.calls) == 2


def test_throttle_keeps_at_most_ten_calls_in_any_second(api, clock):
    api_client = client(clock)
    for _ in range(40):
        ask(api_client)
    times = [entry["at"] for entry in api.calls]
    assert max(sum(start <= t < start + 1.0 for t in times) for start in times) <= 10
    assert clock.now - times[0] < 6  # ...and not much slower than that


# --- fetch -------------------------------------------------------------------------------------------


def test_without_credentials_the_source_is_skipped_with_a_clear_reason(monkeypatch, no_demo, api, clock):
    monkeypatch.delenv("FT_CLIENT_ID", raising=False)
    monkeypatch.delenv("FT_CLIENT_SECRET", raising=False)
    [outcome] = run_fetch(clock)
    assert outcome.status == "ignoré"
    assert outcome.reason == "FT_CLIENT_ID / FT_CLIENT_SECRET absents : source France Travail ignorée"
    assert api.token_bodies == [] and api.calls == []


def test_bad_credentials_fail_naming_the_token_url_and_status_never_the_secret(market_world, credentials, api,
                                                                                clock, capsys):
    api.token_status = 401
    messages = []
    [outcome] = run_fetch(clock, messages)
    assert outcome.status == "échec"
    assert "entreprise.francetravail.fr/connexion/oauth2/access_token" in outcome.reason
    assert "HTTP 401" in outcome.reason and "FT_CLIENT_SECRET" in outcome.reason
    assert SECRET not in outcome.reason + "".join(messages) + capsys.readouterr().err
    assert api.calls == []


@pytest.mark.parametrize("status", [400, 401, 500])
def test_a_token_error_echoing_the_client_id_and_secret_shows_neither(market_world, credentials, api, clock, capsys,
                                                                      status):
    api.token_status = status
    api.token_error_body = json.dumps({"error": "invalid_client", "error_description": (
        f"client_id={CLIENT_ID} client_secret={SECRET} form: client_id=client-id-for-tests&client_secret="
        "s3cr3t-VALUE-never-shown")})
    with pytest.raises(DownloadError) as failure:
        client(clock).token()
    shown = str(failure.value) + repr(failure.value) + failure.value.body + failure.value.url
    assert f"HTTP {status}" in shown and "invalid_client" in shown  # the body is still quoted...
    assert CLIENT_ID not in shown and SECRET not in shown  # ...without the credentials
    assert CLIENT_ID not in repr(client(clock)) and SECRET not in repr(client(clock))
    messages = []
    [outcome] = run_fetch(clock, messages)
    assert outcome.status == "échec" and f"HTTP {status}" in outcome.reason
    printed = outcome.reason + "".join(messages) + capsys.readouterr().err
    assert CLIENT_ID not in printed and SECRET not in printed


def test_an_endpoint_refusing_every_call_with_400_fails_the_fetch(market_world, credentials, api, clock):
    # one 400 for one ROME code: nothing published for it, the fetch goes on
    api.statuses[(OFFERS, "M1805")] = (400, '{"message": "critères inconnus"}')
    [outcome] = run_fetch(clock)
    assert outcome.status == "nouveau", outcome.reason
    [entry] = [e for e in manifest.load() if e["source"] == "france_travail"]
    before = snapshot_of_raw_dir()
    # every call of one indicator refused with 400: the criteria are wrong, not "no data"
    api.statuses = {OFFERS: (400, '{"message": "codeTypeNomenclature invalide"}')}
    api.calls.clear()
    [outcome] = run_fetch(clock)
    assert outcome.status == "échec"
    assert "/v1/indicateur/stat-offres" in outcome.reason and "HTTP 400" in outcome.reason
    assert "2 appels" in outcome.reason and "codeTypeNomenclature invalide" in outcome.reason
    assert len(api.calls) == 6  # the other indicators were asked as usual
    assert [e for e in manifest.load() if e["source"] == "france_travail"] == [entry]
    assert snapshot_of_raw_dir() == before and not (paths.RAW_DIR / ".incoming").exists()


def test_end_to_end_fetch_imports_a_snapshot_and_the_marts_give_the_hand_sums(market_world, credentials, api,
                                                                              clock, capsys):
    messages = []
    [outcome] = run_fetch(clock, messages)
    assert (outcome.status, outcome.period) == ("nouveau", "2025T1/2025T2"), outcome.reason
    # 3 ROME codes of the sectors (G1602 cuisine is in no sector) × 3 indicators, one token.
    assert sorted({c["criteria"]["codeActivite"] for c in api.calls}) == ["F1703", "M1805"]
    assert len(api.calls) == 6 and api.tokens_issued == 1
    [entry] = [e for e in manifest.load() if e["source"] == "france_travail"]
    raw = (paths.RAW_DIR / entry["path"]).read_text(encoding="utf-8")
    assert entry["fetched_from"].startswith(API_BASE) and entry["api_calls"] == 6
    assert SECRET not in raw and TOKEN not in raw and CLIENT_ID not in raw
    assert SECRET not in "".join(messages) + capsys.readouterr().err

    build.build(say=lambda message: None)
    con = duckdb.connect(str(paths.MARTS_DB), read_only=True)
    try:
        sectors = {row[0]: row[1:] for row in con.execute("""
            select sector_code, job_offers, job_seekers_a, job_seekers_abc, metiers, metiers_with_job_seekers_a,
                   job_seekers_a_missing
            from fct_market_by_territory_sector_quarter
            where territory_type = 'bassin_bmo' and territory_code = '5314' and period = date '2025-04-01'
            """).fetchall()}
        metier = con.execute("""
            select job_seekers_a, job_seekers_a_missing, job_offers_12m, job_offers_missing from
            fct_market_by_territory_metier_quarter where rome_code = 'M1805' and period = date '2025-04-01'
            """).fetchall()
        tension = con.execute("""select tension_class, main_driver, source from fct_tension_by_territory_metier_year
                                 where metier_code = 'F1703' and year = 2024""").fetchall()
    finally:
        con.close()
    assert sectors["btp"] == (100, 210, 340, 1, 1, None)
    assert sectors["numerique"] == (90, None, 270, 1, 0, "aucun métier du secteur publié")
    assert sectors["ensemble"][:3] == (190, 210, 610)
    assert metier == [(None, "non publié par France Travail", None, None)]  # offers published, no 12-month figure
    assert tension == [(5, "labour_shortage", "France Travail, API Marché du travail")]

    con = duckdb.connect(str(paths.MARTS_DB), read_only=True)
    try:
        data = figures.key_figures(con, *RENNES)
    finally:
        con.close()
    btp = next(s for s in data.sectors if s["sector_code"] == "btp")
    market = btp["market"]
    assert (market["job_offers"], market["job_seekers_a"], market["quarter"]) == (100, 210, "T2 2025")
    assert data.market_period == "2e trimestre 2025" and "Rennes (5314)" in data.market_perimeter
    assert "API Marché du travail" in data.market_source
    assert "market" not in data.demo_parts
    assert main(["figures", "--territory", "bassin:5314"]) == 0
    text = capsys.readouterr().out
    assert "2e trimestre 2025 — " in text and "Bâtiment et travaux publics" in text


def test_a_malformed_answer_fails_and_leaves_files_and_marts_untouched(market_world, credentials, api, clock):
    [first] = run_fetch(clock)
    build.build(say=lambda message: None)
    before, marts_before = snapshot_of_raw_dir(), paths.MARTS_DB.read_bytes()
    api.answers[("offers", "M1805")] = {"codeIndicateur": "OFF_1", "libTerritoire": "RENNES"}
    [outcome] = run_fetch(clock)
    assert outcome.status == "échec" and "listeValeursParPeriode" in outcome.reason and "M1805" in outcome.reason
    assert snapshot_of_raw_dir() == before and paths.MARTS_DB.read_bytes() == marts_before
    assert not (paths.RAW_DIR / ".incoming").exists()


def test_a_server_error_that_persists_fails_the_source(market_world, credentials, api, clock):
    api.queued += [(503, {}, "maintenance")] * 4
    messages = []
    [outcome] = run_fetch(clock, messages)
    assert outcome.status == "échec" and "503" in outcome.reason
    # each pause between attempts is announced, not a silent wait
    retries = [m for m in messages if "nouvelle tentative" in m]
    assert len(retries) == 3 and all(m.startswith("  france_travail : ") and "503" in m for m in retries)
    assert [e for e in manifest.load() if e["source"] == "france_travail"] == []


def refused(url: str) -> requests.exceptions.ConnectionError:
    """What requests raises when nothing answers at the address (urllib3's NewConnectionError inside)."""
    return requests.exceptions.ConnectionError(urllib3.exceptions.MaxRetryError(
        None, url, urllib3.exceptions.NewConnectionError(None, "[Errno 111] Connection refused")))


def test_with_no_network_the_api_fails_at_once_and_says_so(market_world, credentials, clock):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(responses.POST, TOKEN_URL.split("?")[0], body=refused(TOKEN_URL))
        for other in ("https://www.data.gouv.fr/", "https://www.insee.fr/"):  # the national files' publishers
            mock.add(responses.HEAD, other, body=refused(other))
        [outcome] = run_fetch(clock)
        assert [call.request.method for call in mock.calls] == ["POST", "HEAD", "HEAD"]  # no retry, no API call
    assert outcome.status == "échec" and outcome.reason == "pas de connexion réseau : entreprise.francetravail.fr " \
        "injoignable"  # never taken for refused credentials
    assert outcome.unreached == ("entreprise.francetravail.fr", "www.data.gouv.fr", "www.insee.fr")
    assert clock.sleeps == [] and [e for e in manifest.load() if e["source"] == "france_travail"] == []


def test_cli_fetch_reports_the_skip(monkeypatch, market_world, capsys):
    monkeypatch.delenv("FT_CLIENT_ID", raising=False)
    monkeypatch.delenv("FT_CLIENT_SECRET", raising=False)
    assert main(["fetch", "france_travail", "--territory", "bassin:5314"]) == 0
    assert re.search(r"^france_travail +ignoré ", capsys.readouterr().out, re.M)


# --- the snapshot file -------------------------------------------------------------------------------


def snapshot(tmp_path, calls, name="snapshot.json"):
    return write_snapshot(tmp_path / name, calls, fetched_at="2025-07-15T08:00:00+00:00")


def test_a_snapshot_saved_by_hand_imports_and_reads_as_documented(no_demo, tmp_path):
    file = snapshot(tmp_path, [
        call("offers", "5314", "F1703", answer("offers", "5314", "F1703", [("2025T1", "TOFF", 12)])),
        call("tension", "5314", "F1703", answer("tension", "5314", "F1703", [("2024", "PERSPECTIVE", 4)])),
        call("job_seekers", "5314", "F1703", None)])  # 204: nothing published
    assert importer.recognise(file).module is france_travail
    table = france_travail.read(file)
    assert (table.period, table.scope, table.rows) == ("2025T1", "BASBMO 5314", 2)
    row = table.frame.iloc[0].to_dict()
    assert row | {"updated_at": None} == {
        "indicator": "offers", "territory_type": "BASBMO", "territory_code": "5314", "territory_label": "RENNES",
        "rome_code": "F1703", "rome_label": "Métier F1703", "period_type": "TRIMESTRE", "period_code": "2025T1",
        "period_label": "1er trimestre 2025", "nomenclature_code": "TOFF", "nomenclature_label": "Toutes offres",
        "value": "12", "value_field": "valeurPrincipaleNombre", "updated_at": None,
        "fetched_at": "2025-07-15 08:00:00"}  # the snapshot's fetched_at, in UTC
    assert importer.import_file(file).status == "nouveau"


@pytest.mark.parametrize(("value", "problem"), [
    ("douze", "non numérique"), (True, "non numérique"), (-3, "négatif")])
def test_bad_values_are_refused_with_the_call_named(no_demo, tmp_path, value, problem):
    file = snapshot(tmp_path, [call("offers", "5314", "F1703", answer("offers", "5314", "F1703",
                                                                      [("2025T1", "TOFF", value)]))])
    with pytest.raises(InputError, match=problem) as refused:
        importer.import_file(file)
    assert "ROME F1703" in str(refused.value) and not paths.MANIFEST.exists()


def test_other_malformed_snapshots_are_refused(tmp_path):
    good = answer("offers", "5314", "F1703", [("2025T1", "TOFF", 12)])
    wrong_place = json.loads(json.dumps(good))
    wrong_place["listeValeursParPeriode"][0]["codeTerritoire"] = "5315"
    bad_period = answer("offers", "5314", "F1703", [("2025-T1", "TOFF", 12)])
    cases = {
        "listeValeursParPeriode": [call("offers", "5314", "F1703", {"codeIndicateur": "OFF_1"})],
        "au lieu de": [call("offers", "5314", "F1703", wrong_place)],
        "période": [call("offers", "5314", "F1703", bad_period)],
        "en double": [call("offers", "5314", "F1703", good), call("offers", "5314", "F1703", good)],
        "aucune valeur": [call("offers", "5314", "F1703", None)],
    }
    no_time = json.loads(snapshot(tmp_path, [call("offers", "5314", "F1703", good)]).read_text())
    for fetched_at in (None, "hier"):
        (tmp_path / "no_time.json").write_text(json.dumps(no_time | {"fetched_at": fetched_at}))
        with pytest.raises(InputError, match="fetched_at"):
            france_travail.read(tmp_path / "no_time.json")
    for problem, calls in cases.items():
        with pytest.raises(InputError, match=problem):
            france_travail.read(snapshot(tmp_path, calls))
    truncated = tmp_path / "truncated.json"
    truncated.write_text(snapshot(tmp_path, [call("offers", "5314", "F1703", good)]).read_text()[:300])
    with pytest.raises(InputError, match=r"JSON illisible ligne \d+, colonne \d+ \(fichier tronqué \?\)$"):
        france_travail.read(truncated)


def test_a_bare_api_answer_is_named_and_refused(no_demo, tmp_path):
    bare = tmp_path / "stat-offres.json"
    bare.write_text(json.dumps(answer("offers", "5314", "F1703", [("2025T1", "TOFF", 12)])), encoding="utf-8")
    with pytest.raises(InputError, match="réponse brute de l'API Marché du travail"):
        importer.import_file(bare)


def test_other_sources_files_are_not_taken_for_a_snapshot(tmp_path):
    csv = tmp_path / "x.csv"
    csv.write_text("code_commune;valeur\n35238;1\n", encoding="utf-8")
    assert not france_travail.recognise(csv)
    assert france_travail.recognise(paths.DEMO_DIR / "marche_du_travail_demo.json")


def test_overlapping_snapshots_keep_the_most_recently_fetched_value_never_a_blend(market_world, tmp_path):
    """A bassin fetched alone, then with its neighbour (another scope: both files stay): per value, the later
    fetch wins, whatever the order of import and whether its value is larger or smaller."""
    older = write_snapshot(tmp_path / "older.json", [
        call("offers", "5314", "F1703", answer("offers", "5314", "F1703", [
            ("2025T1", "TOFF", 120), ("2025T2", "TOFF", 100)])),
        call("job_seekers", "5314", "F1703", answer("job_seekers", "5314", "F1703", [
            ("2025T2", "A", 210), ("2025T2", "ABC", 340)]))], fetched_at="2025-07-01T08:00:00+00:00")
    newer = write_snapshot(tmp_path / "newer.json", [
        call("offers", "5314", "F1703", answer("offers", "5314", "F1703", [("2025T2", "TOFF", 70)])),
        call("job_seekers", "5314", "F1703", answer("job_seekers", "5314", "F1703", [
            ("2025T2", "A", 250), ("2025T2", "ABC", 300)])),
        call("offers", "5313", "F1703", answer("offers", "5313", "F1703", [("2025T2", "TOFF", 9)]))],
        fetched_at="2025-08-01T08:00:00+02:00")
    assert importer.import_file(newer).status == "nouveau"  # imported first: the fetch time decides, not this
    assert importer.import_file(older).status == "nouveau"
    assert len([e for e in manifest.load() if e["source"] == "france_travail"]) == 2
    con = staged("france_travail", "stg_france_travail__indicators", france_travail.read(newer).frame,
                 france_travail.read(older).frame)
    rows = con.execute("""select indicator, period_code, nomenclature_code, value, fetched_at
        from stg_france_travail__indicators where territory_code = '5314' order by 1, 2, 3""").fetchall()
    con.close()
    build.build(say=lambda message: None)
    con = duckdb.connect(str(paths.MARTS_DB), read_only=True)
    try:
        metier = con.execute("""select quarter, job_offers, job_seekers_a, job_seekers_abc
            from fct_market_by_territory_metier_quarter where territory_code = '5314' and rome_code = 'F1703'
            order by period""").fetchall()
        btp = con.execute("""select job_offers, job_seekers_a from fct_market_by_territory_sector_quarter
            where territory_code = '5314' and sector_code = 'btp' and period = date '2025-04-01'""").fetchall()
    finally:
        con.close()
    newer_at, older_at = datetime(2025, 8, 1, 6, 0), datetime(2025, 7, 1, 8, 0)  # UTC
    assert rows == [("job_seekers", "2025T2", "A", 250, newer_at), ("job_seekers", "2025T2", "ABC", 300, newer_at),
                      ("offers", "2025T1", "TOFF", 120, older_at), ("offers", "2025T2", "TOFF", 70, newer_at)]
    # max() of the two fetches would give 100 offers and 340 A, B, C; the later fetch says 70 and 300
    assert metier == [("T1 2025", 120, None, None), ("T2 2025", 70, 250, 300)]
    assert btp == [(70, 250)]


def test_api_tension_joins_the_tension_marts_and_wins_over_a_file_for_the_same_year(market_world, tmp_path):
    from pipelines.sources.dares_tensions import write_2021_csv

    classes = {"hiring_intensity": 2, "labour_shortage": 3, "job_instability": 1, "working_conditions": 2,
               "geographic_mismatch": 1, "training_link": 2}
    importer.import_file(write_2021_csv(tmp_path / "tension_file.csv", [
        {"year": 2021, "rome": "F1703", "bassin": "5314", "tension": 2, **classes},
        {"year": 2024, "rome": "F1703", "bassin": "5314", "tension": 3, **classes}]))
    importer.import_file(snapshot(tmp_path, [call("tension", "5314", "F1703", answer(
        "tension", "5314", "F1703", [("2024", "PERSPECTIVE", 5), ("2024", "MAIN_OEUVRE", 5)]))]))
    build.build(say=lambda message: None)
    con = duckdb.connect(str(paths.MARTS_DB), read_only=True)
    try:
        rows = con.execute("""select year, tension_class, labour_shortage, source
            from fct_tension_by_territory_metier_year
            where territory_code = '5314' and metier_code = 'F1703' order by year""").fetchall()
        data = figures.key_figures(con, "bassin_bmo", "5314")
    finally:
        con.close()
    # 2021 from the file; 2024 from the API, not from the file's 2024 row
    assert rows == [(2021, 2, 3, "Dares / France Travail"), (2024, 5, 5, "France Travail, API Marché du travail")]
    btp = next(s for s in data.sectors if s["sector_code"] == "btp")
    assert (btp["tension"]["year"], btp["tension"]["tension_level"]) == (2024, 5)
    assert btp["tension"]["main_driver"] == "labour_shortage"


def test_a_demo_api_snapshot_never_hides_a_real_tension_file(data_dir, tmp_path):
    """The demo files hold an API snapshot (2023-2024); beside a real 2021 file they are set aside altogether
    (issue 9: no demo file once a real one is loaded), so the real 2021 figures are shown."""
    from pipelines.ingest.demo import write_bassins_csv
    from pipelines.sources.dares_tensions import write_2021_csv
    from tests.conftest import WORLD_COMMUNES

    importer.import_file(write_bassins_csv(tmp_path / "communes_bassins.csv", WORLD_COMMUNES))
    importer.import_file(write_2021_csv(tmp_path / "tension_file.csv", [
        {"year": 2021, "rome": "F1703", "bassin": "5314", "tension": 2, "labour_shortage": 3}]))
    build.build(say=lambda message: None)
    con = duckdb.connect(str(paths.MARTS_DB), read_only=True)
    try:
        data = figures.key_figures(con, "bassin_bmo", "5314")
    finally:
        con.close()
    btp = next(s for s in data.sectors if s["sector_code"] == "btp")
    assert (btp["tension"]["year"], btp["tension"]["source"], btp["tension"]["is_demo"]) == (
        2021, "Dares / France Travail", False)
    assert data.demo_parts == [] and "market" in data.not_loaded
