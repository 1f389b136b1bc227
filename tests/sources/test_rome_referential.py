"""ROME 4.0 open data (France Travail, unix_*_vNNN_utf8.csv): fixtures written by rome.write_rome_file with invented
values, in UTF-8 and in Windows-1252; a newer version replacing an older one; conformance on the real v460 files."""

import duckdb
import pytest

from pipelines.errors import InputError
from pipelines.ingest import importer
from pipelines.read.skills import sector_skills
from pipelines.sources import raw, rome
from pipelines.warehouse import build
from tests.conftest import marts, marts_from, real_file, staged

METIERS = [{"code_rome": "Z1101", "code_ogr": "1", "libelle_rome": "Élagueur / Élagueuse de licornes",
            "code_rome_parent": "Z1101"},
           {"code_rome": "Z1102", "code_ogr": "2", "libelle_rome": "Tondeur / Tondeuse de moutons électriques",
            "code_rome_parent": "Z1101"}]


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_a_file_named_utf8_is_read_right_in_either_encoding(tmp_path, encoding):
    path = rome.write_rome_file(tmp_path, "metiers", METIERS, encoding=encoding)
    assert path.name == "unix_referentiel_code_rome_v460_utf8.csv"
    assert ("É".encode(encoding) in path.read_bytes()) and path.read_bytes().startswith(b'"code_rome","code_fiche')
    assert rome.recognise(path)
    table = rome.read(path)
    assert (table.period, table.scope, table.rows) == ("v460", "metiers", 2)
    frame = table.frame
    assert list(frame.columns) == rome.FIELDS and all(str(dtype) == "string" for dtype in frame.dtypes)
    assert list(frame["label"]) == [row["libelle_rome"] for row in METIERS]
    assert list(frame["rome_code"]) == ["Z1101", "Z1102"] and set(frame["version"]) == {"v460"}


def test_a_quoted_line_break_is_kept(tmp_path):
    definition = "Des métiers au grand air.\n\nIls recrutent, « surtout » l'été."
    path = rome.write_rome_file(tmp_path, "secteurs_activite", [
        {"code_sect_activite": "901", "libelle_sect_activite": "Pâturages", "definition_sect_activite": definition},
        {"code_sect_activite": "902", "libelle_sect_activite": "Vergers", "definition_sect_activite": "Court."}])
    table = rome.read(path)
    assert table.rows == 2 and list(table.frame["text"]) == [definition, "Court."]


def test_windows_1252_punctuation_written_as_c1_controls_in_utf8_is_repaired(tmp_path):
    # v460's items write "l\u0092étranger" (cp1252's ’ taken for Latin-1, then written in UTF-8).
    path = rome.write_rome_file(tmp_path, "items", [{"code_ogr": "9", "libelle": "Vendre à l\u0092étranger",
                                                     "code_rubrique": "1"}])
    assert "\u0092".encode() in path.read_bytes()
    assert list(rome.read(path).frame["label"]) == ["Vendre à l’étranger"]


def test_the_version_comes_from_the_published_name(tmp_path):
    path = rome.write_rome_file(tmp_path, "metiers", METIERS, version=461)
    assert rome.read(path).period == "v461"
    stored = path.rename(tmp_path / "unix_referentiel_code_rome_v461_utf8-0123abcd.csv")  # the importer's copy
    assert rome.read(stored).period == "v461"
    nameless = path.parent / "metiers.csv"
    stored.rename(nameless)
    with pytest.raises(InputError, match=r"metiers\.csv : version du ROME introuvable dans le nom"):
        rome.read(nameless)


def test_each_file_is_told_by_its_header_and_kinds_come_from_the_referentials(tmp_path):
    files = {table: rome.write_rome_file(tmp_path, table, rows) for table, rows in {
        "items": [{"code_ogr": "11", "libelle": "Tailler", "code_rubrique": "1"},
                  {"code_ogr": "12", "libelle": "Rigueur", "code_rubrique": "2"},
                  {"code_ogr": "13", "libelle": "Botanique", "code_rubrique": "3"},
                  {"code_ogr": "14", "libelle": "Travail de nuit", "code_rubrique": ""}],
        "competences": [{"code_ogr": "11", "libelle_competence": "Tailler", "cat_comp": "Savoir-faire",
                         "sous_cat_comp": "Technique"},
                        {"code_ogr": "12", "libelle_competence": "Rigueur", "cat_comp": "Savoir-être professionnel"}],
        "savoirs": [{"code_ogr_savoir": "13", "libelle_savoir": "Botanique", "categorie_savoir": "Domaines",
                     "sous_categorie_savoir": "Sciences"}],
        "contextes": [{"code_ogr": "14", "libelle_cont_travail": "Travail de nuit",
                       "libelle_type_cont_trav": "Horaires et durée du travail"}],
    }.items()}
    assert {table: rome.table_of(path) for table, path in files.items()} == {table: table for table in files}
    con = staged("rome", "stg_rome__items", *(rome.read(path).frame for path in files.values()))
    rows = con.execute("select item_code, item_kind, item_category, item_subcategory from stg_rome__items "
                       "order by 1").fetchall()
    assert rows == [("11", "savoir_faire", "Technique", None), ("12", "savoir_etre", None, None),
                    ("13", "savoir", "Domaines", "Sciences"),
                    ("14", "contexte_travail", "Horaires et durée du travail", None)]


