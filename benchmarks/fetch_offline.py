"""Benchmark: `python -m pipelines fetch` on a machine with no network at all, timed in a fresh process.

Two ways of having no network, neither of which can reach the internet even on a connected machine:
- "DNS en échec": every name lookup outside this machine fails (socket.getaddrinfo patched in the child);
- "connexion refusée": every request goes through a proxy on a closed local port (HTTP(S)_PROXY).
The fetch runs for a département (every fetchable source goes to the network) in an empty temporary data
folder (ZOOM_SECTEURS_DATA), so that data/ is never touched. Prints the seconds of each, the fetch's
last message and its summary table, and records the two figures in benchmarks/RESULTS.md (its own section,
after what bench.py wrote). Nothing is asserted: the target is < 10 s (issue 10 §3).
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from results import replace_section

ROOT = Path(__file__).resolve().parent.parent
COMMAND = ["fetch", "--territory", "dep:35"]

# Run in the child: name lookups of any host outside this machine fail, as with no network at all.
NO_DNS = """
import runpy, socket, sys
lookup = socket.getaddrinfo

def no_dns(host, *args, **kwargs):
    if isinstance(host, bytes):
        host = host.decode()
    if host in (None, "localhost", "::1") or str(host).startswith("127."):
        return lookup(host, *args, **kwargs)
    raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

socket.getaddrinfo = no_dns
sys.argv = ["pipelines", *sys.argv[1:]]
runpy.run_module("pipelines", run_name="__main__", alter_sys=True)
"""

PROXY_NAMES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


def closed_port() -> int:
    """A local port nobody listens on (bound then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(label: str, command: list[str], extra_env: dict[str, str]) -> float:
    with tempfile.TemporaryDirectory(prefix="fetch-offline-") as data:
        env = {name: value for name, value in os.environ.items()
               if name.lower() not in PROXY_NAMES and name not in ("FT_CLIENT_ID", "FT_CLIENT_SECRET")}
        env.update(ZOOM_SECTEURS_DATA=data, **extra_env)
        started = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - started
    print(f"{label} : {seconds:.1f} s (code de sortie {done.returncode})")
    for line in (done.stderr.splitlines() or [""])[-1:] + done.stdout.splitlines():
        print(f"    {line}")
    return seconds


HEADING = "## `fetch` with no network at all"


def record(dns: float, refused: float) -> None:
    """Replace this benchmark's section of RESULTS.md (bench.py rewrites the rest of the file)."""
    replace_section(HEADING, f"Measured on {date.today().isoformat()} by `benchmarks/fetch_offline.py`: "
                    f"`python -m pipelines fetch --territory dep:35` in a fresh process and an empty data folder. "
                    f"Target: under 10 s (it was 79 s before issue 10).\n\n"
                    f"| no network as | wall |\n|---|---|\n| every name lookup fails (DNS) | {dns:.1f} s |\n"
                    f"| every connection refused (proxy on a closed local port) | {refused:.1f} s |\n")


def main() -> int:
    print("fetch sans réseau (python -m pipelines fetch --territory dep:35, processus neuf) :")
    dns = run("DNS en échec", [sys.executable, "-c", NO_DNS, *COMMAND], {})
    proxy = f"http://127.0.0.1:{closed_port()}"
    refused = run("connexion refusée", [sys.executable, "-m", "pipelines", *COMMAND],
                  {"HTTP_PROXY": proxy, "HTTPS_PROXY": proxy, "http_proxy": proxy, "https_proxy": proxy})
    record(dns, refused)
    return 0


if __name__ == "__main__":
    sys.exit(main())
