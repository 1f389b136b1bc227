"""Hostile and careless files, and a full or read-only disk: each refusal is a French message naming the file and
the real problem, never a traceback, and what was loaded before keeps serving. Every hostile file is written here."""

import errno
import os
import re
import resource
import signal
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest

from pipelines import paths
from pipelines.__main__ import main
from pipelines.errors import InputError
from pipelines.ingest import importer
from pipelines.ingest.demo import (
    demo_tension_rows,
    dpae_row,
    write_bassins_csv,
    write_bmo_workbook,
    write_defm_csv,
    write_dpae_france_csv,
    write_urssaf_csv,
    write_ze_workbook,
)
from pipelines.sources import dares_tensions, readers
from tests.conftest import WORLD_2024, WORLD_COMMUNES, cell, write_world


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def loaded(no_demo, tmp_path):
    """BMO 2024, the bassins and the zones d'emploi imported and built; returns a check that nothing of it
    changed (raw files, manifest, marts in service)."""
    for file in write_world(tmp_path / "dl", years=(2024,)):
        importer.import_file(file)
    main(["build"])
    before = snapshot(paths.RAW_DIR), paths.MARTS_DB.read_bytes()

    def unchanged() -> bool:
        return (snapshot(paths.RAW_DIR), paths.MARTS_DB.read_bytes()) == before

    return unchanged


def refused(capsys, *args) -> str:
    """Run `import` through the command line: it must end with exit code 1 (a traceback would raise here);
    returns what it said."""
    assert main(["import", *map(str, args)]) == 1
    said = capsys.readouterr().err
    assert "Traceback" not in said and "REFUSÉ" in said
    return said


def urssaf_row(employees, establishments=3, commune="35238"):
    return {"region_code": "53", "dept_code": "35", "ze_code": "5315", "epci_code": "243500139",
            "commune_code": commune, "ape_code": "4120A", "values": {2022: (establishments, employees)}}


# --- 1. A line longer than the CSV field limit -----------------------------------------------------------


def test_a_first_line_longer_than_128_kib_is_refused_with_its_length(loaded, tmp_path, capsys):
    path = tmp_path / "long.csv"
    path.write_text("a" * (200 * 1024) + ";b\n1;2\n", encoding="utf-8")
    said = refused(capsys, path)
    assert "long.csv : format non reconnu (première ligne de 204,8 ko" in said  # SI units, as fmt_size
    longer = tmp_path / "longer.csv"
    longer.write_text("a" * (3 << 20) + ";b\n1;2\n", encoding="utf-8")  # measured up to 1 Mio only
    assert "longer.csv : format non reconnu (première ligne de plus de 1 Mo" in refused(capsys, longer)
    assert loaded()


def test_a_field_longer_than_128_kib_names_its_line(loaded, tmp_path, capsys):
    path = write_bassins_csv(tmp_path / "bassins.csv", WORLD_COMMUNES)
    with open(path, "a", encoding="utf-8") as handle:  # a quote left open swallows the rest of the file
        handle.write('53;35;35047;5314;"RENNES' + "x" * (200 * 1024) + "\r\n")
    said = refused(capsys, path)
    assert f"bassins.csv : ligne {len(WORLD_COMMUNES) + 2} : champ de plus de 131,1 ko" in said
    assert loaded()


# --- 2. Counts: never negative, never beyond what a French territory can hold, --force or not ----------------


def test_a_bmo_count_of_ten_to_the_fifteen_is_refused_even_with_force(loaded, tmp_path, capsys):
    rows = [*WORLD_2024[:-1], cell("2201", "44", "E3X20", 10**15, 3, 1)]
    huge = write_bmo_workbook(tmp_path / "bmo.xlsx", 2024, rows)
    said = refused(capsys, "--force", huge)
    assert "bmo.xlsx : nombre trop grand" in said and "« 1000000000000000 » dans la colonne « met » (ligne 13)" in said
    assert loaded()


