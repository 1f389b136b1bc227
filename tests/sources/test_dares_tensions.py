"""DARES tension indicators: the 2019 file by FAP × territory and the 2021 file by ROME × bassin, one long frame."""

import csv

import duckdb
import pandas as pd
import pytest

from pipelines.errors import InputError
from pipelines.ingest import importer, manifest
from pipelines.sources import dares_tensions
from pipelines.sources.dares_tensions import FIELDS, INDICATORS, write_2019_csv, write_2021_csv
from tests import conftest
from tests.conftest import FIXTURES, real_file

DRIVERS = INDICATORS[1:]


def row_2019(fap, niveau_geo, *, reg=None, dep=None, niveau_fap="fap 225", employment=1200, tension=0.42,
             tension_class=4, drivers=(4, 3, 2, 5, 1, 3)):
    """One invented row of the 2019 layout; drivers in INDICATORS order, None = blank (n.d.)."""
    return {"fap": fap, "employment": employment, "tension": tension, "tension_class": tension_class,
            **dict(zip(DRIVERS, drivers, strict=True)), "niveau_geo": niveau_geo, "niveau_fap": niveau_fap,
            "reg": reg, "dep": dep}


def row_2021(rome, bassin, *, job_offers=16.25, job_seekers=37, classes=(5, 4, 3, 2, 1, 2, 3)):
    """One invented row of the 2021 layout; classes in INDICATORS order, None = blank."""
    return {"rome": rome, "bassin": bassin, "job_offers": job_offers, "job_seekers_abc": job_seekers,
            **dict(zip(INDICATORS, classes, strict=True))}


NOT_PUBLISHED = (None,) * 6
ROWS_2019 = [
    row_2019("B2Z44", "nat", employment=52000, tension=0.87, tension_class=5, drivers=(5, 4, 3, 2, 1, 2)),
    row_2019("B2Z44", "reg", reg=53, employment=2600, tension=1.25, tension_class=5, drivers=(5, 5, 4, 2, 2, 3)),
    # "reg " with a trailing space, FAP 87 level, région 1 written "1.0"
    row_2019("B2Z", "reg ", reg=1, niveau_fap="fap 87", employment=800, tension=-1.5, tension_class=1,
             drivers=(1, 2, 1, 4, 3, 5)),
    row_2019("M1Z80", "dep", dep="35", employment=6100, tension=1.9, tension_class=5, drivers=(4, 5, 3, 2, 1, 3)),
    # class withheld (small cell) but the score printed, as DARES does
    row_2019("A1Z42", "dep", dep="2A", employment=300, tension=-0.61, tension_class=None, drivers=NOT_PUBLISHED),
    # nothing published but the employment
    row_2019("E1Z42", "dep", dep="971", employment=0, tension=None, tension_class=None, drivers=NOT_PUBLISHED),
]
ROWS_2021 = [
    row_2021("F1703", "0203", job_offers=16.25, job_seekers=37),
    row_2021("F1703", "5314", job_offers=120.5, job_seekers=88.75, classes=(4, 4, None, 3, 5, 1, 2)),
    row_2021("M1805", "5314", job_offers=310, job_seekers=42.5, classes=(5, 5, 1, 5, 2, 3, 4)),
]
# The publishers' headers, spelled out here rather than taken from the module, so the mapping is tested.
HEADER_2019 = ["fap", "Emploi moyen", "Tension ", "Catégorie Tension", "Intensité d'embauches",
               "Lien formation-emploi", "Manque de main-d'œuvre disponible", "Non-durabilité de l'emploi",
               "Conditions de travail contraignantes", "Inadéquation géographique", "Année", "niveau_geo",
               "niveau_fap", "reg", "dep"]
HEADER_2021 = ["annee", "ROME", "cbassin", "oee", "defm_abc", "ind_tension_d", "ind_int_emb_d", "ind_main_oeuvre_d",
               "ind_dur_empl_d", "ind_cond_travail_d", "ind_mismatch_geo_d", "ind_specif_form_empl_d"]
CLASS_COLUMNS_2019 = {"Catégorie Tension": "tension", "Intensité d'embauches": "hiring_intensity",
                      "Lien formation-emploi": "training_link", "Manque de main-d'œuvre disponible": "labour_shortage",
                      "Non-durabilité de l'emploi": "job_instability",
                      "Conditions de travail contraignantes": "working_conditions",
                      "Inadéquation géographique": "geographic_mismatch"}
