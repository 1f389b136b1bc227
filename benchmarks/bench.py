"""Benchmarks: import + build of the real national BMO 2024 workbook, of a national-size URSSAF export
(fictitious, generated), and warm page renders; each import + build beside its floor (the same file read by
its reader library alone: calamine, DuckDB), measured in the same run.

Prints the figures and rewrites benchmarks/RESULTS.md. Reads the real files from REAL_DATA_DIR
(default ../shared/data/real). Times are wall-clock medians; memory is each step's peak RSS,
measured in a fresh process. Nothing here is asserted: tests never check speed.
"""

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import make_urssaf_national
from server import served

ROOT = Path(__file__).resolve().parent.parent
REAL = Path(os.environ.get("REAL_DATA_DIR", ROOT.parent / "shared" / "data" / "real"))
if not REAL.is_absolute():
    REAL = (ROOT / REAL).resolve()
BMO = REAL / "bmo" / "Base_open_data_BMO_2024.xlsx"
TERRITORY_FILES = [REAL / "bmo" / "bassin_emploi.csv", REAL / "bmo" / "lexique-bassins.csv",
                   REAL / "insee_ze2020" / "Communes_to_ZE_2022.xlsx"]
# The files README's "Load real data" imports in one command.
README_FILES = [BMO, REAL / "bmo" / "bassin_emploi.csv", REAL / "insee_ze2020" / "Communes_to_ZE_2022.xlsx"]
RUNS = 3
# Import + build should cost at most this many times its floor.
FLOOR_TARGET = 3

# Floors, each in a fresh interpreter: the BMO workbook read by calamine alone (every sheet, as Python
# values), and the URSSAF export read by DuckDB alone and unpivoted to one row per commune × APE × year.
CALAMINE_FLOOR = """
import sys
import python_calamine
workbook = python_calamine.CalamineWorkbook.from_path(sys.argv[1])
rows = sum(len(workbook.get_sheet_by_name(name).to_python()) for name in workbook.sheet_names)
print(rows)
"""
DUCKDB_FLOOR = """
import sys
import duckdb
con = duckdb.connect()
con.execute("create table wide as select * from read_csv(?, delim = ';', header = true)", [sys.argv[1]])
years = sorted({int(name.rsplit("_", 1)[1]) for (name,) in con.execute(
    "select column_name from (describe wide) where column_name like 'effectifs_salaries_%'").fetchall()})
pairs = ", ".join(f"(nombre_d_etablissements_{year}, effectifs_salaries_{year}) as '{year}'" for year in years)
con.execute(f"create table long as unpivot wide on {pairs} into name year value establishments, employees")
print(con.execute("select count(*) from long").fetchall()[0][0])
"""

# Each step runs in a fresh interpreter and reports its own duration and peak memory.
STEP = """
import json, resource, sys, time
from pathlib import Path
started = time.perf_counter()
from pipelines import paths
from pipelines.warehouse import build
from pipelines.ingest import importer
if sys.argv[1] == "scratch":  # no earlier marts to copy unchanged ones from
    for database in (paths.MARTS_DB, paths.MARTS_DIR / "candidate.duckdb"):
        database.unlink(missing_ok=True)
if sys.argv[2:]:
    importer.import_files([Path(name) for name in sys.argv[2:]])  # one trial build for them all
if sys.argv[1] in ("build", "scratch"):
    build.build(say=lambda message: None)
print(json.dumps({"seconds": time.perf_counter() - started,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

RENDER = """
import json, statistics, sys, time
from streamlit.testing.v1 import AppTest
results = {}
for page in sys.argv[1:]:
    test = AppTest.from_file("dashboard.py", default_timeout=120)
    started = time.perf_counter()
    test.run()
    test.switch_page(page)
    test.run()
    cold = time.perf_counter() - started
    warm = []
    for _ in range(7):
        started = time.perf_counter()
        test.run()
        warm.append(time.perf_counter() - started)
    assert not test.exception, test.exception
    results[page] = {"cold": cold, "warm": statistics.median(warm)}
print(json.dumps(results))
"""
PAGES = ["app_pages/overview.py", "app_pages/zoom_secteur.py", "app_pages/sources.py"]

# In a real browser (Playwright driving Debian's Chromium) against `streamlit run`: from navigation to the
# last chart of the zoom drawn, then a sector switch until the new sector's charts are all drawn.
BROWSER = """
import json, statistics, sys, time
from playwright.sync_api import sync_playwright
url, first_charts, second_label, second_code, second_charts = sys.argv[1], int(sys.argv[2]), sys.argv[3], \\
    sys.argv[4], int(sys.argv[5])
