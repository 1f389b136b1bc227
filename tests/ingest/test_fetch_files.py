"""`fetch` of the national publisher files (BMO workbook, Insee zones d'emploi zip, DARES tensions, ROME ↔
FAP table): served by the local fault server from files our own writers made, never the real ones."""

import io
import zipfile

import pytest

from pipelines import paths
from pipelines.ingest import fetch, importer, manifest
from pipelines.ingest.demo import write_bmo_workbook
from pipelines.sources import insee_ze
from pipelines.sources.readers import sheet_names, zipped_workbook
from pipelines.warehouse import build
from tests.conftest import WORLD_2025, write_world
from tests.fault_server import FaultServer, Reply
from tests.publisher_files import plan_all, point_sources_at, write_published, ze_zip

RENNES = ("departement", "35")
LABELS = ["bmo", "insee_ze", "dares_tensions · 2019 FAP", "dares_tensions · 2021 ROME × bassin", "rome_fap",
          "insee_chomage"]


@pytest.fixture
def published(tmp_path):
    return write_published(tmp_path / "published")


@pytest.fixture
def publishers(no_demo, tmp_path, monkeypatch, published):
    """The small world loaded and built (BMO 2024, lexicon, zones d'emploi 2022), and the publishers'
    URLs pointed at a local server."""
    for file in write_world(tmp_path / "dl", years=(2024,)):
        importer.import_file(file)
    build.build(say=lambda m: None)
    with FaultServer() as server:
        point_sources_at(server, monkeypatch, published)
        yield server


def run(sources, territory=RENNES) -> dict[str, fetch.Outcome]:
    return {o.source: o for o in fetch.fetch(list(sources), territory, say=lambda m: None, sleep=lambda s: None)}


def raw_files() -> dict:
    return {p: p.read_bytes() for p in paths.RAW_DIR.rglob("*") if p.is_file()}


@pytest.mark.parametrize("label", LABELS)
def test_new_then_unchanged_with_a_conditional_get(publishers, published, label):
    file = published[label]
    publishers.plan(file.path, Reply(200, file.body, {"ETag": '"v1"'}))
    first = run([file.source])[label]
    assert (first.status, first.rows, first.period) == ("nouveau", file.rows, file.period)
    [entry] = [e for e in manifest.load() if e.get("fetched_from") == publishers.url(file.path)]
    assert entry["source"] == file.source and entry["etag"] == '"v1"'
    assert (paths.RAW_DIR / entry["path"]).read_bytes() == file.body  # stored as published (the zip too)

    publishers.plan(file.path, Reply(304, b"", {"ETag": '"v1"'}))
    second = run([file.source])[label]
    assert (second.status, second.rows, second.period) == ("inchangé", file.rows, file.period)
    assert publishers.requests(file.path)[-1].header("If-None-Match") == '"v1"'
    assert (paths.RAW_DIR / entry["path"]).read_bytes() == file.body


def test_the_fetched_files_reach_the_marts(publishers, published):
    plan_all(publishers, published)
    outcomes = run(["bmo", "insee_ze", "dares_tensions", "rome_fap", "insee_chomage"])
    assert [o.status for o in outcomes.values()] == ["nouveau"] * 6
    build.build(say=lambda m: None)
    periods = {(e["source"], e["period"]) for e in manifest.load()}
    assert {("bmo", "2024"), ("bmo", "2025"), ("insee_ze", "2022"), ("insee_ze", "2026"), ("dares_tensions", "2019"),
            ("dares_tensions", "2021"), ("rome_fap", "rome-v3"), ("insee_chomage", "2012-T1/2025-T2")} <= periods


HTML = Reply(200, b"<!DOCTYPE html><html><body>Challenge anti-robot</body></html>", {"Content-Type": "text/html"})