CLASS_COLUMNS_2021 = {"ind_tension_d": "tension", "ind_int_emb_d": "hiring_intensity",
                      "ind_specif_form_empl_d": "training_link", "ind_main_oeuvre_d": "labour_shortage",
                      "ind_dur_empl_d": "job_instability", "ind_cond_travail_d": "working_conditions",
                      "ind_mismatch_geo_d": "geographic_mismatch"}


def indicators_of(frame: pd.DataFrame, **keys) -> dict[str, tuple]:
    """{indicator: (value_class, value)} of one file row, NA as None."""
    chosen = frame
    for column, value in keys.items():
        chosen = chosen[chosen[column] == value]
    return {row.indicator: (None if pd.isna(row.value_class) else row.value_class,
                            None if pd.isna(row.value) else row.value) for row in chosen.itertuples()}


def rewrite(path, change) -> None:
    """Edit a written fixture as rows of cells (the delimiter is kept)."""
    text = path.read_text(encoding="utf-8")
    delimiter = ";" if text.split("\n", 1)[0].count(";") else ","
    rows = list(csv.reader(text.splitlines(), delimiter=delimiter))
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter, lineterminator="\n").writerows(change(rows))


def drop_column(name):
    def change(rows):
        position = rows[0].index(name)
        return [row[:position] + row[position + 1:] for row in rows]
    return change


def set_cell(line, column, value):
    def change(rows):
        rows[line - 1][rows[0].index(column)] = value
        return rows
    return change


# --- 2019 layout ------------------------------------------------------------------------------------------


def test_2019_layout_reads_to_one_long_frame_of_text(tmp_path):
    path = write_2019_csv(tmp_path / "any-name.csv", ROWS_2019)
    assert dares_tensions.recognise(path)
    table = dares_tensions.read(path)
    assert table.period == "2019"
    frame = table.frame
    assert list(frame.columns) == FIELDS
    assert all(str(dtype) == "string" for dtype in frame.dtypes)
    assert len(frame) == len(ROWS_2019) * 8  # seven classes + employment per file row
    assert table.rows == len(ROWS_2019)  # what import reports: the file's rows, not the long frame's
    assert list(frame["indicator"][:8]) == [*INDICATORS, "employment"]
    assert set(frame["year"]) == {"2019"} and set(frame["metier_nomenclature"]) == {"fap2009"}


def test_2019_territories_and_fap_levels(tmp_path):
    frame = dares_tensions.read(write_2019_csv(tmp_path / "t.csv", ROWS_2019)).frame
    per_row = frame[frame["indicator"] == "tension"]
    assert list(zip(per_row["territory_type"], per_row["territory_code"], strict=True)) == [
        ("france", "FR"), ("region", "53"), ("region", "1"), ("departement", "35"), ("departement", "2A"),
        ("departement", "971")]  # "53.0" -> "53", "reg " is a région; zero-padding is left to SQL
    assert list(per_row["metier_level"]) == ["fap225", "fap225", "fap87", "fap225", "fap225", "fap225"]
    assert list(per_row["metier_code"]) == ["B2Z44", "B2Z44", "B2Z", "M1Z80", "A1Z42", "E1Z42"]


def test_2019_classes_score_and_employment(tmp_path):
    frame = dares_tensions.read(write_2019_csv(tmp_path / "t.csv", ROWS_2019)).frame
    assert indicators_of(frame, territory_type="france", metier_code="B2Z44") == {
        "tension": ("5", "0.87"), "hiring_intensity": ("5", None), "training_link": ("4", None),
        "labour_shortage": ("3", None), "job_instability": ("2", None), "working_conditions": ("1", None),
        "geographic_mismatch": ("2", None), "employment": (None, "52000")}
    assert indicators_of(frame, territory_code="1")["tension"] == ("1", "-1.5")


def test_2019_blank_cells_stay_not_available_never_zero(tmp_path):
    frame = dares_tensions.read(write_2019_csv(tmp_path / "t.csv", ROWS_2019)).frame
    withheld = indicators_of(frame, territory_code="2A")
    assert withheld["tension"] == (None, "-0.61")  # class withheld, score printed
    assert all(withheld[name] == (None, None) for name in DRIVERS)
    nothing = indicators_of(frame, territory_code="971")
    assert nothing.pop("employment") == (None, "0")
    assert set(nothing.values()) == {(None, None)}


