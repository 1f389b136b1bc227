"""The real dashboard in a real browser: `streamlit run` on 127.0.0.1, driven by Playwright in Debian's
Chromium (/usr/bin/chromium, installed by .ci/run). Screenshots are kept in test-artifacts/."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from pipelines import paths
from tests.conftest import real_file

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = paths.ROOT / "test-artifacts"


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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def dashboard_url(tmp_path_factory):
    """The dashboard served by `streamlit run` on demo marts built in a temporary data folder."""
    yield from serve(tmp_path_factory.mktemp("browser") / "data")


@pytest.fixture(scope="module")
def real_dashboard_url(tmp_path_factory):
    """The same, on marts built from the real publisher files (REAL_DATA_DIR)."""
    files = [str(real_file(name)) for name in ("bmo/Base_open_data_BMO_2024.xlsx", "bmo/bassin_emploi.csv",
                                               "insee_ze2020/Communes_to_ZE_2022.xlsx",
                                               "urssaf/urssaf_commune_ape_ZE2815_Rouen_2006_2022_labels.csv",
                                               "tensions/dares_tensions_2019.csv", "tensions/cities-tension-utf8.csv",
                                               "fap_rome/fap225_rome.csv", "dpae/dpae-mensuelles-france-entiere.csv")]
    yield from serve(tmp_path_factory.mktemp("browser-real") / "data", files)


def serve(data, imports=()):
    """Build marts in `data` (after importing `imports`), serve them with `streamlit run`, yield the URL."""
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
    yield url
    server.terminate()
    server.wait(timeout=20)


def test_overview_in_the_browser(page, dashboard_url):
    page.goto(dashboard_url)
    page.get_by_text("Vue d'ensemble des secteurs en tension").wait_for(timeout=30_000)
    page.get_by_text("Données fictives de démonstration").first.wait_for()
    expect(page.get_by_test_id("stMetricLabel")).to_have_count(4)
    expect(page.get_by_test_id("stMetricLabel").first).to_have_text("Projets de recrutement")
    expect(page.locator(".js-plotly-plot")).to_have_count(2)
    assert "territoire=bassin%3A5314" in page.url or "territoire=bassin:5314" in page.url
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "overview.png", full_page=True)


def test_csv_download_has_what_the_chart_draws(page, dashboard_url):
    page.goto(dashboard_url)
    button = page.locator(".st-key-csv-sectors").get_by_role("button", name="Télécharger les données (CSV)")
    button.wait_for(timeout=30_000)
    with page.expect_download() as download:
        button.click()
    content = open(download.value.path(), encoding="utf-8-sig").read()
    header, *rows = content.splitlines()
    assert header == "Secteur;Projets de recrutement;Part jugée difficile;Part saisonnière"
    assert rows[0].startswith("Bâtiment et travaux publics;") and rows[-1].startswith("Tous secteurs;")


def test_a_link_reopens_a_view_and_navigation_reaches_sources(page, dashboard_url):
    page.goto(f"{dashboard_url}/?territoire=dep:35&annee=2024")
    page.get_by_text("Département Ille-et-Vilaine (35)").first.wait_for(timeout=30_000)
    page.get_by_role("link", name="Sources").click()
    page.get_by_text("Sources des données").wait_for()
    page.get_by_text("Charger les données réelles").wait_for()
    page.screenshot(path=ARTIFACTS / "sources.png", full_page=True)


def test_real_figures_in_the_browser(page, real_dashboard_url):
    page.goto(real_dashboard_url)
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("2\u202f828", timeout=30_000)
    page.get_by_text("162 communes (zonage BMO 2024)").first.wait_for()
    # No real DARES communal job-seekers file nor France Travail API answer exists here: those parts alone stay
    # demo, and say so; the real 2021 tension file is shown, not the demo API's later years.
    expect(page.get_by_text("inventés pour : demandeurs d'emploi (Dares), offres et demandeurs par métier "
                            "(France Travail) ; les autres chiffres sont réels")).to_have_count(1)
    # URSSAF is loaded for Rouen only: Rennes says so rather than showing demo or zero figures.
    expect(page.get_by_text("Emploi salarié : n.d. pour ce territoire").first).to_be_visible()
    expect(page.get_by_text("Dares / France Travail, 2021").first).to_be_visible()
    page.screenshot(path=ARTIFACTS / "overview-real.png", full_page=True)
