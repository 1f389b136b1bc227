"""Two commands at once (issue 11, §2): real `python -m pipelines` processes on one data folder.

Writers (`import`, `fetch`, `build`) take turns, each saying whom it waits for; readers (`figures`) never wait;
what a writer killed with SIGKILL left is removed by the next one, which says so.

A build is stopped mid-way, without any hook in the code, by a named pipe in place of data/listes_communes.toml
(an input of every build: see Gate). Timeouts here only keep a hung process from hanging the suite."""

import errno
import hashlib
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from pipelines import paths
from tests.conftest import use_data_dir, write_world

TIMEOUT = 120  # seconds
WAIT_ENV = "ZOOM_SECTEURS_LOCK_WAIT"  # how long a writer waits for another one, in seconds
WAITS = "écrit dans"  # in the message of a writer that waits ("… écrit dans data/ : attente …")


class Command:
    """A `python -m pipelines` process whose error lines are read as they come."""

    def __init__(self, args: tuple, env: dict):
        self.process = subprocess.Popen([sys.executable, "-m", "pipelines", *args], cwd=paths.ROOT, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.pid = self.process.pid
        self._err: list[str] = []
        self._out: list[str] = []
        self._lines: queue.Queue = queue.Queue()
        self._readers = [threading.Thread(target=self._read, args=(self.process.stderr, self._err, True), daemon=True),
                         threading.Thread(target=self._read, args=(self.process.stdout, self._out, False),
                                          daemon=True)]
        for reader in self._readers:
            reader.start()

    def _read(self, stream, into: list, queued: bool) -> None:
        for line in stream:
            into.append(line)
            if queued:
                self._lines.put(line)
        if queued:
            self._lines.put("")  # end of stream

    def next_line(self) -> str:
        """The next line on stderr ("" once the process has closed it)."""
        return self._lines.get(timeout=TIMEOUT)

    def running(self) -> bool:
        return self.process.poll() is None

    def finish(self) -> "Command":
        self.process.wait(timeout=TIMEOUT)
        for reader in self._readers:
            reader.join(timeout=TIMEOUT)
        return self

    @property
    def code(self) -> int | None:
        return self.process.returncode

    @property
    def stderr(self) -> str:
        return "".join(self._err)

    @property
    def stdout(self) -> str:
        return "".join(self._out)


class Gate:
    """data/listes_communes.toml as a named pipe: a process that reads it stops there until the test lets it
    go on. `build` (and an import's trial build) reads that file first for the key of its inputs, before it
    creates its database, then again inside it, to build the territories of the lists."""

    def __init__(self, data: Path):
        self.path = data / paths.COMMUNE_LISTS.name
        os.mkfifo(self.path)
        self.writer: int | None = None

    def wait_reader(self) -> None:
        """Return once a process reads the pipe; it stays stopped there (the pipe is held open, empty)."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                self.writer = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)  # fails while nobody reads
                return
            except OSError as error:
                if error.errno != errno.ENXIO or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    def let_one_read(self) -> None:
        """The reader reads an empty file (no list of communes) and goes on; the next read stops again."""
        os.close(self.writer)
        self.writer = None

    def open(self) -> None:
        """An empty file in place of the pipe, then the reader goes on: nothing stops any more."""
        replacement = self.path.with_suffix(".new")
        replacement.write_text("")
        os.replace(replacement, self.path)
        if self.writer is not None:
            self.let_one_read()


class Holder:
    """A writer holding data/ for as long as the test wants, as a long `fetch` does: a real process that takes the
    lock through datalock (as every writer does), says so on stdout, and keeps it until its stdin is closed."""

    CODE = ("import sys\nfrom pipelines import datalock\nwith datalock.writing('fetch'):\n"
            "    print('held', flush=True)\n    sys.stdin.read()\n")

    def __init__(self, data: Path):
        self.process = subprocess.Popen([sys.executable, "-c", self.CODE], cwd=paths.ROOT, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True,
                                        env={**os.environ, "ZOOM_SECTEURS_DATA": str(data)})
        assert self.process.stdout.readline() == "held\n"

    def release(self) -> None:
        self.process.stdin.close()
        assert self.process.wait(timeout=TIMEOUT) == 0


@pytest.fixture
def holder(data):
    """hold(): a Holder on `data`, killed after the test if still alive."""
    held: list[Holder] = []

    def hold() -> Holder:
        held.append(Holder(data))
        return held[-1]

    yield hold
    for one in held:
        if one.process.poll() is None:
            one.process.kill()
            one.process.wait()


@pytest.fixture
def data(tmp_path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def cli(data):
    """start(*args, wait=seconds): a command on `data`; its processes are killed after the test if still alive."""
    started: list[Command] = []

    def start(*args, wait: float | None = None) -> Command:
        env = {key: value for key, value in os.environ.items() if key != WAIT_ENV}
        env["ZOOM_SECTEURS_DATA"] = str(data)
        if wait is not None:
            env[WAIT_ENV] = str(wait)
        started.append(Command(args, env))
        return started[-1]

    yield start
    for command in started:
        if command.running():
            command.process.kill()
            command.process.wait()


def run(cli, *args, **options) -> Command:
    return cli(*args, **options).finish()


def succeeded(command: Command) -> bool:
    return command.code == 0 and "Traceback" not in command.stderr


def marts_sources(data: Path) -> set[str]:
    """The origins (file names as imported) of the files the marts in service were built from."""
    con = duckdb.connect(str(data / "marts" / paths.MARTS_DB.name), read_only=True)
    try:
        return {row[0] for row in con.execute("select origin from meta_sources").fetchall()}
    finally:
        con.close()


def digest(file: Path) -> str:
    return hashlib.sha256(file.read_bytes()).hexdigest()


def test_four_imports_at_once_are_all_recorded_and_built(cli, data, tmp_path):
    files = write_world(tmp_path / "downloads")
    assert len(files) == 4
    imports = [cli("import", str(file)) for file in files]
    for command in imports:
        command.finish()
        assert succeeded(command), command.stderr
        assert " : nouveau : source " in command.stderr
    recorded = json.loads((data / "raw" / "manifest.json").read_text(encoding="utf-8"))["files"]
    assert sorted(entry["origin"] for entry in recorded) == sorted(file.name for file in files)
    built = run(cli, "build")
    assert succeeded(built), built.stderr
    assert marts_sources(data) == {file.name for file in files}


def test_an_import_during_a_build_waits_for_it_then_is_built(cli, data, tmp_path):
    [bmo_file] = write_world(tmp_path / "downloads", years=(2024,))[:1]
    assert succeeded(run(cli, "build"))
    gate = Gate(data)
    building = cli("build")
    gate.wait_reader()  # the build holds data/, stopped mid-way
    importing = cli("import", str(bmo_file))
    waiting = importing.next_line()
    assert waiting.startswith(f"Une autre commande (build, pid {building.pid}, depuis ") and WAITS in waiting
    assert importing.running()
    gate.open()
    assert succeeded(building.finish()), building.stderr
    assert succeeded(importing.finish()), importing.stderr
    assert "Dossier " in importing.stderr and "libéré : la commande reprend." in importing.stderr
    assert f"{bmo_file} : nouveau : source bmo, période 2024" in importing.stderr
    assert succeeded(run(cli, "build"))
    assert bmo_file.name in marts_sources(data)


def test_a_second_writer_waits_with_a_message_or_is_refused_after_the_limit(cli, data, tmp_path):
    [bmo_file] = write_world(tmp_path / "downloads", years=(2024,))[:1]
    assert succeeded(run(cli, "build"))
    marts = data / "marts" / paths.MARTS_DB.name
    before = digest(marts)
    gate = Gate(data)
    holder = cli("build")
    gate.wait_reader()
    waiting = cli("import", str(bmo_file))
    line = waiting.next_line()
    assert re.fullmatch(rf"Une autre commande \(build, pid {holder.pid}, depuis \d\d:\d\d:\d\d\) écrit dans "
                        rf"{re.escape(str(data))}/ : attente \(au plus 10 min\)…\n", line), line
    # With a short limit, a writer gives up, says why and changes nothing.
    refused = run(cli, "build", wait=0.3)
    assert refused.code != 0 and "Traceback" not in refused.stderr
    assert f"Une autre commande (build, pid {holder.pid}, depuis " in refused.stderr
    assert "écrit toujours dans" in refused.stderr
    assert "après 0,3 s d'attente : commande abandonnée, rien n'a changé" in refused.stderr
    assert "Marts" not in refused.stderr
    assert digest(marts) == before and not (data / "raw" / "manifest.json").exists()
    assert waiting.running() and holder.running()
    gate.open()
    assert succeeded(holder.finish()), holder.stderr
    assert succeeded(waiting.finish()), waiting.stderr
    assert "nouveau : source bmo" in waiting.stderr


def test_a_reader_never_waits_for_a_writer(cli, data, tmp_path):
    [bmo_file] = write_world(tmp_path / "downloads", years=(2024,))[:1]
    assert succeeded(run(cli, "build"))
    gate = Gate(data)
    holder = cli("build")
    gate.wait_reader()
    waiting = cli("import", str(bmo_file))
    assert WAITS in waiting.next_line()  # writers take turns...
    figures = run(cli, "figures", "--territory", "bassin:5314", "--format", "json")
    assert succeeded(figures), figures.stderr  # ...a reader does not wait for them
    assert json.loads(figures.stdout)["sectors"] and WAITS not in figures.stderr
    assert holder.running() and waiting.running()
    gate.open()
    assert succeeded(holder.finish()) and succeeded(waiting.finish())


def test_the_next_build_removes_what_a_killed_build_left(cli, data):
    assert succeeded(run(cli, "build"))
    marts = data / "marts" / paths.MARTS_DB.name
    before = digest(marts)
    gate = Gate(data)
    killed = cli("build")
    gate.wait_reader()  # the key of its inputs, before its database exists
    gate.let_one_read()
    deadline = time.monotonic() + TIMEOUT
    while not list((data / "marts").glob("marts.*.building.duckdb")) and time.monotonic() < deadline:
        time.sleep(0.01)
    gate.wait_reader()  # the lists of communes: inside its database, half written
    os.kill(killed.pid, signal.SIGKILL)
    killed.finish()
    left = sorted((data / "marts").glob("marts.*.building.duckdb*"))
    assert any(file.name.endswith(".building.duckdb") for file in left), left
    # The marts in service never changed, and still answer.
    assert digest(marts) == before
    assert succeeded(run(cli, "figures", "--territory", "bassin:5314"))
    gate.open()
    rebuilt = run(cli, "build")
    assert succeeded(rebuilt), rebuilt.stderr
    cleaned = [line for line in rebuilt.stderr.splitlines() if line.startswith("Nettoyage")]
    assert len(cleaned) == 1 and f"{len(left)} fichier" in cleaned[0] and left[0].name in cleaned[0]
    assert not list((data / "marts").glob("marts.*.building.duckdb*"))
    assert succeeded(run(cli, "figures", "--territory", "bassin:5314"))
    again = run(cli, "build")
    assert succeeded(again) and "Nettoyage" not in again.stderr  # nothing left the second time


def test_leftovers_are_the_scratch_files_of_every_writer_never_a_loaded_file(tmp_path, monkeypatch):
    """What a writer killed at any point leaves: a build or trial database with its log, a partial parse, a
    partial copy of an imported file, a manifest being written, a download folder; a loaded file whose name
    happens to look like scratch is kept."""
    from pipelines.ingest import leftovers
    from pipelines.warehouse import build

    data = use_data_dir(monkeypatch, tmp_path / "data")
    marts = data / "marts"
    (marts / "parsed").mkdir(parents=True)
    (data / "raw" / "bmo" / "2024").mkdir(parents=True)
    (data / "raw" / ".incoming" / "urssaf").mkdir(parents=True)
    scratch = [marts / "marts.k9x2ab.building.duckdb", marts / "marts.k9x2ab.building.duckdb.wal",
               marts / "parsed" / ".bmo-0123.parquet.4567.part",
               data / "raw" / "bmo" / "2024" / ".bmo.xlsx.a1b2c3.part", data / "raw" / ".manifest.json.z9y8.part",
               data / "raw" / ".incoming" / "urssaf" / ".export.csv.x1.part"]
    kept = [marts / "marts.duckdb", marts / "candidate.duckdb", marts / "parsed" / "bmo-0123.parquet",
            data / "raw" / "bmo" / "2024" / ".bmo.x.part", data / "raw" / "manifest.json"]
    for file in scratch + kept:
        file.write_bytes(b"x" * 1000)
    (data / "raw" / "manifest.json").write_text(json.dumps({"files": [
        {"source": "bmo", "period": "2024", "path": "bmo/2024/.bmo.x.part", "demo": False, "sha256": "0" * 64,
         "retrieved_at": "2026-01-05T10:00:00+00:00"}]}))
    said = []
    removed = leftovers.clean(said.append)
    assert sorted(removed) == sorted([*scratch[:5], data / "raw" / ".incoming"])
    assert all(file.exists() for file in kept) and not (data / "raw" / ".incoming").exists()
    assert said == ["Nettoyage des restes d'une commande interrompue : 6 fichiers supprimés "
                    "(marts.k9x2ab.building.duckdb, marts.k9x2ab.building.duckdb.wal, .bmo-0123.parquet.4567.part, "
                    ".manifest.json.z9y8.part … ; 6 ko)."]
    assert build.scratch_files() == []


def test_build_if_needed_does_not_wait_for_another_writer_when_marts_are_in_service(cli, data, holder):
    """`make run` starts with `build --if-needed`: during a long fetch, it neither waits nor fails, so the
    dashboard starts on the marts in service (up to date: no lock at all; out of date: used as they are)."""
    assert succeeded(run(cli, "build"))
    marts = data / "marts" / paths.MARTS_DB.name
    before = digest(marts)
    fetching = holder()
    # Up to date: nothing to do, hence no lock to wait for (a wait of 20 s would be refused with exit 1).
    fresh = run(cli, "build", "--if-needed", wait=20)
    assert succeeded(fresh), fresh.stderr
    assert fresh.stderr == "Marts à jour : rien à reconstruire\n"
    # Out of date (a new list of communes, an input of every build): the marts in service are used, said so.
    (data / paths.COMMUNE_LISTS.name).write_text('[rennes]\nnom = "Rennes"\ncommunes = ["35238"]\n')
    stale = run(cli, "build", "--if-needed", wait=20)
    assert succeeded(stale), stale.stderr
    assert re.fullmatch(rf"Une autre commande \(fetch, pid {fetching.process.pid}, depuis \d\d:\d\d:\d\d\) écrit "
                        rf"dans {re.escape(str(data))}/ : les marts en service sont utilisés tels quels, sans "
                        r"attendre \(.*relancez « python -m pipelines build » quand elle aura fini\)\.\n",
                        stale.stderr), stale.stderr
    assert digest(marts) == before
    fetching.release()
    rebuilt = run(cli, "build", "--if-needed")
    assert succeeded(rebuilt) and "Marts construits" in rebuilt.stderr, rebuilt.stderr
    assert digest(marts) != before


def test_build_if_needed_without_marts_waits_as_a_build_does(cli, data, holder):
    fetching = holder()
    building = cli("build", "--if-needed")
    assert WAITS in building.next_line()  # nothing to show without marts: it waits for them
    assert building.running()
    fetching.release()
    assert succeeded(building.finish()), building.stderr
    assert "libéré : la commande reprend." in building.stderr and "Marts construits" in building.stderr
    assert (data / "marts" / paths.MARTS_DB.name).exists()


def test_ctrl_c_while_waiting_for_the_lock_says_so_without_a_traceback(cli, data, holder, tmp_path):
    [bmo_file] = write_world(tmp_path / "downloads", years=(2024,))[:1]
    fetching = holder()
    importing = cli("import", str(bmo_file))
    assert WAITS in importing.next_line()
    os.kill(importing.pid, signal.SIGINT)
    importing.finish()
    assert importing.code == 130 and "Traceback" not in importing.stderr, importing.stderr
    assert importing.stderr.splitlines()[-1] == (
        f"Interrompu : commande import arrêtée ; rien n'est en service à moitié écrit (une seule commande écrit à "
        f"la fois dans {data}/, écritures atomiques) : les fichiers et les marts en service sont ceux d'avant, ou "
        "ceux que la commande avait fini d'enregistrer ; la prochaine commande qui écrit efface ce que celle-ci "
        "avait commencé.")
    assert not (data / "raw" / "manifest.json").exists()
    fetching.release()


def test_build_if_needed_waits_when_the_marts_are_of_another_code_version(cli, data, holder):
    """Marts built by another version of the code may not fit the pages: `--if-needed` waits and rebuilds."""
    assert succeeded(run(cli, "build"))
    marts = data / "marts" / paths.MARTS_DB.name
    con = duckdb.connect(str(marts))
    con.execute("update meta_build set code_version = 'older', inputs_key = 'older'")  # as an older build's
    con.close()
    fetching = holder()
    building = cli("build", "--if-needed")
    assert WAITS in building.next_line()
    assert building.running()
    fetching.release()
    assert succeeded(building.finish()), building.stderr
    assert "Marts construits" in building.stderr
