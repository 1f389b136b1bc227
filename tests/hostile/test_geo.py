"""Damaged or hostile geometry files refused in French with the file and the problem; the map drawn offline."""

import json

import pandas as pd
import pytest

from pipelines.__main__ import main
from pipelines.errors import InputError
from pipelines.ingest import importer
from pipelines.read.geometry import Shapes
from pipelines.report.maps import PLOTLY_CONFIG, choropleth
from pipelines.sources import geo_communes
from tests.geo_files import world_geometry

VALID_HEAD = '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"35238","nom":"R"},'


@pytest.mark.parametrize("content, message", [
    (VALID_HEAD + '"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0]', "JSON invalide ou tronqué ligne 1"),
    (VALID_HEAD + '"geometry":{"type":"Polygon","coordinates":[[[0,0],[NaN,0],[1,1],[0,0]]]}}]}',
     "pas une paire de nombres"),
    (VALID_HEAD + '"geometry":' + "[" * 100_000 + "]" * 100_000 + "}]}", "imbrication trop profonde"),
    ('{"type":"FeatureCollection","features":[],"x":{"properties":{"code":"35238"}}}', "aucune commune"),
    ('{"type":"FeatureCollection","features":null,"properties":{"code":"35238"}}', "FeatureCollection avec une liste"),
])
def test_damaged_geojson_is_refused_in_french(tmp_path, content, message):
    path = tmp_path / "communes.geojson"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message) as refused:
        geo_communes.read(path)
    assert str(path) in str(refused.value)


def test_a_geojson_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "communes.geojson"
    path.write_bytes((VALID_HEAD + '"geometry":null,"x":"é"}]}').encode("latin-1"))
    with pytest.raises(InputError, match="pas du texte UTF-8"):
        geo_communes.read(path)


def test_a_file_beyond_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = world_geometry(tmp_path)
    monkeypatch.setattr(geo_communes, "MAX_BYTES", 100)
    with pytest.raises(InputError, match="communes-100m.geojson"):
        geo_communes.read(path)


def test_a_refused_geojson_is_said_by_the_import_command_without_traceback(no_demo, tmp_path, capsys):
    path = tmp_path / "communes-2024.geojson"
    path.write_text(VALID_HEAD + '"geometry":{"type":"Polygon","coordinates":[[[700000,6700000],[1,0],[1,1],'
                                 '[700000,6700000]]]}}]}', encoding="utf-8")
    status = main(["import", str(path)])
    said = capsys.readouterr()
    assert status != 0 and "Lambert 93" in said.out + said.err and "Traceback" not in said.out + said.err
    with pytest.raises(InputError):
        importer.import_file(path)


def test_the_map_draws_offline_with_no_request(tmp_path, page):
    """plotly.js fetches a world topojson for any geo map (CDN): PLOTLY_CONFIG gives it an empty one inline."""
    shapes = Shapes("bassin_bmo", {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": code, "properties": {}, "geometry": {"type": "Polygon", "coordinates": [
            [[x, 48], [x + 1, 48], [x + 1, 49], [x, 49], [x, 48]]]}} for x, code in ((0, "A"), (1, "B"))]},
        is_demo=False, geography_year=2024)
    table = pd.DataFrame({"territory_code": ["A", "B"], "territory_name": ["a", "b"], "value": [1.0, None],
                          "value_text": ["1", "s"]})
    html = tmp_path / "map.html"
    choropleth(shapes, table, "A", "Carte", "Valeur").write_html(html, include_plotlyjs=True, config=PLOTLY_CONFIG)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
                       else route.abort())
    page.goto(html.as_uri())
    page.wait_for_function("() => document.querySelectorAll('path.choroplethlocation').length >= 3", timeout=20_000)
    assert [url for url in requested if not url.startswith(("file:", "data:"))] == []
    assert json.loads(page.evaluate("() => JSON.stringify(document.querySelector('.js-plotly-plot').data.length)")) == 3
