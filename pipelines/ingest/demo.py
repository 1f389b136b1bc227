"""Writers for files in the publishers' exact formats, and the fictitious demo data set.

`python -m pipelines.ingest.demo` rewrites data/raw/demo/ (committed) and its manifest. Every value is
invented; only the formats (sheet names, headers, `*` secrets, title rows) follow the publishers.
The same writers make the test fixtures, so tests and demo exercise one format definition.
"""

import calendar
import csv
import io
import random
import re
import sys
import zipfile
from pathlib import Path

from pipelines import errors, paths
from pipelines.datalock import Busy
from pipelines.ingest import leftovers, manifest
from pipelines.sources import (
    SOURCES,
    bmo,
    bmo_bassins,
    dares_defm,
    dares_tensions,
    france_travail,
    geo_communes,
    insee_chomage,
    insee_cog_mvt,
    insee_epci,
    insee_ze,
    offres,
    rome_fap,
    urssaf,
    urssaf_dpae,
)
from pipelines.sources import rome as rome_referential

BMO_HEADERS = {
    # 2019 spelled two headers differently (note the trailing space) and used FAP 2009 codes.
    "2019": ["annee", "code métier BMO ", "nom_metier BMO", "Famille_met", "Lbl_fam_met", "REG", "NOM_REG",
             "Dept", "NomDept", "BE{yy}", "NOMBE{yy}", "met", "xmet", "smet"],
    "2024": ["annee", "Code métier BMO", "Nom métier BMO", "Famille_met", "Lbl_fam_met", "REG", "NOM_REG",
             "Dept", "NomDept", "BE{yy}", "NOMBE{yy}", "met", "xmet", "smet"],
    # 2026 adds a `clpe` column.
    "2026": ["annee", "Code métier BMO", "Nom métier BMO", "Famille_met", "Lbl_fam_met", "REG", "NOM_REG",
             "Dept", "NomDept", "BE{yy}", "NOMBE{yy}", "clpe", "met", "xmet", "smet"],
}
BMO_FIELDS = ["year", "metier_code", "metier_label", "family_code", "family_label", "region_code",
              "region_name", "dept_code", "dept_name", "bassin_code", "bassin_name", "clpe",
              "projects", "difficult", "seasonal"]


def save_workbook(workbook, path: Path) -> Path:
    """Save an openpyxl workbook byte-for-byte reproducibly (fixed zip times and document dates), so that
    regenerating the demo files changes only what really changed."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", data)
            target.writestr(zipfile.ZipInfo(item.filename, date_time=(2026, 1, 1, 0, 0, 0)), data,
                            zipfile.ZIP_DEFLATED)
    return path


def write_bmo_workbook(path: Path, year: int, rows: list[dict], layout: str = "2024") -> Path:
    """A BMO open-data workbook: a description sheet and `BMO_<year>_open_data` (header on row 1)."""
    from openpyxl import Workbook  # dev dependency: only demo and fixture writing need it

    headers = [h.replace("{yy}", f"{year % 100:02d}") for h in BMO_HEADERS[layout]]
    fields = [f for f in BMO_FIELDS if f != "clpe" or layout == "2026"]
    workbook = Workbook()
    description = workbook.active
    # The 2026 workbook names it with underscores, beside BMO_2026_open_data.
    description.title = "Description_des_variables" if layout == "2026" else "Description des variables"
    description.append(["Variables", "Description"])
    sheet = workbook.create_sheet(f"BMO_{year}_open_data")
    sheet.append(headers)
    for row in rows:
        sheet.append([year if f == "year" else row.get(f, "") for f in fields])
    return save_workbook(workbook, path)


def write_bassins_csv(path: Path, rows: list[dict], layout: str = "2024", encoding: str = "utf-8") -> Path:
    """A commune → bassin BMO lexicon, in the 2024 (bassin_emploi.csv) or 2019 (lexique-bassins.csv) layout."""
    if layout == "2024":
        header = ["reg", "dep", "code_commune_insee", "code_bassin_BMO", "lib_bassin_BMO"]
        lines = [[r["region_code"], r["dept_code"], r["commune_code"], r["bassin_code"], r["bassin_name"]]
                 for r in rows]
    else:
        header = ["CODE_COMMUNE_INSEE", "REG_CREDOC", "REG", "DEP", "CCOMMUNE", "NOMCOM", "BE19", "NOMBE19"]
        lines = [[r["commune_code"], "A", r["region_code"], r["dept_code"], r["commune_code"],
                  r["commune_name"], r["bassin_code"], r["bassin_name"]] for r in rows]
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(lines)
    return path


def write_ze_workbook(path: Path, rows: list[dict], geography_year: int = 2022) -> Path:
    """The INSEE zones d'emploi 2020 workbook: 4 title rows, a blank-free label row, header on row 6."""
    from openpyxl import Workbook

    titles = [["Zones d'emploi 2020"], ["France - Composition communale"],
              [f"Mise en ligne le 18/03/2022       Géographie au 01/01/{geography_year}"],
              ["@Insee       Source(s) : Insee, Code officiel géographique"]]
    workbook = Workbook()
    zones = workbook.active
    zones.title = "ZE2020"
    for title in titles:
        zones.append(title)
    zones.append(["Zone d'emploi 2020", "Libellé zone d'emploi 2020", "Nombre communes"])
    zones.append(["ZE2020", "LIBZE2020", "NB_COM"])
    names = {r["ze_code"]: r["ze_name"] for r in rows}
    for code, name in sorted(names.items()):
        zones.append([code, name, sum(r["ze_code"] == code for r in rows)])
    composition = workbook.create_sheet("Composition_communale")
    for title in titles:
        composition.append(title)
    composition.append(["Code géographique communal", "Libellé géographique", "Zone d'emploi 2020",
                        "Libellé zone d'emploi 2020", "Partie régionale de la zone d'emploi trans-régionale",
                        "Département", "Région"])
    composition.append(["CODGEO", "LIBGEO", "ZE2020", "LIBZE2020", "ZE2020_PARTIE_REG", "DEP", "REG"])
    for r in rows:
        composition.append([r["commune_code"], r["commune_name"], r["ze_code"], r["ze_name"], "",
                            r["dept_code"], r["region_code"]])
    workbook.create_sheet("Variables").append(["VAR_ID", "VAR_LIB", "VAR_LIB_LONG"])
    workbook.create_sheet("Documentation").append(["Documentation"])
    return save_workbook(workbook, path)


