"""Every page rendered with Streamlit's AppTest, on demo marts and on the small world."""

import html
import re

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from app_pages.shared.ui import DEMO_NOTICE
from pipelines import paths
from pipelines.frformat import fmt_decimal, fmt_int
from pipelines.ingest import importer
from pipelines.ingest.demo import write_bmo_workbook
from pipelines.warehouse import build
from tests.conftest import WORLD_2025, cell

PAGES = ["app_pages/overview.py", "app_pages/zoom_secteur.py", "app_pages/explorer.py", "app_pages/note.py",
         "app_pages/sources.py"]


def app(query: dict | None = None) -> AppTest:
    test = AppTest.from_file(str(paths.ROOT / "dashboard.py"), default_timeout=60)
    for key, value in (query or {}).items():
        test.query_params[key] = value
    return test.run()


def texts(test: AppTest) -> str:
    """The page's markdown as written (names from files are character references: read as the browser does)."""
    parts = [m.value for m in test.markdown] + [c.value for c in test.caption] + [w.value for w in test.warning]
    parts += [f"{m.label} {m.value} {m.delta}" for m in test.metric]
    return html.unescape("\n".join(parts))


@pytest.mark.parametrize("page_file", PAGES)
def test_every_page_renders_on_demo_data_with_the_demo_notice(demo_marts, page_file):
    test = app()
    test.switch_page(page_file).run()
    assert not test.exception
    assert any(DEMO_NOTICE in w.value for w in test.warning)


def test_every_page_is_in_the_navigation():
    source = (paths.ROOT / "dashboard.py").read_text()
    # Every module at the top of app_pages/ is a page; the helpers they share live in app_pages/shared/.
    on_disk = {f"app_pages/{p.name}" for p in (paths.ROOT / "app_pages").glob("*.py")} - {"app_pages/__init__.py"}
    assert on_disk == set(PAGES)
    for page in PAGES:
        assert f'"{page}"' in source


def test_overview_defaults_to_the_rennes_bassin(world):
    test = app()
    assert not test.exception
    assert [m.label for m in test.metric] == ["Projets de recrutement"] * 4
    assert [m.value for m in test.metric] == ["140", "45", "40", "25"]  # BTP, numérique, IAA, agriculture 2025
    assert test.metric[0].delta == "+16,7\u202f% sur un an"
    body = texts(test)
    assert "Bassin d'emploi BMO Rennes (5314) · 2 communes (zonage BMO 2024)" in body
    assert "Tous secteurs** : 320 projets" in body
    assert DEMO_NOTICE not in body
    assert test.query_params["territoire"] == ["bassin:5314"] or test.query_params["territoire"] == "bassin:5314"


def test_changing_territory_and_year(world):
    test = app()
    test.selectbox(key="territory-level").set_value("departement").run()
    test.selectbox(key="territory-code-departement").set_value("44").run()
    test.selectbox(key="year").set_value(2024).run()
    assert not test.exception
    assert "Tous secteurs** : 221 projets" in texts(test)
    assert [m.value for m in test.metric][1] == "200"


def test_a_link_reopens_the_same_view(world):
    test = app({"territoire": "reg:52", "annee": "2024"})
    assert not test.exception
    assert "Région Région 52 (52)" in texts(test) and "Tous secteurs** : 221 projets" in texts(test)


def test_secret_cells_show_as_s_never_zero(world):
    test = app({"territoire": "bassin:5314", "annee": "2024"})
    test.selectbox(key="top-sector").set_value("ensemble").run()
    table = test.dataframe[-1].value
    secret = table[table["Code FAP"] == "J1X80"].iloc[0]
    assert (secret["Projets"], secret["Jugés difficiles"], secret["Rang"]) == ("s", "s", 7)
    assert table["Projets"].tolist()[:6] == ["100", "60", "50", "40", "30", "20"]


