"""Benchmark of the monthly note (issue 13 §4): publishing an edition (figures read from the marts, the note
worded, its HTML and its PDF rendered, the edition folder written) for Rennes Métropole, on marts built from the
real files (BMO 2024, bassin lexicons, Insee zones d'emploi and EPCI, Insee localised unemployment rates, URSSAF
DPAE hires, Dares tension indicators) plus the national-size URSSAF export (fictitious values over the real
communes, benchmarks/make_urssaf_national.py). No real job-seeker file can be imported (shared/data/real has none
in a publisher's format): those series are "not loaded" in the note, as on a machine without them.

Measured: `python -m pipelines note` as cron runs it (a fresh interpreter: start-up, imports, the lock, the figures,
the note, HTML, PDF, the folder), for a new edition, for the next month (worded against the first) and for a
republication with the same figures (exit 3, nothing written); then each piece in process (median of RUNS).
Target: a publication under 5 s. Prints the figures and replaces its section of benchmarks/RESULTS.md. Nothing here
is asserted.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import BMO, REAL, ROOT, TERRITORY_FILES, national_marts
from results import replace_section

NOTE_FILES = [REAL / "insee_epci" / "Intercommunalite_Metropole_au_01-01-2023.xlsx",
              REAL / "insee_chomage" / "chomage-zone-t1-2003-t3-2023.xlsx",
              REAL / "dpae" / "dpae-mensuelles-france-entiere.csv",
              REAL / "tensions" / "dares_tensions_2019.csv", REAL / "tensions" / "cities-tension-utf8.csv",
              REAL / "fap_rome" / "fap225_rome.csv"]
TERRITORY = "epci:243500139"
MONTHS = ("2026-11", "2026-12")
RUNS = 5
TARGET = 5.0
HEADING = "## Monthly note: publishing an edition (issue 13)"

# Each piece of a publication, in process, on warm imports: what the CLI's wall time is made of.
PIECES = """
import json, statistics, sys, time
from pipelines.read import marts
from pipelines.read.note import figures_json, note_figures
from pipelines.read.territories import parse_territory
from pipelines.report.note import build_note
from pipelines.report.note_html import note_html
from pipelines.report.note_pdf import note_pdf
kind, code = parse_territory(sys.argv[1])
month, runs = sys.argv[2], int(sys.argv[3])
timings = {"figures (marts)": [], "wording (build_note)": [], "HTML": [], "PDF": []}
for _ in range(runs):
    started = time.perf_counter()
    with marts.connect() as con:
        figures = note_figures(con, kind, code, month)
    timings["figures (marts)"].append(time.perf_counter() - started)
    started = time.perf_counter()
    note = build_note(figures)
    timings["wording (build_note)"].append(time.perf_counter() - started)
    started = time.perf_counter()
    html = note_html(note)
    timings["HTML"].append(time.perf_counter() - started)
    started = time.perf_counter()
    pdf = note_pdf(note)
    timings["PDF"].append(time.perf_counter() - started)
loaded = sum(1 for series in figures["series"] if series["values"])
print(json.dumps({"medians": {name: statistics.median(values) for name, values in timings.items()},
                  "figures_bytes": len(figures_json(figures)), "html_bytes": len(html.encode()), "pdf_bytes": len(pdf),
                  "series_with_values": loaded, "series": len(figures["series"])}))
"""


def publish(data: Path, month: str) -> tuple[float, int]:
    """Wall time and exit code of `python -m pipelines note` in a fresh process, as cron runs it."""
    env = {**os.environ, "ZOOM_SECTEURS_DATA": str(data)}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pipelines", "note", "--territoire", TERRITORY, "--mois", month],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 3):
        sys.exit(f"note failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return seconds, done.returncode


def main() -> None:
    missing = [path for path in [BMO, *TERRITORY_FILES, *NOTE_FILES] if not path.is_file()]
    if missing:
        sys.exit(f"real files missing (set REAL_DATA_DIR): {', '.join(map(str, missing))}")
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        national_marts(data, [*TERRITORY_FILES, *NOTE_FILES, BMO], Path(tmp))
        first, first_code = publish(data, MONTHS[0])
        second, second_code = publish(data, MONTHS[1])
        again, again_code = publish(data, MONTHS[1])
        env = {**os.environ, "ZOOM_SECTEURS_DATA": str(data)}
        out = subprocess.run([sys.executable, "-c", PIECES, TERRITORY, MONTHS[1], str(RUNS)], cwd=ROOT, env=env,
                             check=True, capture_output=True, text=True).stdout
        pieces = json.loads(out.strip().splitlines()[-1])
        folders = sorted(path.relative_to(data).as_posix() for path in (data / "editions").glob("*/*"))

    def verdict(seconds: float) -> str:
        return f"{'met' if seconds < TARGET else 'NOT met'} (target < {TARGET:.0f} s)"

    lines = [
        f"Measured by `benchmarks/note.py` (`make bench`); load average (1 min) at the start and the end: "
        f"{load_before:.1f}, {os.getloadavg()[0]:.1f}. Marts from the real BMO 2024 workbook, bassin lexicons, Insee "
        "zones d'emploi, EPCI and localised unemployment workbooks, URSSAF DPAE hires, Dares tension files, and the "
        "national-size URSSAF export (fictitious values over the real communes); no real job-seeker file (not "
        f"loaded). Territory `{TERRITORY}` (Rennes Métropole): {pieces['series_with_values']} of "
        f"{pieces['series']} series with figures.",
        "",
        "| `python -m pipelines note` (fresh process: start-up, figures, note, HTML, PDF, folder) | wall | exit | "
        "verdict |",
        "|---|---|---|---|",
        f"| first edition, {MONTHS[0]} | {first:.2f} s | {first_code} | {verdict(first)} |",
        f"| next month, {MONTHS[1]} (worded against {MONTHS[0]}) | {second:.2f} s | {second_code} | "
        f"{verdict(second)} |",
        f"| {MONTHS[1]} again, same figures (nothing written) | {again:.2f} s | {again_code} | {verdict(again)} |",
        "",
        f"In process, median of {RUNS}: " + ", ".join(f"{name} {seconds:.3f} s"
                                                      for name, seconds in pieces["medians"].items())
        + f". Sizes: figures.json {pieces['figures_bytes'] / 1000:.1f} kB, note.html "
          f"{pieces['html_bytes'] / 1000:.1f} kB, note.pdf {pieces['pdf_bytes'] / 1000:.1f} kB. Folders written: "
        + ", ".join(f"`{folder}`" for folder in folders) + ".",
    ]
    body = "\n".join(lines)
    print(body)
    replace_section(HEADING, body)


if __name__ == "__main__":
    main()
