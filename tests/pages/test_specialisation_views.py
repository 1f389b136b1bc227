"""The explorer's "Spécialisation" and "Évolution de l'emploi" views: their state lives in the URL and reloads."""

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from pipelines import paths
from pipelines.read import marts, specialisation
from pipelines.report import specialisation as report
from tests.pages.test_dashboard import texts


def explorer(query: dict) -> AppTest:
    test = AppTest.from_file(str(paths.ROOT / "dashboard.py"), default_timeout=60)
    for key, value in query.items():
        test.query_params[key] = value
    test.switch_page("app_pages/explorer.py").run()  # opened at once: no other page reads the URL first
    assert not test.exception
    return test


def test_specialisation_view_reads_and_writes_its_url(demo_marts):
    query = {"vue": "specialisation", "territoire": "bassin:5314", "source": "bmo", "reference": "reg",
             "annee": "2024"}
    test = explorer(query)
    with marts.connect() as con:
        expected = specialisation.location_quotients(con, "bassin_bmo", "5314", source="bmo", reference="reg",
                                                     year=2024)
    assert test.selectbox(key="lq-year").value == 2024
    assert report.lq_sentence(expected) in texts(test)
    assert len(test.get("plotly_chart")) == 2
    assert {key: test.query_params[key] for key in query} == query
    test.segmented_control(key="lq-reference").set_value("dep").run()
    assert not test.exception and test.query_params["reference"] == "dep"
    assert "Département Ille-et-Vilaine (35)" in texts(test)
    # the link of the page as it is now reopens the same view
    again = explorer({key: test.query_params[key] for key in ("vue", "territoire", "source", "reference", "annee")})
    assert again.segmented_control(key="lq-reference").value == "dep"
    assert again.segmented_control(key="lq-source").value == "bmo"


def test_specialisation_view_says_what_a_link_cannot_have(demo_marts):
    test = explorer({"vue": "specialisation", "territoire": "ze:5315", "source": "bmo", "annee": "1990"})
    warnings = " ".join(warning.value for warning in test.warning)
    assert "L'enquête BMO n'est publiée que par bassin" in warnings and "Année « 1990 »" in warnings
    assert test.query_params["source"] == "urssaf"
    region = explorer({"vue": "specialisation", "territoire": "reg:53", "reference": "reg"})
    assert "sans objet" in " ".join(warning.value for warning in region.warning)
    assert region.query_params["reference"] == "fr"


def test_shift_share_view_reads_and_writes_its_url(demo_marts):
    test = explorer({"vue": "evolution", "territoire": "bassin:5314", "debut": "2019", "fin": "2022"})
    with marts.connect() as con:
        expected = specialisation.shift_share(con, "bassin_bmo", "5314", 2019, 2022)
    assert (test.selectbox(key="shift-start").value, test.selectbox(key="shift-end").value) == (2019, 2022)
    assert report.shift_sentence(expected) in texts(test)
    test.selectbox(key="shift-end").set_value(2024).run()
    assert not test.exception and (test.query_params["debut"], test.query_params["fin"]) == ("2019", "2024")
    again = explorer({"vue": "evolution", "territoire": "bassin:5314", "debut": "2019", "fin": "2024"})
    assert again.selectbox(key="shift-end").value == 2024
    bad = explorer({"vue": "evolution", "territoire": "bassin:5314", "fin": "²"})
    assert "Année de fin « ² »" in " ".join(warning.value for warning in bad.warning)


@pytest.fixture
def no_employment_in_35(demo_marts):
    """The demo marts without any salaried employment in Ille-et-Vilaine, as on the real files (the URSSAF file
    holds the Rouen zone only): its BMO projects stay."""
    territories = """(territory_type = 'departement' and territory_code = '35')
        or (territory_type = 'bassin_bmo' and territory_code = '5314')
        or (territory_type = 'commune' and territory_code in
            (select territory_code from dim_territory where territory_type = 'commune' and dept_code = '35'))"""
    with duckdb.connect(str(demo_marts)) as con:
        for mart in ("fct_employment_by_territory_sector_year", "fct_employment_by_territory_a38_year"):
            con.execute(f"delete from {mart} where {territories}")
    return demo_marts


def test_the_views_say_when_no_salaried_employment_is_loaded_for_the_territory(no_employment_in_35):
    """Said in words (what cannot be done, what the loaded files cover), not an error nor an empty chart."""
    shift = explorer({"vue": "evolution", "territoire": "dep:35"})
    said = " ".join(info.value for info in shift.info)
    assert "Aucun emploi salarié (Urssaf) n'est chargé pour le département Ille-et-Vilaine (35)" in said
    assert "hors de ce territoire" in said and not shift.get("plotly_chart")
    lq = explorer({"vue": "specialisation", "territoire": "bassin:5314", "source": "urssaf"})
    said = " ".join(info.value for info in lq.info)
    assert "n'est chargé pour le bassin d'emploi de Rennes (5314)" in said
    assert "source « Projets de recrutement (BMO) »" in said and not lq.get("plotly_chart")
    bmo = explorer({"vue": "specialisation", "territoire": "bassin:5314", "source": "bmo"})
    assert len(bmo.get("plotly_chart")) == 2


@pytest.mark.parametrize("view", ["specialisation", "evolution"])
def test_both_views_replace_a_reference_the_territory_cannot_have(demo_marts, view):
    """A région has no région of reference: said, and France is shown and written in the URL instead."""
    test = explorer({"vue": view, "territoire": "reg:53", "reference": "reg"})
    warnings = " ".join(warning.value for warning in test.warning)
    assert "sans objet" in warnings and "Référence affichée à la place : la France." in warnings
    assert test.query_params["reference"] == "fr" and test.get("plotly_chart")


def test_the_reference_fallback_is_one_piece_of_code():
    """The two views share the code that replaces a refused reference by France (it was copied in each)."""
    copies = sum(file.read_text(encoding="utf-8").count("Référence affichée à la place")
                 for file in (paths.ROOT / "app_pages").rglob("*.py"))
    assert copies == 1
