"""Saving a perimeter made in the explorer's page: a named list of communes written to data/perimetres.toml (the
format of data/listes_communes.toml, which stays the user's own file, never rewritten), then the marts rebuilt, so
that the perimeter is the territory `liste:CODE` of every page, export and command.

The only writer of data/ a page calls (tests/test_layers.py allows this module, and only it, to the explorer's
perimeter view): as the only writer of data/ (pipelines.datalock, not waiting for another one), the file written
whole or not at all (pipelines.atomic), put back as it was if the build that follows fails.
"""

import re
import tomllib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from pipelines import atomic, paths
from pipelines.errors import InputError, writing
from pipelines.ingest import leftovers
from pipelines.sources.readers import CODE_PATTERNS
from pipelines.warehouse import build

NAME_LIMIT = 120  # characters of a perimeter's name
CODE_LIMIT = 60  # characters of its code (read.territories.LIST_CODE_PATTERN)
COMMUNE_CODE = re.compile(CODE_PATTERNS["commune_code"][0])
HEADER = ("# Périmètres enregistrés depuis la page Explorateur, vue « Créer un périmètre » (réécrit par la page : vos "
          "propres listes vont dans listes_communes.toml).\n")


class PerimeterRefused(InputError):
    """A perimeter that cannot be saved as asked (nothing was written)."""


@dataclass
class Saved:
    code: str
    communes: int
    replaced: bool
    result: build.BuildResult


def clean_name(name: str) -> str:
    """The name as it will be saved and shown: one line, no control character, at most NAME_LIMIT characters."""
    one_line = " ".join(str(name).split())
    return "".join(char for char in one_line if unicodedata.category(char) not in ("Cc", "Cs"))[:NAME_LIMIT]


def code_for(name: str) -> str:
    """The list code of a name: 'Mission locale Rennes Sud' -> 'mission-locale-rennes-sud'; 'perimetre' when the
    name has no Latin letter or digit."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:CODE_LIMIT].strip("-") or "perimetre"


def malformed(codes: list[str]) -> list[str]:
    """The codes that are no Insee commune code (5 characters, 2A/2B for Corsica; 4 digits lost a leading zero):
    the build would refuse the file that holds them."""
    return [code for code in codes if not COMMUNE_CODE.fullmatch(code)]


def saved() -> dict[str, dict]:
    """The perimeters saved by the page: code -> {nom, communes, membres}; empty when there is no file."""
    if not paths.PERIMETERS.exists():
        return {}
    try:
        return tomllib.loads(paths.PERIMETERS.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise PerimeterRefused(paths.PERIMETERS, "fichier illisible (TOML en UTF-8 attendu) : corrigez-le ou "
                                                 "supprimez-le") from error


def hand_written_codes() -> set[str]:
    """The codes of the user's own lists (data/listes_communes.toml): a perimeter never takes one."""
    return set(build.load_commune_lists(paths.COMMUNE_LISTS)["list_code"])


def _toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped (TOML refuses them raw)."""
    escaped = []
    for char in text:
        if char in '"\\':
            escaped.append("\\" + char)
        elif unicodedata.category(char) == "Cc":
            escaped.append(f"\\u{ord(char):04X}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def toml_text(perimeters: dict[str, dict]) -> str:
    """The file's text: one table per perimeter, in the format build.load_commune_lists reads."""
    parts = [HEADER]
    for code, perimeter in perimeters.items():
        parts.append(f"\n[{code}]\nnom = {_toml_string(perimeter['nom'])}\n"
                     f"communes = [{', '.join(_toml_string(c) for c in perimeter['communes'])}]\n"
                     f"membres = [{', '.join(_toml_string(m) for m in perimeter.get('membres', []))}]\n")
    return "".join(parts)


def save(name: str, communes: list[str], members: list[str], replace: bool = False,
         say: Callable[[str], None] = lambda message: None) -> Saved:
    """Write the perimeter `name` (its communes, and the members it was made of: epci:…, commune:…) and rebuild
    the marts. Raises PerimeterRefused (nothing written: no name, no commune, a malformed code, a code taken by
    the user's own lists, or by a saved perimeter unless `replace`), datalock.Held (another command writes data/),
    BuildError or StorageError (the file put back as it was)."""
    name = clean_name(name)
    code = code_for(name)
    if not name:
        raise PerimeterRefused(paths.PERIMETERS, "donnez un nom au périmètre")
    if not communes:
        raise PerimeterRefused(paths.PERIMETERS, f"périmètre « {name} » sans commune")
    if bad := malformed(communes):
        raise PerimeterRefused(paths.PERIMETERS, f"périmètre « {name} » : codes commune illisibles : "
                                                 f"{', '.join(bad[:10])}")
    with leftovers.writing("perimetre", say, wait=False):
        if code in hand_written_codes():
            raise PerimeterRefused(paths.PERIMETERS, f"le code « {code} » est celui d'une liste de "
                                                     f"{paths.COMMUNE_LISTS.name} : choisissez un autre nom")
        perimeters = saved()
        if code in perimeters and not replace:
            raise PerimeterRefused(paths.PERIMETERS, f"un périmètre « {code} » est déjà enregistré "
                                                     f"(« {perimeters[code].get('nom', code)} ») : remplacez-le ou "
                                                     "choisissez un autre nom")
        previous = paths.PERIMETERS.read_bytes() if paths.PERIMETERS.exists() else None
        replaced = code in perimeters
        perimeters[code] = {"nom": name, "communes": list(dict.fromkeys(communes)), "membres": members}
        _write(toml_text(perimeters).encode("utf-8"))
        try:
            result = build.build(say=say)
        except BaseException:
            _restore(previous)
            raise
    return Saved(code, len(perimeters[code]["communes"]), replaced, result)


def _write(content: bytes) -> None:
    with writing("le périmètre n'est pas enregistré"), atomic.replacing(paths.PERIMETERS) as scratch:
        scratch.write_bytes(content)


def _restore(previous: bytes | None) -> None:
    """The file as it was before a save whose build failed: the marts in service still match it."""
    if previous is None:
        paths.PERIMETERS.unlink(missing_ok=True)
    else:
        _write(previous)