@pytest.mark.parametrize(("column", "indicator"), list(CLASS_COLUMNS_2019.items()))
def test_2019_each_class_column_is_its_indicator(tmp_path, column, indicator):
    path = tmp_path / "hand.csv"
    cells = {name: "1.0" for name in CLASS_COLUMNS_2019} | {column: "5.0"}
    line = ["X9Z99", "100", "0.5", *[cells[name] for name in CLASS_COLUMNS_2019], "2019", "nat", "fap 225", "", ""]
    path.write_text(",".join(HEADER_2019) + "\n" + ",".join(line) + "\n", encoding="utf-8")
    classes = {k: v[0] for k, v in indicators_of(dares_tensions.read(path).frame).items()}
    assert classes.pop(indicator) == "5"
    assert set(classes.values()) == {"1", None}  # None: employment


# --- 2021 layout ------------------------------------------------------------------------------------------


def test_2021_layout_keeps_bassin_codes_and_reads_decimal_commas(tmp_path):
    path = write_2021_csv(tmp_path / "bassins.csv", ROWS_2021)
    assert "16,25" in path.read_text(encoding="utf-8")
    assert dares_tensions.recognise(path)
    table = dares_tensions.read(path)
    assert table.period == "2021"
    frame = table.frame
    assert list(frame.columns) == FIELDS and all(str(dtype) == "string" for dtype in frame.dtypes)
    assert len(frame) == 3 * 9
    assert list(frame["territory_code"].drop_duplicates()) == ["0203", "5314"]  # leading zero kept
    assert set(frame["territory_type"]) == {"bassin_bmo"} and set(frame["metier_level"]) == {"rome"}
    first = indicators_of(frame, territory_code="0203")
    assert first["job_offers"] == (None, "16.25") and first["job_seekers_abc"] == (None, "37")
    second = indicators_of(frame, territory_code="5314", metier_code="F1703")
    assert second["job_seekers_abc"] == (None, "88.75")
    assert second["training_link"] == (None, None)  # a blank class is n.d.


def test_the_older_2021_export_without_drivers_is_read_for_its_tension_class(tmp_path):
    """France-Travail/mobiville's older export (up to 2023): annee;ROME;rome_label;cbassin;lib_bassin_bmo19;oee;
    defm_abc;ind_tension_d: the class and the volumes, no driver (invented values)."""
    path = tmp_path / "cities-tension-utf8.csv"
    path.write_text("annee;ROME;rome_label;cbassin;lib_bassin_bmo19;oee;defm_abc;ind_tension_d\n"
                    "2021;F1703;Maçonnerie;5314;RENNES;12,5;40;5\n"
                    "2021;M1805;Études et développement informatique;0203;CHATEAU-THIERRY;3;7,25;2\n",
                    encoding="utf-8")
    assert dares_tensions.recognise(path)
    frame = dares_tensions.read(path).frame
    assert set(frame["indicator"]) == {"tension", "job_offers", "job_seekers_abc"}
    masonry = indicators_of(frame, territory_code="5314", metier_code="F1703")
    assert masonry == {"tension": ("5", None), "job_offers": (None, "12.5"), "job_seekers_abc": (None, "40")}
    assert indicators_of(frame, territory_code="0203")["job_seekers_abc"] == (None, "7.25")


def test_a_2021_file_missing_one_driver_is_the_2021_layout_and_names_it(tmp_path):
    path = write_2021_csv(tmp_path / "bassins.csv", ROWS_2021)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("ind_int_emb_d", "intensite", 1), encoding="utf-8")
    with pytest.raises(InputError, match="ind_int_emb_d|intensit"):
        dares_tensions.read(path)


def test_the_2021_file_is_fetched_from_the_repository_that_holds_its_commit():
    url = dares_tensions.DOWNLOAD_URLS["2021 ROME × bassin"]
    assert url.startswith("https://raw.githubusercontent.com/StartupsPoleEmploi/mobiville/6b1569631206e04fa53cf9f14c")
    assert dares_tensions.URL.endswith("/publication/les-tensions-sur-le-marche-du-travail-en-2024")


