"""DARES communal job seekers: reader, totals only, sums by territory; real files of other layouts refused."""

import pytest

from pipelines import paths
from pipelines.errors import InputError
from pipelines.ingest import importer
from pipelines.ingest.demo import write_defm_csv
from pipelines.report import figures
from pipelines.sources import dares_defm
from pipelines.warehouse import build
from tests.conftest import marts, real_file, write_world


def seekers(commune, quarter, category, value, sex="Ensemble", age="Ensemble"):
    return {"date": quarter, "code_commune": commune, "categorie": category, "sexe": sex, "tranche_d_age": age,
            "nombre_de_demandeurs_d_emploi": value}


ROWS = [
    seekers("35238", "2023-T4", "A", 1000), seekers("35238", "2024-T4", "A", 1100),
    seekers("35238", "2024-T4", "A", 600, sex="Femmes"),  # a breakdown: never added to the total
    seekers("35238", "2024-T4", "A", 200, age="Moins de 25 ans"),
    seekers("35051", "2024-T4", "A", 95), seekers("35051", "2023-T4", "A", 100),
    seekers("35238", "2024-T4", "Catégories A, B, C", 2000), seekers("35051", "2024-T4", "ABC", 150),
    seekers("29233", "2024-T4", "A", 50),
]


def test_reader_keeps_text_and_period(tmp_path):
    path = write_defm_csv(tmp_path / "export.csv", ROWS)
    assert dares_defm.recognise(path)
    table = dares_defm.read(path)
    assert (table.period, table.rows) == ("2023-T4/2024-T4", len(ROWS))
    assert list(table.frame.columns) == dares_defm.FIELDS


@pytest.mark.parametrize(("bad", "reason"), [({"date": "2024-Q4"}, "trimestre"),
                                             ({"nombre_de_demandeurs_d_emploi": "12,5"}, "nombre entier"),
                                             ({"code_commune": ""}, "commune_code vide")])
def test_bad_rows_are_refused(tmp_path, bad, reason):
    with pytest.raises(InputError, match=reason):
        dares_defm.read(write_defm_csv(tmp_path / "bad.csv", [*ROWS, {**ROWS[0], **bad}]))


@pytest.fixture
def built(no_demo, tmp_path):
    for file in write_world(tmp_path / "dl", years=(2024,)):
        importer.import_file(file)
    importer.import_file(write_defm_csv(tmp_path / "defm.csv", ROWS))
    build.build(say=lambda m: None)
    return marts(paths.MARTS_DB)


def test_totals_by_territory_and_change(built):
    rows = built.execute("""select territory_type, territory_code, category, job_seekers, communes_with_data,
        change_1y from fct_job_seekers_by_territory_quarter where period = '2024-10-01'
        and territory_code in ('5314', '35238', '5315') order by 1, 2, 3""").fetchall()
    assert rows == [
        ("bassin_bmo", "5314", "A", 1195, 2, pytest.approx(1195 / 1100 - 1)),
        ("bassin_bmo", "5314", "ABC", 2150, 2, None),
        ("commune", "35238", "A", 1100, 1, pytest.approx(0.1)),
        ("commune", "35238", "ABC", 2000, 1, None),
        ("zone_emploi", "5314", "A", 50, 1, None),  # INSEE 5314 is Quimperlé, not the bassin of Rennes
        ("zone_emploi", "5315", "A", 1195, 2, pytest.approx(1195 / 1100 - 1)),
        ("zone_emploi", "5315", "ABC", 2150, 2, None),
    ]
    data = figures.key_figures(built, "bassin_bmo", "5314", 2024)
    assert data.job_seekers["A"]["job_seekers"] == 1195 and data.job_seekers["ABC"]["quarter"] == "T4 2024"


