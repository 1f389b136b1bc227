"""DARES correspondence between ROME v3 codes (France Travail) and FAP 2009 families (225 level).

read() returns one text row per ROME code listed under a FAP family, from `fap225_rome.csv` or the DARES xls table
(which also names the 87 families, A0Z: `fap87_label`).
Notes (layouts, quirks, what was verified): docs/sources/rome_fap.md
"""

import re
from pathlib import Path

import pandas as pd

from pipelines.errors import InputError
from pipelines.sources.protocol import FetchRequest, RawTable
from pipelines.sources.readers import (
    cell_text,
    csv_header,
    frame_from_rows,
    match_columns,
    normalise_label,
    read_csv_rows,
    refuse_conflicting_duplicates,
    require_values,
    sheet_names,
    sheet_rows,
)

NAME = "rome_fap"
PUBLISHER = "Dares"
TITLE = "Table de correspondance ROME v3 → familles professionnelles FAP 2009"
LICENCE = "Licence Ouverte / Open Licence v2.0 (Etalab)"
URL = "https://dares.travail-emploi.gouv.fr/donnees/la-nomenclature-des-familles-professionnelles-fap-2009"
KIND = "csv | xls"

# A nomenclature, not a series: no release calendar.
RELEASES = ()
RELEASE_NOTE = "nomenclature : elle change à chaque révision du ROME ou des FAP, sans calendrier annoncé"
CAVEATS = ()

# fap225_rome.csv in DARES's own GitHub repository, pinned to the commit that holds it: the table is frozen
# (ROME v3), the URL never changes. Where it comes from: docs/sources/rome_fap.md.
DOWNLOAD_URL = ("https://raw.githubusercontent.com/StatDares/PortraitStatMetiers/"
                "3d7e055d08cd1001cf1a7e0daeb60aead7d9415e/inputs/fap225_rome.csv")
FETCH_NATIONAL = True  # a nomenclature: the territory does not filter it

# What read() returns: text columns, in this order.
# fap87_label: the label of the family (first 3 characters, A0Z) the FAP 225 code sits in (xls only).
FIELDS = ["fap2009_code", "fap2009_label", "rome_code", "rome_label", "qualification", "fap87_label"]
PERIOD = "rome-v3"

CSV_COLUMNS = {"fap2009_code": r"fap", "rome_code": r"rome", "rome_label": r"intitule rome"}
# The columns of each CSV layout read here (pattern on the normalised label): the importer names those a
# file lacks when its header holds most of them.
CSV_LAYOUTS = {"fap225_rome.csv": CSV_COLUMNS}
SHEET_COLUMNS = {
    "fap2009_code": r"fap",
    "fap2009_label": r"familles? professionnelles?",
    "rome_code": r"rome",
    "qualification": r"qualifications?",
    "rome_label": r"repertoire operationnel des metiers et des emplois",
}
# Sheets worth opening to look for the header (a large unrelated workbook is never parsed whole).
SHEET_NAME = re.compile(r".*(table|correspondance|rome).*", re.IGNORECASE)
HEADER_ROWS = 10

FAP225 = r"[A-Z][0-9][A-Z][0-9]{2}"
FAP_GROUP = r"[A-Z]([0-9][A-Z])?"  # a domain (A) or a family group (A0Z): ends the current block
FAP87 = r"[A-Z][0-9][A-Z]"  # a family group: its label names the FAP 225 codes below it
ROME = r"[A-Z][0-9]{4}"
QUALIFICATION = r"Q_[0-9]+"
NOT_AVAILABLE = "NA"
FOOTNOTE_MARK = re.compile(r"\s*\*+\s*$")


def fetch_requests(departements: list[str]) -> list[FetchRequest]:
    return [FetchRequest(DOWNLOAD_URL, {}, "fap225_rome.csv", "csv")]


def _is_header(row: list) -> bool:
    labels = {normalise_label(cell) for cell in row if cell_text(cell)}
    return {"fap", "rome"} <= labels and any(re.fullmatch(SHEET_COLUMNS["rome_label"], x) for x in labels)


def _table_sheet(path: Path) -> tuple[str, int] | None:
    """(sheet, header row index) of the xls correspondence table, if the file is a workbook holding one."""
    for name in sheet_names(path):
        if not SHEET_NAME.fullmatch(name.strip()):
            continue
        try:
            rows = sheet_rows(path, name)[:HEADER_ROWS]
        except InputError:
            continue
        for index, row in enumerate(rows):
            if _is_header(row):
                return name, index
    return None


def _is_csv_layout(path: Path) -> bool:
    labels = {normalise_label(label) for label in csv_header(path)}
    return {"fap", "rome"} <= labels  # a renamed label column is then named by read(), not "unknown file"


def recognise(path: Path) -> bool:
    return _is_csv_layout(path) or _table_sheet(path) is not None


def near_miss(path: Path) -> str | None:
    """A third party's flattened ROME → FAP 87 table (Rome_to_Fap_processed.csv) lacks the FAP 225 codes."""
    labels = {normalise_label(label) for label in csv_header(path)}
    if {"fap87", "rome"} <= labels and "fap" not in labels:
        return ("table ROME → FAP 87 retraitée (sans les codes FAP 225) non prise en charge : importez la table "
                "DARES « Rome-V3 vers Fap-2009.xls » ou fap225_rome.csv")
    return None


def _strip_marks(values: pd.Series) -> pd.Series:
    return values.str.replace(FOOTNOTE_MARK, "", regex=True).str.strip()