def test_rebuilt_marts_are_picked_up_without_restart(world, tmp_path):
    test = app()
    assert test.metric[0].value == "140"
    rows = [cell("5314", "35", "B1X31", 1000, 900, 10), *WORLD_2025[1:]]
    importer.import_file(write_bmo_workbook(tmp_path / "bmo2025_v2.xlsx", 2025, rows))
    build.build(say=lambda m: None)
    test.run()
    assert test.metric[0].value == "1\u202f030"


def test_missing_marts_say_how_to_build(no_demo):
    test = app()
    assert "make build" in test.error[0].value



def test_a_secret_share_shows_as_s_next_to_published_projects(world):
    test = app({"territoire": "bassin:2201", "annee": "2024"})
    test.selectbox(key="top-sector").set_value("agriculture").run()
    row = test.dataframe[-1].value.iloc[0]
    assert (row["Code FAP"], row["Projets"], row["Jugés difficiles"], row["Saisonniers"]) == ("A1X40", "5", "s", "s")


def test_sector_cards_show_s_for_secret_shares(world):
    test = app({"territoire": "bassin:2201", "annee": "2024"})
    agriculture = [m.value for m in test.markdown if "jugés difficiles" in m.value][3]
    assert agriculture == "**s** jugés difficiles  \n**s** saisonniers"
    assert [m.value for m in test.metric][3] == "5"


def test_queries_from_many_sessions_survive_rebuilds(world):
    """Sessions query from their own threads while builds replace the file under them."""
    import itertools
    import threading
    import time

    from app_pages.shared import ui

    errors, stop = [], threading.Event()

    def session():
        for attempt in itertools.count():
            if stop.is_set():
                return
            try:  # a new parameter each time, so that the query runs instead of hitting the cache
                ui.query("select count(*) as n from dim_sector where sector_code <> ?", (f"{attempt}",))
            except Exception as error:  # noqa: BLE001 - any failure is what this test looks for
                errors.append(error)
                return
            time.sleep(0.002)

    sessions = [threading.Thread(target=session) for _ in range(4)]
    for thread in sessions:
        thread.start()
    for _ in range(3):
        build.build(say=lambda m: None)
    stop.set()
    for thread in sessions:
        thread.join()
    assert errors == []
    assert ui.query("select count(*) as n from dim_sector")["n"][0] == 6


def test_one_real_file_and_no_demo_figure_beside_it(data_dir, tmp_path):
    """Issue 9: once a real file is loaded, no demo figure is shown anywhere, and no banner; the sources without
    a real file say "non chargé" and how to load them; the Sources page says what was set aside and why."""
    from tests.conftest import WORLD_2024

    importer.import_file(write_bmo_workbook(tmp_path / "bmo.xlsx", 2024, WORLD_2024))
    build.build(say=lambda m: None)
    test = app({"territoire": "bassin:5314", "annee": "2024"})
    assert not test.exception and not test.warning  # real figures only: no demo banner
    assert test.metric[0].value == "120"
    body = texts(test)
    assert body.count("**Emploi salarié** : non chargé (à charger : python -m pipelines fetch urssaf") == 3  # agri: MSA
    assert body.count("**Tension** : non chargé (à charger : python -m pipelines fetch dares_tensions") == 4
    assert body.count("**Marché du travail** : non chargé") == 4
    assert "**Demandeurs d'emploi** : non chargé" in body and "**Embauches** (DPAE) : non chargé" in body
    assert "offres publiées" not in body and "Données fictives" not in body

    sources = app()
    sources.switch_page("app_pages/sources.py").run()
    assert not sources.exception and not sources.warning
    body = texts(sources)
    assert "**Fichiers utilisés** : les fichiers réels chargés ci-dessous." in body
    assert "fichiers fictifs de démonstration ne sont pas utilisés** : des fichiers réels sont chargés" in body
    assert "(Urssaf, urssaf) : non chargé (à charger : python -m pipelines fetch urssaf" in html.unescape(body)
    assert [d.value["Nature"].tolist() for d in sources.dataframe if "Nature" in d.value] == [["Réel"]]

    zoomed = app({"secteur": "btp", "territoire": "bassin:5314", "annee": "2024"})
    zoomed.switch_page("app_pages/zoom_secteur.py").run()
    assert not zoomed.exception and not zoomed.warning
    infos = [i.value for i in zoomed.info]
    assert "Emploi salarié (Urssaf) : non chargé (à charger : python -m pipelines fetch urssaf, ou import du " \
           "fichier téléchargé chez Urssaf avec python -m pipelines import FICHIER)." in infos
    assert any(i.startswith("Offres et demandeurs par métier (API France Travail) : non chargé") for i in infos)
    assert any(i.startswith("Demandeurs d'emploi (Dares) : non chargé") for i in infos)


