"""BMO workbooks of every layout, and the ways a file can be wrong."""

import zipfile

import pytest

from pipelines.errors import InputError
from pipelines.ingest.demo import write_bmo_workbook
from pipelines.sources import bmo
from tests.conftest import FIXTURES, WORLD_2025, cell

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


def test_the_2026_workbook_imports_with_its_bassins_of_2026(no_demo, tmp_path):
    """BMO 2026 as published on 2026-04-21: sheet BMO_2026_open_data beside Description_des_variables, bassin
    columns BE26 / NOMBE26, a clpe column (a fixture written here, invented values)."""
    from openpyxl import load_workbook

    from pipelines.ingest import importer

    path = write_bmo_workbook(tmp_path / "Base-open-data-BMO-2026.xlsx", 2026, WORLD_2025, layout="2026")
    book = load_workbook(path, read_only=True)
    assert book.sheetnames == ["Description_des_variables", "BMO_2026_open_data"]
    header = [c.value for c in next(book["BMO_2026_open_data"].iter_rows(max_row=1))]
    assert header[9:12] == ["BE26", "NOMBE26", "clpe"]
    book.close()
    result = importer.import_file(path)
    assert (result.source, result.period, result.rows, result.status) == ("bmo", "2026", len(WORLD_2025), "nouveau")


def test_fetch_asks_data_gouv_for_every_survey_not_loaded_yet(no_demo, tmp_path):
    from pipelines.ingest import importer

    def asked():
        return [(request.url, request.name, request.part) for request in bmo.fetch_requests([])]

    address = "https://www.data.gouv.fr/api/1/datasets/r/"
    assert asked() == [(address + "4319f5e8-a8e6-476c-8da0-c0d3439ebb55", "Base_open_data_BMO_2024.xlsx", "2024"),
                       (address + "54478315-aafd-4070-b8df-a5647297e0c0", "Base_open_data_BMO_2025.xlsx", "2025"),
                       (address + "228917c7-c22e-4766-835e-fcb923f29b3d", "Base_open_data_BMO_2026.xlsx", "2026")]
    assert all(request.redirect_hosts == bmo.REDIRECT_HOSTS for request in bmo.fetch_requests([]))
    for year in (2024, 2026):
        importer.import_file(write_bmo_workbook(tmp_path / f"bmo{year}.xlsx", year, WORLD_2025, layout="2026"))
    assert [name for _, name, _ in asked()] == ["Base_open_data_BMO_2025.xlsx"]
    importer.import_file(write_bmo_workbook(tmp_path / "bmo2025.xlsx", 2025, WORLD_2025))
    # every survey loaded: the newest is asked again (a revised workbook would replace it), as one file
    assert asked() == [(address + "228917c7-c22e-4766-835e-fcb923f29b3d", "Base_open_data_BMO_2026.xlsx", "")]


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
