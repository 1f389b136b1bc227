"""The "Zoom secteur" page with Streamlit's AppTest, on demo marts and on the small world of conftest.

Expected figures are worked out by hand from the fixtures (tests/conftest.py), never by the code under test.
"""

import html
import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from app_pages.shared.ui import DEMO_NOTICE
from pipelines import paths
from pipelines.warehouse import build

ZOOM = "app_pages/zoom_secteur.py"
BLOCKS = ["1. L'essentiel", "2. Emploi", "3. Recrutements", "4. Métiers", "5. Ce que les employeurs attendent",
          "6. Demandeurs d'emploi et offres", "7. À retenir"]
CARD = re.compile(r"<div style='font-size:1.1rem;font-weight:600'>(.*?)</div><div style='[^']*'>(.*?)</div>")


def zoom_app(query: dict | None = None) -> AppTest:
    """The zoom page opened from a link with `query` (AppTest opens the default page first)."""
    test = AppTest.from_file(str(paths.ROOT / "dashboard.py"), default_timeout=60).run()
    test.switch_page(ZOOM)
    test.query_params.clear()
    for key, value in (query or {}).items():
        test.query_params[key] = value
    return test.run()


def param(test: AppTest, name: str) -> str | None:
    value = test.query_params.get(name)
    return value[0] if isinstance(value, list) else value


def cards(test: AppTest) -> dict[str, str]:
    """The headline cards: label -> value as shown."""
    return {html.unescape(label): html.unescape(value)
            for m in test.markdown for label, value in CARD.findall(m.value)}


def markdown(test: AppTest) -> str:
    return "\n".join(m.value for m in test.markdown)


def slide_number(test: AppTest) -> str:
    return re.search(r"<span class='slide-number'>(\d+ / \d+)</span>", markdown(test)).group(1)


@pytest.mark.parametrize("sector", ["btp", "travaux_publics", "numerique", "iaa", "agriculture"])
def test_each_sector_renders_its_blocks_in_order(demo_marts, sector):
    test = zoom_app({"secteur": sector})
    assert not test.exception
    assert [h.value for h in test.header][:7] == BLOCKS
    assert test.selectbox(key="zoom-sector").value == sector
    assert param(test, "secteur") == sector and param(test, "territoire") == "bassin:5314"  # the default territory
    assert any(DEMO_NOTICE in w.value for w in test.warning)
    assert len(test.markdown) and cards(test)
    # every chart has its table, its CSV and its source line
    downloads = [b for b in test.get("download_button") if b.proto.label == "Télécharger les données (CSV)"]
    assert len(downloads) == len(test.get("plotly_chart")) >= 3
    assert sum(c.value.startswith("Source : ") for c in test.caption) >= len(downloads)


def test_switching_sector_changes_the_figures_and_the_url(world):
    test = zoom_app()
    assert not test.exception
    # bassin 5314, BMO 2025, building: B1X31 110/90/10 + B0X30 30/20/5
    shown = cards(test)
    assert shown["Projets de recrutement 2025"] == "140"
    assert shown["Jugés difficiles"] == "78,6\u202f%"  # 110 / 140
    assert shown["Saisonniers"] == "10,7\u202f%"  # 15 / 140
    test.selectbox(key="zoom-sector").set_value("numerique").run()
    assert not test.exception
    shown = cards(test)  # M2X90 45/30/0
    assert (shown["Projets de recrutement 2025"], shown["Jugés difficiles"], shown["Saisonniers"]) == (
        "45", "66,7\u202f%", "0,0\u202f%")
    assert param(test, "secteur") == "numerique"
    test.selectbox(key="zoom-year").set_value(2024).run()
    assert cards(test)["Projets de recrutement 2024"] == "50" and param(test, "annee") == "2024"
    assert "secteur=numerique&territoire=bassin:5314&annee=2024" in test.code[0].value


