"""pipelines/ingest/http.py against a real local server that throws the faults real portals throw.

Every fault ends in correct data or a clear DownloadError, never in a half-written file and never in a
changed previous file. Pauses between attempts go through an injected `sleep` that only records them.
"""

import gzip
import hashlib
import io
import os
import socket
import traceback
import zipfile
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from pipelines.frformat import fmt_size
from pipelines.ingest import http
from pipelines.ingest.http import DownloadError, download, get_json, post_json, retry_after_seconds
from tests.fault_server import FaultServer, Reply

CSV = b"code_commune;code_ape;effectifs_salaries_2024\r\n35238;6201Z;1200\r\n35051;4120A;85\r\n"
BIG = b"code_commune;valeur\n" + b"".join(f"35{i:03d};{i}\n".encode() for i in range(40_000))  # ~400 KB
OLD = b"code_commune;valeur\n35238;ancien\n"  # the previous good file
FAST = (2, 0.5)  # (connect, read) timeouts for the timeout tests
LAST_MODIFIED = "Wed, 21 Oct 2015 07:28:00 GMT"


@pytest.fixture(autouse=True)
def local_only(monkeypatch):
    """Never through a proxy: the only server these tests talk to is on 127.0.0.1."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture
def server():
    with FaultServer() as running:
        yield running


@pytest.fixture
def sleeps():
    """Pass `sleep=sleeps.append`: pauses are recorded, not waited."""
    return []


@pytest.fixture
def previous(tmp_path):
    """A folder holding a previous good file, data.csv."""
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "data.csv").write_bytes(OLD)
    return folder / "data.csv"


def files_in(folder) -> list[str]:
    """Every file in the folder, hidden temporary files included."""
    return sorted(path.name for path in folder.iterdir())


def assert_previous_kept(destination):
    assert destination.read_bytes() == OLD
    assert files_in(destination.parent) == [destination.name], "a temporary file was left behind"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def xlsx_bytes() -> bytes:
    """A zip archive with the entries an xlsx has (enough for the content check)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>" + "x" * 5000)
    return buffer.getvalue()


# --- success --------------------------------------------------------------------------------------------


def test_download_writes_the_file_with_its_sha256_and_size(server, tmp_path, sleeps):
    server.plan("/data.csv", Reply(body=CSV, headers={"ETag": '"v1"', "Last-Modified": LAST_MODIFIED,
                                                       "Content-Type": "text/csv; charset=utf-8"}))
    destination = tmp_path / "raw" / "urssaf" / "data.csv"  # folders are created
    result = download(server.url("/data.csv"), destination, expect="csv", sleep=sleeps.append)
    assert destination.read_bytes() == CSV
    assert (result.status, result.sha256, result.bytes, result.attempts) == ("nouveau", sha(CSV), len(CSV), 1)
    assert (result.etag, result.last_modified, result.path) == ('"v1"', LAST_MODIFIED, destination)
    assert result.url == server.url("/data.csv") and result.seconds >= 0
    assert files_in(destination.parent) == ["data.csv"] and sleeps == []
    [seen] = server.requests("/data.csv")
    assert seen.header("User-Agent") == http.user_agent()
    assert seen.header("If-None-Match") is None and seen.header("If-Modified-Since") is None


def test_the_session_is_shared_and_names_the_project():
    assert http.session() is http.session()
    assert http.session().headers["User-Agent"] == http.user_agent()
    assert "github.com/zoom-secteurs/zoom-secteurs" not in http.user_agent()  # a repository that does not exist


def test_the_user_agent_names_the_project_and_the_contact_of_one_setting(monkeypatch):
    monkeypatch.delenv("ZOOM_SECTEURS_CONTACT", raising=False)
    assert http.user_agent() == "zoom-secteurs/0.1.0 (Zoom secteurs, tableau de bord open source)"
    monkeypatch.setenv("ZOOM_SECTEURS_CONTACT", " observatoire@exemple.fr\n")
    assert http.user_agent() == ("zoom-secteurs/0.1.0 (Zoom secteurs, tableau de bord open source ; contact : "
                                 "observatoire@exemple.fr)")
    # an HTTP header is Latin-1: accents kept, the rest folded or left out, never a crash when the request is sent
    monkeypatch.setenv("ZOOM_SECTEURS_CONTACT", "Pôle main-d’œuvre ⚙")
    assert http.user_agent().endswith("; contact : Pôle main-duvre)")


