"""Load benchmark: N phones open the same view at once (a workshop's QR code), against `streamlit run`.

No browser: each phone is a websocket session that speaks Streamlit's own protocol, as its frontend does
(BackMsg `rerun_script` with the view's page and query string; ForwardMsgs back until `script_finished`), so
the client costs the server's cores almost nothing. For each view and each N, a fresh server on demo marts
(built in a temporary data folder, or --data) gets N sessions opened at once, cold (first after its start),
then N more, warm. Reported: the time from the opening to the last element of the last session, the time of
each session (min / median / max), the server's CPU seconds per view (/proc/<pid>/stat before and after) and the
errors (exception elements, a script that did not finish). Records its table in benchmarks/RESULTS.md (its own
section). Nothing is asserted: the target is the last of 20 sessions complete within 5 s (issue 11 §4).
"""

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from results import replace_section
from server import ROOT, served
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

# name: (page url path, query string). The zoom is what the workshop's QR code opens; slide 9 of its workshop
# mode (on the demo marts) is a chart.
VIEWS = {
    "zoom": ("zoom", "secteur=btp&territoire=bassin:5314"),
    "atelier": ("zoom", "secteur=btp&territoire=bassin:5314&mode=atelier&diapo=9"),
    "overview": ("", "territoire=bassin:5314"),
}
COUNTS = (1, 5, 20)
TARGET_SECONDS, TARGET_SESSIONS = 5.0, 20
HEADING = "## Twenty phones on one link (websocket sessions against `streamlit run`)"
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Session:
    """One phone: seconds from the batch's start to its last element and to its script's end, and its errors."""
    last_element: float = 0.0
    finished: float | None = None
    elements: int = 0
    errors: list[str] = field(default_factory=list)


def rerun_message(url: str, page: str, query: str) -> bytes:
    """What Streamlit's frontend sends when a browser opens `url/page?query`."""
    message = BackMsg()
    state = message.rerun_script
    state.query_string = query
    state.page_name = page
    state.context_info.url = f"{url}/{page}?{query}"
    state.context_info.timezone = "Europe/Paris"
    state.context_info.locale = "fr-FR"
    return message.SerializeToString()


async def open_view(url: str, page: str, query: str, started: float, timeout: float) -> Session:
    """Open one session on the view and read its ForwardMsgs until its script has finished."""
    session = Session()
    stream = url.replace("http://", "ws://", 1) + "/_stcore/stream"
    try:
        # Browsers negotiate permessage-deflate: the server compresses for them, so it does here too.
        async with asyncio.timeout(timeout), connect(stream, subprotocols=["streamlit"], max_size=None,
                                                     open_timeout=timeout) as socket:
            await socket.send(rerun_message(url, page, query))
            async for data in socket:
                message = ForwardMsg()
                message.ParseFromString(data)
                kind = message.WhichOneof("type")
                if kind == "delta":
                    session.elements += 1
                    session.last_element = time.perf_counter() - started
                    element = message.delta.new_element
                    if message.delta.WhichOneof("type") == "new_element" and element.WhichOneof("type") == "exception":
                        session.errors.append(f"{element.exception.type}: {element.exception.message}")
                elif kind == "page_not_found":
                    session.errors.append(f"page introuvable : {page!r}")
                elif kind == "script_finished":
                    if message.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                        session.errors.append(f"script interrompu ({message.script_finished})")
                    session.finished = time.perf_counter() - started
                    break
    except (OSError, TimeoutError) as error:
        session.errors.append(f"{type(error).__name__}: {error}")
    if session.finished is None and not session.errors:
        session.errors.append("connexion fermée avant la fin du script")
    return session


