"""ROME v3 ↔ FAP 2009 correspondence: the DARES csv (fap225_rome.csv) and the DARES xls table."""

import csv
import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipelines.errors import InputError
from pipelines.sources import rome_fap
from pipelines.sources.readers import sheet_rows
from pipelines.sources.rome_fap import FIELDS, write_fap225_rome_csv
from tests import conftest
from tests.conftest import FIXTURES, real_file

# Invented pairs (codes in the right shapes, labels of our own), with the csv's quirks.
ROWS = [
    {"fap2009_code": "Q9Z00", "rome_code": None, "rome_label": None},  # a family without ROME code: "NA"
    {"fap2009_code": "Q9Z40", "rome_code": "Z1101", "rome_label": "Élevage de licornes"},
    {"fap2009_code": "Q9Z40", "rome_code": "Z1102", "rome_label": "Tonte des moutons électriques *"},
    {"fap2009_code": "Q9Z41", "rome_code": "Z1102", "rome_label": "Tonte des moutons électriques **"},
    {"fap2009_code": "Q9Z41", "rome_code": "Z2201", "rome_label": "Réparation de machines (broyage, mélange, …)"},
    {"fap2009_code": "Q9Z41", "rome_code": "Z2201", "rome_label": "Réparation de machines (broyage, mélange, …)"},
    {"fap2009_code": "Q9Z92", "rome_code": None, "rome_label": None},
]


def test_csv_layout_reads_pairs_as_text(tmp_path):
    path = write_fap225_rome_csv(tmp_path / "any-name.csv", ROWS)
    assert path.read_bytes().endswith(b"NA;NA\n;;\n;;\n;;\n")  # as DARES wrote it
    assert rome_fap.recognise(path)
    table = rome_fap.read(path)
    assert table.period == "rome-v3"
    frame = table.frame
    assert list(frame.columns) == FIELDS and all(str(dtype) == "string" for dtype in frame.dtypes)
    # "NA" rows dropped, the duplicated pair kept (staging deduplicates), file order kept
    assert list(zip(frame["fap2009_code"], frame["rome_code"], strict=True)) == [
        ("Q9Z40", "Z1101"), ("Q9Z40", "Z1102"), ("Q9Z41", "Z1102"), ("Q9Z41", "Z2201"), ("Q9Z41", "Z2201")]
    assert frame["fap2009_label"].isna().all() and frame["qualification"].isna().all()


def test_csv_labels_lose_footnote_marks_and_keep_windows_1252_accents(tmp_path):
    frame = rome_fap.read(write_fap225_rome_csv(tmp_path / "t.csv", ROWS)).frame
    assert list(frame["rome_label"]) == ["Élevage de licornes", "Tonte des moutons électriques",
                                         "Tonte des moutons électriques",
                                         "Réparation de machines (broyage, mélange, …)",
                                         "Réparation de machines (broyage, mélange, …)"]


@pytest.mark.parametrize(("change", "message"), [
    (lambda text: text.replace("intitule_rome", "libelle"), r"colonnes manquantes.*rome_label"),
    (lambda text: text.replace("Z1101", "Z11"), r"code ROME invalide « Z11 » \(ligne 3\)"),
    (lambda text: text.replace("Q9Z41;Z2201", "Q9Z4;Z2201", 1), r"code FAP 2009 \(225\) invalide « Q9Z4 » \(ligne 6\)"),
    (lambda text: text.replace("Q9Z40;Z1101", ";Z1101"), r"fap2009_code vide \(ligne 3\)"),
    (lambda text: text.replace("Z1101;Élevage de licornes\n", "Z1101\n"), r"ligne 3 : 2 champs au lieu de 3"),
])
def test_bad_csv_is_refused_with_file_and_line(tmp_path, change, message):
    path = write_fap225_rome_csv(tmp_path / "fap_rome.csv", ROWS)
    path.write_bytes(change(path.read_bytes().decode("cp1252")).encode("cp1252"))
    with pytest.raises(InputError, match=rf"fap_rome\.csv.*{message}"):
        rome_fap.read(path)


def test_a_table_without_any_rome_code_is_refused(tmp_path):
    path = write_fap225_rome_csv(tmp_path / "only_na.csv", [ROWS[0], ROWS[-1]])
    with pytest.raises(InputError, match="only_na.csv.*aucun code ROME"):
        rome_fap.read(path)