def _refuse_bad_codes(path: Path, frame: pd.DataFrame, line_numbers: list[int]) -> None:
    for column, pattern, what in (("fap2009_code", FAP225, "code FAP 2009 (225) invalide"),
                                  ("rome_code", ROME, "code ROME invalide"),
                                  ("qualification", QUALIFICATION, "qualification invalide")):
        values = frame[column]
        bad = values.notna() & ~values.str.fullmatch(pattern).fillna(False)
        if bad.any():
            position = int(bad.to_numpy().nonzero()[0][0])
            value, line = values.iloc[position], line_numbers[position]
            raise InputError(path, f"{what} « {value} » (ligne {line})")


def _read_csv(path: Path) -> pd.DataFrame:
    rows = read_csv_rows(path)
    if len(rows) < 2:
        raise InputError(path, "aucune ligne de données")
    frame = frame_from_rows(rows[1:], match_columns(rows[0], CSV_COLUMNS, path))
    require_values(frame, ["fap2009_code"], path, first_row=2)
    line_numbers = list(range(2, len(frame) + 2))
    keep = (frame["rome_code"].notna() & (frame["rome_code"] != NOT_AVAILABLE)).to_numpy()
    frame = frame[keep].reset_index(drop=True)
    line_numbers = [line for line, kept in zip(line_numbers, keep, strict=True) if kept]
    frame["rome_label"] = _strip_marks(frame["rome_label"])
    frame["fap2009_label"] = pd.Series(pd.NA, index=frame.index, dtype="string")
    frame["qualification"] = pd.Series(pd.NA, index=frame.index, dtype="string")
    frame["fap87_label"] = pd.Series(pd.NA, index=frame.index, dtype="string")
    _refuse_bad_codes(path, frame, line_numbers)
    return frame


def table_from_sheet(path: Path, rows: list[list], header_index: int) -> tuple[pd.DataFrame, list[int]]:
    """The ROME lines of the DARES sheet, each with the detailed family it sits under (and the line numbers).

    The family code and label are written on the first line of their block only; a domain or group row
    (A, A0Z) ends the block, and a group row's label is the label of the detailed families below it, until the
    next domain or group (fap87_label). A ROME code outside any detailed family is refused."""
    columns = match_columns(rows[header_index], SHEET_COLUMNS, path)
    body = rows[header_index + 1:]
    refuse_conflicting_duplicates(path, rows[header_index], body, first_row=header_index + 2)
    cells = frame_from_rows(body, columns)
    family_code, family_label, group_label = None, None, None
    kept, fap_codes, fap_labels, group_labels, line_numbers = [], [], [], [], []
    for position, (code, label, rome) in enumerate(zip(cells["fap2009_code"], cells["fap2009_label"],
                                                       cells["rome_code"], strict=True)):
        line = header_index + position + 2
        if code is not pd.NA and re.fullmatch(FAP225, code):
            family_code, family_label = code, label
        elif code is not pd.NA and re.fullmatch(FAP_GROUP, code):
            family_code, family_label = None, None
            group_label = label if re.fullmatch(FAP87, code) else None
        if rome is pd.NA:
            continue
        if family_code is None:
            raise InputError(path, f"code ROME « {rome} » hors de toute famille FAP détaillée (ligne {line})")
        kept.append(position)
        fap_codes.append(family_code)
        fap_labels.append(family_label)
        group_labels.append(group_label)
        line_numbers.append(line)
    frame = cells.iloc[kept].reset_index(drop=True)
    frame["fap2009_code"] = pd.Series(fap_codes, dtype="string")
    frame["fap2009_label"] = _strip_marks(pd.Series(fap_labels, dtype="string"))
    frame["fap87_label"] = _strip_marks(pd.Series(group_labels, dtype="string"))
    frame["rome_label"] = _strip_marks(frame["rome_label"])
    return frame, line_numbers


def _read_sheet(path: Path) -> pd.DataFrame:
    found = _table_sheet(path)
    if found is None:
        raise InputError(path, "pas de feuille avec l'en-tête FAP / ROME / Répertoire Opérationnel des Métiers")
    sheet, header_index = found
    frame, line_numbers = table_from_sheet(path, sheet_rows(path, sheet), header_index)
    _refuse_bad_codes(path, frame, line_numbers)
    return frame


# Each layout is its own scope: the csv has no family labels and the xls has them, so importing one must
# not replace the other (staging merges their pairs, labels and qualification levels).
SCOPES = {True: "fap225_rome.csv (sans intitulés de familles)", False: "table xls (avec intitulés de familles)"}


def read(path: Path) -> RawTable:
    csv_layout = _is_csv_layout(path)
    frame = _read_csv(path) if csv_layout else _read_sheet(path)
    if frame.empty:
        raise InputError(path, "aucun code ROME dans la table")
    return RawTable(frame=frame[FIELDS].astype("string"), period=PERIOD, scope=SCOPES[csv_layout])


# --- Writer: the csv layout (tests and demo data; invented values only) --------------------------------


def write_fap225_rome_csv(path: Path, rows: list[dict], trailing_blank_lines: int = 3) -> Path:
    """fap225_rome.csv as DARES wrote it: Windows-1252, ';', LF, "NA" for a family without ROME code, and
    ';;' lines at the end. Row keys: fap2009_code, rome_code and rome_label (None -> "NA")."""
    lines = ["Fap;Rome;intitule_rome"]
    for row in rows:
        rome, label = row.get("rome_code"), row.get("rome_label")
        lines.append(";".join([row["fap2009_code"], NOT_AVAILABLE if rome is None else rome,
                               NOT_AVAILABLE if label is None else label]))
    lines += [";;"] * trailing_blank_lines
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\n".join(lines) + "\n").encode("cp1252"))
    return path
