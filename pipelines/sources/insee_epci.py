"""INSEE intercommunalités (EPCI): which EPCI each commune belongs to, for one geography year.

read() returns one text row per commune with its EPCI (none for the few communes outside any EPCI),
département, région and geography year. Two Insee workbooks give the same memberships: "Intercommunalité –
Métropole au 01-01-YYYY" (sheets EPCI and Composition_communale) and the "table d'appartenance géographique
des communes" (sheets COM and Zones_supra_communales).
Notes (layouts, quirks, what was verified): docs/sources/insee_epci.md
"""

from pathlib import Path

from pipelines.errors import InputError
from pipelines.sources.insee_ze import GEOGRAPHY
from pipelines.sources.protocol import RawTable
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

NAME = "insee_epci"
PUBLISHER = "Insee"
TITLE = "Intercommunalités (EPCI) : composition communale"
LICENCE = "Licence Ouverte / Open Licence v2.0 (Etalab)"
URL = "https://www.insee.fr/fr/information/2510634"
KIND = "xlsx"

# A reference table, not a series: Insee updates it for the geography of each 1 January, on no announced date.
RELEASES = ()
RELEASE_NOTE = ("table de référence : elle change à chaque révision des intercommunalités (géographie au "
                "1er janvier), sans calendrier annoncé")
CAVEATS = ()
# The file's name changes with each geography year and no stable address is known: downloaded by hand.
NO_FETCH_REASON = ("le classeur « Intercommunalité - Métropole au 01-01-AAAA » change de nom chaque année, "
                   "pas d'adresse stable connue")

NO_EPCI = "ZZZZZZZZZ"  # Insee's code for a commune outside any EPCI (a few island communes): not a territory
COLUMNS = {
    "commune_code": r"codgeo",
    "commune_name": r"libgeo",
    "epci_code": r"epci",
    "epci_name": r"libepci",
    "dept_code": r"dep",
    "region_code": r"reg",
}
FIELDS = [*COLUMNS, "geography_year"]
REPLACEMENT_KEY = ("commune_code", "communes")
# The two layouts: (sheet of communes, sheet naming the EPCI). The appartenance table's COM sheet has no EPCI
# names: they come from Zones_supra_communales, where a code is unique only within its NIVGEO.
INTERCOMMUNALITE = ("composition_communale", "epci")
APPARTENANCE = ("com", "zones_supra_communales")


def _sheets(path: Path) -> tuple[str, str] | None:
    names = {name.strip().lower(): name for name in sheet_names(path)}
    for layout in (INTERCOMMUNALITE, APPARTENANCE):
        if all(sheet in names for sheet in layout):
            return names[layout[0]], names[layout[1]]
    return None


def recognise(path: Path) -> bool:
    return _sheets(path) is not None


def _header(path: Path, rows: list[list], sheet: str, name: str) -> int:
    found = header_index(rows, name)
    if found is None:
        raise InputError(path, f"en-tête {name} introuvable dans la feuille {sheet}")
    return found


def _appartenance_names(path: Path, sheet: str) -> dict[str, str]:
    """EPCI code -> name, from the rows of Zones_supra_communales whose NIVGEO is EPCI."""
    rows = sheet_rows(path, sheet)
    header = _header(path, rows, sheet, "NIVGEO")
    columns = match_columns(rows[header], {"level": r"nivgeo", "code": r"codgeo", "name": r"libgeo"}, path)
    zones = frame_from_rows(rows[header + 1:], columns)
    zones = zones[zones["level"].str.strip().str.upper() == "EPCI"]
    return dict(zip(zones["code"], zones["name"], strict=True))


def read(path: Path) -> RawTable:
    sheets = _sheets(path)
    if sheets is None:
        raise InputError(path, "ni feuilles EPCI et Composition_communale, ni feuilles COM et Zones_supra_communales")
    communes, names_sheet = sheets
    rows = sheet_rows(path, communes)
    header = _header(path, rows, communes, "CODGEO")
    appartenance = names_sheet.strip().lower() == APPARTENANCE[1]
    required = [name for name in COLUMNS if not (appartenance and name == "epci_name")]
    columns = match_columns(rows[header], COLUMNS, path, required=required)
    titles = " ".join(str(cell) for row in rows[:header] for cell in row)
    geography = GEOGRAPHY.search(titles)
    if geography is None:
        raise InputError(path, f"année de géographie introuvable (« Géographie au 01/01/AAAA ») dans la feuille "
                               f"{communes}")
    period = geography.group(1)

    body = rows[header + 1:]
    first_row = header + 2
    refuse_conflicting_duplicates(path, rows[header], body, first_row=first_row)
    frame = frame_from_rows(body, columns).dropna(how="all")
    require_values(frame, ["commune_code", "epci_code"], path, first_row=first_row)
    if frame.empty:
        raise InputError(path, f"aucune commune dans la feuille {communes}")
    check_codes(path, frame, ["commune_code", "epci_code", "dept_code", "region_code"], first_row=first_row)
    refuse_two_places(path, frame, "commune_code", "epci_code", "EPCI", first_row=first_row)
    if appartenance:
        frame["epci_name"] = frame["epci_code"].map(_appartenance_names(path, names_sheet))
    without = frame["epci_code"] == NO_EPCI
    frame.loc[without, ["epci_code", "epci_name"]] = None
    frame["geography_year"] = period
    return RawTable(frame=frame[FIELDS], period=period)
