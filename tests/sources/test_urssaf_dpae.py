"""URSSAF hires (DPAE): both layouts read, bad files refused, quarters and régions summed by hand,
Construction the only grand secteur mapped to a sector, and everything marked as context only."""

import pytest

from pipelines import paths
from pipelines.__main__ import main
from pipelines.errors import InputError
from pipelines.ingest import importer, manifest
from pipelines.ingest.demo import dpae_row, write_dpae_departements_csv, write_dpae_france_csv
from pipelines.report import figures
from pipelines.sources import urssaf_dpae
from pipelines.warehouse import build
from tests.conftest import marts, write_world

NAMES = {"22": ("Côtes-d'Armor", "53"), "29": ("Finistère", "53"), "35": ("Ille-et-Vilaine", "53"),
         "56": ("Morbihan", "53"), "44": ("Loire-Atlantique", "52"), "49": ("Maine-et-Loire", "52"),
         "85": ("Vendée", "52")}


def dep(code, year, month, sector, contract, raw, sa):
    name, region = NAMES[code]
    return dpae_row(year, month, contract, raw, sa, region="Région " + region, ancienne_region="x",
                    departement=name, grand_secteur_d_activite=sector, code_region=region,
                    code_ancienne_region=region, code_departement=code)


BUILD, TRADE = "GS2 Construction", "GS3 Commerce"
DEPARTEMENTS = [
    dep("35", 2024, 9, BUILD, "cdi", 1000, 900), dep("35", 2024, 9, BUILD, "cdd", 1500, 1400),
    dep("35", 2024, 9, TRADE, "cdi", 2000, 2100), dep("35", 2024, 9, TRADE, "cdd", 3000, 2900),
    dep("35", 2023, 9, BUILD, "cdi", 800, 850), dep("35", 2023, 9, BUILD, "cdd", 1700, 1600),
    dep("35", 2023, 9, TRADE, "cdi", 2000, 2000), dep("35", 2023, 9, TRADE, "cdd", 2500, 2600),
    # the rest of Bretagne in 2024 only, every grand secteur × contract cell: région 53 is whole in
    # 2024-T3, not in 2023-T3. CVS = raw + 10 (dép. 22), + 20 (29), + 30 (56).
    *[dep(code, 2024, 9, sector, contract, raw, raw + extra)
      for code, extra in (("22", 10), ("29", 20), ("56", 30))
      for sector, contract, raw in ((BUILD, "cdi", 100), (BUILD, "cdd", 200), (TRADE, "cdi", 300),
                                    (TRADE, "cdd", 400))],
    # Loire-Atlantique without the rest of Pays de la Loire: no région 52. Unpublished (empty) cells:
    # Commerce × CDI in 2024-T3, Construction × CDD in 2023-T3.
    dep("44", 2024, 9, BUILD, "cdi", 500, 500), dep("44", 2024, 9, BUILD, "cdd", 300, 310),
    dep("44", 2024, 9, TRADE, "cdi", None, None),
    dep("44", 2023, 9, BUILD, "cdi", 400, 400), dep("44", 2023, 9, BUILD, "cdd", None, None),
    # a calibration row of the CVS series: counted in the all-activities CVS only (of dép. 35 and of
    # région 53); its raw value, unexpected, is never added to raw totals
    {**dep("35", 2024, 9, "_calage_", "_calage_", 5, 37), "grand_secteur_d_activite": "_calage_"},
]
FRANCE = [
    dpae_row(2024, 7, "cdi", 400_000, 410_000), dpae_row(2024, 8, "cdi", 380_000, 405_000),
    dpae_row(2024, 9, "cdi", 420_000, 415_000), dpae_row(2024, 7, "cdd", 500_000, 520_000),
    dpae_row(2024, 8, "cdd", 450_000, 515_000), dpae_row(2024, 9, "cdd", 550_000, 525_000),
    dpae_row(2023, 9, "cdi", 400_000, 402_000), dpae_row(2023, 7, "cdi", 390_000, 401_000),
    dpae_row(2023, 8, "cdi", 370_000, 400_000), dpae_row(2023, 7, "cdd", 480_000, 500_000),
    dpae_row(2023, 8, "cdd", 460_000, 505_000), dpae_row(2023, 9, "cdd", 520_000, 510_000),
    dpae_row(2024, 10, "cdi", 410_000, 420_000),  # one month of 2024-T4: not a quarter
]


