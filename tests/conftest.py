"""Shared fixtures: every test works in its own data folder, built from files the project writes."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from pipelines import paths
from pipelines.ingest.demo import write_bassins_csv, write_bmo_workbook, write_ze_workbook
from pipelines.sources import rome as rome_referential
from pipelines.warehouse import build

REAL_DATA_DIR = os.environ.get("REAL_DATA_DIR")
CHROMIUM = "/usr/bin/chromium"  # Debian's, installed by .ci/run: never `playwright install`
ARTIFACTS = paths.ROOT / "test-artifacts"  # screenshots and rendered exports, kept after the run


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Tests never touch the network: any connection outside this machine fails loudly."""
    import socket

    connect = socket.socket.connect

    def local_only(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (host.startswith("127.") or host in ("localhost", "::1", "")) \
                and self.family in (socket.AF_INET, socket.AF_INET6):
            raise OSError(f"network access in a test: {address}")
        return connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", local_only)
FIXTURES = Path(__file__).parent / "fixtures"


def real_file(relative: str) -> Path:
    """A real publisher file: skipped when REAL_DATA_DIR is unset, a failure when it is set but absent."""
    if not REAL_DATA_DIR:
        pytest.skip("REAL_DATA_DIR not set: real-file conformance not run")
    path = (paths.ROOT / REAL_DATA_DIR / relative) if not Path(REAL_DATA_DIR).is_absolute() \
        else Path(REAL_DATA_DIR) / relative
    if not path.is_file():
        pytest.fail(f"REAL_DATA_DIR is set but {path} is missing")
    return path


def use_data_dir(monkeypatch, root: Path, demo_dir: Path | None = None) -> Path:
    """Point every path under the data folder (raw files, manifest, marts, lists of communes...) at a
    temporary folder, and optionally the demo files too. A path added to pipelines/paths.py follows."""
    data = paths.DATA_DIR
    for name, value in list(vars(paths).items()):
        if isinstance(value, Path) and value.is_relative_to(data) and name not in ("DEMO_DIR", "DEMO_MANIFEST"):
            monkeypatch.setattr(paths, name, root / value.relative_to(data))
    if demo_dir is not None:
        monkeypatch.setattr(paths, "DEMO_DIR", demo_dir)
        monkeypatch.setattr(paths, "DEMO_MANIFEST", demo_dir / "manifest.json")
    return root


@contextmanager
def marts_from(root: Path, files: list[Path]) -> Iterator[Path]:
    """Marts built in root/data from `files` only (no demo file), every data path pointing there while inside: what
    a module's real-file fixture builds once (yield from it, or copy what it needs before leaving)."""
    from pipelines.ingest import importer

    with pytest.MonkeyPatch.context() as patch:
        use_data_dir(patch, root / "data", demo_dir=root / "no-demo")
        for file in files:
            importer.import_file(file)
        build.build(say=lambda message: None)
        yield paths.MARTS_DB


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """An empty data folder; the committed demo files stay visible."""
    return use_data_dir(monkeypatch, tmp_path / "data")


@pytest.fixture
def demo_marts(data_dir) -> Path:
    """Marts built from the bundled demo files, in this test's data folder."""
    build.build(say=lambda m: None)
    return paths.MARTS_DB


@pytest.fixture
def no_demo(tmp_path, monkeypatch) -> Path:
    """An empty data folder and no demo files: only what the test imports is built."""
    empty = tmp_path / "no-demo"
    empty.mkdir()
    return use_data_dir(monkeypatch, tmp_path / "data", demo_dir=empty)


def cell(bassin, dept, metier, met, xmet, smet, label=None, region="53", bassin_name=None):
    """One BMO row; counts may be ints or '*' (secret)."""
    names = {"5314": "RENNES", "5313": "REDON", "5316": "SAINT MALO", "2201": "NANTES"}
    return {
        "metier_code": metier, "metier_label": label or f"Métier {metier}", "family_code": metier[0],
        "family_label": f"Famille {metier[0]}", "region_code": region, "region_name": f"Région {region}",
        "dept_code": dept, "dept_name": f"Département {dept}", "bassin_code": float(bassin),
        "bassin_name": bassin_name or names.get(bassin, f"BASSIN {bassin}"),
        # Numbers stay numbers (numeric cells); the demo writes text cells, as the 2024 file does.
        "projects": met, "difficult": xmet, "seasonal": smet,
    }


# A small world with hand-checkable sums (FAP 2021):
#   bassin 5314 (dep 35): BTP B1X31 100/80/10, B0X30 (travaux publics) 20/15/5, numérique M2X90 50/30/0,
#   IAA E3X20 40/10/20, agriculture A1X40 30/12/24, other S1X40 60/30/30 and a secret cell J1X80 *.
#   bassin 5313 REDON spans dep 35 and 44 (région 52); bassin 2201 NANTES in dep 44.
WORLD_2024 = [
    cell("5314", "35", "B1X31", 100, 80, 10),
    cell("5314", "35", "B0X30", 20, 15, 5),
    cell("5314", "35", "M2X90", 50, 30, 0),
    cell("5314", "35", "E3X20", 40, 10, 20),
    cell("5314", "35", "A1X40", 30, 12, 24),
    cell("5314", "35", "S1X40", 60, 30, 30),
    cell("5314", "35", "J1X80", "*", "*", "*"),
    cell("5313", "35", "B1X31", 10, 9, "*"),
    cell("5313", "44", "B1X31", 7, 7, 0, region="52"),
    cell("2201", "44", "M2X90", 200, 150, 2, region="52"),
    cell("2201", "44", "A1X40", 5, "*", "*", region="52"),
    cell("2201", "44", "E3X20", 9, 3, 1, region="52"),
]
WORLD_2025 = [
    cell("5314", "35", "B1X31", 110, 90, 10),
    cell("5314", "35", "B0X30", 30, 20, 5),
    cell("5314", "35", "M2X90", 45, 30, 0),
    cell("5314", "35", "E3X20", 40, 12, 18),
    cell("5314", "35", "A1X40", 25, 10, 20),
    cell("5314", "35", "S1X40", 70, 35, 30),
    cell("2201", "44", "M2X90", 180, 150, 2, region="52"),
    cell("2201", "44", "A1X40", 6, 3, 3, region="52"),
    cell("2201", "44", "E3X20", 9, 3, 1, region="52"),
]
# Rennes in a FAP 2009 (2019-layout) year: one family per sector, public works included.
WORLD_FAP2009 = [
    cell("5314", "35", "B2Z40", 90, 60, 5), cell("5314", "35", "M2Z90", 40, 20, 0),
    cell("5314", "35", "E1Z42", 30, 10, 10), cell("5314", "35", "A1Z40", 25, 10, 20),
    cell("5314", "35", "B0Z20", 12, 10, 2),
]
WORLD_COMMUNES = [
    {"commune_code": "35238", "commune_name": "Rennes", "bassin_code": "5314", "bassin_name": "RENNES",
     "ze_code": "5315", "ze_name": "Rennes", "dept_code": "35", "region_code": "53"},
    {"commune_code": "35051", "commune_name": "Cesson-Sévigné", "bassin_code": "5314", "bassin_name": "RENNES",
     "ze_code": "5315", "ze_name": "Rennes", "dept_code": "35", "region_code": "53"},
    {"commune_code": "35236", "commune_name": "Redon", "bassin_code": "5313", "bassin_name": "REDON",
     "ze_code": "5313", "ze_name": "Redon", "dept_code": "35", "region_code": "53"},
    {"commune_code": "29233", "commune_name": "Quimperlé", "bassin_code": "5319", "bassin_name": "QUIMPERLE",
     "ze_code": "5314", "ze_name": "Quimperlé", "dept_code": "29", "region_code": "53"},
]


def write_world(folder: Path, years=(2024, 2025)) -> list[Path]:
    """The files of the small world, in the publishers' formats, named as a user might name them."""
    rows = {2024: WORLD_2024, 2025: WORLD_2025}
    files = [write_bmo_workbook(folder / f"bmo{year}.xlsx", year, rows[year]) for year in years]
    files.append(write_bassins_csv(folder / "communes_bassins.csv", WORLD_COMMUNES))
    files.append(write_ze_workbook(folder / "ze.xlsx", WORLD_COMMUNES))
    return files


@pytest.fixture
def world(no_demo, tmp_path) -> Path:
    """The small world imported and built; returns the marts path."""
    from pipelines.ingest import importer
    from pipelines.warehouse import build

    for file in write_world(tmp_path / "downloads"):
        importer.import_file(file)
    build.build(say=lambda message: None)
    return paths.MARTS_DB


def marts(path: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), read_only=True)