def test_a_link_reopens_the_same_view(world):
    test = zoom_app({"secteur": "iaa", "territoire": "bassin:2201", "annee": "2024"})
    assert not test.exception
    assert test.selectbox(key="zoom-sector").value == "iaa"
    assert test.selectbox(key="territory-level").value == "bassin_bmo"
    assert test.selectbox(key="territory-code-bassin_bmo").value == "2201"
    assert test.selectbox(key="zoom-year").value == 2024
    shown = cards(test)  # Nantes, E3X20 9/3/1
    assert (shown["Projets de recrutement 2024"], shown["Jugés difficiles"], shown["Saisonniers"]) == (
        "9", "33,3\u202f%", "11,1\u202f%")
    assert [param(test, name) for name in ("secteur", "territoire", "annee")] == ["iaa", "bassin:2201", "2024"]
    # "Copier le lien": the same view, without the workshop mode
    link = test.code[0].value
    assert link.endswith("/zoom?secteur=iaa&territoire=bassin:2201&annee=2024")


def test_an_unknown_sector_in_a_link_falls_back_to_building(world):
    test = zoom_app({"secteur": "nope"})
    assert not test.exception
    assert test.selectbox(key="zoom-sector").value == "btp" and param(test, "secteur") == "btp"


def test_workshop_mode_goes_through_the_slides(world):
    test = zoom_app({"secteur": "btp", "mode": "atelier"})
    assert not test.exception
    # bassin 5314, BTP, 2025 in the small world (BMO only): cover, the words of the zoom, 3 figures (projects,
    # difficult, seasonal), 3 charts (projects by year, difficult/seasonal beside the other places, métiers),
    # à retenir, end
    assert slide_number(test) == "1 / 10"
    body = markdown(test)
    assert "<svg" in body and "Zoom secteur : Bâtiment et travaux publics" in body
    link = body.split("<div class='slide-link'>")[1].split("</div>")[0]  # what the QR code opens on a phone
    assert link.endswith("/zoom?secteur=btp&amp;territoire=bassin:5314&amp;annee=2025")
    assert 'data-testid="stSidebar"' in body and "display: none" in body  # Streamlit's frame hidden
    assert "Bâtiment et travaux publics · Bassin d&#x27;emploi BMO Rennes (5314)" in body
    assert not test.selectbox  # no pickers on the projector
    assert test.button(key="slide-prev").disabled
    test.button(key="slide-next").click().run()
    assert slide_number(test) == "2 / 10" and "Les mots du zoom" in markdown(test)
    test.button(key="slide-next").click().run()
    assert slide_number(test) == "3 / 10" and param(test, "diapo") == "3"
    body = markdown(test)
    assert "Projets de recrutement 2025" in body and "<div class='slide-value'>140</div>" in body
    assert "Source : BMO 2025 · Bassin d&#x27;emploi BMO Rennes (5314)" in body
    test.button(key="slide-next").click().run()
    test.button(key="slide-prev").click().run()
    assert slide_number(test) == "3 / 10" and param(test, "diapo") == "3"
    assert not test.exception


def test_a_workshop_link_reopens_its_slide_and_the_last_slide_has_the_qr_code(world):
    test = zoom_app({"secteur": "btp", "mode": "atelier", "diapo": "9"})
    assert slide_number(test) == "9 / 10" and "À retenir" in markdown(test)
    assert "78,6\u202f% des 140 projets de recrutement du BTP" in markdown(test)
    test.button(key="slide-next").click().run()
    assert slide_number(test) == "10 / 10" and "<svg" in markdown(test)
    assert test.button(key="slide-next").disabled
    test = zoom_app({"secteur": "btp", "mode": "atelier", "diapo": "99"})
    assert slide_number(test) == "10 / 10"
    test.button(key="workshop-off").click().run()
    assert param(test, "mode") is None and param(test, "diapo") is None
    assert [h.value for h in test.header][:7] == BLOCKS


def test_the_page_opens_the_workshop_mode(world):
    test = zoom_app({"secteur": "numerique"})
    test.button(key="workshop-on").click().run()
    assert not test.exception
    assert param(test, "mode") == "atelier" and slide_number(test).startswith("1 / ")
    assert "Zoom secteur : Numérique" in markdown(test)


def test_agriculture_shows_the_msa_caveat_not_a_number(demo_marts):
    test = zoom_app({"secteur": "agriculture"})
    assert not test.exception
    shown = cards(test)
    assert shown["Salariés"] == "non représentatif"
    assert not any(label.startswith("Salariés fin") for label in shown)
    assert any("MSA" in i.value and "non représentatif" in i.value for i in test.info)
    assert not any("Urssaf, fin d'année" in c.value for c in test.caption)  # no employment chart


