"""Damaged Insee EPCI workbooks: refused with the file, the row and the problem, in French."""

import pytest
from openpyxl import load_workbook

from pipelines.errors import InputError
from pipelines.sources import insee_epci
from tests.publisher_files import epci_workbook


def _edited(path, sheet, cell, value):
    workbook = load_workbook(path)
    workbook[sheet][cell] = value
    workbook.save(path)
    return path


def test_a_title_without_geography_year_is_refused(tmp_path):
    path = _edited(epci_workbook(tmp_path), "Composition_communale", "A3", "Mise en ligne le 17/03/2023")
    with pytest.raises(InputError, match="année de géographie introuvable"):
        insee_epci.read(path)


def test_an_epci_code_that_is_no_siren_is_refused_with_its_row(tmp_path):
    path = _edited(epci_workbook(tmp_path), "Composition_communale", "C8", "24350013")  # row 8: 8 digits
    with pytest.raises(InputError, match="code EPCI invalide « 24350013 » \\(ligne 8\\)"):
        insee_epci.read(path)


def test_a_commune_without_epci_value_is_refused(tmp_path):
    path = _edited(epci_workbook(tmp_path), "Composition_communale", "C7", None)
    with pytest.raises(InputError, match="ligne 7"):
        insee_epci.read(path)
