"""BMO workbooks of every layout, and the ways a file can be wrong."""

import zipfile

import pytest

from pipelines.errors import InputError
from pipelines.ingest.demo import write_bmo_workbook
from pipelines.sources import bmo
from tests.conftest import FIXTURES, cell

ROWS = [cell("5314", "35", "B1X31", 100, 80, 10), cell("5314", "35", "J1X80", "*", "*", "*")]


@pytest.mark.parametrize(("layout", "year"), [("2019", 2019), ("2024", 2024), ("2024", 2025), ("2026", 2026)])
def test_every_layout_reads_to_the_same_columns(tmp_path, layout, year):
    path = write_bmo_workbook(tmp_path / "any-name.xlsx", year, ROWS, layout=layout)
    assert bmo.recognise(path)
    table = bmo.read(path)
    assert table.period == str(year)
    frame = table.frame
    assert list(frame["bassin_code"]) == ["5314", "5314"]
    assert list(frame["metier_code"]) == ["B1X31", "J1X80"]
    assert list(frame["projects"]) == ["100", "*"]  # the secret stays a secret until staging
    assert "clpe" not in frame


def test_2019_spellings_are_understood(tmp_path):
    path = write_bmo_workbook(tmp_path / "bmo2019.xlsx", 2019, ROWS, layout="2019")
    assert bmo.read(path).frame["metier_label"].iloc[0] == "Métier B1X31"


def test_non_numeric_count_is_refused_with_its_row(tmp_path):
    rows = [*ROWS, cell("5314", "35", "M2X90", "12", "n/a", "0")]
    path = write_bmo_workbook(tmp_path / "bad.xlsx", 2024, rows)
    with pytest.raises(InputError, match=r"bad.xlsx.*« n/a ».*xmet \(ligne 4\)"):
        bmo.read(path)


def test_a_renamed_column_is_refused(tmp_path):
    from openpyxl import load_workbook

    path = write_bmo_workbook(tmp_path / "renamed.xlsx", 2024, ROWS)
    workbook = load_workbook(path)
    workbook["BMO_2024_open_data"]["M1"] = "difficiles"
    workbook.save(path)
    with pytest.raises(InputError, match="renamed.xlsx.*colonnes manquantes.*difficult"):
        bmo.read(path)


def test_year_column_must_match_the_sheet(tmp_path):
    from openpyxl import load_workbook

    path = write_bmo_workbook(tmp_path / "mixed.xlsx", 2024, ROWS)
    workbook = load_workbook(path)
    workbook["BMO_2024_open_data"]["A2"] = 2023
    workbook.save(path)
    with pytest.raises(InputError, match="annee"):
        bmo.read(path)


def test_year_column_must_be_a_year(tmp_path):
    from openpyxl import load_workbook

    path = write_bmo_workbook(tmp_path / "typo.xlsx", 2024, ROWS)
    workbook = load_workbook(path)
    workbook["BMO_2024_open_data"]["A3"] = "2O24"
    workbook.save(path)
    with pytest.raises(InputError, match="typo.xlsx.*annee"):
        bmo.read(path)


def test_an_empty_metier_code_is_refused_with_its_row(tmp_path):
    rows = [*ROWS, {**cell("5314", "35", "M2X90", 1, 1, 1), "metier_code": ""}]
    with pytest.raises(InputError, match="metier_code vide \\(ligne 4\\)"):
        bmo.read(write_bmo_workbook(tmp_path / "hole.xlsx", 2024, rows))


def test_numeric_and_text_cells_read_alike(tmp_path):
    as_numbers = bmo.read(write_bmo_workbook(tmp_path / "n.xlsx", 2024, [cell("5314", "35", "B1X31", 100, 80, 10)]))
    as_text = bmo.read(write_bmo_workbook(tmp_path / "t.xlsx", 2024, [cell("5314", "35", "B1X31", "100", "80", "10")]))
    assert as_numbers.frame.equals(as_text.frame)


def test_empty_sheet_is_refused(tmp_path):
    path = write_bmo_workbook(tmp_path / "empty.xlsx", 2024, [])
    with pytest.raises(InputError, match="aucune ligne"):
        bmo.read(path)


def test_truncated_workbook_is_not_recognised_and_read_says_why(tmp_path):
    whole = write_bmo_workbook(tmp_path / "whole.xlsx", 2024, ROWS)
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    assert not bmo.recognise(truncated)
    with pytest.raises(InputError, match="truncated.xlsx"):
        bmo.read(truncated)


def test_an_unrelated_workbook_is_not_bmo():
    assert not bmo.recognise(FIXTURES / "budget_not_bmo.xlsx")
    assert zipfile.is_zipfile(FIXTURES / "budget_not_bmo.xlsx")
