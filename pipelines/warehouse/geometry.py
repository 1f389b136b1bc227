"""Geometry shaping in the build: SQL functions (DuckDB Python UDFs) that the shape marts call.

geo_union(list of GeoJSON geometries) -> WKB: a commune's shape, the union of the features standing for it.
geo_dissolve(list of WKB, tolerance) -> GeoJSON text: a territory's shape, dissolved from its communes' shapes and
simplified for drawing (tolerance in degrees).
Communes tile the ground without overlapping, so their union is a coverage union (GEOS, linear in the number of
edges): about 40 times faster than a general union on 35,000 communes. A file whose polygons do overlap is
caught by the area (a coverage union's area is then not that of a true union) and dissolved the slow way.
"""

import shapely

# Coordinates of the shapes drawn: 5 decimals of a degree (about 1 m), as the publishers' simplified files.
GRID = 1e-5
# Relative difference of areas beyond which a coverage union is taken as wrong (overlapping polygons).
COVERAGE_SLACK = 1e-6


def _union(geometries) -> shapely.Geometry:
    geometries = shapely.make_valid(geometries)
    if len(geometries) == 1:
        return geometries[0]
    union = shapely.coverage_union_all(geometries)
    total = float(shapely.area(geometries).sum())
    if not union.is_valid or abs(union.area - total) > COVERAGE_SLACK * max(total, 1e-12):
        union = shapely.union_all(geometries)
    return union


def union_wkb(geometries: list[str]) -> bytes:
    """The union of GeoJSON geometries, as WKB."""
    return shapely.to_wkb(_union(shapely.from_geojson(geometries)))


def dissolve(shapes: list[bytes], tolerance: float) -> str:
    """The union of WKB shapes, simplified by `tolerance` (degrees), as GeoJSON geometry text."""
    union = _union(shapely.from_wkb(shapes))
    simplified = shapely.set_precision(shapely.simplify(union, tolerance, preserve_topology=True), GRID)
    if simplified.is_empty:  # a sliver smaller than the grid: keep it as it was rather than lose the territory
        simplified = union
    return shapely.to_geojson(simplified)


def register(con) -> None:
    """Make geo_union and geo_dissolve callable from the marts' SQL on this connection."""
    con.create_function("geo_union", union_wkb, ["VARCHAR[]"], "BLOB", side_effects=False)
    con.create_function("geo_dissolve", dissolve, ["BLOB[]", "DOUBLE"], "VARCHAR", side_effects=False)


def unregister(con) -> None:
    for name in ("geo_union", "geo_dissolve"):
        con.remove_function(name)
