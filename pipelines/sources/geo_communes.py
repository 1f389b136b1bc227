"""Commune boundaries: a GeoJSON FeatureCollection of communes (Etalab's "contours administratifs", or an ADMIN
EXPRESS derivative with properties code and nom), recognised by content.

read() returns one text row per commune: code, name, geometry (hexadecimal WKB, longitude/latitude) and geography year,
read from the file name when it holds one (the files themselves do not say it).
Notes (layouts, what was verified): docs/sources/geo_communes.md
"""

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
import shapely.geometry

from pipelines.errors import InputError
from pipelines.frformat import fmt_size
from pipelines.sources.protocol import FetchRequest, RawTable
from pipelines.sources.readers import CODE_PATTERNS, check_year

NAME = "geo_communes"
PUBLISHER = "IGN / Etalab"
TITLE = "Contours des communes (GeoJSON)"
LICENCE = "Licence Ouverte / Open Licence v2.0 (Etalab)"
URL = "https://www.data.gouv.fr/fr/datasets/contours-administratifs/"
KIND = "geojson"

# A reference geometry, not a series: no release calendar.
RELEASES = ()
RELEASE_NOTE = ("contours de référence : ils changent avec chaque millésime du Code officiel géographique, sans "
                "calendrier annoncé")
CAVEATS = ()
# Etalab's national commune contours generalised to 100 m, uncompressed GeoJSON (~80 Mo), at the address public
# code downloads them from (datagouv/api-geo's download script, its consumers): one folder per geography year. The
# year is pinned and goes into the file's name, which is where read() takes the geography year from.
FETCH_YEAR = 2023
DOWNLOAD_URL = (f"https://etalab-datasets.geo.data.gouv.fr/contours-administratifs/{FETCH_YEAR}/geojson/"
                "communes-100m.geojson")
FETCH_NATIONAL = True
FIELDS = ["commune_code", "commune_name", "geometry_wkb", "geography_year"]  # geometry: WKB, hexadecimal
UNKNOWN_YEAR = "inconnue"  # the period of a file whose name holds no year
# The largest file read: json holds the whole document in memory (about ten times its size). Etalab's most
# detailed national file (5 m) is ~500 Mo uncompressed; its 100 m version, plenty for a map, ~30 Mo.
MAX_BYTES = 300_000_000
HEAD = 1 << 16  # bytes read to recognise a file
FEATURE_COLLECTION = re.compile(rb'"type"\s*:\s*"FeatureCollection"')
# A feature's properties holding a commune code: {"code": "35238", ...} (the first feature, within HEAD).
COMMUNE_PROPERTY = re.compile(rb'"properties"\s*:\s*\{[^{}]*"code"\s*:\s*"(?:[0-9]{5}|2[AB][0-9]{3})"')
ANY_CODE_PROPERTY = re.compile(rb'"properties"\s*:\s*\{[^{}]*"code"\s*:\s*"[^"]*"')
YEAR_IN_NAME = re.compile(r"(?<![0-9])(19[5-9][0-9]|20[0-9]{2})(?![0-9])")
POLYGONS = {"Polygon", "MultiPolygon"}


def fetch_requests(departements: list[str]) -> list[FetchRequest]:
    return [FetchRequest(DOWNLOAD_URL, {}, f"communes-100m-{FETCH_YEAR}.geojson", "json", max_bytes=MAX_BYTES)]


