"""France Travail "Besoins en main-d'œuvre" (BMO) open-data workbooks, any year since 2019.

read() returns the sheet `BMO_<year>_open_data` as text columns (FIELDS: bassin × métier, projects, difficult,
seasonal; `*` = secret, kept as text), its columns matched by pattern.
Notes (layouts, quirks, what was verified): docs/sources/bmo.md
"""

import re
from pathlib import Path

import pandas as pd

from pipelines.errors import InputError
from pipelines.sources.protocol import FetchRequest, RawTable
from pipelines.sources.readers import (
    COUNT_LIMITS,
    check_codes,
    check_counts,
    check_year,
    csv_header,
    frame_from_rows,
    match_columns,
    normalise_label,
    refuse_conflicting_duplicates,
    require_values,
    sheet_first_row,
    sheet_names,
    sheet_rows,
)

NAME = "bmo"
PUBLISHER = "France Travail"
TITLE = "Enquête Besoins en main-d'œuvre (BMO) : projets de recrutement par bassin d'emploi et métier"
LICENCE = "Licence Ouverte / Open Licence v2.0 (Etalab)"
URL = "https://www.francetravail.org/opendata/enquete-besoins-en-main-doeuvre.html"
KIND = "xlsx"

# Release calendar: the survey's results come out each April (mid-April in recent years: the date here is an
# estimate from the publisher's past press releases, not an announced date).
RELEASES = ("04-15",)
RELEASE_NOTE = ""
PUBLISHED_IN_PERIOD = True  # the survey "2026" (the projects of 2026) is published in April 2026
CAVEATS = (
    {"since": "", "text": "Sommes des cellules publiées : les cellules couvertes par le secret statistique (*) ne "
                          "sont pas comptées, les totaux sont donc un peu inférieurs aux totaux officiels."},
)

# The yearly workbooks by data.gouv.fr's stable resource addresses: France Travail renames its own file from one
# year to the next (Base_open_data_BMO_2025.xlsx, then Base-open-data-BMO-2026.xlsx), so no address is guessed
# from a year. Add the new year's resource each April. Where they were found: docs/sources/bmo.md.
DATA_GOUV = "https://www.data.gouv.fr/api/1/datasets/r/"
DOWNLOAD_URLS = {
    2024: DATA_GOUV + "4319f5e8-a8e6-476c-8da0-c0d3439ebb55",
    2025: DATA_GOUV + "54478315-aafd-4070-b8df-a5647297e0c0",
    2026: DATA_GOUV + "228917c7-c22e-4766-835e-fcb923f29b3d",
}
# Where data.gouv.fr's resource addresses redirect: its file server, or the publisher's own.
REDIRECT_HOSTS = ("static.data.gouv.fr", "www.francetravail.org")
FETCH_NATIONAL = True  # one workbook for all France: the territory does not filter it

SHEET = re.compile(r"BMO_([0-9]{4})_open_data", re.IGNORECASE)
COLUMNS = {
    "year": r"annee",
    "metier_code": r"code metier bmo",
    "metier_label": r"nom metier bmo",
    "family_code": r"famille met",
    "family_label": r"lbl fam met",
    "region_code": r"reg",
    "region_name": r"nom reg",
    "dept_code": r"dept",
    "dept_name": r"nom ?dept",
    "bassin_code": r"be[0-9]{2}",
    "bassin_name": r"nom ?be[0-9]{2}",
    "projects": r"met",
    "difficult": r"xmet",
    "seasonal": r"smet",
}
REQUIRED = ["metier_code", "metier_label", "region_code", "dept_code", "bassin_code", "bassin_name",
            "projects", "difficult", "seasonal"]
COUNTS = ["projects", "difficult", "seasonal"]
# What read() returns: text columns, in this order.
FIELDS = ["year", "metier_code", "metier_label", "family_code", "family_label", "region_code", "region_name",
          "dept_code", "dept_name", "bassin_code", "bassin_name", *COUNTS]
SECRET = "*"
# Counts as published: whole numbers (a negative or an impossibly large one is then refused as such).
NUMBER = re.compile(r"-?[0-9]+(\.0+)?")
# The header labels that make a sheet the BMO data sheet, whatever its name.
HEADER_LABELS = {"code metier bmo", "met", "xmet", "smet"}


