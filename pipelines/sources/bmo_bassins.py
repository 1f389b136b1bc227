"""France Travail commune → bassin d'emploi BMO lexicons (2024 and 2019 zonings).

read() returns one text row per commune with its bassin BMO (code, name) and the zoning year.
Notes (layouts, quirks, what was verified): docs/sources/bmo_bassins.md
"""

import re
from pathlib import Path

import pandas as pd

from pipelines.errors import InputError
from pipelines.sources.protocol import RawTable
from pipelines.sources.readers import (
    check_codes,
    csv_header,
    frame_from_rows,
    match_columns,
    normalise_label,
    read_csv_rows,
    refuse_two_places,
    require_values,
)

NAME = "bmo_bassins"
PUBLISHER = "France Travail"
TITLE = "Correspondance commune → bassin d'emploi BMO"
LICENCE = "Licence Ouverte / Open Licence v2.0 (Etalab)"
URL = "https://www.francetravail.org/opendata/enquete-besoins-en-main-doeuvre.html"
KIND = "csv"

# A reference table, not a series: no release calendar (France Travail revises the bassins with a BMO edition).
RELEASES = ()
RELEASE_NOTE = ("table de référence : elle change à chaque révision du zonage des bassins d'emploi BMO, sans "
                "calendrier annoncé")
CAVEATS = ()
# No publisher download URL was found for these lexicons (the copies we know come from third parties'
# repositories): `fetch` says so and names the BMO page above, where the user downloads them by hand.
NO_FETCH_REASON = "pas d'adresse de téléchargement stable connue chez France Travail"

COLUMNS = {
    "commune_code": r"code commune insee",
    "commune_name": r"nomcom|libelle commune|nom commune",
    "dept_code": r"dep",
    "region_code": r"reg",
    "bassin_code": r"code bassin bmo|be[0-9]{2}",
    "bassin_name": r"lib bassin bmo|nom ?be[0-9]{2}",
}
REQUIRED = ["commune_code", "dept_code", "region_code", "bassin_code", "bassin_name"]
# The columns of each CSV layout read here (pattern on the normalised label): the importer names those a
# file lacks when its header holds most of them.
CSV_LAYOUTS = {"lexique": {name: COLUMNS[name] for name in REQUIRED}}
FIELDS = [*COLUMNS, "zoning"]
# A new file of the same zoning lists mostly the same communes: one sharing few of them is another list.
REPLACEMENT_KEY = ("commune_code", "communes")
# The 2024 layout carries no year in its headers: it is the zoning France Travail uses since BMO 2024.
UNDATED_LAYOUT_ZONING = "2024"


def recognise(path: Path) -> bool:
    labels = [normalise_label(h) for h in csv_header(path)]
    return "code commune insee" in labels and any(
        re.fullmatch(r"code bassin bmo|be[0-9]{2}", label) for label in labels
    )


def read(path: Path) -> RawTable:
    rows = read_csv_rows(path)
    if len(rows) < 2:
        raise InputError(path, "aucune ligne de données")
    header = rows[0]
    columns = match_columns(header, COLUMNS, path, REQUIRED)
    year = re.fullmatch(r"be([0-9]{2})", normalise_label(header[columns["bassin_code"]]))
    zoning = str(2000 + int(year.group(1))) if year else UNDATED_LAYOUT_ZONING

    frame = frame_from_rows(rows[1:], columns)
    if "commune_name" not in frame:
        frame["commune_name"] = pd.Series(pd.NA, index=frame.index, dtype="string")
    require_values(frame, ["commune_code", "bassin_code"], path, first_row=2)
    check_codes(path, frame, ["commune_code", "bassin_code", "dept_code", "region_code"], first_row=2)
    refuse_two_places(path, frame, "commune_code", "bassin_code", "bassins", first_row=2)
    frame["zoning"] = zoning
    return RawTable(frame=frame[FIELDS], period=zoning)
