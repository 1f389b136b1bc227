"""`fetch` against a local server that behaves like a real open-data portal, faults included."""

import dataclasses
import json
import os
import re
import stat

import pytest

from pipelines import paths
from pipelines.__main__ import main
from pipelines.ingest import fetch, importer, manifest
from pipelines.ingest.demo import (
    dpae_row,
    write_defm_csv,
    write_dpae_departements_csv,
    write_dpae_france_csv,
    write_urssaf_csv,
)
from pipelines.sources import dares_defm, urssaf, urssaf_dpae
from pipelines.warehouse import build
from tests.conftest import marts, write_world
from tests.fault_server import FaultServer, Reply
from tests.publisher_files import plan_all, point_sources_at, write_published

EXPORT = "/api/explore/v2.1/catalog/datasets/urssaf/exports/csv"
DATASET = "/api/explore/v2.1/catalog/datasets/urssaf"
# The server-side sums use the same endpoint as the communes; the test serves them on another path so
# that each request gets its own planned reply.
AGGREGATE = "/aggregates/exports/csv"
DEFM = "/api/explore/v2.1/catalog/datasets/dares_defm_communales-brutes/exports/csv"
DPAE_DEP = "/api/explore/v2.1/catalog/datasets/dpae-par-departement-x-grand-secteur/exports/csv"
DPAE_FR = "/api/explore/v2.1/catalog/datasets/dpae-mensuelles-france-entiere/exports/csv"
RENNES = ("departement", "35")


def export_body(tmp_path, years=range(2020, 2024), name="body.csv") -> bytes:
    rows = [{"region_code": "53", "dept_code": "35", "ze_code": "5315", "epci_code": "243500139",
             "commune_code": "35238", "ape_code": "6201Z", "values": {year: (3, 40 + year % 10) for year in years}},
            {"region_code": "53", "dept_code": "35", "ze_code": "5315", "epci_code": "243500139",
             "commune_code": "35051", "ape_code": "4120A", "values": {year: (1, 9) for year in years}}]
    return write_urssaf_csv(tmp_path / name, rows, years).read_bytes()


def aggregate_replies(tmp_path, years=range(2020, 2024)) -> tuple[Reply, Reply]:
    """The server's sums: by région × APE, then by APE (France), as the exports endpoint writes them."""
    regions = write_urssaf_csv(tmp_path / "regions.csv", [
        {"region_code": "53", "ape_code": "6201Z", "values": {year: (300, 4000) for year in years}},
        {"region_code": "11", "ape_code": "6201Z", "values": {year: (900, 50000) for year in years}}],
        years, keys=("region_code", "ape_code"))
    france = write_urssaf_csv(tmp_path / "france.csv", [
        {"ape_code": "6201Z", "values": {year: (5000, 90000) for year in years}},
        {"ape_code": "4120A", "values": {year: (7000, 30000) for year in years}}], years, keys=("ape_code",))
    return Reply(200, regions.read_bytes()), Reply(200, france.read_bytes())


@pytest.fixture
def portal(no_demo, tmp_path, monkeypatch):
    for file in write_world(tmp_path / "dl", years=(2024,)):
        from pipelines.ingest import importer

        importer.import_file(file)
    build.build(say=lambda m: None)
    for name in ("FT_CLIENT_ID", "FT_CLIENT_SECRET"):  # the API source is skipped, even on a machine that has them
        monkeypatch.delenv(name, raising=False)
    with FaultServer() as server:
        monkeypatch.setattr(urssaf, "EXPORT_URL", server.url(EXPORT))
        monkeypatch.setattr(urssaf, "DATASET_URL", server.url(DATASET))
        monkeypatch.setattr(urssaf, "AGGREGATE_URL", server.url(AGGREGATE))
        fields = [{"name": name} for name in ("code_commune", "code_ape", "code_region")] + [
            {"name": f"{measure}_{year}"} for year in range(2020, 2024)
            for measure in ("nombre_d_etablissements", "effectifs_salaries")]
        server.always(DATASET, Reply(200, json.dumps({"dataset_id": "urssaf", "fields": fields}).encode(),
                                     {"Content-Type": "application/json"}))
        monkeypatch.setattr(dares_defm, "EXPORT_URL", server.url(DEFM))
        monkeypatch.setattr(urssaf_dpae, "EXPORT_URL_DEPARTEMENTS", server.url(DPAE_DEP))
        monkeypatch.setattr(urssaf_dpae, "EXPORT_URL_FRANCE", server.url(DPAE_FR))
        point_sources_at(server, monkeypatch, write_published(tmp_path / "published"))  # national files
        yield server


