"""NAF A38 sections (URSSAF) and FAP families (BMO): the same territories and rules as the sector marts."""

import csv

import pytest

from pipelines import paths
from pipelines.ingest import importer
from pipelines.ingest.demo import write_urssaf_csv
from pipelines.warehouse import build
from tests.conftest import marts, write_world

# Rennes: construction (41.20A, A38 FZ) and software (62.01Z, JC); Cesson: software and a restaurant (56.10A, IZ);
# Redon: construction. Hand sums per A38 section below.
URSSAF = [
    {"region_code": "53", "dept_code": "35", "ze_code": "5315", "epci_code": "200000001", "commune_code": "35238",
     "ape_code": "4120A", "values": {2022: (10, 100), 2023: (11, 120)}},
    {"region_code": "53", "dept_code": "35", "ze_code": "5315", "epci_code": "200000001", "commune_code": "35238",
     "ape_code": "6201Z", "values": {2022: (2, 50), 2023: (2, 60)}},
    {"region_code": "53", "dept_code": "35", "ze_code": "5315", "epci_code": "200000001", "commune_code": "35051",
     "ape_code": "6202A", "values": {2022: (4, 400), 2023: (4, 410)}},
    {"region_code": "53", "dept_code": "35", "ze_code": "5315", "epci_code": "200000001", "commune_code": "35051",
     "ape_code": "5610A", "values": {2022: (1, 10), 2023: (1, 10)}},
    {"region_code": "53", "dept_code": "35", "ze_code": "5313", "epci_code": "200000002", "commune_code": "35236",
     "ape_code": "4120A", "values": {2022: (3, 30), 2023: (3, 36)}},
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    with pytest.MonkeyPatch.context() as monkeypatch:
        from tests.conftest import use_data_dir

        root = tmp_path_factory.mktemp("a38")
        empty = root / "no-demo"
        empty.mkdir()
        use_data_dir(monkeypatch, root / "data", demo_dir=empty)
        importer.import_files([*write_world(root / "dl", years=(2024, 2025)),
                               write_urssaf_csv(root / "urssaf.csv", URSSAF, (2022, 2023))])
        build.build(say=lambda m: None)
        con = marts(paths.MARTS_DB)
        yield con
        con.close()


def test_the_seed_maps_every_naf_division_to_one_of_38_sections():
    with paths.NAF_A38_CSV.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == 88 and len({row["division"] for row in rows}) == 88
    assert len({row["a38_code"] for row in rows}) == 38
    by_division = {row["division"]: row["a38_code"] for row in rows}
    assert (by_division["10"], by_division["41"], by_division["62"], by_division["56"], by_division["88"]) == (
        "CA", "FZ", "JC", "IZ", "QB")


def test_dim_a38_has_the_38_sections_and_the_whole(built):
    rows = built.execute("select a38_code, short_label from dim_a38 order by sort_order").fetchall()
    assert len(rows) == 39 and rows[-1][0] == "ensemble" and rows[0] == ("AZ", "Agriculture, sylviculture, pêche")


def test_employment_by_a38_section_is_summed_like_the_sectors(built):
    rows = built.execute("""select territory_type, territory_code, a38_code, employees, establishments,
            share_of_employment, employees_change_1y, communes_with_data, basis
        from fct_employment_by_territory_a38_year where year = 2023
            and (territory_type, territory_code) in (('epci', '200000001'), ('zone_emploi', '5313'))
        order by 1, 2, 3""").fetchall()
    assert rows == [
        ("epci", "200000001", "FZ", 120, 11, pytest.approx(120 / 600), pytest.approx(0.2), 2, "communes"),
        ("epci", "200000001", "IZ", 10, 1, pytest.approx(10 / 600), 0.0, 2, "communes"),
        ("epci", "200000001", "JC", 470, 6, pytest.approx(470 / 600), pytest.approx(470 / 450 - 1), 2, "communes"),
        ("epci", "200000001", "ensemble", 600, 18, 1.0, pytest.approx(600 / 560 - 1), 2, "communes"),
        ("zone_emploi", "5313", "FZ", 36, 3, 1.0, pytest.approx(0.2), 1, "communes"),
        ("zone_emploi", "5313", "ensemble", 36, 3, 1.0, pytest.approx(0.2), 1, "communes"),
    ]
    # the whole of every territory and year is the sector mart's 'ensemble', row for row
    differ = built.execute("""select count(*) from (
        select territory_type, territory_code, year, employees, establishments, communes_with_data, basis,
            is_latest_period from fct_employment_by_territory_a38_year where a38_code = 'ensemble'
        except all
        select territory_type, territory_code, year, employees, establishments, communes_with_data, basis,
            is_latest_period from fct_employment_by_territory_sector_year where sector_code = 'ensemble'
            and territory_type <> 'commune')""")
    assert differ.fetchone()[0] == 0
    # every level of the sector mart but the communes (38 sections by commune: too many rows to build)
    levels = built.execute("select distinct territory_type from fct_employment_by_territory_a38_year order by 1")
    assert [row[0] for row in levels.fetchall()] == [
        "bassin_bmo", "departement", "epci", "france", "region", "zone_emploi"]


def test_projects_by_fap_family_follow_the_sector_rules(built):
    rows = built.execute("""select family_code, projects, difficult, secret_cells, previous_projects, projects_change
        from fct_projects_by_territory_family_year where territory_type = 'bassin_bmo' and territory_code = '5314'
            and year = 2025 order by 1""").fetchall()
    # J1X80 was secret in 2024 (a cell counted as nothing); B1X31 and B0X30 are two families (B1X, B0X)
    assert rows == [
        ("A1X", 25, 10, 0, 30, pytest.approx(25 / 30 - 1)),
        ("B0X", 30, 20, 0, 20, pytest.approx(0.5)),
        ("B1X", 110, 90, 0, 100, pytest.approx(0.1)),
        ("E3X", 40, 12, 0, 40, 0.0),
        ("M2X", 45, 30, 0, 50, pytest.approx(-0.1)),
        ("S1X", 70, 35, 0, 60, pytest.approx(70 / 60 - 1)),
        ("ensemble", 320, 197, 0, 300, pytest.approx(320 / 300 - 1)),
    ]
    secret = built.execute("""select projects, secret_cells from fct_projects_by_territory_family_year
        where territory_type = 'bassin_bmo' and territory_code = '5314' and year = 2024 and family_code = 'J1X'""")
    assert secret.fetchall() == [(None, 1)]
    same = built.execute("""select count(*) from (
        select territory_type, territory_code, year, projects, secret_cells from fct_projects_by_territory_family_year
        where family_code = 'ensemble' except all
        select territory_type, territory_code, year, projects, secret_cells from fct_projects_by_territory_sector_year
        where sector_code = 'ensemble')""")
    assert same.fetchone()[0] == 0


def test_the_new_marts_read_only_their_own_sources():
    sources = build.mart_sources()
    assert sources["fct_projects_by_territory_family_year"] == sources["fct_projects_by_territory_sector_year"]
    assert sources["dim_fap_family"] == {"bmo"} and sources["dim_a38"] == set()
    assert sources["fct_employment_by_territory_a38_year"] == sources["fct_employment_by_territory_sector_year"]
    assert sources["fct_projects_by_territory_metier_year"] == {"bmo"}  # the table macros count where called only


def test_the_build_checks_that_groups_stay_within_their_whole(built):
    check = (paths.SQL_DIR / "checks" / "groups_within_their_whole.sql").read_text(encoding="utf-8")
    assert built.execute(check).fetchall() == []
    built.execute("create temp table fct_employment_by_territory_a38_year as select * replace ("
                  "if(a38_code = 'FZ', employees * 100, employees) as employees) "
                  "from main.fct_employment_by_territory_a38_year")
    try:
        failures = [row[0] for row in built.execute(check).fetchall()]
    finally:
        built.execute("drop table temp.fct_employment_by_territory_a38_year")
    assert "sections A38 > ensemble : epci 200000001, 2023" in failures
