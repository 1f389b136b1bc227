"""DARES / France Travail labour-market tension indicators: the "2019" file (FAP 2009 × France, région,
département) and the "2021" file (ROME × bassin BMO), read into one long frame.

read() returns one text row per (file row × indicator): its class 1..5 and/or its value (FIELDS).
Notes (layouts, quirks, what was verified): docs/sources/dares_tensions.md
"""

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

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

NAME = "dares_tensions"
PUBLISHER = "Dares / France Travail"
TITLE = "Indicateurs de tension sur le marché du travail par métier (FAP 2009 × territoire, ROME × bassin BMO)"
LICENCE = "Licence Ouverte / Open Licence v2.0 (Etalab)"
# Where DARES publishes the tension indicators now: one publication page a year (the 2024 edition, published on
# 2026-02-04); the former /donnees/les-tensions-sur-le-marche-du-travail page is no longer kept up to date.
URL = "https://dares.travail-emploi.gouv.fr/publication/les-tensions-sur-le-marche-du-travail-en-2024"
KIND = "csv"

# Release calendar: the yearly tension indicators come out once a year, on no fixed date.
RELEASES = ()
RELEASE_NOTE = "publication annuelle de la Dares et de France Travail, sans date annoncée à l'avance"
CAVEATS = ()

# Both files are national (all territories in one file) and frozen; their URLs are pinned to a commit.
# Where they come from: docs/sources/dares_tensions.md.
DOWNLOAD_URLS = {
    "2019 FAP": ("https://raw.githubusercontent.com/StatDares/PortraitStatMetiers/"
                 "3d7e055d08cd1001cf1a7e0daeb60aead7d9415e/inputs/tensions/tensions.csv"),
    # The commit is in StartupsPoleEmploi/mobiville, not in France-Travail/mobiville (another history, whose file
    # has the older layout "2021 sans facteurs").
    "2021 ROME × bassin": ("https://raw.githubusercontent.com/StartupsPoleEmploi/mobiville/"
                           "6b1569631206e04fa53cf9f14c148f94ef2c2350/api/src/assets/datas/cities-tension-utf8.csv"),
}
DOWNLOAD_NAMES = {"2019 FAP": "dares_tensions_2019.csv", "2021 ROME × bassin": "tensions_rome_bassin_2021.csv"}
FETCH_NATIONAL = True

# What read() returns: text columns, in this order.
FIELDS = ["year", "territory_type", "territory_code", "metier_nomenclature", "metier_code", "metier_level",
          "indicator", "value_class", "value"]
# The main indicator and its six drivers (the DARES radar), in the order the dashboard shows them.
INDICATORS = ["tension", "hiring_intensity", "training_link", "labour_shortage", "job_instability",
              "working_conditions", "geographic_mismatch"]
VOLUMES = ["employment", "job_offers", "job_seekers_abc"]

CLASS = r"[1-5](\.0+)?"
NUMBER = r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?"
NUMBER_DECIMAL_COMMA = r"-?[0-9]+([.,][0-9]+)?([eE][-+]?[0-9]+)?"
YEAR = r"[0-9]{4}(\.0+)?"
GEO_LEVELS = {"nat": "france", "reg": "region", "dep": "departement"}
FAP_LEVELS = {"fap225": "fap225", "fap87": "fap87"}
FRANCE_CODE = "FR"


@dataclass(frozen=True)
class Layout:
    columns: dict[str, str]  # canonical wide name -> pattern on the normalised header label
    measures: dict[str, tuple[str | None, str | None]]  # indicator -> (class column, value column)
    numbers: list[str]  # value columns
    decimal_comma: bool


