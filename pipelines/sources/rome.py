"""France Travail ROME 4.0 open data (`unix_*_vNNN_utf8.csv`): métiers, appellations, items (savoir-faire,
savoir-être, savoirs, work contexts) and the links between métiers and items.

read() returns one text row per file row, in one long layout shared by every file of the set (FIELDS; `table` says
which file). Each file is a scope; the version in its name (v460) is its period: versions are kept side by side
and staging uses the latest of each file, so that a newer version replaces the older one, never the reverse.
Notes (layouts, quirks, what was verified): docs/sources/rome.md
"""

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipelines.errors import InputError
from pipelines.sources.protocol import RawTable
from pipelines.sources.readers import (
    CONTROL_CHARACTER,
    csv_header,
    csv_rows_of_text,
    decode_text,
    frame_from_rows,
    match_columns,
    normalise_label,
    require_values,
)

NAME = "rome"
PUBLISHER = "France Travail"
TITLE = "Répertoire opérationnel des métiers et des emplois (ROME 4.0) : métiers, appellations, compétences"
LICENCE = "Licence Ouverte / Open Licence v2.0 (Etalab)"
URL = "https://www.data.gouv.fr/fr/datasets/repertoire-operationnel-des-metiers-et-des-emplois-rome/"
KIND = "csv"

# A reference table revised a few times a year, on no announced date (docs/sources/rome.md).
RELEASES = ()
RELEASE_NOTE = "référentiel mis à jour plusieurs fois par an par France Travail, sans calendrier annoncé"
CAVEATS = ()
NO_FETCH_REASON = ("les fichiers du ROME se téléchargent à la main (archive « unix » sur data.gouv.fr ou "
                   "francetravail.io) : importez les fichiers unix_*_vNNN_utf8.csv")

# What read() returns: text columns, in this order. `table` names the file (TABLES); the other columns hold,
# for each table, the fields said in its Layout (empty when the file has none).
FIELDS = ["table", "version", "rome_code", "code", "label", "kind", "category", "subcategory", "flag", "text"]


@dataclass(frozen=True)
class Layout:
    file: str  # the publisher's name of the file, between "unix_" and "_vNNN_utf8.csv"
    columns: dict[str, str]  # canonical field -> pattern on the normalised header label
    required: tuple[str, ...]  # fields that may not be empty


ROME = r"code rome"
# The tables read, by the value of their `table` field. Each one is told from the others by its header.
TABLES = {
    "metiers": Layout("referentiel_code_rome", {
        "rome_code": ROME, "code": r"code ogr", "label": r"libelle rome", "category": r"code rome parent",
        "flag": r"emploi cadre", "subcategory": r"code fiche metier"}, ("rome_code", "label")),
    "appellations": Layout("referentiel_appellation", {
        "code": r"code ogr", "label": r"libelle appellation long", "subcategory": r"libelle appellation court",
        "rome_code": ROME, "category": r"classification", "flag": r"peu usite"}, ("code", "rome_code", "label")),
    "items": Layout("item", {"code": r"code ogr", "label": r"libelle", "kind": r"code rubrique"}, ("code",)),
    "competences": Layout("referentiel_competence", {
        "code": r"code ogr", "flag": r"nature", "label": r"libelle competence", "kind": r"cat comp",
        "category": r"sous cat comp"}, ("code", "label")),
    "savoirs": Layout("referentiel_savoir", {
        "code": r"code ogr savoir", "label": r"libelle savoir", "category": r"categorie savoir",
        "subcategory": r"sous categorie savoir"}, ("code", "label")),
    "contextes": Layout("referentiel_contexte_travail", {
        "code": r"code ogr", "label": r"libelle cont travail", "kind": r"code type cont trav",
        "category": r"libelle type cont trav"}, ("code", "label")),
    "liens": Layout("coherence_item", {"rome_code": ROME, "code": r"code ogr", "flag": r"coeur metier"},
                    ("rome_code", "code")),
    "secteurs_naf": Layout("arborescence_secteur_naf", {
        "code": r"code secteur naf", "label": r"libelle secteur naf", "category": r"code ogr rome",
        "rome_code": ROME, "subcategory": r"libelle rome"}, ("code", "rome_code")),
    # The sectors of activity, with their definition (quoted line breaks inside: kept as published).
    "secteurs_activite": Layout("secteur_activite", {
        "code": r"code sect activite", "label": r"libelle sect activite", "text": r"definition sect activite"},
        ("code", "label")),
}
# The importer names the columns a file lacks when its header holds most of a layout's.
CSV_LAYOUTS = {f"unix_{layout.file}_vNNN_utf8.csv": layout.columns for layout in TABLES.values()}

# The version in a file's name: unix_item_v460_utf8.csv (the stored copy adds "-<sha>" to the stem).
VERSION = re.compile(r"(?:^|_)v([0-9]{2,4})(?:_|-|$)", re.IGNORECASE)
ROME_CODE = r"[A-Z][0-9]{4}"


def _labels(path: Path) -> set[str]:
    return {normalise_label(label) for label in csv_header(path)}


def table_of(path: Path) -> str | None:
    """Which table a file holds, told by its header: every column of a layout present, the layouts with most
    columns tried first (a header holding the columns of two layouts is the larger one's)."""
    labels = _labels(path)
    for name, layout in sorted(TABLES.items(), key=lambda item: -len(item[1].columns)):
        if all(any(re.fullmatch(pattern, label) for label in labels) for pattern in layout.columns.values()):
            return name
    return None


def recognise(path: Path) -> bool:
    return table_of(path) is not None


PUBLISHED_NAME = re.compile(r"unix_(?P<file>.+?)_v[0-9]+_utf8", re.IGNORECASE)


