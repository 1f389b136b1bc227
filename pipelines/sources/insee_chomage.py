"""Insee localised unemployment rates: quarterly averages, seasonally adjusted (CVS), in %, by zone d'emploi 2020
(and by regional part of an interregional zone, département and région where the workbook has those sheets).

read() returns one text row per territory × quarter, the rate as published (blank: not published).
Notes (layouts, quirks, what was verified): docs/sources/insee_chomage.md
"""

import re
from pathlib import Path

import pandas as pd

from pipelines.errors import InputError
from pipelines.sources.protocol import FetchRequest, RawTable
from pipelines.sources.readers import check_year, frame_from_rows, normalise_label, sheet_names, sheet_rows

NAME = "insee_chomage"
PUBLISHER = "Insee"
TITLE = "Taux de chômage localisés par zone d'emploi (trimestriels, CVS)"
LICENCE = "Licence Ouverte / Open Licence v2.0 (Etalab)"
URL = "https://www.insee.fr/fr/statistiques/1893230"
KIND = "xlsx"

# Release calendar: Insee publishes the localised rates about 85 days after each quarter's end (Insee's notice of
# the statistical operation; its "Informations rapides" came out on 5 October 2023, 4 January 2024 and 26 March
# 2024): early January, late March, late June and early October (days estimated).
RELEASES = ("01-05", "03-27", "06-27", "10-05")
RELEASE_NOTE = ""
CAVEATS = (
    {"since": "", "text": "Taux en moyenne trimestrielle, corrigés des variations saisonnières (CVS), révisés à "
                          "chaque édition."},
    {"since": "", "text": "Pour un EPCI, un bassin d'emploi ou une liste de communes : taux de la zone d'emploi qui "
                          "contient le plus de ses communes, même sans en avoir la majorité (un taux n'est jamais "
                          "moyenné entre zones)."},
)
# The edition covering 2003-T1 to 2025-T2. Insee publishes each quarter under a new name (…-tN-YYYY.xlsx): update
# it then. Where it was found: docs/sources/insee_chomage.md.
DOWNLOAD_URL = "https://www.insee.fr/fr/statistiques/fichier/1893230/chomage-zone-t1-2003-t2-2025.xlsx"
FETCH_NATIONAL = True  # one workbook for all France
# Each edition repeats the whole series since 2003 (revised): a new one replaces the older one.
REPLACE_WHOLE_HISTORY = True

# level: "zone_emploi", "partie_regionale" (a regional part of an interregional zone), "departement", "region";
# quarter: "2023-T3"; rate: the published rate as text ("6", "5.7"), absent when the cell is blank.
FIELDS = ["level", "code", "name", "region_code", "region_name", "quarter", "rate"]
# A sheet is known by the code column of its header row (whatever the sheet is called): the first one found
# says its level. Codes as Insee writes them: zones and their parts on 4 digits, départements 2-3, régions 2.
LEVELS = {
    "ze2020": ("zone_emploi", r"[0-9]{3,4}"),
    "zer2020": ("partie_regionale", r"[0-9]{3,4}"),
    "dep": ("departement", r"[0-9]{1,3}|2[AB]"),
    "reg": ("region", r"[0-9]{1,2}"),
}
QUARTER = re.compile(r"([0-9]{4})-T([1-4])")
HEADER_ROWS = 20  # the header is looked for in the first rows: the number of title rows changes between sheets
MAX_RATE = 100.0


def _header(rows: list[list]) -> tuple[int, str] | None:
    """(row index, level) of a sheet's header: the row holding a known code column and quarter columns."""
    for index, row in enumerate(rows[:HEADER_ROWS]):
        labels = [normalise_label(cell) for cell in row if cell is not None]
        if not any(QUARTER.fullmatch(str(cell).strip()) for cell in row if cell is not None):
            continue
        level = next((name for name in LEVELS if name in labels), None)
        if level:
            return index, level
    return None


def _sheets(path: Path) -> list[tuple[str, list[list], int, str]]:
    """(sheet, rows, header index, code column) of every sheet of rates, whatever its name."""
    found = []
    for sheet in sheet_names(path):
        rows = sheet_rows(path, sheet)
        header = _header(rows)
        if header:
            found.append((sheet, rows, *header))
    return found


def recognise(path: Path) -> bool:
    names = [name for name in sheet_names(path) if name.strip().lower().startswith("txcho")]
    return any((_header(sheet_rows(path, name)) or (0, ""))[1] == "ze2020" for name in names)


def near_miss(path: Path) -> str | None:
    """An Insee unemployment workbook (txcho_* sheets) without its zone d'emploi sheet (another edition's header,
    a sheet deleted): said by name rather than "format non reconnu"."""
    if any(name.strip().lower().startswith("txcho") for name in sheet_names(path)) and not recognise(path):
        return ("classeur de taux de chômage localisés sans feuille par zone d'emploi (en-tête ZE2020 et une colonne "
                "par trimestre AAAA-Tn) : importez le classeur « chomage-zone-t1-2003-tN-AAAA.xlsx » tel que publié "
                "par l'Insee")
    return None


