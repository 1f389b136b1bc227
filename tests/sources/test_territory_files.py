"""Commune → bassin lexicons (2019 and 2024 layouts) and the INSEE zones d'emploi workbook."""

import pytest

from pipelines.errors import InputError
from pipelines.ingest.demo import write_bassins_csv, write_ze_workbook
from pipelines.sources import bmo_bassins, insee_ze
from tests.conftest import FIXTURES, WORLD_COMMUNES


def test_2024_lexicon_layout(tmp_path):
    path = write_bassins_csv(tmp_path / "x.csv", WORLD_COMMUNES, layout="2024")
    assert bmo_bassins.recognise(path)
    table = bmo_bassins.read(path)
    assert table.period == "2024"
    assert list(table.frame["bassin_code"]) == ["5314", "5314", "5313", "5319"]
    assert table.frame["commune_name"].isna().all()  # that layout has no commune names


def test_2019_lexicon_layout_in_cp1252(tmp_path):
    path = write_bassins_csv(tmp_path / "x.csv", WORLD_COMMUNES, layout="2019", encoding="cp1252")
    table = bmo_bassins.read(path)
    assert table.period == "2019"
    assert "Cesson-Sévigné" in list(table.frame["commune_name"])


def test_lexicon_with_an_empty_code_is_refused(tmp_path):
    path = tmp_path / "holes.csv"
    path.write_text("reg,dep,code_commune_insee,code_bassin_BMO,lib_bassin_BMO\n53,35,35238,,RENNES\n")
    with pytest.raises(InputError, match=r"holes.csv.*ligne 2"):
        bmo_bassins.read(path)


def test_a_csv_of_something_else_is_not_a_lexicon():
    assert not bmo_bassins.recognise(FIXTURES / "not_a_lexicon.csv")


def test_ze_workbook_header_after_title_rows(tmp_path):
    path = write_ze_workbook(tmp_path / "ze.xlsx", WORLD_COMMUNES, geography_year=2023)
    assert insee_ze.recognise(path)
    table = insee_ze.read(path)
    assert table.period == "2023"
    assert dict(zip(table.frame["commune_code"], table.frame["ze_code"], strict=True))["29233"] == "5314"
