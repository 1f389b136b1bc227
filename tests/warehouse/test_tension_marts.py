"""Tension marts: métiers to sectors by FAP 2009 or ROME, sector levels and main drivers, on fixtures and
on the real DARES files."""

import pytest

from pipelines import paths
from pipelines.ingest import importer
from pipelines.report import figures
from pipelines.sources import dares_tensions, rome_fap
from pipelines.warehouse import build
from tests.conftest import marts, real_file, write_world

DRIVERS = {"hiring_intensity": 3, "training_link": 2, "labour_shortage": 5, "job_instability": 1,
           "working_conditions": 4, "geographic_mismatch": 2}


def fap_row(fap, tension_class, level="dep", **drivers):
    return {"fap": fap, "employment": 1000, "tension": 0.5, "tension_class": tension_class,
            **{**DRIVERS, **drivers}, "niveau_geo": level, "dep": "35" if level == "dep" else None,
            "reg": 53 if level == "reg" else None}


def rome_row(rome, tension, **drivers):
    return {"rome": rome, "bassin": "5314", "job_offers": 10.5, "job_seekers_abc": 20.25, "tension": tension,
            **{**DRIVERS, **drivers}}


@pytest.fixture
def tension(no_demo, tmp_path):
    for file in write_world(tmp_path / "dl", years=(2024,)):
        importer.import_file(file)
    importer.import_file(dares_tensions.write_2019_csv(tmp_path / "t2019.csv", [
        fap_row("B2Z40", 5), fap_row("B0Z20", 4, hiring_intensity=5, labour_shortage=5),
        fap_row("M2Z90", 3), fap_row("S1Z40", 2),
        fap_row("B2Z", 1, niveau_fap="fap 87"),  # an aggregate: never counted with its families
        {**fap_row("A1Z40", None), "tension_class": None},  # too small: not published
    ]))
    importer.import_file(dares_tensions.write_2021_csv(tmp_path / "t2021.csv", [
        rome_row("F1703", 5), rome_row("M1805", 4, geographic_mismatch=5, labour_shortage=5),
        rome_row("A1412", 3), rome_row("A1414", 2), rome_row("A1203", 5), rome_row("G1602", 1),
    ]))
    importer.import_file(rome_fap.write_fap225_rome_csv(tmp_path / "fap_rome.csv", [
        {"fap2009_code": "M2Z90", "rome_code": "M1805", "rome_label": "Études et développement"}]))
    build.build(say=lambda m: None)
    return marts(paths.MARTS_DB)


def sector(con, territory_type, code, sector_code):
    return con.execute("""select metiers, metiers_in_tension, tension_level, main_driver
        from fct_tension_by_territory_sector_year
        where territory_type = ? and territory_code = ? and sector_code = ?""",
                       [territory_type, code, sector_code]).fetchall()


def test_fap_families_by_sector_in_a_departement(tension):
    assert sector(tension, "departement", "35", "btp") == [(2, 2, 4.5, "labour_shortage")]
    assert sector(tension, "departement", "35", "travaux_publics") == [(1, 1, 4.0, "labour_shortage")]
    assert sector(tension, "departement", "35", "ensemble") == [(4, 2, 3.5, "labour_shortage")]
    # Its only family has no published class: no level and no driver, rather than drivers of nothing.
    assert sector(tension, "departement", "35", "agriculture") == [(0, 0, None, None)]


def test_rome_codes_by_sector_in_a_bassin_with_exceptions(tension):
    assert sector(tension, "bassin_bmo", "5314", "btp") == [(1, 1, 5.0, "labour_shortage")]
    assert sector(tension, "bassin_bmo", "5314", "iaa") == [(1, 0, 3.0, "labour_shortage")]  # A1412
    assert sector(tension, "bassin_bmo", "5314", "agriculture") == [(1, 0, 2.0, "labour_shortage")]  # A1414
    assert sector(tension, "bassin_bmo", "5314", "travaux_publics") == []  # no ROME definition
    rome = dict(tension.execute("select rome_code, list(sector_code order by sector_code) from bridge_sector_rome "
                                "group by 1").fetchall())
    assert rome["A1203"] == ["ensemble"] and rome["A1412"] == ["ensemble", "iaa"]


def test_main_driver_of_a_metier_and_its_label(tension):
    row = tension.execute("""select tension_class, main_driver, metier_label, job_offers
        from fct_tension_by_territory_metier_year where metier_code = 'M1805'""").fetchall()
    assert row == [(4, "labour_shortage", "Études et développement", 10.5)]  # tie 5/5: labour shortage first
    data = figures.key_figures(tension, "bassin_bmo", "5314", 2024)
    numerique = next(s for s in data.sectors if s["sector_code"] == "numerique")["tension"]
    assert (numerique["year"], numerique["main_driver_label"]) == (2021, "manque de main-d'œuvre disponible")


def test_real_tension_files(no_demo):
    for name in ("tensions/dares_tensions_2019.csv", "tensions/cities-tension-utf8.csv", "fap_rome/fap225_rome.csv"):
        importer.import_file(real_file(name))
    build.build(say=lambda m: None)
    con = marts(paths.MARTS_DB)
    assert con.execute("""select count(*) from fct_tension_by_territory_metier_year
        where territory_type = 'bassin_bmo' and territory_code = '5314'""").fetchall() == [(219,)]
    assert con.execute("""select tension_class from fct_tension_by_territory_metier_year
        where territory_code = '5314' and metier_code = 'M1805'""").fetchall() == [(5,)]
    drivers = con.execute("""select tension_class, hiring_intensity, training_link, labour_shortage,
        job_instability, working_conditions, geographic_mismatch from fct_tension_by_territory_metier_year
        where territory_type = 'departement' and territory_code = '35' and metier_code = 'M2Z90'""").fetchall()
    assert drivers == [(5, 5, 5, 5, 1, 1, 2)]  # as the 2019 file states for Ille-et-Vilaine
