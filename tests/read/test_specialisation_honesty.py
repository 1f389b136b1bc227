"""Figure honesty of location quotients and shift-share (issue 12 review), on a small world written directly into
the marts' tables (fictitious values), every expectation computed by hand:

URSSAF (employees), France 'aggregate' (complete); 2022 -> 2023:
  France  ensemble 1000 -> 1100; AZ 100 -> 100, FZ 200 -> 220, JC 700 -> 780; sectors agriculture 100, btp 200 -> 220
  EPCI E1 (2 communes) ensemble 100 -> 120 (AZ 10, FZ 40 -> 50, JC 50 -> 60); 1 commune loaded in 2022, 2 in 2023
  EPCI E2 (commune count unknown) ensemble 10 (AZ 5, FZ 5) both years, 1 commune loaded
  Commune 35238: sectors only (ensemble 50, btp 20): the A38 mart has no commune rows
BMO 2024 (projects): France 1000 (B2X 100); bassin B1 100 with 2 secret cells in its total (B2X 30, none secret).
"""

import duckdb
import pytest

from pipelines.read import specialisation
from pipelines.report import specialisation as report
from tests.similar_world import _table

YEARS = (2022, 2023)


def _urssaf_rows(kind, code, basis, loaded, a38, sectors):
    """a38 / sectors: {code: (2022, 2023)}; loaded: communes with data (2022, 2023)."""
    a38_rows, sector_rows = [], []
    for index, year in enumerate(YEARS):
        common = {"territory_type": kind, "territory_code": code, "year": year, "is_demo": False}
        if a38:
            a38_rows += [common | {"a38_code": section, "employees": values[index]} for section, values in a38.items()]
            a38_rows.append(common | {"a38_code": "ensemble",
                                      "employees": sum(values[index] for values in a38.values())})
        sector_rows += [common | {"sector_code": sector, "employees": values[index], "basis": basis,
                                  "communes_with_data": loaded[index]} for sector, values in sectors.items()]
    return a38_rows, sector_rows


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    path = tmp_path_factory.mktemp("honesty") / "marts.duckdb"
    connection = duckdb.connect(str(path))
    _table(connection, "dim_territory", [
        {"territory_type": kind, "territory_code": code, "territory_name": name, "commune_count": communes,
         "region_code": "53", "dept_code": "35"}
        for kind, code, name, communes in (("france", "FR", "France", 35000), ("epci", "E1", "Un", 2),
                                           ("epci", "E2", "Deux", None), ("commune", "35238", "Rennes", 1),
                                           ("bassin_bmo", "B1", "Bassin un", 2))])
    a38, sectors = [], []
    for rows in (
        _urssaf_rows("france", "FR", "aggregate", (None, None), {"AZ": (100, 100), "FZ": (200, 220), "JC": (700, 780)},
                     {"ensemble": (1000, 1100), "agriculture": (100, 100), "btp": (200, 220)}),
        _urssaf_rows("epci", "E1", "communes", (1, 2), {"AZ": (10, 10), "FZ": (40, 50), "JC": (50, 60)},
                     {"ensemble": (100, 120), "agriculture": (10, 10), "btp": (40, 50)}),
        _urssaf_rows("epci", "E2", "communes", (1, 1), {"AZ": (5, 5), "FZ": (5, 5)},
                     {"ensemble": (10, 10), "agriculture": (5, 5), "btp": (5, 5)}),
        _urssaf_rows("commune", "35238", "communes", (1, 1), {},
                     {"ensemble": (50, 50), "agriculture": (0, 0), "btp": (20, 20)}),
    ):
        a38 += rows[0]
        sectors += rows[1]
    _table(connection, "fct_employment_by_territory_a38_year", a38)
    _table(connection, "fct_employment_by_territory_sector_year", sectors)
    _table(connection, "dim_sector", [
        {"sector_code": "agriculture", "label": "Agriculture", "parent_code": None, "sort_order": 1,
         "caveat_naf": "Les employeurs agricoles relèvent surtout de la MSA."},
        {"sector_code": "btp", "label": "BTP", "parent_code": None, "sort_order": 2, "caveat_naf": None}])
    _table(connection, "dim_a38", [{"a38_code": code, "short_label": label, "sort_order": order}
                                   for order, (code, label) in enumerate((("AZ", "Agriculture"), ("FZ", "Construction"),
                                                                          ("JC", "Informatique"),
                                                                          ("ensemble", "Toutes")))])
    projects = [{"territory_type": kind, "territory_code": code, "year": 2024, "projects": value,
                 "secret_cells": secret, "is_demo": False}
                for kind, code, value, secret in (("france", "FR", 1000, 0), ("bassin_bmo", "B1", 100, 2))]
    _table(connection, "fct_projects_by_territory_sector_year",
           [row | {"sector_code": "ensemble"} for row in projects]
           + [row | {"sector_code": "btp", "projects": row["projects"] // 10 * (3 if row["territory_code"] == "B1"
                                                                                  else 1), "secret_cells": 0}
              for row in projects])
    _table(connection, "fct_projects_by_territory_family_year",
           [row | {"family_code": "ensemble"} for row in projects]
           + [row | {"family_code": "B2X", "projects": 30 if row["territory_code"] == "B1" else 100, "secret_cells": 0}
              for row in projects])
    _table(connection, "dim_fap_family", [{"family_code": "B2X", "label": "Ouvriers du bâtiment",
                                           "metier_labels": ["Maçons"], "metiers": 1}])
    yield connection
    connection.close()