def _counts_cases(folder: Path):
    """(file, what the refusal must say) for an impossible count of each source that has counts."""
    _, by_rome = demo_tension_rows()
    by_rome = [dict(by_rome[0], job_offers=-4), *by_rome[1:]]
    defm = [{"date": "2024-T1", "code_commune": "35238", "categorie": "A", "sexe": "Ensemble",
             "tranche_d_age": "Ensemble", "nombre_de_demandeurs_d_emploi": "3000000000"}]
    return [
        (write_urssaf_csv(folder / "urssaf_negatif.csv", [urssaf_row(-50)], [2022]),
         "nombre négatif « -50 » dans la colonne « effectifs_salaries_2022 » (ligne 2)"),
        (write_urssaf_csv(folder / "urssaf_enorme.csv", [urssaf_row(120), urssaf_row(3_000_000_000, commune="35047")],
                          [2022]),
         "nombre trop grand (plus de 30 000 000 : aucun territoire français n'en compte autant) « 3000000000 » dans "
         "la colonne « effectifs_salaries_2022 » (ligne 3)"),
        (write_defm_csv(folder / "defm.csv", defm),
         "« 3000000000 » dans la colonne « nombre_de_demandeurs_d_emploi » (ligne 2)"),
        (write_dpae_france_csv(folder / "dpae.csv", [dpae_row(2024, 1, "cdi", 10**20, 5)]),
         "« 100000000000000000000 » dans la colonne « dpae_brut » (ligne 2)"),
        (dares_tensions.write_2021_csv(folder / "tensions.csv", by_rome),
         "nombre négatif « -4 » dans la colonne « oee » (ligne 2)"),
    ]


def test_every_source_refuses_negative_and_absurd_counts_by_column_and_line(no_demo, tmp_path):
    for path, reason in _counts_cases(tmp_path):
        with pytest.raises(InputError) as error:
            importer.import_file(path, force=True)
        assert str(error.value).startswith(f"{path} : ") and reason in str(error.value), str(error.value)
    assert not paths.MANIFEST.exists()


def test_count_limits_fit_the_integer_columns_of_the_marts():
    # The marts type counts as INTEGER: any count that passes its source's limit is one a build can hold.
    assert max(readers.COUNT_LIMITS.values()) < 2**31 and set(readers.COUNT_LIMITS) >= {
        "bmo", "urssaf", "dares_defm", "urssaf_dpae", "dares_tensions", "france_travail"}


# --- 3. A full disk, a read-only data folder -------------------------------------------------------------


def _no_leftovers(folder: Path) -> bool:
    return not [p for p in folder.rglob("*") if p.suffix in (".part", ".tmp")]


def test_import_on_a_full_disk_says_so_and_leaves_no_half_written_file(loaded, tmp_path, capsys, monkeypatch):
    manifest_before = paths.MANIFEST.read_bytes()

    def copy_until_full(source, destination, **kwargs):
        Path(destination).write_bytes(Path(source).read_bytes()[:100])  # half a file, then the disk is full
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(destination))

    monkeypatch.setattr("shutil.copyfile", copy_until_full)
    new = write_bmo_workbook(tmp_path / "bmo2025.xlsx", 2025, WORLD_2024)
    assert main(["import", str(new)]) == 1
    said = capsys.readouterr().err
    assert "ÉCHEC DE L'IMPORT : disque plein : impossible d'écrire" in said and "Traceback" not in said
    assert "rien n'a été importé ; les données déjà chargées n'ont pas changé" in said
    assert loaded() and paths.MANIFEST.read_bytes() == manifest_before and _no_leftovers(paths.DATA_DIR)


def test_a_full_disk_at_the_manifest_removes_the_files_just_copied(loaded, tmp_path, capsys, monkeypatch):
    replace = os.replace

    def full_at_manifest(source, destination, **kwargs):
        if Path(destination) == paths.MANIFEST:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(destination))
        return replace(source, destination, **kwargs)

    monkeypatch.setattr(os, "replace", full_at_manifest)
    new = write_bmo_workbook(tmp_path / "bmo2025.xlsx", 2025, WORLD_2024)
    assert main(["import", str(new)]) == 1
    assert "disque plein" in capsys.readouterr().err
    assert loaded() and _no_leftovers(paths.DATA_DIR)


