"""Benchmarks of the explorer (issue 12) on marts built from the real BMO and territory files (bassins, zones
d'emploi, EPCI, commune geometry of Ille-et-Vilaine) and the national-size URSSAF export (fictitious values over
the real communes, benchmarks/make_urssaf_national.py):

- ranking every commune (~35,000) and every EPCI: warm server render of the explorer's ranking view (AppTest,
  median of 7 reruns with caches filled); target under 0.3 s;
- the EPCI map in a real browser (Playwright, Debian Chromium, `streamlit run`): from navigation to the
  choropleth drawn; target under 2 s. Twice: the EPCI of Ille-et-Vilaine on the real geometry (the only real
  commune geometry at hand), and every EPCI of France (~1,200) on the fictitious national geometry of
  benchmarks/geometry_national.py (35,000 Voronoi communes) with its fictitious URSSAF export;
- similar territories among all zones d'emploi: `read.similar` in process (median of 7) and the view's warm
  render; target under 0.5 s.

Prints the figures and replaces its section of benchmarks/RESULTS.md. Nothing here is asserted.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import geometry_national
import make_urssaf_national
from bench import BMO, REAL, TERRITORY_FILES, communes, national_marts, step
from results import replace_section
from server import served

ROOT = Path(__file__).resolve().parent.parent
EXPLORER_FILES = [REAL / "insee_epci" / "Intercommunalite_Metropole_au_01-01-2023.xlsx",
                  REAL / "geo" / "communes-35-ille-et-vilaine.geojson"]
RUNS = 7
HEADING = "## Explorer: ranking, map, similar territories (issue 12)"

# Each view the explorer renders, as the URL a user opens.
VIEWS = {
    "ranking every commune of France (salaried employment)":
        {"vue": "classement", "territoire": "commune:35238", "indicateur": "emploi", "secteur": "ensemble",
         "echelle": "fr"},
    "ranking every EPCI of France (salaried employment)":
        {"vue": "classement", "territoire": "epci:243500139", "indicateur": "emploi", "secteur": "ensemble",
         "echelle": "fr"},
    "similar zones d'emploi (view)": {"vue": "proches", "territoire": "ze:5315"},
}

RENDER = """
import json, statistics, sys, time
from streamlit.testing.v1 import AppTest
views, runs = json.loads(sys.argv[1]), int(sys.argv[2])
results = {}
for label, query in views.items():
    test = AppTest.from_file("dashboard.py", default_timeout=300)
    for key, value in query.items():
        test.query_params[key] = value
    started = time.perf_counter()
    test.switch_page("app_pages/explorer.py")
    test.run()
    cold = time.perf_counter() - started
    assert not test.exception, test.exception
    warm = []
    for _ in range(runs):
        started = time.perf_counter()
        test.run()
        warm.append(time.perf_counter() - started)
    assert not test.exception, test.exception
    results[label] = {"cold": cold, "warm": statistics.median(warm), "runs": warm}
print(json.dumps(results))
"""

SIMILAR = """
import json, statistics, sys, time
from pipelines.read import marts, similar
with marts.connect() as con:
    timings = []
    for _ in range(int(sys.argv[1])):
        started = time.perf_counter()
        result = similar.similar(con, "zone_emploi", "5315")
        timings.append(time.perf_counter() - started)
    count = con.execute("select count(distinct territory_code) from fct_employment_by_territory_a38_year "
                        "where territory_type = 'zone_emploi'").fetchall()[0][0]
print(json.dumps({"median": statistics.median(timings), "first": timings[0], "zones": count}))
"""

# From navigation to the choropleth drawn (its shapes in the SVG), on a fresh page each time; with where the time
# goes: the websocket opened (Streamlit's page started), the map's message received (the script ran up to it), the
# plotly.js chunk (Streamlit's largest, loaded when the first chart arrives) requested and loaded; what follows is
# plotly.js evaluated, then the map drawn.
BROWSER = """
import json, statistics, sys, time
from playwright.sync_api import sync_playwright
url = sys.argv[1]
DRAWN = "() => [...document.querySelectorAll('.js-plotly-plot')].some(c => c.querySelector('.choroplethlocation'))" \\
        " && !document.querySelector('[data-stale=true]')"
PLOTLY_JS = "() => performance.getEntriesByType('resource').filter(r => /PlotlyChart[.].*[.]js/.test(r.name))" \\
            ".map(r => [r.startTime / 1000, r.responseEnd / 1000])[0] || [null, null]"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
loads, steps = [], []
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
    for _ in range(4):
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        marks = {}

        def received(payload, marks=marks):
            if b"choropleth" in (payload if isinstance(payload, bytes) else payload.encode()):
                marks.setdefault("map message", time.perf_counter())

        def opened(socket, marks=marks):
            marks.setdefault("websocket", time.perf_counter())
            socket.on("framereceived", received)

        page.on("websocket", opened)
        started = time.perf_counter()
        page.goto(url)
        page.wait_for_function(DRAWN, timeout=120_000, polling=50)
        loads.append(time.perf_counter() - started)
        requested, loaded = page.evaluate(PLOTLY_JS)  # from the navigation's start, as `started` (within ms)
        steps.append({**{name: at - started for name, at in marks.items()}, "plotly.js requested": requested,
                      "plotly.js loaded": loaded, "drawn": loads[-1]})
        page.close()
    browser.close()