def test_the_exports_traps_totals_and_paris_lyon_marseille_counted_once(no_demo, tmp_path):
    """Dares's export: fourth quarters only, "Total" summary rows, and Paris (Lyon, Marseille) both whole and by
    arrondissement: the totals are left out, each commune counted once, the chart says "au 4e trimestre"."""
    from pipelines.ingest.demo import write_bassins_csv, write_ze_workbook
    from pipelines.report.zoom import zoom
    from pipelines.report.zoom_charts import zoom_charts
    from tests.conftest import WORLD_COMMUNES

    places = [{"commune_code": code, "commune_name": name, "bassin_code": bassin, "bassin_name": name.upper(),
               "ze_code": ze, "ze_name": name, "dept_code": code[:2], "region_code": region}
              for code, name, bassin, ze, region in (("75056", "Paris", "1101", "1109", "11"),
                                                     ("69123", "Lyon", "8401", "8405", "84"),
                                                     ("13055", "Marseille", "9301", "9305", "93"))]
    # the BMO lexicon lists Paris whole and by arrondissement: one commune for the bassin, not three
    arrondissements = [{**places[0], "commune_code": code} for code in ("75101", "75102")]
    files = write_world(tmp_path / "dl", years=(2024,))
    write_bassins_csv(tmp_path / "dl" / "communes_bassins.csv", [*WORLD_COMMUNES, *places, *arrondissements])
    write_ze_workbook(tmp_path / "dl" / "ze.xlsx", [*WORLD_COMMUNES, *places])
    rows = [*ROWS, seekers("Total", "2024-T4", "A", 99_990), seekers("TOTAL", "2023-T4", "A", 99_000),
            seekers("75056", "2024-T4", "A", 500), seekers("75101", "2024-T4", "A", 200),
            seekers("75102", "2024-T4", "A", 300),  # Paris whole and by arrondissement: 500, not 1,000
            seekers("69381", "2024-T4", "A", 40), seekers("69382", "2024-T4", "A", 60),  # Lyon by arrondissement only
            seekers("13201", "2024-T4", "A", 30), seekers("13202", "2024-T4", "A", "")]  # one not published
    export = write_defm_csv(tmp_path / "dl" / "defm.csv", rows)
    table = dares_defm.read(export)
    assert not table.frame["commune_code"].str.lower().eq("total").any() and table.rows == len(rows) - 2
    for file in [*files, export]:
        importer.import_file(file)
    build.build(say=lambda m: None)
    with marts(paths.MARTS_DB) as con:
        got = dict(((kind, code), value) for kind, code, value in con.execute(
            "select territory_type, territory_code, job_seekers from fct_job_seekers_by_territory_quarter "
            "where period = '2024-10-01' and category = 'A'").fetchall())
        zoomed = zoom(con, "btp", "bassin_bmo", "5314")
        paris = figures.key_figures(con, "bassin_bmo", "1101").job_seekers["A"]
    assert (paris["job_seekers"], paris["partial_coverage"]) == (500, None)  # the whole bassin, not a partial sum
    assert got[("commune", "13055")] is None  # a sum missing an arrondissement is not Marseille's figure
    assert got[("commune", "75056")] == 500 and got[("departement", "75")] == 500 and got[("bassin_bmo", "1101")] == 500
    assert got[("commune", "69123")] == 100 and got[("departement", "69")] == 100
    assert ("commune", "75101") not in got
    assert got[("france", "FR")] == 1195 + 50 + 500 + 100  # the world's communes, Paris once, Lyon; no "Total"
    [chart] = [chart for chart in zoom_charts(zoomed) if chart.key == "demandeurs"]
    assert chart.title.startswith("Demandeurs d'emploi du territoire, tous métiers, au 4e trimestre de chaque année")


@pytest.mark.parametrize(("name", "reason"), [
    ("defm/emploi_demandeur.csv", "ré-exportées par un tiers"),
    ("defm/dares_serie_demandeurs_emploi_A_ABC.csv", "pas de territoire"),
])
def test_real_files_of_other_layouts_are_refused_clearly(no_demo, name, reason):
    with pytest.raises(InputError, match=reason):
        importer.import_file(real_file(name))


def test_a_newer_export_replaces_the_older_and_overlaps_are_refused(built, tmp_path):
    from pipelines.ingest import manifest

    built.close()  # DuckDB shares one instance per path in a process: let the rebuilt file be read
    newer = [*ROWS, seekers("35238", "2025-T1", "A", 1200)]
    result = importer.import_file(write_defm_csv(tmp_path / "defm-2025.csv", newer))
    assert (result.status, result.period) == ("remplacé", "2023-T4/2025-T1")
    build.build(say=lambda m: None)
    con = marts(paths.MARTS_DB)
    assert con.execute("""select job_seekers from fct_job_seekers_by_territory_quarter
        where territory_type = 'commune' and territory_code = '35238' and category = 'A'
        and period = '2024-10-01'""").fetchall() == [(1100,)]  # counted once
    overlapping = write_defm_csv(tmp_path / "defm-35-only.csv", [r for r in ROWS if r["code_commune"] != "29233"])
    with pytest.raises(InputError, match="(?s)dares_defm_rows_in_one_file_only.*35238"):
        importer.import_file(overlapping)
    assert len([e for e in manifest.load() if e["source"] == "dares_defm"]) == 1


def test_rows_twice_only_totals_and_row_numbers_past_a_total(tmp_path):
    with pytest.raises(InputError, match=r"ligne en double : commune 35238, 2024-T4, A \(ligne 4\)"):
        dares_defm.read(write_defm_csv(tmp_path / "twice.csv", [ROWS[1], ROWS[0], ROWS[1]]))
    with pytest.raises(InputError, match="aucune ligne de commune"):
        dares_defm.read(write_defm_csv(tmp_path / "totals.csv", [seekers("Total", "2024-T4", "A", 10)]))
    rows = [seekers("Total", "2024-T4", "A", 10), ROWS[0], {**ROWS[1], "date": "2024-Q4"}]
    with pytest.raises(InputError, match=r"« 2024-Q4 ».*\(ligne 4\)"):  # the file's row, the Total one counted
        dares_defm.read(write_defm_csv(tmp_path / "bad.csv", rows))


def test_an_export_without_all_sexes_rows_is_refused(tmp_path):
    only_breakdowns = [seekers("35238", "2024-T4", "A", 600, sex="Femmes"),
                       seekers("35238", "2024-T4", "A", 500, sex="Hommes")]
    with pytest.raises(InputError, match="pas de ligne « ensemble »"):
        dares_defm.read(write_defm_csv(tmp_path / "no-total.csv", only_breakdowns))
