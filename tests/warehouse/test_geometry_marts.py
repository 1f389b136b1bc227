"""Geometry in the build: commune shapes mapped through merges, dissolved into every level, read as GeoJSON."""

import pytest
import shapely

from pipelines import paths
from pipelines.__main__ import main
from pipelines.ingest import importer
from pipelines.read.geometry import shapes
from pipelines.warehouse import build, geometry
from tests.conftest import marts, write_world
from tests.geo_files import SIDE, world_changes, world_geometry

SQUARE = SIDE * SIDE  # the area of one commune of the geometry, in square degrees


def _build(folder, *files):
    for file in [*write_world(folder, years=(2024,)), *files]:
        importer.import_file(file)
    build.build(say=lambda m: None)
    return marts(paths.MARTS_DB)


@pytest.fixture
def with_merges(no_demo, tmp_path):
    con = _build(tmp_path / "dl", world_geometry(tmp_path), world_changes(tmp_path))
    yield con
    con.close()


def test_merged_communes_are_mapped_to_their_commune_nouvelle(with_merges):
    assert with_merges.execute("""select geometry_code, commune_code, mapping, merged_on::varchar
        from bridge_geometry_commune order by 1""").fetchall() == [
        ("29233", "29233", "identique", None),
        ("35051", "35051", "identique", None),  # its 1990 restoration of 35994 is no merge
        ("35236", "35236", "identique", None),
        ("35238", "35238", "identique", None),
        ("35995", "35995", "sans correspondance", None),
        ("35997", "35238", "fusion", "2019-01-01"),  # 35997 -> 35998 (2017) -> 35238 (2019)
        ("35998", "35238", "fusion", "2019-01-01"),
    ]


def test_a_dissolved_territory_has_the_area_of_its_communes(with_merges):
    rows = dict(((kind, code), (shapely.from_geojson(text), with_shape, count)) for kind, code, text, with_shape, count
                in with_merges.execute("""select territory_type, territory_code, geometry, communes_with_shape,
                    commune_count from dim_territory_shape""").fetchall())
    rennes, with_shape, count = rows[("commune", "35238")]
    assert rennes.area == pytest.approx(3 * SQUARE) and rennes.geom_type == "Polygon"  # with 35998 and 35997
    bassin, with_shape, count = rows[("bassin_bmo", "5314")]  # Rennes and Cesson-Sévigné (tests.conftest)
    assert bassin.area == pytest.approx(4 * SQUARE) and bassin.geom_type == "Polygon" and (with_shape, count) == (2, 2)
    assert bassin.area == pytest.approx(sum(rows[("commune", code)][0].area for code in ("35238", "35051")))
    region, _, _ = rows[("region", "53")]  # the four communes of the world's zonings, three apart
    assert region.area == pytest.approx(6 * SQUARE) and region.geom_type == "MultiPolygon"
    assert ("region", "FR") not in rows and not any(kind == "france" for kind, _ in rows)


def test_shapes_are_read_as_a_feature_collection_with_what_the_map_says(with_merges):
    bassins = shapes(with_merges, "bassin_bmo")
    assert sorted(bassins.codes) == ["5313", "5314", "5319"]
    assert [feature["id"] for feature in bassins.geojson["features"]] == ["5313", "5314", "5319"]
    assert bassins.geojson["features"][1]["geometry"]["type"] == "Polygon"
    # bassin 2201 of the BMO file has no commune in the lexicon, so no shape
    assert (bassins.is_demo, bassins.geography_year, bassins.partial) == (False, 2016, {})
    assert bassins.without_shape == ["2201"]
    assert (bassins.merged_communes, bassins.unmatched_communes) == (2, 1)
    some = shapes(with_merges, "commune", codes=["35238", "44109"])
    assert some.codes == {"35238"} and some.without_shape == ["44109"]
    assert shapes(with_merges, "france").without_shape == ["FR"]


def test_without_the_cog_history_merged_communes_are_counted_not_dropped(no_demo, tmp_path):
    con = _build(tmp_path / "dl", world_geometry(tmp_path))
    try:
        unmatched = con.execute("""select geometry_code from bridge_geometry_commune
            where mapping = 'sans correspondance' and commune_code = geometry_code order by 1""").fetchall()
        read = shapes(con, "commune")
    finally:
        con.close()
    assert unmatched == [("35995",), ("35997",), ("35998",)]
    assert (read.merged_communes, read.unmatched_communes) == (0, 3)
    assert {"35997", "35998"} <= read.codes  # still drawn, under their own code


def test_a_territory_with_communes_without_shape_is_partial(no_demo, tmp_path):
    con = _build(tmp_path / "dl", world_geometry(tmp_path, codes=("35238", "35236", "29233")))
    try:
        read = shapes(con, "bassin_bmo")
    finally:
        con.close()
    assert read.partial == {"5314": 1}  # Cesson-Sévigné has no shape


def test_demo_shapes_say_they_are_fictitious(demo_marts):
    con = marts(demo_marts)
    try:
        read = shapes(con, "epci", codes=["243500139"])
    finally:
        con.close()
    assert read.is_demo and read.codes == {"243500139"} and read.merged_communes == 1


def test_overlapping_polygons_are_dissolved_by_a_true_union():
    """A coverage union assumes tiles that do not overlap; overlapping ones fall back to the general union."""
    overlapping = [shapely.to_wkb(shapely.box(0, 0, 2, 1)), shapely.to_wkb(shapely.box(1, 0, 3, 1))]
    union = shapely.from_wkb(geometry.union_wkb(overlapping))
    assert union.area == pytest.approx(3.0)


def test_build_says_the_unmatched_geometry_communes(no_demo, tmp_path, capsys):
    for file in [*write_world(tmp_path / "dl", years=(2024,)), world_geometry(tmp_path)]:
        importer.import_file(file)
    assert main(["build"]) == 0
    captured = capsys.readouterr()
    said = captured.out + captured.err  # build's progress goes to stderr
    assert "Contours : 3 communes du fichier de contours hors des zonages chargés et sans fusion connue" in said
    assert ": 35995, 35997, 35998\n" in said


def test_arrondissements_of_a_zoning_are_drawn_as_their_commune(no_demo, tmp_path):
    """The BMO lexicon lists Paris (75056) and its arrondissements (75101…): with a geometry of communes, the
    bassin is drawn whole, not "in part"."""
    from pipelines.ingest.demo import square, write_bassins_csv, write_communes_geojson

    rows = [{"commune_code": code, "commune_name": "Paris", "bassin_code": "1107", "bassin_name": "T1 PARIS",
             "dept_code": "75", "region_code": "11"} for code in ("75056", "75101", "75102")]
    importer.import_file(write_bassins_csv(tmp_path / "bassin_emploi.csv", rows))
    importer.import_file(write_communes_geojson(tmp_path / "communes-2024.geojson", [
        {"commune_code": "75056", "commune_name": "Paris", "polygons": [square(2.2, 48.8, 0.1)]}]))
    build.build(say=lambda m: None)
    con = marts(paths.MARTS_DB)
    try:
        read = shapes(con, "bassin_bmo")
        counts = con.execute("select communes_with_shape, commune_count from dim_territory_shape "
                             "where territory_type = 'bassin_bmo'").fetchall()
    finally:
        con.close()
    assert read.codes == {"1107"} and read.partial == {} and counts == [(1, 1)]
