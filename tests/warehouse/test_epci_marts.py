"""EPCI: Insee's commune → EPCI table makes each EPCI a territory, summed from its communes like a zone d'emploi."""

import pytest

from pipelines import paths
from pipelines.__main__ import main
from pipelines.ingest import importer
from pipelines.ingest.demo import write_defm_csv, write_urssaf_csv
from pipelines.report import figures
from pipelines.warehouse import build
from tests.conftest import marts, write_world
from tests.publisher_files import epci_workbook

# Rennes and Cesson-Sévigné in EPCI 200000001, Redon in 200000002, Quimperlé outside any EPCI (tests.publisher_files).
URSSAF = [
    {"region_code": "53", "dept_code": "35", "ze_code": "5315", "epci_code": "200000001", "commune_code": "35238",
     "ape_code": "4120A", "values": {2022: (10, 100), 2023: (11, 120)}},
    {"region_code": "53", "dept_code": "35", "ze_code": "5315", "epci_code": "200000001", "commune_code": "35051",
     "ape_code": "6201Z", "values": {2022: (4, 400), 2023: (4, 410)}},
    {"region_code": "53", "dept_code": "35", "ze_code": "5313", "epci_code": "200000002", "commune_code": "35236",
     "ape_code": "4120A", "values": {2022: (3, 30), 2023: (3, 36)}},
]
SEEKERS = [{"date": "2024-T4", "code_commune": commune, "categorie": "A", "sexe": "Ensemble",
            "tranche_d_age": "Ensemble", "nombre_de_demandeurs_d_emploi": value}
           for commune, value in (("35238", 1000), ("35236", 85), ("35051", 40), ("29233", 55))]


@pytest.fixture
def with_epci(no_demo, tmp_path):
    for file in write_world(tmp_path / "dl", years=(2024,)):
        importer.import_file(file)
    importer.import_file(epci_workbook(tmp_path / "dl"))
    importer.import_file(write_urssaf_csv(tmp_path / "urssaf.csv", URSSAF, (2022, 2023)))
    importer.import_file(write_defm_csv(tmp_path / "defm.csv", SEEKERS))
    build.build(say=lambda m: None)
    con = marts(paths.MARTS_DB)
    yield con
    con.close()


def test_an_epci_is_a_territory_with_its_communes(with_epci):
    con = with_epci
    assert con.execute("""select territory_code, territory_name, dept_code, region_code, commune_zoning, commune_count
        from dim_territory where territory_type = 'epci' order by 1""").fetchall() == [
        ("200000001", "Intercommunalité fictive A", "35", "53", "EPCI (COG 2023)", 2),
        ("200000002", "Intercommunalité fictive B", "35", "53", "EPCI (COG 2023)", 1)]
    # Quimperlé (ZZZZZZZZZ) belongs to no EPCI: no EPCI territory of its own, no membership
    assert con.execute("""select territory_code, commune_code, is_latest_zoning from bridge_territory_commune
        where territory_type = 'epci' order by 1, 2""").fetchall() == [
        ("200000001", "35051", True), ("200000001", "35238", True), ("200000002", "35236", True)]


def test_epci_figures_are_the_sums_of_their_communes(with_epci):
    con = with_epci
    employment = con.execute("""select sector_code, employees, establishments, communes_with_data
        from fct_employment_by_territory_sector_year where territory_type = 'epci' and territory_code = '200000001'
        and year = 2023 and sector_code in ('btp', 'numerique', 'ensemble') order by 1""").fetchall()
    assert employment == [("btp", 120, 11, 2), ("ensemble", 530, 15, 2), ("numerique", 410, 4, 2)]
    seekers = con.execute("""select territory_code, job_seekers, communes_with_data
        from fct_job_seekers_by_territory_quarter where territory_type = 'epci' order by 1""").fetchall()
    assert seekers == [("200000001", 1040, 2), ("200000002", 85, 1)]  # Quimperlé (no EPCI) in none
    data = figures.key_figures(con, *figures.parse_territory("epci:200000001"))
    assert data.territory["type_label"] == "EPCI (intercommunalité)" and data.year is None
    assert "un EPCI" in data.unavailable  # BMO is published by bassin, as for a zone d'emploi
    total = data.sectors[-1]["employment"]
    assert total["employees"] == 530 and not total["partial_coverage"]
    assert data.job_seekers["A"]["job_seekers"] == 1040 and not data.job_seekers["A"]["partial_coverage"]


def test_cli_figures_for_an_epci(with_epci, capsys):
    assert main(["figures", "--territory", "epci:200000001"]) == 0
    out = capsys.readouterr().out
    assert "EPCI (intercommunalité) Intercommunalité fictive A (200000001)" in out
    assert "ne se ventile pas sur une zone d'emploi Insee, un EPCI" in out
    assert "données de 2 communes sur 2" in out and "1\u202f040" in out
    assert main(["figures", "--territory", "epci:200000009", "--format", "json"]) == 1
    assert "territoire inconnu : epci:200000009" in capsys.readouterr().err
    assert main(["figures", "--territory", "epci:35"]) == 2
    assert "un code EPCI est son numéro SIREN" in capsys.readouterr().err


def test_html_export_for_an_epci(with_epci, tmp_path):
    output = tmp_path / "zoom.html"
    assert main(["export", "--sector", "btp", "--territory", "epci:200000001", "--format", "html",
                 "--output", str(output)]) == 0
    pack = output.read_text(encoding="utf-8")
    assert "Intercommunalité fictive A" in pack and "territoire=epci:200000001" in pack  # the page's link
