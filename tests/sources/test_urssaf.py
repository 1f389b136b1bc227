"""URSSAF commune × APE exports: both header styles, year columns by pattern, sectors by NAF, sums."""

import pytest

from pipelines import paths
from pipelines.errors import InputError
from pipelines.ingest import importer
from pipelines.ingest.demo import write_urssaf_csv
from pipelines.report import figures
from pipelines.sources import urssaf
from pipelines.warehouse import build
from tests.conftest import marts, real_file, write_world


def row(commune, ape, values, ze="5315", epci="243500139", dept="35", region="53"):
    return {"region_code": region, "dept_code": dept, "ze_code": ze, "epci_code": epci, "commune_code": commune,
            "ape_code": ape, "values": values}


# Rennes: building 4120A and public works 4211Z, digital 6201Z, agri-food 1013A, farming 0111Z, retail 4711D.
ROWS = [
    row("35238", "4120A", {2018: (10, 100), 2021: (11, 110), 2022: (12, 120), 2023: (12, 130)}),
    row("35238", "4211Z", {2022: (2, 30), 2023: (2, 33)}),
    row("35238", "6201Z", {2022: (5, 200), 2023: (6, 210)}),
    row("35051", "1013A", {2022: (1, 50), 2023: (1, None)}),  # headcount not published
    row("35051", "0111Z", {2022: (1, 2), 2023: (1, 2)}),
    row("35051", "4711D", {2022: (3, 40), 2023: (3, 44)}),
    row("29233", "6201Z", {2022: (1, 7), 2023: (1, 8)}, ze="5314", epci="242900314", dept="29"),
]
YEARS = range(2018, 2024)


@pytest.mark.parametrize("labels", [False, True])
def test_both_header_styles_read_alike(tmp_path, labels):
    path = write_urssaf_csv(tmp_path / "export.csv", ROWS, YEARS, labels=labels)
    assert urssaf.recognise(path)
    table = urssaf.read(path)
    assert table.period == "2018-2023" and table.rows == len(ROWS)
    first = table.frame.filter("ape_code = '4120A'").fetchall()[0]
    assert first[:7] == ("35238", "4120A", "5315", "243500139", "35", "53", "commune")
    assert [v["year"] for v in first[7]] == [2018, 2021, 2022, 2023]  # empty years are not published


def test_a_new_year_column_is_picked_up(tmp_path):
    one_row = [row("35238", "4120A", {2026: (1, 9)})]
    table = urssaf.read(write_urssaf_csv(tmp_path / "e.csv", one_row, range(2025, 2027)))
    assert table.period == "2025-2026"


def test_windows_1252_export(tmp_path):
    path = write_urssaf_csv(tmp_path / "e.csv", ROWS, YEARS, encoding="cp1252")
    path.write_bytes(path.read_bytes().replace(b"code_epci", "code_epci_\xe9".encode("cp1252"), 0))
    assert urssaf.read(path).rows == len(ROWS)


def test_windows_1252_body_under_a_plain_ascii_header(tmp_path):
    # Files are recognised from their first line alone: the body's encoding is found when it is read.
    path = tmp_path / "e.csv"
    path.write_bytes("code_commune;libelle_commune;code_ape;code_departement;code_region;"
                     "nombre_d_etablissements_2022;effectifs_salaries_2022\n"
                     "35051;Cesson-Sévigné;4120A;35;53;3;12\n".encode("cp1252"))
    assert importer.recognise(path).module is urssaf
    assert urssaf.read(path).frame.fetchall()[0][:2] == ("35051", "4120A")


@pytest.mark.parametrize(("content", "reason"), [
    ("code_commune;code_ape;code_departement;code_region\n35238;4120A;35;53\n", "colonnes par année"),
    ("code_commune;code_ape;code_departement;code_region;nombre_d_etablissements_2022;effectifs_salaries_2022\n",
     "aucune valeur publiée"),
    ("code_commune;code_ape;code_departement;code_region;nombre_d_etablissements_2022;effectifs_salaries_2022\n"
     "35238;4120A;35;53;3;douze\n",
     "valeur non numérique « douze » dans la colonne « effectifs_salaries_2022 » \\(ligne 2\\)"),
    ("code_commune;code_departement;code_region;nombre_d_etablissements_2022;effectifs_salaries_2022\n"
     "35238;35;53;3;12\n", None),
    # a commune export whose commune column was renamed is not taken for a département aggregate
    ("commune;code_ape;code_zone_d_emploi;code_departement;code_region;nombre_d_etablissements_2022;"
     "effectifs_salaries_2022\n35238;4120A;5315;35;53;3;12\n", "colonnes manquantes : commune_code"),
    ("code_region;code_ape;nombre_d_etablissements_2022;effectifs_salaries_2022\n;4120A;3;12\n",
     "code région ou APE vide"),
])
def test_bad_exports_are_refused(tmp_path, content, reason):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    if reason is None:  # no APE column: not recognised as URSSAF at all
        assert not urssaf.recognise(path)
        return
    with pytest.raises(InputError, match=reason):
        urssaf.read(path)