@pytest.mark.parametrize("order", [(459, 460), (460, 459)])
def test_a_newer_version_replaces_the_older_one_never_the_reverse(no_demo, tmp_path, order):
    files = {version: rome.write_rome_file(tmp_path / f"v{version}", "metiers",
                                           METIERS if version == 460 else [{**row, "libelle_rome": "Ancien"}
                                                                          for row in METIERS], version=version)
             for version in order}
    for version in order:
        importer.import_file(files[version])
    assert sorted(entry["period"] for entry in raw.load() if entry["source"] == "rome") == ["v459", "v460"]
    build.build(say=lambda message: None)
    with marts(build.paths.MARTS_DB) as con:
        assert con.execute("select rome_code, rome_label, version from dim_rome_metier order by 1").fetchall() == [
            ("Z1101", "Élagueur / Élagueuse de licornes", "v460"),
            ("Z1102", "Tondeur / Tondeuse de moutons électriques", "v460")]


# --- Conformance on the real v460 files (REAL_DATA_DIR) ------------------------------------------------------------

REAL = "rome_v460/unix_{}_v460_utf8.csv"
REAL_TABLES = {"metiers": "referentiel_code_rome", "appellations": "referentiel_appellation", "items": "item",
               "competences": "referentiel_competence", "savoirs": "referentiel_savoir",
               "contextes": "referentiel_contexte_travail", "liens": "coherence_item",
               "secteurs_naf": "arborescence_secteur_naf", "secteurs_activite": "secteur_activite"}


@pytest.fixture(scope="module")
def real_rome(tmp_path_factory):
    files = [real_file(REAL.format(name)) for name in REAL_TABLES.values()]
    with marts_from(tmp_path_factory.mktemp("real-rome"), files) as built:
        target = tmp_path_factory.mktemp("real-rome-marts") / "marts.duckdb"
        target.write_bytes(built.read_bytes())
    return target


def test_real_files_are_each_recognised_as_their_table():
    for table, name in REAL_TABLES.items():
        assert rome.table_of(real_file(REAL.format(name))) == table, name


def test_real_marts_have_every_rome_code_and_m1805_items(real_rome):
    with duckdb.connect(str(real_rome), read_only=True) as con:
        assert con.execute("select count(*), count(distinct rome_code), min(version), max(version) "
                           "from dim_rome_metier").fetchall() == [(1584, 1584, "v460", "v460")]
        assert con.execute("select rome_label from dim_rome_metier where rome_code = 'G1602'").fetchall() == [
            ("Commis / Commise de cuisine",)]
        kinds = dict(con.execute("select item_kind, count(*) from bridge_rome_item where rome_code = 'M1805' "
                                 "group by 1").fetchall())
        assert kinds == {"savoir_faire": 22, "savoir_etre": 3, "savoir": 33, "contexte_travail": 7}
        assert con.execute("select count(*) from dim_rome_appellation where rome_code = 'M1805'").fetchall() == [(16,)]
        core = dict(con.execute("select item_label, core from bridge_rome_item where rome_code = 'M1805' "
                                "and core is not null").fetchall())
        assert core["Concevoir une application web"] == "principale" and core["Coder"] == "principale"
        assert core["Intégrer des outils IA/Data Science"] == "emergente"
        # every item a link names is found in a loaded item file
        assert con.execute("select count(*) from bridge_rome_item where item_kind is null").fetchall() == [(0,)]


def test_real_rome_files_alone_give_each_sector_its_metiers(real_rome):
    """With the ROME files the only ones loaded, a sector's métiers are the referential's fiches of its patterns,
    the ROME 4.0 ones that no other file names (F1109, an assistant géomètre) too."""
    with duckdb.connect(str(real_rome), read_only=True) as con:
        btp = {row[0] for row in con.execute("select rome_code from bridge_sector_rome where sector_code = 'btp'")
               .fetchall()}
        expected = {row[0] for row in con.execute("select rome_code from dim_rome_metier where rome_code like 'F1%'")
                    .fetchall()}
        skills = sector_skills(con, "btp", ("departement", "35"))
    assert btp == expected and len(btp) == 104 and "F1109" in btp
    assert skills["ranked_by"] == "code" and len(skills["metiers"]) == 5 and skills["shared"]


def test_real_cp1252_file_named_utf8_is_read_with_its_accents():
    path = real_file(REAL.format("arborescence_secteur_naf"))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    frame = rome.read(path).frame
    assert len(frame) == 2920
    assert "Jardinier / Jardinière paysagiste" in set(frame[frame["rome_code"] == "A1208"]["subcategory"])


def test_real_quoted_line_breaks_are_kept():
    path = real_file(REAL.format("secteur_activite"))
    table = rome.read(path)
    assert table.rows == 35 and path.read_bytes().count(b"\n") == 98
    assert table.frame["text"].str.contains("\n\n", regex=False).any()


def test_real_c1_control_in_an_item_is_read_as_its_cp1252_character():
    frame = rome.read(real_file(REAL.format("item"))).frame
    assert not frame["label"].str.contains("[\u0080-\u009f]", regex=True).any()
    assert frame.loc[frame["code"] == "404707", "label"].str.contains("l’", regex=False).all()