def test_params_reach_the_server_and_the_reported_url(server, tmp_path):
    server.plan("/exports/csv", Reply(body=CSV))
    result = download(server.url("/exports/csv"), tmp_path / "a.csv", params={"where": 'code_departement="35"',
                                                                             "delimiter": ";"})
    [seen] = server.requests("/exports/csv")
    assert seen.path == "/exports/csv?where=code_departement%3D%2235%22&delimiter=%3B"
    assert result.url == server.url(seen.path)


def test_a_large_body_streams_to_the_right_sha256(server, previous):
    server.plan("/data.csv", Reply(body=BIG, chunked=True))
    result = download(server.url("/data.csv"), previous, expect="csv")
    assert previous.read_bytes() == BIG
    assert (result.sha256, result.bytes) == (sha(BIG), len(BIG))
    assert files_in(previous.parent) == ["data.csv"]


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_progress_is_reported_while_streaming(server, tmp_path, chunked):
    server.plan("/data.csv", Reply(body=BIG, chunked=chunked))
    calls = []
    download(server.url("/data.csv"), tmp_path / "data.csv", progress=lambda done, total: calls.append((done, total)))
    total = None if chunked else len(BIG)
    assert calls[0] == (0, total) and calls[-1] == (len(BIG), total)
    assert len(calls) > 2, "called for each chunk, not only at the end"
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


# --- timeouts ------------------------------------------------------------------------------------------


def test_timeout_then_success(server, previous, sleeps):
    server.plan("/data.csv", Reply(body=CSV, delay=2), Reply(body=CSV))
    result = download(server.url("/data.csv"), previous, expect="csv", timeout=FAST, sleep=sleeps.append)
    assert previous.read_bytes() == CSV and result.attempts == 2 and sleeps == [1.0]


def test_timeout_every_time_is_a_clear_error_and_keeps_the_previous_file(server, previous, sleeps):
    server.always("/data.csv", Reply(body=CSV, delay=2))
    with pytest.raises(DownloadError) as caught:
        download(server.url("/data.csv"), previous, expect="csv", timeout=FAST, attempts=2, sleep=sleeps.append)
    message = str(caught.value)
    assert server.url("/data.csv") in message
    assert "délai d'attente dépassé" in message and "abandon après 2 tentatives" in message
    assert caught.value.status is None and sleeps == [1.0]
    assert_previous_kept(previous)


def test_a_stall_mid_body_times_out_then_succeeds(server, previous, sleeps):
    server.plan("/data.csv", Reply(body=BIG, drop_after=5000, stall=2), Reply(body=BIG))
    result = download(server.url("/data.csv"), previous, expect="csv", timeout=FAST, sleep=sleeps.append)
    assert previous.read_bytes() == BIG and result.attempts == 2 and result.sha256 == sha(BIG)


# --- server errors and Retry-After ------------------------------------------------------------------


def test_500_then_success(server, previous, sleeps):
    server.plan("/data.csv", Reply(500, b"Internal Server Error"), Reply(body=CSV))
    result = download(server.url("/data.csv"), previous, expect="csv", sleep=sleeps.append)
    assert previous.read_bytes() == CSV and result.attempts == 2 and result.status == "nouveau"
    assert sleeps == [1.0]


def test_503_every_time_names_url_status_and_body_start(server, previous, sleeps):
    body = b"<p>Service en maintenance jusqu'\xc3\xa0 14 h</p>" + b"x" * 1000
    server.always("/data.csv", Reply(503, body))
    with pytest.raises(DownloadError) as caught:
        download(server.url("/data.csv"), previous, expect="csv", sleep=sleeps.append)
    error, message = caught.value, str(caught.value)
    assert error.status == 503 and "(HTTP 503)" in message
    assert server.url("/data.csv") in message and "erreur du serveur" in message
    assert "abandon après 4 tentatives" in message
    assert "Service en maintenance jusqu'à 14 h" in message
    assert "x" * 300 not in message and len(error.body) <= 200, "only the start of the body is quoted"
    assert sleeps == [1.0, 2.0, 4.0], "exponential backoff"
    assert len(server.requests("/data.csv")) == 4
    assert_previous_kept(previous)