@pytest.mark.parametrize(("labels", "encoding"), [(True, "utf-8"), (False, "cp1252")])
def test_an_export_cut_mid_row_names_the_row_and_the_file(tmp_path, labels, encoding):
    whole = write_urssaf_csv(tmp_path / "whole.csv", ROWS, YEARS, labels=labels, encoding=encoding).read_bytes()
    lines = whole.splitlines(keepends=True)
    cut = tmp_path / "cut.csv"
    cut.write_bytes(b"".join(lines[:5]) + lines[5][:12])  # a download stopped in the 5th data row
    with pytest.raises(InputError) as error:
        urssaf.read(cut)
    message = str(error.value)
    assert message == f"{cut} : ligne 6 : 4 champs au lieu de 18 (fichier tronqué ou mal délimité ?)"
    assert "\n" not in message and "tmp" not in message.removeprefix(str(cut))  # no DuckDB text, no copy


def test_duckdb_text_is_given_once_on_one_line(tmp_path):
    # Every row as wide as the header but text after a closing quote: only DuckDB can say what is wrong.
    path = write_urssaf_csv(tmp_path / "e.csv", ROWS, YEARS)
    path.write_text(path.read_text().replace("35051;1013A", '"35051"x;1013A'))
    with pytest.raises(InputError, match="CSV illisible") as error:
        urssaf.read(path)
    assert len(str(error.value).splitlines()) == 2


@pytest.fixture
def employment(no_demo, tmp_path):
    for file in write_world(tmp_path / "dl", years=(2024,)):
        importer.import_file(file)
    importer.import_file(write_urssaf_csv(tmp_path / "urssaf.csv", ROWS, YEARS))
    build.build(say=lambda m: None)
    return marts(paths.MARTS_DB)


def test_server_aggregates_are_read_by_level(tmp_path):
    regions = urssaf.read(write_urssaf_csv(tmp_path / "r.csv", [
        {"region_code": "53", "ape_code": "4120A", "values": {2022: (9, 900)}}], YEARS,
        keys=("region_code", "ape_code")))
    france = urssaf.read(write_urssaf_csv(tmp_path / "f.csv", [
        {"ape_code": "62.01Z", "values": {2022: (90, 9000)}}], YEARS, labels=True, keys=("ape_code",)))
    assert (regions.scope, france.scope) == ("régions (agrégat Urssaf)", "France (agrégat Urssaf)")
    assert regions.frame.select("region_code, commune_code, level").fetchall() == [("53", None, "region")]
    assert france.frame.select("ape_code, level").fetchall() == [("62.01Z", "france")]


def test_a_region_aggregate_replaces_the_sum_of_the_loaded_communes(employment, tmp_path):
    employment.close()
    # the server's sum for Bretagne, for 2022 only (a fetch of the région sums that failed after June, say)
    importer.import_file(write_urssaf_csv(tmp_path / "regions.csv", [
        {"region_code": "53", "ape_code": "4120A", "values": {2022: (500, 6000)}},
        {"region_code": "53", "ape_code": "4711D", "values": {2022: (800, 9000)}}], YEARS,
        keys=("region_code", "ape_code")))
    build.build(say=lambda m: None)
    con = marts(paths.MARTS_DB)
    rows = con.execute("""select year, employees, establishments, basis, communes_with_data, employees_change_1y
        from fct_employment_by_territory_sector_year where territory_type = 'region' and territory_code = '53'
        and sector_code in ('ensemble', 'btp') order by sector_code, year""").fetchall()
    # Bretagne is read from the server's sums alone, in every year: no 2021 or 2023 sum of the few communes
    # loaded, so no change that would compare a full total with a handful of communes.
    assert rows == [(2022, 6000, 500, "aggregate", None, None), (2022, 15000, 1300, "aggregate", None, None)]
    # the département is not in the aggregate file: still the sum of its communes, with its changes
    assert employment_row(con, "departement", "35", "ensemble", 2022)[:3] == (442, 24, 2)
    assert employment_row(con, "departement", "35", "ensemble", 2023)[3] == pytest.approx(419 / 442 - 1)
    data = figures.key_figures(con, "region", "53")
    con.close()
    assert data.sectors[-1]["employment"]["basis"] == "aggregate"
    assert data.sectors[-1]["employment"]["year"] == 2022
    assert figures.coverage_label(None, 4, "aggregate") == "total Urssaf de toutes les communes"


def employment_row(con, territory_type, code, sector, year):
    return con.execute("""select employees, establishments, communes_with_data, employees_change_1y,
        apprentice_break_1y, apprentice_break_5y from fct_employment_by_territory_sector_year
        where territory_type = ? and territory_code = ? and sector_code = ? and year = ?""",
                       [territory_type, code, sector, year]).fetchall()[0]