def by_code(rows):
    return {row.code: row for row in rows}


def test_no_a38_detail_by_commune_and_the_reason_said(con):
    result = specialisation.location_quotients(con, "commune", "35238")
    assert result.details == []  # not 0,000 "sous-représenté" for every section
    assert "commune" in result.details_missing and "EPCI" in result.details_missing
    assert by_code(result.sectors)["btp"].quotient == pytest.approx((20 / 50) / (220 / 1100))
    text = report.specialisation_text(result)
    assert result.details_missing in text and "0,00" not in text
    assert specialisation.location_quotients(con, "epci", "E1").details_missing is None


def test_bmo_quotients_partial_when_the_total_has_secret_cells(con):
    result = specialisation.location_quotients(con, "bassin_bmo", "B1", source="bmo")
    assert result.coverage.partial  # 2 secret cells in the whole, none in B2X itself
    family = by_code(result.details)["B2X"]
    assert family.quotient == pytest.approx((30 / 100) / (100 / 1000)) and family.status == "partiel"
    assert report.quotient_text(family) == "≈ 3,00 (partiel)"


def test_unknown_commune_count_is_partial_everywhere(con):
    result = specialisation.location_quotients(con, "epci", "E2")
    assert result.coverage.partial
    assert by_code(result.details)["FZ"].status == "partiel"
    assert any("nombre de communes du territoire inconnu" in note for note in report.specialisation_notes(result))
    complete = specialisation.location_quotients(con, "epci", "E1", year=2023)
    assert by_code(complete.details)["FZ"].status == "ok"


def test_ranking_and_specialisation_share_the_commune_rule():
    from pipelines.read import ranking

    cases = ((1, None, True), (1, 0, True), (1, 2, True), (2, 2, False), (None, 2, False))
    con = duckdb.connect()
    for loaded, communes, partial in cases:
        sql = (f"select {ranking.COMMUNES_INCOMPLETE} as partial "
               "from (select ?::integer as communes_with_data) as fact, (select ?::integer as commune_count) as place")
        assert con.execute(sql, [loaded, communes]).fetchone()[0] is partial, (loaded, communes)
        assert specialisation.Coverage(1, 1, loaded, communes).partial is partial, (loaded, communes)


def test_shift_share_partial_when_the_start_year_is(con):
    result = specialisation.shift_share(con, "epci", "E1")
    assert (result.start_year, result.end_year) == (2022, 2023)
    assert not result.coverage.partial  # 2 communes of 2 in 2023 ...
    assert result.partial and result.communes_differ  # ... but 1 of 2 in 2022
    assert all(value.startswith("≈ ") for value in report.shift_shown(result)["Évolution"])
    notes = " ".join(report.shift_notes(result))
    assert "2022 : " in notes and "ne sont pas les mêmes" in notes
    assert set(report.shift_table(result)["Statut"]) == {"partiel"}


def test_urssaf_agriculture_quotient_is_not_representative(con):
    result = specialisation.location_quotients(con, "epci", "E1")
    agriculture = by_code(result.sectors)["agriculture"]
    assert agriculture.status == "non_representatif"
    assert report.quotient_text(agriculture) == "non représentatif" and report.band_label(agriculture) == ""
    table = report.quotient_table(result, result.sectors)
    assert table.loc[table["Code"] == "agriculture", report.QUOTIENT_COLUMN].item() == "non représentatif"
    assert any("MSA" in note for note in report.specialisation_notes(result))
    bars = report.quotient_chart(result, result.sectors, "t").data[0]
    assert list(bars.y) == ["BTP"]


def test_shift_table_rounds_effects_that_add_up(con):
    from dataclasses import replace

    result = specialisation.shift_share(con, "epci", "E1")
    # By hand: effects 0.45 + 0.45 + 0.1 = 1: rounded one by one to a tenth they make 1.1, to units 0.
    odd = replace(result.total, change=1.0, national=0.45, mix=0.45, local=0.1)
    table = report.shift_table(replace(result, rows=[odd], total=odd))
    effects = table[["Effet national (postes)", "Effet structurel (postes)", "Effet local (postes)"]]
    assert list(effects.sum(axis=1)) == list(table["Évolution (postes)"]) == [1, 1]
    assert sorted(effects.iloc[0]) == [0, 0, 1]
    for row in [*result.rows, result.total]:
        assert sum(report.rounded_effects(row)) == round(row.change)
    negative = replace(result.total, change=-2.0, national=-0.6, mix=-0.7, local=-0.7)
    assert report.rounded_effects(negative) == (0, -1, -1)  # floors -1 -1 -1, one back to the largest rest (.4)