def fetch_requests(departements: list[str]) -> list[FetchRequest]:
    """Every survey year not loaded yet; when all are, the newest again (a revised workbook replaces it)."""
    from pipelines.sources import raw  # the manifest's reader: imported late, it imports the registry

    try:
        loaded = {entry["period"] for entry in raw.load() if entry["source"] == NAME}
    except InputError:  # a damaged manifest: `status` and `import` say so; here every year is asked
        loaded = set()
    years = [year for year in sorted(DOWNLOAD_URLS) if str(year) not in loaded] or [max(DOWNLOAD_URLS)]
    return [FetchRequest(DOWNLOAD_URLS[year], {}, f"Base_open_data_BMO_{year}.xlsx", "xlsx",
                         str(year) if len(years) > 1 else "", redirect_hosts=REDIRECT_HOSTS) for year in years]


def _data_sheet(path: Path) -> tuple[str, int] | None:
    for name in sheet_names(path):
        match = SHEET.fullmatch(name.strip())
        if match:
            return name, int(match.group(1))
    return None


def recognise(path: Path) -> bool:
    return _data_sheet(path) is not None


def near_miss(path: Path) -> str | None:
    """A CSV with the workbook's columns (a re-export), or a workbook whose data sheet was renamed: say what to
    import instead, or which sheet is expected and which sheets there are."""
    labels = {normalise_label(label) for label in csv_header(path)}
    if HEADER_LABELS <= labels:
        return ("tableau BMO en CSV (ré-export) non pris en charge : importez le classeur xlsx publié par "
                "France Travail")
    sheets = sheet_names(path)
    if any("bmo" in normalise_label(name) or HEADER_LABELS <= {normalise_label(label) for label in
                                                               sheet_first_row(path, name)} for name in sheets):
        listed = ", ".join(f"« {name} »" for name in sheets)
        return (f"classeur BMO sans feuille « BMO_<année>_open_data » (par exemple BMO_2025_open_data) : feuilles "
                f"du classeur : {listed} ; la feuille de données a-t-elle été renommée ?")
    return None


def read(path: Path) -> RawTable:
    found = _data_sheet(path)
    if found is None:
        raise InputError(path, "pas de feuille BMO_<année>_open_data")
    sheet, sheet_year = found
    check_year(path, sheet_year, f"feuille {sheet}")
    rows = sheet_rows(path, sheet)
    if not rows:
        raise InputError(path, f"feuille « {sheet} » vide")
    columns = match_columns(rows[0], COLUMNS, path, REQUIRED)
    refuse_conflicting_duplicates(path, rows[0], rows[1:], first_row=2)

    frame = frame_from_rows(rows[1:], columns).dropna(how="all")
    if frame.empty:
        raise InputError(path, f"aucune ligne de données dans « {sheet} »")

    require_values(frame, ["metier_code", "dept_code", "bassin_code"], path, first_row=2)
    check_codes(path, frame, ["bassin_code", "dept_code", "region_code"], first_row=2)
    years = set(frame["year"].dropna().unique()) if "year" in frame else set()
    if len(years) > 1 or (years and years.pop().removesuffix(".0") != str(sheet_year)):
        raise InputError(path, f"l'année de la colonne annee ne correspond pas à la feuille {sheet}")
    frame["year"] = str(sheet_year)

    for column in COUNTS:
        values = frame[column]
        bad = values.notna() & (values != SECRET) & ~values.str.fullmatch(NUMBER.pattern).fillna(False)
        if bad.any():
            row_number = int(bad.to_numpy().nonzero()[0][0]) + 2
            raise InputError(
                path,
                f"valeur non numérique « {values[bad].iloc[0]} » dans la colonne "
                f"{rows[0][columns[column]]} (ligne {row_number})",
            )
    check_counts(path, frame, {column: rows[0][columns[column]] for column in COUNTS}, COUNT_LIMITS[NAME],
                 first_row=2)
    for optional in ("family_code", "family_label", "region_name", "dept_name"):
        if optional not in frame:
            frame[optional] = pd.Series(pd.NA, index=frame.index, dtype="string")
    return RawTable(frame=frame[FIELDS], period=str(sheet_year))
