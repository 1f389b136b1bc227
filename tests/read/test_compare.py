"""Comparing 2 to 6 territories (read.compare, report.compare, `python -m pipelines compare`), checked by hand on
a small world: BMO of conftest's world, URSSAF and Dares files written here, one list of communes."""

import dataclasses
import json

import pytest

from pipelines import paths
from pipelines.__main__ import main
from pipelines.ingest import importer
from pipelines.ingest.demo import write_defm_csv, write_urssaf_csv
from pipelines.read.compare import compare, index_to_first_common_year
from pipelines.report import compare as worded
from pipelines.report.downloads import csv_bytes
from pipelines.report.zoom_charts import Chart, Series
from pipelines.warehouse import build
from tests.conftest import marts, write_world

# (establishments, employees) at the end of each year. Bassin 5314 = Rennes + Cesson, bassin 5313 = Redon,
# département 35 = all three; zone d'emploi 5314 (Quimperlé) has no URSSAF figure.
URSSAF = [
    {"region_code": "53", "dept_code": "35", "ze_code": "5315", "epci_code": "243500139", "commune_code": "35238",
     "ape_code": "4120A", "values": {2022: (10, 100), 2023: (11, 120)}},
    {"region_code": "53", "dept_code": "35", "ze_code": "5313", "epci_code": "243500659", "commune_code": "35236",
     "ape_code": "4120A", "values": {2022: (3, 30), 2023: (3, 45)}},
    {"region_code": "53", "dept_code": "35", "ze_code": "5315", "epci_code": "243500139", "commune_code": "35051",
     "ape_code": "6201Z", "values": {2022: (4, 400), 2023: (4, 410)}},
]
SEEKERS = [{"date": "2024-T4", "code_commune": commune, "categorie": "A", "sexe": "Ensemble",
            "tranche_d_age": "Ensemble", "nombre_de_demandeurs_d_emploi": value}
           for commune, value in (("35238", 1000), ("35236", 85), ("35051", 40))]
# Rennes, Redon and a commune no file knows: its sums cover 2 communes of 3.
LISTS = '[rennes-redon]\nnom = "Rennes et Redon"\ncommunes = ["35238", "35236", "35999"]\n'
PLACES = [("bassin_bmo", "5314"), ("bassin_bmo", "5313"), ("zone_emploi", "5314"), ("departement", "35"),
          ("liste", "rennes-redon")]
SPECS = ["bassin:5314", "bassin:5313", "ze:5314", "dep:35", "liste:rennes-redon"]


@pytest.fixture
def compared_world(no_demo, tmp_path):
    for file in write_world(tmp_path / "dl"):
        importer.import_file(file)
    importer.import_file(write_urssaf_csv(tmp_path / "urssaf.csv", URSSAF, (2022, 2023)))
    importer.import_file(write_defm_csv(tmp_path / "defm.csv", SEEKERS))
    paths.COMMUNE_LISTS.write_text(LISTS, encoding="utf-8")
    build.build(say=lambda m: None)
    return paths.MARTS_DB


def comparison(year=None):
    con = marts(paths.MARTS_DB)
    try:
        return compare(con, PLACES, year)
    finally:
        con.close()


def row(table, sector: str, indicator: str) -> list:
    found = table[(table["Secteur"] == sector) & table["Indicateur"].str.startswith(indicator)]
    assert len(found) == 1, (sector, indicator)
    return list(found.iloc[0, 2:])


def test_the_table_holds_the_hand_computed_figures_and_the_overview_flags(compared_world):
    data = comparison()
    assert data.year == 2025 and [place["spec"] for place in data.places] == SPECS
    shown, table = worded.shown_table(data), worded.table(data)
    btp = "Bâtiment et travaux publics"
    # BMO 2025: Rennes 110 + 30 (public works), 90 + 20 of them difficult; Redon has no 2025 row; a zone
    # d'emploi and a list have no survey; the département sums its bassins' département-35 rows.
    assert row(table, btp, "Projets de recrutement 2025") == [140, "n.d.", "sans objet", 140, "sans objet"]
    assert row(table, btp, "Part jugée difficile (%)") == [78.6, "n.d.", "sans objet", 78.6, "sans objet"]
    assert row(shown, btp, "Part jugée difficile (%)") == ["78,6\u202f%", "n.d.", "sans objet", "78,6\u202f%",
                                                          "sans objet"]
    # URSSAF, end of 2023: Rennes 120, Redon 45, the département 165; the list sums 2 of its 3 communes.
    partial = "couverture partielle (2 communes sur 3)"
    assert row(table, btp, "Salariés fin 2023") == [120, 45, "n.d.", 165, partial]
    apprentices = " (apprentis comptés depuis 2023)"  # 2022 to 2023: the series break, said
    assert row(shown, btp, "Évolution des salariés sur un an") == [
        "+20,0\u202f%" + apprentices, "+50,0\u202f%" + apprentices, "n.d.", "+26,9\u202f%" + apprentices, partial]
    assert row(table, btp, "Évolution des salariés sur un an") == [20.0, 50.0, "n.d.", 26.9, partial]
    assert row(table, btp, "Établissements employeurs") == [11, 3, "n.d.", 14, partial]
    assert row(table, "Tous secteurs", "Salariés fin 2023") == [530, 45, "n.d.", 575, partial]
    assert row(table, "Agriculture", "Salariés")[0] == "non représentatif"  # farm employers are under the MSA
    assert row(table, "Numérique", "Salariés")[1] == "aucun établissement"  # Redon has no digital employer
    assert row(table, "Tous métiers", "Demandeurs d'emploi, catégorie A, T4 2024") == [1040, 85, "n.d.", 1125,
                                                                                       partial]
    assert row(table, btp, "Tension")[0] == "non chargé"  # no tension file in this world


