"""What every writer of data/ shares (pipelines/atomic.py, frformat.fmt_size): one way to write a file whole, with
one temporary name that leftovers recognise, and one way to say a size."""

import errno
import fnmatch
import inspect
import os
import re

import pytest

from pipelines import atomic, paths
from pipelines.frformat import fmt_size
from pipelines.ingest import http, importer, leftovers, manifest
from pipelines.ingest.demo import write_bmo_workbook
from pipelines.sources import SOURCES, urssaf
from pipelines.warehouse import parsed
from tests.conftest import WORLD_2024
from tests.fault_server import FaultServer, Reply


@pytest.fixture(autouse=True)
def local_only(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


def test_every_writer_of_data_uses_one_temporary_name_that_leftovers_find(no_demo, tmp_path):
    """Import's copies, fetch's downloads, parsed tables and the manifest, each stopped at its rename (as a
    process killed there would be): their temporary files have one name pattern, and the next writer removes them."""
    workbook = write_bmo_workbook(tmp_path / "bmo.xlsx", 2024, WORLD_2024)
    table = SOURCES["bmo"].read(workbook)
    temporaries = []

    def killed_at_rename(source, destination, **kwargs):
        temporaries.append(os.fspath(source))
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    with FaultServer() as server, pytest.MonkeyPatch.context() as patch:
        server.plan("/export.csv", Reply(body=b"a;b\n1;2\n"))
        patch.setattr(os, "replace", killed_at_rename)
        writers = [lambda: importer._copy(workbook, paths.RAW_DIR / "bmo" / "2024" / "bmo.xlsx"),
                   lambda: manifest.save([]),
                   lambda: parsed.store(SOURCES["bmo"], "0" * 64, table),
                   lambda: http.download(server.url("/export.csv"), paths.RAW_DIR / "urssaf" / "2022" / "export.csv")]
        for write in writers:
            with pytest.raises(Exception):  # noqa: B017 - each writer reports the failed rename its own way
                write()
    assert len(temporaries) == 4
    for name in temporaries:
        assert fnmatch.fnmatch(os.path.basename(name), atomic.TEMP_GLOB), name
        with open(name, "wb") as left:  # what the killed process left (the helper removes it when it can)
            left.write(b"x")
    assert set(map(os.fspath, leftovers.found())) == set(temporaries)
    said = []
    leftovers.clean(said.append)
    assert not any(os.path.exists(name) for name in temporaries) and "4 fichiers supprimés" in said[0]


def test_a_replaced_file_has_the_mode_of_an_ordinary_file(tmp_path):
    before = os.umask(0o027)
    try:
        with atomic.replacing(tmp_path / "a" / "file.txt") as temporary:
            temporary.write_text("x")
        (tmp_path / "plain.txt").write_text("x")
    finally:
        os.umask(before)
    assert (tmp_path / "a" / "file.txt").stat().st_mode == (tmp_path / "plain.txt").stat().st_mode
    assert os.listdir(tmp_path / "a") == ["file.txt"]


@pytest.mark.parametrize(("size", "said"), [
    (0, "0 octet"), (1, "1 octet"), (999, "999 octets"), (1000, "1 ko"), (131_072, "131,1 ko"),
    (12_345_678, "12,3 Mo"), (256 * 1024 * 1024, "268,4 Mo"), (999_960, "1 Mo"), (200_000_000, "200 Mo"),
    (3 * 10**9, "3 Go"), (10**16, "10\u202f000 To"),
])
def test_sizes_are_said_in_si_units_in_french(size, said):
    assert fmt_size(size) == said


def test_no_other_size_formatter_in_pipelines():
    """One convention (fmt_size): no size divided by 1024 or 10^6 by hand, no unit written beside a number."""
    by_hand = re.compile(r"/ ?1024|>> ?[12]0\b|/ ?1e[36]|/ ?1_000(_000)?\b|f\".*\b(Kio|Mio|Gio|Ko|Mo|ko|Go)\b")
    found = [f"{path.relative_to(paths.ROOT)}:{number}: {line.strip()}"
             for path in sorted((paths.ROOT / "pipelines").rglob("*.py")) if path.name != "frformat.py"
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if by_hand.search(line.split("#")[0])]
    assert found == []


def test_urssaf_opens_its_csv_one_way():
    source = inspect.getsource(urssaf)
    assert source.count('"utf-8-sig" if is_utf8(path) else "cp1252"') == 1, "one function (_body_rows) opens it"