def _head(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(HEAD).lstrip(b"\xef\xbb\xbf \t\r\n")


def recognise(path: Path) -> bool:
    head = _head(path)
    return head.startswith(b"{") and bool(FEATURE_COLLECTION.search(head)) and bool(COMMUNE_PROPERTY.search(head))


def near_miss(path: Path) -> str | None:
    """GeoJSON of other territories (a département, régions): said as such rather than "format non reconnu"."""
    head = _head(path)
    if head.startswith(b"{") and b'"type"' in head and ANY_CODE_PROPERTY.search(head):
        return ("contours GeoJSON d'autres territoires que des communes (départements, régions…) : seuls les "
                "contours de communes sont lus (les autres niveaux en sont dissous)")
    return None


def scope_of(codes) -> str:
    """The départements a file covers, comma-separated: files of one year and scope replace each other."""
    return ",".join(sorted({code[:3] if code.startswith("97") else code[:2] for code in codes}))


def replaces(new_scope: str, old_scope: str) -> bool:
    """A file covering every département of an older one (of the same year) replaces it."""
    return set(old_scope.split(",")) <= set(new_scope.split(","))


def _load(path: Path) -> dict:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(path, f"fichier de {fmt_size(size)}, au plus {fmt_size(MAX_BYTES)} : importez une version "
                               "simplifiée (Etalab : communes-100m.geojson)")
    try:
        return json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise InputError(path, f"GeoJSON illisible : pas du texte UTF-8 (octet {error.start})") from None
    except json.JSONDecodeError as error:
        raise InputError(path, f"GeoJSON illisible : JSON invalide ou tronqué ligne {error.lineno}, colonne "
                               f"{error.colno}") from None
    except RecursionError:
        raise InputError(path, "GeoJSON illisible : imbrication trop profonde") from None


def _coordinates_problem(geometry: dict) -> str | None:
    """Why a Polygon or MultiPolygon's coordinates are no longitude/latitude rings, or None. Each ring is checked
    as one numpy array (a national file holds millions of points)."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    if not isinstance(polygons, list) or not polygons:
        return "coordonnées absentes"
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return "polygone sans anneau"
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                return "anneau de moins de 4 points"
            try:
                points = np.asarray(ring)
            except ValueError:  # points of different lengths
                return "point qui n'est pas une paire de nombres"
            if points.ndim != 2 or points.shape[1] < 2 or points.dtype.kind not in "fi":
                return "point qui n'est pas une paire de nombres"
            lon, lat = points[:, 0].astype(float), points[:, 1].astype(float)
            if not (np.isfinite(lon).all() and np.isfinite(lat).all()):
                return "point qui n'est pas une paire de nombres"
            outside = (np.abs(lon) > 180) | (np.abs(lat) > 90)
            if outside.any():
                first = int(outside.argmax())
                return (f"point ({lon[first]:g}, {lat[first]:g}) hors des longitudes et latitudes : coordonnées "
                        "projetées (Lambert 93 ?) ; attendu WGS84 (EPSG:4326)")
    return None


def read(path: Path) -> RawTable:
    document = _load(path)
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list) or document.get("type") != "FeatureCollection":
        raise InputError(path, "GeoJSON attendu : un objet FeatureCollection avec une liste « features »")
    pattern = CODE_PATTERNS["commune_code"][0]
    rows, seen = [], {}
    for number, feature in enumerate(features, start=1):
        where = f"entité n° {number}"
        properties = feature.get("properties") if isinstance(feature, dict) else None
        code = properties.get("code") if isinstance(properties, dict) else None
        if not isinstance(code, str) or not re.fullmatch(pattern, code):
            raise InputError(path, f"{where} : code commune absent ou invalide « {str(code)[:20]} »")
        geometry = feature.get("geometry")
        if not isinstance(geometry, dict) or geometry.get("type") not in POLYGONS:
            kind = geometry.get("type") if isinstance(geometry, dict) else geometry
            raise InputError(path, f"{where} (commune {code}) : géométrie {str(kind)[:20]}, attendu Polygon ou "
                                   "MultiPolygon")
        if problem := _coordinates_problem(geometry):
            raise InputError(path, f"{where} (commune {code}) : {problem}")
        shape = shapely.to_wkb(shapely.geometry.shape(geometry), hex=True)
        if code in seen:
            if seen[code] != shape:
                raise InputError(path, f"{where} : commune {code} présente deux fois avec des contours différents")
            continue
        seen[code] = shape
        name = properties.get("nom")
        rows.append([code, name if isinstance(name, str) else None, shape])
    if not rows:
        raise InputError(path, "aucune commune dans le GeoJSON")
    year = YEAR_IN_NAME.search(path.name)
    if year:
        check_year(path, int(year.group(1)), "nom du fichier")
    period = year.group(1) if year else UNKNOWN_YEAR
    # Stored as WKB: the build reads it without parsing GeoJSON again.
    frame = pd.DataFrame(rows, columns=FIELDS[:3], dtype="string")
    frame["geography_year"] = pd.Series([year.group(1) if year else None] * len(frame), dtype="string")
    return RawTable(frame=frame, period=period, scope=scope_of(frame["commune_code"]))