@pytest.mark.parametrize(("label", "reply", "reason"), [
    ("bmo", HTML, "HTML"),  # a portal's error or anti-robot page, with status 200
    ("bmo", Reply(200, b"annee;met\n2025;3\n"), "pas un classeur xlsx"),
    ("insee_ze", "truncated", "pas une archive zip"),
    ("insee_ze", "another workbook", "au format de la source bmo"),
    ("dares_tensions · 2019 FAP", Reply(200, b"fap,Emploi moyen,Tension \n"), "vide"),
    ("dares_tensions · 2021 ROME × bassin", Reply(503, b"busy"), "503"),
    ("rome_fap", HTML, "HTML"),
    ("rome_fap", Reply(200, b"code;libelle\nA1101;Conduite\n"), "format non reconnu"),
])
def test_faults_end_in_failure_and_leave_the_files_as_they_were(publishers, published, tmp_path, label, reply,
                                                                  reason):
    file = published[label]
    if reply == "truncated":
        reply = Reply(200, file.body[: len(file.body) // 2])  # no Content-Length problem: the zip check sees it
    elif reply == "another workbook":
        # a BMO workbook zipped where the zones d'emploi should be
        bmo_workbook = write_bmo_workbook(tmp_path / "x.xlsx", 2025, WORLD_2025)
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as handle:
            handle.write(bmo_workbook, "ZE2020_au_01-01-2026.xlsx")
        reply = Reply(200, archive.getvalue())
    before, entries = raw_files(), manifest.load()
    publishers.always(file.path, reply)
    outcome = run([file.source])[label]
    assert outcome.status == "échec" and reason.lower() in outcome.reason.lower()
    assert raw_files() == before and manifest.load() == entries
    assert not (paths.RAW_DIR / ".incoming").exists()


def test_one_failing_part_does_not_stop_the_other(publishers, published):
    publishers.always(published["dares_tensions · 2019 FAP"].path, Reply(404, b"gone"))
    publishers.plan(published["dares_tensions · 2021 ROME × bassin"].path,
                    Reply(200, published["dares_tensions · 2021 ROME × bassin"].body))
    outcomes = run(["dares_tensions"])
    assert [(o.source, o.status) for o in outcomes.values()] == [
        ("dares_tensions · 2019 FAP", "échec"), ("dares_tensions · 2021 ROME × bassin", "nouveau")]


def test_national_files_need_no_marts_to_find_the_territory(no_demo, tmp_path, monkeypatch, published):
    """On a fresh install the zones d'emploi come first: a ze territory is unknown until they are loaded."""
    with FaultServer() as server:
        point_sources_at(server, monkeypatch, published)
        server.plan(published["insee_ze"].path, Reply(200, published["insee_ze"].body))
        outcomes = run(["insee_ze", "urssaf"], territory=("ze", "5315"))
    assert outcomes["insee_ze"].status == "nouveau"
    assert outcomes["urssaf"].status == "échec" and "marts absents" in outcomes["urssaf"].reason


def test_a_source_without_a_publisher_url_says_where_to_download_it(publishers):
    outcome = run(["bmo_bassins"])["bmo_bassins"]
    assert outcome.status == "non disponible"
    assert "https://www.francetravail.org/" in outcome.reason and "python -m pipelines import" in outcome.reason


# --- a zipped workbook is accepted as downloaded ------------------------------------------------------


def test_the_insee_zip_is_read_like_the_workbook_it_holds(tmp_path):
    archive = ze_zip(tmp_path)
    assert zipped_workbook(archive)[0] == "ZE2020_au_01-01-2026.xlsx"
    assert insee_ze.recognise(archive) and importer.recognise(archive).module is insee_ze
    from_zip, from_xlsx = insee_ze.read(archive), insee_ze.read(tmp_path / "ze-workbook.xlsx")
    assert from_zip.period == from_xlsx.period == "2026"
    assert from_zip.frame.equals(from_xlsx.frame)


def test_an_xlsx_is_not_taken_for_a_zip_of_workbooks(tmp_path):
    ze_zip(tmp_path)
    assert zipped_workbook(tmp_path / "ze-workbook.xlsx") is None


def test_a_zip_with_no_or_several_workbooks_is_not_a_workbook(tmp_path):
    ze_zip(tmp_path)
    for members in ([], ["a.xlsx", "b.xlsx"], ["notes.txt"]):
        archive = tmp_path / "other.zip"
        with zipfile.ZipFile(archive, "w") as handle:
            for member in members:
                handle.write(tmp_path / "ze-workbook.xlsx", member)
            handle.writestr("readme.txt", "documentation")
        assert zipped_workbook(archive) is None and sheet_names(archive) == []
        assert not insee_ze.recognise(archive)


def test_a_zip_whose_workbook_is_damaged_is_refused_on_import(no_demo, tmp_path):
    body = ze_zip(tmp_path).read_bytes()
    offset = body.index(b"PK\x03\x04", 4) if body.count(b"PK\x03\x04") > 1 else len(body) // 3
    damaged = tmp_path / "damaged.zip"
    # Flip bytes inside the compressed member: the archive's directory is intact, its content is not.
    middle = max(offset // 2, 100)
    damaged.write_bytes(body[:middle] + bytes(b ^ 0xFF for b in body[middle:middle + 50]) + body[middle + 50:])
    with pytest.raises(importer.InputError, match="archive zip illisible"):
        importer.import_file(damaged)
    assert manifest.load() == []
