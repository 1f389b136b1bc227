"""What a sector's métiers ask (pipelines.read.skills): on the demo marts (ROME demo files of pipelines/ingest/demo.py)
and on a small world of marts written here, where the BMO projects in FAP 2009 rank the ROME codes."""

import duckdb
import pytest

from pipelines.ingest.demo import DEMO_ROME_LINKS
from pipelines.read import skills
from tests.conftest import marts


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from pipelines import paths
    from pipelines.warehouse import build
    from tests.conftest import use_data_dir

    with pytest.MonkeyPatch.context() as patch:
        use_data_dir(patch, tmp_path_factory.mktemp("skills-demo") / "data")
        build.build(say=lambda message: None)
        yield paths.MARTS_DB


def test_demo_sector_metiers_ranked_by_tension_with_their_skills(demo):
    with marts(demo) as con:
        result = skills.sector_skills(con, "btp", ("bassin_bmo", "5314"))
        tension = dict(con.execute("select metier_code, tension_class from fct_tension_by_territory_metier_year "
                                   "where metier_nomenclature = 'rome' and territory_code = '5314' and year = 2024 "
                                   "and metier_code like 'F%'").fetchall())
    assert (result["version"], result["ranked_by"], result["year"]) == ("v460", "tension", 2024)
    codes = [metier["rome_code"] for metier in result["metiers"]]
    assert sorted(codes) == ["F1603", "F1702", "F1703"]
    assert [metier["value"] for metier in result["metiers"]] == sorted(tension.values(), reverse=True)
    assert [metier["rank"] for metier in result["metiers"]] == [1, 2, 3]
    masonry = next(metier for metier in result["metiers"] if metier["rome_code"] == "F1703")
    # core savoir-faire first, then in code order; the titles not marked rarely used first
    assert [item["item_code"] for item in masonry["savoir_faire"]] == ["900001", "900002", "900005"]
    assert [item["core"] for item in masonry["savoir_faire"]] == ["principale", "principale", None]
    assert [item["item_code"] for item in masonry["savoir_etre"]] == ["900006", "900007"]
    assert [item["item_code"] for item in masonry["contexte_travail"]] == ["900009"]
    assert [title["rarely_used"] for title in masonry["appellations"]] == [False, True]
    # shared by the three métiers: what DEMO_ROME_LINKS gives each of them, savoir-faire and savoir-être only
    common = set.intersection(*({item for item, _ in DEMO_ROME_LINKS[code]} for code in codes))
    assert {item["item_code"] for item in result["shared"]} == common - {"900008", "900009"}
    assert all(item["metiers"] == 3 and item["rome_codes"] == sorted(codes) for item in result["shared"])


def test_without_projects_or_tension_by_rome_code_the_offers_online_rank_the_metiers(demo):
    with marts(demo) as con:
        result = skills.sector_skills(con, "btp", ("departement", "35"), top=2)
        offers = dict(con.execute(
            "select rome_code, offers from fct_offer_metiers_by_territory_sector_snapshot where territory_type = "
            "'departement' and territory_code = '35' and sector_code = 'btp'").fetchall())
    assert (result["ranked_by"], result["year"]) == ("offers", "2025-11-13")
    best = sorted(offers.items(), key=lambda item: (-item[1], item[0]))[:2]
    assert [(metier["rome_code"], metier["value"]) for metier in result["metiers"]] == best


def test_without_any_figure_for_the_territory_metiers_are_ranked_by_code():
    con = world([])
    result = skills.sector_skills(con, "btp", ("departement", "35"), top=2)
    assert (result["ranked_by"], result["year"]) == ("code", None)
    assert [metier["rome_code"] for metier in result["metiers"]] == ["Z1101", "Z1102"]
    assert all(metier["value"] is None for metier in result["metiers"])


