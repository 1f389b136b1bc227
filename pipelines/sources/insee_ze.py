"""INSEE zones d'emploi 2020: the commune composition workbook, or the zip Insee ships it in.

read() returns one text row per commune with its zone d'emploi, département, région and geography year.
Notes (layouts, quirks, what was verified): docs/sources/insee_ze.md
"""

import re
from pathlib import Path

from pipelines.errors import InputError
from pipelines.sources.protocol import FetchRequest, RawTable
from pipelines.sources.readers import (
    check_codes,
    frame_from_rows,
    header_index,
    match_columns,
    refuse_conflicting_duplicates,
    refuse_two_places,
    require_values,
    sheet_names,
    sheet_rows,
)

NAME = "insee_ze"
PUBLISHER = "Insee"
TITLE = "Zones d'emploi 2020 : composition communale"
LICENCE = "Licence Ouverte / Open Licence v2.0 (Etalab)"
URL = "https://www.insee.fr/fr/information/4652957"
KIND = "xlsx (zip)"

# A reference table, not a series: no release calendar.
RELEASES = ()
RELEASE_NOTE = ("table de référence : elle change à chaque révision du zonage des zones d'emploi ou du Code "
                "officiel géographique, sans calendrier annoncé")
CAVEATS = ()

# "Base des zones d'emploi 2020", geography of 1 January 2026. Insee replaces the file each year under a
# new name: update the year here then. Where it was found: docs/sources/insee_ze.md.
DOWNLOAD_URL = "https://www.insee.fr/fr/statistiques/fichier/4652957/ZE2020_au_01-01-2026.zip"
FETCH_NATIONAL = True  # one file for all France: the territory does not filter it

SHEET = "composition_communale"
COLUMNS = {
    "commune_code": r"codgeo",
    "commune_name": r"libgeo",
    "ze_code": r"ze2020",
    "ze_name": r"libze2020",
    "dept_code": r"dep",
    "region_code": r"reg",
}
FIELDS = [*COLUMNS, "geography_year"]
# A new geography lists mostly the same communes: one sharing few of them is another file.
REPLACEMENT_KEY = ("commune_code", "communes")
GEOGRAPHY = re.compile(r"G[ée]ographie au [0-9]{2}/[0-9]{2}/([0-9]{4})")


def fetch_requests(departements: list[str]) -> list[FetchRequest]:
    return [FetchRequest(DOWNLOAD_URL, {}, DOWNLOAD_URL.rsplit("/", 1)[-1], "zip")]


def _sheet(path: Path) -> str | None:
    names = {name.strip().lower(): name for name in sheet_names(path)}
    # Insee's EPCI workbook has a Composition_communale sheet too, beside its EPCI sheet: that one is insee_epci.
    return None if "epci" in names else names.get(SHEET)


def recognise(path: Path) -> bool:
    return _sheet(path) is not None


def read(path: Path) -> RawTable:
    sheet = _sheet(path)
    if sheet is None:
        raise InputError(path, "pas de feuille Composition_communale")
    rows = sheet_rows(path, sheet)
    header = header_index(rows, "CODGEO")
    if header is None:
        raise InputError(path, "en-tête CODGEO introuvable dans Composition_communale")
    columns = match_columns(rows[header], COLUMNS, path)
    titles = " ".join(str(cell) for row in rows[:header] for cell in row)
    geography = GEOGRAPHY.search(titles)
    period = geography.group(1) if geography else "2020"

    body = rows[header + 1:]
    refuse_conflicting_duplicates(path, rows[header], body, first_row=header + 2)
    frame = frame_from_rows(body, columns).dropna(how="all")
    require_values(frame, ["commune_code", "ze_code"], path, first_row=header + 2)
    if frame.empty:
        raise InputError(path, "aucune commune dans Composition_communale")
    check_codes(path, frame, ["commune_code", "ze_code", "dept_code", "region_code"], first_row=header + 2)
    refuse_two_places(path, frame, "commune_code", "ze_code", "zones d'emploi", first_row=header + 2)
    frame["geography_year"] = period
    return RawTable(frame=frame[FIELDS], period=period)
