"""`build` on the small world of conftest: figures checked by hand, secrets, checks, atomic swap."""

import pytest

from pipelines import paths
from pipelines.errors import BuildError, InputError
from pipelines.ingest import importer, manifest
from pipelines.ingest.demo import write_bmo_workbook
from pipelines.warehouse import build
from tests.conftest import WORLD_2024, WORLD_2025, WORLD_FAP2009, cell, marts, write_world


def sector_row(con, territory_type, code, sector, year):
    return con.execute("""
        select projects, difficult, seasonal, difficult_share, seasonal_share, projects_change, secret_cells
        from fct_projects_by_territory_sector_year
        where territory_type = ? and territory_code = ? and sector_code = ? and year = ?""",
                       [territory_type, code, sector, year]).fetchall()[0]


def test_sector_figures_for_a_bassin(world):
    con = marts(world)
    assert sector_row(con, "bassin_bmo", "5314", "btp", 2024)[:3] == (120, 95, 15)
    assert sector_row(con, "bassin_bmo", "5314", "travaux_publics", 2024)[:3] == (20, 15, 5)
    assert sector_row(con, "bassin_bmo", "5314", "numerique", 2024)[:3] == (50, 30, 0)
    assert sector_row(con, "bassin_bmo", "5314", "iaa", 2024)[:3] == (40, 10, 20)
    assert sector_row(con, "bassin_bmo", "5314", "agriculture", 2024)[:3] == (30, 12, 24)
    everything = sector_row(con, "bassin_bmo", "5314", "ensemble", 2024)
    assert everything[:3] == (300, 177, 89)
    assert everything[3] == pytest.approx(177 / 300) and everything[4] == pytest.approx(89 / 300)
    assert everything[6] == 1  # J1X80 is secret: not counted, but reported


def test_change_from_the_previous_year(world):
    con = marts(world)
    assert sector_row(con, "bassin_bmo", "5314", "ensemble", 2025)[5] == pytest.approx(320 / 300 - 1)
    assert sector_row(con, "bassin_bmo", "5314", "btp", 2025)[5] == pytest.approx(140 / 120 - 1)
    assert sector_row(con, "bassin_bmo", "5314", "btp", 2024)[5] is None


def test_bassin_spanning_two_departements_sums_to_each(world):
    con = marts(world)
    assert sector_row(con, "bassin_bmo", "5313", "btp", 2024)[:3] == (17, 16, 0)
    assert sector_row(con, "departement", "35", "ensemble", 2024)[0] == 310
    assert sector_row(con, "departement", "44", "ensemble", 2024)[0] == 221
    assert sector_row(con, "region", "52", "ensemble", 2024)[0] == 221
    assert sector_row(con, "france", "FR", "ensemble", 2024)[0] == 531
    assert sector_row(con, "france", "FR", "btp", 2024)[0] == 137


def test_secrets_are_null_with_a_flag_never_zero(world):
    con = marts(world)
    rows = con.execute("""select projects, difficult, projects_secret, difficult_secret
        from fct_projects_by_bassin_dept_metier_year where metier_code = 'J1X80'""").fetchall()
    assert rows == [(None, None, True, True)]
    ranked = con.execute("""select rank, projects, secret_cells from fct_metier_rank_by_territory_sector_year
        where territory_code = '5314' and sector_code = 'ensemble' and year = 2024 order by rank""").fetchall()
    assert [r[1] for r in ranked] == [100, 60, 50, 40, 30, 20, None]
    assert ranked[-1] == (7, None, 1)


def test_territories_never_mix_bmo_and_insee_codes(world):
    con = marts(world)
    names = dict(con.execute("""select territory_type, territory_name from dim_territory
        where territory_code = '5314'""").fetchall())
    assert names == {"bassin_bmo": "RENNES", "zone_emploi": "Quimperlé"}
    counts = dict(con.execute("""select territory_type || ':' || territory_code, commune_count from dim_territory
        where territory_type in ('bassin_bmo', 'zone_emploi')""").fetchall())
    assert counts["bassin_bmo:5314"] == 2 and counts["zone_emploi:5315"] == 2 and counts["zone_emploi:5314"] == 1