def test_other_files_are_not_correspondence_tables(tmp_path):
    assert not rome_fap.recognise(FIXTURES / "not_a_lexicon.csv")
    assert not rome_fap.recognise(FIXTURES / "budget_not_bmo.xlsx")
    pcs = tmp_path / "fap_pcs.csv"  # FAP → PCS has the same shape but no ROME
    pcs.write_bytes("Fap;PCS;intitule_PCS\nQ9Z40;999z;Dresseurs de licornes\n".encode("cp1252"))
    assert not rome_fap.recognise(pcs)
    flattened = tmp_path / "processed.csv"  # a third party's ROME → FAP 87 table
    flattened.write_text("fap22,famille_pro22,fap87,famille_pro87,rome,rome_label\nQ,Fictif,Q9Z,Fictif,Z1101,X\n",
                         encoding="utf-8")
    assert not rome_fap.recognise(flattened)
    assert "FAP 87" in rome_fap.near_miss(flattened)
    with pytest.raises(InputError, match="processed.csv.*pas de feuille"):
        rome_fap.read(flattened)


# The xls layout cannot be written by our tools (openpyxl writes xlsx only): its block logic is tested on
# rows as python_calamine returns them, and the file itself on the real table below.
HEADER = ["FAP", "Familles professionnelles", "PCS", "Professions et catégories socioprofessionnelles", "ROME",
          "Qualification", "Répertoire Opérationnel des Métiers et des Emplois"]
SHEET = [
    HEADER,
    ["", " FAP-2009", "", " PCS 2003", "", "", "ROME version 3"],
    ["", "", "", "", "", "", ""],
    ["Q", "Domaine fictif", "", "", "", "", ""],
    ["Q9Z", "Groupe fictif", "", "", "", "", ""],
    ["Q9Z00", "Dresseurs indépendants", "999a", "Profession fictive", "", "", ""],  # no ROME: dropped
    ["", "", "999b", "Autre profession fictive", "", "", ""],
    ["Q9Z40", "Dresseurs salariés*", "999c", "Profession fictive", "Z1101", "Q_0123456", "Élevage de licornes"],
    ["", "", "", "", "Z1102", "", "Tonte des moutons électriques **"],
    ["", "", "", "", "", "", ""],
    ["  * (FAP Q9Z40) Une note de bas de page fictive.", "", "", "", "", "", ""],
    ["Q9Z41", "Tondeurs", "999d", "Profession fictive", "Z1102", "Q_789", "Tonte des moutons électriques **"],
    ["R", "Autre domaine", "", "", "", "", ""],
]


def test_sheet_blocks_carry_the_family_down_to_each_rome_line():
    frame, lines = rome_fap.table_from_sheet(Path("table.xls"), SHEET, 0)
    assert list(zip(frame["fap2009_code"], frame["rome_code"], frame["qualification"], strict=True)) == [
        ("Q9Z40", "Z1101", "Q_0123456"), ("Q9Z40", "Z1102", pd.NA), ("Q9Z41", "Z1102", "Q_789")]
    assert list(frame["fap2009_label"]) == ["Dresseurs salariés", "Dresseurs salariés", "Tondeurs"]
    assert list(frame["fap87_label"]) == ["Groupe fictif"] * 3  # the family group row's label, carried down
    assert list(frame["rome_label"]) == ["Élevage de licornes", "Tonte des moutons électriques",
                                         "Tonte des moutons électriques"]
    assert lines == [8, 9, 12]


def test_sheet_rome_line_outside_a_detailed_family_is_refused():
    sheet = [*SHEET, ["", "", "", "", "Z3301", "", "Métier orphelin"]]  # after domain R, no family
    with pytest.raises(InputError, match=r"table.xls.*« Z3301 » hors de toute famille.*ligne 14"):
        rome_fap.table_from_sheet(Path("table.xls"), sheet, 0)


def test_sheet_with_a_renamed_column_is_refused():
    sheet = [[*HEADER[:6], "Intitulé ROME"], *SHEET[1:]]
    with pytest.raises(InputError, match="table.xls.*colonnes manquantes.*rome_label"):
        rome_fap.table_from_sheet(Path("table.xls"), sheet, 0)