LAYOUTS = {
    "2019": Layout(
        columns={
            "metier_code": r"fap",
            "employment": r"emploi moyen",
            "tension_score": r"tension",
            "tension": r"categorie (de )?tension",
            "hiring_intensity": r"intensite d.embauches?",
            "training_link": r"lien formation.emploi",
            "labour_shortage": r"manque de main.d.*uvre disponible",
            "job_instability": r"non.durabilite de l.emploi",
            "working_conditions": r"conditions de travail contraignantes",
            "geographic_mismatch": r"inadequation geographique",
            "year": r"annee",
            "geo_level": r"niveau geo",
            "fap_level": r"niveau fap",
            "region_code": r"reg",
            "dept_code": r"dep",
        },
        measures={"tension": ("tension", "tension_score"),
                  **{name: (name, None) for name in INDICATORS[1:]},
                  "employment": (None, "employment")},
        numbers=["tension_score", "employment"],
        decimal_comma=False,
    ),
    "2021": Layout(
        columns={
            "year": r"annee",
            "metier_code": r"rome",
            "bassin_code": r"cbassin",
            "job_offers": r"oee",
            "job_seekers_abc": r"defm abc",
            "tension": r"ind tension d",
            "hiring_intensity": r"ind int emb d",
            "labour_shortage": r"ind main oeuvre d",
            "job_instability": r"ind dur empl d",
            "working_conditions": r"ind cond travail d",
            "geographic_mismatch": r"ind mismatch geo d",
            "training_link": r"ind specif form empl d",
        },
        measures={**{name: (name, None) for name in INDICATORS},
                  "job_offers": (None, "job_offers"), "job_seekers_abc": (None, "job_seekers_abc")},
        numbers=["job_offers", "job_seekers_abc"],
        decimal_comma=True,
    ),
    # The older export of the same indicators (France-Travail/mobiville, up to 2023): the tension class only, no
    # driver; labels of the ROME code and of the bassin beside the codes.
    "2021 sans facteurs": Layout(
        columns={"year": r"annee", "metier_code": r"rome", "bassin_code": r"cbassin", "job_offers": r"oee",
                 "job_seekers_abc": r"defm abc", "tension": r"ind tension d"},
        measures={"tension": ("tension", None), "job_offers": (None, "job_offers"),
                  "job_seekers_abc": (None, "job_seekers_abc")},
        numbers=["job_offers", "job_seekers_abc"],
        decimal_comma=True,
    ),
}


# The columns of each CSV layout read here (pattern on the normalised label): the importer names those a
# file lacks when its header holds most of them.
CSV_LAYOUTS = {name: layout.columns for name, layout in LAYOUTS.items()}


def fetch_requests(departements: list[str]) -> list[FetchRequest]:
    return [FetchRequest(url, {}, DOWNLOAD_NAMES[part], "csv", part) for part, url in DOWNLOAD_URLS.items()]


def _layout(header: list[str]) -> str | None:
    labels = {normalise_label(label) for label in header}
    if {"fap", "niveau geo"} <= labels and any(re.fullmatch(r"categorie (de )?tension", x) for x in labels):
        return "2019"
    if {"rome", "cbassin", "ind tension d"} <= labels:
        # the older export has no driver at all: a file missing only some is the 2021 one, its columns named
        drivers = {label for label in labels if label.startswith("ind ") and label != "ind tension d"}
        return "2021" if drivers else "2021 sans facteurs"
    return None


def recognise(path: Path) -> bool:
    return _layout(csv_header(path)) is not None


def near_miss(path: Path) -> str | None:
    """The DARES national series 2011-2019 (evol_tensions.csv) has no territory and no classes."""
    labels = {normalise_label(label) for label in csv_header(path)}
    if {"fap", "tension", "annee"} <= labels and "niveau geo" not in labels:
        return ("série nationale de l'indice de tension par FAP (evol_tensions) non prise en charge : importez "
                "le fichier DARES des tensions par territoire (tensions.csv) ou le fichier 2021 par bassin")
    return None


def _first_bad(path: Path, bad: pd.Series, values: pd.Series, label: str, problem: str):
    if bad.any():
        position = int(bad.to_numpy().nonzero()[0][0])
        value, row_number = values.iloc[position], position + 2
        raise InputError(path, f"{problem} « {value} » dans la colonne « {label} » (ligne {row_number})")


def _check(path: Path, values: pd.Series, pattern: str, label: str, problem: str) -> None:
    """Filled cells must fullmatch pattern; blanks (NA) pass."""
    bad = values.notna() & ~values.str.fullmatch(pattern).fillna(False)
    _first_bad(path, bad, values, label, problem)