DRAWN = "n => [...document.querySelectorAll('.js-plotly-plot')].filter(c => c.querySelector('.main-svg'))" \\
        ".length >= n && !document.querySelector('[data-stale=true]')"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
loads, switches = [], []
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
    for _ in range(4):
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        started = time.perf_counter()
        page.goto(url + "/zoom?secteur=btp&territoire=bassin:5314")
        page.wait_for_function(DRAWN, arg=first_charts, timeout=120_000, polling=50)
        loads.append(time.perf_counter() - started)
        page.locator(".st-key-zoom-sector").click()
        option = page.get_by_role("option", name=second_label, exact=True)
        started = time.perf_counter()
        option.click()
        page.wait_for_function("code => location.search.includes('secteur=' + code)", arg=second_code,
                               timeout=60_000, polling=50)
        page.wait_for_function(DRAWN, arg=second_charts, timeout=60_000, polling=50)
        switches.append(time.perf_counter() - started)
        page.close()
    browser.close()
print(json.dumps({"load_cold": loads[0], "load_warm": statistics.median(loads[1:]),
                  "switch_cold": switches[0], "switch_warm": statistics.median(switches[1:])}))
"""


def step(data_dir: Path, *args: str) -> dict:
    """Run one step in a fresh interpreter; `wall` includes its start-up, as a user's command does."""
    env = {**os.environ, "ZOOM_SECTEURS_DATA": str(data_dir)}
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", STEP, *args], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout
    return {**json.loads(out.strip().splitlines()[-1]), "wall": time.perf_counter() - started}


