"""URSSAF hires (déclarations préalables à l'embauche, DPAE, contracts of more than one month): national /
departmental CONTEXT only, never by bassin, zone d'emploi or commune.

read() returns one text row per period × contract (× département × grand secteur for the département file).
Notes (layouts, quirks, what was verified): docs/sources/urssaf_dpae.md
"""

import re
from pathlib import Path

import pandas as pd

from pipelines.errors import InputError
from pipelines.sources.protocol import FetchRequest, RawTable
from pipelines.sources.readers import (
    COUNT_LIMITS,
    check_counts,
    csv_header,
    frame_from_rows,
    match_columns,
    normalise_label,
    read_csv_rows,
)

NAME = "urssaf_dpae"
PUBLISHER = "Urssaf"
TITLE = "Déclarations préalables à l'embauche (DPAE) de plus d'un mois, France et départements (contexte)"
LICENCE = "Licence Ouverte / Open Licence v2.0 (Etalab)"
URL = "https://open.urssaf.fr/explore/dataset/dpae-par-departement-x-grand-secteur/"
KIND = "csv"

# Release calendar: none. URSSAF suspended the DPAE by département × grand secteur in March 2025 (contract-type
# declaration errors; docs/sources/urssaf_dpae.md), and announces no date for its return.
RELEASES = ()
RELEASE_NOTE = ("publication des DPAE par département et grand secteur suspendue par l'Urssaf depuis mars 2025, "
                "sans date de reprise annoncée")
CAVEATS = (
    {"since": "", "text": "Publiées pour la France et par département seulement : pour un bassin, une zone d'emploi "
                          "ou un EPCI, ce sont les chiffres de son département, donnés pour contexte."},
)
API = "https://open.urssaf.fr/api/explore/v2.1/catalog/datasets/"
EXPORT_URL_DEPARTEMENTS = API + "dpae-par-departement-x-grand-secteur/exports/csv"
EXPORT_URL_FRANCE = API + "dpae-mensuelles-france-entiere/exports/csv"

COLUMNS = {
    "year": r"annee",
    "quarter": r"trimestre",
    "period_end": r"dernier jour du (mois|trimestre)",
    "contract_duration": r"duree de contrat",
    "contract_nature": r"nature de contrat",
    "hires_raw": r"dpae \(?brut\)?",
    "hires_sa": r"dpae \(?cvs\)?",
    "region_code": r"code region",
    "dept_code": r"code departement",
    "dept_name": r"departement",
    "grand_secteur": r"grand secteur d.?activite",
}
NATIONAL = ["year", "quarter", "period_end", "contract_duration", "contract_nature", "hires_raw", "hires_sa"]
DEPARTEMENTS = [*NATIONAL, "region_code", "dept_code", "grand_secteur"]
# territory_level: "france" (national monthly file) | "departement"; frequency: "month" | "quarter";
# region_complete: every département of the row's région has every grand secteur × contract cell of the
# quarter in the file (régions are summed only then); is_calibration: a "_calage_" row of the CVS series
# (with a real département code it is summed into its région's CVS; its raw value is never summed).
FIELDS = ["territory_level", "frequency", *COLUMNS, "region_complete", "is_calibration"]
# The columns of each CSV layout read here (pattern on the normalised label): the importer names those a
# file lacks when its header holds most of them.
CSV_LAYOUTS = {"france": {name: COLUMNS[name] for name in NATIONAL},
               "departement": {name: COLUMNS[name] for name in DEPARTEMENTS}}
# Each export repeats the whole history: a new one replaces the older one of its scope, or of a scope it
# contains (`replaces`).
REPLACE_WHOLE_HISTORY = True
SCOPE_PREFIX = "dép. "

CALIBRATION = re.compile(r"(?i).*calage.*")
CONTRACT = re.compile(r"(?i)(cdi|cdd\b.*)")
GRAND_SECTEUR = re.compile(r"GS[0-9]+\s+\S.*")
DEPT = re.compile(r"[0-9]{2,3}|2[AB]")
ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
FR_DATE = re.compile(r"([0-9]{2})/([0-9]{2})/([0-9]{4})")
# The départements of each région (2016 régions, INSEE codes): a région is summed only when whole.
REGIONS = {
    "84": "01 03 07 15 26 38 42 43 63 69 73 74", "27": "21 25 39 58 70 71 89 90", "53": "22 29 35 56",
    "24": "18 28 36 37 41 45", "94": "2A 2B", "44": "08 10 51 52 54 55 57 67 68 88", "32": "02 59 60 62 80",
    "11": "75 77 78 91 92 93 94 95", "28": "14 27 50 61 76", "75": "16 17 19 23 24 33 40 47 64 79 86 87",
    "76": "09 11 12 30 31 32 34 46 48 65 66 81 82", "52": "44 49 53 72 85", "93": "04 05 06 13 83 84",
    "01": "971", "02": "972", "03": "973", "04": "974", "06": "976",
}
REGION_OF = {dept: region for region, depts in REGIONS.items() for dept in depts.split()}


def _labels(path: Path) -> list[str]:
    return [normalise_label(h) for h in csv_header(path)]