def test_sector_sums_by_territory(employment):
    assert employment_row(employment, "commune", "35238", "btp", 2022)[:2] == (150, 14)
    assert employment_row(employment, "commune", "35238", "travaux_publics", 2022)[:2] == (30, 2)
    assert employment_row(employment, "zone_emploi", "5315", "numerique", 2022)[:2] == (200, 5)
    assert employment_row(employment, "zone_emploi", "5314", "numerique", 2022)[:2] == (7, 1)  # Quimperlé
    assert employment_row(employment, "departement", "35", "ensemble", 2022)[:3] == (442, 24, 2)
    # Coverage counts the communes the files hold, whatever the sector: Cesson (35051) has no digital
    # employer, a true zero, so the département's digital figure still covers its 2 communes.
    assert employment_row(employment, "departement", "35", "numerique", 2022)[:3] == (200, 5, 2)
    assert employment_row(employment, "france", "FR", "ensemble", 2022)[:2] == (449, 25)
    # The bassin BMO of Rennes = its communes in the lexicon (35238 and 35051 in the small world).
    assert employment_row(employment, "bassin_bmo", "5314", "ensemble", 2022)[:2] == (442, 24)


def test_unpublished_headcount_is_null_not_zero(employment):
    assert employment_row(employment, "commune", "35051", "iaa", 2023)[:2] == (None, 1)


def test_changes_and_the_2023_apprentice_break(employment):
    _, _, _, change, break_1y, break_5y = employment_row(employment, "commune", "35238", "btp", 2023)
    assert change == pytest.approx(163 / 150 - 1) and (break_1y, break_5y) == (True, True)
    # 2021: only 4120A was published (110); 2022: 4120A 120 + 4211Z 30.
    assert employment_row(employment, "commune", "35238", "btp", 2022)[3:] == (pytest.approx(150 / 110 - 1),
                                                                              False, False)


def test_agriculture_carries_the_msa_caveat(employment, capsys):
    from pipelines.__main__ import main

    data = figures.key_figures(employment, "bassin_bmo", "5314", 2024)
    agriculture = next(s for s in data.sectors if s["sector_code"] == "agriculture")
    assert "MSA" in agriculture["caveat_naf"] and agriculture["employment"]["employees"] == 2
    assert main(["figures", "--territory", "bassin:5314"]) == 0
    out = capsys.readouterr().out
    assert "Agriculture                    non représentatif (MSA)" in out
    assert "Tous secteurs                         449" not in out and "fin 2023" in out


def test_rouen_export_as_published(no_demo):
    """The real labelled export (UTF-8 BOM, CRLF): the figures published with it (shared/data/real/README)."""
    result = importer.import_file(real_file("urssaf/urssaf_commune_ape_ZE2815_Rouen_2006_2022_labels.csv"))
    assert (result.source, result.period, result.rows) == ("urssaf", "2006-2022", 9_338)
    build.build(say=lambda m: None)
    con = marts(paths.MARTS_DB)
    data = figures.key_figures(con, "zone_emploi", "2815")
    jobs = {s["sector_code"]: s["employment"] for s in data.sectors}
    assert data.employment_year == 2022
    assert (jobs["ensemble"]["employees"], jobs["ensemble"]["establishments"]) == (183_731, 14_978)
    assert (jobs["btp"]["employees"], jobs["btp"]["establishments"]) == (16_892, 1_631)
    assert (jobs["numerique"]["employees"], jobs["numerique"]["establishments"]) == (4_952, 327)
    assert jobs["iaa"]["employees"] == 4_338
    assert jobs["agriculture"] is None  # no farm employer in the file: shown with the MSA caveat, never 0
    assert employment_row(con, "zone_emploi", "2815", "ensemble", 2019)[0] == 175_923
    assert employment_row(con, "commune", "76540", "ensemble", 2022)[0] == 53_934
    communes = con.execute("select count(distinct commune_code) from fct_employment_by_commune_sector_year")
    assert communes.fetchall() == [(218,)]


def test_a_new_vintage_replaces_the_older_file_of_its_scope(employment, tmp_path, capsys):
    from pipelines.__main__ import main
    from pipelines.ingest import manifest

    employment.close()  # DuckDB shares one instance per path in a process: let the rebuilt file be read
    newer = [{**r, "values": {**r["values"], 2024: (1, 1000)}} for r in ROWS]
    result = importer.import_file(write_urssaf_csv(tmp_path / "urssaf-2025.csv", newer, range(2018, 2025)))
    assert (result.status, result.period) == ("remplacé", "2018-2024")
    assert [e["period"] for e in manifest.load() if e["source"] == "urssaf"] == ["2018-2024"]
    build.build(say=lambda m: None)
    con = marts(paths.MARTS_DB)
    assert employment_row(con, "commune", "35238", "btp", 2022)[0] == 150  # once, not twice
    assert main(["figures", "--territory", "dep:35"]) == 0
    assert "fin 2024 (données de 2 communes sur 3)" in capsys.readouterr().out


def test_overlapping_files_are_refused_even_when_codes_are_written_differently(employment, tmp_path):
    employment.close()
    # dép. 35 alone (another scope than the loaded dép. 29 + 35 file), Rennes' 6201Z written '62.01Z'
    overlap = [{**row("35238", "62.01Z", {2022: (5, 200)})}]
    with pytest.raises(InputError, match="commune × APE dans plusieurs fichiers Urssaf.*35238 62.01Z"):
        importer.import_file(write_urssaf_csv(tmp_path / "urssaf-35.csv", overlap, YEARS))
