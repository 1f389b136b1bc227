"""The dashboard served by `streamlit run` on a data folder, for the benchmarks that measure it served."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def served(data_dir: Path, *options: str, timeout: float = 120):
    """`streamlit run dashboard.py` on 127.0.0.1 and a free port, reading `data_dir`, with Streamlit's command-line
    `options` if any; yields (url, process) once it answers its health check, and stops it on exit."""
    port = free_port()
    env = {**os.environ, "ZOOM_SECTEURS_DATA": str(data_dir)}
    # No file watcher: it would spend the server's CPU on the benchmark's time.
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
                               "--server.address", "127.0.0.1", "--server.headless", "true",
                               "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false", *options],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start on {url}") from None
                time.sleep(0.3)
        yield url, server
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