def test_both_layouts_are_read_with_api_names_or_french_labels(tmp_path):
    for labels in (False, True):
        path = write_dpae_departements_csv(tmp_path / f"dep{labels}.csv", DEPARTEMENTS, labels=labels)
        assert urssaf_dpae.recognise(path)
        table = urssaf_dpae.read(path)
        assert (table.period, table.scope, table.rows) == ("2023-T3/2024-T3", "dép. 22, 29, 35, 44, 56",
                                                           len(DEPARTEMENTS))
        assert list(table.frame.columns) == urssaf_dpae.FIELDS
        assert set(table.frame["is_calibration"]) == {"true", "false"}
    national = urssaf_dpae.read(write_dpae_france_csv(tmp_path / "fr.csv", FRANCE))
    assert (national.period, national.scope, national.rows) == ("2023-07/2024-10", "France", 13)
    assert set(national.frame["frequency"]) == {"month"} and national.frame["dept_code"].isna().all()


def test_regions_are_whole_per_quarter(tmp_path):
    frame = urssaf_dpae.read(write_dpae_departements_csv(tmp_path / "d.csv", DEPARTEMENTS)).frame
    whole = frame[frame["region_complete"] == "true"]
    assert set(whole["period_end"]) == {"2024-09-30"} and set(whole["dept_code"]) == {"22", "29", "35", "56"}
    # 4 cells × 4 départements, and the calibration row of dép. 35 (it has a real département code)
    assert len(whole) == 17 and whole["is_calibration"].tolist().count("true") == 1


def test_a_region_missing_one_cell_of_one_departement_is_not_whole(tmp_path):
    # Morbihan without its Commerce × CDD cell: every département has rows, yet the région is not whole
    rows = [row for row in DEPARTEMENTS if not (row["code_departement"] == "56" and row["grand_secteur_d_activite"]
                                                == TRADE and row["nature_de_contrat"] == "CDD de plus d'un mois")]
    assert len(rows) == len(DEPARTEMENTS) - 1
    frame = urssaf_dpae.read(write_dpae_departements_csv(tmp_path / "d.csv", rows)).frame
    assert (frame["region_complete"] == "false").all()


@pytest.mark.parametrize(("change", "reason"), [
    ({"dpae_brut": "12,5"}, "nombre entier"),
    ({"dernier_jour_du_trimestre": "2024-09-15"}, "date de fin de trimestre"),
    ({"dernier_jour_du_trimestre": "2024-08-31"}, "date de fin de trimestre"),
    ({"dernier_jour_du_trimestre": "2024-13-31"}, "date de fin de trimestre"),
    ({"trimestre": 2}, "ne correspond pas"),
    ({"nature_de_contrat": "Intérim"}, "nature de contrat"),
    ({"code_departement": ""}, "dept_code vide"),
    ({"grand_secteur_d_activite": "Construction"}, "grand secteur"),
])
def test_bad_departement_rows_are_refused(tmp_path, change, reason):
    path = write_dpae_departements_csv(tmp_path / "bad.csv", [*DEPARTEMENTS, {**DEPARTEMENTS[0], **change}])
    with pytest.raises(InputError, match=reason) as error:
        urssaf_dpae.read(path)
    assert "bad.csv" in str(error.value) and f"ligne {len(DEPARTEMENTS) + 2}" in str(error.value)


def test_bad_national_files_are_refused(tmp_path):
    with pytest.raises(InputError, match="date de fin de mois"):
        urssaf_dpae.read(write_dpae_france_csv(tmp_path / "a.csv",
                                               [{**FRANCE[0], "dernier_jour_du_mois": "31/13/2024"}]))
    with pytest.raises(InputError, match="n'est pas un nombre entier"):
        urssaf_dpae.read(write_dpae_france_csv(tmp_path / "b.csv", [{**FRANCE[0], "dpae_cvs": "4e5"}]))
    empty = write_dpae_france_csv(tmp_path / "empty.csv", [])
    with pytest.raises(InputError, match="aucune ligne de données"):
        importer.import_file(empty)
    renamed = tmp_path / "renamed.csv"
    renamed.write_text(empty.read_text().replace("dpae_brut", "dpae_brutes") + "2024;1;2024-01-31;x;CDI;1;2\n")
    # every other column of the national file is there: the renamed count column is named
    with pytest.raises(InputError, match=r"ressemble à urssaf_dpae .*colonne\(s\) absente\(s\) : hires_raw"):
        importer.recognise(renamed)


