"""Publisher files whose labels are full of markup and formulas, written by the project's own writers (the demo
data set with hostile names): what a crafted or careless file could bring to every page and export."""

from pathlib import Path

from pipelines.ingest import demo
from pipelines.sources import dares_tensions, france_travail, rome_fap

IFRAME = 'Ille<iframe srcdoc="<script>parent.document.title=1337</script>"></iframe>'
LINK = '<a href="https://example.org/x">clic</a>'
BOLD = "<b>gras</b>"
IMG = "<img src=x onerror=alert(1)>"
MD_LINK = "[lien](javascript:alert(1))"
FORMULA = '=HYPERLINK("http://x")'
MATH = "$x$ et 5 $_$ \\ ^"  # mathtext would garble the first pair and refuse the second
AUTOLINK = "https://example.org/auto **étoiles** :red[rouge]"
ICON = ":material/dangerous:"  # Streamlit draws it as an icon in markdown
# A file's name is shown too (Sources page, "Origine"; its CSV): no "/" in a name, the rest is as hostile.
FILE_NAME = '=HYPERLINK("x")<img src=x onerror=alert(1)> **gras** :smile: ' + MD_LINK + ".csv"
# département, bassin, région, commune, zone d'emploi; métiers (FAP, then ROME) by code
PLACES = {"dept": IFRAME + " " + ICON, "bassin": "RENNES" + IMG, "region": "Bretagne " + MD_LINK + " " + MATH,
          "commune": "Rennes" + BOLD, "ze": "Rennes" + LINK}
METIERS = {"B1X31": LINK, "B1X34": BOLD, "B2X32": IMG, "B2X33": MD_LINK, "B2X36": FORMULA, "B6X74": MATH,
           "M2X90": AUTOLINK, "E3X20": FORMULA + " " + LINK}
ROMES = {"F1703": LINK, "F1603": FORMULA, "F1702": MATH, "M1805": IMG}
SHOWN = [IFRAME, LINK, FORMULA]  # texts the pages must show literally


def _hostile_bmo(rows: list[dict]) -> list[dict]:
    for row in rows:
        row["metier_label"] = METIERS.get(row["metier_code"], row["metier_label"])
        if row["dept_code"] == "35":
            row["dept_name"] = PLACES["dept"]
        if row["region_code"] == "53":
            row["region_name"] = PLACES["region"]
        if row["bassin_name"] == "RENNES":
            row["bassin_name"] = PLACES["bassin"]
    return rows


def _hostile_communes() -> list[dict]:
    rows = demo.demo_commune_rows()
    for row in rows:
        if row["bassin_code"] == "5314":
            row["bassin_name"] = PLACES["bassin"]
            row["ze_name"] = PLACES["ze"]
        if row["commune_code"] == "35238":
            row["commune_name"] = PLACES["commune"]
    return rows


def _as_text(workbook: Path) -> Path:
    """openpyxl writes a text starting with "=" as a formula: stored as the text a publisher's file would hold."""
    import openpyxl

    book = openpyxl.load_workbook(workbook)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    book.save(workbook)
    return workbook


def write_markup_files(folder: Path) -> list[Path]:
    """The demo data set (BMO, bassins, zones d'emploi, URSSAF, DEFM, tensions, ROME ↔ FAP, DPAE, the API's
    snapshot) with markup in its names, ready for `import`."""
    folder.mkdir(parents=True, exist_ok=True)
    communes = _hostile_communes()
    files = [_as_text(demo.write_bmo_workbook(folder / f"bmo_{year}.xlsx", year,
                                              _hostile_bmo(demo.demo_bmo_rows(year))))
             for year in demo.DEMO_YEARS]
    files.append(demo.write_bassins_csv(folder / FILE_NAME, communes))
    files.append(demo.write_ze_workbook(folder / "ze.xlsx", communes))
    files.append(demo.write_urssaf_csv(folder / "urssaf.csv", demo.demo_urssaf_rows(seed=36), demo.DEMO_URSSAF_YEARS))
    defm = demo.demo_defm_rows()
    for row in defm:
        if row["code_commune"] == "35238":
            row["libelle_commune"] = PLACES["commune"]
    files.append(demo.write_defm_csv(folder / "defm.csv", defm))
    by_fap, by_rome = demo.demo_tension_rows(seed=36)  # not the demo files (refused as such)
    files.append(dares_tensions.write_2019_csv(folder / "tensions_fap.csv", by_fap))
    files.append(dares_tensions.write_2021_csv(folder / "tensions_rome.csv", by_rome))
    files.append(rome_fap.write_fap225_rome_csv(folder / "fap_rome.csv", [
        {"fap2009_code": fap, "rome_code": rome, "rome_label": ROMES.get(rome, label)}
        for rome, (label, fap) in demo.DEMO_ROME.items()]))
    dpae = demo.demo_dpae_departement_rows()
    for row in dpae:
        if row["code_departement"] == "35":
            row["departement"] = PLACES["dept"]
    files.append(demo.write_dpae_departements_csv(folder / "dpae.csv", dpae))
    calls = demo.demo_market_calls()
    for call in calls:
        for item in (call["response"] or {}).get("listeValeursParPeriode", []):
            item["libActivite"] = ROMES.get(item["codeActivite"], item["libActivite"])
            item["libTerritoire"] = PLACES["bassin"]
    files.append(france_travail.write_snapshot(folder / "marche.json", calls, fetched_at="2025-07-15T08:00:00+00:00"))
    return files
