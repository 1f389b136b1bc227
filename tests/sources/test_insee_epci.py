"""Insee's commune → EPCI tables: the intercommunalité workbook and the table d'appartenance, read as published."""

import pytest

from pipelines.ingest import importer
from pipelines.read.territories import parse_territory, territory_spec
from pipelines.sources import insee_epci, insee_ze
from tests.publisher_files import WORLD_EPCI, appartenance_workbook, epci_workbook


def memberships(table) -> dict:
    """commune -> EPCI code, None for a commune outside any EPCI."""
    frame = table.frame.astype(object).where(table.frame.notna(), None)
    return dict(zip(frame["commune_code"], frame["epci_code"], strict=True))


def test_intercommunalite_workbook_is_read_after_its_title_rows(tmp_path):
    path = epci_workbook(tmp_path, geography_year=2021)
    assert insee_epci.recognise(path) and not insee_ze.recognise(path)  # both have Composition_communale
    table = insee_epci.read(path)
    assert table.period == "2021"  # "Géographie au 01/01/2021" in the title rows
    assert list(table.frame.columns) == insee_epci.FIELDS
    assert set(table.frame["geography_year"]) == {"2021"}
    rennes = table.frame.set_index("commune_code").loc["35238"]
    assert (rennes["epci_code"], rennes["epci_name"], rennes["dept_code"]) == (
        "200000001", "Intercommunalité fictive A", "35")
    # ZZZZZZZZZ: a commune outside any EPCI stays listed, with no EPCI (never an EPCI "ZZZZZZZZZ")
    assert memberships(table) == {"35238": "200000001", "35051": "200000001", "35236": "200000002", "29233": None}
    assert table.frame.set_index("commune_code")["epci_name"].isna()["29233"]


def test_appartenance_table_gives_the_same_memberships(tmp_path):
    published = insee_epci.read(epci_workbook(tmp_path))
    path = appartenance_workbook(tmp_path)
    assert insee_epci.recognise(path) and not insee_ze.recognise(path)
    table = insee_epci.read(path)
    assert table.period == published.period == "2023"
    assert memberships(table) == memberships(published)
    # names from Zones_supra_communales, level EPCI only (a DEP row there shares the code 200000001)
    names = dict(zip(table.frame["epci_code"], table.frame["epci_name"], strict=True))
    assert names["200000001"] == "Intercommunalité fictive A" and names["200000002"] == "Intercommunalité fictive B"


def test_importer_takes_the_workbook_as_insee_epci(no_demo, tmp_path):
    result = importer.import_file(epci_workbook(tmp_path))
    assert (result.source, result.period, result.rows) == ("insee_epci", "2023", len(WORLD_EPCI))


def test_epci_spec_is_a_siren():
    assert parse_territory("epci:243500139") == ("epci", "243500139")
    assert parse_territory(" EPCI:243500139 ") == ("epci", "243500139")
    assert territory_spec("epci", "243500139") == "epci:243500139"
    for bad in ("epci:35", "epci:2435001390", "epci:２43500139", "epci:24350013A", "epci:"):
        with pytest.raises(ValueError, match="invalide"):
            parse_territory(bad)