def test_a_write_failing_inside_duckdb_and_arrow_is_said_in_french(tmp_path):
    # A real failed write in the C libraries (DuckDB, Arrow), not a Python call replaced: the import runs in a
    # process whose files may not grow beyond 256 KiB (RLIMIT_FSIZE: EFBIG, as a full disk gives ENOSPC).
    data = tmp_path / "data"
    workbook = write_bmo_workbook(tmp_path / "bmo.xlsx", 2024, WORLD_2024)

    def small_files():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG rather than the signal that kills the process
        resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, 256 * 1024))

    done = subprocess.run([sys.executable, "-m", "pipelines", "import", str(workbook)], cwd=paths.ROOT,
                          env={**os.environ, "ZOOM_SECTEURS_DATA": str(data)}, preexec_fn=small_files,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "ÉCHEC DE L'IMPORT : fichier trop grand (limite de taille de fichier atteinte)" in done.stderr
    assert not (data / "raw" / "manifest.json").exists() and not list((data / "raw").rglob("*.xlsx"))


@pytest.fixture
def read_only_data(monkeypatch):
    """data/ as on a read-only file system: every os-level creation, replacement or write-open under it fails
    with EROFS (simulated, so that it also holds when the tests run as root, for whom chmod changes nothing)."""
    def refuse(path):
        if Path(path).resolve().is_relative_to(paths.DATA_DIR.resolve()):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))

    real_open, real_mkdir, real_replace = os.open, os.mkdir, os.replace

    def open_(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            refuse(path)
        return real_open(path, flags, *args, **kwargs)

    def mkdir(path, *args, **kwargs):
        refuse(path)
        return real_mkdir(path, *args, **kwargs)

    def replace(source, destination, **kwargs):
        refuse(destination)
        return real_replace(source, destination, **kwargs)

    monkeypatch.setattr(os, "open", open_)
    monkeypatch.setattr(os, "mkdir", mkdir)
    monkeypatch.setattr(os, "replace", replace)


def test_build_and_import_on_a_read_only_data_folder_say_so(loaded, tmp_path, capsys, read_only_data):
    assert main(["build"]) == 1
    said = capsys.readouterr().err
    assert "ÉCHEC DU BUILD : dossier en lecture seule" in said and "Traceback" not in said
    assert "Les marts précédents restent en service." in said
    new = write_bmo_workbook(tmp_path / "bmo2025.xlsx", 2025, WORLD_2024)
    assert main(["import", str(new)]) == 1
    said = capsys.readouterr().err
    assert "ÉCHEC DE L'IMPORT : dossier en lecture seule" in said and "rien n'a été importé" in said
    assert loaded() and _no_leftovers(paths.DATA_DIR)


@pytest.mark.skipif(os.geteuid() == 0, reason="chmod does not stop root: the simulated test above covers it")
def test_build_and_import_on_a_chmod_read_only_data_folder(loaded, tmp_path, capsys):
    folders = [paths.DATA_DIR, *[p for p in paths.DATA_DIR.rglob("*") if p.is_dir()]]
    for folder in folders:
        folder.chmod(0o555)
    try:
        assert main(["build"]) == 1
        assert "lecture seule" in capsys.readouterr().err
        assert main(["import", str(write_bmo_workbook(tmp_path / "b.xlsx", 2025, WORLD_2024))]) == 1
        assert "lecture seule" in capsys.readouterr().err
    finally:
        for folder in folders:
            folder.chmod(0o755)
    assert loaded()


# --- 4. Zip bombs, and a zipped workbook read once ----------------------------------------------------------

BOMB = 320 * 1024 * 1024  # more than readers.UNZIPPED_LIMIT, compressed to about 1.5 MB


def _add_zeros(archive: zipfile.ZipFile, name: str, size: int) -> None:
    with archive.open(name, "w", force_zip64=True) as member:
        block = b"\0" * (16 << 20)
        for _ in range(size // len(block)):
            member.write(block)


def test_a_zip_holding_a_huge_member_is_refused_before_it_is_decompressed(loaded, tmp_path, capsys):
    bomb = tmp_path / "ZE2020_au_01-01-2026.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        _add_zeros(archive, "ZE2020_au_01-01-2026.xlsx", BOMB)
    assert bomb.stat().st_size < 4 * 1024 * 1024
    said = refused(capsys, bomb)
    assert "« ZE2020_au_01-01-2026.xlsx » se décompresse en plus de 335,5 Mo (limite 268,4 Mo)" in said
    assert loaded()


def test_an_xlsx_with_a_huge_part_is_refused(loaded, tmp_path, capsys):
    workbook = write_bmo_workbook(tmp_path / "bmo.xlsx", 2025, WORLD_2024)
    with zipfile.ZipFile(workbook, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        _add_zeros(archive, "xl/media/image1.bin", BOMB)
    said = refused(capsys, workbook)
    assert "bmo.xlsx » se décompresse en plus de 335,6 Mo (limite 268,4 Mo)" in said
    assert loaded()


def test_a_zipped_workbook_is_decompressed_once_for_all_sources(no_demo, tmp_path, monkeypatch):
    workbook = write_ze_workbook(tmp_path / "ze.xlsx", WORLD_COMMUNES)
    archive = tmp_path / "ZE2020_au_01-01-2026.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as handle:
        handle.write(workbook, "ZE2020_au_01-01-2026.xlsx")
    opened = []
    real_open = zipfile.ZipFile.open

    def counting_open(self, name, *args, **kwargs):
        if str(getattr(name, "filename", name)).endswith(".xlsx"):
            opened.append(name)
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", counting_open)
    assert importer.import_file(archive).source == "insee_ze"
    assert len(opened) == 1


# --- 5. Territory codes, and a replacement that is another list ----------------------------------------------


def test_a_list_of_forged_commune_codes_is_refused_even_with_force(loaded, tmp_path, capsys):
    forged = write_bassins_csv(tmp_path / "bassins.csv", [
        dict(WORLD_COMMUNES[0], commune_code=f"ABC{number:03d}';--") for number in range(300)])
    said = refused(capsys, "--force", forged)
    assert "bassins.csv : code commune invalide « ABC000';-- » (ligne 2)" in said
    assert loaded()


def test_territory_codes_of_every_source_are_checked(no_demo, tmp_path):
    _, by_rome = demo_tension_rows()
    defm = [{"date": "2024-T1", "code_commune": "3523X", "categorie": "A", "sexe": "Ensemble",
             "tranche_d_age": "Ensemble", "nombre_de_demandeurs_d_emploi": "12"}]
    cases = [
        (write_bmo_workbook(tmp_path / "bmo.xlsx", 2024, [dict(WORLD_2024[0], dept_code="3S"), *WORLD_2024[1:]]),
         "code département invalide « 3S » (ligne 2)"),
        (write_bmo_workbook(tmp_path / "bmo_b.xlsx", 2024, [dict(WORLD_2024[0], bassin_code="53140"), *WORLD_2024[1:]]),
         "code bassin invalide « 53140 » (ligne 2)"),
        (write_ze_workbook(tmp_path / "ze.xlsx", [*WORLD_COMMUNES, dict(WORLD_COMMUNES[0], commune_code="1=1")]),
         f"code commune invalide « 1=1 » (ligne {7 + len(WORLD_COMMUNES)})"),
        (write_urssaf_csv(tmp_path / "urssaf.csv", [urssaf_row(5, commune="35 238")], [2022]),
         "code commune invalide « 35 238 » dans la colonne « code_commune » (ligne 2)"),
        (write_defm_csv(tmp_path / "defm.csv", defm), "code commune invalide « 3523X » (ligne 2)"),
        (dares_tensions.write_2021_csv(tmp_path / "tensions.csv", [dict(by_rome[0], bassin="<b>"), *by_rome[1:]]),
         "code bassin invalide « <b> » (ligne 2)"),
    ]
    for path, reason in cases:
        with pytest.raises(InputError) as error:
            importer.import_file(path, force=True)
        assert str(error.value) == f"{path} : {reason}", str(error.value)


def test_real_territory_codes_pass():
    # Corsica, overseas, and codes whose leading zero a spreadsheet dropped (staging pads them).
    for column, values in {"commune_code": ["35238", "2A004", "2B033", "97411", "1001"],
                           "dept_code": ["35", "2A", "974", "1"], "region_code": ["53", "4"],
                           "bassin_code": ["5314", "201"], "ze_code": ["5315", "9401"]}.items():
        pattern, _ = readers.CODE_PATTERNS[column]
        assert all(re.fullmatch(pattern, value) for value in values), column


def test_a_replacement_sharing_almost_no_commune_is_refused_without_force(loaded, tmp_path, capsys):
    elsewhere = [dict(row, commune_code=f"750{number:02d}") for number, row in enumerate(WORLD_COMMUNES, start=1)]
    other = write_bassins_csv(tmp_path / "autre_liste.csv", elsewhere)
    said = refused(capsys, other)
    assert (f"autre_liste.csv : seulement 0 de ses {len(WORLD_COMMUNES)} communes figurent dans "
            "communes_bassins.csv qu'il remplacerait" in said and "--force" in said)
    assert loaded()
    assert importer.import_file(other, force=True).status == "remplacé"


# --- 6. Mixed encodings --------------------------------------------------------------------------------------


def test_a_utf8_file_with_one_stray_byte_is_refused_naming_the_line(loaded, tmp_path, capsys):
    names = [dict(row, commune_name=name) for row, name in zip(WORLD_COMMUNES, [
        "Rennes", "Cesson-Sévigné", "Redon", "Quimperlé"], strict=True)]
    path = write_bassins_csv(tmp_path / "lexique.csv", names, layout="2019")
    path.write_bytes(path.read_bytes().replace(b"Redon", "Redoné".encode("cp1252")))
    said = refused(capsys, path)
    assert "lexique.csv : encodages mélangés : ligne 4, octet 0xE9 invalide en UTF-8" in said
    assert loaded()


def test_a_windows_1252_file_still_loads_with_its_accents(no_demo, tmp_path):
    names = [dict(row, commune_name="Cesson-Sévigné") for row in WORLD_COMMUNES]
    path = write_bassins_csv(tmp_path / "lexique.csv", names, layout="2019", encoding="cp1252")
    assert importer.import_file(path).status == "nouveau"
    assert "Cesson-Sévigné" in readers.decode_text(path)


# --- 7. Messages that say what is really wrong -----------------------------------------------------------


def test_three_billion_is_too_large_not_non_numeric(no_demo, tmp_path):
    bmo = write_bmo_workbook(tmp_path / "bmo.xlsx", 2024, [dict(WORLD_2024[0], projects=3_000_000_000),
                                                           *WORLD_2024[1:]])
    urssaf = write_urssaf_csv(tmp_path / "urssaf.csv", [urssaf_row(3_000_000_000)], [2022])
    for path in (bmo, urssaf):
        with pytest.raises(InputError, match="nombre trop grand.*« 3000000000 »") as error:
            importer.import_file(path)
        assert "non numérique" not in str(error.value)


def test_a_link_to_dev_zero_is_not_a_regular_file(no_demo, tmp_path, capsys):
    link = tmp_path / "donnees.csv"
    link.symlink_to("/dev/zero")
    said = refused(capsys, link)  # and it returns: the device is never read
    assert "donnees.csv : ce n'est pas un fichier ordinaire" in said
    broken = tmp_path / "casse.csv"
    broken.symlink_to(tmp_path / "absent.csv")
    assert "lien symbolique vers un fichier introuvable" in refused(capsys, broken)


def test_a_renamed_bmo_sheet_names_the_expected_sheet_and_those_there_are(no_demo, tmp_path, capsys):
    from openpyxl import load_workbook

    path = write_bmo_workbook(tmp_path / "bmo.xlsx", 2024, WORLD_2024)
    workbook = load_workbook(path)
    workbook["BMO_2024_open_data"].title = "Données"
    workbook.save(path)
    said = refused(capsys, path)
    assert "sans feuille « BMO_<année>_open_data »" in said
    assert "feuilles du classeur : « Description des variables », « Données »" in said


# --- 8. Accepted without a word until now ----------------------------------------------------------------


def test_a_duplicated_column_with_different_values_is_refused(loaded, tmp_path, capsys):
    path = tmp_path / "bassins.csv"
    path.write_text("reg;dep;code_commune_insee;code_bassin_BMO;lib_bassin_BMO;code_bassin_BMO\r\n"
                    "53;35;35238;5314;RENNES;5314\r\n53;35;35047;5314;RENNES;5313\r\n", encoding="utf-8")
    said = refused(capsys, path)
    assert ("colonne « code_bassin_BMO » en double (colonnes 4 et 6) avec des valeurs différentes : ligne 3, "
            "« 5314 » et « 5313 »") in said
    assert loaded()


def test_a_duplicated_column_with_the_same_values_is_tolerated(no_demo, tmp_path):
    path = tmp_path / "bassins.csv"
    path.write_text("reg;dep;code_commune_insee;code_bassin_BMO;lib_bassin_BMO;code_bassin_BMO\r\n"
                    "53;35;35238;5314;RENNES;5314\r\n", encoding="utf-8")
    assert importer.import_file(path).status == "nouveau"


def test_a_commune_in_two_bassins_of_one_zoning_is_refused(loaded, tmp_path, capsys):
    twice = [*WORLD_COMMUNES, dict(WORLD_COMMUNES[0], bassin_code="5313", bassin_name="REDON")]
    said = refused(capsys, write_bassins_csv(tmp_path / "bassins.csv", twice))
    assert f"commune 35238 dans deux bassins du même zonage : 5314 (ligne 2) et 5313 (ligne {len(twice) + 1})" in said
    assert loaded()


def test_a_bmo_file_from_the_future_is_refused_naming_its_year(no_demo, tmp_path, capsys):
    year = date.today().year + 5
    said = refused(capsys, write_bmo_workbook(tmp_path / "bmo.xlsx", year, WORLD_2024))
    assert f"bmo.xlsx : année {year} (feuille BMO_{year}_open_data) : dans le futur" in said


# --- 9. Digits of other scripts are not digits of a code or a count -----------------------------------------

# Full-width digits (as an Asian input method types them) and Arabic-Indic digits: Python's \d takes them, DuckDB's
# does not, and no publisher writes them.
FOREIGN_DIGITS = {"full-width": str.maketrans("0123456789", "０１２３４５６７８９"),
                  "arabic-indic": str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")}


@pytest.mark.parametrize("digits", FOREIGN_DIGITS.values(), ids=FOREIGN_DIGITS.keys())
def test_codes_and_counts_in_other_digits_are_refused(no_demo, tmp_path, digits):
    commune, bassin = "35238".translate(digits), "5314".translate(digits)
    cases = [
        (write_bassins_csv(tmp_path / "bassins.csv", [dict(WORLD_COMMUNES[0], commune_code=commune,
                                                           bassin_code=bassin), *WORLD_COMMUNES[1:]]),
         f"code commune invalide « {commune} » (ligne 2)"),
        (write_bassins_csv(tmp_path / "bassins_b.csv", [dict(WORLD_COMMUNES[0], bassin_code=bassin),
                                                        *WORLD_COMMUNES[1:]]),
         f"code bassin invalide « {bassin} » (ligne 2)"),
        (write_urssaf_csv(tmp_path / "urssaf.csv", [urssaf_row(5, commune=commune)], [2022]),
         f"code commune invalide « {commune} » dans la colonne « code_commune » (ligne 2)"),
        (write_urssaf_csv(tmp_path / "urssaf_n.csv", [urssaf_row("12".translate(digits))], [2022]),
         f"valeur non numérique « {'12'.translate(digits)} » dans la colonne « effectifs_salaries_2022 » (ligne 2)"),
        (write_bmo_workbook(tmp_path / "bmo.xlsx", 2024, [dict(WORLD_2024[0], bassin_code=bassin),
                                                          *WORLD_2024[1:]]),
         f"code bassin invalide « {bassin} » (ligne 2)"),
        (write_bmo_workbook(tmp_path / "bmo_n.xlsx", 2024, [dict(WORLD_2024[0], projects="100".translate(digits)),
                                                            *WORLD_2024[1:]]),
         f"valeur non numérique « {'100'.translate(digits)} »"),
    ]
    for path, reason in cases:
        with pytest.raises(InputError) as error:
            importer.import_file(path, force=True)
        assert str(error.value).startswith(f"{path} : {reason}"), str(error.value)


def test_a_commune_list_in_other_digits_is_refused_by_build(no_demo, tmp_path, capsys):
    for digits in FOREIGN_DIGITS.values():
        paths.COMMUNE_LISTS.parent.mkdir(parents=True, exist_ok=True)
        paths.COMMUNE_LISTS.write_text(f'[pays]\nnom = "Pays"\ncommunes = ["{"35238".translate(digits)}"]\n',
                                       encoding="utf-8")
        assert main(["build"]) == 1
        assert "liste « pays » : il faut un tableau" in capsys.readouterr().err


# --- 10. What the system says, in French ---------------------------------------------------------------------

ENGLISH = re.compile(r"No such|Permission|denied|Is a directory|Not a directory|error|File name|too long|Too many|"
                     r"symbolic|Operation|not permitted|Read-only|No space|Disk quota|File too large|Errno")


def test_every_system_error_is_said_in_french_reading_or_writing():
    from pipelines.errors import SYSTEM_PROBLEMS, storage_error, system_problem

    for number in [*SYSTEM_PROBLEMS, errno.ENOTCONN, errno.EHOSTDOWN]:
        error = OSError(number, os.strerror(number), "/données/fichier.csv")
        for said in (system_problem(error), system_problem(error, write=True), str(storage_error(error))):
            assert not ENGLISH.search(said) and os.strerror(number) not in said, said
    assert system_problem(OSError(errno.ENOTCONN, "Transport endpoint is not connected")) == \
        "erreur du système de fichiers (code ENOTCONN)"
    assert system_problem(OSError("weird")) == "erreur du système de fichiers"


def test_a_file_that_cannot_be_read_is_said_in_french(no_demo, tmp_path, capsys):
    too_long = tmp_path / ("n" * 300) / "x.csv"  # the system refuses the folder's name: ENAMETOOLONG
    said = refused(capsys, too_long)
    assert f"{too_long} : lecture impossible : nom de fichier trop long" in said and not ENGLISH.search(said)
    loop = tmp_path / "boucle.xlsx"
    loop.symlink_to(loop)  # a link to itself: ELOOP
    with pytest.raises(InputError) as error:
        readers.open_workbook(loop)
    assert str(error.value) == f"{loop} : fichier illisible : trop de liens symboliques (un lien qui mène à lui-même ?)"


def test_an_unknown_write_failure_is_said_in_french(loaded, tmp_path, capsys, monkeypatch):
    def copy_fails(source, destination, **kwargs):
        raise OSError(errno.ENOTCONN, os.strerror(errno.ENOTCONN), str(destination))  # a network disk gone

    monkeypatch.setattr("shutil.copyfile", copy_fails)
    assert main(["import", str(write_bmo_workbook(tmp_path / "bmo2025.xlsx", 2025, WORLD_2024))]) == 1
    said = capsys.readouterr().err
    assert "ÉCHEC DE L'IMPORT : erreur du système de fichiers (code ENOTCONN) : impossible d'écrire" in said
    assert os.strerror(errno.ENOTCONN) not in said and loaded()


# --- 11. Mixed encodings, said with the characters that would be garbled ------------------------------------


def test_mixed_encodings_count_and_show_the_utf8_characters(no_demo, tmp_path):
    names = ["Cesson-Sévigné", "L’Hermitage", "Cout 5 €", "Saint-Père", "Montfort"]
    rows = [dict(WORLD_COMMUNES[0], commune_code=f"3523{n}", commune_name=name) for n, name in enumerate(names)]
    path = write_bassins_csv(tmp_path / "lexique.csv", rows, layout="2019")
    path.write_bytes(path.read_bytes().replace(b"Montfort", "Montfort-é".encode("cp1252")))
    with pytest.raises(InputError) as error:
        readers.decode_text(path)
    assert ("le fichier contient 5 caractères accentués ou spéciaux écrits en UTF-8 (é, ’, €…) ; le lire en "
            "Windows-1252") in str(error.value)
    one = write_bassins_csv(tmp_path / "un.csv", rows[:1] + rows[4:], layout="2019")
    one.write_bytes(one.read_bytes().replace(b"Cesson-S\xc3\xa9vign\xc3\xa9", b"Cesson-S\xc3\xa9vign\xe9"))
    with pytest.raises(InputError, match=r"contient 1 caractère accentué ou spécial écrit en UTF-8 \(é\) ;"):
        readers.decode_text(one)


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_a_damaged_zip_or_workbook_is_said_in_french(loaded, tmp_path, capsys, compression):
    """A zip whose member's bytes were damaged (a wrong checksum, or deflate data that no longer inflates) and a
    workbook cut short: the problem in French, not zipfile's or calamine's English words."""
    workbook = write_ze_workbook(tmp_path / "ze.xlsx", WORLD_COMMUNES)
    damaged = tmp_path / "ZE2020_au_01-01-2026.zip"
    with zipfile.ZipFile(damaged, "w", compression) as archive:
        archive.write(workbook, "ZE2020_au_01-01-2026.xlsx")
    data = bytearray(damaged.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 64] = bytes(byte ^ 0xFF for byte in data[middle:middle + 64])
    damaged.write_bytes(bytes(data))
    said = refused(capsys, damaged)
    assert "archive zip illisible (tronquée ou endommagée ?)" in said or "classeur illisible" in said, said
    cut = tmp_path / "bmo_coupe.xlsx"
    cut.write_bytes(write_bmo_workbook(tmp_path / "bmo.xlsx", 2025, WORLD_2024).read_bytes()[:3000])
    said += refused(capsys, cut)
    assert not re.search(r"\b(Bad|CRC|invalid|Error|error|header|zip file|stream)\b", said), said
    assert loaded()


def test_a_long_name_imports_and_a_longer_or_non_utf8_one_is_refused_by_name(loaded, tmp_path, capsys):
    """A 200-byte name is stored (its temporary copy's name is cut, not the file's); a longer one, and one whose
    bytes are not UTF-8 (the manifest is UTF-8 JSON), are refused in French, nothing written."""
    long_name = write_bmo_workbook(tmp_path / ("b" * 195 + ".xlsx"), 2025, WORLD_2024)
    assert main(["import", str(long_name)]) == 0
    assert (paths.RAW_DIR / "bmo" / "2025" / long_name.name).is_file()
    before = snapshot(paths.RAW_DIR)
    longer = long_name.rename(tmp_path / ("c" * 201 + ".xlsx"))
    assert "nom de fichier trop long (206 octets, au plus 200)" in refused(capsys, longer)
    latin1 = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9.csv"))
    write_bassins_csv(latin1, WORLD_COMMUNES)
    assert "nom de fichier illisible (octets qui ne sont pas de l'UTF-8)" in refused(capsys, latin1)
    assert snapshot(paths.RAW_DIR) == before
