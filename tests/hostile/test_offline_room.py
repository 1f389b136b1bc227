"""A workshop room with no internet: the dashboard (`streamlit run`, Debian's Chromium) and the HTML pack ask
nothing of any server but the one they came from: no font or icon server, no CDN, no tile server."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from pipelines import paths
from pipelines.report.links import SOURCES_URL_PATH, ZOOM_URL_PATH
from tests.conftest import free_port
from tests.pages.test_browser_zoom import DRAWN, TIMEOUT, settle

# The views a room opens: the overview, the zoom and its data grid, the workshop slides, the Sources page.
VIEWS = ["", f"{ZOOM_URL_PATH}?secteur=btp", f"{ZOOM_URL_PATH}?secteur=numerique&mode=atelier&diapo=1",
         SOURCES_URL_PATH]


def watched(page: Page, local: str) -> list[str]:
    """Every URL the page requests, recorded; any request to another origin than `local` is also aborted, so
    that a test never reaches the network even on a machine that has one."""
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    def only_local(route):
        url = route.request.url
        if url.startswith((local + "/", "data:", "blob:")) or url == local:
            route.continue_()
        else:
            route.abort()

    page.context.route("**/*", only_local)
    return requested


def opened(page: Page, url: str) -> None:
    """Open a view and wait until its run is over and its charts are drawn."""
    page.goto(url)
    page.wait_for_selector("h1, .slide-top", timeout=TIMEOUT)  # the run has started and drawn its title
    settle(page)
    page.wait_for_function(f"() => ({DRAWN})() >= 0", timeout=TIMEOUT)


def foreign(requested: list[str], local: str) -> list[str]:
    return sorted({url for url in requested
                   if not (url.startswith(("data:", "blob:")) or urlsplit(url).netloc == urlsplit(local).netloc)})


def test_the_dashboard_asks_nothing_of_another_server(page: Page, demo_server):
    requested = watched(page, demo_server.url)
    for view in VIEWS:
        opened(page, f"{demo_server.url}/{view}")
    # every slide of the workshop: figures, charts, the QR code
    opened(page, f"{demo_server.url}/{VIEWS[2]}")
    following = page.locator(".st-key-slide-next button")
    while following.is_enabled():
        shown = page.locator(".slide-number").inner_text()
        following.click()
        page.wait_for_function(f"document.querySelector('.slide-number')?.innerText !== {shown!r}", timeout=TIMEOUT)
        settle(page)
    opened(page, f"{demo_server.url}/{VIEWS[1]}")  # a data grid (its own canvas and fonts)
    page.wait_for_selector(".js-plotly-plot .modebar-btn", state="attached", timeout=TIMEOUT)
    page.locator(".st-key-show-metiers").click()
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=TIMEOUT)
    settle(page)
    assert len(requested) > 20  # the pages did load their scripts, styles and fonts: from the dashboard
    assert foreign(requested, demo_server.url) == []


def test_the_html_pack_asks_nothing_of_any_server(page: Page, demo_server, tmp_path):
    output = tmp_path / "zoom.html"
    env = {**os.environ, "ZOOM_SECTEURS_DATA": str(demo_server.data)}
    subprocess.run([sys.executable, "-m", "pipelines", "export", "--sector", "btp", "--territory", "bassin:5314",
                    "--format", "html", "--output", str(output)], cwd=paths.ROOT, env=env, capture_output=True,
                   check=True)
    requested = watched(page, "file://")
    page.goto(output.as_uri())
    page.wait_for_function(f"() => ({DRAWN})() > 0", timeout=TIMEOUT)
    page.get_by_text("Voir les données").first.click()
    assert [url for url in requested if not url.startswith("file:")] == []


@pytest.mark.parametrize("name", ["fonts.googleapis.com", "fonts.gstatic.com"])
def test_foreign_names_an_outside_server(name):
    assert foreign([f"https://{name}/css2?family=Nunito", "http://127.0.0.1:8501/static/x.js"],
                   "http://127.0.0.1:8501") == [f"https://{name}/css2?family=Nunito"]


# --- Streamlit's settings for a room -------------------------------------------------------------------------
FAILING_PAGE = """
import streamlit as st
st.title("Page qui échoue")
raise ValueError("secret détail /srv/zoom/chemin/interne")
"""


@contextmanager
def started(script: str, env: dict | None = None):
    """`streamlit run script` with the project's .streamlit/config.toml and no address given (the port only), as
    `make run` would without HOST: yields its port once it answers on 127.0.0.1."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port)],
                              cwd=paths.ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not healthy(f"http://127.0.0.1:{port}"):
            if time.monotonic() > deadline:
                pytest.fail("streamlit did not start within 60 s")
            time.sleep(0.3)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.fixture
def failing_server(tmp_path):
    """A page that raises: what a visitor sees when a page fails."""
    script = tmp_path / "failing.py"
    script.write_text(FAILING_PAGE, encoding="utf-8")
    with started(str(script)) as port:
        yield f"http://127.0.0.1:{port}"


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def test_a_failing_page_shows_no_detail_to_a_visitor(page: Page, failing_server):
    page.goto(failing_server)
    page.wait_for_selector("[data-testid='stException']", timeout=TIMEOUT)
    settle(page)
    shown = page.inner_text("body")
    assert "Page qui échoue" in shown  # the page did run, up to its error
    for detail in ("secret détail", "/srv/zoom", "ValueError", "Traceback", "failing.py", str(paths.ROOT)):
        assert detail not in shown


def own_addresses() -> list[str]:
    """This machine's IPv4 addresses but loopback: the kernel's local host routes (/proc/net/fib_trie lists each
    as its address on one line and "/32 host LOCAL" on the next)."""
    lines = Path("/proc/net/fib_trie").read_text().splitlines()
    local = {line.split()[-1] for line, following in zip(lines, lines[1:], strict=False)
             if "/32 host LOCAL" in following}
    return sorted(address for address in local if not address.startswith("127."))


def answers(address: str, port: int) -> bool:
    """Whether something listens on address:port. connect_ex, not connect: the tests' no_network guard refuses
    any address but loopback, and this one is this machine's own (nothing leaves it)."""
    with socket.socket() as sock:
        sock.settimeout(5)
        return sock.connect_ex((address, port)) == 0


def test_the_dashboard_listens_on_this_computer_only_unless_told(tmp_path):
    """`streamlit run dashboard.py` with the project's settings and no address: 127.0.0.1 answers, this machine's
    network addresses (what a phone of the room would use) refuse."""
    others = own_addresses()
    assert others, "no address but loopback on this machine: 127.0.0.1 and 0.0.0.0 cannot be told apart"
    env = {**os.environ, "ZOOM_SECTEURS_DATA": str(tmp_path / "data")}
    with started("dashboard.py", env) as port:
        assert answers("127.0.0.1", port)
        assert [address for address in others if answers(address, port)] == [], "listening beyond this computer"
    makefile = (paths.ROOT / "Makefile").read_text(encoding="utf-8")
    assert "HOST ?= 127.0.0.1" in makefile and "--server.address $(HOST)" in makefile
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run HOST=0.0.0.0" in readme
