"""Tension by FAP 2009 family (fct_tension_by_territory_family_year) on a hand-computed fixture: its métiers (FAP 2009
codes of the 2019 file, ROME codes through the DARES correspondence), the family's own published class, labels, the
ranking catalogue and `python -m pipelines rank --secteur famille:CODE`."""

import json

import duckdb
import pytest

from pipelines import paths
from pipelines.__main__ import main
from pipelines.ingest import importer
from pipelines.read import ranking
from pipelines.report import ranking as report
from pipelines.sources import dares_tensions, rome_fap
from pipelines.warehouse import build
from tests.conftest import write_world
from tests.warehouse.test_tension_marts import fap_row, rome_row

# The 2019 file (FAP 2009): family B2Z in départements 35, 44, 29 and région 53; M2Z in 35. The fixture's BMO survey
# is FAP 2021 (B1X...): no BMO figure for these families.
FAP_ROWS = [
    fap_row("B2Z40", 5),
    fap_row("B2Z41", 3, labour_shortage=1, working_conditions=5),
    # Not published: neither counted nor in the drivers' averages (its geographic mismatch 5 is left out).
    {**fap_row("B2Z42", None, geographic_mismatch=5), "tension_class": None},
    fap_row("B2Z", 4, niveau_fap="fap 87"),  # the family's own class
    fap_row("M2Z90", 2),
    fap_row("M2Z", 2, niveau_fap="fap 87"),
    {**fap_row("B2Z40", 4), "dep": "44"}, {**fap_row("B2Z41", 4), "dep": "44"},
    {**fap_row("B2Z", 5, niveau_fap="fap 87"), "dep": "44"},
    {**fap_row("B2Z40", 2), "dep": "29"},  # no "fap 87" row: no published class
    fap_row("B2Z40", 5, level="reg"), fap_row("B2Z", 3, level="reg", niveau_fap="fap 87"),
]
# The 2021 file (ROME × bassin), and the DARES correspondence: F1703 sits in two B2Z métiers (counted once in the
# family), M1805 in two families (counted in each), A1203 in none (in no family).
ROME_ROWS = [rome_row("F1703", 5), rome_row("M1805", 4), rome_row("A1203", 3)]
CORRESPONDENCE = [
    {"fap2009_code": "B2Z40", "rome_code": "F1703", "rome_label": "Maçonnerie"},
    {"fap2009_code": "B2Z41", "rome_code": "F1703", "rome_label": "Maçonnerie"},
    {"fap2009_code": "M2Z90", "rome_code": "M1805", "rome_label": "Études et développement informatique"},
    {"fap2009_code": "M1Z80", "rome_code": "M1805", "rome_label": "Études et développement informatique"},
]


@pytest.fixture
def families(no_demo, tmp_path):
    for file in write_world(tmp_path / "dl", years=(2024,)):
        importer.import_file(file)
    importer.import_file(dares_tensions.write_2019_csv(tmp_path / "t2019.csv", FAP_ROWS))
    importer.import_file(dares_tensions.write_2021_csv(tmp_path / "t2021.csv", ROME_ROWS))
    importer.import_file(rome_fap.write_fap225_rome_csv(tmp_path / "fap_rome.csv", CORRESPONDENCE))
    build.build(say=lambda m: None)
    con = duckdb.connect(str(paths.MARTS_DB), read_only=True)
    yield con
    con.close()


def family(con, territory_type, code, family_code):
    return con.execute("""select metiers, metiers_in_tension, tension_level, labour_shortage, working_conditions,
            geographic_mismatch, main_driver, published_tension_class
        from fct_tension_by_territory_family_year
        where territory_type = ? and territory_code = ? and family_code = ?""",
                       [territory_type, code, family_code]).fetchall()


def test_a_family_in_a_departement_by_hand(families):
    # B2Z40 (5) and B2Z41 (3) published, B2Z42 not: 2 métiers, 1 in tension, level (5 + 3) / 2; labour shortage
    # (5 + 1) / 2 = 3, working conditions (4 + 5) / 2 = 4.5 (the main driver), geographic mismatch 2 (B2Z42's 5
    # left out); the file's own class of the family: 4.
    assert family(families, "departement", "35", "B2Z") == [(2, 1, 4.0, 3.0, 4.5, 2.0, "working_conditions", 4)]
    assert family(families, "departement", "35", "M2Z") == [(1, 0, 2.0, 5.0, 4.0, 2.0, "labour_shortage", 2)]
    # The published class is the file's, not the average of the métiers' classes (4.0 here).
    assert family(families, "departement", "44", "B2Z")[0][:3] == (2, 2, 4.0)
    assert family(families, "departement", "44", "B2Z")[0][-1] == 5
    assert family(families, "departement", "29", "B2Z")[0][-1] is None  # no "fap 87" row
    assert family(families, "region", "53", "B2Z")[0][2:] == (5.0, 5.0, 4.0, 2.0, "labour_shortage", 3)


