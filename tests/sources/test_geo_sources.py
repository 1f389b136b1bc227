"""The commune geometry (GeoJSON) and COG history (v_mvt_commune) readers, on files written in their layouts."""

import json

import pytest
import shapely

from pipelines.errors import InputError
from pipelines.ingest import importer
from pipelines.sources import geo_communes, insee_cog_mvt
from tests.geo_files import CORNERS, world_changes, world_geometry


@pytest.mark.parametrize("layout", ["ign", "etalab"])
def test_both_geojson_layouts_are_recognised_and_read(tmp_path, layout):
    path = world_geometry(tmp_path, layout=layout)
    assert importer.recognise(path).name == "geo_communes"
    table = geo_communes.read(path)
    frame = table.frame
    assert (table.period, table.scope, len(frame)) == ("2016", "29,35", len(CORNERS))
    rennes = frame.set_index("commune_code").loc["35238"]
    assert rennes["commune_name"] == "Rennes" and rennes["geography_year"] == "2016"
    assert shapely.from_wkb(rennes["geometry_wkb"]).equals(shapely.box(-1.7, 48.1, -1.6, 48.2))


def test_a_name_without_year_gives_an_unknown_geography_year(tmp_path):
    table = geo_communes.read(world_geometry(tmp_path, name="communes-35-ille-et-vilaine.geojson"))
    assert table.period == "inconnue" and table.frame["geography_year"].isna().all()


def test_a_file_covering_more_departements_replaces_an_older_one_of_the_same_year():
    assert geo_communes.replaces("29,35,56", "35") and not geo_communes.replaces("35", "29,35")


def test_a_departement_geojson_is_named_not_read(tmp_path):
    path = tmp_path / "departement-35.geojson"
    path.write_text(json.dumps({"type": "Feature", "properties": {"code": "35", "nom": "Ille-et-Vilaine"},
                                "geometry": {"type": "Polygon", "coordinates": []}}), encoding="utf-8")
    with pytest.raises(InputError, match="d'autres territoires que des communes"):
        importer.recognise(path)


def _collection(tmp_path, geometry, code="35238"):
    path = tmp_path / "communes.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": code, "nom": "X"}, "geometry": geometry}]}), encoding="utf-8")
    return path


@pytest.mark.parametrize("geometry, message", [
    ({"type": "Point", "coordinates": [-1.7, 48.1]}, "géométrie Point, attendu Polygon ou MultiPolygon"),
    ({"type": "Polygon", "coordinates": [[[350000, 6780000], [351000, 6780000], [351000, 6781000],
                                          [350000, 6780000]]]}, "Lambert 93"),
    ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]}, "anneau de moins de 4 points"),
    ({"type": "Polygon", "coordinates": [[[0, 0], ["1", 0], [1, 1], [0, 0]]]}, "pas une paire de nombres"),
])
def test_unusable_geometries_are_refused_with_their_commune(tmp_path, geometry, message):
    with pytest.raises(InputError, match=message) as refused:
        geo_communes.read(_collection(tmp_path, geometry))
    assert "commune 35238" in str(refused.value)


def test_a_malformed_commune_code_is_refused(tmp_path):
    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}
    with pytest.raises(InputError, match="entité n° 1 : code commune absent ou invalide « 3523 8 »"):
        geo_communes.read(_collection(tmp_path, square, code="3523 8"))


def test_cog_changes_are_recognised_and_read(tmp_path):
    path = world_changes(tmp_path)
    assert importer.recognise(path).name == "insee_cog_mvt"
    table = insee_cog_mvt.read(path)
    assert table.period == "2019" and len(table.frame) == 5
    first = table.frame.iloc[0]
    assert (first["mod"], first["effective_date"], first["type_before"], first["code_before"], first["type_after"],
            first["code_after"]) == ("32", "2017-01-01", "COM", "35997", "COM", "35998")


@pytest.mark.parametrize("column, value, message", [
    (1, "01/01/2019", "date d'effet \\(AAAA-MM-JJ\\) invalide « 01/01/2019 » \\(ligne 2\\)"),
    (2, "XYZ", "type de commune .* invalide « XYZ » \\(ligne 2\\)"),
    (9, "35A38", "code commune invalide « 35A38 » \\(ligne 2\\)"),
])
def test_malformed_cog_lines_are_refused_with_their_line(tmp_path, column, value, message):
    path = world_changes(tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[column] = value
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=message):
        insee_cog_mvt.read(path)