@pytest.mark.parametrize(("column", "indicator"), list(CLASS_COLUMNS_2021.items()))
def test_2021_each_class_column_is_its_indicator(tmp_path, column, indicator):
    path = tmp_path / "hand.csv"
    cells = {name: "1" for name in CLASS_COLUMNS_2021} | {column: "5"}
    line = ["2021", "X1234", "0101", "2,5", "3", *[cells[name] for name in HEADER_2021[5:]]]
    path.write_text(";".join(HEADER_2021) + "\n" + ";".join(line) + "\n", encoding="utf-8")
    classes = {k: v[0] for k, v in indicators_of(dares_tensions.read(path).frame).items()}
    assert classes.pop(indicator) == "5"
    assert set(classes.values()) == {"1", None}  # None: the two volumes


# --- refusals ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("layout", "change", "message"), [
    ("2019", drop_column("Inadéquation géographique"), r"colonnes manquantes.*geographic_mismatch"),
    ("2019", drop_column("niveau_fap"), r"colonnes manquantes.*fap_level"),
    ("2021", drop_column("defm_abc"), r"colonnes manquantes.*job_seekers_abc"),
    ("2019", set_cell(2, "Catégorie Tension", "6.0"), r"classe hors de 1 à 5 « 6.0 ».*Catégorie Tension.*ligne 2"),
    ("2019", set_cell(3, "Intensité d'embauches", "élevée"), r"« élevée ».*Intensité d'embauches.*ligne 3"),
    ("2021", set_cell(3, "ind_mismatch_geo_d", "0"), r"classe hors de 1 à 5 « 0 ».*ind_mismatch_geo_d.*ligne 3"),
    ("2021", set_cell(2, "ind_tension_d", "4,5"), r"classe hors de 1 à 5 « 4,5 ».*ind_tension_d.*ligne 2"),
    ("2019", set_cell(4, "Tension ", "n.d."), r"valeur non numérique « n.d. » dans la colonne « Tension » \(ligne 4\)"),
    ("2019", set_cell(2, "Emploi moyen", "52 000"), r"non numérique « 52 000 ».*Emploi moyen"),
    ("2021", set_cell(2, "oee", "1.234,5"), r"non numérique « 1.234,5 ».*oee"),
    ("2021", set_cell(4, "defm_abc", "abc"), r"valeur non numérique « abc » dans la colonne « defm_abc » \(ligne 4\)"),
    ("2019", set_cell(5, "niveau_geo", "com"), r"niveau géographique inconnu.*« com ».*ligne 5"),
    ("2019", set_cell(2, "niveau_geo", ""), r"niveau géographique inconnu"),
    ("2019", set_cell(2, "niveau_fap", "fap 22"), r"FAP inconnu.*« fap 22 »"),
    ("2019", set_cell(3, "reg", ""), r"« reg » vide pour niveau_geo reg \(ligne 3\)"),
    ("2019", set_cell(6, "dep", ""), r"« dep » vide pour niveau_geo dep \(ligne 6\)"),
    ("2019", set_cell(3, "reg", "53.5"), r"code de région invalide « 53.5 »"),
    ("2019", set_cell(2, "Année", "2O19"), r"année invalide « 2O19 »"),
    ("2021", set_cell(2, "cbassin", ""), r"bassin_code vide \(ligne 2\)"),
    ("2021", set_cell(3, "ROME", ""), r"metier_code vide \(ligne 3\)"),
])
def test_bad_files_are_refused_with_file_and_place(tmp_path, layout, change, message):
    path = tmp_path / f"tensions_{layout}.csv"
    if layout == "2019":
        write_2019_csv(path, ROWS_2019)
    else:
        write_2021_csv(path, ROWS_2021)
    rewrite(path, change)
    with pytest.raises(InputError, match=rf"tensions_{layout}\.csv.*{message}"):
        dares_tensions.read(path)


def test_header_only_and_truncated_files_are_refused(tmp_path):
    empty = write_2021_csv(tmp_path / "empty.csv", [])
    with pytest.raises(InputError, match="empty.csv.*aucune ligne"):
        dares_tensions.read(empty)
    whole = write_2019_csv(tmp_path / "whole.csv", ROWS_2019)
    truncated = tmp_path / "truncated.csv"
    truncated.write_bytes(whole.read_bytes()[:-25])
    with pytest.raises(InputError, match="truncated.csv.*ligne 7"):
        dares_tensions.read(truncated)