def test_rome_codes_reach_their_families_through_the_correspondence(families):
    assert family(families, "bassin_bmo", "5314", "B2Z") == [(1, 1, 5.0, 5.0, 4.0, 2.0, "labour_shortage", None)]
    assert family(families, "bassin_bmo", "5314", "M2Z")[0][:3] == (1, 1, 4.0)
    assert family(families, "bassin_bmo", "5314", "M1Z")[0][:3] == (1, 1, 4.0)
    codes = families.execute("""select distinct family_code from fct_tension_by_territory_family_year
        where territory_type = 'bassin_bmo' order by 1""").fetchall()
    assert codes == [("B2Z",), ("M1Z",), ("M2Z",)]  # A1203: in no family


def test_the_family_and_the_sector_marts_share_one_piece_of_sql():
    for mart in ("fct_tension_by_territory_family_year", "fct_tension_by_territory_sector_year"):
        assert "tension_by_territory(" in build.mart_sql(mart)


def test_families_are_named_by_their_metiers_without_a_labelled_file(families):
    labels = dict(ranking.sector_choices(families, "tension", "departement"))
    # The correspondence csv names no family and no FAP 2009 métier: its ROME codes' labels do, nomenclature said.
    assert labels["famille:B2Z"] == "Maçonnerie (FAP 2009)"
    choices = {row["spec"]: row["label"] for row in ranking.metier_choices(families)}
    assert choices["famille:B2Z"] == "Maçonnerie (FAP 2009)"
    assert choices["famille:B1X"].endswith("(FAP 2021)")  # the BMO files' families say theirs
    assert dict(ranking.sector_choices(families, "projets"))["famille:B1X"].endswith("(FAP 2021)")


def test_a_family_ranks_on_tension_and_on_its_published_class(families):
    result = ranking.rank(families, "tension", "famille:B2Z", "departement", "fr")
    by_code = {row["territory_code"]: row for row in result.table.to_dict("records")}
    assert [(by_code[c]["value"], by_code[c]["rank"], by_code[c]["tied"]) for c in ("35", "44", "29")] == [
        (4.0, 1, True), (4.0, 1, True), (2.0, 3, False)]
    published = ranking.rank(families, "tension_publiee", "famille:B2Z", "departement", "fr")
    assert list(published.table["territory_code"][:2]) == ["44", "35"] and published.missing == 1  # 29: none
    assert "famille de métiers FAP B2Z : Maçonnerie (FAP 2009)" in report.ranking_view(
        families, "tension", "famille:B2Z", "departement", "fr").title


def test_the_published_class_is_offered_where_the_file_has_it(families):
    choices = ranking.indicator_choices(families, "departement", "famille", "famille:B2Z")
    assert choices == ["tension", "metiers_en_tension", "tension_publiee"]  # no BMO figure: FAP 2021 survey
    assert ranking.indicator_choices(families, "bassin_bmo", "famille", "famille:B2Z") == [
        "tension", "metiers_en_tension"]
    assert "tension_publiee" not in ranking.indicator_choices(families, "departement", "secteur")
    with pytest.raises(ranking.RankingError, match="pas publié à ce niveau.*niveaux : dep, reg"):
        ranking.rank(families, "tension_publiee", "famille:B2Z", "bassin_bmo", "fr")


def test_the_command_line_ranks_a_family_on_tension(families, capsys):
    code = main(["rank", "--secteur", "famille:B2Z", "--indicateur", "tension", "--territory", "dep:35",
                 "--format", "json"])
    out, _ = capsys.readouterr()
    assert code == 0
    data = json.loads(out)
    assert data["territoire"]["value"] == 4.0 and data["territoire"]["rank"] == 1 and data["territoire"]["tied"]
    assert "famille de métiers FAP B2Z" in data["titre"] and data["classes"] == 3