def test_metiers_are_mapped_to_sectors_and_unknown_codes_listed(no_demo, tmp_path):
    rows = [*WORLD_2024, cell("5314", "35", "ZZ_9", 4, 1, 1, label="Code inconnu")]
    for file in write_world(tmp_path / "dl", years=()):
        importer.import_file(file)
    importer.import_file(write_bmo_workbook(tmp_path / "bmo.xlsx", 2024, rows))
    result = build.build(say=lambda m: None)
    assert result.unmapped_metiers == ["ZZ_9"]
    con = marts(paths.MARTS_DB)
    assert sector_row(con, "bassin_bmo", "5314", "ensemble", 2024)[0] == 304
    sectors = dict(con.execute("select metier_code, list(sector_code order by sector_code) from bridge_sector_metier "
                               "where sector_code <> 'ensemble' group by 1").fetchall())
    assert sectors["B0X30"] == ["btp", "travaux_publics"] and sectors["A1X40"] == ["agriculture"]
    assert "S1X40" not in sectors
    main_sector = dict(con.execute("select metier_code, sector_code from dim_metier").fetchall())
    assert main_sector["B0X30"] == "btp" and main_sector["M2X90"] == "numerique" and main_sector["S1X40"] is None


def test_2019_layout_uses_fap_2009_definitions_and_flags_the_break(no_demo, tmp_path):
    for file in write_world(tmp_path / "dl", years=(2024,)):
        importer.import_file(file)
    importer.import_file(write_bmo_workbook(tmp_path / "bmo2023.xlsx", 2023, WORLD_FAP2009, layout="2019"))
    build.build(say=lambda m: None)
    con = marts(paths.MARTS_DB)
    assert sector_row(con, "bassin_bmo", "5314", "btp", 2023)[0] == 102
    assert sector_row(con, "bassin_bmo", "5314", "numerique", 2023)[0] == 40
    assert sector_row(con, "bassin_bmo", "5314", "travaux_publics", 2023)[0] == 12
    breaks = con.execute("""select nomenclature_break, projects_change from fct_projects_by_territory_sector_year
        where territory_code = '5314' and sector_code = 'btp' and year = 2024""").fetchall()
    assert breaks == [(True, None)]  # no change across two nomenclatures


IMPOSSIBLE_2024 = [*WORLD_2024[:-1], cell("2201", "44", "E3X20", 9, 12, 1, region="52")]  # difficult > projects


def test_import_refuses_a_file_that_fails_the_checks(world, tmp_path):
    marts_before = world.read_bytes()
    raw_before = {p: p.read_bytes() for p in paths.RAW_DIR.rglob("*") if p.is_file()}
    with pytest.raises(InputError, match="(?s)corrected.xlsx.*difficult_and_seasonal_within_projects.*2201.*E3X20"):
        importer.import_file(write_bmo_workbook(tmp_path / "corrected.xlsx", 2024, IMPOSSIBLE_2024))
    assert {p: p.read_bytes() for p in paths.RAW_DIR.rglob("*") if p.is_file()} == raw_before
    assert world.read_bytes() == marts_before


def test_failed_checks_leave_the_previous_marts_byte_identical(world, tmp_path):
    """A raw file that fails the checks at build time (say, loaded before a check existed)."""
    before = world.read_bytes()
    entries = manifest.load()
    entry = next(e for e in entries if e["source"] == "bmo" and e["period"] == "2024")
    bad = write_bmo_workbook(paths.RAW_DIR / entry["path"], 2024, IMPOSSIBLE_2024)
    entry.update(sha256=manifest.sha256_of(bad), bytes=bad.stat().st_size)
    manifest.save(entries)
    with pytest.raises(BuildError, match="(?s)difficult_and_seasonal_within_projects.*bassin 2201.*E3X20"):
        build.build(say=lambda m: None)
    assert world.read_bytes() == before
    assert list(paths.MARTS_DIR.glob("*.building.*")) == []


def test_a_sector_emptied_by_a_nomenclature_change_stops_the_build(no_demo, tmp_path):
    for file in write_world(tmp_path / "dl", years=()):
        importer.import_file(file)
    only_btp = write_bmo_workbook(tmp_path / "b.xlsx", 2024, [cell("5314", "35", "B1X31", 5, 1, 1)])
    with pytest.raises(InputError, match="(?s)every_sector_has_metiers.*numerique"):
        importer.import_file(only_btp)
    assert not paths.MARTS_DB.exists() and [e["source"] for e in manifest.load()] == ["bmo_bassins", "insee_ze"]