def _has(labels: list[str], *names: str) -> bool:
    return all(any(re.fullmatch(COLUMNS[name], label) for label in labels) for name in names)


def _layout(labels: list[str]) -> str | None:
    if not _has(labels, "hires_raw", "contract_nature", "period_end"):
        return None
    by_place = _has(labels, "dept_code") or _has(labels, "region_code")
    if _has(labels, "dept_code", "grand_secteur") and "dernier jour du trimestre" in labels:
        return "departement"
    if not by_place and "dernier jour du mois" in labels and not any("secteur" in label for label in labels):
        return "france"
    return None


def recognise(path: Path) -> bool:
    return _layout(_labels(path)) is not None


def near_miss(path: Path) -> str | None:
    """Other URSSAF DPAE datasets (by région, by NA38 sector, annual by sex/age) are not read: say which."""
    labels = _labels(path)
    if any(re.fullmatch(COLUMNS["hires_raw"], label) for label in labels) and _layout(labels) is None:
        return ("jeu DPAE Urssaf non pris en charge (par région, par secteur NA38 ou annuel ?) : importez "
                "« dpae-par-departement-x-grand-secteur » ou « dpae-mensuelles-france-entiere »")
    return None


def _scope_departements(scope: str) -> set[str] | None:
    """The département codes of a département file's scope ("dép. 22, 29, 35"); None for the national file
    or a scope of the older "13 départements" form, whose codes are unknown."""
    if not scope.startswith(SCOPE_PREFIX):
        return None
    return set(scope.removeprefix(SCOPE_PREFIX).split(", "))


def replaces(new_scope: str, old_scope: str) -> bool:
    """Importer hook: a département export holding every département of an older one replaces it (each
    export repeats the whole history). A fetch for a second territory asks for more régions: without
    this, the two files would overlap and be refused on every later fetch. A file holding only some of
    the older file's départements, or some others, does not replace it (the overlap check refuses it)."""
    new, old = _scope_departements(new_scope), _scope_departements(old_scope)
    return new is not None and old is not None and new >= old


def fetch_requests(departements: list[str]) -> list[FetchRequest]:
    """The whole régions of these départements (so régions can be summed), and the national series."""
    regions = sorted({REGION_OF[code] for code in departements if code in REGION_OF})
    unknown = [code for code in departements if code not in REGION_OF]
    where = " or ".join([f'code_region="{code}"' for code in regions]
                        + [f'code_departement="{code}"' for code in unknown])
    return [
        FetchRequest(EXPORT_URL_DEPARTEMENTS, {"where": where, "delimiter": ";"},
                     f"dpae_departements_{'-'.join(regions + unknown)}.csv", "csv", "départements"),
        FetchRequest(EXPORT_URL_FRANCE, {"delimiter": ";"}, "dpae-mensuelles-france-entiere.csv", "csv", "France"),
    ]


def _refuse(path: Path, frame: pd.DataFrame, bad: pd.Series, column: str, what: str):
    row_number = int(bad.to_numpy().argmax()) + 2
    value = frame.loc[bad, column].iloc[0]
    raise InputError(path, f"{column} : « {value} » {what} (ligne {row_number})")


def _check_pattern(path, frame, column, pattern, what, where=None):
    values = frame[column]
    bad = values.notna() & ~values.str.fullmatch(pattern.pattern).fillna(False).astype(bool)
    if where is not None:
        bad &= where
    if bad.any():
        _refuse(path, frame, bad, column, what)


def _required(path, frame, columns, where):
    for column in columns:
        empty = frame[column].isna() & where
        if empty.any():
            row_number = int(empty.to_numpy().argmax()) + 2
            raise InputError(path, f"{column} vide (ligne {row_number})")


def _iso_dates(path: Path, frame: pd.DataFrame, quarterly: bool) -> pd.Series:
    """period_end as ISO text; refused unless it is the last day of its month (of its quarter if quarterly)
    and agrees with `annee` and `trimestre`."""
    text = frame["period_end"].str.replace(FR_DATE.pattern, r"\3-\2-\1", regex=True)
    dates = pd.to_datetime(text.where(text.str.fullmatch(ISO_DATE.pattern).fillna(False).astype(bool)),
                           format="%Y-%m-%d", errors="coerce")
    bad = dates.isna() | ~dates.dt.is_month_end.fillna(False).astype(bool)
    if quarterly:
        bad |= ~dates.dt.month.isin([3, 6, 9, 12])
    if bad.any():
        _refuse(path, frame, bad, "period_end", "n'est pas une date de fin de " + ("trimestre" if quarterly else
                "mois") + " (AAAA-MM-JJ)")
    year = pd.to_numeric(frame["year"], errors="coerce")
    quarter = pd.to_numeric(frame["quarter"], errors="coerce")
    bad = (year != dates.dt.year) | (quarter != dates.dt.quarter)
    if bad.any():
        _refuse(path, frame, bad, "period_end", "ne correspond pas à l'année et au trimestre de la ligne")
    return dates.dt.strftime("%Y-%m-%d").astype("string")


