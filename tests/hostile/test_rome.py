"""Damaged or altered ROME 4.0 files (written here by rome.write_rome_file, then broken): refused at import with a
French message naming the file, nothing recorded."""

import pytest

from pipelines.errors import InputError
from pipelines.ingest import importer
from pipelines.sources import raw, rome

LINKS = [{"code_rome": "Z1101", "code_ogr": str(900 + n), "coeur_metier": "Principale" if n % 3 else ""}
         for n in range(40)]
TITLES = [{"code_ogr": str(800 + n), "libelle_appellation_long": f"Dresseur n° {n} / Dresseuse",
           "libelle_appellation_court": f"Dresseur n° {n}", "code_rome": "Z1101", "classification": "SYNONYME",
           "code_rome_parent": "Z1101", "peu_usite": "N"} for n in range(5)]


def refused(path) -> str:
    with pytest.raises(InputError) as error:
        importer.import_file(path)
    message = str(error.value)
    assert message.startswith(str(path)) and "Traceback" not in message
    assert not [entry for entry in raw.load() if entry["source"] == "rome"]
    return message


@pytest.mark.parametrize("cut", ["mid_row", "mid_quoted_field"])
def test_a_truncated_file_is_refused_naming_the_file(no_demo, tmp_path, cut):
    path = rome.write_rome_file(tmp_path, "liens", LINKS)
    data = path.read_bytes()
    end = data.rindex(b'"Z1101","9')  # the last row: cut after its first field, or inside its second
    path.write_bytes(data[:end + len(b'"Z1101",') if cut == "mid_row" else end + len(b'"Z1101","9')])
    message = refused(path)
    assert "tronqué" in message or "guillemet non fermé" in message, message


def test_a_renamed_column_is_named_in_french(no_demo, tmp_path):
    path = rome.write_rome_file(tmp_path, "appellations", TITLES)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"libelle_appellation_long"', '"intitule_long"', 1), encoding="utf-8")
    assert not rome.recognise(path)
    message = refused(path)
    assert "ressemble à rome" in message and "colonne(s) absente(s)" in message and "label" in message, message


def test_a_rome_code_out_of_shape_is_refused_with_its_value(no_demo, tmp_path):
    path = rome.write_rome_file(tmp_path, "liens", [*LINKS[:3], {"code_rome": "<b>Z11</b>", "code_ogr": "1"}])
    message = refused(path)
    assert "code ROME invalide « <b>Z11</b> »" in message, message


def test_a_file_of_the_set_that_is_not_read_is_said_by_name(no_demo, tmp_path):
    header = ["code_rome", "code_compo_bloc", "libelle_type_texte", "position_phrase", "libelle_texte"]
    path = rome.write_table_csv(tmp_path / "unix_texte_v460_utf8.csv", header,
                                [["Z1101", "3", "definition", "1", "Une phrase inventée."]])
    message = refused(path)
    assert "fichier du ROME 4.0 non utilisé" in message and "unix_coherence_item" in message, message


def test_a_file_of_the_set_not_read_is_said_by_name_even_with_a_c1_control_it_holds(no_demo, tmp_path):
    """v460's unix_texte holds U+009C: it is refused for what it is (not read here), not for that character."""
    header = ["code_rome", "code_compo_bloc", "libelle_type_texte", "position_phrase", "libelle_texte"]
    path = rome.write_table_csv(tmp_path / "unix_texte_v460_utf8.csv", header,
                                [["Z1101", "3", "definition", "1", "Une c\u009cuvre inventée."]])
    message = refused(path)
    assert "fichier du ROME 4.0 non utilisé" in message and "contrôle" not in message, message


def test_a_control_character_other_than_c1_punctuation_is_refused(no_demo, tmp_path):
    path = rome.write_rome_file(tmp_path, "items", [{"code_ogr": "9", "libelle": "Souder\x01", "code_rubrique": "1"}])
    message = refused(path)
    assert "caractère de contrôle U+0001 ligne 2" in message, message