def wall(*command: str, data_dir: Path | None = None) -> float:
    """Wall time of one command in a fresh process, as a user types it (interpreter start-up included)."""
    env = {**os.environ, **({"ZOOM_SECTEURS_DATA": str(data_dir)} if data_dir else {})}
    started = time.perf_counter()
    subprocess.run([sys.executable, *command], cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def cli(data_dir: Path, *args: str) -> float:
    return wall("-m", "pipelines", *args, data_dir=data_dir)


def national_marts(data_dir: Path, files: list[Path], folder: Path) -> None:
    """Marts in data_dir from the real `files` plus the national-size URSSAF export (fictitious values over the
    real communes those files hold, written into `folder`): what the explorer and note benchmarks measure on."""
    step(data_dir, "build", *map(str, files))
    national = make_urssaf_national.write(folder / "urssaf_national.csv", communes=communes(data_dir))
    step(data_dir, "build", str(national))


def communes(data_dir: Path) -> list[tuple[str, str, str, str]]:
    """(commune, zone d'emploi, département, région) of every commune the marts in data_dir know."""
    import duckdb

    con = duckdb.connect(str(data_dir / "marts" / "marts.duckdb"), read_only=True)
    try:
        return con.execute("""
            select commune.territory_code, any_value(ze.territory_code), commune.dept_code, commune.region_code
            from dim_territory as commune
            left join bridge_territory_commune as ze
                on ze.territory_type = 'zone_emploi' and ze.commune_code = commune.territory_code
            where commune.territory_type = 'commune' and commune.dept_code is not null
                and commune.region_code is not null
            group by all order by 1""").fetchall()
    finally:
        con.close()


def chart_count(data_dir: Path, sector: str) -> tuple[str, int]:
    """The sector's label and how many charts its zoom on the bassin of Rennes draws (as the page does)."""
    import duckdb

    from pipelines.report import zoom, zoom_charts

    con = duckdb.connect(str(data_dir / "marts" / "marts.duckdb"), read_only=True)
    try:
        zoomed = zoom.zoom(con, sector, "bassin_bmo", "5314")
    finally:
        con.close()
    return zoomed.sector["label"], zoom_charts.page_chart_count(zoom_charts.zoom_charts(zoomed))


def browser_timings(data_dir: Path) -> dict:
    """Serve the marts with `streamlit run` and time the zoom in Chromium."""
    with served(data_dir) as (url, _):
        _, first = chart_count(data_dir, "btp")
        label, second = chart_count(data_dir, "numerique")
        out = subprocess.run([sys.executable, "-c", BROWSER, url, str(first), label, "numerique", str(second)],
                             cwd=ROOT, check=True, capture_output=True, text=True).stdout
        return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    missing = [p for p in [BMO, *TERRITORY_FILES] if not p.is_file()]
    if missing:
        sys.exit(f"real files missing (set REAL_DATA_DIR): {', '.join(map(str, missing))}")
    load_before = os.getloadavg()[0]  # the machine may be shared: its load is said beside the figures
    imports, builds, rebuilds, scratches = [], [], [], []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / "data"
            step(data, "import", *map(str, TERRITORY_FILES))  # territories first: not what is measured
            imports.append(step(data, "import", str(BMO)))
            builds.append(step(data, "build"))
            rebuilds.append(step(data, "build"))
            scratches.append(step(data, "scratch"))
    totals = [i["wall"] + b["wall"] for i, b in zip(imports, builds, strict=True)]
    # README's three files in one `import`, then `build`, against the workbook read by calamine alone.
    readme_imports, readme_builds, calamine = [], [], []
    for _ in range(RUNS):
        calamine.append(wall("-c", CALAMINE_FLOOR, str(BMO)))  # beside each run: under the same load
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / "data"
            readme_imports.append(cli(data, "import", *map(str, README_FILES)))
            readme_builds.append(cli(data, "build"))
    readme_totals = [i + b for i, b in zip(readme_imports, readme_builds, strict=True)]
    bmo_ratio = statistics.median(readme_totals) / statistics.median(calamine)
    # A national-size URSSAF export (about 1.2 million commune × APE rows, 2006-2025) over the real
    # communes, imported beside the real territory files; then the real BMO for the page renders.
    # Each run starts from a copy of the same data folder (territories built, not what is measured).
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base" / "data"
        step(base, "build", *map(str, TERRITORY_FILES))
        national = make_urssaf_national.write(Path(tmp) / "urssaf_national.csv", communes=communes(base))
        size_mb = national.stat().st_size / 1e6
        urssaf_imports, urssaf_builds, urssaf_rebuilds, urssaf_scratches, duckdb_floor = [], [], [], [], []
        for run in range(RUNS):
            # The floor beside each run, so that both are measured under the same load of the machine.
            duckdb_floor.append(wall("-c", DUCKDB_FLOOR, str(national)))
            data = Path(tmp) / f"run{run}" / "data"
            shutil.copytree(base, data)
            urssaf_imports.append(step(data, "import", str(national)))
            urssaf_builds.append(step(data, "build"))
            urssaf_rebuilds.append(step(data, "build"))
            urssaf_scratches.append(step(data, "scratch"))
        urssaf_totals = [i["wall"] + b["wall"] for i, b in zip(urssaf_imports, urssaf_builds, strict=True)]
        urssaf_ratio = statistics.median(urssaf_totals) / statistics.median(duckdb_floor)
        step(data, "import", str(BMO))
        step(data, "build")
        env = {**os.environ, "ZOOM_SECTEURS_DATA": str(data)}
        renders = json.loads(subprocess.run([sys.executable, "-c", RENDER, *PAGES], cwd=ROOT, env=env,
                                            check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
        in_browser = browser_timings(data)

    def median(values, key):
        return statistics.median(v[key] for v in values)

    def runs_text(values):
        return ", ".join(f"{value:.2f}" for value in values)

    def verdict(ratio):
        return f"{'met' if ratio <= FLOOR_TARGET else 'NOT met'} (target ≤ {FLOOR_TARGET}×)"

    def row(label, runs):
        return (f"| {label} | {median(runs, 'wall'):.2f} s | {median(runs, 'seconds'):.2f} s "
                f"| {median(runs, 'peak_mb'):.0f} MB |")

    lines = [
        "# Benchmark results",
        "",
        f"Measured on {date.today().isoformat()} by `make bench` (`benchmarks/bench.py`), "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; medians of {RUNS} runs. Load average of the "
        f"machine (1 min) at the start and the end of the run: {load_before:.1f}, {os.getloadavg()[0]:.1f}.",
        "",
        "## Import + build of the real national BMO 2024 workbook (53,443 rows)",
        "",
        "Each step is a command in a fresh process: `wall` includes interpreter start-up, `in process` starts",
        "after it. The lexicons and the INSEE workbook are imported first and not timed. Target: under 5 s.",
        "",
        "| step | wall | in process | peak memory |",
        "|---|---|---|---|",
        row("`import` Base_open_data_BMO_2024.xlsx (recognise, parse, validate, trial build of the marts that read "
            "BMO, the others copied; copy, record)", imports),
        row("`build` right after that import (swaps in the marts the import built and checked)", builds),
        row("`build` again, nothing changed (every mart copied from the marts in service, checks, swap)", rebuilds),
        row("`build` from scratch (marts removed first: BMO + 2 bassin lexicons + INSEE zones → marts, checks, swap)",
            scratches),
        f"| **import + build** (wall, the first two rows) | **{statistics.median(totals):.2f} s** | | |",
        "",
        "### README's three files in one command, against the floor",
        "",
        "`python -m pipelines import Base_open_data_BMO_2024.xlsx bassin_emploi.csv Communes_to_ZE_2022.xlsx` then",
        "`python -m pipelines build`, each a command in a fresh process and an empty data folder (one trial build",
        "for the three files). Floor: the same workbook read by calamine alone (every sheet, as Python values), in a",
        f"fresh process. Target: import + build at most {FLOOR_TARGET}× the floor.",
        "",
        "| step | wall (median) | runs |",
        "|---|---|---|",
        f"| floor: calamine reads Base_open_data_BMO_2024.xlsx | {statistics.median(calamine):.2f} s "
        f"| {runs_text(calamine)} s |",
        f"| `import` of the three files | {statistics.median(readme_imports):.2f} s | {runs_text(readme_imports)} s |",
        f"| `build` | {statistics.median(readme_builds):.2f} s | {runs_text(readme_builds)} s |",
        f"| **import + build** | **{statistics.median(readme_totals):.2f} s** | {runs_text(readme_totals)} s |",
        f"| **ratio to the floor** | **{bmo_ratio:.1f}×** | {verdict(bmo_ratio)} |",
        "",
        f"## Import + build of a national-size URSSAF export ({size_mb:.0f} MB, 1.2 million rows, 2006-2025)",
        "",
        "Fictitious values written by `benchmarks/make_urssaf_national.py` over the real communes (so that real",
        "territories have figures), API field names, imported beside the real territory files.",
        f"Target: import + build under 20 s, under 4 GB, and at most {FLOOR_TARGET}× its floor (last row).",
        "",
        "| step | wall | in process | peak memory |",
        "|---|---|---|---|",
        row("`import` (parse with DuckDB, validate, trial build of the marts that read URSSAF, the others copied; "
            "copy, record)", urssaf_imports),
        row("`build` right after that import", urssaf_builds),
        row("`build` again, nothing changed (every mart copied)", urssaf_rebuilds),
        row("`build` from scratch (marts removed first)", urssaf_scratches),
        f"| **import + build** (wall, the first two rows) | **{statistics.median(urssaf_totals):.1f} s** "
        f"(runs: {', '.join(f'{t:.1f}' for t in urssaf_totals)} s) | | |",
        f"| floor: DuckDB's read_csv of the export and its unpivot (one row per commune × APE × year, "
        f"fresh process) | {statistics.median(duckdb_floor):.2f} s (runs: {runs_text(duckdb_floor)} s) | | |",
        f"| **ratio of import + build to the floor** | **{urssaf_ratio:.1f}×** "
        f"| {verdict(urssaf_ratio)} | |",
        "",
        "## Page render on marts built from the real BMO and territory files and the national-size URSSAF export "
        "(Streamlit AppTest, server side)",
        "",
        "Warm = median of 7 reruns with caches filled. Target: warm under 0.3 s.",
        "",
        "| page | cold | warm |",
        "|---|---|---|",
        *[f"| {page} | {r['cold']:.2f} s | {r['warm']:.3f} s |" for page, r in renders.items()],
        "",
        "## Zoom secteur in a real browser (Playwright, Debian Chromium, `streamlit run` on 127.0.0.1)",
        "",
        "From navigation to the last chart drawn (every plotly chart of the BTP zoom on the bassin of Rennes),",
        "and a sector switch (BTP → numérique, from the click on the option to the last chart redrawn).",
        "Cold = first load on a fresh server; warm = median of 3 more. Target: sector switch under 1 s.",
        "",
        "| measure | cold | warm |",
        "|---|---|---|",
        f"| navigation → last chart drawn | {in_browser['load_cold']:.2f} s | {in_browser['load_warm']:.2f} s |",
        f"| sector switch → last chart drawn | {in_browser['switch_cold']:.2f} s | {in_browser['switch_warm']:.2f} s |",
        "",
    ]
    report = "\n".join(lines)
    print(report)
    (ROOT / "benchmarks" / "RESULTS.md").write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
