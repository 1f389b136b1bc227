"""Commune geometry and COG history of the small world (tests.conftest.WORLD_COMMUNES), in the publishers' formats,
with invented shapes: squares of 0.1 degree, so that every area is known by hand (0.01 square degree each).

Geometry of 2016: Rennes 35238 and Cesson-Sévigné 35051 side by side, with two invented communes below them:
35998 (merged into Rennes on 2019-01-01) and 35997 (merged into 35998 on 2017-01-01: two steps to Rennes), and
35995 (no event: neither known nor merged); Redon 35236 and Quimperlé 29233 apart.
"""

from pathlib import Path

from pipelines.ingest.demo import square, write_cog_mvt_csv, write_communes_geojson

SIDE = 0.1
CORNERS = {"35238": (-1.7, 48.1), "35051": (-1.6, 48.1), "35998": (-1.7, 48.0), "35997": (-1.6, 48.0),
           "35995": (-1.5, 48.0), "35236": (-2.1, 47.6), "29233": (-3.6, 47.8)}
NAMES = {"35238": "Rennes", "35051": "Cesson-Sévigné", "35998": "Ancienne commune A", "35997": "Ancienne commune B",
         "35995": "Commune inconnue", "35236": "Redon", "29233": "Quimperlé"}
EVENTS = [
    ("32", "2017-01-01", "COM", "35997", "Ancienne commune B", "COM", "35998", "Ancienne commune A"),
    ("32", "2017-01-01", "COM", "35997", "Ancienne commune B", "COMD", "35997", "Ancienne commune B"),
    ("32", "2019-01-01", "COM", "35998", "Ancienne commune A", "COM", "35238", "Rennes"),
    ("32", "2019-01-01", "COM", "35998", "Ancienne commune A", "COMD", "35998", "Ancienne commune A"),
    # A restored commune (21) out of Cesson-Sévigné long before: no successor of Cesson-Sévigné.
    ("21", "1990-01-01", "COM", "35051", "Cesson-Sévigné", "COM", "35994", "Commune rétablie"),
]


def features(codes=tuple(CORNERS)) -> list[dict]:
    return [{"commune_code": code, "commune_name": NAMES[code], "polygons": [square(*CORNERS[code], SIDE)]}
            for code in codes]


def world_geometry(folder: Path, name: str = "communes-2016.geojson", layout: str = "ign",
                   codes=tuple(CORNERS)) -> Path:
    return write_communes_geojson(folder / name, features(codes), layout=layout)


def world_changes(folder: Path, name: str = "v_mvt_commune_2024.csv") -> Path:
    return write_cog_mvt_csv(folder / name, EVENTS)