# --- staging SQL ------------------------------------------------------------------------------------------


def staged(*frames: pd.DataFrame, demo: bool = False) -> duckdb.DuckDBPyConnection:
    return conftest.staged("rome_fap", "stg_rome_fap__correspondence", *frames, demo=demo)


def test_staging_deduplicates_pairs_and_types_qualification_levels(tmp_path):
    csv_frame = rome_fap.read(write_fap225_rome_csv(tmp_path / "t.csv", ROWS)).frame
    sheet_frame, _ = rome_fap.table_from_sheet(Path("table.xls"), SHEET, 0)
    con = staged(csv_frame, sheet_frame[FIELDS].astype("string"), demo=True)
    types = dict(con.execute("select column_name, column_type from "
                             "(describe stg_rome_fap__correspondence)").fetchall())
    assert types == {"fap2009_code": "VARCHAR", "fap87_code": "VARCHAR", "fap22_code": "VARCHAR",
                     "fap2009_label": "VARCHAR", "fap87_label": "VARCHAR", "rome_code": "VARCHAR",
                     "rome_label": "VARCHAR",
                     "qualification_levels": "INTEGER[]", "is_demo": "BOOLEAN"}
    rows = con.execute("""select fap2009_code, fap87_code, fap22_code, fap2009_label, rome_code,
        qualification_levels, is_demo from stg_rome_fap__correspondence order by all""").fetchall()
    assert rows == [
        ("Q9Z40", "Q9Z", "Q", "Dresseurs salariés", "Z1101", [0, 1, 2, 3, 4, 5, 6], True),
        ("Q9Z40", "Q9Z", "Q", "Dresseurs salariés", "Z1102", None, True),
        ("Q9Z41", "Q9Z", "Q", "Tondeurs", "Z1102", [7, 8, 9], True),
        ("Q9Z41", "Q9Z", "Q", None, "Z2201", None, True),
    ]


# --- conformance on the real files -----------------------------------------------------------------------


def csv_pairs(path: Path) -> list[tuple[str, str, str]]:
    """fap225_rome.csv read with the csv module alone: (Fap, Rome, label) of lines that have a ROME code."""
    with open(path, encoding="cp1252", newline="") as handle:
        return [(r["Fap"], r["Rome"], r["intitule_rome"]) for r in csv.DictReader(handle, delimiter=";")
                if r["Rome"] not in ("NA", "", None)]


def test_real_fap225_rome_csv():
    path = real_file("fap_rome/fap225_rome.csv")
    assert rome_fap.recognise(path)
    table = rome_fap.read(path)
    frame = table.frame
    assert table.period == "rome-v3"
    # Counted with awk (-F';' '$2!="NA"'): 765 data lines, 16 of them "NA", 749 pairs; 531 ROME codes, 208 FAP.
    assert len(frame) == 749
    assert frame["rome_code"].nunique() == 531 and frame["fap2009_code"].nunique() == 208
    expected = [(fap, rome, re.sub(r"\s*\*+$", "", label)) for fap, rome, label in csv_pairs(path)]
    assert list(zip(frame["fap2009_code"], frame["rome_code"], frame["rome_label"], strict=True)) == expected
    assert not frame["rome_label"].str.contains("*", regex=False).any()
    assert "Préparation de matières et produits industriels (broyage, mélange, …)" in set(frame["rome_label"])