def test_a_zone_d_emploi_says_bmo_is_unavailable(demo_marts):
    test = zoom_app({"secteur": "btp", "territoire": "ze:5315", "annee": "2025"})
    assert not test.exception
    assert test.selectbox(key="territory-level").value == "zone_emploi"
    assert "zoom-year" not in [s.key for s in test.selectbox]
    assert param(test, "annee") is None
    assert any("publiée par bassin d'emploi BMO" in i.value for i in test.info)
    assert not any(label.startswith("Projets de recrutement") for label in cards(test))
    assert any("Urssaf, fin d'année" in c.value for c in test.caption)  # its employment is there


def test_secret_cells_show_as_s(world):
    # bassin 2201 NANTES, 2024, agriculture: A1X40 5/*/* (difficult and seasonal secret)
    test = zoom_app({"secteur": "agriculture", "territoire": "bassin:2201", "annee": "2024"})
    assert not test.exception
    shown = cards(test)
    assert (shown["Projets de recrutement 2024"], shown["Jugés difficiles"], shown["Saisonniers"]) == ("5", "s", "s")
    for key in ("metiers", "difficultes"):  # the tables are built when asked for
        test.toggle(key=f"show-{key}").set_value(True).run()
    table = next(d.value for d in test.dataframe if "Métier" in d.value.columns)
    row = table.iloc[0]
    assert (row["Métier"], row["Projets de recrutement"], row["Part jugée difficile"], row["Part saisonnière"]) == (
        "Métier A1X40", "5", "s", "s")
    difficult = next(d.value for d in test.dataframe if "Territoire" in d.value.columns)
    assert difficult["Difficiles (Agriculture)"].iloc[0] == "s"  # the bassin first, then its département...
    assert any("« s » : secret statistique" in c.value for c in test.caption)


def chart_titles(test: AppTest) -> list[str]:
    return [json.loads(chart.proto.spec)["layout"]["title"]["text"] for chart in test.get("plotly_chart")]


def test_the_employment_charts_share_one_place_one_at_a_time(demo_marts):
    test = zoom_app({"secteur": "btp", "territoire": "bassin:5314"})
    titles = chart_titles(test)
    assert sum(title.startswith("Bâtiment et travaux publics : salariés") for title in titles) == 1
    assert not any("établissements employeurs" in title for title in titles)
    test.segmented_control(key="employment-view").set_value("etablissements").run()
    titles = chart_titles(test)
    assert any(title.startswith("Bâtiment et travaux publics : établissements employeurs") for title in titles)
    assert not any(title.startswith("Bâtiment et travaux publics : salariés") for title in titles)


def test_missing_tension_on_a_bassin_says_its_metiers_have_none(world, tmp_path):
    # the small world has no tension file at all: "non chargé", and how to load it
    bassin = html.unescape(" ".join(i.value for i in zoom_app({"secteur": "btp", "territoire": "bassin:5314"}).info))
    assert "Indicateurs de tension (Dares / France Travail) : non chargé (à charger : python -m pipelines fetch " \
           "dares_tensions" in bassin
    # a tension file for another bassin only: a bassin could have one, this one has none
    from pipelines.ingest import importer
    from pipelines.sources.dares_tensions import write_2021_csv

    importer.import_file(write_2021_csv(tmp_path / "tension.csv", [
        {"year": 2021, "rome": "F1703", "bassin": "2201", "tension": 2, "labour_shortage": 3}]))
    build.build(say=lambda m: None)
    bassin = html.unescape(" ".join(i.value for i in zoom_app({"secteur": "btp", "territoire": "bassin:5314"}).info))
    assert "aucun de ses métiers n'a de classe de tension dans les fichiers chargés" in bassin
    assert "ils existent par département" not in bassin and "non chargé (à charger : python -m pipelines fetch " \
        "dares_tensions" not in bassin


def test_missing_tension_on_a_zone_d_emploi_says_where_it_is_published(demo_marts):
    ze = " ".join(i.value for i in zoom_app({"secteur": "btp", "territoire": "ze:5315"}).info)
    assert "ils existent par département, région et bassin d'emploi BMO, pas pour ce découpage" in ze