def write_epci_workbook(path: Path, rows: list[dict], geography_year: int = 2023) -> Path:
    """Insee's "Intercommunalité - Métropole" workbook: sheets EPCI and Composition_communale, 4 title rows,
    French labels on row 5, codes on row 6. A row whose epci_code is ZZZZZZZZZ is a commune without EPCI."""
    from openpyxl import Workbook

    titles = [["Intercommunalité et Métropole"], ["France - Liste des intercommunalités"],
              [f"Mise en ligne le 17/03/{geography_year}       Géographie au 01/01/{geography_year}"],
              ["@Insee       Source(s) : Insee, Code officiel géographique"]]
    workbook = Workbook()
    epci = workbook.active
    epci.title = "EPCI"
    for title in titles:
        epci.append(title)
    epci.append(["EPCI - Métropole", "Libellé de l'EPCI / Métropole", "Nature d'EPCI", "Nombre communes"])
    epci.append(["EPCI", "LIBEPCI", "NATURE_EPCI", "NB_COM"])
    names = {r["epci_code"]: (r["epci_name"], r.get("epci_nature", "CC")) for r in rows}
    for code, (name, nature) in sorted(names.items()):
        epci.append([code, name, nature, float(sum(r["epci_code"] == code for r in rows))])
    composition = workbook.create_sheet("Composition_communale")
    for title in [titles[0], ["France - Composition communale"], *titles[2:]]:
        composition.append(title)
    composition.append(["Code géographique", "Libellé géographique", "EPCI - Métropole",
                        "Libellé de l'EPCI / Métropole", "Département", "Région"])
    composition.append(["CODGEO", "LIBGEO", "EPCI", "LIBEPCI", "DEP", "REG"])
    for r in rows:
        composition.append([r["commune_code"], r["commune_name"], r["epci_code"], r["epci_name"], r["dept_code"],
                            r["region_code"]])
    workbook.create_sheet("Variables").append(["VAR_ID", "VAR_LIB", "VAR_LIB_LONG"])
    workbook.create_sheet("Documentation").append(["Documentation"])
    return save_workbook(workbook, path)


CHOMAGE_TITLE = "Taux de chômage localisés par zone d'emploi, en moyenne trimestrielle : en France hors Mayotte et Guyane "
CHOMAGE_SOURCE = "Source : Insee, Estimations de taux de chômage localisés."
# Each sheet of the workbook: (code header, French labels of the columns before the quarters, title rows).
CHOMAGE_SHEETS = {
    "zone_emploi": ("txcho_ze", ["ZE2020", "LIBZE2020", "REG", "LIBREG"],
                    ["Code de la zone d'emploi 2020", "Libellé de la zone d'emploi 2020", "Code région 2016",
                     "Libellé région 2016"]),
    "partie_regionale": ("txcho_parties reg", ["ZER2020", "LIBZER2020"],
                         ["Code de la partie régionale de la zone d'emploi 2020", "Libellé de la partie régionale"]),
    "departement": ("txcho_dep", ["DEP", "LIBDEP", "REG", "LIBREG"],
                    ["Code du département", "Libellé du département", "Code région 2016", "Libellé région 2016"]),
    "region": ("txcho_reg", ["REG", "LIBREG"], ["Code région 2016", "Libellé région 2016"]),
}


def chomage_quarters(first: str, last: str) -> list[str]:
    """'2003-T1' … '2023-T3', every quarter between."""
    (year, quarter), end = (int(first[:4]), int(first[-1])), (int(last[:4]), int(last[-1]))
    quarters = []
    while (year, quarter) <= end:
        quarters.append(f"{year}-T{quarter}")
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return quarters


def write_chomage_workbook(path: Path, zones: list[dict], quarters: list[str], **others: list[dict]) -> Path:
    """Insee's localised unemployment rates workbook: sheet txcho_ze (4 title rows, French labels on row 5, codes on
    row 6, one column per quarter, whole rates stored as integers, blank = not published), and the sheets of
    `others` (partie_regionale, departement, region) in the same layout, the regional parts with two more title rows.
    A row: {"code", "name", "region_code", "region_name", "rates": {quarter: rate or None}}."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Documentation"
    workbook.active.append(["Taux de chômage localisés (fichier de démonstration : valeurs fictives)"])
    for level, rows in {"zone_emploi": zones, **others}.items():
        name, codes, labels = CHOMAGE_SHEETS[level]
        sheet = workbook.create_sheet(name)
        titles = [[CHOMAGE_TITLE], [CHOMAGE_SOURCE], [], [None] * (len(codes) + len(quarters) - 1) + ["en\xa0%"]]
        if level == "partie_regionale":
            titles[2:3] = [["Note : parties régionales des zones d'emploi interrégionales."], [], []]
        for title in titles:
            sheet.append(title)
        sheet.append(labels + [f"{int(q[-1])}{'er' if q[-1] == '1' else 'e'} trimestre {q[:4]}" for q in quarters])
        sheet.append(codes + quarters)
        for row in rows:
            rates = [row["rates"].get(quarter) for quarter in quarters]
            cells = [row["code"], row["name"], row.get("region_code"), row.get("region_name")][:len(codes)]
            sheet.append(cells + [int(rate) if isinstance(rate, float) and rate.is_integer() else rate
                                  for rate in rates])
    return save_workbook(workbook, path)


URSSAF_KEYS = {  # canonical key: (API field name, French label of the labelled export)
    "region_code": ("code_region", "Code région"),
    "dept_code": ("code_departement", "Code département"),
    "ze_code": ("code_zone_d_emploi", "Code zone d'emploi"),
    "epci_code": ("code_epci", "Code EPCI"),
    "commune_code": ("code_commune", "Code commune"),
    "ape_code": ("code_ape", "Code APE"),
}


def write_urssaf_csv(path: Path, rows: list[dict], years, labels: bool = False, encoding: str = "utf-8",
                     keys=tuple(URSSAF_KEYS)) -> Path:
    """A URSSAF commune × APE export: API field names (`;`, UTF-8) or French labels (UTF-8 BOM, CRLF).

    Each row: the `keys` (default: all of URSSAF_KEYS; fewer for the server's aggregates, e.g. région and
    APE) and `values` = {year: (establishments, employees)}; a missing year or None is written empty
    (not published)."""
    header = [URSSAF_KEYS[key][1 if labels else 0] for key in keys]
    for year in years:
        header += [f"Nombre d'établissements {year}", f"Effectifs salariés {year}"] if labels else [
            f"nombre_d_etablissements_{year}", f"effectifs_salaries_{year}"]
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig" if labels else encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n" if labels else "\n")
        writer.writerow(header)
        for row in rows:
            line = [row[key] for key in keys]
            for year in years:
                establishments, employees = row["values"].get(year, (None, None))
                line += ["" if establishments is None else establishments, "" if employees is None else employees]
            writer.writerow(line)
    return path


DEFM_HEADER = ["date", "code_commune", "libelle_commune", "categorie", "sexe", "tranche_d_age",
               "nombre_de_demandeurs_d_emploi"]


def write_defm_csv(path: Path, rows: list[dict]) -> Path:
    """A DARES communal job-seekers export (API field names, ';'). Row keys: the DEFM_HEADER fields."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\n")
        writer.writerow(DEFM_HEADER)
        writer.writerows([row.get(field, "") for field in DEFM_HEADER] for row in rows)
    return path


