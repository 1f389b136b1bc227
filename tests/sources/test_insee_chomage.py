"""Insee's localised unemployment rates workbook: the real edition read as published, the département and région
sheets of later editions found by their header, and the file imported by `python -m pipelines import`."""

import json

import pytest

from pipelines import paths
from pipelines.ingest.demo import chomage_quarters, write_chomage_workbook
from pipelines.sources import SOURCES, insee_chomage
from tests.conftest import real_file

REAL = "insee_chomage/chomage-zone-t1-2003-t3-2023.xlsx"
QUARTERS = chomage_quarters("2013-T3", "2014-T2")


def zone(code, name, region, region_name, *rates):
    return {"code": code, "name": name, "region_code": region, "region_name": region_name,
            "rates": dict(zip(QUARTERS, rates, strict=True))}


# Fictitious rates. 0401 is blank before 2014 as Insee's overseas zones are; 5315's whole rates are integers.
ZONES = [zone("5315", "Rennes", "53", "BRETAGNE", 6.0, 5.5, 5.7, 6.2),
         zone("0401", "Zone d'outre-mer", "04", "LA REUNION", None, None, 20.1, 19.9),
         zone("0051", "Zone interrégionale", "00", "INTERRÉGIONAL ", 7.0, 7.1, 7.2, 7.3)]
PARTS = [zone("2451", "Zone interrégionale (partie Centre)", None, None, 6.9, 7.0, 7.1, 7.2)]
DEPARTEMENTS = [zone("35", "Ille-et-Vilaine", "53", "BRETAGNE", 6.5, 6.4, 6.3, 6.2),
                zone("2A", "Corse-du-Sud", "94", "CORSE", 9.0, 9.1, 9.2, 9.3)]
REGIONS = [zone("53", "BRETAGNE", None, None, 7.0, 6.9, 6.8, 6.7)]


def rates(frame, level, code):
    rows = frame[(frame["level"] == level) & (frame["code"] == code)]
    return dict(zip(rows["quarter"], rows["rate"].astype(object).where(rows["rate"].notna(), None), strict=True))


def test_the_real_workbook_is_read_as_published():
    table = insee_chomage.read(real_file(REAL))
    frame = table.frame
    assert insee_chomage.recognise(real_file(REAL)) and table.period == "2003-T1/2023-T3"
    rennes = rates(frame, "zone_emploi", "5315")
    # a whole rate stored as an integer is read as the rate it is
    assert (rennes["2023-T3"], rennes["2023-T2"], rennes["2022-T3"], rennes["2003-T1"]) == ("6", "5.7", "5.7", "6.3")
    zones = frame[frame["level"] == "zone_emploi"]
    assert zones["code"].nunique() == 302 and frame[frame["level"] == "partie_regionale"]["code"].nunique() == 28
    bretagne = zones[zones["region_code"] == "53"]
    assert sorted(bretagne["code"].unique()) == [f"53{n:02d}" for n in range(1, 20)]
    assert rates(frame, "zone_emploi", "5314")["2023-T3"] == "6.4"  # ZE 5314 is Quimperlé, not the BMO bassin
    assert rates(frame, "zone_emploi", "5319")["2023-T3"] == "3.9"
    # the 15 overseas zones are blank before 2014, and only they: 660 cells, kept blank
    blank = zones[zones["rate"].isna()]
    assert len(blank) == 660 and blank["code"].nunique() == 15 and blank["code"].str.startswith("0").all()
    assert (blank["quarter"] < "2014-T1").all() and table.rows == 302 + 28


def test_the_real_workbook_staged_gives_rennes_rates_and_nulls():
    from tests.conftest import staged

    con = staged("insee_chomage", "stg_insee_chomage__rates", insee_chomage.read(real_file(REAL)).frame)
    got = dict(con.execute("select strftime(period, '%Y-%m'), rate from stg_insee_chomage__rates "
                           "where territory_type = 'zone_emploi' and territory_code = '5315'").fetchall())
    assert (got["2023-07"], got["2023-04"], got["2022-07"]) == (6.0, 5.7, 5.7)
    [(nulls, zeros)] = con.execute("select count(*) filter (where rate is null), count(*) filter (where rate = 0) "
                                   "from stg_insee_chomage__rates").fetchall()
    assert (nulls, zeros) == (660, 0)
    [(bretagne,)] = con.execute("select count(distinct territory_code) from stg_insee_chomage__rates "
                                "where territory_type = 'zone_emploi' and region_code = '53'").fetchall()
    assert bretagne == 19


