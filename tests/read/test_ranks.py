"""Ranks, ties, percentiles, scopes and secret counts of pipelines.read.ranking, on a small world whose expectations
are computed by hand below."""

import duckdb
import pandas as pd
import pytest

from pipelines import paths
from pipelines.ingest import importer
from pipelines.ingest.demo import write_bassins_csv, write_bmo_workbook, write_ze_workbook
from pipelines.read import ranking
from pipelines.warehouse import build
from tests.conftest import cell


def place(commune, name, bassin, bassin_name, dept, region):
    return {"commune_code": commune, "commune_name": name, "bassin_code": bassin, "bassin_name": bassin_name,
            "ze_code": "Z" + bassin, "ze_name": f"Zone {name}", "dept_code": dept, "region_code": region}


# Région 53: bassins 5301 (dep 35), 5302 (dep 35), 5303 (dep 29), 5304 (dep 29), 5305 (dep 29, all secret),
# 5306 (communes in dep 35 and 56: no single département); région 52: bassin 5201 (dep 44).
RANK_COMMUNES = [
    place("35001", "Alpha", "5301", "ALPHA", "35", "53"), place("35002", "Bravo", "5302", "BRAVO", "35", "53"),
    place("29001", "Charlie", "5303", "CHARLIE", "29", "53"), place("29002", "Delta", "5304", "DELTA", "29", "53"),
    place("29003", "Echo", "5305", "ECHO", "29", "53"), place("35003", "Fox", "5306", "FOX", "35", "53"),
    place("56001", "Fox sud", "5306", "FOX", "56", "53"), place("44001", "Golf", "5201", "GOLF", "44", "52"),
]
# BTP (B1X31) projects / difficult / seasonal. 5302 and 5303 tie at 50 projects; 5304 has a secret cell beside a
# published one (its sum leaves it out: incomplete); 5305's only cell is secret.
RANK_BMO = [
    cell("5301", "35", "B1X31", 100, 50, 10, bassin_name="ALPHA"),
    cell("5302", "35", "B1X31", 50, 40, 0, bassin_name="BRAVO"),
    cell("5303", "29", "B1X31", 50, 10, "*", bassin_name="CHARLIE"),
    cell("5304", "29", "B1X31", 20, 5, 5, bassin_name="DELTA"),
    cell("5304", "29", "B0X30", "*", "*", "*", bassin_name="DELTA"),
    cell("5305", "29", "B1X31", "*", "*", "*", bassin_name="ECHO"),
    cell("5306", "35", "B1X31", 6, 3, 0, bassin_name="FOX"),
    cell("5306", "56", "B1X31", 4, 2, "*", bassin_name="FOX"),
    cell("5201", "44", "B1X31", 500, 100, 50, region="52", bassin_name="GOLF"),
    # the build checks that every sector has métiers: one each, elsewhere
    *(cell("5201", "44", metier, 9, 1, 1, region="52", bassin_name="GOLF") for metier in ("M2X90", "E3X20", "A1X40")),
]


@pytest.fixture
def ranked_world(no_demo, tmp_path):
    folder = tmp_path / "downloads"
    importer.import_files([write_bmo_workbook(folder / "bmo2024.xlsx", 2024, RANK_BMO),
                           write_bassins_csv(folder / "bassins.csv", RANK_COMMUNES),
                           write_ze_workbook(folder / "ze.xlsx", RANK_COMMUNES)])
    build.build(say=lambda message: None)
    con = duckdb.connect(str(paths.MARTS_DB), read_only=True)
    yield con
    con.close()


def rows(result):
    return {row["territory_code"]: row for row in result.table.to_dict("records")}