# URSSAF DPAE by département × grand secteur × quarter: (API field name, French label), in the order the
# export writes them (labels, then codes, then counts, as URSSAF's other exports do: inferred).
DPAE_DEPARTEMENT_FIELDS = [
    ("region", "Région"), ("ancienne_region", "Ancienne région"), ("departement", "Département"),
    ("grand_secteur_d_activite", "Grand secteur d'activité"), ("duree_de_contrat", "Durée de contrat"),
    ("nature_de_contrat", "Nature de contrat"), ("annee", "Année"), ("trimestre", "Trimestre"),
    ("dernier_jour_du_trimestre", "Dernier jour du trimestre"), ("code_region", "Code région"),
    ("code_ancienne_region", "Code ancienne région"), ("code_departement", "Code département"),
    ("dpae_brut", "DPAE (brut)"), ("dpae_cvs", "DPAE (cvs)"),
]
# The national monthly file, exactly as the real export (verified): `;`, LF, no BOM, rows unsorted.
DPAE_FRANCE_HEADER = ["annee", "trimestre", "dernier_jour_du_mois", "duree_de_contrat", "nature_de_contrat",
                      "dpae_brut", "dpae_cvs"]
DPAE_DURATION = "Contrat de plus d'un mois"
DPAE_CONTRACTS = {"cdi": "CDI", "cdd": "CDD de plus d'un mois"}


def month_end(year: int, month: int) -> str:
    return f"{year}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def dpae_row(year: int, month: int, contract: str, raw, sa, **place) -> dict:
    """One DPAE row under the API field names; `place` adds the département-file fields.
    `month` is the last month of the period (3, 6, 9, 12 for a quarter)."""
    row = {"annee": year, "trimestre": (month - 1) // 3 + 1, "duree_de_contrat": DPAE_DURATION,
           "nature_de_contrat": DPAE_CONTRACTS.get(contract, contract), "dpae_brut": raw, "dpae_cvs": sa}
    key = "dernier_jour_du_trimestre" if place else "dernier_jour_du_mois"
    return row | {key: month_end(year, month)} | place


def write_dpae_departements_csv(path: Path, rows: list[dict], labels: bool = False) -> Path:
    """The export of `dpae-par-departement-x-grand-secteur`: API field names (`;`, UTF-8, LF) or French
    labels (UTF-8 BOM, CRLF). Row keys: the API field names; a missing or None value is written empty."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig" if labels else "utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n" if labels else "\n")
        writer.writerow([names[1 if labels else 0] for names in DPAE_DEPARTEMENT_FIELDS])
        writer.writerows([("" if row.get(name) is None else row[name]) for name, _ in DPAE_DEPARTEMENT_FIELDS]
                         for row in rows)
    return path


def write_dpae_france_csv(path: Path, rows: list[dict]) -> Path:
    """The export of `dpae-mensuelles-france-entiere`, as the real file. Row keys: DPAE_FRANCE_HEADER."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
        writer.writerow(DPAE_FRANCE_HEADER)
        writer.writerows([("" if row.get(name) is None else row[name]) for name in DPAE_FRANCE_HEADER]
                         for row in rows)
    return path


# --- The fictitious demo data set -------------------------------------------------------------------

# (bassin, département, région, names); REDON spans two départements, as some real bassins do.
DEMO_BASSINS = [
    ("5314", "RENNES", "35", "Ille-et-Vilaine", "53", "Bretagne"),
    ("5316", "SAINT MALO", "35", "Ille-et-Vilaine", "53", "Bretagne"),
    ("5317", "VITRE", "35", "Ille-et-Vilaine", "53", "Bretagne"),
    ("5313", "REDON", "35", "Ille-et-Vilaine", "53", "Bretagne"),
    ("5313", "REDON", "44", "Loire-Atlantique", "52", "Pays de la Loire"),
    ("5308", "BREST", "29", "Finistère", "53", "Bretagne"),
    ("5215", "NANTES", "44", "Loire-Atlantique", "52", "Pays de la Loire"),
    ("1101", "PARIS", "75", "Paris", "11", "Île-de-France"),
]
# (code, label, family code, family label, typical size, difficulty, seasonality): invented figures.
DEMO_METIERS = [
    ("A0X40", "Agriculteurs", "Z", "Autres métiers", 40, 0.45, 0.30),
    ("A0X41", "Eleveurs", "Z", "Autres métiers", 35, 0.55, 0.20),
    ("A1X40", "Maraîchers et horticulteurs", "Z", "Autres métiers", 60, 0.40, 0.75),
    ("A1X41", "Jardiniers des espaces verts et naturels", "Z", "Autres métiers", 50, 0.50, 0.40),
    ("A1X42", "Viticulteurs, arboriculteurs", "Z", "Autres métiers", 80, 0.35, 0.90),
    ("A2X70", "Techniciens et agents d'encadrement d'exploitations agricoles", "Z", "Autres métiers", 8, 0.60, 0.10),
    ("B0X30", "Ouvriers peu qualifiés de l'extraction et des travaux publics", "O", "Fonctions de production", 25, 0.70, 0.25),
    ("B0X31", "Ouvriers qualifiés de l'extraction et des travaux publics", "O", "Fonctions de production", 20, 0.85, 0.15),
    ("B1X31", "Maçons qualifiés", "O", "Fonctions de production", 45, 0.85, 0.05),
    ("B1X34", "Couvreurs", "O", "Fonctions de production", 20, 0.90, 0.05),
    ("B2X32", "Ouvriers en électricité du bâtiment", "O", "Fonctions de production", 40, 0.80, 0.03),
    ("B2X33", "Plombiers chauffagistes", "O", "Fonctions de production", 35, 0.85, 0.02),
    ("B2X36", "Ouvriers en peinture en bâtiment", "O", "Fonctions de production", 30, 0.75, 0.08),
    ("B6X74", "Conducteurs de travaux et chefs de chantier non cadres", "T", "Fonctions techniques", 15, 0.80, 0.02),
    ("B7X92", "Ingénieurs du bâtiment et des travaux publics", "C", "Fonctions d'encadrement", 10, 0.75, 0.00),
    ("E3X20", "Ouvriers peu qualifiés des industries agro-alimentaires", "I", "Fonctions industrielles", 70, 0.45, 0.30),
    ("E3X40", "Ouvriers qualifiés des industries agro-alimentaires", "I", "Fonctions industrielles", 30, 0.55, 0.15),
    ("M1X80", "Techniciens d'étude et de développement en informatique", "A", "Fonctions administratives", 35, 0.60, 0.01),
    ("M1X81", "Techniciens de production et support en informatique", "A", "Fonctions administratives", 20, 0.55, 0.02),
    ("M2X90", "Ingénieurs et cadres d'étude en informatique et télécom", "C", "Fonctions d'encadrement", 45, 0.70, 0.01),
    ("M2X93", "Experts et consultants en systèmes d'information", "C", "Fonctions d'encadrement", 12, 0.65, 0.00),
    ("J1X80", "Conducteurs routiers", "O", "Fonctions de production", 40, 0.70, 0.10),
    ("R2X36", "Vendeurs en produits alimentaires", "V", "Fonctions commerciales", 70, 0.40, 0.45),
    ("S1X40", "Cuisiniers", "S", "Fonctions sociales et médico-sociales", 90, 0.65, 0.55),
    ("S2X60", "Serveurs de cafés restaurants", "S", "Fonctions sociales et médico-sociales", 110, 0.60, 0.60),
    ("T2A60", "Aides à domicile et auxiliaires de vie", "S", "Fonctions sociales et médico-sociales", 85, 0.75, 0.05),
    ("T4X60", "Agents d'entretien de locaux", "S", "Fonctions sociales et médico-sociales", 120, 0.45, 0.20),
    ("W0X80", "Enseignants", "S", "Fonctions sociales et médico-sociales", 30, 0.40, 0.30),
]
# Bassin size multipliers (invented): Rennes large, Vitré small.
DEMO_SIZE = {"5314": 6.0, "5316": 2.5, "5317": 1.2, "5313": 0.6, "5308": 3.0, "5215": 7.0, "1101": 20.0}
DEMO_COMMUNES = [
    # (commune, name, bassin 2024, ZE 2020 code, ZE name, dept, region): assignments invented for the demo.
    ("35238", "Rennes", "5314", "5315", "Rennes", "35", "53"),
    ("35051", "Cesson-Sévigné", "5314", "5315", "Rennes", "35", "53"),
    ("35047", "Bruz", "5314", "5315", "Rennes", "35", "53"),
    ("35024", "Betton", "5314", "5315", "Rennes", "35", "53"),
    ("35281", "Saint-Jacques-de-la-Lande", "5314", "5315", "Rennes", "35", "53"),
    ("35206", "Pacé", "5314", "5315", "Rennes", "35", "53"),
    ("35066", "Chartres-de-Bretagne", "5314", "5315", "Rennes", "35", "53"),
    ("35288", "Saint-Malo", "5316", "5316", "Saint-Malo", "35", "53"),
    ("35093", "Dinard", "5316", "5316", "Saint-Malo", "35", "53"),
    ("35360", "Vitré", "5317", "5315", "Rennes", "35", "53"),
    ("35236", "Redon", "5313", "5313", "Redon", "35", "53"),
    ("44185", "Saint-Nicolas-de-Redon", "5313", "5313", "Redon", "44", "52"),
    ("29019", "Brest", "5308", "5306", "Brest", "29", "53"),
    ("29233", "Quimperlé", "5319", "5314", "Quimperlé", "29", "53"),
    ("44109", "Nantes", "5215", "5217", "Nantes", "44", "52"),
    ("75056", "Paris", "1101", "1109", "Paris", "75", "11"),
]
DEMO_YEARS = (2024, 2025)
DEMO_URSSAF_YEARS = range(2017, 2025)
# (APE, typical employees per commune of size 1): invented.
DEMO_APE = [("4120A", 40), ("4211Z", 15), ("4321A", 30), ("6201Z", 50), ("6202A", 25), ("1013A", 35),
            ("1071C", 20), ("0111Z", 3), ("4711D", 60), ("8610Z", 80), ("5610A", 45)]