def test_a_raw_file_changed_after_import_is_detected(world):
    entry = next(e for e in manifest.load() if e["source"] == "bmo")
    raw = paths.RAW_DIR / entry["path"]
    raw.write_bytes(raw.read_bytes()[:-10])
    with pytest.raises(BuildError, match="sha256"):
        build.build(say=lambda m: None)


def test_one_real_file_sets_every_demo_file_aside(data_dir, tmp_path, capsys):
    """Issue 9: a fictitious figure never sits beside a real one. One real (imported) file, of one source, and
    no demo file of any source is used any more: the marts hold no demo row at all, and say what was set aside."""
    from pipelines.__main__ import main

    build.build(say=lambda m: None)
    con = marts(paths.MARTS_DB)
    assert con.execute("select bool_and(demo) from meta_sources").fetchall() == [(True,)]
    assert con.execute("select count(*) from meta_set_aside").fetchall() == [(0,)]
    con.close()
    importer.import_file(write_bmo_workbook(tmp_path / "bmo.xlsx", 2024, WORLD_2024))  # demo=False, as imported
    result = build.build(say=lambda m: None)
    demo_files = manifest.load(paths.DEMO_MANIFEST)
    con = marts(paths.MARTS_DB)
    try:
        assert con.execute("select source, period, demo from meta_sources").fetchall() == [("bmo", "2024", False)]
        flagged = con.execute("""select table_name, column_name from information_schema.columns
                                 where column_name like '%is_demo'""").fetchall()
        assert len(flagged) > 15  # every fact and dimension carrying a flag is looked at
        for table, column in flagged:
            assert con.execute(f"select count(*) from {table} where {column}").fetchall() == [(0,)], table
        set_aside = con.execute("select path, reason from meta_set_aside").fetchall()
    finally:
        con.close()
    assert sorted(path for path, _ in set_aside) == sorted(entry["path"] for entry in demo_files)
    assert {reason for _, reason in set_aside} == {manifest.DEMO_SET_ASIDE_REASON}
    assert result.demo_sources == [] and "urssaf" in result.not_loaded and "bmo" not in result.not_loaded

    assert main(["status"]) == 0
    status = capsys.readouterr().out
    assert status.count("non (mis de côté)") == len(demo_files) and status.count("réel") >= 1
    assert f"Fichiers de démonstration mis de côté ({len(demo_files)}) : {manifest.DEMO_SET_ASIDE_REASON}." in status
    assert "  urssaf : non chargé (à charger : python -m pipelines fetch urssaf, ou import du fichier" in status
    assert "  bmo_bassins : non chargé (à charger : import du fichier téléchargé chez France Travail" in status

    # The command line's figures: the real BMO figures, and "non chargé" where URSSAF's would be
    assert main(["figures", "--territory", "dep:35", "--year", "2024"]) == 0
    text = capsys.readouterr().out
    assert "Emploi salarié : non chargé (à charger : python -m pipelines fetch urssaf" in text
    assert "Demandeurs d'emploi : non chargé" in text and "Embauches (DPAE) : non chargé" in text
    assert "Données fictives" not in text


def test_demo_files_alone_are_all_used(data_dir):
    """No real file: the demo files of every source are used, and the figures say they are fictitious."""
    from pipelines.report import figures

    assert manifest.set_aside() == []
    assert {entry["source"] for entry in manifest.entries_for_build()} == {
        entry["source"] for entry in manifest.load(paths.DEMO_MANIFEST)}
    build.build(say=lambda m: None)
    con = marts(paths.MARTS_DB)
    try:
        data = figures.key_figures(con, "zone_emploi", "5315")  # no BMO here: still all fictitious
    finally:
        con.close()
    assert data.demo and data.demo_parts == list(figures.DEMO_PARTS) and data.not_loaded == {}


def test_build_reuses_the_parse_made_at_import(no_demo, tmp_path, monkeypatch):
    for file in write_world(tmp_path / "dl"):
        importer.import_file(file)
    from pipelines.sources import bmo

    def must_not_parse(path):
        raise AssertionError(f"{path} parsed twice")

    monkeypatch.setattr(bmo, "read", must_not_parse)
    build.build(say=lambda m: None)
    assert sector_row(marts(paths.MARTS_DB), "bassin_bmo", "5314", "btp", 2024)[0] == 120


