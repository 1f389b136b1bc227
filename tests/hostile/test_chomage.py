"""Damaged or wrong unemployment-rate workbooks: refused with the file, the sheet, the row and the problem, in French;
a layout that only moved (more title rows) is still read."""

import pytest
from openpyxl import load_workbook

from pipelines.errors import InputError
from pipelines.ingest.demo import chomage_quarters, write_chomage_workbook
from pipelines.sources import insee_chomage

QUARTERS = chomage_quarters("2013-T3", "2014-T2")
ZONES = [{"code": code, "name": name, "region_code": "53", "region_name": "BRETAGNE",
          "rates": dict(zip(QUARTERS, rates, strict=True))}
         for code, name, rates in (("5315", "Rennes", [6.0, 5.8, 5.7, 5.6]), ("5313", "Redon", [7.0, 7.1, 7.2, 7.3]))]
# Sheet txcho_ze: title rows 1-4, labels row 5, codes row 6, zones from row 7; quarters from column E.


def workbook(tmp_path, edit=None, **others):
    path = write_chomage_workbook(tmp_path / "chomage-zone-t1-2003-t2-2014.xlsx", ZONES, QUARTERS, **others)
    if edit:
        book = load_workbook(path)
        edit(book)
        book.save(path)
    return path


def refused(path, pattern):
    with pytest.raises(InputError, match=pattern) as caught:
        insee_chomage.read(path)
    assert str(caught.value).startswith(str(path))
    return str(caught.value)


def set_cell(sheet, cell, value):
    def edit(book):
        book[sheet][cell] = value
    return edit


@pytest.mark.parametrize("value", ["n.d.", "6,0 %", "abc"])
def test_a_rate_that_is_no_number_is_refused_with_its_sheet_quarter_zone_and_row(tmp_path, value):
    path = workbook(tmp_path, set_cell("txcho_ze", "F8", value))  # Redon, 2013-T4
    refused(path, f"feuille « txcho_ze » : taux invalide « {value} » au trimestre 2013-T4 \\(zone 5313, ligne 8\\)")


@pytest.mark.parametrize("value", [-1, 100.5, 6000])
def test_a_rate_outside_0_to_100_is_refused(tmp_path, value):
    refused(workbook(tmp_path, set_cell("txcho_ze", "E7", value)), "taux invalide .* un pourcentage de 0 à 100")


def test_a_decimal_comma_is_read_and_a_zero_stays_zero(tmp_path):
    def edit(book):
        book["txcho_ze"]["E7"], book["txcho_ze"]["F7"] = "5,9", 0
    frame = insee_chomage.read(workbook(tmp_path, edit)).frame
    rennes = frame[frame["code"] == "5315"].set_index("quarter")["rate"]
    assert (rennes["2013-T3"], rennes["2013-T4"]) == ("5.9", "0")


def test_a_zone_listed_twice_is_refused(tmp_path):
    refused(workbook(tmp_path, set_cell("txcho_ze", "A8", "5315")), "code en double « 5315 » \\(ligne 8\\)")


@pytest.mark.parametrize("code, problem", [("53X5", "code invalide « 53X5 »"), (None, "code vide")])
def test_a_bad_or_missing_zone_code_is_refused(tmp_path, code, problem):
    refused(workbook(tmp_path, set_cell("txcho_ze", "A7", code)), f"{problem} \\(ligne 7\\)")


def test_a_quarter_twice_or_out_of_order_is_refused(tmp_path):
    refused(workbook(tmp_path, set_cell("txcho_ze", "F6", "2013-T3")), "trimestre 2013-T3 en double")
    refused(workbook(tmp_path, set_cell("txcho_ze", "F6", "2012-T1")), "dans le désordre")


def test_a_quarter_in_the_future_is_refused(tmp_path):
    refused(workbook(tmp_path, set_cell("txcho_ze", "H6", "2099-T1")), "année 2099 .* dans le futur")


def test_a_workbook_without_zone_sheet_is_refused_and_not_recognised(tmp_path):
    def edit(book):
        del book["txcho_ze"]
    path = workbook(tmp_path, edit, departement=[dict(ZONES[0], code="35")])
    assert not insee_chomage.recognise(path)
    refused(path, "pas de feuille des taux de chômage par zone d'emploi")


def test_a_zone_sheet_without_rows_or_rates_is_refused(tmp_path):
    def empty(book):
        book["txcho_ze"].delete_rows(7, 2)
    refused(workbook(tmp_path, empty), "aucune ligne sous l'en-tête")

    def blank(book):
        for row in book["txcho_ze"].iter_rows(min_row=7, min_col=5):
            for cell in row:
                cell.value = None
    refused(workbook(tmp_path, blank), "aucun taux publié")


def test_two_sheets_of_one_level_are_refused(tmp_path):
    def copy(book):
        book.copy_worksheet(book["txcho_ze"]).title = "txcho_ze (2)"
    refused(workbook(tmp_path, copy), "deux feuilles du même niveau géographique : txcho_ze et txcho_ze \\(2\\)")


def test_more_title_rows_are_still_read(tmp_path):
    def more(book):
        book["txcho_ze"].insert_rows(1, 3)
    frame = insee_chomage.read(workbook(tmp_path, more)).frame
    assert frame[(frame["code"] == "5315") & (frame["quarter"] == "2014-T2")]["rate"].tolist() == ["5.6"]


def test_a_truncated_workbook_is_refused_by_import_in_french(no_demo, tmp_path, capsys):
    from pipelines.__main__ import main

    path = workbook(tmp_path)
    path.write_bytes(path.read_bytes()[:3000])
    assert main(["import", str(path)]) == 1
    err = capsys.readouterr().err
    assert path.name in err and "Traceback" not in err


def test_a_workbook_of_rates_without_its_zone_sheet_is_named_on_import(no_demo, tmp_path, capsys):
    from pipelines.__main__ import main

    def renamed(book):  # another zoning's header: no ZE2020 column
        book["txcho_ze"]["A6"] = "ZE2030"
    path = workbook(tmp_path, renamed)
    assert main(["import", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path} : classeur de taux de chômage localisés sans feuille par zone d'emploi" in err