DEMO_ORIGIN = "fichier fictif généré par pipelines/ingest/demo.py"


def write_communes_geojson(path: Path, features: list[dict], layout: str = "ign") -> Path:
    """A GeoJSON FeatureCollection of communes in one line, as published: `features` of {commune_code,
    commune_name, rings (list of polygons, each a list of rings of (lon, lat))}. layout "ign": properties code
    and nom (gregoiredavid/france-geojson); "etalab": code, nom, departement, region, epci (contours
    administratifs)."""
    import json

    def properties(feature: dict) -> dict:
        own = {"code": feature["commune_code"], "nom": feature["commune_name"]}
        if layout == "etalab":
            own |= {"departement": feature["commune_code"][:2], "region": feature.get("region_code", "53"),
                    "epci": feature.get("epci_code")}
        return own

    def geometry(polygons: list) -> dict:
        coordinates = [[[list(point) for point in ring] for ring in polygon] for polygon in polygons]
        if len(coordinates) == 1:
            return {"type": "Polygon", "coordinates": coordinates[0]}
        return {"type": "MultiPolygon", "coordinates": coordinates}

    document = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": geometry(feature["polygons"]), "properties": properties(feature)}
        for feature in features]}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return path


COG_MVT_HEADER = ["MOD", "DATE_EFF", "TYPECOM_AV", "COM_AV", "TNCC_AV", "NCC_AV", "NCCENR_AV", "LIBELLE_AV",
                  "TYPECOM_AP", "COM_AP", "TNCC_AP", "NCC_AP", "NCCENR_AP", "LIBELLE_AP"]


def write_cog_mvt_csv(path: Path, events: list[tuple]) -> Path:
    """Insee's v_mvt_commune_YYYY.csv (comma, UTF-8): `events` of (MOD, DATE_EFF, TYPECOM_AV, COM_AV, LIBELLE_AV,
    TYPECOM_AP, COM_AP, LIBELLE_AP); the NCC/NCCENR/TNCC columns are derived from the names."""
    lines = [COG_MVT_HEADER]
    for mod, date, type_before, before, name_before, type_after, after, name_after in events:
        lines.append([mod, date, type_before, before, "0", name_before.upper(), name_before, name_before,
                      type_after, after, "0", name_after.upper(), name_after, name_after])
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(lines)
    return path


def square(lon: float, lat: float, side: float) -> list:
    """One polygon: a square ring of `side` degrees from its south-west corner (closed, counter-clockwise), with
    5 decimals as the publishers' files."""
    east, north = round(lon + side, 5), round(lat + side, 5)
    return [[(lon, lat), (east, lat), (east, north), (lon, north), (lon, lat)]]


def demo_bmo_rows(year: int, seed: int = 35) -> list[dict]:
    """Invented BMO cells; small counts become `*` secrets as in the publisher's files."""
    rng = random.Random(seed * 10_000 + year)
    growth = 1.0 + (year - 2024) * 0.06
    rows = []
    for metier_code, label, family, family_label, size, difficulty, seasonality in DEMO_METIERS:
        for bassin, bassin_name, dept, dept_name, region, region_name in DEMO_BASSINS:
            projects = round(size * DEMO_SIZE[bassin] * growth * rng.uniform(0.6, 1.4))
            if dept == "44" and bassin == "5313":
                projects = round(projects * 0.3)
            difficult = min(projects, round(projects * min(0.98, difficulty * rng.uniform(0.85, 1.15))))
            seasonal = min(projects, round(projects * seasonality * rng.uniform(0.8, 1.2)))
            rows.append({
                "metier_code": metier_code, "metier_label": label, "family_code": family,
                "family_label": family_label, "region_code": region, "region_name": region_name,
                "dept_code": dept, "dept_name": dept_name, "bassin_code": float(bassin),
                "bassin_name": bassin_name,
                "projects": str(projects) if projects >= 5 else "*",
                "difficult": str(difficult) if projects >= 5 and difficult >= 3 else "*",
                "seasonal": str(seasonal) if projects >= 5 and seasonal >= 3 else "*",
            })
    return rows


def demo_commune_rows() -> list[dict]:
    names = {b[0]: b[1] for b in DEMO_BASSINS} | {"5319": "QUIMPERLE"}
    return [{"commune_code": c, "commune_name": n, "bassin_code": b, "bassin_name": names[b], "ze_code": z,
             "ze_name": zn, "dept_code": d, "region_code": r} for c, n, b, z, zn, d, r in DEMO_COMMUNES]