def test_other_dpae_datasets_are_refused_by_name(tmp_path):
    regional = tmp_path / "dpae-mensuelles-par-region.csv"
    regional.write_text("region;ancienne_region;duree_de_contrat;nature_de_contrat;annee;trimestre;"
                        "dernier_jour_du_mois;code_region;code_ancienne_region;dpae_brut;dpae_cvs\n"
                        "Bretagne;Bretagne;Contrat de plus d'un mois;CDI;2024;1;2024-01-31;53;53;10;11\n")
    with pytest.raises(InputError, match="jeu DPAE Urssaf non pris en charge"):
        importer.recognise(regional)


def test_fetch_asks_for_whole_regions_and_the_national_series():
    by_departement, national = urssaf_dpae.fetch_requests(["35", "44"])
    assert by_departement.params["where"] == 'code_region="52" or code_region="53"'
    assert national.url.endswith("dpae-mensuelles-france-entiere/exports/csv")


@pytest.fixture
def built(no_demo, tmp_path):
    for file in write_world(tmp_path / "dl", years=(2024,)):
        importer.import_file(file)
    importer.import_file(write_dpae_departements_csv(tmp_path / "dpae_dep.csv", DEPARTEMENTS))
    importer.import_file(write_dpae_france_csv(tmp_path / "dpae_fr.csv", FRANCE))
    build.build(say=lambda m: None)
    con = marts(paths.MARTS_DB)
    yield con
    con.close()


def hires(con, territory_type, code, sector, contract, period):
    rows = con.execute("""select hires_raw, hires_sa, hires_raw_change_1y, sector_code, departements
        from fct_hires_by_territory_quarter where territory_type = ? and territory_code = ? and grand_secteur = ?
        and contract_nature = ? and period = ?""", [territory_type, code, sector, contract, period]).fetchall()
    return rows[0] if rows else None


def test_departement_sums_mapping_and_change(built):
    raw_2024, raw_2023 = 1000 + 1500 + 2000 + 3000, 800 + 1700 + 2000 + 2500
    assert hires(built, "departement", "35", "ensemble", "ensemble", "2024-07-01") == (
        raw_2024, 900 + 1400 + 2100 + 2900 + 37, pytest.approx(raw_2024 / raw_2023 - 1), "ensemble", None)
    assert hires(built, "departement", "35", "Construction", "ensemble", "2024-07-01") == (
        2500, 2300, pytest.approx(0.0), "btp", None)
    assert hires(built, "departement", "35", "Commerce", "cdd", "2024-07-01") == (
        3000, 2900, pytest.approx(3000 / 2500 - 1), None, None)  # no sector of ours for Commerce
    assert hires(built, "departement", "35", "ensemble", "cdi", "2024-07-01")[:2] == (3000, 3000)
    assert built.execute("""select count(*) from fct_hires_by_territory_quarter
        where grand_secteur like '%calage%'""").fetchall() == [(0,)]
    assert built.execute("""select bool_and(context_only), count(distinct sector_code)
        from fct_hires_by_territory_quarter""").fetchall() == [(True, 2)]  # 'btp' and 'ensemble' only


def test_regions_only_when_whole(built):
    assert hires(built, "region", "53", "Construction", "ensemble", "2024-07-01") == (
        2500 + 3 * (100 + 200), 2300 + (110 + 210) + (120 + 220) + (130 + 230), None, "btp", 4)
    # the région's CVS is the sum of its départements' CVS, calibration row of dép. 35 (37) included;
    # raw totals never include the calibration row's raw value (5)
    assert hires(built, "region", "53", "ensemble", "ensemble", "2024-07-01")[:2] == (
        7500 + 3 * 1000, 7300 + 37 + 1040 + 1080 + 1120)
    departements = built.execute("""select sum(hires_raw), sum(hires_sa) from fct_hires_by_territory_quarter
        where territory_type = 'departement' and territory_code in ('22', '29', '35', '56')
        and grand_secteur = 'ensemble' and contract_nature = 'ensemble' and period = '2024-07-01'""").fetchone()
    assert departements == (10_500, 10_577)
    # 2023-T3: only dép. 35, no région
    assert hires(built, "region", "53", "ensemble", "ensemble", "2023-07-01") is None
    assert hires(built, "region", "52", "ensemble", "ensemble", "2024-07-01") is None