def test_real_dares_xls_table():
    path = real_file("fap_rome/Rome-V3_vers_Fap-2009.xls")
    assert rome_fap.recognise(path)
    table = rome_fap.read(path)
    frame = table.frame
    assert table.period == "rome-v3" and list(frame.columns) == FIELDS
    assert len(frame) == 749 and frame["rome_code"].nunique() == 531 and frame["fap2009_code"].nunique() == 208
    # The same pairs as the DARES csv (read with the csv module): two layouts of one table.
    pairs = {(fap, rome) for fap, rome, _ in csv_pairs(real_file("fap_rome/fap225_rome.csv"))}
    assert set(zip(frame["fap2009_code"], frame["rome_code"], strict=True)) == pairs
    # Cells counted directly in the sheet: every ROME-shaped cell of column E, every Q_ cell of column F.
    rows = sheet_rows(path, "Table")
    assert sum(bool(re.fullmatch(r"[A-Z]\d{4}", str(row[4]))) for row in rows) == 749
    assert frame["qualification"].notna().sum() == sum(str(row[5]).startswith("Q_") for row in rows) == 419
    architects = frame[frame["rome_code"] == "F1101"].set_index("fap2009_code")
    assert architects.loc["A1Z41", "qualification"] == "Q_0123456"
    assert architects.loc["B7Z90", "fap2009_label"] == "Architectes"
    a0z43 = frame[frame["fap2009_code"] == "A0Z43"]
    assert list(a0z43["fap2009_label"]) == ["Conducteurs d'engins agricoles ou forestiers"]  # '*' stripped
    # The 87 families' group rows name the detailed families below them (read from the sheet: A0Z, G0A rows).
    families = dict(zip(frame["fap2009_code"].str[:3], frame["fap87_label"], strict=True))
    groups = {row[0].strip(): re.sub(r"\s*\*+$", "", row[1].strip()) for row in rows  # footnote marks stripped
              if re.fullmatch(r"[A-Z][0-9][A-Z]", str(row[0]).strip())}
    assert families["A0Z"] == groups["A0Z"] == "Agriculteurs, éleveurs, sylviculteurs, bûcherons"
    assert families["P4Z"] == groups["P4Z"] == "Armée, police, pompiers"  # 'Armée, police, pompiers **'
    assert all(families[code] == groups[code] for code in families) and len(families) == 86


def test_real_tables_through_staging():
    xls = rome_fap.read(real_file("fap_rome/Rome-V3_vers_Fap-2009.xls")).frame
    con = staged(xls)
    assert con.execute("select count(*), count(distinct rome_code) from stg_rome_fap__correspondence").fetchall() \
        == [(749, 531)]
    # One ROME code, three families split by qualification level (0-6 employees, 7-8 technicians, 9 engineers).
    developers = con.execute("""select fap2009_code, fap87_code, qualification_levels
        from stg_rome_fap__correspondence where rome_code = 'M1805' order by all""").fetchall()
    assert developers == [("M0Z60", "M0Z", [0, 1, 2, 3, 4, 5, 6]), ("M1Z80", "M1Z", [7, 8]), ("M2Z90", "M2Z", [9])]


def test_both_real_layouts_are_kept_side_by_side(no_demo):
    """The csv has no family labels: importing it after the xls must not replace the xls (and lose them)."""
    from pipelines.ingest import importer, manifest

    xls = importer.import_file(real_file("fap_rome/Rome-V3_vers_Fap-2009.xls"))
    csv_table = importer.import_file(real_file("fap_rome/fap225_rome.csv"))
    assert (xls.status, csv_table.status) == ("nouveau", "nouveau")
    kept = sorted(entry["scope"] for entry in manifest.load() if entry["source"] == "rome_fap")
    assert kept == sorted(rome_fap.SCOPES.values())
    xls_frame = rome_fap.read(real_file("fap_rome/Rome-V3_vers_Fap-2009.xls")).frame
    csv_frame = rome_fap.read(real_file("fap_rome/fap225_rome.csv")).frame
    labels = """select fap2009_code, max(fap2009_label) from stg_rome_fap__correspondence group by 1 order by 1"""
    from_xls, from_both = staged(xls_frame).execute(labels).fetchall(), staged(xls_frame, csv_frame).execute(
        labels).fetchall()
    assert from_xls and all(label for _, label in from_xls)
    assert dict(from_both) | dict(from_xls) == dict(from_both)  # every family keeps the xls's label


def test_other_real_files_are_not_correspondence_tables():
    assert rome_fap.near_miss(real_file("fap_rome/Rome_to_Fap_processed.csv"))
    for name in ["fap_rome/FAP_PCS.csv", "fap_rome/Rome_to_Fap_processed.csv", "fap_rome/Intitules_FAP2021.csv",
                 "tensions/dares_tensions_2019.csv", "bmo/bassin_emploi.csv", "insee_ze2020/Communes_to_ZE_2022.xlsx"]:
        assert not rome_fap.recognise(real_file(name)), name