def _territories_2019(path: Path, wide: pd.DataFrame, labels: dict[str, str]) -> tuple[pd.Series, pd.Series]:
    geo = wide["geo_level"].str.strip().str.lower()  # "reg " [sic] is a région
    unknown = ~geo.isin(list(GEO_LEVELS)).fillna(False)
    _first_bad(path, unknown, wide["geo_level"].fillna(""), labels["geo_level"],
               "niveau géographique inconnu (attendu nat, reg ou dep)")
    _check(path, wide["region_code"], r"[0-9]{1,3}(\.0+)?", labels["region_code"], "code de région invalide")
    territory_type = geo.map(GEO_LEVELS).astype("string")
    region = wide["region_code"].str.replace(r"\.0+$", "", regex=True)
    code = pd.Series(FRANCE_CODE, index=wide.index, dtype="string")
    code = code.mask(geo == "reg", region).mask(geo == "dep", wide["dept_code"])
    for level, column in (("reg", "region_code"), ("dep", "dept_code")):
        missing = (geo == level) & code.isna()
        if missing.any():
            row_number = int(missing.to_numpy().nonzero()[0][0]) + 2
            raise InputError(path, f"colonne « {labels[column]} » vide pour niveau_geo {level} (ligne {row_number})")
    return territory_type, code


def _metier_levels_2019(path: Path, wide: pd.DataFrame, labels: dict[str, str]) -> pd.Series:
    level = wide["fap_level"].str.replace(r"\s+", "", regex=True).str.lower()
    unknown = ~level.isin(list(FAP_LEVELS)).fillna(False)
    _first_bad(path, unknown, wide["fap_level"].fillna(""), labels["fap_level"],
               "niveau de nomenclature FAP inconnu (attendu fap 225 ou fap 87)")
    return level.map(FAP_LEVELS).astype("string")


def read(path: Path) -> RawTable:
    name = _layout(csv_header(path))
    if name is None:
        raise InputError(path, "ni le fichier DARES des tensions 2019 (fap, Catégorie Tension, niveau_geo) ni le "
                               "fichier 2021 par bassin (ROME, cbassin, ind_tension_d)")
    layout = LAYOUTS[name]
    rows = read_csv_rows(path)
    if len(rows) < 2:
        raise InputError(path, "aucune ligne de données")
    header = rows[0]
    columns = match_columns(header, layout.columns, path)
    labels = {column: header[position].strip() for column, position in columns.items()}
    wide = frame_from_rows(rows[1:], columns)
    require_values(wide, ["year", "metier_code"], path, first_row=2)

    _check(path, wide["year"], YEAR, labels["year"], "année invalide")
    class_columns = [column for column, _ in layout.measures.values() if column]
    for column in class_columns:
        _check(path, wide[column], CLASS, labels[column], "classe hors de 1 à 5")
    for column in layout.numbers:
        _check(path, wide[column], NUMBER_DECIMAL_COMMA if layout.decimal_comma else NUMBER, labels[column],
               "valeur non numérique")
    volumes = [column for column in layout.numbers if column in VOLUMES]  # counts (not the tension score)
    check_counts(path, wide, {column: labels[column] for column in volumes}, COUNT_LIMITS[NAME], first_row=2)
    check_codes(path, wide, [column for column in ("dept_code", "bassin_code") if column in wide], first_row=2)

    ids = pd.DataFrame(index=wide.index)
    ids["year"] = wide["year"].str.replace(r"\.0+$", "", regex=True)
    if name == "2019":
        ids["territory_type"], ids["territory_code"] = _territories_2019(path, wide, labels)
        ids["metier_nomenclature"] = "fap2009"
        ids["metier_code"] = wide["metier_code"]
        ids["metier_level"] = _metier_levels_2019(path, wide, labels)
    else:
        require_values(wide, ["bassin_code"], path, first_row=2)
        ids["territory_type"] = "bassin_bmo"
        ids["territory_code"] = wide["bassin_code"]
        ids["metier_nomenclature"] = "rome"
        ids["metier_code"] = wide["metier_code"]
        ids["metier_level"] = "rome"

    for column in class_columns:
        wide[column] = wide[column].str.replace(r"\.0+$", "", regex=True)
    if layout.decimal_comma:
        for column in layout.numbers:
            wide[column] = wide[column].str.replace(",", ".", regex=False)

    frame = _long(ids, wide, layout.measures)
    years = sorted(set(ids["year"]))
    period = years[0] if len(years) == 1 else f"{years[0]}-{years[-1]}"
    return RawTable(frame=frame, period=period, file_rows=len(wide))


