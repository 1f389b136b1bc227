"""The real dashboard in a real browser: `streamlit run` on 127.0.0.1, driven by Playwright in Debian's
Chromium (/usr/bin/chromium, installed by .ci/run). Screenshots are kept in test-artifacts/. The servers
(demo marts, real marts) and the browser launch are fixtures of tests/conftest.py, shared with
tests/pages/test_browser_zoom.py."""

import re

from playwright.sync_api import expect

from tests.conftest import ARTIFACTS


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
    names = header.split(";")
    assert names[0] == "Secteur" and names[1] == "Projets de recrutement"
    assert [name for name in names[2:] if "minimum" not in name] == ["Part jugée difficile (%)",
                                                                     "Part saisonnière (%)"]
    assert all(name.endswith(" : minimum (cellules secrètes non comptées)") for name in names if "minimum" in name)
    assert rows[0].startswith("Bâtiment et travaux publics;") and rows[-1].startswith("Tous secteurs;")
    for row in rows:  # counts as integers, shares in % with one decimal (a comma), "s" for a secret cell
        cells = dict(zip(names, row.split(";"), strict=True))
        projects, difficult, seasonal = (cells[name] for name in names[1:2] + ["Part jugée difficile (%)",
                                                                             "Part saisonnière (%)"])
        assert re.fullmatch(r"\d+|s", projects), row
        assert all(re.fullmatch(r"\d{1,3},\d|s|n\.d\.", share) for share in (difficult, seasonal)), row


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
    # No real DARES communal job-seekers file nor France Travail API answer exists here: once real files are
    # loaded no demo file is used (issue 9), so those parts say "non chargé" and how to load them, no banner.
    expect(page.get_by_text("Demandeurs d'emploi : non chargé (à charger : python -m pipelines fetch dares_defm")) \
        .to_have_count(1)
    expect(page.get_by_text("Marché du travail : non chargé")).to_have_count(4)
    expect(page.get_by_text("Données fictives de démonstration")).to_have_count(0)
    # URSSAF is loaded for Rouen only: Rennes says so rather than showing demo or zero figures.
    expect(page.get_by_text("Emploi salarié : n.d., aucun fichier Urssaf chargé pour ce territoire").first) \
        .to_be_visible()
    expect(page.get_by_text("Dares / France Travail, 2021").first).to_be_visible()
    page.screenshot(path=ARTIFACTS / "overview-real.png", full_page=True)