# One EPCI per département in the demo (the URSSAF demo files carry the same codes): names invented.
DEMO_EPCI = {"35": ("243500139", "Intercommunalité démo d'Ille-et-Vilaine"),
             "29": ("242900314", "Intercommunalité démo du Finistère"),
             "44": ("244400404", "Intercommunalité démo de Loire-Atlantique"),
             "75": ("200054781", "Intercommunalité démo de Paris")}


def demo_epci_rows() -> list[dict]:
    return [{"commune_code": c, "commune_name": n, "epci_code": DEMO_EPCI[d][0], "epci_name": DEMO_EPCI[d][1],
             "dept_code": d, "region_code": r} for c, n, _, _, _, d, r in DEMO_COMMUNES]


# Demo geometry (invented shapes, nothing like the real boundaries): each département's demo communes as squares
# of DEMO_SQUARE degrees side by side, three to a row, from a corner near the département. A 2018 geometry, with
# one invented commune ("35997") merged into Rennes on 1 January 2019 by the demo COG history.
DEMO_SQUARE = 0.08
DEMO_CORNERS = {"35": (-2.1, 47.9), "29": (-4.4, 48.1), "44": (-1.9, 47.1), "75": (2.2, 48.8)}
DEMO_MERGED = ("35997", "Ancienne commune démo", "35238", "Rennes")


