"""The command line against a careless user and a broken data folder (issue 11, §3): a damaged manifest, an
export to a path that cannot be written, `make demo` on a disk that refuses its files. Each says what is wrong in
French, without a traceback, and changes nothing."""

import builtins
import errno
import hashlib
import io
import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines import paths
from pipelines.__main__ import main
from tests.conftest import use_data_dir, write_world

TIMEOUT = 300  # seconds; only keeps a hung process from hanging the suite


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` (the lock file aside: it only says who writes) and its digest."""
    return {str(file.relative_to(folder)): hashlib.sha256(file.read_bytes()).hexdigest()
            for file in sorted(folder.rglob("*")) if file.is_file() and file != paths.LOCK_FILE}


# --- A damaged manifest -------------------------------------------------------------------------------------

def _entry_without(key: str):
    def damage(text: str) -> str:
        manifest = json.loads(text)
        del manifest["files"][1][key]
        return json.dumps(manifest)
    return damage


DAMAGED = {  # how the manifest is damaged (its text -> the text or bytes written) -> what the message says
    "truncated": (lambda text: text[:len(text) // 2], "JSON invalide ou tronqué ligne "),
    "not-utf8": (lambda text: b"\xff" + text.encode(), "pas du texte UTF-8 (octet 0)"),
    "entry-without-demo": (_entry_without("demo"), "champ « demo » manquant"),
    "entry-without-path": (_entry_without("path"), "champ « path » manquant"),
    "a-list": (lambda text: json.dumps(json.loads(text)["files"]), "un objet {\"files\": [...]} est attendu"),
    "files-not-a-list": (lambda text: json.dumps({"files": {"a": 1}}), "un objet {\"files\": [...]} est attendu"),
    "entry-not-an-object": (lambda text: json.dumps({"files": ["bmo.xlsx"]}), "fichier n° 1 : un objet"),
    "demo-not-a-boolean": (lambda text: text.replace('"demo": false', '"demo": "non"', 1),
                           "champ « demo » : true ou false est attendu"),
    "path-out-of-the-folder": (lambda text: text.replace('"path": "', '"path": "../../', 1),
                               "hors du dossier des fichiers"),
}
COMMANDS = [["status"], ["build"], ["build", "--if-needed"], ["import", "FILE"], ["fetch", "bmo"]]


@pytest.mark.parametrize("damage", DAMAGED)
def test_a_damaged_manifest_is_said_by_every_command_and_nothing_changes(world, tmp_path, capsys, damage):
    change, said_of_it = DAMAGED[damage]
    damaged = change(paths.MANIFEST.read_text(encoding="utf-8"))
    paths.MANIFEST.write_bytes(damaged if isinstance(damaged, bytes) else damaged.encode())
    before = snapshot(paths.DATA_DIR)
    new = write_world(tmp_path / "new", years=(2025,))[0]
    for command in COMMANDS:
        args = [str(new) if arg == "FILE" else arg for arg in command]
        assert main(args) == 1, command
        err = capsys.readouterr().err
        assert f"{paths.MANIFEST} : manifeste illisible : " in err, (command, err)
        assert said_of_it in err, (command, err)
        assert "Traceback" not in err and "Error" not in err, (command, err)
        assert snapshot(paths.DATA_DIR) == before, command


# --- export: the output path is checked first, the file written whole ---------------------------------------

def export(output: Path, file_format: str = "pdf") -> int:
    return main(["export", "--sector", "btp", "--territory", "bassin:5314", "--format", file_format,
                 "--output", str(output)])


def test_an_export_into_a_missing_folder_is_refused_before_any_page_is_drawn(world, tmp_path, capsys):
    target = tmp_path / "absent" / "zoom.pdf"
    assert export(target) == 1
    err = capsys.readouterr().err
    assert err == f"Écriture impossible de {target} : dossier « {target.parent} » introuvable ; rien n'a été écrit.\n"
    assert not target.parent.exists()


def test_an_export_onto_a_folder_is_refused_before_any_page_is_drawn(world, tmp_path, capsys):
    folder = tmp_path / "exports"
    folder.mkdir()
    assert export(folder) == 1
    err = capsys.readouterr().err
    assert err == (f"Écriture impossible de {folder} : c'est un dossier ; indiquez un nom de fichier (--sortie "
                   "dossier/zoom.pdf) ; rien n'a été écrit.\n")
    assert list(folder.iterdir()) == []


def test_an_export_onto_a_device_or_pipe_is_refused_and_a_link_is_written_through(world, tmp_path, capsys):
    """A pipe (or /dev/full as root) was renamed over: the device became a plain file. A link to a file is
    written through, the link kept."""
    pipe = tmp_path / "tube"
    os.mkfifo(pipe)
    assert export(pipe, "html") == 1
    assert "ce n'est pas un fichier ordinaire" in capsys.readouterr().err
    assert pipe.is_fifo()
    target, link = tmp_path / "vrai.html", tmp_path / "lien.html"
    link.symlink_to(target)
    assert export(link, "html") == 0
    assert link.is_symlink() and target.read_bytes().startswith(b"<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_an_export_that_fails_half_way_leaves_no_partial_file_and_the_previous_one_intact(world, tmp_path):
    # A real failed write: the export runs in a process whose files may not grow beyond 4 KiB (RLIMIT_FSIZE gives
    # EFBIG, as a full disk gives ENOSPC); the HTML pack is far larger.
    folder = tmp_path / "exports"
    folder.mkdir()
    previous = folder / "zoom.html"
    previous.write_text("export précédent")

    def small_files():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG rather than the signal that kills the process
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    done = subprocess.run([sys.executable, "-m", "pipelines", "export", "--sector", "btp", "--territory",
                           "bassin:5314", "--format", "html", "--output", str(previous)], cwd=paths.ROOT,
                          env={**os.environ, "ZOOM_SECTEURS_DATA": str(paths.DATA_DIR),
                               "PYTHONDONTWRITEBYTECODE": "1"},
                          preexec_fn=small_files, capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.splitlines()[-1] == (f"fichier trop grand (limite de taille de fichier atteinte) : impossible "
                                            f"d'écrire {previous} ; rien n'a été écrit.")
    assert [file.name for file in folder.iterdir()] == ["zoom.html"]
    assert previous.read_text() == "export précédent"


# --- make demo on a disk that refuses its files -------------------------------------------------------------

@pytest.mark.parametrize(("error", "said"), [
    (errno.EROFS, "dossier en lecture seule (système de fichiers monté en lecture seule)"),
    (errno.ENOSPC, "disque plein")])
def test_make_demo_on_a_read_only_or_full_disk_says_so_in_french(tmp_path, monkeypatch, error, said):
    """`make demo` (pipelines.ingest.demo.main) writing into a folder whose files are refused (simulated at the
    open, so that it holds when the tests run as root), said in French with what to do, not raised."""
    from pipelines.ingest import demo

    use_data_dir(monkeypatch, tmp_path / "data")
    folder = tmp_path / "demo"
    folder.mkdir()
    real_open = io.open

    def refusing_open(file, mode="r", *args, **kwargs):
        if isinstance(file, str | os.PathLike) and Path(file).parent == folder and set(mode) & set("wax+"):
            raise OSError(error, os.strerror(error), str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(io, "open", refusing_open)
    monkeypatch.setattr(builtins, "open", refusing_open)
    message = demo.main(folder)
    assert message.startswith(f"ÉCHEC DES FICHIERS DE DÉMONSTRATION : {said} : impossible d'écrire {folder}/"), message
    assert "relancez « make demo »" in message
    assert list(folder.iterdir()) == []


def test_make_demo_holds_the_lock_of_the_data_folder(tmp_path, monkeypatch):
    """The lock `make demo` holds is the data folder's (ZOOM_SECTEURS_DATA): its builds read the demo files."""
    from pipelines.ingest import demo

    use_data_dir(monkeypatch, tmp_path / "data")
    held = []
    monkeypatch.setattr(demo, "make_demo", lambda directory: held.append(paths.LOCK_FILE.read_text()) or [])
    assert demo.main(tmp_path / "demo") == 0
    assert json.loads(held[0])["command"] == "demo"



def test_make_demo_with_a_damaged_manifest_says_so(tmp_path, monkeypatch):
    """The leftovers `make demo` cleans first are found through the manifest: a damaged one is said, not raised."""
    from pipelines.ingest import demo

    use_data_dir(monkeypatch, tmp_path / "data")
    paths.MANIFEST.parent.mkdir(parents=True)
    paths.MANIFEST.write_text('{"files": [', encoding="utf-8")
    message = demo.main(tmp_path / "demo")
    assert message.startswith(f"ÉCHEC DES FICHIERS DE DÉMONSTRATION : {paths.MANIFEST}"), message