def test_overlapping_sector_definitions_stop_the_build(world, tmp_path, monkeypatch):
    before = world.read_bytes()
    overlapping = paths.SECTORS_TOML.read_text().replace('fap2021 = ["M1X80"', 'fap2021 = ["B1X31", "M1X80"')
    assert overlapping != paths.SECTORS_TOML.read_text()
    (tmp_path / "sectors.toml").write_text(overlapping)
    monkeypatch.setattr(paths, "SECTORS_TOML", tmp_path / "sectors.toml")
    with pytest.raises(BuildError, match="plusieurs secteurs.*B1X31"):
        build.build(say=lambda m: None)
    assert world.read_bytes() == before


def test_each_bmo_year_is_read_with_its_own_bassin_zoning(no_demo, tmp_path):
    """2019 zoning: Rennes has 1 commune here; 2024 zoning: 2. BMO 2023 uses the 2019 zoning."""
    from pipelines.ingest.demo import write_bassins_csv
    from tests.conftest import WORLD_COMMUNES

    for file in write_world(tmp_path / "dl", years=(2024,)):
        importer.import_file(file)
    importer.import_file(write_bassins_csv(tmp_path / "lexique-2019.csv", [
        {**WORLD_COMMUNES[0], "commune_name": "Rennes"}, {**WORLD_COMMUNES[2], "commune_name": "Redon"}],
        layout="2019"))
    importer.import_file(write_bmo_workbook(tmp_path / "bmo2023.xlsx", 2023, WORLD_2024))
    build.build(say=lambda m: None)
    con = marts(paths.MARTS_DB)
    rows = con.execute("""select year, commune_zoning, commune_count, zoning_break
        from fct_projects_by_territory_sector_year
        where territory_type = 'bassin_bmo' and territory_code = '5314' and sector_code = 'ensemble'
        order by year""").fetchall()
    assert rows == [(2023, "BMO 2019", 1, False), (2024, "BMO 2024", 2, True)]
    departement = con.execute("""select zoning_break, projects_change from fct_projects_by_territory_sector_year
        where territory_type = 'departement' and territory_code = '35' and sector_code = 'ensemble'
        and year = 2024""").fetchall()
    assert departement == [(False, 0.0)]


def test_bassin_codes_are_padded_so_lexicon_and_survey_join(no_demo, tmp_path):
    from pipelines.ingest.demo import write_bassins_csv

    overseas = [cell("101", "971", "B1X31", 10, 5, 1, region="01", bassin_name="BASSIN BASSE-TERRE"),
                *WORLD_2024]
    importer.import_file(write_bassins_csv(tmp_path / "lex.csv", [
        {"commune_code": "97105", "commune_name": "Basse-Terre", "bassin_code": "0101",
         "bassin_name": "BASSIN BASSE-TERRE", "dept_code": "971", "region_code": "01"}], layout="2019"))
    for file in write_world(tmp_path / "dl", years=()):
        importer.import_file(file)
    importer.import_file(write_bmo_workbook(tmp_path / "bmo.xlsx", 2024, overseas))
    build.build(say=lambda m: None)
    con = marts(paths.MARTS_DB)
    assert con.execute("""select territory_code, territory_name from dim_territory
        where territory_type = 'bassin_bmo' and territory_code like '%101'""").fetchall() == [
        ("0101", "BASSIN BASSE-TERRE")]
    assert sector_row(con, "bassin_bmo", "0101", "btp", 2024)[0] == 10
    assert sector_row(con, "departement", "971", "ensemble", 2024)[0] == 10  # '971' is not cut to '97'