def test_no_change_over_a_year_when_either_quarter_has_unpublished_cells(built):
    def row(sector, contract):
        return built.execute("""select hires_raw, unpublished_cells, hires_raw_change_1y, hires_raw_change_1y_note
            from fct_hires_by_territory_quarter where territory_type = 'departement' and territory_code = '44'
            and grand_secteur = ? and contract_nature = ? and period = '2024-07-01'""", [sector, contract]).fetchone()

    unpublished = "non comparable : cellules non publiées"
    # 2024-T3: 500 + 300, Commerce × CDI unpublished; 2023-T3: 400, Construction × CDD unpublished
    assert row("ensemble", "ensemble") == (800, 1, None, unpublished)
    # Construction: nothing unpublished in 2024-T3, but 2023-T3 lacks its CDD cell
    assert row("Construction", "ensemble") == (800, 0, None, unpublished)
    # Construction × CDI: published both years, 500 against 400
    assert row("Construction", "cdi") == (500, 0, pytest.approx(0.25), None)
    assert row("Commerce", "ensemble") == (None, 1, None, unpublished)


def test_unpublished_cells_are_said_next_to_the_figures(built, capsys):
    figures_44 = figures.key_figures(built, "departement", "44").hires
    assert figures_44["total"]["unpublished_cells"] == 1
    assert figures_44["total"]["hires_raw_change_1y_note"] == "non comparable : cellules non publiées"
    built.close()
    assert main(["figures", "--territory", "dep:44"]) == 0
    out = capsys.readouterr().out
    total = next(line for line in out.splitlines() if line.startswith("Tous contrats, toutes activités"))
    assert "800" in total and "non comparable" in total and "dont 1 cellule non publiée" in total
    building = next(line for line in out.splitlines() if line.startswith("Construction (= BTP)"))
    assert "non comparable" in building and "non publiée" not in building


def test_overview_says_unpublished_cells_and_no_change(built):
    from tests.pages.test_dashboard import app, texts

    built.close()
    test = app({"territoire": "dep:44", "annee": "2024"})
    assert not test.exception
    body = texts(test)
    assert "**Embauches** (Construction, T3 2024) : 800 (non comparable sur un an : cellules non publiées)" in body
    assert ("(DPAE, contrats de plus d'un mois, T3 2024) · Département Département 44 (44) : 800, dont 1 cellule "
            "non publiée (non comparable sur un an : cellules non publiées).") in body


def test_france_quarters_are_sums_of_three_months(built):
    raw_2024 = 400_000 + 380_000 + 420_000 + 500_000 + 450_000 + 550_000
    raw_2023 = 390_000 + 370_000 + 400_000 + 480_000 + 460_000 + 520_000
    sa_cdi_2024 = 410_000 + 405_000 + 415_000
    total = hires(built, "france", "FR", "ensemble", "ensemble", "2024-07-01")
    assert total[0] == raw_2024 and total[2] == pytest.approx(raw_2024 / raw_2023 - 1)
    assert hires(built, "france", "FR", "ensemble", "cdi", "2024-07-01")[1] == sa_cdi_2024
    assert hires(built, "france", "FR", "ensemble", "cdi", "2024-10-01") is None  # one month of three