def near_miss(path: Path) -> str | None:
    """A file of the ROME set that is not read here (texts, mobility, RIASEC…): said by name, not "unknown"."""
    found = PUBLISHED_NAME.match(Path(path).name)
    if found is None or found.group("file").lower() in {layout.file for layout in TABLES.values()}:
        return None  # a file read here with a renamed column: the importer names the column
    read = ", ".join(f"unix_{layout.file}" for layout in TABLES.values())
    return f"fichier du ROME 4.0 non utilisé par le tableau de bord ; seuls ceux-ci sont lus : {read}"


def version_of(path: Path) -> str:
    found = VERSION.search(Path(path).stem)
    if found is None:
        raise InputError(path, "version du ROME introuvable dans le nom du fichier (attendu unix_…_vNNN_utf8.csv, "
                               "par exemple unix_item_v460_utf8.csv : gardez le nom publié)")
    return f"v{int(found.group(1))}"


# C1 control characters (U+0080..U+009F) in text that is valid UTF-8: Windows-1252 punctuation once mistaken for
# Latin-1 (v460's items and savoirs write « l\u0092étranger » for « l’étranger »): read as the cp1252 character.
C1_CONTROL = re.compile(r"[\x80-\x9f]")


def _c1_as_cp1252(match: re.Match) -> str:
    try:
        return match.group().encode("latin-1").decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: no cp1252 character; left to the common check
        return match.group()


def decode(path: Path) -> str:
    """A file of the set as text: UTF-8 (its C1 controls repaired, C1_CONTROL), else Windows-1252 (v460's
    arborescence_secteur_naf, named utf8 but not), through the common decoder for anything else."""
    data = Path(path).read_bytes()
    try:
        text = C1_CONTROL.sub(_c1_as_cp1252, data.decode("utf-8"))
    except UnicodeDecodeError:
        return decode_text(path)
    # any other control character: refused by the common decoder, with its line
    return decode_text(path) if CONTROL_CHARACTER.search(text) else text


def read(path: Path) -> RawTable:
    name = table_of(path)
    if name is None:
        raise InputError(path, "en-tête non reconnu parmi les fichiers du ROME 4.0")
    layout, version = TABLES[name], version_of(path)
    rows = csv_rows_of_text(decode(path), path)  # a real CSV parser: quoted fields hold line breaks
    if len(rows) < 2:
        raise InputError(path, "aucune ligne de données")
    frame = frame_from_rows(rows[1:], match_columns(rows[0], layout.columns, path))
    require_values(frame, list(layout.required), path, first_row=2)
    if "rome_code" in layout.columns:
        bad = ~frame["rome_code"].str.strip().str.fullmatch(ROME_CODE).fillna(False)
        if bad.any():
            position = int(bad.to_numpy().nonzero()[0][0])
            raise InputError(path, f"code ROME invalide « {frame['rome_code'].iloc[position]} » (ligne "
                                   f"{position + 2} des données)")
    frame["table"], frame["version"] = name, version
    for field in FIELDS:
        if field not in frame:
            frame[field] = pd.NA
    return RawTable(frame=frame[FIELDS].astype("string"), period=version, scope=name, file_rows=len(rows) - 1)


# --- Writer: the publisher's layout (tests and demo data; invented values only) -------------------------


def write_table_csv(path: Path, header: list[str], rows: list[list[str]], encoding: str = "utf-8") -> Path:
    """A ROME open-data file as France Travail writes it: ',' separator, every field double-quoted, LF line ends,
    a final newline; `encoding` cp1252 for the one file of v460 that is not UTF-8 despite its name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


# The publisher's headers, verbatim (docs/sources/rome.md), for the writer.
HEADERS = {
    "metiers": ["code_rome", "code_fiche_metier", "code_ogr", "libelle_rome", "transition_eco", "transition_num",
                "transition_demo", "emploi_reglemente", "emploi_cadre", "code_rome_parent"],
    "appellations": ["code_ogr", "libelle_appellation_long", "libelle_appellation_court", "code_rome",
                     "transition_eco", "transition_num", "transition_demo", "emploi_reglemente", "emploi_cadre",
                     "classification", "origine", "code_rome_parent", "peu_usite"],
    "items": ["code_ogr", "libelle", "code_rubrique"],
    "competences": ["code_ogr", "nature", "libelle_competence", "definition", "code_ogr_macro_comp",
                    "code_macro_comp", "cat_comp", "sous_cat_comp", "transition_eco", "transition_num",
                    "libelle_heterogeneite", "libelle_origine"],
    "savoirs": ["code_ogr_savoir", "libelle_savoir", "categorie_savoir", "sous_categorie_savoir", "transition_eco",
                "transition_num"],
    "contextes": ["code_ogr", "libelle_cont_travail", "code_type_cont_trav", "libelle_type_cont_trav"],
    "liens": ["code_rome", "code_ogr", "coeur_metier"],
    "secteurs_naf": ["code_secteur_naf", "libelle_secteur_naf", "code_ogr_rome", "code_rome", "libelle_rome"],
    "secteurs_activite": ["code_sect_activite", "libelle_sect_activite", "definition_sect_activite"],
}


def write_rome_file(directory: Path, table: str, rows: list[dict], version: int = 460, encoding: str = "utf-8",
                    name: str | None = None) -> Path:
    """One file of the set, named as published (unix_<file>_v<version>_utf8.csv, whatever `encoding`); each row a
    dict of publisher column -> value, missing columns empty."""
    header = HEADERS[table]
    path = directory / (name or f"unix_{TABLES[table].file}_v{version}_utf8.csv")
    return write_table_csv(path, header, [[row.get(column, "") for column in header] for row in rows], encoding)
