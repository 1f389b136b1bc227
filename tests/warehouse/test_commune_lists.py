"""The user's own territories: lists of communes in data/listes_communes.toml, summed like any territory."""

import pytest

from pipelines import paths
from pipelines.__main__ import main
from pipelines.errors import BuildError
from pipelines.ingest import importer
from pipelines.ingest.demo import write_defm_csv, write_urssaf_csv
from pipelines.report import figures
from pipelines.warehouse import build
from tests.conftest import marts, write_world

# Rennes and Redon: two communes of two different bassins BMO, one list.
URSSAF = [
    {"region_code": "53", "dept_code": "35", "ze_code": "5315", "epci_code": "243500139", "commune_code": "35238",
     "ape_code": "4120A", "values": {2022: (10, 100), 2023: (11, 120)}},
    {"region_code": "53", "dept_code": "35", "ze_code": "5313", "epci_code": "243500659", "commune_code": "35236",
     "ape_code": "4120A", "values": {2022: (3, 30), 2023: (3, 36)}},
    {"region_code": "53", "dept_code": "35", "ze_code": "5315", "epci_code": "243500139", "commune_code": "35051",
     "ape_code": "6201Z", "values": {2022: (4, 400), 2023: (4, 410)}},
]
SEEKERS = [{"date": "2024-T4", "code_commune": commune, "categorie": "A", "sexe": "Ensemble",
            "tranche_d_age": "Ensemble", "nombre_de_demandeurs_d_emploi": value}
           for commune, value in (("35238", 1000), ("35236", 85), ("35051", 40))]
LISTS = '''
[rennes-redon]
nom = "Rennes et Redon"
communes = ["35238", "35236", "35999"]
'''


@pytest.fixture
def listed(no_demo, tmp_path):
    for file in write_world(tmp_path / "dl", years=(2024,)):
        importer.import_file(file)
    importer.import_file(write_urssaf_csv(tmp_path / "urssaf.csv", URSSAF, (2022, 2023)))
    importer.import_file(write_defm_csv(tmp_path / "defm.csv", SEEKERS))
    paths.COMMUNE_LISTS.write_text(LISTS, encoding="utf-8")
    return build.build(say=lambda m: None)


def test_a_list_is_a_territory_of_the_commune_level_marts(listed):
    assert listed.unknown_list_communes == ["rennes-redon (35999)"]  # unknown: left out, and said
    con = marts(paths.MARTS_DB)
    assert con.execute("""select territory_name, commune_count from dim_territory
        where territory_type = 'liste' and territory_code = 'rennes-redon'""").fetchall() == [("Rennes et Redon", 3)]
    employment = con.execute("""select sector_code, employees, establishments, communes_with_data, employees_change_1y
        from fct_employment_by_territory_sector_year where territory_type = 'liste' and year = 2023
        and sector_code in ('btp', 'ensemble') order by 1""").fetchall()
    assert employment == [("btp", 156, 14, 2, pytest.approx(156 / 130 - 1)),
                          ("ensemble", 156, 14, 2, pytest.approx(156 / 130 - 1))]  # Cesson is not in the list
    assert con.execute("""select job_seekers, communes_with_data from fct_job_seekers_by_territory_quarter
        where territory_type = 'liste' and territory_code = 'rennes-redon'""").fetchall() == [(1085, 2)]
    data = figures.key_figures(con, *figures.parse_territory("liste:Rennes-Redon"))
    con.close()
    assert data.territory["name"] == "Rennes et Redon" and data.year is None
    assert "liste de communes" in data.unavailable  # BMO is published by bassin only
    assert data.sectors[0]["employment"]["employees"] == 156


def test_cli_figures_for_a_list(listed, capsys):
    assert main(["figures", "--territory", "liste:rennes-redon"]) == 0
    out = capsys.readouterr().out
    assert "Liste de communes Rennes et Redon" in out and "données de 2 communes sur 3" in out


@pytest.mark.parametrize(("content", "reason"), [
    ("[rennes-redon\nnom = 1", r"TOML illisible ligne 1, colonne 14 \(guillemet, crochet ou signe = manquant \?\)$"),
    ('[rennes-redon]\nnom = "R"\ncommunes = ["Rennes"]', "codes Insee"),
    ('["Rennes Redon"]\nnom = "R"\ncommunes = ["35238"]', "code de liste"),
    ('foo = "bar"', "il faut un tableau \\[foo\\]"),  # not a table
    ('[x]\nnom = "R"\ncommunes = ["2A04"]', "codes Insee"),
])
def test_a_bad_list_file_stops_the_build_and_keeps_the_marts(listed, content, reason):
    before = paths.MARTS_DB.read_bytes()
    paths.COMMUNE_LISTS.write_text(content, encoding="utf-8")
    with pytest.raises(BuildError, match=reason):
        build.build(say=lambda m: None)
    assert paths.MARTS_DB.read_bytes() == before
