"""The choropleth: plotly's geo map on the territories' own shapes (no tile server), grey where there is no value,
the chosen territory outlined, everything a file names escaped, fictitious demo geometry said."""

import json

import pandas as pd

from pipelines.read.geometry import Shapes
from pipelines.report.maps import DEMO_NOTE, GREY, NOTE_CHARS, NOTE_LINE, NOTE_SIZE, OUTLINE, PLOTLY_CONFIG, choropleth


def _square(x: float) -> dict:
    return {"type": "Polygon", "coordinates": [[[x, 48], [x + 1, 48], [x + 1, 49], [x, 49], [x, 48]]]}


def _shapes(is_demo=False, partial=None, unmatched=0, holes=0) -> Shapes:
    features = [{"type": "Feature", "id": code, "properties": {"territory_code": code}, "geometry": _square(i)}
                for i, code in enumerate(["5313", "5314", "5316"])]
    return Shapes("bassin_bmo", {"type": "FeatureCollection", "features": features}, is_demo=is_demo,
                  geography_year=2024, partial=partial or {}, unmatched_communes=unmatched, holes=holes)


TABLE = pd.DataFrame({
    "territory_code": ["5313", "5314", "5316", "9999"],
    "territory_name": ["REDON", "<b>RENNES</b>", "SAINT MALO", "Bassin sans contour"],
    "value": [12.5, 40.0, None, 3.0],
    "value_text": ["12,5", "40,0", "s", "3,0"],
})


def test_the_map_is_a_geo_choropleth_with_no_tile_layer():
    figure = choropleth(_shapes(), TABLE, "5314", "Projets", "Projets de recrutement")
    assert {trace.type for trace in figure.data} == {"choropleth"}
    layout = figure.to_plotly_json()["layout"]
    assert "mapbox" not in layout and "map" not in layout
    assert layout["geo"]["fitbounds"] == "locations" and layout["geo"]["visible"] is False
    assert figure.data[0].geojson["features"][0]["id"] == "5313" and figure.data[0].featureidkey == "id"


def test_values_grey_cells_and_the_outlined_territory():
    figure = choropleth(_shapes(), TABLE, "5314", "Projets", "Projets")
    valued, grey, outline = figure.data
    assert list(valued.locations) == ["5313", "5314"] and list(valued.z) == [12.5, 40.0]
    assert list(grey.locations) == ["5316"] and grey.colorscale[0][1] == GREY and grey.showscale is False
    assert "s" in grey.text[0] and grey.name == "Secret ou non disponible"
    assert list(outline.locations) == ["5314"] and outline.marker.line.color == OUTLINE
    # each shape sent once: every trace carries only its own features
    assert [[f["id"] for f in trace.geojson["features"]] for trace in figure.data] == [["5313", "5314"], ["5316"],
                                                                                       ["5314"]]
    note = figure.layout.annotations[0].text
    assert "En gris : valeur secrète (« s ») ou non disponible (1 territoire)" in note
    assert "Sans contour, non dessinés : Bassin sans contour" in note
    assert "géographie 2024" in note


def test_names_from_files_are_escaped():
    figure = choropleth(_shapes(), TABLE, None, "Titre <script>", "Valeur <i>")
    assert "&lt;b&gt;RENNES&lt;/b&gt;" in figure.data[0].text[1] and "<b>RENNES" not in figure.data[0].text[1]
    assert figure.layout.title.text == "Titre &lt;script&gt;"
    assert "Valeur &lt;i&gt;" in figure.data[0].text[0]
    assert len(figure.data) == 2  # no highlight, no outline


def test_demo_geometry_partial_shapes_and_unmatched_communes_are_said():
    figure = choropleth(_shapes(is_demo=True, partial={"5313": 2}, unmatched=3), TABLE, "9999", "T", "V")
    note = figure.layout.annotations[0].text
    assert DEMO_NOTE in note
    assert "Dessinés en partie (2 communes sans contour) : REDON" in note
    assert "Bassin sans contour n'a pas de contour : non souligné sur la carte" in note
    assert "3 communes du fichier de contours hors des zonages chargés" in note


def test_the_plotly_config_points_the_world_topojson_at_an_empty_inline_one():
    url = PLOTLY_CONFIG["topojsonURL"]
    assert url.startswith("data:application/json,") and url.endswith("#")
    assert json.loads(url[len("data:application/json,"):-1])["type"] == "Topology"


def test_a_level_without_any_shape_says_how_to_load_them():
    empty = Shapes("epci", {"type": "FeatureCollection", "features": []}, is_demo=False, geography_year=None)
    figure = choropleth(empty, TABLE, "5314", "T", "V")
    note = figure.layout.annotations[0].text
    assert note.startswith("Aucun contour pour ce niveau : importez un fichier de contours des communes")
    assert "Sans contour, non dessinés" not in note and "année de géographie non indiquée" in note


def test_a_map_under_its_page_s_title_has_none_and_its_notes_fit_the_column():
    """The page writes the ranking's title above the map: the figure has none (it was cut off at 1280 px); each
    note line fits the page's column (NOTE_CHARS), at NOTE_SIZE ≥ 12 px, with a bottom margin per line."""
    long_names = TABLE.assign(territory_name=[f"Bassin au nom très long numéro {i}" for i in range(4)],
                              territory_code=["A1", "A2", "A3", "A4"])
    figure = choropleth(_shapes(partial={"5313": 1}), pd.concat([TABLE, long_names]), "5314", None, "Projets")
    assert not figure.layout.title.text and figure.layout.margin.t <= 20
    note = figure.layout.annotations[0]
    lines = note.text.split("<br>")
    assert len(lines) > 3 and all(len(line) <= NOTE_CHARS for line in lines)
    assert note.font.size == NOTE_SIZE >= 12 and figure.layout.margin.b >= NOTE_LINE * len(lines)
    assert figure.data[0].colorbar.exponentformat == "none"  # "35 000", not "35k"


def test_communes_of_the_geometry_in_no_territory_of_the_level_are_said_as_holes():
    """E.g. communes merged since the geometry's year with no COG history loaded: the BMO lexicon still lists their
    codes, an EPCI composition no longer does, so the EPCI map has blank holes where they are."""
    note = " ".join(choropleth(_shapes(holes=13), TABLE, "5314", "T", "V").layout.annotations[0].text.split("<br>"))
    assert "13 communes du fichier de contours hors de tout territoire de ce niveau (zonages chargés) : des trous " \
           "blancs sur la carte" in note and "v_mvt_commune_AAAA.csv" in note
    assert "trou" not in choropleth(_shapes(), TABLE, "5314", "T", "V").layout.annotations[0].text


def test_a_one_territory_scale_shows_its_value_alone_and_whole_numbers_whole_ticks():
    """Plotly spreads ticks around a lone value (2.8, 2.9, 3, 3.1…) and puts halves between small whole numbers."""
    one = choropleth(_shapes(), TABLE[TABLE["territory_code"] == "5314"], "5314", "T", "V").data[0].colorbar
    assert one.tickmode == "array" and list(one.tickvals) == [40.0]
    counts = TABLE.assign(value=[1, 3, None, 2])
    whole = choropleth(_shapes(), counts, "5314", "T", "V").data[0].colorbar
    assert whole.tickmode == "linear" and whole.dtick == 1 and whole.tick0 == 0
    spread = choropleth(_shapes(), TABLE, "5314", "T", "V").data[0].colorbar  # 12.5 and 40.0: plotly's own ticks
    assert spread.tickmode is None and spread.tickvals is None and spread.dtick is None