def test_a_secret_cell_reads_s_and_a_biased_share_au_moins(compared_world):
    con = marts(paths.MARTS_DB)
    data = compare(con, [("bassin_bmo", "2201"), ("bassin_bmo", "5314")], 2024)
    con.close()
    shown, table = worded.shown_table(data), worded.table(data)
    # Nantes 2024, agriculture: 5 projects, the difficult ones secret: the share is secret, "s".
    assert row(shown, "Agriculture", "Part jugée difficile (%)")[0] == "s"
    assert row(table, "Agriculture", "Part jugée difficile (%)")[0] == "s"
    # All sectors: (150 + 3) difficult of 200 + 5 + 9 projects, the agriculture cell's difficult not counted: a minimum
    assert row(shown, "Tous secteurs", "Part jugée difficile (%)") == ["au moins 71,5\u202f%", "59,0\u202f%"]
    assert row(table, "Tous secteurs", "Part jugée difficile : minimum") == ["oui", "non"]
    # Rennes 2024, all sectors: its secret cell (J1X80 *) counted for nothing: 100 + 20 + 50 + 40 + 30 + 60
    assert row(table, "Tous secteurs", "Projets de recrutement 2024") == [214, 300]
    assert row(table, btp := "Bâtiment et travaux publics", "Projets de recrutement 2024")[0] == "n.d."  # none
    assert "Part jugée difficile : minimum" not in set(table[table["Secteur"] == btp]["Indicateur"])


def test_employment_is_indexed_to_the_first_common_year(compared_world):
    data = comparison()
    assert data.base_years["btp"] == 2022
    index = {(r["spec"], r["year"]): r["index"] for r in data.employment_index if r["sector_code"] == "btp"}
    assert index[("bassin:5314", 2023)] == pytest.approx(120.0)
    assert index[("bassin:5313", 2023)] == pytest.approx(150.0)
    assert index[("dep:35", 2023)] == pytest.approx(100 * 165 / 130)
    chart = worded.employment_chart(data, "btp")
    assert chart.categories == [2022, 2023] and chart.title.endswith("base 100 en 2022")
    names = [series.name for series in chart.series]
    assert names == ["Rennes (bassin:5314)", "Redon (bassin:5313)", "Département 35 (dep:35)",
                     "Rennes et Redon (liste:rennes-redon) (somme partielle)"]  # the ZE has no figure
    assert not chart.partial and any("couverture partielle (2 communes sur 3)" in note for note in chart.notes)
    assert worded.employment_chart(data, "agriculture") is None  # not representative: no curve


def test_bmo_projects_by_year(compared_world):
    chart = worded.projects_chart(comparison(), "btp")
    assert chart.categories == [2024, 2025]
    values = {series.name: series.values for series in chart.series}
    # 2024: Rennes 100 + 20; Redon 10 (dep 35) + 7 (dep 44); the département: Rennes' and Redon's dep-35 rows
    assert values == {"Rennes (bassin:5314)": [120, 140], "Redon (bassin:5313)": [17, None],
                      "Département 35 (dep:35)": [130, 140]}
    assert any("Sans enquête BMO" in note and "ze:5314" in note for note in chart.notes)


def test_the_first_common_year_ignores_places_without_data():
    rows = [{"territory_type": "a", "territory_code": "1", "year": 2020, "employees": None},
            {"territory_type": "a", "territory_code": "1", "year": 2021, "employees": 50},
            {"territory_type": "a", "territory_code": "1", "year": 2022, "employees": 75},
            {"territory_type": "b", "territory_code": "2", "year": 2020, "employees": 10},
            {"territory_type": "b", "territory_code": "2", "year": 2021, "employees": 20},
            {"territory_type": "c", "territory_code": "3", "year": 2021, "employees": None}]
    assert index_to_first_common_year(rows) == 2021
    assert [r["index"] for r in rows] == [None, 100.0, 150.0, 50.0, 100.0, None]