def test_france_ranks_ties_and_percentiles_by_hand(ranked_world):
    result = ranking.rank(ranked_world, "projets", "btp", "bassin_bmo", "fr", 2024)
    # Values high to low: 5201 500, 5301 100, 5302 = 5303 50, 5304 20, 5306 10 (6 + 4); 5305 secret.
    got = rows(result)
    assert [got[code]["rank"] for code in ("5201", "5301", "5302", "5303", "5304", "5306")] == [1, 2, 3, 3, 5, 6]
    assert got["5302"]["tied"] and got["5303"]["tied"] and not got["5301"]["tied"]
    # percentile: share of the 5 other ranked bassins strictly below.
    assert [got[code]["percentile"] for code in ("5201", "5301", "5302", "5303", "5304", "5306")] == \
        pytest.approx([5 / 5, 4 / 5, 2 / 5, 2 / 5, 1 / 5, 0 / 5])
    assert got["5305"]["secret"] and pd.isna(got["5305"]["rank"]) and pd.isna(got["5305"]["value"])
    assert (result.ranked, result.secret, result.missing, result.incomplete) == (6, 1, 0, 1)
    assert got["5304"]["incomplete"] and not got["5301"]["incomplete"]
    assert result.median == pytest.approx((50 + 50) / 2)
    assert list(result.table["territory_code"])[:6] == ["5201", "5301", "5302", "5303", "5304", "5306"]
    assert list(result.table["territory_code"])[-1] == "5305"  # unranked last


def test_region_scope_and_a_bassin_across_departements(ranked_world):
    result = ranking.rank(ranked_world, "projets", "btp", "bassin_bmo", "reg:53", 2024)
    got = rows(result)
    assert "5201" not in got
    assert [got[code]["rank"] for code in ("5301", "5302", "5303", "5304", "5306")] == [1, 2, 2, 4, 5]
    assert [got[code]["percentile"] for code in ("5301", "5302", "5303", "5304", "5306")] == \
        pytest.approx([1, 2 / 4, 2 / 4, 1 / 4, 0])
    # 5306 has communes in 35 and 56: ranked in each département's scope, flagged as straddling it.
    in_35 = rows(ranking.rank(ranked_world, "projets", "btp", "bassin_bmo", "dep:35", 2024))
    assert set(in_35) == {"5301", "5302", "5306"}
    assert [in_35[code]["rank"] for code in ("5301", "5302", "5306")] == [1, 2, 3]
    assert in_35["5306"]["straddles"] and not in_35["5301"]["straddles"]
    in_56 = ranking.rank(ranked_world, "projets", "btp", "bassin_bmo", "dep:56", 2024)
    assert list(in_56.table["territory_code"]) == ["5306"] and in_56.table["percentile"].isna().all()


def test_shares_rank_unrounded_and_lower_bounds_count_as_incomplete(ranked_world):
    result = ranking.rank(ranked_world, "part_saisonniers", "btp", "bassin_bmo", "fr", 2024)
    got = rows(result)
    # seasonal / projects: 5304 5/20 = .25, 5201 50/500 = .1, 5301 10/100 = .1 (tie), 5302 0/50, 5306 0/10 (tie):
    # 5306's second seasonal cell is secret, its share a lower bound (ranked, counted incomplete). 5303's only
    # seasonal cell is secret: no share ("s"), like 5305's.
    assert got["5304"]["rank"] == 1 and got["5201"]["rank"] == got["5301"]["rank"] == 2
    assert got["5302"]["rank"] == got["5306"]["rank"] == 4 and got["5306"]["tied"]
    assert got["5306"]["incomplete"] and not got["5302"]["incomplete"]
    assert got["5303"]["secret"] and got["5305"]["secret"]
    assert (result.ranked, result.secret, result.incomplete) == (5, 2, 1)


def test_a_fap_family_is_ranked_from_its_own_mart(ranked_world):
    # Family B1X holds B1X31 only: the BTP ranks, but 5304's secret cell is B0X30's (family B0X): complete.
    result = ranking.rank(ranked_world, "projets", "famille:B1X", "bassin_bmo", "fr", 2024)
    got = rows(result)
    assert [got[code]["rank"] for code in ("5201", "5301", "5302", "5303", "5304", "5306")] == [1, 2, 3, 3, 5, 6]
    assert (result.ranked, result.secret, result.incomplete) == (6, 1, 0) and result.sector == "famille:B1X"
    assert ("famille:B1X", "Métier B1X31 (FAP 2021)") in ranking.sector_choices(ranked_world, "projets")
    assert "famille" not in {table.dimension for table in ranking.tables(ranked_world, "emploi")}


