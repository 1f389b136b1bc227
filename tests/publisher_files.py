"""The national publisher files `fetch` downloads (BMO, zones d'emploi, unemployment rates, tensions, ROME ↔ FAP),
written by our own writers with invented values, and served from the local fault server in place of the publishers."""

import zipfile
from dataclasses import dataclass
from pathlib import Path

from pipelines.ingest.demo import (
    DEMO_ROME,
    demo_chomage_sheets,
    demo_tension_rows,
    save_workbook,
    square,
    write_bmo_workbook,
    write_chomage_workbook,
    write_communes_geojson,
    write_epci_workbook,
    write_ze_workbook,
)
from pipelines.sources import bmo, dares_tensions, geo_communes, insee_chomage, insee_ze, rome_fap
from tests.conftest import WORLD_2025, WORLD_COMMUNES
from tests.fault_server import FaultServer, Reply


@dataclass
class Published:
    source: str
    label: str  # the line of the fetch summary: "dares_tensions · 2019 FAP"
    path: str  # where the fault server serves it
    body: bytes
    rows: int
    period: str


def ze_zip(folder: Path, member: str = "ZE2020_au_01-01-2026.xlsx", geography_year: int = 2026) -> Path:
    """A zip holding the zones d'emploi workbook, as Insee ships it."""
    workbook = write_ze_workbook(folder / "ze-workbook.xlsx", WORLD_COMMUNES, geography_year=geography_year)
    archive = folder / "ZE2020_au_01-01-2026.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as handle:
        handle.write(workbook, member)
    return archive


# The small world's communes in invented EPCI (fictitious codes and names); Quimperlé is outside any EPCI, as
# Insee writes it (ZZZZZZZZZ).
EPCI_OF = {"35238": ("200000001", "Intercommunalité fictive A"), "35051": ("200000001", "Intercommunalité fictive A"),
           "35236": ("200000002", "Intercommunalité fictive B"), "29233": ("ZZZZZZZZZ", "Sans objet")}
WORLD_EPCI = [{key: c[key] for key in ("commune_code", "commune_name", "dept_code", "region_code")}
              | dict(zip(("epci_code", "epci_name"), EPCI_OF[c["commune_code"]], strict=True)) for c in WORLD_COMMUNES]


def epci_workbook(folder: Path, rows: list[dict] = WORLD_EPCI, geography_year: int = 2023) -> Path:
    """Insee's "Intercommunalité - Métropole au 01-01-YYYY" workbook of the small world."""
    return write_epci_workbook(folder / f"Intercommunalite_Metropole_au_01-01-{geography_year}.xlsx", rows,
                               geography_year=geography_year)


def appartenance_workbook(folder: Path, rows: list[dict] = WORLD_EPCI, geography_year: int = 2023) -> Path:
    """Insee's "table d'appartenance géographique des communes": sheet COM (one row per commune, its EPCI among
    other zonings) and Zones_supra_communales (NIVGEO, CODGEO, LIBGEO, NB_COM: a code unique within its level),
    4 title rows, French labels on row 5, codes on row 6."""
    from openpyxl import Workbook

    titles = [["Table d'appartenance géographique des communes"], ["France - Communes"],
              [f"Mise en ligne le 10/04/{geography_year}       Géographie au 01/01/{geography_year}"],
              ["@Insee       Source(s) : Insee, Code officiel géographique"]]
    workbook = Workbook()
    communes = workbook.active
    communes.title = "COM"
    codes = ["CODGEO", "LIBGEO", "DEP", "CTCD", "REG", "EPCI", "EPT", "ARR", "CANOV", "ZE2020", "UU2020",
             "AAV2020", "BV2022"]
    for title in titles:
        communes.append(title)
    communes.append(["Code géographique", "Libellé géographique", "Département", "Collectivité", "Région",
                     "EPCI - Métropole", "Établissement public territorial", "Arrondissement", "Canton ville",
                     "Zone d'emploi 2020", "Unité urbaine 2020", "Aire d'attraction des villes 2020",
                     "Bassin de vie 2022"])
    communes.append(codes)
    for r in rows:
        communes.append([r["commune_code"], r["commune_name"], r["dept_code"], r["dept_code"] + "D", r["region_code"],
                         r["epci_code"], "ZZZZZZZZZ", r["dept_code"] + "1", r["dept_code"] + "01", "0001", "00000",
                         "000", "00000"])
    zones = workbook.create_sheet("Zones_supra_communales")
    for title in titles:
        zones.append(title)
    zones.append(["Niveau géographique", "Code géographique", "Libellé géographique", "Nombre de communes"])
    zones.append(["NIVGEO", "CODGEO", "LIBGEO", "NB_COM"])
    epci = {r["epci_code"]: r["epci_name"] for r in rows}
    # A département coded like an EPCI would be, to show that codes are read within their NIVGEO only.
    zones.append(["DEP", next(iter(epci)), "Département homonyme", 1])
    for code, name in sorted(epci.items()):
        zones.append(["EPCI", code, name, sum(r["epci_code"] == code for r in rows)])
    return save_workbook(workbook, folder / f"table-appartenance-geo-communes-{geography_year % 100}.xlsx")