def test_two_insee_geographies_are_never_merged(no_demo, tmp_path):
    from pipelines.ingest.demo import write_ze_workbook
    from tests.conftest import WORLD_COMMUNES

    for file in write_world(tmp_path / "dl", years=(2024,)):
        importer.import_file(file)
    merged_commune = [{**WORLD_COMMUNES[0], "commune_code": "35999"}, *WORLD_COMMUNES[2:]]
    importer.import_file(write_ze_workbook(tmp_path / "ze2023.xlsx", merged_commune, geography_year=2023))
    build.build(say=lambda m: None)
    con = marts(paths.MARTS_DB)
    counts = dict(con.execute("""select zoning, count(*) from bridge_territory_commune
        where territory_type = 'zone_emploi' and territory_code = '5315' group by 1""").fetchall())
    assert counts == {"ZE 2020 (COG 2022)": 2, "ZE 2020 (COG 2023)": 1}
    assert con.execute("""select commune_zoning, commune_count from dim_territory
        where territory_type = 'zone_emploi' and territory_code = '5315'""").fetchall() == [("ZE 2020 (COG 2023)", 1)]


def test_build_swaps_in_the_database_checked_at_import_only_if_inputs_are_the_same(no_demo, tmp_path):
    for file in write_world(tmp_path / "dl"):
        importer.import_file(file)
    messages = []
    build.build(say=messages.append)
    assert messages[0].startswith("[1/2] Marts déjà construits et contrôlés par l'import")
    assert not (paths.MARTS_DIR / "candidate.duckdb").exists()

    importer.import_file(write_bmo_workbook(tmp_path / "bmo2025b.xlsx", 2025, [
        cell("5314", "35", "B1X31", 1000, 900, 10), *WORLD_2025[1:]]))
    entries = manifest.load()
    manifest.save([e for e in entries if e["period"] != "2025"])  # the inputs change after the import
    messages.clear()
    build.build(say=messages.append)
    assert messages[0].startswith("[1/4]")
    con = marts(paths.MARTS_DB)
    assert con.execute("select distinct year from fct_projects_by_territory_sector_year").fetchall() == [(2024,)]


def test_a_bassin_with_the_same_communes_in_two_zonings_keeps_its_change(no_demo, tmp_path):
    from pipelines.ingest.demo import write_bassins_csv
    from tests.conftest import WORLD_COMMUNES

    for file in write_world(tmp_path / "dl", years=(2024,)):
        importer.import_file(file)
    # The 2019 lexicon gives Rennes the same two communes, and Redon one more (Quimperlé, made up).
    zoning_2019 = [*WORLD_COMMUNES[:3], {**WORLD_COMMUNES[3], "bassin_code": "5313", "bassin_name": "REDON"}]
    importer.import_file(write_bassins_csv(tmp_path / "lexique-2019.csv", zoning_2019, layout="2019"))
    importer.import_file(write_bmo_workbook(tmp_path / "bmo2023.xlsx", 2023, WORLD_2024))
    result = build.build(say=lambda m: None)
    con = marts(paths.MARTS_DB)
    rows = dict(con.execute("""select territory_code, zoning_break from fct_projects_by_territory_sector_year
        where territory_type = 'bassin_bmo' and sector_code = 'ensemble' and year = 2024""").fetchall())
    assert rows == {"5314": False, "5313": True, "2201": False}  # 2201: in no lexicon, nothing to compare
    assert sector_row(con, "bassin_bmo", "5313", "btp", 2024)[5] is None
    assert sector_row(con, "bassin_bmo", "5314", "ensemble", 2024)[5] == 0.0
    assert result.bassins_without_communes == ["2201 (2023)", "2201 (2024)"]


def test_a_survey_year_older_than_every_lexicon_has_no_perimeter(no_demo, tmp_path):
    for file in write_world(tmp_path / "dl", years=(2024,)):
        importer.import_file(file)
    importer.import_file(write_bmo_workbook(tmp_path / "bmo2019.xlsx", 2019, WORLD_FAP2009, layout="2019"))
    build.build(say=lambda m: None)
    con = marts(paths.MARTS_DB)
    assert con.execute("""select commune_zoning, commune_count from fct_projects_by_territory_sector_year
        where territory_code = '5314' and sector_code = 'ensemble' and year = 2019""").fetchall() == [(None, None)]


def test_a_damaged_parse_cache_is_parsed_again(world):
    for cached in (paths.MARTS_DIR / "parsed").glob("*.parquet"):
        cached.write_bytes(b"not parquet")
    entries = manifest.load()
    entries[0]["retrieved_at"] = "2026-01-01T00:00:00+00:00"  # any change: no candidate to reuse
    manifest.save(entries)
    build.build(say=lambda m: None)
    assert sector_row(marts(paths.MARTS_DB), "bassin_bmo", "5314", "btp", 2024)[0] == 120