def test_cards_show_employment_tension_and_job_seekers_from_their_sources(demo_marts):
    test = app({"territoire": "bassin:5314", "annee": "2025"})
    assert not test.exception
    body = texts(test)
    assert body.count("salariés fin 2024") == 3  # BTP, numérique, IAA; agriculture says why not
    assert body.count("établissements employeurs (") == 3 and body.count("sur cinq ans") == 6  # both measures
    assert "**Emploi salarié** : non représentatif." in body and "MSA" in body
    assert body.count("Principal facteur : ") == 4 and "France Travail, API Marché du travail, 2024" in body
    # BTP: the classes of its ROME métiers in the demo API snapshot (2024), averaged and counted here
    con = duckdb.connect(str(paths.MARTS_DB), read_only=True)
    classes = [row[0] for row in con.execute("""
        select fact.tension_class from fct_tension_by_territory_metier_year as fact
        join bridge_sector_tension_metier as bridge using (metier_nomenclature, metier_code)
        where fact.territory_type = 'bassin_bmo' and fact.territory_code = '5314' and fact.year = 2024
            and bridge.sector_code = 'btp' and fact.tension_class is not null""").fetchall()]
    con.close()
    in_tension = sum(c >= 4 for c in classes)
    assert len(classes) > 1 and 1 < in_tension  # plural on both sides
    assert (f"**Tension** : {fmt_decimal(sum(classes) / len(classes), 2)} / 5 · {in_tension} métiers ROME en tension "
            f"sur {len(classes)}") in body
    assert re.search(r"\b[01] métier ROME en tension sur", body)  # singular for 0 or 1 (another sector)
    # the demo API's 2024 tension is the latest: its offers and job seekers come in their own line
    assert "demandeurs d'emploi (A, B, C) et" not in body and "**Marché du travail**" in body
    assert "**Demandeurs d'emploi** (tous métiers, T4 2024)" in body and "arrondies à 5" in body
    # Saint-Malo has only the Dares ROME × bassin file: its yearly averages, said to be averages
    body = texts(app({"territoire": "bassin:5316", "annee": "2025"}))
    assert "Dans ces métiers, en moyenne sur 2021 : " in body and "(moyennes annuelles du fichier, arrondies)" in body


def test_a_list_of_communes_and_a_zone_d_emploi_show_their_commune_level_figures(demo_marts):
    paths.COMMUNE_LISTS.write_text('[rennes-sud]\nnom = "Rennes et le sud"\ncommunes = ["35238", "35047"]\n',
                                   encoding="utf-8")
    build.build(say=lambda m: None)
    test = app({"territoire": "liste:rennes-sud"})
    assert not test.exception
    assert test.selectbox(key="territory-level").value == "liste"
    body = texts(test)
    assert "Liste de communes Rennes et le sud (rennes-sud)" in body
    assert "liste de communes" in test.info[0].value  # BMO is published by bassin only, said once
    assert not test.metric and "Tous secteurs**" not in body  # no BMO card, no BMO chart
    assert body.count("salariés fin 2024") == 3 and "données de 2 communes sur 2" in body
    test.selectbox(key="territory-level").set_value("zone_emploi").run()
    assert not test.exception and "Zone d'emploi Insee" in texts(test)
    assert "ze:" in str(test.query_params["territoire"])