def write_published(folder: Path) -> dict[str, Published]:
    """One file per URL, by summary label."""
    folder.mkdir(parents=True, exist_ok=True)
    by_fap, by_rome = demo_tension_rows()
    quarters, zones, _ = demo_chomage_sheets()
    files = [
        Published("bmo", "bmo", "/bmo/Base_open_data_BMO_2025.xlsx",
                  write_bmo_workbook(folder / "bmo.xlsx", 2025, WORLD_2025).read_bytes(), len(WORLD_2025), "2025"),
        Published("insee_ze", "insee_ze", "/insee/ZE2020_au_01-01-2026.zip", ze_zip(folder).read_bytes(),
                  len(WORLD_COMMUNES), "2026"),
        Published("dares_tensions", "dares_tensions · 2019 FAP", "/dares/tensions.csv",
                  dares_tensions.write_2019_csv(folder / "t2019.csv", by_fap).read_bytes(),
                  dares_tensions.read(folder / "t2019.csv").rows, "2019"),
        Published("dares_tensions", "dares_tensions · 2021 ROME × bassin", "/ft/cities-tension-utf8.csv",
                  dares_tensions.write_2021_csv(folder / "t2021.csv", by_rome).read_bytes(),
                  dares_tensions.read(folder / "t2021.csv").rows, "2021"),
        Published("rome_fap", "rome_fap", "/dares/fap225_rome.csv", rome_fap.write_fap225_rome_csv(
            folder / "fap.csv", [{"fap2009_code": fap, "rome_code": rome, "rome_label": label}
                                 for rome, (label, fap) in DEMO_ROME.items()]).read_bytes(), len(DEMO_ROME), "rome-v3"),
        # Etalab's contours: one invented square per commune of the world, side by side.
        Published("geo_communes", "geo_communes", "/etalab/communes-100m.geojson", write_communes_geojson(
            folder / "communes-100m.geojson",
            [{"commune_code": commune["commune_code"], "commune_name": commune["commune_name"],
              "polygons": [square(-1.7 + 0.1 * index, 48.1, 0.1)]} for index, commune in enumerate(WORLD_COMMUNES)],
            layout="etalab").read_bytes(), len(WORLD_COMMUNES), str(geo_communes.FETCH_YEAR)),
        Published("insee_chomage", "insee_chomage", "/insee/chomage-zone-t1-2003-t2-2025.xlsx",
                  write_chomage_workbook(folder / "chomage.xlsx", zones, quarters).read_bytes(), len(zones),
                  f"{quarters[0]}/{quarters[-1]}"),
    ]
    return {file.label: file for file in files}


def point_sources_at(server: FaultServer, monkeypatch, published: dict[str, Published]) -> None:
    """The sources' download URL constants, pointed at the fault server."""
    monkeypatch.setattr(bmo, "DOWNLOAD_URLS", {int(published["bmo"].period): server.url(published["bmo"].path)})
    monkeypatch.setattr(insee_ze, "DOWNLOAD_URL", server.url(published["insee_ze"].path))
    monkeypatch.setattr(rome_fap, "DOWNLOAD_URL", server.url(published["rome_fap"].path))
    monkeypatch.setattr(geo_communes, "DOWNLOAD_URL", server.url(published["geo_communes"].path))
    monkeypatch.setattr(insee_chomage, "DOWNLOAD_URL", server.url(published["insee_chomage"].path))
    monkeypatch.setattr(dares_tensions, "DOWNLOAD_URLS", {
        part: server.url(published[f"dares_tensions · {part}"].path) for part in dares_tensions.DOWNLOAD_URLS})


def plan_all(server: FaultServer, published: dict[str, Published], etag: str | None = None) -> None:
    for file in published.values():
        server.plan(file.path, Reply(200, file.body, {"ETag": etag} if etag else {}))