def test_each_retry_is_announced_before_its_pause(server, previous):
    """A caller that shows progress is told why and how long it waits, so a slow failure is not silent."""
    events = []
    server.always("/data.csv", Reply(503, b"busy"))
    with pytest.raises(DownloadError):
        download(server.url("/data.csv"), previous, expect="csv", sleep=lambda s: events.append(("pause", s)),
                 on_retry=lambda notice: events.append(("notice", notice)))
    assert events == [
        ("notice", "nouvelle tentative dans 1 s (erreur du serveur, HTTP 503), essai 2 sur 4"), ("pause", 1.0),
        ("notice", "nouvelle tentative dans 2 s (erreur du serveur, HTTP 503), essai 3 sur 4"), ("pause", 2.0),
        ("notice", "nouvelle tentative dans 4 s (erreur du serveur, HTTP 503), essai 4 sur 4"), ("pause", 4.0)]


def test_json_calls_announce_retries_too(server, sleeps):
    notices = []
    server.plan("/api/records", Reply(429, b"slow down", headers={"Retry-After": "3"}),
                Reply(body=b'{"results": []}', headers={"Content-Type": "application/json"}))
    assert get_json(server.url("/api/records"), sleep=sleeps.append, on_retry=notices.append) == {"results": []}
    assert notices == ["nouvelle tentative dans 3 s (trop de requêtes, HTTP 429), essai 2 sur 4"]


def test_429_honours_retry_after(server, previous, sleeps):
    server.plan("/data.csv", Reply(429, b"Too Many Requests", headers={"Retry-After": "2"}), Reply(body=CSV))
    result = download(server.url("/data.csv"), previous, expect="csv", sleep=sleeps.append)
    assert sleeps == [2] and result.attempts == 2 and previous.read_bytes() == CSV


def test_retry_after_as_seconds_or_http_date_capped():
    now = datetime(2025, 4, 1, 12, 0, tzinfo=UTC)
    assert retry_after_seconds("2") == 2
    assert retry_after_seconds("3600") == http.MAX_WAIT
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=30), usegmt=True), now=now) == 30
    assert retry_after_seconds(format_datetime(now - timedelta(seconds=30), usegmt=True), now=now) == 0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


def test_a_client_error_is_not_retried(server, previous, sleeps):
    server.always("/data.csv", Reply(404, b"Not Found: dataset renamed"))
    with pytest.raises(DownloadError) as caught:
        download(server.url("/data.csv"), previous, expect="csv", sleep=sleeps.append)
    assert caught.value.status == 404 and "dataset renamed" in str(caught.value)
    assert sleeps == [] and len(server.requests("/data.csv")) == 1
    assert_previous_kept(previous)


# --- connections dropped mid-body ------------------------------------------------------------------


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_dropped_mid_body_then_success(server, previous, sleeps, chunked):
    server.plan("/data.csv", Reply(body=BIG, drop_after=100_000, chunked=chunked), Reply(body=BIG))
    result = download(server.url("/data.csv"), previous, expect="csv", sleep=sleeps.append)
    assert previous.read_bytes() == BIG and (result.sha256, result.bytes) == (sha(BIG), len(BIG))
    assert result.attempts == 2 and sleeps == [1.0]
    assert files_in(previous.parent) == ["data.csv"]


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_dropped_mid_body_every_time_keeps_the_previous_file(server, previous, sleeps, chunked):
    server.always("/data.csv", Reply(body=BIG, drop_after=100_000, chunked=chunked))
    with pytest.raises(DownloadError) as caught:
        download(server.url("/data.csv"), previous, expect="csv", attempts=3, sleep=sleeps.append)
    assert "connexion coupée pendant le téléchargement" in str(caught.value)
    assert sleeps == [1.0, 2.0] and len(server.requests("/data.csv")) == 3
    assert_previous_kept(previous)


def test_a_body_cut_at_the_end_of_a_zip_is_refused(server, previous):
    """Without Content-Length nor chunking the client cannot see a short body: the zip check does."""
    whole = xlsx_bytes()
    server.plan("/data.xlsx", Reply(body=whole[: len(whole) - 40], headers={"Content-Length": str(len(whole) - 40)}))
    with pytest.raises(DownloadError, match="xlsx"):
        download(server.url("/data.xlsx"), previous, expect="xlsx")
    assert_previous_kept(previous)


# --- conditional GET ------------------------------------------------------------------------------------