def demo_geometry_features() -> list[dict]:
    by_dept: dict[str, int] = {}
    features = []
    for commune, name, *_, dept, region in [*DEMO_COMMUNES, (DEMO_MERGED[0], DEMO_MERGED[1], "", "", "", "35", "53")]:
        place = by_dept.get(dept, 0)
        by_dept[dept] = place + 1
        lon, lat = DEMO_CORNERS[dept]
        features.append({"commune_code": commune, "commune_name": name, "region_code": region,
                         "polygons": [square(round(lon + DEMO_SQUARE * (place % 3), 5),
                                             round(lat + DEMO_SQUARE * (place // 3), 5), DEMO_SQUARE)]})
    return features


def demo_cog_events() -> list[tuple]:
    merged, merged_name, into, into_name = DEMO_MERGED
    return [("32", "2019-01-01", "COM", merged, merged_name, "COM", into, into_name),
            ("32", "2019-01-01", "COM", merged, merged_name, "COMD", merged, merged_name),
            ("32", "2019-01-01", "COM", into, into_name, "COM", into, into_name)]


def demo_urssaf_rows(seed: int = 35) -> list[dict]:
    rng = random.Random(seed)
    epci = {dept: code for dept, (code, _) in DEMO_EPCI.items()}
    rows = []
    for commune, _, bassin, ze, _, dept, region in DEMO_COMMUNES:
        size = DEMO_SIZE.get(bassin, 1.0) / (2 if commune != "35238" else 0.5)
        for ape, typical in DEMO_APE:
            employees = typical * size * rng.uniform(0.5, 1.5)
            values = {}
            for year in DEMO_URSSAF_YEARS:
                employees *= rng.uniform(0.97, 1.06) * (1.03 if year == 2023 else 1.0)  # apprentices from 2023
                count = round(employees)
                values[year] = (max(1, round(count / 9)), count) if count else (None, None)
            rows.append({"region_code": region, "dept_code": dept, "ze_code": ze, "epci_code": epci[dept],
                         "commune_code": commune, "ape_code": ape, "values": values})
    return rows


def demo_urssaf_aggregates(rows: list[dict], keys: tuple[str, ...], scale: float) -> list[dict]:
    """Fictitious server-side sums: the demo communes' sums by `keys`, scaled up to stand for the région
    or France (the demo files cover a few communes only)."""
    sums: dict[tuple, dict[int, list[int]]] = {}
    for row in rows:
        group = sums.setdefault(tuple(row[key] for key in keys), {})
        for year, (establishments, employees) in row["values"].items():
            if employees is not None:
                total = group.setdefault(year, [0, 0])
                total[0] += establishments
                total[1] += employees
    return [dict(zip(keys, group, strict=True), values={year: (round(e * scale), round(n * scale))
                                                        for year, (e, n) in values.items()})
            for group, values in sums.items()]


# Tension indicators (invented classes): FAP 2009 families for the 2019 layout, ROME codes for 2021.
DEMO_FAP2009 = ["B2Z40", "B0Z20", "M2Z90", "M1Z80", "E1Z42", "E0Z21", "A1Z40", "A0Z40", "S1Z40", "T4Z60"]
DEMO_ROME = {  # code: (label written for the demo, FAP 2009 family)
    "F1703": ("Maçonnerie", "B2Z40"), "F1603": ("Plomberie et chauffage", "B4Z41"),
    "F1702": ("Construction de routes", "B1Z40"), "M1805": ("Développement informatique", "M2Z90"),
    "M1810": ("Exploitation informatique", "M1Z80"), "H2102": ("Conduite de lignes alimentaires", "E1Z42"),
    "H2101": ("Découpe des viandes", "E0Z21"), "A1414": ("Maraîchage et horticulture", "A1Z40"),
    "A1101": ("Conduite d'engins agricoles", "A0Z40"), "G1602": ("Cuisine", "S1Z40"),
}
DRIVERS = ["hiring_intensity", "training_link", "labour_shortage", "job_instability", "working_conditions",
           "geographic_mismatch"]


def demo_tension_rows(seed: int = 35) -> tuple[list[dict], list[dict]]:
    rng = random.Random(seed)
    classes = lambda: {driver: rng.randint(1, 5) for driver in DRIVERS}  # noqa: E731
    by_fap = [{"fap": fap, "employment": rng.randint(2_000, 90_000), "tension": round(rng.uniform(-1, 1.5), 3),
               "tension_class": rng.randint(2, 5), **classes(), "niveau_geo": level, "reg": reg, "dep": dep}
              for level, reg, dep in (("nat", None, None), ("reg", 53, None), ("dep", None, "35"))
              for fap in DEMO_FAP2009]
    by_rome = [{"rome": rome, "bassin": bassin, "job_offers": round(rng.uniform(5, 400), 2),
                "job_seekers_abc": round(rng.uniform(5, 600), 2), "tension": rng.randint(2, 5), **classes()}
               for bassin in ("5314", "5316", "5308") for rome in DEMO_ROME]
    # The families' own classes ("fap 87" rows), drawn last so the rows above keep their values.
    families = sorted({fap[:3] for fap in DEMO_FAP2009})
    by_fap += [{"fap": family, "employment": rng.randint(5_000, 150_000), "tension": round(rng.uniform(-1, 1.5), 3),
                "tension_class": rng.randint(2, 5), **classes(), "niveau_geo": level, "niveau_fap": "fap 87",
                "reg": reg, "dep": dep}
               for level, reg, dep in (("nat", None, None), ("reg", 53, None), ("dep", None, "35"))
               for family in families]
    return by_fap, by_rome


def demo_defm_rows(seed: int = 35) -> list[dict]:
    """Invented job seekers (rounded to 5, as published), totals and a breakdown by sex, for the fourth quarters
    only, as Dares publishes them by commune (the other quarters are drawn, not written: same figures as before)."""
    rng = random.Random(seed)
    rows = []
    for commune, name, bassin, *_ in DEMO_COMMUNES:
        level = 400 * DEMO_SIZE.get(bassin, 1.0) * (4 if commune == "35238" else 1)
        for year in (2023, 2024):
            for quarter in range(1, 5):
                a = 5 * round(level * rng.uniform(0.9, 1.1) / 5)
                abc = 5 * round(a * rng.uniform(1.6, 1.9) / 5)
                for category, total in (("A", a), ("ABC", abc)):
                    women = 5 * round(total * rng.uniform(0.45, 0.55) / 5)
                    for sex, value in (("Ensemble", total), ("Femmes", women), ("Hommes", total - women)
                                       ) if quarter == 4 else ():
                        rows.append({"date": f"{year}-T{quarter}", "code_commune": commune, "libelle_commune": name,
                                     "categorie": category, "sexe": sex, "tranche_d_age": "Ensemble",
                                     "nombre_de_demandeurs_d_emploi": value})
    return rows


# Invented DPAE: hires per quarter (all activities, both contracts) per département, grand secteur
# shares, a CDI share and quarterly seasonality. Orders of magnitude only.
DEMO_DPAE_DEPARTEMENTS = [  # (code, name, région, région name, hires per quarter)
    ("22", "Côtes-d'Armor", "53", "Bretagne", 21_000), ("29", "Finistère", "53", "Bretagne", 36_000),
    ("35", "Ille-et-Vilaine", "53", "Bretagne", 60_000), ("56", "Morbihan", "53", "Bretagne", 29_000),
    ("44", "Loire-Atlantique", "52", "Pays de la Loire", 66_000),
]
DEMO_GRAND_SECTEURS = [("GS1 Industrie", 0.11), ("GS2 Construction", 0.08), ("GS3 Commerce", 0.16),
                       ("GS4 Hôtellerie-restauration", 0.17), ("GS5 Autres services marchands hors intérim", 0.30),
                       ("GS6 Intérim", 0.06), ("GS7 Services non marchands", 0.12)]
DEMO_SEASON = {1: 0.95, 2: 1.0, 3: 1.1, 4: 0.95}


def demo_dpae_departement_rows(seed: int = 35) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for code, name, region, region_name, size in DEMO_DPAE_DEPARTEMENTS:
        place = {"region": region_name, "ancienne_region": region_name, "departement": name,
                 "code_region": region, "code_ancienne_region": region, "code_departement": code}
        for year in (2023, 2024):
            for quarter in range(1, 5):
                for sector, share in DEMO_GRAND_SECTEURS:
                    for contract, part in (("cdi", 0.45), ("cdd", 0.55)):
                        sa = round(size * share * part * rng.uniform(0.92, 1.08) * (1.02 if year == 2024 else 1))
                        raw = round(sa * DEMO_SEASON[quarter] * rng.uniform(0.97, 1.03))
                        rows.append(dpae_row(year, 3 * quarter, contract, raw, sa, grand_secteur_d_activite=sector,
                                             **place))
    return rows


def demo_dpae_france_rows(seed: int = 35) -> list[dict]:
    """Jan 2022 to Nov 2024: the last quarter is incomplete on purpose (not summed). Rows shuffled, as the
    real export is unsorted."""
    rng = random.Random(seed)
    rows = []
    for year in (2022, 2023, 2024):
        for month in range(1, 13 if year < 2024 else 12):
            for contract, level in (("cdi", 420_000), ("cdd", 560_000)):
                sa = round(level * rng.uniform(0.96, 1.04))
                raw = round(sa * (0.75 if month == 8 else 1.15 if month == 9 else 1.0) * rng.uniform(0.95, 1.05))
                rows.append(dpae_row(year, month, contract, raw, sa))
    rng.shuffle(rows)
    return rows


# Demo unemployment rates (invented): the demo zones d'emploi, an overseas zone blank before 2014 as Insee's are, an
# interregional zone (région "00") and its two regional parts, the demo départements and régions.
DEMO_CHOMAGE_QUARTERS = ("2012-T1", "2025-T2")
DEMO_CHOMAGE_LEVEL = {"5315": 6.0, "5316": 7.1, "5313": 6.4, "5306": 6.9, "5314": 6.3, "5217": 6.8, "1109": 6.6,
                      "0401": 17.5, "0099": 7.4}
DEMO_CHOMAGE_PLACES = {"partie_regionale": [("5399", "Zone interrégionale démo - partie Bretagne", None, 7.0),
                                            ("5299", "Zone interrégionale démo - partie Pays de la Loire", None, 7.7)],
                       "departement": [("35", "Ille-et-Vilaine", "53", 6.1), ("29", "Finistère", "53", 6.6),
                                       ("44", "Loire-Atlantique", "52", 6.7), ("75", "Paris", "11", 6.9)],
                       "region": [("53", "Bretagne", None, 6.5), ("52", "Pays de la Loire", None, 6.6),
                                  ("11", "Île-de-France", None, 7.2)]}


def _demo_rates(rng: random.Random, level: float, quarters: list[str], since: str = "") -> dict:
    """A fictitious series around `level`: one decimal, drifting by at most 0.3 point a quarter."""
    rates, rate = {}, level + 1.5
    for quarter in quarters:
        rate = min(max(rate + rng.choice([-0.3, -0.2, -0.1, -0.1, 0.0, 0.1, 0.2]), level - 2), level + 3)
        rates[quarter] = round(rate, 1) if quarter >= since else None
    return rates


def demo_chomage_sheets(seed: int = 35) -> tuple[list[str], list[dict], dict[str, list[dict]]]:
    """(quarters, zone rows, other sheets' rows) of the demo workbook."""
    rng = random.Random(seed)
    quarters = chomage_quarters(*DEMO_CHOMAGE_QUARTERS)
    regions = {"53": "BRETAGNE", "52": "PAYS DE LA LOIRE", "11": "ILE-DE-FRANCE", "04": "LA REUNION",
               "00": "INTERRÉGIONAL "}
    names = {z: n for _, _, _, z, n, _, _ in DEMO_COMMUNES} | {"0401": "Zone d'outre-mer démo",
                                                                "0099": "Zone interrégionale démo"}
    region_of = {z: r for _, _, _, z, _, _, r in DEMO_COMMUNES} | {"0401": "04", "0099": "00"}
    zones = [{"code": code, "name": names[code], "region_code": region_of[code], "region_name": regions[region_of[code]],
              "rates": _demo_rates(rng, level, quarters, since="2014-T1" if code.startswith("0") else "")}
             for code, level in sorted(DEMO_CHOMAGE_LEVEL.items())]
    others = {level: [{"code": code, "name": name, "region_code": region, "region_name": regions.get(region),
                       "rates": _demo_rates(rng, rate, quarters)} for code, name, region, rate in places]
              for level, places in DEMO_CHOMAGE_PLACES.items()}
    return quarters, zones, others


DEMO_MARKET_QUARTERS = ["2024T1", "2024T2", "2024T3", "2024T4", "2025T1", "2025T2"]
DEMO_MARKET_YEARS = ["2023", "2024"]
DEMO_MARKET_ROME = ["F1703", "F1603", "F1702", "M1805", "M1810", "H2102", "H2101", "A1414", "A1101"]
TENSION_CODES = ["PERSPECTIVE", "INT_EMB", "MAIN_OEUVRE", "COND_TRAVAIL", "DUR_EMPL", "SPECIF_FORM_EMPL",
                 "MISMATCH_GEO", "ATTR_SALARIALE"]


def demo_market_calls(seed: int = 35) -> list[dict]:
    """Invented answers of the France Travail "Marché du travail" API for bassin 5314 and a few ROME codes of
    our sectors; one unpublished job-seeker figure (left out, as the API does) shows the "n.d." path."""
    rng = random.Random(seed)
    calls = []
    for rome in DEMO_MARKET_ROME:
        label = DEMO_ROME[rome][0]
        offers, seekers = [], []
        level = rng.uniform(20, 200)
        for quarter in DEMO_MARKET_QUARTERS:
            quarter_offers = round(level * rng.uniform(0.7, 1.3))
            offers += [(quarter, "TOFF", quarter_offers), (quarter, "PE", round(quarter_offers * rng.uniform(0.3, 0.6))),
                       (quarter, "TOFF-CUMUL12MOIS", round(quarter_offers * rng.uniform(3.5, 4.5)))]
            a = round(level * rng.uniform(0.8, 2.0))
            secret = rome == "A1101" and quarter == "2025T2"
            seekers += [(quarter, "A", None if secret else a), (quarter, "ABC", round(a * rng.uniform(1.5, 1.9)))]
        tension = [(year, code, rng.randint(1, 5)) for year in DEMO_MARKET_YEARS for code in TENSION_CODES]
        for indicator, values in (("offers", offers), ("job_seekers", seekers), ("tension", tension)):
            calls.append(france_travail.call(indicator, "5314", rome, france_travail.answer(
                indicator, "5314", rome, values, rome_label=label)))
    return calls


# ROME 4.0 items of the demo (code_ogr invented, labels written for the demo): (code, kind, label, category).
DEMO_ROME_ITEMS = [
    ("900001", "1", "Lire un plan d'exécution", "Technique"),
    ("900002", "1", "Monter un mur de parpaings", "Technique"),
    ("900003", "1", "Poser une canalisation", "Technique"),
    ("900004", "1", "Écrire un programme", "Technique expert"),
    ("900005", "1", "Contrôler la qualité d'un ouvrage", "Transverse"),
    ("900006", "2", "Travailler en équipe", "Savoir-être professionnel"),
    ("900007", "2", "Faire preuve de rigueur", "Savoir-être professionnel"),
    ("900008", "3", "Règles de sécurité sur un chantier", ""),
    ("900009", "", "Travail en extérieur", "Conditions de travail et risques professionnels"),
    ("900010", "", "Horaires décalés", "Horaires et durée du travail"),
    ("900011", "1", "Surveiller une installation informatique", "Technique"),
    ("900012", "1", "Respecter les règles d'hygiène alimentaire", "Technique"),
    ("900013", "1", "Conduire un engin agricole", "Technique"),
    ("900014", "1", "Entretenir un matériel", "Transverse"),
    ("900015", "2", "Faire preuve d'autonomie", "Savoir-être professionnel"),
    ("900016", "", "Travail en zone frigorifique", "Conditions de travail et risques professionnels"),
]
# Which demo ROME codes ask which items (coeur_metier: "Principale", "Émergente" or "").
DEMO_ROME_LINKS = {
    "F1703": [("900001", "Principale"), ("900002", "Principale"), ("900005", ""), ("900006", ""), ("900007", ""),
              ("900008", ""), ("900009", "")],
    "F1603": [("900001", "Principale"), ("900003", "Principale"), ("900005", ""), ("900006", ""), ("900008", ""),
              ("900009", "")],
    "F1702": [("900001", ""), ("900005", "Principale"), ("900006", ""), ("900009", ""), ("900010", "")],
    "M1805": [("900004", "Principale"), ("900005", "Émergente"), ("900007", ""), ("900015", ""), ("900010", "")],
    "M1810": [("900011", "Principale"), ("900004", ""), ("900007", ""), ("900015", ""), ("900010", "")],
    "H2102": [("900012", "Principale"), ("900014", "Principale"), ("900006", ""), ("900007", ""), ("900010", "")],
    "H2101": [("900012", "Principale"), ("900014", ""), ("900006", ""), ("900016", "")],
    "A1414": [("900014", "Principale"), ("900006", ""), ("900015", ""), ("900009", "")],
    "A1101": [("900013", "Principale"), ("900014", "Principale"), ("900015", ""), ("900009", "")],
    "G1602": [("900012", "Principale"), ("900006", ""), ("900010", "")],
}


def write_demo_rome_files(directory: Path, version: int = 460) -> list[Path]:
    """The ROME 4.0 files the demo needs, in the publisher's layout (rome_referential.write_rome_file), with invented labels:
    métiers, two job titles for the métiers with items, items with their kind, competences, contexts and links."""
    items = [{"code_ogr": code, "libelle": label, "code_rubrique": kind} for code, kind, label, _ in DEMO_ROME_ITEMS]
    competences = [{"code_ogr": code, "nature": "Compétence", "libelle_competence": label,
                    "cat_comp": "Savoir-faire" if kind == "1" else "Savoir-être professionnel",
                    "sous_cat_comp": category} for code, kind, label, category in DEMO_ROME_ITEMS if kind in "12" and kind]
    contexts = [{"code_ogr": code, "libelle_cont_travail": label, "libelle_type_cont_trav": category}
                for code, kind, label, category in DEMO_ROME_ITEMS if not kind]
    tables = {
        "metiers": [{"code_rome": code, "code_ogr": str(100 + n), "libelle_rome": label, "code_rome_parent": code}
                    for n, (code, (label, _)) in enumerate(DEMO_ROME.items())],
        "appellations": [{"code_ogr": f"8{n:04d}{k}", "libelle_appellation_long": f"{DEMO_ROME[code][0]} ({title})",
                          "libelle_appellation_court": f"{DEMO_ROME[code][0]} ({title})", "code_rome": code,
                          "classification": "SYNONYME", "code_rome_parent": code, "peu_usite": rare}
                         for n, code in enumerate(DEMO_ROME_LINKS)
                         for k, (title, rare) in enumerate((("ouvrier", "N"), ("apprenti", "O")))],
        "items": items,
        "competences": competences,
        "contextes": contexts,
        "liens": [{"code_rome": code, "code_ogr": item, "coeur_metier": core}
                  for code, links in DEMO_ROME_LINKS.items() for item, core in links],
    }
    return [rome_referential.write_rome_file(directory, table, rows, version=version,
                                             name=f"rome_{rome_referential.TABLES[table].file}_v{version}_demo.csv")
            for table, rows in tables.items()]
# The skills the demo offers ask, by the first letter of their ROME code (the métier's domain).
DEMO_SKILLS = {"F": ("Réaliser une maçonnerie", "Lire un plan", "Poser des canalisations", "Coffrer un ouvrage"),
               "M": ("Développer une application", "Tester un logiciel", "Administrer un serveur"),
               "H": ("Conduire une ligne de production", "Découper de la viande", "Nettoyer un poste de travail"),
               "A": ("Conduire un tracteur", "Récolter des légumes", "Entretenir des cultures"),
               "G": ("Préparer des plats", "Dresser une assiette")}
DEMO_SOFT_SKILLS = ("Travailler en équipe", "Être rigoureux", "Faire preuve d'autonomie", "Être ponctuel")


def demo_offers(seed: int = 35, count: int = 400) -> list[dict]:
    """Invented offers online on one day in the demo's communes, for the ROME codes of our sectors."""
    rng = random.Random(seed)
    communes = [row[0] for row in DEMO_COMMUNES]
    items = []
    for number in range(count):
        rome = rng.choice(sorted(DEMO_ROME))
        skills = DEMO_SKILLS[rome[0]]
        items.append(offres.offer(
            f"DEMO{number:03d}", rng.choice(communes), rome, contract=rng.choice(["CDI", "CDI", "CDD", "MIS", "SAI"]),
            beginners=rng.random() < 0.55, work_study=rng.random() < 0.1,
            licence=rng.choice([None, None, "E", "S"]), level=rng.choice(["5", "6", "6", "7"]),
            skills=rng.sample(skills, rng.randint(0, min(3, len(skills)))),
            soft_skills=rng.sample(DEMO_SOFT_SKILLS, rng.randint(0, 2)),
            created=f"2025-11-{rng.randint(10, 13):02d}T{rng.randint(8, 18):02d}:00:00.000Z",
            romeLibelle=DEMO_ROME[rome][0], appellationlibelle=DEMO_ROME[rome][0]))
    return items


def make_demo(directory: Path = paths.DEMO_DIR) -> list[dict]:
    """Write the demo files and their manifest (data/raw/demo/manifest.json)."""
    written = [(bmo, write_bmo_workbook(directory / f"bmo_{year}_demo.xlsx", year, demo_bmo_rows(year)))
               for year in DEMO_YEARS]
    written.append((bmo_bassins, write_bassins_csv(directory / "bassin_emploi_demo.csv", demo_commune_rows())))
    written.append((insee_ze, write_ze_workbook(directory / "zones_emploi_demo.xlsx", demo_commune_rows())))
    written.append((insee_epci, write_epci_workbook(directory / "intercommunalites_demo.xlsx", demo_epci_rows())))
    urssaf_rows = demo_urssaf_rows()
    written.append((urssaf, write_urssaf_csv(directory / "urssaf_commune_ape_demo.csv", urssaf_rows,
                                             DEMO_URSSAF_YEARS)))
    for keys, name, scale in ((("region_code", "ape_code"), "urssaf_region_ape_demo.csv", 3.0),
                              (("ape_code",), "urssaf_france_ape_demo.csv", 60.0)):
        written.append((urssaf, write_urssaf_csv(directory / name, demo_urssaf_aggregates(urssaf_rows, keys, scale),
                                                 DEMO_URSSAF_YEARS, keys=keys)))
    written.append((dares_defm, write_defm_csv(directory / "defm_communes_demo.csv", demo_defm_rows())))
    by_fap, by_rome = demo_tension_rows()
    written.append((dares_tensions, dares_tensions.write_2019_csv(directory / "tensions_fap_demo.csv", by_fap)))
    written.append((dares_tensions, dares_tensions.write_2021_csv(directory / "tensions_rome_bassin_demo.csv",
                                                                  by_rome)))
    written.append((rome_fap, rome_fap.write_fap225_rome_csv(directory / "fap_rome_demo.csv", [
        {"fap2009_code": fap, "rome_code": rome, "rome_label": label} for rome, (label, fap) in DEMO_ROME.items()])))
    written += [(rome_referential, file) for file in write_demo_rome_files(directory)]
    written.append((urssaf_dpae, write_dpae_departements_csv(directory / "dpae_departements_demo.csv",
                                                             demo_dpae_departement_rows())))
    written.append((urssaf_dpae, write_dpae_france_csv(directory / "dpae_france_mensuelles_demo.csv",
                                                       demo_dpae_france_rows())))
    written.append((geo_communes, write_communes_geojson(directory / "contours_communes_2018_demo.geojson",
                                                         demo_geometry_features())))
    written.append((insee_cog_mvt, write_cog_mvt_csv(directory / "v_mvt_commune_2024_demo.csv", demo_cog_events())))
    quarters, zones, others = demo_chomage_sheets()
    written.append((insee_chomage, write_chomage_workbook(directory / "chomage_zones_emploi_demo.xlsx", zones, quarters,
                                                          **others)))
    # An unchanged file keeps the date it was first written, so regenerating changes nothing needlessly.
    written_at = {e["sha256"]: e["retrieved_at"] for e in manifest.load(directory / "manifest.json")}
    written.append((france_travail, france_travail.write_snapshot(
        directory / "marche_du_travail_demo.json", demo_market_calls(), fetched_at="2025-07-15T08:00:00+00:00")))
    written.append((offres, offres.write_offers(directory / "offres_emploi_demo.json", demo_offers())))
    entries = []
    for module, file in written:
        table = module.read(file)
        entry = manifest.make_entry(SOURCES[module.NAME], file, file.name, table.period, origin=DEMO_ORIGIN, demo=True,
                                    rows=table.rows, scope=table.scope)
        entry["retrieved_at"] = written_at.get(entry["sha256"], entry["retrieved_at"])
        entries.append(entry)
    manifest.save(entries, directory / "manifest.json")
    return entries


def main(directory: Path = paths.DEMO_DIR) -> int | str:
    """`make demo`: rewrite the demo files of `directory`, the repository's data/raw/demo (written by developers
    only, committed), while holding the lock of the data folder in use (ZOOM_SECTEURS_DATA, data/ by default),
    not of `directory`: the demo files are inputs of that folder's builds and imports, which must not see them
    change half-way. A full disk or a read-only folder is said in French. Returns the exit status, or the
    message to exit with."""
    unchanged = (f"les fichiers de {paths.shown(directory)}/ sont peut-être incomplets : relancez « make demo » "
                 f"une fois le problème réglé (« git checkout -- {paths.shown(directory)} » les rétablit)")
    try:
        with leftovers.writing("demo", say=lambda message: print(message, file=sys.stderr, flush=True)):
            with errors.writing(unchanged):
                for entry in make_demo(directory):
                    print(f"{entry['path']:<28} {entry['source']:<12} {entry['period']}")
    except (Busy, errors.StorageError, errors.InputError) as error:  # InputError: a damaged manifest
        return f"ÉCHEC DES FICHIERS DE DÉMONSTRATION : {error}"
    return 0


if __name__ == "__main__":
    sys.exit(main())
