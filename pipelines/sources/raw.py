"""What raw files there are: the reader of data/raw/manifest.json (fetched or imported files) and
data/raw/demo/manifest.json (the committed demo files), and which of them a build uses. Below both ingest
(which writes the manifest: ingest/manifest.py) and the warehouse (which builds from it)."""

import hashlib
import json
from pathlib import Path

from pipelines import paths
from pipelines.errors import InputError
from pipelines.sources import SOURCES

# The fields every manifest entry has (manifest.make_entry writes more), with their type, read with entry[...].
ENTRY_FIELDS = {"source": str, "period": str, "path": str, "demo": bool, "sha256": str, "retrieved_at": str}
TYPE_NAMES = {str: "un texte", bool: "true ou false"}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def slot(entry: dict) -> tuple:
    """What a file stands for: a newer file for the same slot replaces it. By default a source's period
    and scope; sources whose every new vintage repeats the older years (URSSAF, job seekers) set
    REPLACE_WHOLE_HISTORY, and a new file replaces the older one of the same scope whatever its period."""
    source = SOURCES.get(entry["source"])
    if source is not None and source.replace_whole_history:
        return entry["source"], entry.get("scope", "")
    return entry["source"], entry["period"], entry.get("scope", "")


def replaced_by(old: dict, new: dict) -> bool:
    """Whether file `new` replaces the loaded file `old`: same slot, or, when the source module has a
    `replaces(new_scope, old_scope)` hook, a scope it says contains the older one (of the same period,
    unless the source sets REPLACE_WHOLE_HISTORY)."""
    if old["source"] != new["source"] or old.get("demo") or new.get("demo"):
        return False
    if slot(old) == slot(new):
        return True
    source = SOURCES.get(new["source"])
    if source is None or not (source.replace_whole_history or old["period"] == new["period"]):
        return False
    return source.replaces(new.get("scope", ""), old.get("scope", ""))


def load(manifest: Path = None) -> list[dict]:
    """The entries of a manifest ([] if there is none); InputError, naming the manifest and what is wrong in it,
    for one that cannot be read (truncated, edited by hand, from another tool)."""
    manifest = manifest or paths.MANIFEST
    if not manifest.exists():
        return []
    try:
        files = json.loads(manifest.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise InputError(manifest, f"manifeste illisible : pas du texte UTF-8 (octet {error.start})") from error
    except json.JSONDecodeError as error:
        raise InputError(manifest, f"manifeste illisible : JSON invalide ou tronqué ligne {error.lineno}, colonne "
                                   f"{error.colno}") from error
    if not isinstance(files, dict) or not isinstance(files.get("files"), list):
        raise InputError(manifest, "manifeste illisible : un objet {\"files\": [...]} est attendu")
    for number, entry in enumerate(files["files"], start=1):
        if problem := _entry_problem(entry):
            described = (f" (source {str(entry.get('source'))[:40]}, période {str(entry.get('period'))[:40]})"
                         if isinstance(entry, dict) else "")
            raise InputError(manifest, f"manifeste illisible : fichier n° {number}{described} : {problem}")
    return files["files"]


def _entry_problem(entry) -> str | None:
    if not isinstance(entry, dict):
        return "un objet {\"source\": …, \"path\": …} est attendu"
    for name, kind in ENTRY_FIELDS.items():
        if name not in entry:
            return f"champ « {name} » manquant"
        if not isinstance(entry[name], kind):
            return f"champ « {name} » : {TYPE_NAMES[kind]} est attendu"
    relative = Path(entry["path"])
    if relative.is_absolute() or ".." in relative.parts:  # the file of an entry is always under its folder
        return f"chemin « {entry['path'][:40]} » hors du dossier des fichiers"
    return None


def file_of(entry: dict) -> Path:
    base = paths.DEMO_DIR if entry["demo"] else paths.RAW_DIR
    return base / entry["path"]


def all_entries() -> list[dict]:
    """Demo and loaded files together, each with its absolute path."""
    return [{**entry, "file": file_of(entry)} for entry in load(paths.DEMO_MANIFEST) + load()]


# Why the demo files are left out once a real file is loaded (said by `status`, `build` and the Sources page).
DEMO_SET_ASIDE_REASON = ("des fichiers réels sont chargés : les fichiers fictifs de démonstration ne sont plus "
                         "utilisés, pour aucune source, afin qu'un chiffre inventé ne côtoie jamais un chiffre réel")


def _with_candidates(candidates: list[dict]) -> list[dict]:
    """Every recorded file, with `candidates` (files being imported) in place of the loaded files they replace,
    each in turn: a later candidate may replace an earlier one, as if imported one after the other."""
    entries = all_entries()
    for candidate in candidates:
        entries = [entry for entry in entries if entry["demo"] or not replaced_by(entry, candidate)] + [candidate]
    return entries


def entries_for_build(candidate: dict | None = None, candidates: list[dict] = ()) -> list[dict]:
    """The files a build reads: every real (fetched or imported) file as soon as there is one, of any source,
    else the demo files. Never both: a source without a real file then has no figures ("non chargé") rather
    than fictitious ones beside real ones.

    `candidate` (a file being imported), or `candidates` (files imported together, in order), are counted in,
    in place of the loaded files they replace."""
    entries = _with_candidates([*candidates, *([candidate] if candidate is not None else [])])
    real = [entry for entry in entries if not entry["demo"]]
    return sorted(real or entries, key=lambda e: (e["source"], e["period"]))


def set_aside(used: list[dict] | None = None) -> list[dict]:
    """The demo files a build leaves out of `used` (default: what the next build uses): all of them once a real
    file is loaded; none otherwise."""
    used = entries_for_build() if used is None else used
    kept = {(entry["source"], entry["path"], entry["demo"]) for entry in used}
    return [entry for entry in all_entries() if entry["demo"] and (entry["source"], entry["path"], True) not in kept]
