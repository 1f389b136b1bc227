"""DARES job seekers registered at France Travail, by commune of residence × quarter (DEFM).

read() returns one text row per (quarter, commune, category, sex, age band) with its count, `is_total` marking
the all-sexes, all-ages rows.
Notes (layouts, quirks, what was verified): docs/sources/dares_defm.md
"""

import re
from pathlib import Path

from pipelines.errors import InputError
from pipelines.sources.protocol import FetchRequest, RawTable
from pipelines.sources.readers import (
    COUNT_LIMITS,
    check_codes,
    check_counts,
    csv_header,
    frame_from_rows,
    match_columns,
    normalise_label,
    read_csv_rows,
    require_values,
)

NAME = "dares_defm"
PUBLISHER = "Dares"
TITLE = ("Demandeurs d'emploi inscrits à France Travail par commune de résidence, au 4e trimestre de chaque année "
         "(données brutes)")
LICENCE = "Licence Ouverte / Open Licence v2.0 (Etalab)"
URL = "https://data.dares.travail-emploi.gouv.fr/explore/dataset/dares_defm_communales-brutes/"
KIND = "csv"

# Release calendar: none. The dataset by commune holds fourth quarters only (2015-T4 to 2024-T4 when checked in
# 2025-2026), added once a year on no announced date: a release day guessed here would call a file late wrongly.
RELEASES = ()
RELEASE_NOTE = "publication annuelle (4e trimestre seulement), sans date annoncée"
# The job-seeker caveats (said by Dares since January 2025), shared with the France Travail API's counts.
CAVEATS = (
    {"since": "2025-01", "text": "Depuis janvier 2025, les nombres de demandeurs d'emploi sont affectés par les "
                                 "inscriptions automatiques de la loi pour le plein emploi (bénéficiaires du RSA, "
                                 "jeunes suivis par les Missions locales) : les évolutions sur un an ne mesurent pas "
                                 "seulement la conjoncture."},
    {"since": "2025-01", "text": "Le label de statistique publique de ces séries a été suspendu."},
    {"since": "", "text": "Valeurs par commune arrondies à 5 par la Dares : les sommes portent cet arrondi."},
)
EXPORT_URL = ("https://data.dares.travail-emploi.gouv.fr/api/explore/v2.1/catalog/datasets/"
              "dares_defm_communales-brutes/exports/csv")

COLUMNS = {
    "quarter": r"date|trimestre",
    "commune_code": r"code commune",
    "category": r"categorie",
    "sex": r"sexe",
    "age_band": r"tranche d.?age",
    "job_seekers": r"nombre de demandeurs d.?emploi",
}
FIELDS = [*COLUMNS, "is_total"]
# The columns of each CSV layout read here (pattern on the normalised label): the importer names those a
# file lacks when its header holds most of them.
CSV_LAYOUTS = {"communes": COLUMNS}
QUARTER = re.compile(r"[0-9]{4}-T[1-4]")
# The rows for all sexes / all ages ("Ensemble", "Total", "Tous âges"...): the only ones summed.
TOTAL = re.compile(r"(ensemble|total|tous|toutes|tout|t)\b.*|")
# A new export repeats the earlier quarters: it replaces the older file of its scope.
REPLACE_WHOLE_HISTORY = True


def recognise(path: Path) -> bool:
    labels = [normalise_label(h) for h in csv_header(path)]
    return "code commune" in labels and any(re.fullmatch(COLUMNS["job_seekers"], label) for label in labels)


def fetch_requests(departements: list[str]) -> list[FetchRequest]:
    where = " or ".join(f'startswith(code_commune, "{code}")' for code in departements)
    return [FetchRequest(EXPORT_URL, {"where": where, "delimiter": ";"},
                         f"dares_defm_{'-'.join(departements)}.csv", "csv")]


def read(path: Path) -> RawTable:
    rows = read_csv_rows(path)
    if len(rows) < 2:
        raise InputError(path, "aucune ligne de données (export vide ?)")
    columns = match_columns(rows[0], COLUMNS, path)
    frame = frame_from_rows(rows[1:], columns)
    # The export's summary rows (code_commune "Total"): sums Dares made, of communes counted once or twice (Paris,
    # Lyon and Marseille are there whole and by arrondissement): left out, the marts sum the communes themselves.
    frame = frame[~frame["commune_code"].fillna("").str.strip().str.lower().eq("total")]
    if frame.empty:
        raise InputError(path, "aucune ligne de commune (seulement des lignes « Total »)")
    require_values(frame, ["quarter", "commune_code", "category"], path, first_row=2)
    check_codes(path, frame, ["commune_code"], first_row=2)
    for column, pattern, what in (("quarter", QUARTER, "trimestre (AAAA-Tn)"),
                                  ("job_seekers", re.compile(r"[0-9]+"), "nombre entier")):
        values = frame[column]
        bad = values.notna() & ~values.str.fullmatch(pattern.pattern).fillna(False)
        if bad.any():
            row_number = int(frame.index[int(bad.to_numpy().argmax())]) + 2  # the file's row: "Total" rows left out
            raise InputError(path, f"{column} : « {values[bad].iloc[0]} » n'est pas un {what} (ligne {row_number})")
    check_counts(path, frame, {"job_seekers": rows[0][columns["job_seekers"]]}, COUNT_LIMITS[NAME], first_row=2)
    twice = frame.duplicated(["commune_code", "quarter", "category", "sex", "age_band"])
    if twice.any():  # a row given twice would be counted twice
        first = frame[twice].iloc[0]
        raise InputError(path, f"ligne en double : commune {first['commune_code']}, {first['quarter']}, "
                               f"{first['category']} (ligne {int(frame.index[int(twice.to_numpy().argmax())]) + 2})")
    totals = frame["sex"].fillna("").map(_is_total) & frame["age_band"].fillna("").map(_is_total)
    frame["is_total"] = totals.map({True: "true", False: "false"}).astype("string")
    keys = ["commune_code", "quarter", "category"]
    missing = frame[keys].drop_duplicates().merge(frame.loc[totals, keys].drop_duplicates(), how="left",
                                                  indicator=True)
    missing = missing[missing["_merge"] == "left_only"]
    if len(missing):
        first = missing.iloc[0]
        raise InputError(path, f"pas de ligne « ensemble » (tous sexes, tous âges) pour la commune "
                               f"{first['commune_code']}, {first['quarter']}, {first['category']} : libellés de sexe "
                               f"ou d'âge inattendus")
    quarters = sorted(frame["quarter"].unique())
    departements = sorted({code[:3] if code.startswith("97") else code[:2] for code in frame["commune_code"]})
    return RawTable(frame=frame[FIELDS], period=f"{quarters[0]}/{quarters[-1]}" if len(quarters) > 1 else quarters[0],
                    scope="dép. " + ", ".join(departements) if len(departements) <= 12
                    else f"{len(departements)} départements")


def _is_total(label: str) -> bool:
    return bool(TOTAL.fullmatch(normalise_label(label)))
