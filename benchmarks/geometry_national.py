"""Build time of the shape marts at the national scale, on fictitious data: 35,000 communes (Voronoi cells of
random points over a 13° × 9° box, ~120 points each like a simplified commune file) in 100 départements, 13
régions, ~400 bassins, ~290 zones d'emploi and ~1,200 EPCI (groups of neighbouring cells).

Imports the same zonings into two data folders, one with the geometry file, and prints the import time and the
full build time of each (every mart computed, from the parses the import cached): the differences are the cost
of the geometry. Nothing is asserted.
    .venv/bin/python benchmarks/geometry_national.py
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from pipelines.ingest.demo import (  # noqa: E402
    write_bassins_csv,
    write_communes_geojson,
    write_epci_workbook,
    write_ze_workbook,
)

COMMUNES = 35_000
BOX = (-5.0, 42.0, 8.0, 51.0)


def _grid(centres: np.ndarray, side: int) -> np.ndarray:
    """Group of each centre on a side × side grid of the box: neighbouring communes share a group."""
    x = np.minimum((centres[:, 0] - BOX[0]) / (BOX[2] - BOX[0]) * side, side - 1).astype(int)
    y = np.minimum((centres[:, 1] - BOX[1]) / (BOX[3] - BOX[1]) * side, side - 1).astype(int)
    return x * side + y


def write_files(folder: Path) -> tuple[list[Path], Path]:
    rng = np.random.default_rng(35)
    points = shapely.multipoints(np.c_[rng.uniform(BOX[0], BOX[2], COMMUNES), rng.uniform(BOX[1], BOX[3], COMMUNES)])
    box = shapely.box(*BOX)
    cells = shapely.intersection(shapely.get_parts(shapely.voronoi_polygons(points, extend_to=box)), box)
    cells = shapely.set_precision(shapely.segmentize(cells, 0.002), 1e-5)
    centres = shapely.get_coordinates(shapely.centroid(cells))
    departements, regions = _grid(centres, 10), _grid(centres, 4)
    bassins, zones, epcis = _grid(centres, 20), _grid(centres, 17), _grid(centres, 35)
    rows, features, numbers = [], [], {}
    for i, cell in enumerate(cells):
        dept = f"{departements[i] % 95 + 1:02d}"  # 95 départements: 01 to 95
        numbers[dept] = numbers.get(dept, 0) + 1
        code = f"{dept}{numbers[dept]:03d}"
        rows.append({"commune_code": code, "commune_name": f"Commune {code}", "bassin_code": f"{1000 + bassins[i]}",
                     "bassin_name": f"BASSIN {bassins[i]}", "ze_code": f"{2000 + zones[i]}",
                     "ze_name": f"Zone {zones[i]}", "epci_code": f"{200000000 + epcis[i]}",
                     "epci_name": f"EPCI {epcis[i]}", "dept_code": dept, "region_code": f"{10 + regions[i]}"})
        features.append({"commune_code": code, "commune_name": f"Commune {code}",
                         "polygons": [shapely.geometry.mapping(cell)["coordinates"]]})
    zonings = [write_bassins_csv(folder / "bassin_emploi.csv", rows), write_ze_workbook(folder / "ze.xlsx", rows),
               write_epci_workbook(folder / "Intercommunalite_Metropole_au_01-01-2024.xlsx", rows, 2024)]
    return zonings, write_communes_geojson(folder / "communes-2024-national.geojson", features)


def _run(data: Path, *arguments: str) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pipelines", *arguments], cwd=ROOT, stdout=subprocess.PIPE,
                   env={**os.environ, "ZOOM_SECTEURS_DATA": str(data)}, text=True)
    if done.returncode:
        sys.exit(done.stdout)
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        started = time.perf_counter()
        zonings, geometry = write_files(folder / "files")
        print(f"fichiers fictifs écrits en {time.perf_counter() - started:.1f} s "
              f"(GeoJSON : {geometry.stat().st_size / 1e6:.0f} Mo)")
        for name, files in (("sans contours", zonings), ("avec contours", [*zonings, geometry])):
            data = folder / name.replace(" ", "-")
            imported = _run(data, "import", *map(str, files))
            for database in (data / "marts").glob("*.duckdb"):  # every mart computed again; the parses kept
                database.unlink()
            print(f"{name} : import {imported:.1f} s (lecture des fichiers et construction d'essai), "
                  f"build {_run(data, 'build'):.1f} s")


if __name__ == "__main__":
    main()