def test_region_employment_is_the_urssaf_total_not_the_loaded_communes(demo_marts):
    import csv

    # the building sector (NAF 41, 42, 43) of Bretagne at the end of 2024, summed from the demo région file
    with open(paths.DEMO_DIR / "urssaf_region_ape_demo.csv", encoding="utf-8") as handle:
        expected = sum(int(row["effectifs_salaries_2024"]) for row in csv.DictReader(handle, delimiter=";")
                       if row["code_region"] == "53" and row["code_ape"][:2] in ("41", "42", "43"))
    test = app({"territoire": "reg:53", "annee": "2025"})
    assert not test.exception
    body = texts(test)
    assert f"**{fmt_int(expected)}** salariés fin 2024" in body
    assert "total Urssaf de toutes les communes" in body


def test_demo_notice_and_cards_cover_hires_and_the_france_travail_api(demo_marts):
    test = app({"territoire": "bassin:5314", "annee": "2025"})
    assert not test.exception
    # every part of the page comes from the demo files: the notice says all figures are invented
    assert "les chiffres affichés sont inventés" in test.warning[0].value
    body = texts(test)
    # one market line per main sector; the sums say over how many of the sector's métiers they run: the demo
    # API leaves out A1101's category-A figure of 2025T2, so agriculture (A1414, A1101) has it for 1 of 2
    assert body.count("**Marché du travail** : ") == 4
    assert body.count("France Travail, API Marché du travail · Bassin d'emploi BMO Rennes (5314) · "
                      "2e trimestre 2025") == 4
    assert body.count("offres publiées pour 3 métiers sur 3") == 1  # BTP: F1703, F1603, F1702
    assert ("251 offres publiées pour 2 métiers sur 2  \n227 demandeurs d'emploi A publiés pour 1 métier sur 2, "
            "624 demandeurs A, B, C publiés pour 2 métiers sur 2") in body
    assert "métiers ROME  \n" not in body  # no more "dans N métiers ROME" over sums of fewer métiers
    assert "**Embauches** (Construction, T4 2024)" in body  # only building has a DPAE grand secteur
    assert "Contexte départemental" in body and "Département Ille-et-Vilaine (35)" in body
    # the DPAE's publication is suspended: said under the total and on the building card
    assert body.count("suspendue par l'Urssaf depuis mars 2025, sans date de reprise annoncée") == 2
    test = app({"territoire": "dep:35", "annee": "2025"})
    assert "**Marché du travail**" not in texts(test)  # the API is read per bassin only


def test_a_sum_over_part_of_the_territorys_communes_says_so_in_the_card(world, tmp_path):
    from pipelines.ingest.demo import write_urssaf_csv

    before = texts(app({"territoire": "bassin:5314", "annee": "2025"}))
    assert before.count("**Emploi salarié** : non chargé (à charger : python -m pipelines fetch urssaf") == 3  # MSA

    # Only Rennes (35238) of the bassin's two communes is in the URSSAF file.
    importer.import_file(write_urssaf_csv(tmp_path / "urssaf.csv", [
        {"region_code": "53", "dept_code": "35", "ze_code": "5315", "epci_code": "243500139",
         "commune_code": "35238", "ape_code": "4120A", "values": {2023: (3, 40), 2024: (4, 44)}}], range(2023, 2025)))
    build.build(say=lambda m: None)
    body = texts(app({"territoire": "bassin:5314", "annee": "2025"}))
    # Issue 9: the sum of 1 of the bassin's 2 communes is not the bassin's figure: the card says so, not 44
    assert ("**Emploi salarié** : couverture partielle (1 commune sur 2) dans les fichiers Urssaf chargés, pas de "
            "total pour ce territoire") in body
    assert "**44**" not in body and "44 salariés" not in body
    # the file has building employers only: the other sectors have none, which is not a missing file
    assert body.count("**Emploi salarié** : aucun établissement employeur du secteur dans les fichiers") == 2
