"""Conformance on the real publisher files (REAL_DATA_DIR): imported exactly as they are, right figures.

These tests skip when REAL_DATA_DIR is unset (a fresh clone), and fail when it is set and a file is
missing. The expected figures are those published with the files (see shared/data/real/README.md).
"""

import csv
import re

import pytest
from streamlit.testing.v1 import AppTest

from pipelines import paths
from pipelines.ingest import importer
from pipelines.read import figures as read_figures
from pipelines.report import figures
from pipelines.warehouse import build
from tests.conftest import marts, real_file, use_data_dir

REAL_FILES = ["bmo/Base_open_data_BMO_2024.xlsx", "bmo/bassin_emploi.csv", "bmo/lexique-bassins.csv",
              "insee_ze2020/Communes_to_ZE_2022.xlsx"]


@pytest.fixture(scope="module")
def real_marts(tmp_path_factory):
    files = [real_file(name) for name in REAL_FILES]
    root = tmp_path_factory.mktemp("real")
    with pytest.MonkeyPatch.context() as patch:
        use_data_dir(patch, root / "data", demo_dir=root / "no-demo")
        results = [importer.import_file(file) for file in files]
        build.build(say=lambda m: None)
    return root, results


@pytest.fixture
def real(real_marts, monkeypatch):
    root, _ = real_marts
    use_data_dir(monkeypatch, root / "data", demo_dir=root / "no-demo")
    con = marts(paths.MARTS_DB)
    yield con
    con.close()


def test_real_files_are_recognised(real_marts):
    _, results = real_marts
    assert [(r.source, r.period) for r in results] == [
        ("bmo", "2024"), ("bmo_bassins", "2024"), ("bmo_bassins", "2019"), ("insee_ze", "2022")]
    assert results[0].rows == 53_443


def test_bmo_2024_key_figures(real):
    rennes = {s["sector_code"]: s for s in figures.key_figures(real, "bassin_bmo", "5314", 2024).sectors}
    assert rennes["ensemble"]["projects"] == 35_276
    assert round(rennes["ensemble"]["difficult_share"] * 100, 1) == 60.3
    assert round(rennes["ensemble"]["seasonal_share"] * 100, 1) == 16.5
    assert rennes["btp"]["projects"] == 2_828 and round(rennes["btp"]["difficult_share"] * 100, 1) == 79.9
    assert figures.key_figures(real, "departement", "35", 2024).sectors[-1]["projects"] == 52_119
    assert figures.key_figures(real, "region", "53", 2024).sectors[-1]["projects"] == 150_753
    france = figures.key_figures(real, "france", "FR", 2024).sectors[-1]
    assert france["projects"] == 2_751_069 and round(france["difficult_share"] * 100, 1) == 57.0


def test_commune_counts_per_zoning(real):
    def communes(territory_type, code, zoning):
        return real.execute("""select count(*) from bridge_territory_commune
            where territory_type = ? and territory_code = ? and zoning = ?""",
                            [territory_type, code, zoning]).fetchall()[0][0]

    assert communes("bassin_bmo", "5314", "BMO 2024") == 162
    assert communes("bassin_bmo", "5314", "BMO 2019") == 157
    assert communes("zone_emploi", "5315", "ZE 2020 (COG 2022)") == 160
    perimeter = figures.key_figures(real, "bassin_bmo", "5314", 2024).territory
    assert (perimeter["commune_count"], perimeter["commune_zoning"]) == (162, "BMO 2024")
    unpadded = real.execute("""select count(*) from dim_territory
        where territory_type = 'bassin_bmo' and length(territory_code) <> 4""").fetchall()
    assert unpadded == [(0,)]  # BMO writes 101, the 2019 lexicon 0101: one bassin, one code
    names = dict(real.execute("select territory_type, territory_name from dim_territory "
                              "where territory_code = '5314'").fetchall())
    assert names["bassin_bmo"] == "RENNES" and names["zone_emploi"] == "Quimperlé"


def test_secret_cells_are_null_never_zero(real):
    secret, zero_secret = real.execute("""select count(*) filter (where projects_secret),
        count(*) filter (where projects_secret and projects is not null)
        from fct_projects_by_bassin_dept_metier_year""").fetchall()[0]
    assert secret > 0 and zero_secret == 0