@pytest.mark.parametrize("places", [[("bassin_bmo", "5314")], [("bassin_bmo", "5314")] * 2,
                                    [("commune", f"3500{i}") for i in range(7)]])
def test_two_to_six_places(compared_world, places):
    con = marts(paths.MARTS_DB)
    with pytest.raises(ValueError, match="il en faut de 2 à 6"):
        compare(con, places)
    con.close()


def test_cli_formats_give_the_page_s_numbers(compared_world, capsys):
    assert main(["compare", "--territories", *SPECS[:2], "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [place["spec"] for place in data["places"]] == SPECS[:2] and data["year"] == 2025
    assert data["bmo"]["bassin:5314"]["btp"]["projects"] == 140
    assert main(["compare", "--territories", *SPECS[:2], "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("\ufeffSecteur;Indicateur;Rennes (bassin:5314);Redon (bassin:5313)\n")
    assert "Bâtiment et travaux publics;Part jugée difficile (%);78,6;n.d.\n" in out
    assert out == csv_bytes(worded.table(comparison_of(SPECS[:2]))).decode("utf-8").replace("\r\n", "\n")
    assert main(["compare", "--territories", *SPECS, "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Comparaison : Bassin d'emploi BMO Rennes (5314) ; Bassin d'emploi BMO Redon (5313) ; ")
    assert "Liste de communes Rennes et Redon (rennes-redon)" in out
    assert "couverture partielle (2 communes sur 3)" in out and "78,6\u202f%" in out


def comparison_of(specs):
    from pipelines.report.figures import parse_territory

    con = marts(paths.MARTS_DB)
    try:
        return compare(con, [parse_territory(spec) for spec in specs])
    finally:
        con.close()


@pytest.mark.parametrize(("arguments", "code", "said"), [
    (["bassin:5314"], 2, "1 territoire à comparer : il en faut de 2 à 6"),
    (["bassin:5314", "bassin:5314"], 2, "il en faut de 2 à 6"),
    (["bassin:5314", "bassin:9999", "ze:1"], 1, "territoires inconnus : bassin:9999, ze:1"),
    (["bassin:5314", "pays:x"], 2, "territoire « pays:x » invalide"),
    (["bassin:5314", "dep:35", "--year", "2019"], 1, "enquête BMO 2019 absente pour ces territoires"),
])
def test_cli_refusals_are_said_in_french(compared_world, capsys, arguments, code, said):
    assert main(["compare", "--territories", *arguments]) == code
    assert said in capsys.readouterr().err


def test_a_table_of_places_without_employment_names_no_year(compared_world):
    """The ZE of Quimperlé and the bassin of Nantes have no URSSAF figure: the rows say so, their label names no
    year (it read "Salariés fin None")."""
    con = marts(paths.MARTS_DB)
    try:
        data = compare(con, [("zone_emploi", "5314"), ("bassin_bmo", "2201")])
    finally:
        con.close()
    indicators = list(worded.shown_table(data)["Indicateur"])
    assert not any("None" in indicator for indicator in indicators), indicators
    assert "Salariés en fin d'année (Urssaf)" in indicators


def test_one_survey_year_is_drawn_as_bars_and_years_as_whole_numbers(compared_world):
    data = comparison()
    several = worded.figure(worded.projects_chart(data, "btp"))
    assert several.layout.xaxis.tickformat == "d" and several.layout.xaxis.dtick == 1  # not 2024.2, 2024.4…
    data = dataclasses.replace(data, projects=[row for row in data.projects if row["year"] == 2024])
    chart = worded.projects_chart(data, "btp")
    assert chart.kind == "grouped_bar" and chart.categories == [2024]
    assert {trace.type for trace in worded.figure(chart).data} == {"bar"}


def test_a_legend_of_six_long_names_fits_between_the_title_and_the_plot():
    """Plotly puts such a legend one entry a row, over the title: two columns of wrapped names, the top margin
    holding their rows."""
    names = [f"Communauté de communes numéro {i} du pays de Caux (epci:20006984{i}) (somme partielle)"
             for i in range(6)]
    chart = Chart("comparer-emploi", "Emploi salarié, indice base 100 en 2006", "line", "Année", "Indice", "index",
                  [2006, 2007], [Series(name, [100, 101], "#000000") for name in names], "Source")
    drawn = worded.figure(chart)
    assert drawn.layout.legend.entrywidth == 0.5 and drawn.layout.legend.entrywidthmode == "fraction"
    assert all("<br>" in trace.name for trace in drawn.data)
    lines = max(trace.name.count("<br>") + 1 for trace in drawn.data)
    assert drawn.layout.margin.t >= 20 * 1.3 + 3 * lines * 16 * 1.3  # the title, then three rows of names