def run(sources=("urssaf",)) -> dict[str, fetch.Outcome]:
    """One outcome per file fetched, by its label ("urssaf · communes", "dares_defm"...)."""
    return {outcome.source: outcome
            for outcome in fetch.fetch(list(sources), RENNES, say=lambda m: None, sleep=lambda s: None)}


def test_new_then_unchanged_with_a_conditional_get(portal, tmp_path):
    body = export_body(tmp_path)
    portal.plan(EXPORT, Reply(200, body, {"ETag": '"v1"', "Content-Type": "text/csv"}))
    first = run()["urssaf · communes"]
    assert (first.status, first.rows, first.period) == ("nouveau", 2, "2020-2023")
    [entry] = [e for e in manifest.load() if e["source"] == "urssaf"]
    assert entry["etag"] == '"v1"' and 'code_departement%3D%2235%22' in entry["fetched_from"]
    assert (paths.RAW_DIR / entry["path"]).read_bytes() == body
    query = portal.requests(EXPORT)[0].path
    assert "where=code_departement%3D%2235%22" in query and "delimiter=%3B" in query

    portal.plan(EXPORT, Reply(304, b"", {"ETag": '"v1"'}))
    second = run()["urssaf · communes"]
    assert second.status == "inchangé"
    assert portal.requests(EXPORT)[1].header("If-None-Match") == '"v1"'
    assert (paths.RAW_DIR / entry["path"]).read_bytes() == body


def test_server_error_then_success_and_a_new_year_column(portal, tmp_path):
    portal.plan(EXPORT, Reply(500, b"oops"), Reply(200, export_body(tmp_path, years=range(2020, 2026))))
    outcome = run()["urssaf · communes"]
    assert (outcome.status, outcome.period) == ("nouveau", "2020-2025")


@pytest.mark.parametrize(("reply", "reason"), [
    (Reply(200, b"<!DOCTYPE html><html><body>Maintenance</body></html>", {"Content-Type": "text/html"}), "HTML"),
    (Reply(200, b"code_commune;code_ape;nombre_d_etablissements_2022;effectifs_salaries_2022\n"), "vide"),
    (Reply(200, b"code_commune;nombre_d_etablissements_2022;effectifs_salaries_2022\n35238;1;2\n"),
     "mais colonne(s) absente(s) : ape_code"),
    (Reply(503, b"busy"), "503"),
])
def test_failures_keep_what_was_loaded_and_say_why(portal, tmp_path, reply, reason):
    portal.plan(EXPORT, Reply(200, export_body(tmp_path), {"ETag": '"v1"'}))
    run()
    before = {p: p.read_bytes() for p in paths.RAW_DIR.rglob("*") if p.is_file()}
    portal.always(EXPORT, reply)
    outcome = run()["urssaf · communes"]
    assert outcome.status == "échec" and reason.lower() in outcome.reason.lower()
    assert {p: p.read_bytes() for p in paths.RAW_DIR.rglob("*") if p.is_file()} == before