def staged(source: str, view: str, *frames, demo: bool = False):
    """raw_<source> as build loads it (FIELDS + source_file + is_demo), the macros, then one staging view:
    a staging model tested on its own, without a whole build."""
    import pandas as pd

    con = duckdb.connect()
    raw = pd.concat([frame.assign(source_file=f"{source}/file{i}", is_demo=demo) for i, frame in enumerate(frames)],
                    ignore_index=True)
    con.register("incoming", raw)
    con.execute(f"create table raw_{source} as select * from incoming")
    con.unregister("incoming")
    con.execute((paths.SQL_DIR / "macros.sql").read_text(encoding="utf-8"))
    sql = (paths.SQL_DIR / "staging" / f"{view}.sql").read_text(encoding="utf-8")
    assert sql.startswith("-- One row per ")
    con.execute(f"create view {view} as {sql}")
    return con


# --- Browser tests: Debian's Chromium driven by pytest-playwright, against `streamlit run` on 127.0.0.1 ----------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1400, "height": 1000}, "accept_downloads": True}


@dataclass(frozen=True)
class Served:
    url: str  # http://127.0.0.1:<port>
    data: Path  # the data folder the server reads (ZOOM_SECTEURS_DATA)

    @property
    def marts(self) -> Path:
        return self.data / paths.MARTS_DB.relative_to(paths.DATA_DIR)