def fetch_requests(departements: list[str]) -> list[FetchRequest]:
    return [FetchRequest(DOWNLOAD_URL, {}, DOWNLOAD_URL.rsplit("/", 1)[-1], "xlsx")]


def _sheet_frame(path: Path, sheet: str, rows: list[list], header: int, code_column: str) -> tuple[pd.DataFrame, int]:
    """One sheet as long text rows (FIELDS), every rate checked, and its number of territories."""
    level, code_pattern = LEVELS[code_column]
    labels = [normalise_label(cell) if cell is not None else "" for cell in rows[header]]
    where = f"feuille « {sheet} »"
    columns = {"code": labels.index(code_column)}
    for name, label in (("name", "lib" + code_column), ("region_code", "reg"), ("region_name", "libreg")):
        if label in labels and not (name.startswith("region") and code_column == "reg"):
            columns[name] = labels.index(label)
    quarters = {}
    for position, cell in enumerate(rows[header]):
        text = str(cell).strip() if cell is not None else ""
        if QUARTER.fullmatch(text):
            if text in quarters:
                raise InputError(path, f"{where} : trimestre {text} en double (colonnes {quarters[text] + 1} et "
                                       f"{position + 1})")
            quarters[text] = position
    ordered = sorted(quarters)
    if list(quarters) != ordered:
        raise InputError(path, f"{where} : colonnes de trimestres dans le désordre ({', '.join(list(quarters)[:3])}…)")
    check_year(path, int(ordered[-1][:4]), f"{where}, trimestre {ordered[-1]}")

    first_row = header + 2  # file row number of the first body row
    frame = frame_from_rows(rows[header + 1:], columns | quarters).dropna(how="all")
    if frame.empty:
        raise InputError(path, f"{where} : aucune ligne sous l'en-tête")
    for name in ("name", "region_code", "region_name"):
        if name not in frame:
            frame[name] = pd.Series([None] * len(frame), dtype="string", index=frame.index)
    _check_codes(path, where, frame, code_pattern, first_row)
    long = frame.melt(id_vars=["code", "name", "region_code", "region_name"], value_vars=ordered,
                      var_name="quarter", value_name="rate", ignore_index=False)
    _check_rates(path, where, long, first_row)
    long["level"] = level
    return long.reset_index(drop=True)[FIELDS].astype("string"), len(frame)


def _check_codes(path: Path, where: str, frame: pd.DataFrame, pattern: str, first_row: int) -> None:
    codes = frame["code"]
    for bad, problem in ((codes.isna(), "code vide"),
                         (codes.notna() & ~codes.str.fullmatch(pattern).fillna(False), "code invalide"),
                         (codes.notna() & codes.duplicated(), "code en double")):
        bad = bad.to_numpy(dtype=bool)
        if bad.any():
            position = int(bad.argmax())
            value = codes.iloc[position]
            shown = f" « {value} »" if isinstance(value, str) else ""
            raise InputError(path, f"{where} : {problem}{shown} (ligne {int(frame.index[position]) + first_row})")


def _check_rates(path: Path, where: str, long: pd.DataFrame, first_row: int) -> None:
    """A rate is a number from 0 to 100 (a decimal comma is read), or blank: never a word, a code or 0 for blank."""
    text = long["rate"].str.replace(",", ".", regex=False)
    numbers = pd.to_numeric(text, errors="coerce")
    bad = (long["rate"].notna() & (numbers.isna() | (numbers < 0) | (numbers > MAX_RATE))).to_numpy(dtype=bool)
    if bad.any():
        position = int(bad.argmax())
        row = long.iloc[position]
        raise InputError(path, f"{where} : taux invalide « {row['rate']} » au trimestre {row['quarter']} (zone "
                               f"{row['code']}, ligne {int(long.index[position]) + first_row}) : un pourcentage de 0 "
                               "à 100 est attendu")
    long["rate"] = text


def read(path: Path) -> RawTable:
    sheets = _sheets(path)
    if not any(code_column == "ze2020" for *_, code_column in sheets):
        raise InputError(path, "pas de feuille des taux de chômage par zone d'emploi (feuille txcho_ze : en-tête "
                               "ZE2020 et une colonne par trimestre AAAA-Tn)")
    levels = [LEVELS[code_column][0] for *_, code_column in sheets]
    if len(set(levels)) < len(levels):
        twice = [sheet for sheet, *_, code_column in sheets if levels.count(LEVELS[code_column][0]) > 1]
        raise InputError(path, f"deux feuilles du même niveau géographique : {' et '.join(twice)}")
    frames, counts = zip(*(_sheet_frame(path, sheet, rows, header, code_column)
                           for sheet, rows, header, code_column in sheets), strict=True)
    frame = pd.concat(frames, ignore_index=True)
    zones = frame[frame["level"] == "zone_emploi"]
    if zones["rate"].isna().all():
        raise InputError(path, "aucun taux publié dans la feuille par zone d'emploi")
    quarters = sorted(zones["quarter"].unique())
    # the file's rows (one per territory), not the frame's (one per territory × quarter)
    return RawTable(frame=frame, period=f"{quarters[0]}/{quarters[-1]}", file_rows=sum(counts))