def test_every_real_metier_is_in_a_known_nomenclature(real):
    assert real.execute("select count(*) from audit_unmapped_metiers").fetchall() == [(0,)]


@pytest.mark.parametrize("page_file", ["app_pages/overview.py", "app_pages/sources.py"])
def test_pages_render_on_real_marts(real, page_file):
    test = AppTest.from_file(str(paths.ROOT / "dashboard.py"), default_timeout=60).run()
    test.switch_page(page_file).run()
    assert not test.exception
    assert not any("fictives" in w.value for w in test.warning)
    if page_file.endswith("overview.py"):
        assert test.metric[0].value == "2\u202f828"


def test_every_sector_matches_an_independent_sum_of_the_rennes_rows(real):
    """Recompute each sector from the published Rennes rows with plain Python: no SQL, no pipeline code."""
    import csv
    import fnmatch
    import tomllib

    sectors = tomllib.loads(paths.SECTORS_TOML.read_text())
    with open(real_file("bmo/derived_BMO_2024_BE5314_Rennes.csv"), encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    computed = {s["sector_code"]: s for s in figures.key_figures(real, "bassin_bmo", "5314", 2024).sectors}
    for code, sector in sectors.items():
        mine = [r for r in rows if any(fnmatch.fnmatch(r["Code métier BMO"], p) for p in sector["fap2021"])]
        total = sum(int(r["met"]) for r in mine if r["met"] != "*")
        difficult = sum(int(r["xmet"]) for r in mine if r["xmet"] != "*")
        assert computed[code]["projects"] == total, code
        assert computed[code]["difficult_share"] == pytest.approx(difficult / total), code


def test_build_warns_about_bassins_missing_from_the_lexicon(real):
    missing = real.execute("select bassin_code from audit_bassins_without_communes order by 1").fetchall()
    assert missing == [("0104",), ("0304",), ("7549",)]  # overseas bassins absent from bassin_emploi.csv


def test_real_national_dpae_file_is_imported_and_summed(no_demo):
    """The URSSAF national monthly DPAE file as it is: figures from SOURCE.txt, and one quarter summed
    independently from the CSV with the csv module."""
    import csv

    path = real_file("dpae/dpae-mensuelles-france-entiere.csv")
    result = importer.import_file(path)
    assert (result.source, result.period, result.rows) == ("urssaf_dpae", "2000-01/2023-09", 570)
    build.build(say=lambda m: None)
    with open(path, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert len({row["dernier_jour_du_mois"] for row in rows}) == 285
    september = {row["nature_de_contrat"]: int(row["dpae_brut"]) for row in rows
                 if row["dernier_jour_du_mois"] == "2023-09-30"}
    assert september == {"CDI": 667_642, "CDD de plus d'un mois": 830_897}
    quarter = [row for row in rows if row["dernier_jour_du_mois"][:7] in ("2023-07", "2023-08", "2023-09")]
    year_before = [row for row in rows if row["dernier_jour_du_mois"][:7] in ("2022-07", "2022-08", "2022-09")]
    expected = sum(int(row["dpae_brut"]) for row in quarter)
    expected_cdi_sa = sum(int(row["dpae_cvs"]) for row in quarter if row["nature_de_contrat"] == "CDI")
    con = marts(paths.MARTS_DB)
    try:
        staged_month = con.execute("""select hires_raw from fct_hires_by_territory_quarter
            where territory_type = 'france' and grand_secteur = 'ensemble' and contract_nature = 'ensemble'
            and period = '2023-07-01'""").fetchall()
        assert staged_month == [(expected,)]
        catalog = {about["source"]: about for about in read_figures.source_catalog(con)}
        data = figures.hires(con, "france", "FR", catalog)[0]
    finally:
        con.close()
    assert data["quarter"] == "T3 2023" and data["total"]["hires_raw"] == expected
    assert data["contracts"]["cdi"]["hires_sa"] == expected_cdi_sa
    assert data["total"]["hires_raw_change_1y"] == pytest.approx(
        expected / sum(int(row["dpae_brut"]) for row in year_before) - 1)
    assert data["context_only"] and data["grand_secteurs"] == []
    assert "suspendue" in data["publication"]  # the catalog's release note follows the figures


def test_a_real_compressed_download_is_named_as_an_archive(no_demo):
    """Mobiville's bz2 export: refused as what it is, with what to do, not as a binary encoding."""
    with pytest.raises(importer.InputError, match=r"archive compressée \(bz2\) : décompressez-la"):
        importer.import_file(real_file("defm/20211221_mv_villes_offre_full.csv.bz2"))


@pytest.mark.parametrize(("name", "old", "new", "column"), [
    ("tensions/cities-tension-utf8.csv", "ind_tension_d", "ind_tension", "tension (/ind tension d/)"),
    ("dpae/dpae-mensuelles-france-entiere.csv", "dpae_brut", "dpae_brute", "hires_raw"),
])
def test_a_real_file_with_a_renamed_column_names_it(tmp_path, name, old, new, column):
    header, body = real_file(name).read_bytes().split(b"\n", 1)
    renamed = tmp_path / "renamed.csv"  # a temporary copy, as `sed '1s/old/new/'` would make
    renamed.write_bytes(header.replace(old.encode(), new.encode(), 1) + b"\n" + body)
    with pytest.raises(importer.InputError, match=rf"renamed.csv : ressemble à .* absente\(s\) : {re.escape(column)}"):
        importer.recognise(renamed)


def test_the_btp_rennes_seasonal_share_is_said_as_a_lower_bound(real, capsys):
    """Issue 9: BTP in Rennes, BMO 2024: most of its seasonal cells are secret, so its seasonal share (published
    seasonal / published projects) is at least what is shown, said with its count of secret cells, which is
    counted here from the bassin's cells, not from the mart that says it."""
    from pipelines.__main__ import main
    from pipelines.frformat import fmt_int, fmt_pct
    from pipelines.report import zoom

    published, secret, difficult_secret, seasonal, difficult, projects = real.execute("""
        select count(*) filter (where not cell.projects_secret),
               count(*) filter (where cell.seasonal_secret and not cell.projects_secret),
               count(*) filter (where cell.difficult_secret and not cell.projects_secret),
               sum(cell.seasonal) filter (where not cell.projects_secret),
               sum(cell.difficult) filter (where not cell.projects_secret), sum(cell.projects)
        from fct_projects_by_bassin_dept_metier_year as cell
        join bridge_sector_metier as bridge using (nomenclature, metier_code)
        where cell.bassin_code = '5314' and cell.year = 2024 and bridge.sector_code = 'btp'""").fetchall()[0]
    assert secret > 0 and projects == 2_828
    share = f"au moins {fmt_pct(seasonal / projects)}"
    note = f"{fmt_int(secret)} cellules secrètes non comptées (sur {fmt_int(published)} aux projets publiés)"
    btp = zoom.zoom(real, "btp", "bassin_bmo", "5314", 2024)
    card = {card["key"]: card for card in btp.headline}["seasonal"]
    assert (card["value"], card["detail"]) == (share, f"des projets de recrutement ; {note}")
    # The difficult share is exact when no cell of published projects has a secret difficult count.
    difficult_text = ("au moins " if difficult_secret else "") + fmt_pct(difficult / projects)
    assert btp.takeaways[0].startswith(f"Dans le bassin d'emploi de Rennes, {difficult_text} des ")
    assert main(["figures", "--territory", "bassin:5314", "--year", "2024"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"Bâtiment et travaux publics +2\u202f828 +" + difficult_text + " +" + share, out)
    assert f"  Bâtiment et travaux publics, saisonniers : {note}" in out


def test_a_partial_urssaf_file_is_no_headline_for_france(no_demo, capsys):
    """Issue 9: the real URSSAF extract holds some communes of Seine-Maritime only: France's digital employment
    summed from them is never a headline; it says its coverage, counted here from the marts."""
    from pipelines.__main__ import main
    from pipelines.frformat import fmt_int
    from pipelines.report import zoom

    for name in ("insee_ze2020/Communes_to_ZE_2022.xlsx",
                 "urssaf/urssaf_commune_ape_ZE2815_Rouen_2006_2022_labels.csv"):
        importer.import_file(real_file(name))
    build.build(say=lambda m: None)
    # The communes the file holds, counted from the file itself (whether or not they have employers in 2022).
    with open(real_file("urssaf/urssaf_commune_ape_ZE2815_Rouen_2006_2022_labels.csv"), encoding="utf-8-sig",
              newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    communes = sorted({row["Code commune"] for row in rows})
    with_data = len(communes)
    # A list of exactly the file's communes is complete: its figure is a headline (the file's sum for 2022).
    paths.COMMUNE_LISTS.write_text('[fichier]\nnom = "Communes du fichier"\ncommunes = ['
                                   + ", ".join(f'"{code}"' for code in communes) + "]\n", encoding="utf-8")
    build.build(say=lambda m: None)
    employees_2022 = sum(int(row["Effectifs salariés 2022"]) for row in rows if row["Effectifs salariés 2022"])
    con = marts(paths.MARTS_DB)
    try:
        listed = zoom.zoom(con, "btp", "liste", "fichier")
        everything = figures.key_figures(con, "liste", "fichier").sectors[-1]["employment"]
    finally:
        con.close()
    assert everything["employees"] == employees_2022 and not everything["partial_coverage"]
    assert {card["key"] for card in listed.headline} >= {"employees", "establishments"}
    con = marts(paths.MARTS_DB)
    try:
        (total,) = con.execute("select commune_count from dim_territory where territory_type = 'france'").fetchall()[0]
        numerique = zoom.zoom(con, "numerique", "france", "FR")
    finally:
        con.close()
    coverage = f"couverture partielle ({fmt_int(with_data)} communes sur {fmt_int(total)})"
    assert with_data < total
    card = {card["key"]: card for card in numerique.headline}["employees"]
    assert card["value"] == "couverture partielle" and card["detail"].startswith(coverage)
    assert coverage in numerique.takeaways[0] and "salariés" not in " ".join(numerique.takeaways)
    assert numerique.employment_partial.endswith(f"{coverage}.")
    assert main(["figures", "--territory", "fr"]) == 0
    assert f"{coverage[0].upper()}{coverage[1:]} : sommes partielles des communes chargées" in capsys.readouterr().out
    # On the page, France's partial sums are a table titled so, never a curve (AppTest on the same marts).
    test = AppTest.from_file(str(paths.ROOT / "dashboard.py"), default_timeout=60).run()
    test.switch_page("app_pages/zoom_secteur.py")
    test.query_params.update({"secteur": "numerique", "territoire": "fr"})
    test.run()
    assert not test.exception
    drawn = [element.proto.id for element in test.get("plotly_chart")]  # "$$ID-…-chart-<key>"
    assert not any("chart-emploi" in key or "chart-etablissements" in key for key in drawn)
    assert any(element.value.startswith("**Numérique : salariés") and element.value.endswith("(somme partielle)**")
               for element in test.markdown)


EPCI_2023 = "insee_epci/Intercommunalite_Metropole_au_01-01-2023.xlsx"


def test_real_epci_workbook_is_read_as_published():
    """Insee's intercommunalité workbook, geography 2023: the figures of its SOURCE.txt."""
    from pipelines.sources import SOURCES

    path = real_file(EPCI_2023)
    assert importer.recognise(path).name == "insee_epci"
    table = SOURCES["insee_epci"].read(path)
    frame = table.frame
    assert (table.period, len(frame)) == ("2023", 34_945)
    rennes = frame[frame["epci_code"] == "243500139"]
    assert len(rennes) == 43 and set(rennes["epci_name"]) == {"Rennes Métropole"} and set(rennes["dept_code"]) == {"35"}
    assert frame.set_index("commune_code").loc["35238", "epci_code"] == "243500139"
    ille_et_vilaine = frame[frame["dept_code"] == "35"]
    assert (len(ille_et_vilaine), ille_et_vilaine["epci_code"].nunique()) == (333, 18)
    # ZZZZZZZZZ: the four island communes outside any EPCI, kept without one
    assert sorted(frame.loc[frame["epci_code"].isna(), "commune_code"]) == ["22016", "29083", "29155", "85113"]


def test_real_epci_memberships_in_the_marts(no_demo):
    for name in (EPCI_2023, "insee_ze2020/Communes_to_ZE_2022.xlsx"):
        importer.import_file(real_file(name))
    build.build(say=lambda m: None)
    con = marts(paths.MARTS_DB)
    try:
        place = figures.key_figures(con, *figures.parse_territory("epci:243500139")).territory
        in_35 = con.execute("""select count(distinct commune_code), count(distinct territory_code)
            from bridge_territory_commune
            where territory_type = 'epci' and is_latest_zoning and commune_code like '35%'""").fetchall()
        # The 160 communes of ZE 5315 Rennes (geography 2022) fall in 11 EPCI (SOURCE.txt), Rennes Métropole first.
        ze_rennes = con.execute("""select epci.territory_code, count(*) from bridge_territory_commune as ze
            join bridge_territory_commune as epci using (commune_code)
            where ze.territory_type = 'zone_emploi' and ze.territory_code = '5315' and epci.territory_type = 'epci'
            group by all order by 2 desc, 1""").fetchall()
        without = con.execute("""select count(*) from bridge_territory_commune
            where territory_type = 'epci' and commune_code in ('22016', '29083', '29155', '85113')""").fetchall()
    finally:
        con.close()
    assert (place["name"], place["commune_count"], place["commune_zoning"]) == ("Rennes Métropole", 43,
                                                                                "EPCI (COG 2023)")
    assert in_35 == [(333, 18)]  # the communes of département 35 (codes 35xxx) and their EPCI
    assert len(ze_rennes) == 11 and ze_rennes[0] == ("243500139", 43) and sum(n for _, n in ze_rennes) == 160
    assert without == [(0,)]


GEO_35 = "geo/communes-35-ille-et-vilaine.geojson"


def test_real_commune_geometry_is_read_as_published():
    """gregoiredavid/france-geojson's communes of Ille-et-Vilaine (ADMIN EXPRESS COG 2018): geo/SOURCE.txt."""
    import shapely

    from pipelines.sources import SOURCES

    path = real_file(GEO_35)
    assert importer.recognise(path).name == "geo_communes"
    table = SOURCES["geo_communes"].read(path)
    frame = table.frame.set_index("commune_code")
    assert (len(frame), table.period, table.scope) == (345, "inconnue", "35")  # its name holds no year
    assert frame.loc["35238", "commune_name"] == "Rennes"
    assert frame.loc["35013", "commune_name"] == "Bains-sur-Oust"
    assert shapely.from_wkb(frame.loc["35238", "geometry_wkb"]).geom_type == "Polygon"


def test_real_geometry_dissolves_rennes_metropole(no_demo):
    """Rennes Métropole dissolved from its 43 communes of the real geometry (EPCI of the real 2023 workbook) has
    their area; the geometry's codes of communes merged since 2018 are counted, none dropped."""
    import json

    import shapely

    from pipelines.read.geometry import shapes
    from pipelines.sources import SOURCES

    geometry, epci, ze = real_file(GEO_35), real_file(EPCI_2023), real_file("insee_ze2020/Communes_to_ZE_2022.xlsx")
    for path in (geometry, epci, ze):
        importer.import_file(path)
    build.build(say=lambda m: None)
    features = {feature["properties"]["code"]: shapely.geometry.shape(feature["geometry"])
                for feature in json.loads(geometry.read_text(encoding="utf-8"))["features"]}
    memberships = SOURCES["insee_epci"].read(epci).frame
    metropole = memberships.loc[memberships["epci_code"] == "243500139", "commune_code"]
    known = set(memberships["commune_code"]) | set(SOURCES["insee_ze"].read(ze).frame["commune_code"])
    con = marts(paths.MARTS_DB)
    try:
        read = shapes(con, "epci", codes=["243500139"])
        rennes = shapes(con, "commune", codes=["35238"])
        mapped = con.execute("select count(*) from bridge_geometry_commune").fetchall()[0][0]
    finally:
        con.close()
    assert read.codes == {"243500139"} and read.partial == {} and not read.is_demo
    dissolved = shapely.geometry.shape(read.geojson["features"][0]["geometry"])
    expected = sum(features[code].area for code in metropole)
    assert len(metropole) == 43 and dissolved.area == pytest.approx(expected, rel=0.005)
    assert dissolved.geom_type == "Polygon"  # one piece: the communes share their edges exactly
    assert rennes.codes == {"35238"}
    assert shapely.geometry.shape(rennes.geojson["features"][0]["geometry"]).area == pytest.approx(
        features["35238"].area, rel=0.01)
    # Codes of communes merged since 2018 (no COG history loaded): kept under their code, counted, said.
    assert mapped == 345 and read.unmatched_communes == len(set(features) - known) > 0