def offline_page(browser, errors: list, requested: list, viewport=None):
    """A page in a new browser context where every request but file:// is aborted (and recorded in
    `requested`), page errors and console errors recorded in `errors`: a file opened "without Wi-Fi".
    Close its context when done."""
    context = browser.new_context(viewport=viewport or {"width": 1300, "height": 1000})

    def only_files(route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            requested.append(route.request.url)
            route.abort()

    context.route("**/*", only_files)
    page = context.new_page()
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(data: Path, imports=()):
    """Build marts in `data` (after importing `imports`), serve them with `streamlit run`, yield a Served."""
    env = {**os.environ, "ZOOM_SECTEURS_DATA": str(data)}
    for command in ([["import", *imports]] if imports else []) + [["build"]]:
        subprocess.run([sys.executable, "-m", "pipelines", *command], cwd=paths.ROOT, env=env, check=True,
                       capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=paths.ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        server.kill()
        pytest.fail("streamlit did not start within 60 s")
    yield Served(url, data)
    server.terminate()
    server.wait(timeout=20)


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory):
    """The dashboard served by `streamlit run` on demo marts built in a temporary data folder (one per run,
    shared by every browser test file)."""
    yield from serve(tmp_path_factory.mktemp("browser") / "data")


@pytest.fixture(scope="session")
def dashboard_url(demo_server) -> str:
    return demo_server.url


# The real ROME 4.0 files the dashboard reads (the others of the set are refused by name) and the offers samples.
REAL_ROME = [f"rome_v460/unix_{table.file}_v460_utf8.csv" for table in rome_referential.TABLES.values()]
REAL_OFFERS = [f"offres_api/derived_offres_{name}_sans_contact.json"
               for name in ("2025-11-13_page0", "2025-11-15_page9", "2025-11_dep35")]


@pytest.fixture(scope="session")
def real_server(tmp_path_factory):
    """The same, on marts built from the real publisher files (REAL_DATA_DIR)."""
    files = [str(real_file(name)) for name in ("bmo/Base_open_data_BMO_2024.xlsx", "bmo/bassin_emploi.csv",
                                               "insee_ze2020/Communes_to_ZE_2022.xlsx",
                                               "urssaf/urssaf_commune_ape_ZE2815_Rouen_2006_2022_labels.csv",
                                               "tensions/dares_tensions_2019.csv", "tensions/cities-tension-utf8.csv",
                                               "fap_rome/fap225_rome.csv", "dpae/dpae-mensuelles-france-entiere.csv",
                                               "insee_epci/Intercommunalite_Metropole_au_01-01-2023.xlsx",
                                               "geo/communes-35-ille-et-vilaine.geojson", *REAL_ROME,
                                               *REAL_OFFERS)]
    yield from serve(tmp_path_factory.mktemp("browser-real") / "data", files)


@pytest.fixture(scope="session")
def real_dashboard_url(real_server) -> str:
    return real_server.url
