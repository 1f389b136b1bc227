"""`python -m pipelines figures|status|import|build` as a user runs them."""

import json
import os
import re
import subprocess
import sys

import duckdb
import pytest

from pipelines import paths
from pipelines.__main__ import main
from pipelines.ingest import manifest
from pipelines.ingest.demo import write_bmo_workbook
from pipelines.report import figures
from tests.conftest import WORLD_2024


def run_json(capsys, *args):
    assert main(["figures", *args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_key_figures_per_sector_as_json(world, capsys):
    data = run_json(capsys, "--territory", "bassin:5314", "--year", "2024")
    assert data["territory"] == {"spec": "bassin:5314", "type": "bassin_bmo", "type_label": "Bassin d'emploi BMO",
                                 "code": "5314", "name": "Rennes", "commune_count": 2,
                                 "commune_zoning": "BMO 2024", "territory_communes": 2}
    by_code = {s["sector_code"]: s for s in data["sectors"]}
    assert list(by_code) == ["btp", "travaux_publics", "numerique", "iaa", "agriculture", "ensemble"]
    assert by_code["btp"]["projects"] == 120
    assert by_code["btp"]["difficult_share"] == pytest.approx(95 / 120)
    assert by_code["ensemble"]["projects"] == 300
    assert [m["metier_code"] for m in by_code["btp"]["top_metiers"]] == ["B1X31", "B0X30"]
    assert data["year"] == 2024 and data["years"] == [2024, 2025] and data["demo"] is False


def test_latest_year_by_default_and_other_levels(world, capsys):
    assert run_json(capsys, "--territory", "dep:35")["year"] == 2025
    assert {s["sector_code"]: s["projects"] for s in run_json(capsys, "--territory", "fr", "--year", "2024")[
        "sectors"]}["ensemble"] == 531
    assert run_json(capsys, "--territory", "reg:52", "--year", "2024")["sectors"][-1]["projects"] == 221


def test_zone_emploi_says_bmo_is_not_published_there(world, capsys):
    data = run_json(capsys, "--territory", "ze:5314")
    assert data["territory"]["name"] == "Quimperlé"  # INSEE 5314, not the BMO bassin of Rennes
    assert all(s["projects"] is None for s in data["sectors"]) and "bassin" in data["unavailable"]


def test_text_format_uses_french_numbers(world, capsys):
    assert main(["figures", "--territory", "fr", "--year", "2024"]) == 0
    out = capsys.readouterr().out
    assert "Tous secteurs" in out and "531" in out and "65,2\u202f%" in out  # 346 / 531 difficult
    assert out.startswith("France — ")


@pytest.mark.parametrize("spec", ["bassin", "ville:1", "bassin:9999"])
def test_bad_territories_fail_clearly(world, capsys, spec):
    assert main(["figures", "--territory", spec]) != 0
    assert "territoire" in capsys.readouterr().err


@pytest.mark.parametrize("spec", ["commune:²", "dep:³5", "bassin:５３１４", "commune:35238';--", "liste:Été",
                                  "commune:" + "9" * 3000, "liste:" + "a" * 3000])
def test_a_code_of_other_characters_or_too_long_is_refused_before_padding(capsys, spec):
    """A code is ASCII letters and digits ("²" is a digit to str.isdigit: it was padded to commune:0000²),
    and a long one is quoted back cut short, not in full."""
    assert main(["figures", "--territory", spec]) == 2
    said = capsys.readouterr().err
    assert said.startswith(f"territoire « {spec[:40]}") and "invalide" in said and "0000" not in said
    assert len(said) < 300 and ("…" in said) == (len(spec) > 40)


def test_territory_syntax_round_trips():
    for spec in ["bassin:5314", "ze:5315", "dep:35", "reg:53", "fr", "dep:2A", "commune:35238"]:
        assert figures.territory_spec(*figures.parse_territory(spec)) == spec
    assert figures.parse_territory("bassin:101") == ("bassin_bmo", "0101")  # codes are stored padded
    assert figures.parse_territory("dep:1") == ("departement", "01")


def test_cli_import_build_status_in_a_subprocess(tmp_path):
    """The commands a user types, in a real process, with the data folder moved by the env override."""
    env = {"ZOOM_SECTEURS_DATA": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}
    bmo_file = write_bmo_workbook(tmp_path / "Base_open_data_BMO_2024.xlsx", 2024, WORLD_2024)
    bad = tmp_path / "notes.csv"
    bad.write_text("a,b\n1,2\n")

    def run(*args):
        return subprocess.run([sys.executable, "-m", "pipelines", *args], cwd=paths.ROOT, env=env,
                              capture_output=True, text=True)

    refused = run("import", str(bad))
    assert refused.returncode == 1 and "notes.csv" in refused.stderr and "format non reconnu" in refused.stderr
    imported = run("import", str(bmo_file))
    assert imported.returncode == 0 and "nouveau : source bmo, période 2024" in imported.stderr
    built = run("build")
    assert built.returncode == 0, built.stderr
    assert "déjà construits et contrôlés par l'import" in built.stderr
    # One real file: the demo files of every source are set aside (issue 9), and build says so
    assert "Fichiers de démonstration mis de côté : des fichiers réels sont chargés" in built.stderr
    assert "Sources non chargées : bmo_bassins, insee_ze, insee_epci, urssaf," in built.stderr
    assert "Données fictives" not in built.stderr
    status = run("status")
    assert "Base_open_data_BMO_2024.xlsx" in status.stdout and "réel" in status.stdout
    assert "Fichiers utilisés : 1 fichier réel (« utilisé : oui »)." in status.stdout
    assert "Fichiers de démonstration mis de côté (" in status.stdout
    out = run("figures", "--territory", "bassin:5314", "--year", "2024", "--format", "json")
    assert json.loads(out.stdout)["sectors"][-1]["projects"] == 300


def test_text_and_json_say_non_comparable_across_a_nomenclature_break(no_demo, tmp_path, capsys):
    from pipelines.ingest import importer
    from pipelines.warehouse import build
    from tests.conftest import WORLD_FAP2009, write_world

    for file in write_world(tmp_path / "dl", years=(2024,)):
        importer.import_file(file)
    importer.import_file(write_bmo_workbook(tmp_path / "bmo2023.xlsx", 2023, WORLD_FAP2009, layout="2019"))
    build.build(say=lambda m: None)
    btp = run_json(capsys, "--territory", "bassin:5314", "--year", "2024")["sectors"][0]
    assert (btp["projects_change"], btp["nomenclature_break"], btp["previous_year"]) == (None, True, 2023)
    assert main(["figures", "--territory", "bassin:5314", "--year", "2024"]) == 0
    out = capsys.readouterr().out
    assert "non comparable à 2023 (nomenclature des métiers changée)" in out
    assert "2 communes (zonage BMO 2024)" in out


def test_status_says_when_marts_lag_behind_the_files(world, tmp_path, capsys):
    from pipelines.ingest import importer
    from tests.conftest import WORLD_2025, cell

    assert main(["status"]) == 0
    assert "lancez" not in capsys.readouterr().out
    importer.import_file(write_bmo_workbook(tmp_path / "b.xlsx", 2025, [cell("5314", "35", "B1X31", 1, 1, 1),
                                                                       *WORLD_2025[1:]]))
    assert main(["status"]) == 0
    assert "ne reflètent pas encore ces fichiers" in capsys.readouterr().out


def test_zone_emploi_in_text_says_why_there_is_no_figure(world, capsys):
    assert main(["figures", "--territory", "ze:5315"]) == 0
    out = capsys.readouterr().out
    assert "None" not in out and "publiée par bassin d'emploi BMO" in out


def test_build_if_needed_rebuilds_only_when_files_or_code_changed(world, tmp_path, capsys):
    before = paths.MARTS_DB.stat().st_mtime_ns
    assert main(["build", "--if-needed"]) == 0
    assert "Marts à jour" in capsys.readouterr().err and paths.MARTS_DB.stat().st_mtime_ns == before
    entries = manifest.load()
    manifest.save([e for e in entries if e["period"] != "2025"])  # the inputs change
    assert main(["build", "--if-needed"]) == 0
    err = capsys.readouterr().err
    assert paths.MARTS_DB.stat().st_mtime_ns != before and "Marts construits" in err
    assert re.search(r"^  table +lignes\n  dim_sector +6$", err, re.M)
    assert "1 bassin BMO sans commune dans le zonage de l'année" in err  # not "1 bassin(s)"


def test_text_shows_tension_job_seekers_and_the_apprentice_break(data_dir, capsys):
    """The demo data: every section of the key figures reaches the text output, with the JSON's numbers."""
    from pipelines.frformat import fmt_change, fmt_decimal, fmt_int
    from pipelines.warehouse import build

    build.build(say=lambda m: None)
    data = run_json(capsys, "--territory", "bassin:5314")
    assert main(["figures", "--territory", "bassin:5314"]) == 0
    out = capsys.readouterr().out
    btp = data["sectors"][0]
    tension = btp["tension"]
    assert tension["metiers"], "the demo has tension figures for the bassin of Rennes"
    tension_line = next(line for line in out.splitlines()
                        if line.startswith(btp["label"]) and tension["main_driver_label"] in line)
    assert fmt_decimal(tension["tension_level"], 2) in tension_line
    assert f"{tension['metiers_in_tension']} sur {tension['metiers']}" in tension_line
    seekers = data["job_seekers"]["A"]
    assert f"{data['job_seekers_source']}, {seekers['quarter']}" in out
    assert any(line.startswith("catégorie A ") and fmt_int(seekers["job_seekers"]) in line
               and fmt_change(seekers["change_1y"]) in line for line in out.splitlines())
    # A 5-year change across 2023 is marked and explained.
    jobs = btp["employment"]
    assert jobs["apprentice_break_5y"]
    assert f"{fmt_change(jobs['employees_change_5y'])}¹" in out
    employment_line = next(line for line in out.splitlines()
                           if line.startswith(btp["label"]) and fmt_int(jobs["employees"]) in line)
    after_establishments = [cell for cell in employment_line.split(f" {fmt_int(jobs['establishments'])} ")[-1]
                            .split(" ") if cell]  # (the narrow no-break spaces inside numbers stay)
    assert after_establishments == [
        fmt_change(jobs["establishments_change_1y"]), fmt_change(jobs["establishments_change_5y"])]
    assert "¹ rupture de série : apprentis comptés depuis 2023." in out
    # DPAE: its publication suspended since March 2025, said beside its figures (its source's release note)
    suspended = ("Publication des DPAE par département et grand secteur suspendue par l'Urssaf depuis mars 2025, sans "
                 "date de reprise annoncée.")
    assert data["hires"]["publication"] == suspended
    assert out.index(data["hires"]["source"]) < out.index(suspended)


def test_text_says_which_sources_are_not_loaded(world, capsys):
    """Sources with no file at all (only BMO and the zonings are imported): "non chargé" and how to load them."""
    assert main(["figures", "--territory", "bassin:5314", "--year", "2024"]) == 0
    out = capsys.readouterr().out
    for source in (figures.URSSAF_SOURCE, figures.TENSION_SOURCE, figures.JOB_SEEKERS_SOURCE):
        assert source in out
    assert "Emploi salarié : non chargé (à charger : python -m pipelines fetch urssaf, ou import du fichier " \
           "téléchargé chez Urssaf avec python -m pipelines import FICHIER)." in out
    assert "Indicateurs de tension : non chargé (à charger : python -m pipelines fetch dares_tensions" in out
    assert "Demandeurs d'emploi : non chargé" in out and "Embauches (DPAE) : non chargé" in out
    assert "API Marché du travail de France Travail : non chargé" in out
    data = run_json(capsys, "--territory", "bassin:5314", "--year", "2024")
    assert set(data["not_loaded"]) == {"employment", "tension", "job_seekers", "hires", "market", "skills", "offers"}


def test_text_says_which_sources_have_nothing_for_the_territory(world, tmp_path, capsys):
    """Sources loaded, but for other places: said as such, not as "non chargé"."""
    from pipelines.ingest import importer
    from pipelines.ingest.demo import dpae_row, write_dpae_france_csv, write_urssaf_csv
    from pipelines.sources.dares_tensions import write_2021_csv
    from pipelines.warehouse import build

    importer.import_file(write_urssaf_csv(tmp_path / "urssaf.csv", [  # Quimperlé only, out of the bassin
        {"region_code": "53", "dept_code": "29", "ze_code": "5314", "epci_code": "242900645", "commune_code": "29233",
         "ape_code": "4120A", "values": {2023: (3, 40), 2024: (4, 44)}}], range(2023, 2025)))
    importer.import_file(write_2021_csv(tmp_path / "tension.csv", [
        {"year": 2021, "rome": "F1703", "bassin": "2201", "tension": 2, "labour_shortage": 3}]))
    importer.import_file(write_dpae_france_csv(tmp_path / "dpae.csv", [
        dpae_row(2024, month, "cdi", 1000, 1000) for month in (1, 2, 3)]))
    build.build(say=lambda m: None)
    assert main(["figures", "--territory", "bassin:5314", "--year", "2024"]) == 0
    out = capsys.readouterr().out
    assert "Aucune donnée chargée pour ce territoire (python -m pipelines fetch urssaf" in out
    assert "Aucun indicateur de tension chargé pour ce territoire." in out
    # DPAE: the département whose figures would be shown, by its name, not by a CLI code
    hires = run_json(capsys, "--territory", "bassin:5314", "--year", "2024")["hires_unavailable"]
    assert hires.startswith("Aucune donnée d'embauches (DPAE) chargée pour le département ") and "(35)" in hires


def test_year_is_the_bmo_survey_year_and_says_so_where_it_does_not_apply(world, capsys):
    assert main(["figures", "--territory", "ze:5315", "--year", "2019"]) == 0
    assert "--annee 2019 choisit l'année de l'enquête BMO, sans objet ici" in capsys.readouterr().err
    assert main(["figures", "--territory", "bassin:5314", "--year", "2019"]) == 1
    assert "enquête BMO 2019 absente pour ce territoire ; années disponibles : 2024, 2025" in capsys.readouterr().err


def test_counts_of_one_are_singular_and_a_list_says_where_it_comes_from():
    assert figures.coverage_label(1, 1) == "données de 1 commune sur 1"
    assert figures.communes_label({"commune_count": 1, "commune_zoning": "BMO 2024"}) == "1 commune (zonage BMO 2024)"
    assert figures.communes_label({"commune_count": 3, "commune_zoning": "liste"}) == \
        "3 communes (liste de communes de l'utilisateur)"
    assert figures.coverage_label(1234, 2000) == "données de 1\u202f234 communes sur 2\u202f000"



def test_status_tells_apart_the_files_of_one_source_in_aligned_columns(data_dir, capsys):
    """The demo has three URSSAF files of the same period: communes, régions and France."""
    assert main(["status"]) == 0
    header, *lines = capsys.readouterr().out.split("\n\n")[0].splitlines()
    urssaf = [line for line in lines if line.startswith("urssaf ")]
    scopes = [entry["scope"] for entry in manifest.all_entries() if entry["source"] == "urssaf"]
    assert len(urssaf) == len(scopes) == 3 and all(any(scope in line for line in urssaf) for scope in scopes)
    for line in lines:  # every line's "nature" (démo/réel) starts under its header, whatever the widths
        assert line[header.index("nature"):].startswith(("démo", "réel")), line


@pytest.mark.parametrize("command", ["fetch", "figures", "export"])
def test_territory_help_names_every_accepted_form(command, capsys):
    with pytest.raises(SystemExit):
        main([command, "--help"])
    help_text = " ".join(capsys.readouterr().out.split())  # argparse wraps lines
    for prefix in figures.TERRITORY_PREFIXES:
        assert (prefix if prefix == "fr" else f"{prefix}:CODE") in help_text


def test_a_closed_stdout_ends_quietly(tmp_path):
    """`python -m pipelines status | head`: the reader may be gone before the output is written."""
    reader, writer = os.pipe()
    os.close(reader)  # nobody reads: every write to the pipe fails
    try:
        done = subprocess.run([sys.executable, "-m", "pipelines", "status"], cwd=paths.ROOT, stdout=writer,
                              stderr=subprocess.PIPE, text=True,
                              env={"ZOOM_SECTEURS_DATA": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"})
    finally:
        os.close(writer)
    assert done.returncode == 1 and done.stderr == ""


def test_marts_of_an_older_version_say_to_rebuild_rather_than_crash(demo_marts, capsys):
    con = duckdb.connect(str(demo_marts))
    con.execute("alter table fct_employment_by_territory_sector_year drop column is_latest_period")
    con.close()
    assert main(["figures", "--territory", "bassin:5314"]) == 1
    assert "version précédente du code : lancez « python -m pipelines build »" in capsys.readouterr().err


def test_no_control_character_from_a_file_reaches_the_terminal(no_demo, tmp_path, capsys):
    """A département name holding terminal controls (an 8-bit CSI that clears the screen, a bidi override that
    reverses what follows) is printed with each control replaced by U+FFFD, its text kept; so is a territory
    typed with an escape sequence. (A workbook cannot hold the 7-bit controls; a CSV holding them is refused.)"""
    from pipelines.ingest import importer
    from pipelines.warehouse import build
    from tests.conftest import write_world

    label = "Maçon\x9b2J \u202egnitirw\u202c fin"
    for file in write_world(tmp_path)[2:]:  # the lists of communes, not the BMO workbooks
        importer.import_file(file)
    rows = [{**row, "dept_name": label} if row["dept_code"] == "35" else row for row in WORLD_2024]
    importer.import_file(write_bmo_workbook(tmp_path / "bmo.xlsx", 2024, rows))
    build.build(say=lambda message: None)
    assert main(["figures", "--territory", "dep:35", "--year", "2024"]) == 0
    assert main(["figures", "--territory", "dep:\x1b[2J35"]) == 2  # a malformed code, quoted back
    out, err = capsys.readouterr()
    assert "Maçon\ufffd2J \ufffdgnitirw\ufffd fin" in out and "dep:\ufffd[2J35" in err
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", out + err), (out + err)[-400:]