def _long(ids: pd.DataFrame, wide: pd.DataFrame, measures: dict[str, tuple[str | None, str | None]]) -> pd.DataFrame:
    """Wide file rows -> one row per (file row, indicator), file order kept, indicators in `measures` order."""
    count = len(measures)
    blank = np.full(len(wide), pd.NA, dtype=object)

    def stacked(position: int) -> np.ndarray:
        arrays = [wide[pair[position]].to_numpy(dtype=object) if pair[position] else blank
                  for pair in measures.values()]
        return np.column_stack(arrays).ravel() if len(wide) else np.array([], dtype=object)

    frame = pd.DataFrame({column: np.repeat(ids[column].to_numpy(dtype=object), count) for column in ids})
    frame["indicator"] = np.tile(np.array(list(measures), dtype=object), len(wide))
    frame["value_class"] = stacked(0)
    frame["value"] = stacked(1)
    return frame[FIELDS].astype("string")


# --- Writers: files in the publishers' exact layouts (tests and demo data; invented values only) -------

HEADER_2019 = ["fap", "Emploi moyen", "Tension ", "Catégorie Tension", "Intensité d'embauches",
               "Lien formation-emploi", "Manque de main-d'œuvre disponible", "Non-durabilité de l'emploi",
               "Conditions de travail contraignantes", "Inadéquation géographique", "Année", "niveau_geo",
               "niveau_fap", "reg", "dep"]
HEADER_2021 = ["annee", "ROME", "cbassin", "oee", "defm_abc", "ind_tension_d", "ind_int_emb_d",
               "ind_main_oeuvre_d", "ind_dur_empl_d", "ind_cond_travail_d", "ind_mismatch_geo_d",
               "ind_specif_form_empl_d"]


def _as_float_text(value) -> str:
    """DARES wrote classes and région codes as floats: 5 -> '5.0'; text is written as given; None -> ''."""
    if value is None:
        return ""
    return value if isinstance(value, str) else f"{float(value)!r}"


def _as_text(value, decimal_comma: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    text = repr(value) if isinstance(value, float) else str(value)
    return text.replace(".", ",") if decimal_comma else text


def write_2019_csv(path: Path, rows: list[dict]) -> Path:
    """The DARES 2019 layout. Row keys: fap, employment, tension (score), tension_class, the six drivers
    (by their INDICATORS names), year (default 2019), niveau_geo, niveau_fap, reg, dep. Numbers are
    written as DARES wrote them (classes 5 -> '5.0', reg 53 -> '53.0'); strings are written as given."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER_2019)
        for row in rows:
            writer.writerow([
                row["fap"], _as_text(row.get("employment")), _as_text(row.get("tension")),
                _as_float_text(row.get("tension_class")),
                *[_as_float_text(row.get(name)) for name in INDICATORS[1:]],
                _as_text(row.get("year", 2019)), row["niveau_geo"], row.get("niveau_fap", "fap 225"),
                _as_float_text(row.get("reg")), _as_text(row.get("dep")),
            ])
    return path


def write_2021_csv(path: Path, rows: list[dict]) -> Path:
    """The 2021 ROME × bassin layout (';', decimal comma). Row keys: year (default 2021), rome, bassin
    (text, e.g. '0203'), job_offers, job_seekers_abc and the seven INDICATORS classes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    order = ["tension", "hiring_intensity", "labour_shortage", "job_instability", "working_conditions",
             "geographic_mismatch", "training_link"]  # the file's column order
    lines = [";".join(HEADER_2021)]
    for row in rows:
        cells = [_as_text(row.get("year", 2021)), row["rome"], row["bassin"],
                 _as_text(row.get("job_offers"), decimal_comma=True),
                 _as_text(row.get("job_seekers_abc"), decimal_comma=True),
                 *[_as_text(row.get(name)) for name in order]]
        lines.append(";".join(cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