def test_what_cannot_be_ranked_says_why(ranked_world):
    with pytest.raises(ranking.RankingError, match="inconnu"):
        ranking.rank(ranked_world, "nimporte", "btp", "bassin_bmo", "fr")
    with pytest.raises(ranking.RankingError, match="plus large"):
        ranking.rank(ranked_world, "projets", "btp", "departement", "dep:35")
    with pytest.raises(ranking.RankingError, match="2019"):
        ranking.rank(ranked_world, "projets", "btp", "bassin_bmo", "fr", 2019)
    with pytest.raises(ranking.RankingError, match="pas publié à ce niveau"):
        ranking.rank(ranked_world, "projets", "btp", "commune", "fr")
    with pytest.raises(ranking.RankingError, match="invalide"):
        ranking.rank(ranked_world, "projets", "fap:<b>", "bassin_bmo", "fr")
    with pytest.raises(ranking.RankingError, match="invalide"):
        ranking.parse_scope("dep:'; drop")


def test_every_indicator_is_read_from_a_mart_column_that_exists(demo_marts):
    con = duckdb.connect(str(demo_marts), read_only=True)
    try:
        by_sector = ranking.indicator_choices(con)
        # A FAP 2009 family's published class exists for families only (their mart alone has the column).
        assert by_sector == [code for code in ranking.INDICATORS if code != "tension_publiee"]
        assert "tension_publiee" in ranking.indicator_choices(con, "departement", "famille", "famille:B2Z")
        for code in ranking.INDICATORS:
            sector = "ensemble" if code in by_sector else "famille:B2Z"
            table = ranking.table_for(con, code, sector)
            result = ranking.rank(con, code, sector, ranking.levels_of(table, code)[-1], "fr")
            assert result.ranked > 0, code
    finally:
        con.close()


# URSSAF for two of the small world's three bassin communes: Rennes (35238, bassin 5314, whose other commune 35051
# is missing) and Redon (35236, bassin 5313); Quimperlé (bassin 5319) has none.
URSSAF_PART = [
    {"region_code": "53", "dept_code": "35", "ze_code": "5315", "epci_code": "", "commune_code": "35238",
     "ape_code": "4120A", "values": {2022: (10, 100), 2023: (11, 120)}},
    {"region_code": "53", "dept_code": "35", "ze_code": "5313", "epci_code": "", "commune_code": "35236",
     "ape_code": "4120A", "values": {2022: (3, 30), 2023: (3, 36)}},
]


def test_urssaf_sums_over_part_of_a_territory_are_incomplete_and_changes_tie_unrounded(no_demo, tmp_path):
    from pipelines.ingest.demo import write_urssaf_csv
    from tests.conftest import write_world

    importer.import_files([*write_world(tmp_path / "dl", years=(2024,)),
                           write_urssaf_csv(tmp_path / "urssaf.csv", URSSAF_PART, (2022, 2023))])
    build.build(say=lambda message: None)
    con = duckdb.connect(str(paths.MARTS_DB), read_only=True)
    try:
        result = ranking.rank(con, "emploi", "ensemble", "bassin_bmo", "fr")
        got = rows(result)
        assert result.year == 2023 and (got["5314"]["value"], got["5313"]["value"]) == (120, 36)
        assert got["5314"]["incomplete"] and not got["5313"]["incomplete"]  # 1 of 5314's 2 communes loaded
        # 5319 (Quimperlé) and 2201 (Nantes, of the BMO file) have no URSSAF commune: "n.d."
        assert (result.ranked, result.incomplete, result.missing) == (2, 1, 2)
        change = rows(ranking.rank(con, "emploi_evolution_1an", "ensemble", "bassin_bmo", "fr", 2023))
        # 120 / 100 - 1 = 36 / 30 - 1 = +20 %: a tie on the unrounded values
        assert change["5314"]["rank"] == change["5313"]["rank"] == 1 and change["5313"]["tied"]
    finally:
        con.close()
