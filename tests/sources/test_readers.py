import re

import pytest

from pipelines.errors import InputError
from pipelines.sources.readers import cell_text, decode_text, match_columns, normalise_label, read_csv_rows


def test_utf8_with_bom_and_crlf_is_read(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes("\ufeffcode;libellé\r\n35238;Rennes\r\n".encode())
    assert read_csv_rows(path) == [["code", "libellé"], ["35238", "Rennes"]]


def test_cp1252_is_decoded_with_its_accents(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes("code,nom\n35051,Cesson-Sévigné\n".encode("cp1252"))
    assert decode_text(path) == "code,nom\n35051,Cesson-Sévigné\n"


def test_utf16_is_refused_with_the_file_name(tmp_path):
    path = tmp_path / "lexique.csv"
    path.write_bytes("code,nom\n35051,Cesson\n".encode("utf-16"))
    with pytest.raises(InputError, match="lexique.csv.*encodage non reconnu"):
        decode_text(path)


@pytest.mark.parametrize(("text", "control"), [("35238;Rennes\x1b[2J\n", "U+001B ligne 3"),
                                               ("35238;Maçon\x9b2J\n", "U+009B ligne 3")])
def test_a_utf8_file_holding_a_control_character_says_so_not_encoding(tmp_path, text, control):
    """Valid UTF-8 with an escape sequence is refused for what it is; it was read as Windows-1252 (its accents
    garbled, without a word) or called an unknown encoding."""
    path = tmp_path / "lexique.csv"
    path.write_bytes(f"code;nom\n35051;Cesson-Sévigné\n{text}".encode())
    with pytest.raises(InputError, match=re.escape(f"lexique.csv : caractère de contrôle {control}")):
        decode_text(path)


def test_headers_are_matched_whatever_case_accents_and_spaces():
    assert normalise_label("code métier BMO ") == "code metier bmo"
    assert normalise_label("nom_metier BMO") == "nom metier bmo"
    assert match_columns(["X", "Code Métier BMO"], {"code": r"code metier bmo"}, "f.xlsx") == {"code": 1}


def test_missing_columns_are_named(tmp_path):
    with pytest.raises(InputError) as error:
        match_columns(["annee", "met"], {"projects": r"met", "difficult": r"xmet"}, tmp_path / "bmo.xlsx")
    assert "bmo.xlsx" in str(error.value) and "difficult" in str(error.value)
    assert "colonnes manquantes : difficult" in str(error.value)


@pytest.mark.parametrize(("value", "text"), [(5314.0, "5314"), ("  *", "*"), ("", None), (None, None),
                                             (float("nan"), None), ("2A", "2A")])
def test_cells_become_text(value, text):
    assert cell_text(value) == text