def test_other_files_are_not_tension_files(tmp_path):
    assert not dares_tensions.recognise(FIXTURES / "not_a_lexicon.csv")
    with pytest.raises(InputError, match="not_a_lexicon.csv.*ni le fichier DARES"):
        dares_tensions.read(FIXTURES / "not_a_lexicon.csv")
    series = tmp_path / "evol.csv"  # the national 2011-2019 series: no territory, no class
    series.write_text('fap,"Tension ",Année\nX1Z01,0.25,2012\n', encoding="utf-8")
    assert not dares_tensions.recognise(series)
    assert "evol_tensions" in dares_tensions.near_miss(series)
    assert dares_tensions.near_miss(write_2019_csv(tmp_path / "t.csv", ROWS_2019)) is None


# --- staging SQL ------------------------------------------------------------------------------------------


def staged(*frames: pd.DataFrame) -> duckdb.DuckDBPyConnection:
    return conftest.staged("dares_tensions", "stg_dares_tensions__indicators", *frames)


def test_staging_types_pads_and_flags(tmp_path):
    con = staged(dares_tensions.read(write_2019_csv(tmp_path / "a.csv", ROWS_2019)).frame,
                 dares_tensions.read(write_2021_csv(tmp_path / "b.csv", ROWS_2021)).frame)
    types = dict(con.execute("select column_name, column_type from "
                             "(describe stg_dares_tensions__indicators)").fetchall())
    assert types == {"year": "INTEGER", "period": "DATE", "territory_type": "VARCHAR", "territory_code": "VARCHAR",
                     "metier_nomenclature": "VARCHAR", "metier_code": "VARCHAR", "metier_level": "VARCHAR",
                     "indicator": "VARCHAR", "indicator_group": "VARCHAR", "value_class": "INTEGER",
                     "value": "DOUBLE", "is_published": "BOOLEAN", "source_file": "VARCHAR", "is_demo": "BOOLEAN"}

    def one(where: str, parameters: list):
        return con.execute(f"""select value_class, value, is_published, indicator_group
            from stg_dares_tensions__indicators where {where}""", parameters).fetchall()

    codes = con.execute("""select distinct territory_type, territory_code from stg_dares_tensions__indicators
        order by all""").fetchall()
    assert codes == [("bassin_bmo", "0203"), ("bassin_bmo", "5314"), ("departement", "2A"), ("departement", "35"),
                     ("departement", "971"), ("france", "FR"), ("region", "01"), ("region", "53")]
    tension = "indicator = 'tension' and territory_code = ? and metier_code = ?"
    assert one(tension, ["FR", "B2Z44"]) == [(5, 0.87, True, "tension")]
    assert one(tension, ["2A", "A1Z42"]) == [(None, -0.61, False, "tension")]  # score but no class: n.d.
    assert one("indicator = 'employment' and territory_code = '971'", []) == [(None, 0.0, True, "volume")]
    assert one("indicator = 'job_offers' and territory_code = '0203'", []) == [(None, 16.25, True, "volume")]
    assert one("indicator = 'training_link' and territory_code = '5314' and metier_code = 'F1703'", []) == [
        (None, None, False, "driver")]
    assert con.execute("select distinct year, period from stg_dares_tensions__indicators order by 1").fetchall() == [
        (2019, pd.Timestamp("2019-01-01").date()), (2021, pd.Timestamp("2021-01-01").date())]


# --- conformance on the real files -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_2021():
    path = real_file("tensions/cities-tension-utf8.csv")
    return path, dares_tensions.read(path)


@pytest.fixture(scope="module")
def real_2019():
    path = real_file("tensions/dares_tensions_2019.csv")
    return path, dares_tensions.read(path)


def test_real_2021_file_rennes_bassin(real_2021):
    path, table = real_2021
    assert dares_tensions.recognise(path) and table.period == "2021"
    frame = table.frame
    assert len(frame) == 27_135 * 9  # data lines counted with awk
    rennes = frame[frame["territory_code"] == "5314"]
    assert rennes["metier_code"].nunique() == 219 and len(rennes) == 219 * 9
    m1805 = indicators_of(rennes, metier_code="M1805")
    assert m1805["tension"] == ("5", None)
    with open(path, encoding="utf-8", newline="") as handle:
        line = next(r for r in csv.DictReader(handle, delimiter=";") if (r["cbassin"], r["ROME"]) == ("5314", "M1805"))
    assert {indicator: m1805[indicator][0] for indicator in INDICATORS} == {
        indicator: line[column] for column, indicator in CLASS_COLUMNS_2021.items()}
    assert m1805["job_offers"][1] == line["oee"].replace(",", ".")
    assert m1805["job_seekers_abc"][1] == line["defm_abc"].replace(",", ".")
    assert frame["territory_code"].str.len().eq(4).all()


