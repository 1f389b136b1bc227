"""The holes of a map on the real files: the 2018 commune geometry of Ille-et-Vilaine, the 2023 EPCI workbook and
the BMO lexicon of 2019 (which still lists the codes of communes merged since), with no COG history loaded."""

import json

import pandas as pd

from pipelines import paths
from pipelines.ingest import importer
from pipelines.read.geometry import shapes
from pipelines.report.maps import notes
from pipelines.sources import SOURCES
from pipelines.warehouse import build
from tests.conftest import marts, real_file
from tests.test_real_data import EPCI_2023, GEO_35


def test_communes_merged_since_the_geometry_are_counted_as_holes_of_the_epci_map(no_demo):
    geometry, epci, lexicon = real_file(GEO_35), real_file(EPCI_2023), real_file("bmo/lexique-bassins.csv")
    for path in (geometry, epci, lexicon):
        importer.import_file(path)
    build.build(say=lambda m: None)
    drawn = {feature["properties"]["code"] for feature in json.loads(geometry.read_text("utf-8"))["features"]}
    in_epci = set(SOURCES["insee_epci"].read(epci).frame["commune_code"])
    in_bassins = set(SOURCES["bmo_bassins"].read(lexicon).frame["commune_code"])
    expected = (drawn & in_bassins) - in_epci  # known to a zoning, in no EPCI: blank on the EPCI map
    con = marts(paths.MARTS_DB)
    try:
        every_epci, metropole, bassins = (shapes(con, "epci"), shapes(con, "epci", codes=["243500139"]),
                                          shapes(con, "bassin_bmo"))
    finally:
        con.close()
    assert len(expected) >= 10 and every_epci.holes == metropole.holes == len(expected)
    assert bassins.holes == 0  # the lexicon holds them: drawn within their bassin
    table = {"territory_code": ["243500139"], "territory_name": ["Rennes Métropole"], "value": [1.0],
             "value_text": ["1"]}
    said = " ".join(notes(metropole, pd.DataFrame(table), "243500139"))
    assert f"{len(expected)} communes du fichier de contours hors de tout territoire de ce niveau" in said