def test_key_figures_are_context_with_their_own_perimeter(built):
    bassin = figures.key_figures(built, "bassin_bmo", "5314", 2024).hires
    assert bassin["context_only"] and bassin["perimeter"]["code"] == "35"
    assert not bassin["perimeter"]["is_territory_itself"] and "pas ceux de ce territoire" in bassin["note"]
    assert bassin["quarter"] == "T3 2024" and bassin["total"]["hires_raw"] == 7500
    assert [(g["grand_secteur"], g["sector_code"]) for g in bassin["grand_secteurs"]] == [
        ("Construction", "btp"), ("Commerce", None)]
    assert bassin["contracts"]["cdd"]["hires_raw"] == 1500 + 3000
    quimperle = figures.key_figures(built, "zone_emploi", "5314")  # INSEE 5314 is Quimperlé, in dép. 29
    assert quimperle.hires["perimeter"]["code"] == "29" and quimperle.hires["total"]["hires_raw"] == 1000
    assert not bassin["is_demo"]
    france = figures.key_figures(built, "france", "FR", 2024).hires
    assert france["perimeter"]["is_territory_itself"] and france["grand_secteurs"] == []
    assert france["total"]["hires_raw"] == 2_700_000 and france["quarter"] == "T3 2024"


def test_cli_text_says_it_is_context(built, capsys):
    built.close()
    assert main(["figures", "--territory", "bassin:5314", "--year", "2024"]) == 0
    out = capsys.readouterr().out
    assert "DPAE" in out and "Contexte départemental" in out and "7\u202f500" in out and "Construction (= BTP)" in out


def test_a_file_covering_an_older_one_replaces_it_and_partial_overlaps_are_refused(built, tmp_path):
    """A fetch for a second territory (a bassin spanning 35 and 44 after one in Bretagne, say) asks for
    more départements: that export holds every département of the older one and replaces it."""
    built.close()
    old = next(e for e in manifest.load() if e["source"] == "urssaf_dpae" and e["scope"] != "France")
    wider = write_dpae_departements_csv(tmp_path / "dpae_52-53.csv", [
        *DEPARTEMENTS, dep("49", 2024, 9, BUILD, "cdi", 700, 710), dep("85", 2024, 9, BUILD, "cdi", 600, 610)])
    result = importer.import_file(wider)
    assert result.status == "remplacé"
    scopes = sorted(e["scope"] for e in manifest.load() if e["source"] == "urssaf_dpae")
    assert scopes == ["France", "dép. 22, 29, 35, 44, 49, 56, 85"]
    assert not manifest.file_of(old).exists()
    build.build(say=lambda m: None)
    con = marts(paths.MARTS_DB)
    try:  # dép. 35 counted once (7 500, not 15 000), dép. 49 there
        assert hires(con, "departement", "35", "ensemble", "ensemble", "2024-07-01")[0] == 7500
        assert hires(con, "departement", "49", "ensemble", "ensemble", "2024-07-01")[0] == 700
    finally:
        con.close()
    # a file sharing some départements with the loaded one but not holding all of them is refused
    only_35 = write_dpae_departements_csv(tmp_path / "dpae_35.csv",
                                          [row for row in DEPARTEMENTS if row["code_departement"] == "35"])
    with pytest.raises(InputError, match="(?s)urssaf_dpae_rows_in_one_file_only.*35"):
        importer.import_file(only_35)
    other = write_dpae_departements_csv(tmp_path / "dpae_44_75.csv", [
        dep("44", 2024, 9, BUILD, "cdi", 500, 500), {**dep("44", 2024, 9, BUILD, "cdi", 1, 1),
                                                      "code_departement": "75", "code_region": "11"}])
    with pytest.raises(InputError, match="(?s)urssaf_dpae_rows_in_one_file_only.*44"):
        importer.import_file(other)
    assert len([e for e in manifest.load() if e["source"] == "urssaf_dpae"]) == 2


def test_replaces_needs_every_departement_of_the_older_file():
    assert urssaf_dpae.replaces("dép. 22, 29, 35, 44, 56", "dép. 22, 29, 35, 56")
    assert urssaf_dpae.replaces("dép. 22, 29, 35, 56", "dép. 22, 29, 35, 56")
    assert not urssaf_dpae.replaces("dép. 35, 44", "dép. 22, 29, 35, 56")
    assert not urssaf_dpae.replaces("dép. 22, 29, 35, 56", "France")
    assert not urssaf_dpae.replaces("France", "dép. 35")
    assert not urssaf_dpae.replaces("dép. 22, 29, 35, 56", "13 départements")  # older form: codes unknown