def test_departement_and_region_sheets_are_found_by_their_header(tmp_path):
    path = write_chomage_workbook(tmp_path / "chomage.xlsx", ZONES, QUARTERS, partie_regionale=PARTS,
                                  departement=DEPARTEMENTS, region=REGIONS)
    from openpyxl import load_workbook

    workbook = load_workbook(path)  # a later edition may call them otherwise: the header says what they are
    workbook["txcho_dep"].title, workbook["txcho_reg"].title = "Départements", "Régions"
    workbook.save(path)
    table = insee_chomage.read(path)
    frame = table.frame
    assert list(frame.columns) == insee_chomage.FIELDS and table.period == "2013-T3/2014-T2"
    assert rates(frame, "departement", "2A") == {"2013-T3": "9", "2013-T4": "9.1", "2014-T1": "9.2", "2014-T2": "9.3"}
    assert rates(frame, "region", "53")["2013-T3"] == "7"
    assert frame[frame["level"] == "region"]["region_code"].isna().all()  # its own code is no parent
    assert rates(frame, "partie_regionale", "2451")["2014-T2"] == "7.2"
    assert rates(frame, "zone_emploi", "0401") == {"2013-T3": None, "2013-T4": None, "2014-T1": "20.1",
                                                   "2014-T2": "19.9"}
    assert rates(frame, "departement", "35")["2013-T3"] == "6.5" and table.rows == 3 + 1 + 2 + 1


def test_the_workbook_is_imported_by_the_command(no_demo, tmp_path, capsys):
    from pipelines.__main__ import main

    path = write_chomage_workbook(tmp_path / "telechargement (3).xlsx", ZONES, QUARTERS)
    assert main(["import", str(path)]) == 0
    assert "insee_chomage" in capsys.readouterr().err
    [entry] = json.loads(paths.MANIFEST.read_text())["files"]
    assert (entry["source"], entry["period"], entry["rows"]) == ("insee_chomage", "2013-T3/2014-T2", 3)
    assert [name for name, source in SOURCES.items() if source.recognise(path)] == ["insee_chomage"]


@pytest.mark.parametrize("other", ["insee_ze", "insee_epci", "bmo"])
def test_other_insee_and_bmo_workbooks_are_not_taken_for_it(tmp_path, other):
    from pipelines.ingest.demo import write_bmo_workbook, write_ze_workbook
    from tests.conftest import WORLD_2024, WORLD_COMMUNES
    from tests.publisher_files import epci_workbook

    path = {"insee_ze": lambda: write_ze_workbook(tmp_path / "ze.xlsx", WORLD_COMMUNES),
            "insee_epci": lambda: epci_workbook(tmp_path),
            "bmo": lambda: write_bmo_workbook(tmp_path / "bmo.xlsx", 2024, WORLD_2024)}[other]()
    assert not insee_chomage.recognise(path) and SOURCES[other].recognise(path)


def test_a_new_edition_replaces_the_older_one(no_demo, tmp_path):
    from pipelines.ingest import importer, manifest

    importer.import_file(write_chomage_workbook(tmp_path / "chomage-zone-t1-2003-t2-2014.xlsx", ZONES, QUARTERS))
    later = [dict(z, rates=z["rates"] | {"2014-T3": 6.6}) for z in ZONES]
    importer.import_file(write_chomage_workbook(tmp_path / "chomage-zone-t1-2003-t3-2014.xlsx", later,
                                                chomage_quarters("2013-T3", "2014-T3")))
    assert [e["period"] for e in manifest.load() if e["source"] == "insee_chomage"] == ["2013-T3/2014-T3"]


def test_rennes_metropole_gets_the_real_rate_of_ze_rennes(no_demo):
    """Real files end to end: Insee's ZE composition and EPCI workbooks, and the unemployment workbook."""
    from pipelines.ingest import importer
    from pipelines.warehouse import build
    from tests.conftest import marts

    for name in ("insee_ze2020/Communes_to_ZE_2022.xlsx", "insee_epci/Intercommunalite_Metropole_au_01-01-2023.xlsx",
                 REAL):
        importer.import_file(real_file(name))
    build.build(say=lambda message: None)
    con = marts(paths.MARTS_DB)
    rows = con.execute("select quarter, rate, rate_basis, zone_code, zone_name, zone_communes, territory_communes "
                       "from fct_unemployment_by_territory_quarter where territory_type = 'epci' "
                       "and territory_code = '243500139' and year(period) = 2023 order by period").fetchall()
    # Rennes Métropole's 43 communes are all in ZE 5315: 5.7 % in 2023-T2, 6.0 % in 2023-T3
    assert rows[-2:] == [("T2 2023", 5.7, "zone d'emploi majoritaire", "5315", "Rennes", 43, 43),
                         ("T3 2023", 6.0, "zone d'emploi majoritaire", "5315", "Rennes", 43, 43)]
    [(latest,)] = con.execute("select rate from fct_unemployment_by_territory_quarter where is_latest_period "
                              "and territory_type = 'zone_emploi' and territory_code = '5315'").fetchall()
    assert latest == 6.0