def test_a_mart_depends_on_the_sources_its_sql_reads_through_staging_and_other_marts():
    sources = build.mart_sources()
    assert sources["dim_sector"] == set()  # the seeds only: code, not raw files
    # the commune rows of the territory mart (computed there once): read from it, with its sources
    assert sources["fct_employment_by_commune_sector_year"] == {"urssaf", "bmo_bassins", "insee_ze", "insee_epci"}
    assert sources["fct_projects_by_territory_metier_year"] == {"bmo"}  # through the mart above it
    assert sources["fct_employment_by_territory_sector_year"] == {"urssaf", "bmo_bassins", "insee_ze", "insee_epci"}
    assert sources["dim_metier"] == {"bmo"}  # a mart named in a comment only is not read


class SpyConnection:
    """A DuckDB connection that records every statement it runs."""

    def __init__(self, con, statements):
        self.con, self.statements = con, statements

    def execute(self, sql, *args):
        self.statements.append(sql)
        return self.con.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self.con, name)


def table_rows(database, table, columns="*") -> list[tuple]:
    con = marts(database)
    try:
        return con.execute(f"select {columns} from {table} order by all").fetchall()
    finally:
        con.close()


def same(value, other) -> bool:
    """Equal, floats to rounding (a sum may be added up in another order)."""
    if isinstance(value, float) and isinstance(other, float):
        return value == pytest.approx(other, rel=1e-12, abs=1e-12)
    if isinstance(value, list | tuple) and isinstance(other, list | tuple):
        return len(value) == len(other) and all(same(v, o) for v, o in zip(value, other, strict=True))
    if isinstance(value, dict) and isinstance(other, dict):
        return value.keys() == other.keys() and all(same(value[k], other[k]) for k in value)
    return value == other


def assert_same_marts(database, expected, tension: bool = True) -> None:
    """Every table of both databases, row for row (the build time and which build computed a mart aside)."""
    tables = [sorted(row[0] for row in table_rows(db, "(select table_name from duckdb_tables())"))
              for db in (database, expected)]
    assert tables[0] == tables[1] and "fct_employment_by_commune_sector_year" in tables[0]
    filled = set()
    for table in tables[0]:
        columns = {"meta_build": "inputs_key", "meta_marts": "mart, inputs_key"}.get(table, "*")
        rows, wanted = table_rows(database, table, columns), table_rows(expected, table, columns)
        assert same(rows, wanted), table
        filled |= {table} if rows else set()
    assert {"fct_projects_by_territory_sector_year", "fct_employment_by_territory_sector_year", "dim_territory",
            "meta_marts", *(["fct_tension_by_territory_metier_year"] if tension else [])} <= filled