def test_dropped_connection_mid_body_every_time(portal, tmp_path):
    body = export_body(tmp_path)
    portal.always(EXPORT, Reply(200, body, drop_after=len(body) // 2))
    outcome = run()["urssaf · communes"]
    assert outcome.status == "échec"
    assert not list((paths.RAW_DIR / "urssaf").glob("**/*")) and not (paths.RAW_DIR / ".incoming").exists()
    assert [e for e in manifest.load() if e["source"] == "urssaf"] == []  # nothing half-written anywhere


def test_each_file_and_each_retry_is_announced_as_it_happens(portal, tmp_path):
    """Offline, every file is retried for seconds: the user sees which one is being tried and why it waits."""
    said = []
    portal.plan(EXPORT, Reply(500, b"oops"), Reply(200, export_body(tmp_path)))
    portal.plan(DATASET, Reply(503, b"busy"))  # the schema asked for the sums, before its `always` answer
    portal.plan(AGGREGATE, *aggregate_replies(tmp_path))
    fetch.fetch(["urssaf"], RENNES, say=said.append, sleep=lambda s: None)
    assert said.index("  urssaf · communes : téléchargement…") < said.index(
        "  urssaf · communes : nouvelle tentative dans 1 s (erreur du serveur, HTTP 500), essai 2 sur 4")
    # the schema request's retry is reported too, under the part that needed it
    assert said.index("  urssaf · régions : téléchargement…") < said.index(
        "  urssaf · régions : nouvelle tentative dans 1 s (erreur du serveur, HTTP 503), essai 2 sur 4")
    assert "  urssaf · France : téléchargement…" in said


def test_fetch_summary_counts_files_and_sources_in_aligned_columns(monkeypatch, capsys):
    failed = [fetch.Outcome("dares_tensions · 2021 ROME × bassin", "échec", reason="hors ligne\ndétail",
                            name="dares_tensions", url="https://exemple.test/tensions.csv"),
              fetch.Outcome("urssaf · communes", "échec", name="urssaf"),
              fetch.Outcome("urssaf · régions", "échec", name="urssaf")]
    loaded = fetch.Outcome("bmo", "nouveau", 12345, "2025", 3.4)
    monkeypatch.setattr(fetch, "fetch", lambda names, territory, say: [*failed, loaded])
    assert main(["fetch"]) == 1
    out, err = capsys.readouterr()
    assert "3 fichiers en échec (2 sources)" in err
    # where to download each failed source's file by hand, once per source
    assert err.count("  dares_tensions : téléchargez le fichier à la main (https://exemple.test/tensions.csv) depuis "
                     "https://dares.travail-emploi.gouv.fr/publication/les-tensions-sur-le-marche-du-travail-en-2024 "
                     "puis « python -m pipelines import FICHIER »") == 1
    assert err.count("  urssaf : téléchargez le fichier à la main depuis ") == 1
    header, *lines = out.splitlines()
    for outcome, line in zip([*failed, loaded], lines, strict=True):
        assert line.index(outcome.status, len(outcome.source)) == header.index("statut"), line
    assert "3,4 s" in lines[-1] and lines[0].endswith("hors ligne") and "détail" not in out
    monkeypatch.setattr(fetch, "fetch", lambda names, territory, say: failed[:1])
    assert main(["fetch"]) == 1
    assert "1 fichier en échec (1 source)" in capsys.readouterr().err


def test_job_seekers_are_fetched_for_the_territory_communes(portal, tmp_path):
    body = write_defm_csv(tmp_path / "defm.csv", [
        {"date": "2024-T4", "code_commune": "35238", "categorie": "A", "sexe": "Ensemble",
         "tranche_d_age": "Ensemble", "nombre_de_demandeurs_d_emploi": 1000}]).read_bytes()
    portal.plan(DEFM, Reply(200, body))
    outcome = run(["dares_defm"])["dares_defm"]
    assert (outcome.status, outcome.period) == ("nouveau", "2024-T4")
    assert "startswith%28code_commune%2C+%2235%22%29" in portal.requests(DEFM)[0].path


def test_cli_summary_lists_every_source_and_exit_code_says_if_all_went_well(portal, tmp_path, capsys):
    portal.plan(EXPORT, Reply(200, export_body(tmp_path)))
    portal.plan(AGGREGATE, *aggregate_replies(tmp_path))
    portal.plan(DEFM, Reply(200, write_defm_csv(tmp_path / "d.csv", [
        {"date": "2024-T4", "code_commune": "35238", "categorie": "A", "sexe": "Ensemble",
         "tranche_d_age": "Ensemble", "nombre_de_demandeurs_d_emploi": 5}]).read_bytes()))
    portal.plan(DPAE_DEP, Reply(200, write_dpae_departements_csv(tmp_path / "dpae.csv", [dpae_row(
        2024, 12, "cdi", 900, 950, code_departement="35", code_region="53",
        grand_secteur_d_activite="GS2 Construction")]).read_bytes()))
    portal.plan(DPAE_FR, Reply(200, write_dpae_france_csv(tmp_path / "fr.csv", [
        dpae_row(2024, 12, "cdi", 400_000, 410_000)]).read_bytes()))
    plan_all(portal, write_published(tmp_path / "published"))
    assert main(["fetch", "--territory", "dep:35"]) == 0
    captured = capsys.readouterr()
    out = captured.out
    for label in ("urssaf · communes", "urssaf · régions", "urssaf · France", "dares_defm",
                  # the département file (the whole région, so it can be summed) and the national series
                  "urssaf_dpae · départements", "urssaf_dpae · France",
                  # the national files, whatever the territory
                  "bmo", "insee_ze", "insee_chomage", "dares_tensions · 2019 FAP", "rome_fap"):
        assert re.search(rf"^{label} +nouveau ", out, re.M), label
    # progress in rows, before the checks and the import
    assert "urssaf · régions : 2 lignes téléchargées" in captured.err
    assert "where=code_region%3D%2253%22" in portal.requests(DPAE_DEP)[0].path
    # a source with no publisher URL: why, and the page to download it from by hand
    [line] = [line for line in out.splitlines() if line.startswith("bmo_bassins")]
    assert "non disponible" in line and "https://www.francetravail.org/" in line and "pipelines import" in line
    portal.always(EXPORT, Reply(500, b"down"))
    assert main(["fetch", "urssaf", "--territory", "dep:35"]) == 1
    captured = capsys.readouterr()
    assert "échec" in captured.out
    assert "3 fichiers en échec (1 source)" in captured.err  # communes, régions and France: one source
    assert main(["fetch", "nope"]) == 2


def test_region_and_france_totals_come_from_the_servers_sums(portal, tmp_path):
    portal.plan(EXPORT, Reply(200, export_body(tmp_path)))
    portal.plan(AGGREGATE, *aggregate_replies(tmp_path))
    outcomes = run()
    assert [(o.status, o.rows) for o in outcomes.values()] == [("nouveau", 2), ("nouveau", 2), ("nouveau", 2)]
    region_query, france_query = (seen.path for seen in portal.requests(AGGREGATE))
    # the year columns to sum come from the dataset's schema
    assert "group_by=code_region%2C+code_ape" in region_query and "group_by=code_ape&" in france_query
    assert "sum%28effectifs_salaries_2023%29+as+effectifs_salaries_2023" in region_query
    assert "nombre_d_etablissements_2020" in france_query and "where" not in france_query
    build.build(say=lambda m: None)
    con = marts(paths.MARTS_DB)
    rows = con.execute("""select territory_type, territory_code, employees, establishments, basis,
        communes_with_data from fct_employment_by_territory_sector_year
        where sector_code = 'ensemble' and year = 2023 and territory_type in ('departement', 'region', 'france')
        order by 1, 2""").fetchall()
    con.close()
    # The département is the sum of its communes (the export covers all of them); the région and France
    # are the server's sums, not the 2 communes loaded: (40 + 3) + 9 = 52 employees in dép. 35 in 2023.
    assert rows == [("departement", "35", 52, 4, "communes", 2), ("france", "FR", 120000, 12000, "aggregate", None),
                    ("region", "11", 50000, 900, "aggregate", None), ("region", "53", 4000, 300, "aggregate", None)]


def test_a_failing_schema_lookup_fails_the_sums_only(portal, tmp_path):
    portal.always(DATASET, Reply(503, b"busy"))
    portal.plan(EXPORT, Reply(200, export_body(tmp_path)))
    outcomes = run()
    assert [(label, o.status) for label, o in outcomes.items()] == [
        ("urssaf · communes", "nouveau"), ("urssaf · régions", "échec"), ("urssaf · France", "échec")]
    assert "503" in outcomes["urssaf · régions"].reason and not portal.requests(AGGREGATE)
    assert len(portal.requests(DATASET)) >= 1


# --- a machine with no network (issue 10 §3) --------------------------------------------------------------

PROXIES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "all_proxy", "no_proxy")


def local(host) -> bool:
    host = host.decode() if isinstance(host, bytes) else str(host)
    return host in ("localhost", "::1") or host.startswith("127.")


@pytest.fixture
def no_network_at_all(request, monkeypatch):
    """Every host outside this machine unreachable, as with the cable out: its name does not resolve ("dns"),
    or it resolves and refuses the connection ("refused"). Returns the hosts of the attempts, in order."""
    import socket

    attempts = []
    lookup, connect = socket.getaddrinfo, socket.socket.connect

    def getaddrinfo(host, port, *args, **kwargs):
        if local(host):
            return lookup(host, port, *args, **kwargs)
        attempts.append(host)
        if request.param == "dns":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.0.2.1", port))]  # TEST-NET-1

    def refused(self, address):
        if isinstance(address, tuple) and address[0] == "192.0.2.1":
            raise ConnectionRefusedError(111, "Connection refused")
        return connect(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", refused)
    for name in (*PROXIES, "FT_CLIENT_ID", "FT_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    return attempts


def raw_files() -> dict:
    return {path: path.read_bytes() for path in paths.RAW_DIR.rglob("*") if path.is_file()}


@pytest.mark.parametrize("no_network_at_all", ["dns", "refused"], indirect=True)
def test_offline_fetch_stops_at_once_says_so_and_changes_nothing(no_demo, tmp_path, no_network_at_all, capsys):
    from pipelines.ingest import importer

    for file in write_world(tmp_path / "dl", years=(2024,)):
        importer.import_file(file)
    before = raw_files()
    assert main(["fetch", "--territory", "dep:35"]) == 1
    # the first file's one attempt, then one try of two other publishers: not retries × files × sources
    assert no_network_at_all == ["www.data.gouv.fr", "www.insee.fr", "open.urssaf.fr"]
    out, err = capsys.readouterr()
    said = err.splitlines()[-1]
    assert said.startswith("pas de connexion réseau : aucun éditeur n'a répondu (www.data.gouv.fr, www.insee.fr, "
                           "open.urssaf.fr) ; rien n'a changé dans ")
    assert "nouvelle tentative" not in err and "en échec" not in err
    lines = {line.split("  ")[0]: line for line in out.splitlines()[1:]}
    # BMO 2024 is loaded: the surveys not loaded yet are fetched, each from data.gouv.fr's stable address
    assert re.search(r"^bmo · 2025 +échec .* pas de connexion réseau : www\.data\.gouv\.fr injoignable$",
                     lines["bmo · 2025"])
    for label in ("bmo · 2026", "insee_ze", "insee_chomage", "urssaf · communes", "urssaf · régions", "urssaf · France",
                  "dares_defm",
                  "dares_tensions · 2019 FAP", "dares_tensions · 2021 ROME × bassin", "rome_fap",
                  "urssaf_dpae · départements", "urssaf_dpae · France"):
        assert re.search(rf"^{label} +non tenté .* pas de connexion réseau$", lines[label]), lines[label]
    assert " non disponible " in lines["bmo_bassins"] and " ignoré " in lines["france_travail"]
    assert raw_files() == before and not (paths.RAW_DIR / ".incoming").exists()


@pytest.mark.parametrize("no_network_at_all", ["dns"], indirect=True)
def test_offline_fetch_of_one_publisher_tries_the_other_publishers(no_demo, no_network_at_all, capsys):
    """One source, one host: the national files' publishers are the other hosts tried."""
    assert main(["fetch", "urssaf", "--territory", "dep:35"]) == 1
    assert no_network_at_all == ["open.urssaf.fr", "www.data.gouv.fr", "www.insee.fr"]
    out, err = capsys.readouterr()
    assert "pas de connexion réseau : aucun éditeur n'a répondu (open.urssaf.fr, www.data.gouv.fr" in err
    assert [re.split(r"  +", line)[1] for line in out.splitlines()[1:]] == ["échec", "non tenté", "non tenté"]


def test_one_publisher_down_keeps_its_retries_and_the_others_are_fetched(portal, tmp_path, monkeypatch):
    import socket

    from pipelines.sources import bmo

    with socket.socket() as probe:  # a port nobody listens on: the publisher refuses every connection
        probe.bind(("127.0.0.1", 0))
        down = probe.getsockname()[1]
    monkeypatch.setattr(bmo, "DOWNLOAD_URLS", {2025: f"http://127.0.0.1:{down}/bmo/Base_open_data_BMO_2025.xlsx"})
    for name in PROXIES:
        monkeypatch.delenv(name, raising=False)
    ports, connect = [], socket.socket.connect

    def counted(self, address):
        ports.append(address[1])
        return connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", counted)
    published = write_published(tmp_path / "published")
    plan_all(portal, published)
    sleeps = []
    outcomes = {outcome.source: outcome for outcome in fetch.fetch(
        ["bmo", "insee_ze", "rome_fap"], RENNES, say=lambda m: None, sleep=sleeps.append)}
    assert ports.count(down) == 4 and sleeps == [1.0, 2.0, 4.0]  # as many attempts as any failing download
    assert outcomes["bmo"].status == "échec" and "abandon après 4 tentatives" in outcomes["bmo"].reason
    assert not outcomes["bmo"].unreached
    assert (outcomes["insee_ze"].status, outcomes["rome_fap"].status) == ("nouveau", "nouveau")


# --- guards (issue 11 §3): no redirect to a host the source did not declare, a size cap per file, the URL that
# answered in the manifest, and raw files with the same mode whether imported or fetched --------------------------
COMMUNES = "urssaf · communes"


@pytest.fixture
def no_proxy(monkeypatch):
    """Never through a proxy: the redirects lead to localhost, the same local server under another name."""
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")


def elsewhere(portal, path: str) -> str:
    return f"http://localhost:{portal.port}{path}"


def declare(monkeypatch, **fields) -> None:
    """The URSSAF module's requests as if it declared `fields` (redirect_hosts, max_bytes) in fetch_requests."""
    original = urssaf.fetch_requests
    monkeypatch.setattr(urssaf, "fetch_requests", lambda departements: [
        dataclasses.replace(request, **fields) for request in original(departements)])


def urssaf_entries() -> list[dict]:
    return [entry for entry in manifest.load() if entry["source"] == "urssaf"]


def communes_entry(portal) -> dict:
    """The manifest entry of the communes' export (not the server's sums)."""
    [entry] = [e for e in urssaf_entries() if e.get("fetched_from", "").startswith(portal.url(EXPORT))]
    return entry


def test_a_redirect_to_an_undeclared_host_fails_and_writes_nothing(portal, tmp_path, no_proxy):
    before = {path: path.read_bytes() for path in paths.RAW_DIR.rglob("*") if path.is_file()}
    portal.always(EXPORT, Reply(302, b"", {"Location": elsewhere(portal, "/moved.csv")}))
    portal.always("/moved.csv", Reply(200, export_body(tmp_path)))
    outcome = run()[COMMUNES]
    assert outcome.status == "échec"
    assert "redirection de 127.0.0.1 vers localhost refusée : cet hôte n'est pas déclaré par la source" \
        in outcome.reason
    assert portal.requests("/moved.csv") == []
    assert {path: path.read_bytes() for path in paths.RAW_DIR.rglob("*") if path.is_file()} == before


def test_a_redirect_to_a_declared_host_is_fetched_and_its_url_recorded_and_shown(portal, tmp_path, monkeypatch,
                                                                                  capsys, no_proxy):
    declare(monkeypatch, redirect_hosts=("localhost",))
    body = export_body(tmp_path)
    portal.plan(EXPORT, Reply(302, b"", {"Location": elsewhere(portal, "/cdn/urssaf.csv")}))
    portal.plan("/cdn/urssaf.csv", Reply(200, body, {"ETag": '"v1"'}))
    portal.plan("/aggregates/exports/csv", *aggregate_replies(tmp_path))
    assert run()[COMMUNES].status == "nouveau"
    entry = communes_entry(portal)
    assert entry["final_url"] == elsewhere(portal, "/cdn/urssaf.csv")
    assert entry["origin"] == entry["fetched_from"] and entry["fetched_from"].startswith(portal.url(EXPORT))
    assert (paths.RAW_DIR / entry["path"]).read_bytes() == body
    capsys.readouterr()
    assert main(["status"]) == 0
    assert f"(redirigé vers {elsewhere(portal, '/cdn/urssaf.csv')})" in capsys.readouterr().out


def test_without_a_redirect_the_final_url_is_the_url_asked(portal, tmp_path):
    portal.plan(EXPORT, Reply(200, export_body(tmp_path)))
    run()
    entry = communes_entry(portal)
    assert entry["final_url"] == entry["fetched_from"] == entry["origin"]
    assert manifest.origin_text(entry) == entry["origin"]


def test_a_file_past_the_sources_cap_fails_and_nothing_is_written(portal, tmp_path, monkeypatch):
    body = export_body(tmp_path)
    declare(monkeypatch, max_bytes=len(body) - 1)
    portal.always(EXPORT, Reply(200, body, chunked=True))
    outcome = run()[COMMUNES]
    assert outcome.status == "échec"
    assert f"fichier trop gros : plus de {len(body) - 1} octets, la limite fixée pour cette source" in outcome.reason
    assert urssaf_entries() == [] and not list((paths.RAW_DIR / "urssaf").glob("**/*"))
    assert not (paths.RAW_DIR / ".incoming").exists()


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_fetched_and_imported_raw_files_have_the_same_mode_an_ordinary_file_has(portal, tmp_path, umask):
    before = os.umask(umask)
    try:
        portal.plan(EXPORT, Reply(200, export_body(tmp_path)))
        run()
        fetched = paths.RAW_DIR / communes_entry(portal)["path"]
        [workbook] = [file for file in write_world(tmp_path / "more", years=(2025,)) if file.suffix == ".xlsx"
                      and file.name.startswith("bmo")]
        result = importer.import_file(workbook)
        [imported] = [paths.RAW_DIR / e["path"] for e in manifest.load() if e["sha256"] == result.sha256]
        (tmp_path / "plain").write_bytes(b"")  # as `open` makes a file, under this umask
    finally:
        os.umask(before)
    assert mode(fetched) == mode(imported) == mode(tmp_path / "plain") == 0o666 & ~umask