def read(path: Path) -> RawTable:
    layout = _layout(_labels(path))
    if layout is None:
        raise InputError(path, "ni « dpae-par-departement-x-grand-secteur » ni « dpae-mensuelles-france-entiere »")
    rows = read_csv_rows(path)
    if len(rows) < 2:
        raise InputError(path, "aucune ligne de données (export vide ?)")
    wanted = NATIONAL if layout == "france" else DEPARTEMENTS
    columns = match_columns(rows[0], {name: COLUMNS[name] for name in wanted}, path)
    if layout == "departement":  # the label column `Département` beside `Code département`
        labels = [normalise_label(h) for h in rows[0]]
        if "departement" in labels:
            columns["dept_name"] = labels.index("departement")
    frame = frame_from_rows(rows[1:], columns)
    for name in FIELDS:
        if name not in frame:
            frame[name] = pd.Series([None] * len(frame), dtype="string")
    calibration = pd.Series(False, index=frame.index)
    for column in ("grand_secteur", "dept_code", "dept_name", "contract_nature"):
        calibration |= frame[column].fillna("").str.fullmatch(CALIBRATION.pattern).astype(bool)
    data = ~calibration
    _required(path, frame, ["year", "quarter", "period_end"], pd.Series(True, index=frame.index))
    _required(path, frame, ["contract_nature"] + (["dept_code", "grand_secteur"] if layout == "departement"
                                                 else []), data)
    _check_pattern(path, frame, "year", re.compile(r"[0-9]{4}"), "n'est pas une année")
    _check_pattern(path, frame, "quarter", re.compile(r"[1-4]"), "n'est pas un trimestre (1 à 4)")
    for column in ("hires_raw", "hires_sa"):
        _check_pattern(path, frame, column, re.compile(r"[0-9]+"), "n'est pas un nombre entier")
    check_counts(path, frame, {column: rows[0][columns[column]] for column in ("hires_raw", "hires_sa")},
                 COUNT_LIMITS[NAME], first_row=2)
    _check_pattern(path, frame, "contract_nature", CONTRACT, "n'est pas une nature de contrat connue (CDI, CDD)",
                   where=data)
    frame["period_end"] = _iso_dates(path, frame, quarterly=layout == "departement")
    frame["territory_level"] = layout
    frame["frequency"] = "month" if layout == "france" else "quarter"
    frame["is_calibration"] = calibration.map({True: "true", False: "false"})
    if layout == "departement":
        _check_pattern(path, frame, "dept_code", DEPT, "n'est pas un code de département",
                       where=data)
        _check_pattern(path, frame, "grand_secteur", GRAND_SECTEUR, "n'est pas un grand secteur (« GSn libellé »)",
                       where=data)
        padded = frame["dept_code"].str.zfill(2)
        # A calibration row with a real département code belongs to that département's région (its own
        # région column may say "_calage_"): it is summed into the région's CVS like the département's.
        real_dept = padded.isin(REGION_OF.keys()).fillna(False).astype(bool)
        frame.loc[calibration & real_dept, "region_code"] = padded[calibration & real_dept].map(REGION_OF)
        region_complete = _whole_regions(frame, padded, data)
        frame["region_complete"] = (region_complete & (data | real_dept)).map({True: "true", False: "false"})
        scope_codes = sorted(set(padded[data].dropna()))
        scope = SCOPE_PREFIX + ", ".join(scope_codes)  # every code, however many: see `replaces`
    else:
        frame["region_complete"] = "false"
        scope = "France"
    frame = frame[FIELDS].astype("string")
    periods = sorted(frame["period_end"].unique())
    first, last = _period_label(periods[0], layout), _period_label(periods[-1], layout)
    return RawTable(frame=frame, period=first if first == last else f"{first}/{last}", scope=scope)


def _whole_regions(frame: pd.DataFrame, padded: pd.Series, data: pd.Series) -> pd.Series:
    """Per row, whether its région is whole for its quarter: every département of the région has a row
    for every grand secteur × contract cell the file holds for that quarter (in any département). A
    département with some rows but not all its cells would otherwise make a région total look whole."""
    rows = pd.DataFrame({"period": frame["period_end"], "dept": padded, "cell": frame["grand_secteur"] + "\x1f"
                         + frame["contract_nature"]})[data].dropna()
    cells = rows.groupby("period")["cell"].apply(set).to_dict()
    held = rows.groupby(["period", "dept"])["cell"].apply(set).to_dict()
    whole_region: dict[tuple[str, str], bool] = {}
    for region, departements in REGIONS.items():
        for period, expected in cells.items():
            whole_region[(period, region)] = all(held.get((period, code), set()) >= expected
                                                 for code in departements.split())
    regions = frame["region_code"].str.zfill(2).fillna("")
    return pd.Series([whole_region.get((period, region), False)
                      for period, region in zip(frame["period_end"], regions, strict=True)], index=frame.index)


def _period_label(iso: str, layout: str) -> str:
    year, month = int(iso[:4]), int(iso[5:7])
    return f"{year}-{month:02d}" if layout == "france" else f"{year}-T{(month - 1) // 3 + 1}"