def test_a_new_bmo_file_recomputes_only_the_marts_that_read_bmo(no_demo, tmp_path, monkeypatch):
    """Issue 10 §3: a trial build keeps the marts whose inputs did not change from the marts in service, and
    gives exactly what a build of everything would."""
    import duckdb

    from pipelines.ingest.demo import write_urssaf_csv
    from pipelines.sources import dares_tensions
    from tests.ingest.test_importer import urssaf_rows

    importer.import_files([*write_world(tmp_path / "dl", years=(2024,)),
                           write_urssaf_csv(tmp_path / "urssaf.csv", urssaf_rows(5), range(2021, 2024)),
                           dares_tensions.write_2021_csv(tmp_path / "t2021.csv", [
                               {"rome": "F1703", "bassin": "5314", "job_offers": 3, "job_seekers_abc": 4,
                                "tension": 5}])])
    build.build(say=lambda m: None)

    statements = []
    monkeypatch.setattr(build, "duckdb", type("Spy", (), {
        "connect": staticmethod(lambda *args, **kw: SpyConnection(duckdb.connect(*args, **kw), statements)),
        "Error": duckdb.Error, "__version__": duckdb.__version__}))
    [result] = importer.import_files([write_bmo_workbook(tmp_path / "bmo2025.xlsx", 2025, WORLD_2025)])
    assert result.status == "nouveau"

    reads_bmo = {name for name, sources in build.mart_sources().items() if "bmo" in sources}
    assert {"fct_projects_by_territory_sector_year", "dim_metier", "dim_territory"} <= reads_bmo
    # The marts reading BMO are computed from their SQL; the others are not even copied row by row: they are
    # in the copy of the marts in service the trial started from.
    created = {sql.split()[2]: sql for sql in statements if sql.startswith("create table ")
               and sql.split()[2] in build.MARTS}
    assert created == {name: f"create table {name} as {build.mart_sql(name)}" for name in reads_bmo}
    assert {"fct_employment_by_commune_sector_year", "fct_tension_by_territory_metier_year",
            "bridge_territory_commune"} <= set(build.MARTS) - reads_bmo
    candidate = paths.MARTS_DIR / "candidate.duckdb"
    assert dict(table_rows(candidate, "meta_marts", "mart, rebuilt")) == {name: name in reads_bmo
                                                                          for name in build.MARTS}
    checks = [sql.read_text(encoding="utf-8") for sql in (paths.SQL_DIR / "checks").glob("*.sql")]
    assert all(check in statements for check in checks)  # the checks ran on the whole result

    monkeypatch.setattr(build, "duckdb", duckdb)
    everything = tmp_path / "everything.duckdb"
    build._write_marts(manifest.entries_for_build(), everything, say=lambda m: None)  # nothing to copy from
    assert_same_marts(candidate, everything)
    messages = []
    build.build(say=messages.append)  # the checked trial is what the next build swaps in
    assert messages[0].startswith("[1/2] Marts déjà construits et contrôlés par l'import")
    assert_same_marts(paths.MARTS_DB, everything)


def test_a_change_of_code_or_of_the_lists_of_communes_recomputes_every_mart(world):
    paths.COMMUNE_LISTS.write_text('[rennes]\nnom = "Rennes"\ncommunes = ["35238"]\n', encoding="utf-8")
    result = build.build(say=lambda m: None)
    assert result.rebuilt == list(build.MARTS)
    assert build.build(say=lambda m: None).rebuilt == []  # nothing changed since: every mart is copied


def test_marts_are_taken_from_whichever_earlier_database_has_them(no_demo, tmp_path):
    """The BMO marts as the last trial computed them, the URSSAF ones as the marts in service hold them: each
    copied from where its inputs match, the others computed, and the whole equal to a build of everything."""
    from pipelines.ingest.demo import write_urssaf_csv
    from tests.ingest.test_importer import urssaf_rows

    importer.import_files([*write_world(tmp_path / "dl", years=(2024,)),
                           write_urssaf_csv(tmp_path / "urssaf.csv", urssaf_rows(5), range(2021, 2024))])
    build.build(say=lambda m: None)
    old_urssaf = [e for e in manifest.entries_for_build() if e["source"] == "urssaf"]
    importer.import_files([write_bmo_workbook(tmp_path / "bmo2025.xlsx", 2025, WORLD_2025),
                           write_urssaf_csv(tmp_path / "urssaf2.csv", urssaf_rows(6), range(2021, 2024))])
    newer = manifest.entries_for_build()  # in the candidate: BMO 2025 and the new URSSAF file
    entries = [e for e in newer if e["source"] != "urssaf"] + old_urssaf  # BMO as the candidate, URSSAF as served
    reads = build.mart_sources()
    from_candidate = {name for name, sources in reads.items() if "urssaf" not in sources}
    from_marts = {name for name, sources in reads.items() if "urssaf" in sources and "bmo" not in sources}

    mixed, everything = tmp_path / "mixed.duckdb", tmp_path / "everything.duckdb"
    previous = [paths.MARTS_DIR / "candidate.duckdb", paths.MARTS_DB]
    computed = build._write_marts(entries, mixed, say=lambda m: None, previous=previous)
    assert set(computed) == {name for name, sources in reads.items() if {"urssaf", "bmo"} <= sources}
    assert set(computed) == set(build.MARTS) - from_candidate - from_marts and "dim_territory" in computed
    assert {"fct_employment_by_territory_sector_year", "bridge_sector_ape"} <= from_marts
    assert build._write_marts(entries, everything, say=lambda m: None) == list(build.MARTS)
    assert_same_marts(mixed, everything, tension=False)