def test_real_2019_file_m2z90_in_ille_et_vilaine(real_2019):
    path, table = real_2019
    assert dares_tensions.recognise(path) and table.period == "2019"
    frame = table.frame
    assert len(frame) == 31_034 * 8
    with open(path, encoding="utf-8", newline="") as handle:
        key = ("M2Z90", "dep", "35")
        line = next(r for r in csv.DictReader(handle) if (r["fap"], r["niveau_geo"], r["dep"]) == key)
    # As the file states them: tension class 5 and its six drivers.
    assert [line[column] for column in CLASS_COLUMNS_2019] == ["5.0", "5.0", "5.0", "5.0", "1.0", "1.0", "2.0"]
    m2z90 = indicators_of(frame, territory_type="departement", territory_code="35", metier_code="M2Z90")
    assert m2z90["tension"] == ("5", line["Tension "])
    assert [m2z90[indicator][0] for indicator in DRIVERS] == ["5", "5", "5", "1", "1", "2"]
    assert m2z90["employment"] == (None, line["Emploi moyen"])
    per_row = frame[frame["indicator"] == "tension"]
    assert len(per_row[per_row["territory_code"] == "35"]) == 263  # counted with grep
    levels = per_row.groupby("territory_type")["territory_code"].nunique().to_dict()
    assert levels == {"france": 1, "region": 17, "departement": 100}
    assert set(per_row["metier_level"]) == {"fap225", "fap87"}


def test_real_derived_extracts_read_like_their_full_files(real_2019, real_2021):
    rennes = dares_tensions.read(real_file("tensions/derived_cities_tension_2021_BE5314_Rennes.csv")).frame
    full = real_2021[1].frame
    assert rennes.equals(full[full["territory_code"] == "5314"].reset_index(drop=True))
    bretagne = dares_tensions.read(real_file("tensions/derived_dares_tensions_2019_dep35_reg53.csv")).frame
    assert set(bretagne["territory_code"]) == {"53", "35"} and len(bretagne) == 526 * 8


def test_real_files_through_staging(real_2019, real_2021):
    con = staged(real_2019[1].frame, real_2021[1].frame)
    assert con.execute("""select value_class from stg_dares_tensions__indicators
        where territory_type = 'bassin_bmo' and territory_code = '5314' and metier_code = 'M1805'
        and indicator = 'tension'""").fetchall() == [(5,)]
    drivers = con.execute("""select list(value_class order by indicator) from stg_dares_tensions__indicators
        where territory_type = 'departement' and territory_code = '35' and metier_code = 'M2Z90'
        and indicator_group = 'driver'""").fetchall()[0][0]
    # alphabetical: geographic_mismatch, hiring_intensity, job_instability, labour_shortage, training_link,
    # working_conditions
    assert drivers == [2, 5, 1, 5, 5, 1]
    assert con.execute("""select count(*) from stg_dares_tensions__indicators
        where territory_type = 'region' and territory_code = '01'""").fetchall() == [(263 * 8,)]
    assert con.execute("""select min(value_class), max(value_class) from stg_dares_tensions__indicators""").fetchall() \
        == [(1, 5)]


def test_real_files_import_with_their_own_row_counts(no_demo):
    """`import` and the manifest count file rows (the truncation guard compares them), not indicator rows."""
    results = [importer.import_file(real_file(name))
               for name in ("tensions/dares_tensions_2019.csv", "tensions/cities-tension-utf8.csv")]
    assert [result.rows for result in results] == [31_034, 27_135]  # wc -l, less the header
    assert sorted(entry["rows"] for entry in manifest.load()) == [27_135, 31_034]


def test_other_real_files_are_not_tension_files():
    assert not dares_tensions.recognise(real_file("tensions/dares_evol_tensions_2011_2019.csv"))
    assert dares_tensions.near_miss(real_file("tensions/dares_evol_tensions_2011_2019.csv"))
    for name in ["fap_rome/fap225_rome.csv", "fap_rome/Rome-V3_vers_Fap-2009.xls", "bmo/bassin_emploi.csv"]:
        assert not dares_tensions.recognise(real_file(name)), name