breakdown = {name: statistics.median(step[name] for step in steps[1:]) for name in steps[-1]
             if all(step.get(name) is not None for step in steps[1:])}
print(json.dumps({"cold": loads[0], "warm": statistics.median(loads[1:]), "runs": loads, "breakdown": breakdown}))
"""
MAP_QUERY = "vue=classement&territoire=epci:243500139&indicateur=emploi&secteur=ensemble&echelle=dep:35"
NATIONAL_MAP_QUERY = "vue=classement&territoire=epci:%s&indicateur=emploi&secteur=ensemble&echelle=fr"
FIRST_EPCI = """
import json
from pipelines.read import marts
with marts.connect() as con:
    [(code,)] = con.execute("select min(territory_code) from dim_territory_shape where territory_type = 'epci'"
                            ).fetchall()
print(json.dumps(code))
"""


def last_json(command: list[str], env: dict) -> dict:
    out = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    missing = [p for p in [BMO, *TERRITORY_FILES, *EXPLORER_FILES] if not p.is_file()]
    if missing:
        sys.exit(f"real files missing (set REAL_DATA_DIR): {', '.join(map(str, missing))}")
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        national_marts(data, [*TERRITORY_FILES, *EXPLORER_FILES, BMO], Path(tmp))
        env = {**os.environ, "ZOOM_SECTEURS_DATA": str(data)}
        renders = last_json([sys.executable, "-c", RENDER, json.dumps(VIEWS), str(RUNS)], env)
        similar = last_json([sys.executable, "-c", SIMILAR, str(RUNS)], env)
        with served(data) as (url, _):
            in_browser = last_json([sys.executable, "-c", BROWSER, f"{url}/explorer?{MAP_QUERY}"], env)

        # Every EPCI of France: fictitious national zonings and geometry, fictitious URSSAF figures over them.
        national_data = Path(tmp) / "national" / "data"
        zonings, geometry = geometry_national.write_files(Path(tmp) / "national-files")
        step(national_data, "build", *map(str, [*zonings, geometry]))
        fictitious = make_urssaf_national.write(Path(tmp) / "urssaf_fictitious.csv", communes=communes(national_data))
        step(national_data, "build", str(fictitious))
        with served(national_data) as (url, _):
            epci = last_json([sys.executable, "-c", FIRST_EPCI], {**env, "ZOOM_SECTEURS_DATA": str(national_data)})
            national_map = last_json([sys.executable, "-c", BROWSER, f"{url}/explorer?{NATIONAL_MAP_QUERY % epci}"],
                                     env)

    def steps(measure: dict) -> str:
        return ", ".join(f"{name} {at:.2f} s" for name, at in measure["breakdown"].items())

    def verdict(value: float, target: float) -> str:
        return f"{'met' if value < target else 'NOT met'} (target < {target} s)"

    lines = [
        f"Measured by `benchmarks/explorer.py` (`make bench`); load average (1 min) at the start and the end: "
        f"{load_before:.1f}, {os.getloadavg()[0]:.1f}. Marts from the real BMO 2024 workbook, bassin lexicons, "
        "Insee zones d'emploi and EPCI workbooks, the Ille-et-Vilaine commune geometry, and the national-size "
        "URSSAF export (fictitious values over the real communes).",
        "",
        "| view (Streamlit AppTest, server side) | cold | warm (median of 7) | verdict |",
        "|---|---|---|---|",
        *[f"| {label} | {r['cold']:.2f} s | {r['warm']:.3f} s | "
          f"{verdict(r['warm'], 0.5 if 'similar' in label else 0.3)} |" for label, r in renders.items()],
        f"| `read.similar` among the {similar['zones']} zones d'emploi, in process | {similar['first']:.3f} s | "
        f"{similar['median']:.3f} s | {verdict(similar['median'], 0.5)} |",
        "",
        f"EPCI map in Chromium at 1280×720 (`/explorer?{MAP_QUERY}`), navigation → choropleth drawn: cold "
        f"{in_browser['cold']:.2f} s, warm {in_browser['warm']:.2f} s (median of 3), {verdict(in_browser['warm'], 2)}. "
        f"Warm, from navigation (medians): {steps(in_browser)}.",
        "",
        f"Every EPCI of France on the map, fictitious national geometry (`/explorer?{NATIONAL_MAP_QUERY % 'CODE'}`), "
        f"navigation → choropleth drawn: cold {national_map['cold']:.2f} s, warm {national_map['warm']:.2f} s "
        f"(median of 3), {verdict(national_map['warm'], 2)}. Warm, from navigation (medians): {steps(national_map)}.",
    ]
    body = "\n".join(lines)
    print(body)
    replace_section(HEADING, body)


if __name__ == "__main__":
    main()