def test_304_keeps_the_file_and_says_unchanged(server, previous, sleeps):
    server.plan("/data.csv", Reply(304, headers={"ETag": '"v1"'}))
    before = previous.stat().st_mtime_ns
    result = download(server.url("/data.csv"), previous, expect="csv", sleep=sleeps.append,
                      previous={"etag": '"v1"', "last_modified": LAST_MODIFIED})
    assert (result.status, result.sha256, result.bytes) == ("inchangé", sha(OLD), len(OLD))
    assert (result.etag, result.last_modified) == ('"v1"', LAST_MODIFIED)
    assert previous.stat().st_mtime_ns == before
    assert_previous_kept(previous)
    [seen] = server.requests("/data.csv")
    assert seen.header("If-None-Match") == '"v1"' and seen.header("If-Modified-Since") == LAST_MODIFIED


def test_no_conditional_request_without_a_file_to_keep(server, tmp_path):
    server.plan("/data.csv", Reply(body=CSV))
    result = download(server.url("/data.csv"), tmp_path / "data.csv", previous={"etag": '"v1"'})
    assert result.status == "nouveau" and server.requests("/data.csv")[0].header("If-None-Match") is None


def test_the_same_content_as_last_time_is_unchanged(server, previous):
    server.plan("/data.csv", Reply(body=OLD))
    result = download(server.url("/data.csv"), previous, expect="csv", previous={"sha256": sha(OLD)})
    assert result.status == "inchangé" and previous.read_bytes() == OLD


# --- content checks -------------------------------------------------------------------------------------


@pytest.mark.parametrize("content_type, body", [
    ("text/html; charset=utf-8", b"<html><body><h1>Erreur</h1>Le service est indisponible</body></html>"),
    ("text/csv", b"\xef\xbb\xbf\n<!DOCTYPE html>\n<html><title>Maintenance</title></html>"),
    ("application/octet-stream", b"  <HTML><body>Connexion requise</body></HTML>"),
], ids=["content-type", "doctype", "html-tag"])
def test_an_html_page_served_with_200_is_refused(server, previous, sleeps, content_type, body):
    server.always("/data.csv", Reply(body=body, headers={"Content-Type": content_type}))
    with pytest.raises(DownloadError) as caught:
        download(server.url("/data.csv"), previous, expect="csv", sleep=sleeps.append)
    message = str(caught.value)
    assert "page HTML reçue" in message and "(HTTP 200)" in message and server.url("/data.csv") in message
    assert "début de la réponse :" in message
    assert body.decode().strip("\ufeff\n ")[:15] in message
    assert sleeps == [], "not retried"
    assert_previous_kept(previous)


@pytest.mark.parametrize("body, problem", [
    (b"", "réponse vide"),
    (b"code_commune;code_ape;effectifs_salaries_2024\r\n", "export vide"),
    (b"\xef\xbb\xbfcode_commune;valeur\n\n\n", "export vide"),
], ids=["no-bytes", "header-only", "bom-header-blank-lines"])
def test_an_empty_export_is_refused(server, previous, body, problem):
    server.always("/data.csv", Reply(body=body, headers={"Content-Type": "text/csv"}))
    with pytest.raises(DownloadError, match=problem):
        download(server.url("/data.csv"), previous, expect="csv")
    assert_previous_kept(previous)


def test_a_non_zip_body_is_refused_for_xlsx(server, previous):
    server.always("/bmo.xlsx", Reply(body=CSV))
    with pytest.raises(DownloadError, match="pas un classeur xlsx") as caught:
        download(server.url("/bmo.xlsx"), previous, expect="xlsx")
    assert "35238;6201Z" in str(caught.value)
    assert_previous_kept(previous)


def test_a_zip_is_accepted_for_xlsx(server, tmp_path):
    server.plan("/bmo.xlsx", Reply(body=xlsx_bytes()))
    result = download(server.url("/bmo.xlsx"), tmp_path / "bmo.xlsx", expect="xlsx")
    assert zipfile.is_zipfile(result.path) and result.sha256 == sha(xlsx_bytes())


def test_a_zip_archive_is_accepted_for_zip_and_a_cut_or_non_zip_body_refused(server, previous, tmp_path):
    """Insee ships its workbooks inside a .zip: the same whole-archive check as for an xlsx."""
    whole = xlsx_bytes()
    server.plan("/ze.zip", Reply(body=whole), Reply(body=whole[: len(whole) - 40]), Reply(body=CSV))
    assert download(server.url("/ze.zip"), tmp_path / "ze.zip", expect="zip").sha256 == sha(whole)
    for _ in range(2):
        with pytest.raises(DownloadError, match="pas une archive zip"):
            download(server.url("/ze.zip"), previous, expect="zip")
        assert_previous_kept(previous)