def test_offers_online_break_ties_between_metiers_of_one_tension_class():
    con = world([])
    con.execute("""
        create table fct_tension_by_territory_metier_year as select * from (values
            ('bassin_bmo', '5314', 'rome', 'Z1101', 2021, 5), ('bassin_bmo', '5314', 'rome', 'Z1102', 2021, 5),
            ('bassin_bmo', '5314', 'rome', 'Z1103', 2021, 4)) as t(territory_type, territory_code,
            metier_nomenclature, metier_code, year, tension_class);
        create table fct_offer_metiers_by_territory_sector_snapshot as select * from (values
            ('bassin_bmo', '5314', 'btp', date '2025-11-15', 'Z1102', 3),
            ('bassin_bmo', '5314', 'ensemble', date '2025-11-15', 'Z1102', 3),
            ('bassin_bmo', '5314', 'btp', date '2025-11-15', 'Z1103', 9),
            ('bassin_bmo', '5314', 'btp', date '2025-11-01', 'Z1101', 50)) as t(territory_type, territory_code,
            sector_code, snapshot_date, rome_code, offers);
    """)
    result = skills.sector_skills(con, "btp", ("bassin_bmo", "5314"))
    # class 5 first, the one with offers in the latest snapshot before the other; an older snapshot counts for nothing
    assert result["ranked_by"] == "tension"
    assert [(metier["rome_code"], metier["value"]) for metier in result["metiers"]] == [
        ("Z1102", 5), ("Z1101", 5), ("Z1103", 4)]


def world(projects: list[tuple]) -> duckdb.DuckDBPyConnection:
    """The marts sector_skills reads, by hand: sector 'btp' = Z1101, Z1102, Z1103; FAP 2009 métier Q9Z40 holds
    Z1101 and Z1102, Q9Z41 holds Z1102; `projects` are (territory_code, metier_code, year, projects) of bassins."""
    con = duckdb.connect()
    con.execute("""
        create table bridge_sector_rome as select * from (values ('btp', 'Z1101'), ('btp', 'Z1102'),
            ('btp', 'Z1103'), ('ensemble', 'Z1101')) as t(sector_code, rome_code);
        create table dim_rome_metier as select *, 'v460' as version from (values ('Z1101', 'Un'), ('Z1102', 'Deux'),
            ('Z1103', 'Trois')) as t(rome_code, rome_label);
        create table bridge_rome_fap as select * from (values ('Z1101', 'Q9Z40'), ('Z1102', 'Q9Z40'),
            ('Z1102', 'Q9Z41')) as t(rome_code, fap2009_code);
        create table dim_rome_appellation as select * from (values ('1', 'Z1101', 'Titre', false))
            as t(appellation_code, rome_code, appellation_label, rarely_used);
        create table bridge_rome_item as select * from (values
            ('Z1101', '7', 'Souder', 'savoir_faire', null, null), ('Z1102', '7', 'Souder', 'savoir_faire', null, null),
            ('Z1102', '8', 'Nuit', 'contexte_travail', null, null), ('Z1103', '8', 'Nuit', 'contexte_travail', null,
            null)) as t(rome_code, item_code, item_label, item_kind, item_category, core);
        create table fct_projects_by_territory_metier_year (territory_type varchar, territory_code varchar,
            metier_code varchar, year integer, nomenclature varchar, projects double);
    """)
    for territory, metier, year, count in projects:
        nomenclature = "fap2009" if metier.startswith("Q9") else "fap2021"
        con.execute("insert into fct_projects_by_territory_metier_year values ('bassin_bmo', ?, ?, ?, ?, ?)",
                    [territory, metier, year, nomenclature, count])
    return con


def test_projects_of_the_latest_fap_2009_year_rank_the_rome_codes():
    con = world([("5314", "Q9Z40", 2019, 30), ("5314", "Q9Z41", 2019, 100), ("5314", "Q9Z40", 2018, 900),
                 ("5314", "Z9Z99", 2024, 5000), ("9999", "Q9Z41", 2020, 7)])
    result = skills.sector_skills(con, "btp", ("bassin_bmo", "5314"))
    assert (result["ranked_by"], result["year"]) == ("projects", 2019)
    # Z1102 sits in both FAP métiers (30 + 100), Z1101 in one (30); Z1103 has no FAP métier: last, no value
    assert [(metier["rome_code"], metier["value"]) for metier in result["metiers"]] == [
        ("Z1102", 130), ("Z1101", 30), ("Z1103", None)]
    assert [(item["item_code"], item["rome_codes"]) for item in result["shared"]] == [("7", ["Z1101", "Z1102"])]
    assert result["metiers"][0]["contexte_travail"] == [{"item_code": "8", "item_label": "Nuit",
                                                         "item_category": None, "core": None}]


def test_no_rome_referential_loaded_gives_no_metier():
    con = duckdb.connect()
    assert skills.sector_skills(con, "btp", ("bassin_bmo", "5314")) == {
        "version": None, "ranked_by": "code", "year": None, "metiers": [], "shared": []}