async def open_views(url: str, page: str, query: str, count: int, timeout: float = 120) -> list[Session]:
    """`count` sessions opened at once on the same view."""
    started = time.perf_counter()
    return list(await asyncio.gather(*(open_view(url, page, query, started, timeout) for _ in range(count))))


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (/proc/<pid>/stat, fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def measure(url: str, pid: int, view: str, count: int) -> dict:
    """One batch of `count` sessions on `view`: what the report's row shows."""
    page, query = VIEWS[view]
    before = cpu_seconds(pid)
    sessions = asyncio.run(open_views(url, page, query, count))
    cpu = cpu_seconds(pid) - before
    times = [s.finished for s in sessions if s.finished is not None] or [float("nan")]
    errors = [error for s in sessions for error in s.errors]
    return {"view": view, "count": count, "last": max(s.last_element for s in sessions),
            "min": min(times), "median": statistics.median(times), "max": max(times), "cpu_per_view": cpu / count,
            "elements": statistics.median(s.elements for s in sessions), "errors": errors}


def demo_data(folder: Path) -> Path:
    """Marts built from the bundled demo files in `folder` (what `make run` shows on a fresh machine)."""
    env = {**os.environ, "ZOOM_SECTEURS_DATA": str(folder)}
    subprocess.run([sys.executable, "-m", "pipelines", "build"], cwd=ROOT, env=env, check=True, capture_output=True)
    return folder


def run(data: Path, views: list[str], counts: list[int]) -> list[dict]:
    """For each view and count: a fresh server, one cold batch, then one warm batch."""
    rows = []
    for view in views:
        for count in counts:
            with served(data) as (url, server):
                for state in ("cold", "warm"):
                    row = {**measure(url, server.pid, view, count), "state": state}
                    print(f"{view:8} N={count:2} {state}: dernière session complète en {row['last']:.2f} s, "
                          f"sessions {row['min']:.2f} / {row['median']:.2f} / {row['max']:.2f} s, "
                          f"CPU serveur {row['cpu_per_view']:.2f} s par vue, {len(row['errors'])} erreur(s)",
                          flush=True)
                    for error in sorted(set(row["errors"])):
                        print(f"    {error}")
                    rows.append(row)
    return rows


def report(rows: list[dict], load: tuple[float, float], marts: str = "the demo marts") -> str:
    lines = [
        f"Measured on {date.today().isoformat()} by `benchmarks/load.py` on {marts}, {os.cpu_count()} cores; "
        f"load average (1 min) at the start and the end of the run: {load[0]:.1f}, {load[1]:.1f}"
        + (f" (above {os.cpu_count()}: other processes competed for the cores, times are longer than on a quiet "
           "machine)" if max(load) > os.cpu_count() else "")
        + ". For each view and N, a fresh `streamlit run`; N websocket sessions opened at once, speaking Streamlit's "
        "protocol (no browser), "
        "each sending the view's page and query string and reading until `script_finished`: cold = the first N "
        "after the server's start, warm = N more after them. Last = from the opening to the last element of the last "
        "session; sessions = each one's time to `script_finished` (min / median / max); CPU = the server's user + "
        f"system seconds over the batch, divided by N. Target: {TARGET_SESSIONS} sessions on the zoom, the last "
        f"complete within {TARGET_SECONDS:.0f} s, no error. Before issue 11 (each session drew its own charts, and "
        "Streamlit ran a full garbage collection after every run), measured the same way on 2026-12-05 (load average "
        "about 2): zoom warm 0.25 s of server CPU per view, 20 sessions at once 5.1 s warm and 7.3 s cold; overview "
        "warm 0.13 s per view.",
        "",
        "| view | N | state | last | sessions min / median / max | server CPU per view | elements | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        page, query = VIEWS[row["view"]]
        lines.append(f"| `/{page}?{query}` | {row['count']} | {row['state']} | {row['last']:.2f} s "
                     f"| {row['min']:.2f} / {row['median']:.2f} / {row['max']:.2f} s | {row['cpu_per_view']:.3f} s "
                     f"| {row['elements']:.0f} | {len(row['errors'])} |")
    for row in rows:
        if row["view"] == "zoom" and row["count"] == TARGET_SESSIONS:
            met = row["last"] <= TARGET_SECONDS and not row["errors"]
            lines.append(f"\n**{TARGET_SESSIONS} sessions on the zoom, {row['state']}**: the last complete in "
                         f"{row['last']:.2f} s, {len(row['errors'])} error(s): target {'met' if met else 'NOT met'}.")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description="N sessions ouvertes en même temps sur une vue du tableau de bord.")
    parser.add_argument("--views", nargs="+", choices=list(VIEWS), default=list(VIEWS))
    parser.add_argument("--counts", nargs="+", type=int, default=list(COUNTS))
    parser.add_argument("--data", type=Path, help="dossier de données déjà construit (défaut : marts de démo)")
    parser.add_argument("--no-record", action="store_true", help="ne pas écrire benchmarks/RESULTS.md")
    options = parser.parse_args()
    if options.data and not (options.data / "marts" / "marts.duckdb").is_file():
        parser.error(f"{options.data} : pas de marts construits (data/marts/marts.duckdb) dans ce dossier")
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="load-") as tmp:
        data = options.data.resolve() if options.data else demo_data(Path(tmp) / "data")
        rows = run(data, options.views, options.counts)
    text = report(rows, (load_before, os.getloadavg()[0]), f"the marts of {options.data}" if options.data
                  else "the demo marts")
    print(text)
    if not options.no_record:  # the demo's figures and those of a real data folder each in their own section
        replace_section(f"{HEADING[:-1]}, marts of `{options.data.name}`)" if options.data else HEADING, text)
    return 1 if any(row["errors"] for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