def test_without_expect_any_body_is_accepted(server, tmp_path):
    server.plan("/page", Reply(body=b"<html></html>", headers={"Content-Type": "text/html"}))
    assert download(server.url("/page"), tmp_path / "page.html").bytes == 13


def test_an_unwritable_destination_is_a_download_error(server, tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(DownloadError, match="dossier de destination"):
        download(server.url("/data.csv"), tmp_path / "a-file" / "data.csv")


def test_a_folder_in_the_way_is_a_download_error(server, tmp_path):
    server.plan("/data.csv", Reply(body=CSV))
    (tmp_path / "data.csv").mkdir()
    with pytest.raises(DownloadError, match="impossible de remplacer"):
        download(server.url("/data.csv"), tmp_path / "data.csv")
    assert files_in(tmp_path) == ["data.csv"] and not any((tmp_path / "data.csv").iterdir())


# --- secrets ----------------------------------------------------------------------------------------------


def full_text(error: BaseException) -> str:
    """What a user could see: the messages of the error and of every exception a traceback would print
    with it (its cause or context). Source lines are left out: they are this test file's own."""
    texts = []
    while error is not None:
        texts.append("".join(traceback.format_exception_only(error)))
        error = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    return "\n".join(texts)


def test_secrets_are_not_in_error_messages(server, previous, sleeps):
    server.always("/token-data", Reply(503, b"bad access_token=TOK-123456 for Bearer BEARER-XYZ-789"))
    with pytest.raises(DownloadError) as caught:
        download(server.url("/token-data"), previous, sleep=sleeps.append, attempts=2,
                 params={"where": "code_departement='35'", "client_secret": "S3CRET-VALUE",
                         "access_token": "TOK-123456"},
                 headers={"Authorization": "Bearer BEARER-XYZ-789", "X-Api-Key": "KEY-4242"})
    text = full_text(caught.value)
    for secret in ("S3CRET-VALUE", "TOK-123456", "BEARER-XYZ-789", "KEY-4242"):
        assert secret not in text
    assert "client_secret=***" in text and "access_token=***" in text and "where=code_departement" in text
    assert "(HTTP 503)" in text and "bad access_token=***" in text
    seen = server.requests("/token-data")[0]
    assert "S3CRET-VALUE" in seen.path and seen.header("Authorization") == "Bearer BEARER-XYZ-789", "still sent"


def test_secrets_are_not_in_connection_errors(tmp_path, sleeps):
    """requests quotes the URL with its query string in its own messages: those are scrubbed too."""
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://user:PASSW0RD-X@127.0.0.1:{port}/data.csv?token=TOKEN-SECRET-1&year=2024"
    with pytest.raises(DownloadError) as caught:
        download(url, tmp_path / "data.csv", attempts=2, sleep=sleeps.append, params={"client_secret": "CS-99887"})
    text = full_text(caught.value)
    assert "connexion impossible" in text and f"127.0.0.1:{port}/data.csv?token=***&year=2024" in text
    for secret in ("PASSW0RD-X", "TOKEN-SECRET-1", "CS-99887"):
        assert secret not in text
    assert files_in(tmp_path) == []


# --- JSON APIs ----------------------------------------------------------------------------------------


def test_get_json_retries_then_parses(server, sleeps):
    server.plan("/api/records", Reply(502, b"Bad Gateway"),
                Reply(body=b'{"total_count": 1, "results": [{"code": "35238"}]}',
                      headers={"Content-Type": "application/json"}))
    data = get_json(server.url("/api/records"), params={"limit": 1}, sleep=sleeps.append)
    assert data == {"total_count": 1, "results": [{"code": "35238"}]} and sleeps == [1.0]
    assert server.requests("/api/records")[-1].path == "/api/records?limit=1"


def test_get_json_survives_a_drop_mid_body(server, sleeps):
    body = b'{"results": [' + b",".join(b'{"n": %d}' % i for i in range(5000)) + b"]}"
    server.plan("/api/records", Reply(body=body, drop_after=1000), Reply(body=body))
    assert len(get_json(server.url("/api/records"), sleep=sleeps.append)["results"]) == 5000


@pytest.mark.parametrize("reply, problem", [
    (Reply(body=b"<!DOCTYPE html><html>Maintenance</html>"), "page HTML"),
    (Reply(body=b'{"results": [1, 2', headers={"Content-Type": "application/json"}), "JSON illisible"),
    (Reply(body=b""), "réponse vide"),
    (Reply(401, b'{"error": "invalid_token"}'), "refuse"),
], ids=["html", "truncated-json", "empty", "401"])
def test_get_json_errors_are_clear(server, sleeps, reply, problem):
    server.always("/api/records", reply)
    with pytest.raises(DownloadError, match=problem) as caught:
        get_json(server.url("/api/records"), sleep=sleeps.append)
    assert server.url("/api/records") in str(caught.value) and sleeps == []


def test_post_json_sends_the_form_and_hides_the_client_secret(server, sleeps):
    server.plan("/token", Reply(500, b"oops"), Reply(body=b'{"access_token": "abc", "expires_in": 1499}'))
    answer = post_json(server.url("/token"), params={"realm": "/partenaire"}, sleep=sleeps.append,
                       data={"grant_type": "client_credentials", "client_id": "ID-1", "client_secret": "SEC-REAL"})
    assert answer["expires_in"] == 1499
    seen = server.requests("/token")[-1]
    assert seen.method == "POST" and b"client_secret=SEC-REAL" in seen.body

    server.always("/token", Reply(400, b'{"error": "invalid_client", "echo": "SEC-REAL", "id": "ID-10"}'))
    with pytest.raises(DownloadError) as caught:
        post_json(server.url("/token"), data={"client_id": "ID-10", "client_secret": "SEC-REAL"}, sleep=sleeps.append)
    assert "SEC-REAL" not in full_text(caught.value) and "invalid_client" in str(caught.value)
    assert "ID-10" not in full_text(caught.value)  # the client id is half of the credentials


# --- a machine with no network (issue 10 §3) --------------------------------------------------------------


def closed_url(path: str = "/data.csv") -> str:
    """A URL on a local port nobody listens on: the connection is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}{path}"


def port_of(url: str) -> int:
    return int(url.split(":")[2].split("/")[0])


@pytest.fixture
def connects(monkeypatch):
    """The port of every connection attempt, in order (socket.connect wrapped, the tests' guard kept)."""
    ports = []
    connect = socket.socket.connect

    def counted(self, address):
        if isinstance(address, tuple):
            ports.append(address[1])
        return connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", counted)
    return ports


def test_no_host_answering_is_offline_after_one_attempt_and_one_try_of_two_others(tmp_path, previous, sleeps,
                                                                                    connects):
    first, second, third, fourth = (closed_url() for _ in range(4))
    network = http.Connectivity([first, second, third, fourth])
    with pytest.raises(http.OfflineError) as caught:
        download(first, previous, network=network, sleep=sleeps.append, on_retry=sleeps.append)
    assert connects == [port_of(first), port_of(second), port_of(third)] and sleeps == []
    assert network.offline and caught.value.attempts == 1
    hosts = [f"127.0.0.1:{port_of(url)}" for url in (first, second, third)]
    assert caught.value.hosts == hosts
    assert f"pas de connexion réseau : aucun éditeur n'a répondu ({', '.join(hosts)})" in str(caught.value)
    assert_previous_kept(previous)
    # every later request of the same fetch gives up before connecting
    for call in (lambda: download(fourth, tmp_path / "other.csv", network=network, sleep=sleeps.append),
                 lambda: get_json(fourth, network=network, sleep=sleeps.append),
                 lambda: post_json(fourth, data={"a": "b"}, network=network, sleep=sleeps.append)):
        with pytest.raises(http.OfflineError) as caught:
            call()
        assert caught.value.attempts is None and "abandon" not in str(caught.value)
    assert len(connects) == 3 and sleeps == []


def test_a_host_refusing_while_another_answers_keeps_its_retries(server, previous, sleeps, connects):
    down = closed_url()
    network = http.Connectivity([down, server.url("/elsewhere.csv")])
    with pytest.raises(DownloadError) as caught:
        download(down, previous, network=network, sleep=sleeps.append)
    assert not isinstance(caught.value, http.OfflineError) and not network.offline and network.answered
    assert connects.count(port_of(down)) == 4 and sleeps == [1.0, 2.0, 4.0]
    assert "connexion impossible" in str(caught.value) and "abandon après 4 tentatives" in str(caught.value)
    assert_previous_kept(previous)


def test_with_no_other_host_to_try_a_refusing_host_keeps_its_retries(previous, sleeps, connects):
    down = closed_url()
    network = http.Connectivity([down, down.replace("/data.csv", "/other.csv")])  # the same host twice
    with pytest.raises(DownloadError) as caught:
        download(down, previous, network=network, sleep=sleeps.append)
    assert not isinstance(caught.value, http.OfflineError) and not network.offline
    assert connects == [port_of(down)] * 4 and sleeps == [1.0, 2.0, 4.0]


def test_once_a_host_answered_no_other_is_tried(server, tmp_path, previous, sleeps, connects):
    server.plan("/data.csv", Reply(body=CSV))
    down, unused = closed_url(), closed_url()
    network = http.Connectivity([server.url("/data.csv"), down, unused])
    download(server.url("/data.csv"), tmp_path / "data.csv", network=network, sleep=sleeps.append)
    with pytest.raises(DownloadError) as caught:
        download(down, previous, network=network, sleep=sleeps.append)
    assert not isinstance(caught.value, http.OfflineError) and port_of(unused) not in connects
    assert connects.count(port_of(down)) == 4


@pytest.mark.parametrize("reply", [Reply(body=CSV, delay=2), Reply(503, b"busy"), Reply(404, b"gone")],
                         ids=["read-timeout", "503", "404"])
def test_a_server_that_answers_badly_is_not_offline(server, previous, sleeps, connects, reply):
    """Only a failure to connect at all counts: a slow or failing server shows the network is there."""
    server.always("/data.csv", reply)
    unused = closed_url()
    network = http.Connectivity([server.url("/data.csv"), unused])
    with pytest.raises(DownloadError) as caught:
        download(server.url("/data.csv"), previous, network=network, timeout=FAST, attempts=2, sleep=sleeps.append)
    assert not isinstance(caught.value, http.OfflineError) and network.answered and not network.offline
    assert port_of(unused) not in connects


# --- redirects and size cap (issue 11 §3) -------------------------------------------------------------------


def elsewhere(server, path: str) -> str:
    """The same local server under another host name: a redirect there leaves the request's host."""
    return f"http://localhost:{server.port}{path}"


@pytest.mark.parametrize("location", ["absolute", "scheme-relative", "after-a-hop-on-the-same-host"])
def test_a_redirect_to_another_host_is_refused_naming_both_hosts(server, previous, sleeps, location):
    moved = {"absolute": elsewhere(server, "/moved.csv"),
             "scheme-relative": f"//localhost:{server.port}/moved.csv", "after-a-hop-on-the-same-host": "/hop"}
    server.plan("/data.csv", Reply(302, b"", {"Location": moved[location]}))
    server.plan("/hop", Reply(301, b"", {"Location": elsewhere(server, "/moved.csv")}))
    server.always("/moved.csv", Reply(body=CSV))
    with pytest.raises(DownloadError) as refused:
        download(server.url("/data.csv"), previous, expect="csv", sleep=sleeps.append)
    assert "redirection de 127.0.0.1 vers localhost refusée" in str(refused.value)
    assert "HTTP 30" in str(refused.value)
    assert server.requests("/moved.csv") == [] and sleeps == []  # never followed, never retried
    assert_previous_kept(previous)


def test_a_redirect_to_a_declared_host_is_followed_and_the_final_url_reported(server, previous):
    server.plan("/data.csv", Reply(302, b"", {"Location": elsewhere(server, "/v2/data.csv?token=abcdef123")}))
    server.plan("/v2/data.csv", Reply(body=CSV))
    result = download(server.url("/data.csv"), previous, expect="csv", allowed_hosts=["LocalHost"])
    assert previous.read_bytes() == CSV
    assert result.url == server.url("/data.csv")
    assert result.final_url == elsewhere(server, "/v2/data.csv?token=***")  # secrets masked there too


def test_a_redirect_on_the_same_host_needs_no_declaration(server, tmp_path):
    server.plan("/data.csv", Reply(301, b"", {"Location": "/v2/data.csv"}))
    server.plan("/v2/data.csv", Reply(body=CSV))
    result = download(server.url("/data.csv"), tmp_path / "data.csv", expect="csv")
    assert result.final_url == server.url("/v2/data.csv")


def test_without_a_redirect_the_final_url_is_the_url(server, tmp_path):
    server.plan("/data.csv", Reply(body=CSV))
    result = download(server.url("/data.csv"), tmp_path / "data.csv", params={"a": "1"})
    assert result.final_url == result.url == server.url("/data.csv?a=1")


def test_json_calls_refuse_a_redirect_to_another_host(server, sleeps):
    server.plan("/api", Reply(307, b"", {"Location": elsewhere(server, "/api")}))
    with pytest.raises(DownloadError, match="vers localhost refusée"):
        get_json(server.url("/api"), sleep=sleeps.append)


@pytest.mark.parametrize("reply", [
    Reply(body=BIG),  # Content-Length says it: not one byte is read
    Reply(body=BIG, chunked=True),  # no length: stopped while streaming
    Reply(body=gzip.compress(BIG), headers={"Content-Encoding": "gzip"}),  # small on the wire
], ids=["content-length", "chunked", "gzip"])
def test_a_body_past_the_cap_is_refused_and_nothing_is_written(server, previous, sleeps, reply):
    server.plan("/data.csv", reply)
    cap = len(BIG) // 2
    with pytest.raises(DownloadError) as refused:
        download(server.url("/data.csv"), previous, expect="csv", max_bytes=cap, sleep=sleeps.append)
    assert f"fichier trop gros : plus de {fmt_size(cap)}" in str(refused.value)
    assert "rien n'est écrit" in str(refused.value) and sleeps == []  # not retried
    assert_previous_kept(previous)


JSON_BIG = b'{"results": [' + b",".join(b'{"code": "%05d"}' % i for i in range(20_000)) + b"]}"  # ~340 KB


@pytest.mark.parametrize("reply", [
    Reply(body=JSON_BIG),  # Content-Length says it
    Reply(body=JSON_BIG, chunked=True),  # no length: stopped while streaming
    Reply(body=gzip.compress(JSON_BIG), headers={"Content-Encoding": "gzip"}),  # small on the wire
], ids=["content-length", "chunked", "gzip"])
def test_an_api_answer_past_the_json_cap_is_refused(server, sleeps, monkeypatch, reply):
    """The France Travail API is called with post_json, an URSSAF schema with get_json: their answers have a cap
    too (JSON_MAX_BYTES when the caller says none), not read whole into memory first."""
    monkeypatch.setattr(http, "JSON_MAX_BYTES", len(JSON_BIG) // 2)
    for call in (lambda: post_json(server.url("/api"), json={"q": 1}, sleep=sleeps.append),
                 lambda: get_json(server.url("/api"), sleep=sleeps.append)):
        server.plan("/api", reply)
        with pytest.raises(DownloadError) as refused:
            call()
        assert f"fichier trop gros : plus de {fmt_size(len(JSON_BIG) // 2)}" in str(refused.value)
    assert sleeps == []  # not retried


def test_an_api_answer_at_the_cap_is_parsed(server, sleeps):
    server.plan("/api", Reply(body=JSON_BIG, chunked=True))
    assert len(get_json(server.url("/api"), max_bytes=len(JSON_BIG), sleep=sleeps.append)["results"]) == 20_000
    server.plan("/api", Reply(body=b"\xef\xbb\xbf" + JSON_BIG))  # a BOM, as requests' own .json() reads it
    with pytest.raises(DownloadError, match="fichier trop gros"):
        get_json(server.url("/api"), max_bytes=len(JSON_BIG), sleep=sleeps.append)
    server.plan("/api", Reply(body=b"\xef\xbb\xbf" + JSON_BIG))
    assert len(get_json(server.url("/api"), sleep=sleeps.append)["results"]) == 20_000


def test_a_body_at_the_cap_is_accepted(server, tmp_path):
    server.plan("/data.csv", Reply(body=BIG, chunked=True))
    assert download(server.url("/data.csv"), tmp_path / "data.csv", max_bytes=len(BIG)).bytes == len(BIG)


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_a_downloaded_file_has_the_mode_of_an_ordinary_file(server, tmp_path, umask):
    server.plan("/data.csv", Reply(body=CSV))
    before = os.umask(umask)
    try:
        download(server.url("/data.csv"), tmp_path / "data.csv")
        (tmp_path / "plain.csv").write_bytes(CSV)  # as `open` makes it, under this umask
    finally:
        os.umask(before)
    assert (tmp_path / "data.csv").stat().st_mode == (tmp_path / "plain.csv").stat().st_mode
