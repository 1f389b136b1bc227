"""One answer to "latest": the warehouse's is_latest_zoning and is_latest_period, which every reader filters on."""

from pipelines import paths
from pipelines.ingest import importer
from pipelines.ingest.demo import write_bassins_csv, write_defm_csv
from pipelines.read import figures as read
from pipelines.report import figures
from pipelines.warehouse import build
from tests.conftest import WORLD_COMMUNES, marts, write_world


def seekers(commune, quarter, value):
    return {"date": quarter, "code_commune": commune, "categorie": "A", "sexe": "Ensemble",
            "tranche_d_age": "Ensemble", "nombre_de_demandeurs_d_emploi": value}


def test_a_bassin_only_an_older_zoning_has_counts_the_communes_its_facts_sum(no_demo, tmp_path):
    """Bassin 5390 exists only in the 2019 lexicon (Quimperlé); 5314 in both. Each territory is read in its own
    latest zoning: the commune count of dim_territory and the communes its job seekers sum agree."""
    for file in write_world(tmp_path / "dl", years=(2024,)):
        importer.import_file(file)
    quimperle = {**WORLD_COMMUNES[3], "bassin_code": "5390", "bassin_name": "ANCIEN BASSIN"}
    importer.import_file(write_bassins_csv(tmp_path / "lexique-2019.csv", [WORLD_COMMUNES[0], quimperle],
                                           layout="2019"))
    importer.import_file(write_defm_csv(tmp_path / "defm.csv", [
        seekers("35238", "2023-T4", 1000), seekers("35238", "2024-T4", 1100), seekers("35051", "2024-T4", 95),
        seekers("29233", "2023-T4", 40), seekers("29233", "2024-T4", 50)]))
    build.build(say=lambda m: None)
    con = marts(paths.MARTS_DB)
    latest = dict(con.execute("""select territory_code, zoning from bridge_territory_commune
        where territory_type = 'bassin_bmo' and is_latest_zoning group by all""").fetchall())
    assert latest == {"5314": "BMO 2024", "5313": "BMO 2024", "5319": "BMO 2024", "5390": "BMO 2019"}
    for bassin, communes, job_seekers in (("5390", 1, 50), ("5314", 2, 1195)):
        assert con.execute("""select commune_zoning, commune_count from dim_territory
            where territory_type = 'bassin_bmo' and territory_code = ?""", [bassin]).fetchall()[0][1] == communes
        assert con.execute("""select communes_with_data, job_seekers from fct_job_seekers_by_territory_quarter
            where territory_type = 'bassin_bmo' and territory_code = ? and is_latest_period""",
                           [bassin]).fetchall() == [(communes, job_seekers)]
        data = figures.key_figures(con, "bassin_bmo", bassin)
        assert data.territory["territory_communes"] == communes
        assert data.job_seekers["A"]["partial_coverage"] is None  # the sum covers the whole bassin
    assert read.territory_departements(con, "bassin_bmo", "5390") == ["29"]
    # France Travail's API is asked about today's bassins only, not one only an older lexicon has.
    assert read.bassins_meeting(con, "commune", "29233") == ["5319"]


def test_the_latest_period_is_flagged_once_per_territory(no_demo, tmp_path):
    for file in write_world(tmp_path / "dl", years=(2024,)):
        importer.import_file(file)
    importer.import_file(write_defm_csv(tmp_path / "defm.csv", [
        seekers("35238", "2023-T4", 1000), seekers("35238", "2024-T4", 1100), seekers("29233", "2023-T4", 40)]))
    build.build(say=lambda m: None)
    con = marts(paths.MARTS_DB)
    rows = dict(con.execute("""select territory_code, period from fct_job_seekers_by_territory_quarter
        where territory_type = 'commune' and is_latest_period""").fetchall())
    # Quimperlé's latest quarter is its own (2023-T4), not the newest of the file.
    assert {code: str(period) for code, period in rows.items()} == {"35238": "2024-10-01", "29233": "2023-10-01"}
    assert [row["quarter"] for row in read.latest_job_seekers(con, "commune", "29233")] == ["T4 2023"]
