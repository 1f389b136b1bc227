"""Insee's Code officiel géographique: the changes of communes since 1943 (`v_mvt_commune_YYYY.csv`).

read() returns one text row per event line: its kind (MOD), effective date, and the commune before and after
(type, code, name). The warehouse follows these lines to map a commune code of an older geometry to the commune
it belongs to now (a commune merged into a commune nouvelle). Each vintage repeats the whole history.
Notes (layout, what was verified): docs/sources/insee_cog_mvt.md
"""

import re
from pathlib import Path

import pandas as pd

from pipelines.errors import InputError
from pipelines.sources.protocol import RawTable
from pipelines.sources.readers import (
    CODE_PATTERNS,
    check_year,
    csv_header,
    frame_from_rows,
    match_columns,
    normalise_label,
    read_csv_rows,
    require_values,
)

NAME = "insee_cog_mvt"
PUBLISHER = "Insee"
TITLE = "Code officiel géographique : événements sur les communes (fusions, changements de code)"
LICENCE = "Licence Ouverte / Open Licence v2.0 (Etalab)"
URL = "https://www.insee.fr/fr/information/2560452"
KIND = "csv"

# A reference table, not a series: Insee publishes each vintage of the Code officiel géographique once a year.
RELEASES = ()
RELEASE_NOTE = ("table de référence : elle change avec chaque millésime du Code officiel géographique, sans "
                "calendrier annoncé")
CAVEATS = ()
NO_FETCH_REASON = ("le fichier « v_mvt_commune_AAAA.csv » change de nom et d'adresse à chaque millésime du Code "
                   "officiel géographique, pas d'adresse stable connue")
REPLACE_WHOLE_HISTORY = True  # each vintage lists every event since 1943
COLUMNS = {
    "mod": r"mod",
    "effective_date": r"date eff",
    "type_before": r"typecom av",
    "code_before": r"com av",
    "name_before": r"libelle av",
    "type_after": r"typecom ap",
    "code_after": r"com ap",
    "name_after": r"libelle ap",
}
FIELDS = list(COLUMNS)
CSV_LAYOUTS = {"v_mvt_commune": COLUMNS}
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Commune types of the COG: commune, commune associée, commune déléguée, arrondissement municipal.
COMMUNE_TYPES = "COM|COMA|COMD|ARM"
CODE = CODE_PATTERNS["commune_code"][0]


def recognise(path: Path) -> bool:
    labels = {normalise_label(label) for label in csv_header(path)}
    return all(any(re.fullmatch(pattern, label) for label in labels) for pattern in COLUMNS.values())


def read(path: Path) -> RawTable:
    rows = read_csv_rows(path)
    columns = match_columns(rows[0], COLUMNS, path)
    frame = frame_from_rows(rows[1:], columns)
    if frame.empty:
        raise InputError(path, "aucun événement dans le fichier")
    require_values(frame, ["mod", "effective_date", "type_before", "code_before", "type_after", "code_after"], path,
                   first_row=2)
    checks = [("code_before", CODE, "code commune"), ("code_after", CODE, "code commune"),
              ("effective_date", DATE.pattern, "date d'effet (AAAA-MM-JJ)"),
              ("type_before", COMMUNE_TYPES, "type de commune (COM, COMA, COMD, ARM)"),
              ("type_after", COMMUNE_TYPES, "type de commune (COM, COMA, COMD, ARM)")]
    for column, pattern, what in checks:
        values = frame[column].str.strip()
        bad = ~values.str.fullmatch(pattern).fillna(False).to_numpy()
        if bad.any():
            position = int(bad.argmax())
            raise InputError(path, f"{what} invalide « {values.iloc[position]} » (ligne {position + 2})")
    latest = int(pd.Series(frame["effective_date"]).max()[:4])
    check_year(path, latest, "date d'effet la plus récente")
    return RawTable(frame=frame[FIELDS], period=str(latest))
