"""`build`: raw files → staging views → marts → checks → atomic replace of data/marts/marts.duckdb.

The new database is written beside the old one and only replaces it once every check has passed,
so a failed build leaves the previous marts serving, byte for byte.
"""

import hashlib
import os
import re
import shutil
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from pipelines import paths
from pipelines.errors import BuildError
from pipelines.frformat import fmt_int
from pipelines.sources import SOURCES, raw
from pipelines.sources.readers import CODE_PATTERNS
from pipelines.warehouse import geometry, parsed

# Creation order: each mart reads only those above it.
MARTS = (
    "dim_sector",
    "dim_metier",
    "bridge_sector_metier",
    "audit_unmapped_metiers",
    "bridge_territory_commune",
    "audit_unknown_list_communes",
    "dim_territory_zoning",
    "dim_territory",
    "bridge_territory_departement",
    "dim_bmo_year",
    "fct_projects_by_bassin_dept_metier_year",
    "fct_projects_by_territory_metier_year",
    "fct_projects_by_territory_sector_year",
    "bridge_family_metier",
    "dim_fap_family",
    "fct_projects_by_territory_family_year",
    "fct_metier_rank_by_territory_sector_year",
    "audit_bassins_without_communes",
    "bridge_sector_ape",
    "fct_employment_by_territory_sector_year",
    "fct_employment_by_commune_sector_year",
    "dim_a38",
    "bridge_a38_ape",
    "fct_employment_by_territory_a38_year",
    "bridge_sector_rome",
    "bridge_rome_fap",
    "dim_rome_metier",
    "dim_rome_appellation",
    "bridge_rome_item",
    "fct_tension_by_territory_metier_year",
    "bridge_sector_tension_metier",
    "fct_tension_by_territory_sector_year",
    "bridge_tension_family_metier",
    "dim_fap2009_family",
    "fct_tension_by_territory_family_year",
    "fct_job_seekers_by_territory_quarter",
    "fct_unemployment_by_territory_quarter",
    "fct_hires_by_territory_quarter",
    "fct_market_by_territory_metier_quarter",
    "fct_market_by_territory_sector_quarter",
    "fct_offers_by_territory_sector_snapshot",
    "fct_offer_levels_by_territory_sector_snapshot",
    "fct_offer_skills_by_territory_sector_snapshot",
    "fct_offer_metiers_by_territory_sector_snapshot",
    "bridge_geometry_commune",
    "dim_commune_shape",
    "dim_territory_shape",
)
GRAIN = re.compile(r"-- grain: one row per \(([^)]*)\)")
IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")
# Each macro of a macros file: (its statement up to the next one, its name).
MACRO = re.compile(r"(create macro (\w+).*?)(?=^create macro |\Z)", re.DOTALL | re.MULTILINE)


def macros_of(file: str) -> dict[str, str]:
    """{name: create statement} of the macros of one file of sql/."""
    return {name: text for text, name in MACRO.findall((paths.SQL_DIR / file).read_text(encoding="utf-8"))}


def macros() -> dict[str, str]:
    """Every macro: scalar (macros.sql, created first) and table macros (table_macros.sql, created when used)."""
    return macros_of("macros.sql") | macros_of("table_macros.sql")


# SQL split so that comments can be told from code: quoted strings and names (a "--" inside is no comment),
# comments, then anything else.
SQL_TOKEN = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/|[^'\"/-]+|.", re.DOTALL)


@dataclass
class BuildResult:
    path: str
    seconds: float
    rows: dict[str, int]
    unmapped_metiers: list[str] = field(default_factory=list)
    bassins_without_communes: list[str] = field(default_factory=list)
    unknown_list_communes: list[str] = field(default_factory=list)
    # Commune codes of the geometry that no loaded zoning knows and no COG merge maps (kept under their own code).
    unmatched_geometry_communes: list[str] = field(default_factory=list)
    demo_sources: list[str] = field(default_factory=list)
    set_aside: list[str] = field(default_factory=list)  # demo files left out because real files are loaded
    not_loaded: list[str] = field(default_factory=list)  # sources with no file in this build
    rebuilt: list[str] = field(default_factory=list)  # marts computed (by this build or the import's trial)


def mart_sql(name: str) -> str:
    return (paths.SQL_DIR / "marts" / f"{name}.sql").read_text(encoding="utf-8")


def grain_of(name: str) -> list[str]:
    match = GRAIN.match(mart_sql(name))
    if not match:
        raise BuildError(f"{name}.sql ne commence pas par sa phrase de grain")
    return [column.strip() for column in match.group(1).split(",")]


def load_sectors() -> tuple[pd.DataFrame, pd.DataFrame]:
    """sectors.toml as two seed tables: the sectors, and their code patterns per lens (SQL LIKE)."""
    sectors = tomllib.loads(paths.SECTORS_TOML.read_text(encoding="utf-8"))
    rows, rules = [], []
    for code, sector in sectors.items():
        rows.append({"sector_code": code, "label": sector["label"], "short_label": sector["short_label"],
                     "of_label": sector["of_label"],
                     "colour": sector["colour"], "parent_code": sector.get("parent"),
                     "sort_order": sector["order"], "caveat_naf": sector.get("caveat_naf")})
        for lens in ("naf", "fap2021", "fap2009", "rome", "rome_except", "dpae_grand_secteur"):
            for pattern in sector.get(lens, []):
                rules.append({"sector_code": code, "lens": lens, "like_pattern": pattern.replace("*", "%")})
    return pd.DataFrame(rows), pd.DataFrame(rules)


def load_commune_lists(path: Path | None = None) -> pd.DataFrame:
    """data/listes_communes.toml as a seed table (list_code, list_name, commune_code); empty if absent.

        [rennes-metropole]
        nom = "Rennes Métropole"
        communes = ["35238", "35051"]
    """
    path = path or paths.COMMUNE_LISTS
    rows = []
    if path.exists():
        try:
            lists = tomllib.loads(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError as error:
            raise BuildError(f"{path} : fichier TOML illisible : ce n'est pas du texte UTF-8") from error
        except tomllib.TOMLDecodeError as error:  # its message is English: where it stopped, said in French
            where = re.search(r"line (\d+), column (\d+)", str(error))
            raise BuildError(f"{path} : fichier TOML illisible"
                             + (f" ligne {where[1]}, colonne {where[2]}" if where else "")
                             + " (guillemet, crochet ou signe = manquant ?)") from error
        for code, spec in lists.items():
            if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", code):
                raise BuildError(f"{path} : code de liste « {code} » invalide (minuscules, chiffres, - ou _)")
            communes = spec.get("communes") if isinstance(spec, dict) else None
            # INSEE codes: 5 characters (2A/2B for Corsica); a 4-digit code lost its leading zero in a sheet.
            if not isinstance(spec, dict) or not isinstance(spec.get("nom"), str) or not communes or not all(
                    isinstance(c, str) and re.fullmatch(CODE_PATTERNS["commune_code"][0], c) for c in communes):
                raise BuildError(f"{path} : liste « {code} » : il faut un tableau [{code}] avec nom = \"…\" et "
                                 "communes = [\"35238\", …] (codes Insee)")
            rows += [{"list_code": code, "list_name": spec["nom"], "commune_code": c.zfill(5)} for c in communes]
    return pd.DataFrame(rows, columns=["list_code", "list_name", "commune_code"]).astype("string")


def list_files() -> list[Path]:
    """The files of lists of communes: the user's own, and the perimeters made in the explorer's page."""
    return [paths.COMMUNE_LISTS, paths.PERIMETERS]


def load_all_commune_lists() -> pd.DataFrame:
    """Every list of communes of list_files() as one seed table; a code in two files stops the build (one
    territory `liste:CODE` each)."""
    frames = [load_commune_lists(path) for path in list_files()]
    first, second = (set(frame["list_code"]) for frame in frames)
    if twice := sorted(first & second):
        raise BuildError(f"{paths.PERIMETERS} : {', '.join(twice)} : code déjà pris par une liste de "
                         f"{paths.COMMUNE_LISTS} (un code de liste ne sert qu'une fois)")
    return pd.concat(frames, ignore_index=True)


def _verify_files(entries: list[dict]) -> None:
    """Every raw file is there and unchanged since it was recorded."""
    for entry in entries:
        file = entry["file"]
        if not file.exists():
            raise BuildError(f"{file} : fichier brut introuvable")
        if raw.sha256_of(file) != entry["sha256"]:
            raise BuildError(f"{file} : contenu modifié depuis son enregistrement (sha256)")


def _load_raw(con, entries: list[dict], say) -> None:
    """raw_<source>: a view over the parsed (parquet) files of each source, typed by its FIELDS."""
    for name, source in SOURCES.items():
        columns = ", ".join(f'"{field}" {source.types.get(field, "varchar")}' for field in source.fields)
        # A source with no file yet is an empty table: its marts are empty, the others still work.
        con.execute(f"create table empty_{name} ({columns}, source_file varchar, is_demo boolean)")
        parts = [f"select * from empty_{name}"]
        for entry in (entry for entry in entries if entry["source"] == name):
            parquet = parsed.load(source, entry["file"], entry["sha256"])
            parts.append(f"select *, {_literal(entry['path'])} as source_file, {bool(entry['demo'])} as is_demo "
                         f"from read_parquet({_literal(str(parquet))})")
            rows = con.execute("select num_rows from parquet_file_metadata(?)", [str(parquet)]).fetchall()[0][0]
            say(f"  {name} {entry['period']} : {fmt_int(rows)} lignes ({'démo' if entry['demo'] else 'réel'})")
        con.execute(f"create view raw_{name} as " + " union all by name ".join(parts))


def _literal(text: str) -> str:
    """A SQL string literal (view definitions cannot take bound parameters)."""
    return "'" + text.replace("'", "''") + "'"


def _check(con) -> list[str]:
    failures = []
    for name in MARTS:
        columns = ", ".join(grain_of(name))
        duplicates = con.execute(
            f"select count(*) from (select {columns} from {name} group by all having count(*) > 1)"
        ).fetchall()[0][0]
        if duplicates:
            failures.append(f"{name} : {duplicates} doublons du grain ({columns})")
    for check in sorted((paths.SQL_DIR / "checks").glob("*.sql")):
        rows = con.execute(check.read_text(encoding="utf-8")).fetchall()
        failures += [f"{check.stem} : {row[0]}" for row in rows[:5]]
        if len(rows) > 5:
            failures.append(f"{check.stem} : … et {len(rows) - 5} autres")
    return failures


def _entry_line(entry: dict) -> str:
    return f"{entry['source']} {entry['period']} {entry['sha256']} {entry['demo']}\n"


def code_version() -> str:
    """The code that shapes the marts (their tables and columns): the sources' readers, the warehouse's own code,
    its SQL, the sectors and the DuckDB that runs them. Marts of another code version may not fit the pages."""
    digest = hashlib.sha256(f"duckdb {duckdb.__version__}\n".encode())
    package = Path(__file__).resolve().parent.parent
    code = [*sorted((package / "sources").glob("*.py")), *sorted((package / "warehouse").glob("*.py")),
            *sorted(paths.SQL_DIR.rglob("*.sql")), paths.SECTORS_TOML, paths.NAF_A38_CSV]
    for file in code:
        digest.update(file.read_bytes())
    return digest.hexdigest()


def code_fingerprint() -> str:
    """What every mart is a function of besides its raw files: the code (code_version) and the lists of communes."""
    digest = hashlib.sha256(code_version().encode())
    for path in list_files():
        if path.exists():
            digest.update(f"{path.name}\n".encode() + path.read_bytes())
    return digest.hexdigest()


def inputs_key(entries: list[dict]) -> str:
    """What a marts database is a function of: the raw files used and the code that shapes them."""
    digest = hashlib.sha256(code_fingerprint().encode())
    for entry in sorted(entries, key=lambda e: (e["source"], e["period"], e["sha256"])):
        digest.update(_entry_line(entry).encode())
    return digest.hexdigest()


def _called(references: set[str], macros: dict[str, str]) -> list[str]:
    """The macros of `macros` (name: statement, in file order) that a SQL text with these references calls,
    directly or through one another, in that order."""
    names, todo = set(), references & macros.keys()
    while todo:
        names |= todo
        todo = set().union(*(_references(macros[name]) for name in todo)) & macros.keys() - names
    return [name for name in macros if name in names]


def _references(sql: str) -> set[str]:
    """Every identifier of a SQL text outside its comments (strings included): more than the tables it reads,
    never less."""
    code = "".join(token for token in SQL_TOKEN.findall(sql.lower()) if not token.startswith(("--", "/*")))
    return set(IDENTIFIER.findall(code))


def mart_sources() -> dict[str, set[str]]:
    """The sources each mart reads, directly or through staging views and the marts above it, from the table
    names its SQL mentions (raw_<source>, stg_<source>__<entity>, other marts). A name that looks like a raw
    or staging table but is none counts as every source: when in doubt, a mart is rebuilt."""
    staging = {sql.stem: sql.read_text(encoding="utf-8") for sql in (paths.SQL_DIR / "staging").glob("stg_*__*.sql")}
    every = set(SOURCES)
    found: dict[str, set[str]] = {}

    def sources_of(names: set[str], seen: frozenset) -> set[str]:
        result = set()
        for name in names - seen:
            if name.startswith("raw_"):
                result |= {name[4:]} if name[4:] in SOURCES else every
            elif name.startswith("stg_"):
                if name not in staging:
                    result |= every
                    continue
                own = name[4:].split("__")[0]
                result |= ({own} if own in SOURCES else every) | sources_of(_references(staging[name]),
                                                                            seen | {name})
            elif name in MARTS:
                result |= found.get(name, every)  # a mart below this one (not yet known): doubtful
        return result

    # A macro's sources count for the marts that call it (directly or through another macro) only.
    every_macro = macros()
    for name in MARTS:
        references = _references(mart_sql(name))
        called = _called(references, every_macro)
        found[name] = sources_of(references.union(*(_references(every_macro[macro]) for macro in called)),
                                 frozenset({name}))
    return found


def mart_keys(entries: list[dict]) -> dict[str, str]:
    """Per mart, a key of everything it is a function of: the code (code_fingerprint) and the raw files of
    the sources it reads (their source, period, content, demo flag and stored path). Two builds that give a
    mart the same key give it the same content, so a later build may copy it rather than compute it."""
    code = code_fingerprint()
    lines: dict[str, list[str]] = {}
    for entry in entries:
        lines.setdefault(entry["source"], []).append(_entry_line(entry).rstrip("\n") + f" {entry['path']}\n")
    keys = {}
    for name, sources in mart_sources().items():
        digest = hashlib.sha256(f"{code}\n{name}\n".encode())
        for source in sorted(sources):
            digest.update(f"[{source}]\n{''.join(sorted(lines.get(source, [])))}".encode())
        keys[name] = digest.hexdigest()
    return keys


def _stored_keys(database: Path) -> dict[str, str]:
    """{mart: key} of the marts an earlier marts database holds (see mart_keys); empty if it cannot be read,
    or was left with an unfinished write-ahead log (then its file alone is not the whole database)."""
    if not database.exists() or Path(f"{database}.wal").exists():
        return {}
    try:
        con = duckdb.connect(str(database), read_only=True)
    except duckdb.Error:
        return {}
    try:
        stored = dict(con.execute("select mart, inputs_key from meta_marts").fetchall())
        tables = {row[0] for row in con.execute("select table_name from duckdb_tables() where not internal").fetchall()}
    except duckdb.Error:
        return {}
    finally:
        con.close()
    return {name: key for name, key in stored.items() if name in tables}


def _clear(con, keep: set[str]) -> None:
    """Empty a copied marts database of everything but the marts in `keep`: the others, the meta tables, the
    macros (created again, as by any build)."""
    for (name,) in con.execute("select table_name from duckdb_tables() "
                               "where database_name = current_database() and not internal").fetchall():
        if name not in keep:
            con.execute(f'drop table "{name}"')
    for (name,) in con.execute("select view_name from duckdb_views() "
                               "where database_name = current_database() and not internal").fetchall():
        con.execute(f'drop view "{name}"')
    for name, kind in con.execute("select distinct function_name, function_type from duckdb_functions() "
                                  "where database_name = current_database() and not internal "
                                  "and function_type in ('macro', 'table_macro')").fetchall():
        con.execute(f"drop macro {'table ' if kind == 'table_macro' else ''}\"{name}\"")


def _write_marts(entries: list[dict], database: Path, say, previous: list[Path] = ()) -> list[str]:
    """Build every mart from `entries` into `database` and run the checks; raise BuildError on failure.

    A mart whose key (mart_keys) is the one recorded for it in a `previous` database is copied from there
    rather than computed again; the checks always run on the whole result. Returns the marts computed."""
    keys = mart_keys(entries)
    # Which marts each earlier database holds as they would be computed now. The database holding the most is
    # copied as a file (its unchanged marts stay as they are, with no rows read or written); the marts found
    # only in another one are copied from it table by table.
    found = {}
    for candidate in previous:
        same = {name for name, key in _stored_keys(candidate).items() if keys.get(name) == key}
        if same:
            found[candidate] = same
    base = max(found, key=lambda candidate: len(found[candidate]), default=None)
    kept: set[str] = set()
    if base is not None:
        try:
            shutil.copyfile(base, database)
            # What the copy holds (the file may have been replaced since it was looked at).
            kept = {name for name, key in _stored_keys(database).items() if keys.get(name) == key}
        except OSError:
            database.unlink(missing_ok=True)
            base = None
    con = duckdb.connect(str(database))
    try:
        if base is not None:
            _clear(con, kept)
            con.execute("checkpoint")  # the blocks of what was dropped are free for what is written next
        con.execute("set enable_progress_bar = false")  # build prints its own progress
        say("[1/4] Lecture des fichiers bruts")
        _load_raw(con, entries, say)
        sectors, rules = load_sectors()
        con.register("sectors_frame", sectors)
        con.register("rules_frame", rules)
        con.execute("create table seed_sectors as select * from sectors_frame")
        con.execute("create table seed_sector_rules as select * from rules_frame")
        con.execute("create table seed_naf_a38 as select * from read_csv(?, all_varchar = true, header = true)",
                    [str(paths.NAF_A38_CSV)])
        con.register("lists_frame", load_all_commune_lists())
        con.execute("create table seed_commune_lists as select distinct * from lists_frame")

        copied: dict[str, str] = {}  # mart -> the attached database it is copied from
        for number, (other, marts) in enumerate(found.items()):
            wanted = marts - kept - copied.keys()
            if other != base and wanted:
                try:
                    con.execute(f"attach {_literal(str(other))} as previous_{number} (read_only)")
                    stored = dict(con.execute(f"select mart, inputs_key from previous_{number}.meta_marts").fetchall())
                except duckdb.Error:  # gone or locked since: its marts are computed
                    continue
                # What the attached file holds (it may have been replaced since it was looked at).
                copied.update(dict.fromkeys((name for name in wanted if stored.get(name) == keys[name]),
                                            f"previous_{number}"))
        reusable = kept | copied.keys()
        rebuilt = [name for name in MARTS if name not in reusable]
        say(f"[2/4] Mise en forme et marts ({len(rebuilt)} à calculer, {len(reusable)} repris tels quels)"
            if reusable else "[2/4] Mise en forme et marts")
        con.execute((paths.SQL_DIR / "macros.sql").read_text(encoding="utf-8"))
        geometry.register(con)  # geo_union, geo_dissolve: the shape marts' Python functions
        # stg_<source>__<entity>.sql: the models of the registered sources (test_conventions checks that
        # no staging file is left without its source).
        staging = [sql for sql in sorted((paths.SQL_DIR / "staging").glob("stg_*__*.sql"))
                   if sql.stem[4:].split("__")[0] in SOURCES]
        for sql in staging:
            con.execute(f"create view {sql.stem} as {sql.read_text(encoding='utf-8')}")
        pending = macros_of("table_macros.sql")
        for name in MARTS:
            if name in kept:  # the same inputs and code: the same content, already in the copied file
                continue
            if name in copied:
                con.execute(f"create table {name} as select * from {copied[name]}.{name}")
            else:
                for macro in _called(_references(mart_sql(name)), pending):  # in file order: callees first
                    con.execute(pending.pop(macro))
                con.execute(f"create table {name} as {mart_sql(name)}")
        for alias in sorted(set(copied.values())):
            con.execute(f"detach {alias}")

        say("[3/4] Contrôles")
        failures = _check(con)
        if failures:
            raise BuildError("contrôles échoués :\n  " + "\n  ".join(failures))

        sources = pd.DataFrame([{key: entry[key] for key in (
            "source", "publisher", "title", "licence", "url", "origin", "period", "retrieved_at", "sha256",
            "bytes", "demo")} for entry in entries])
        con.register("sources_frame", sources)
        con.execute("create table meta_sources as select * from sources_frame")
        # Every registered source, loaded or not, and how it is loaded: what pages and reports say of a source
        # without a file ("non chargé", and how to load it), its release calendar and caveats (the monthly note's
        # "next publication" and "Avertissements"), without reading the source modules themselves.
        catalog = pd.DataFrame([source.catalog_row() | {"sort_order": order}
                                for order, source in enumerate(SOURCES.values())])
        con.register("catalog_frame", catalog)
        # Typed here: a column of lists is inferred from its values, and every source may have none.
        con.execute("create table meta_source_catalog as select * replace (releases::varchar[] as releases, "
                    "caveats::struct(since varchar, text varchar, about varchar)[] as caveats) from catalog_frame")
        # The demo files left out, and why: the Sources page reads the marts only.
        con.execute("create table meta_set_aside (source varchar, title varchar, period varchar, path varchar, "
                    "reason varchar)")
        set_aside = [[entry["source"], entry["title"], entry["period"], entry["path"], raw.DEMO_SET_ASIDE_REASON]
                     for entry in raw.set_aside(entries)]
        if set_aside:
            con.executemany("insert into meta_set_aside values (?, ?, ?, ?, ?)", set_aside)
        con.execute("create table meta_build as select current_timestamp as built_at, ? as inputs_key, "
                    "? as code_version", [inputs_key(entries), code_version()])
        # Each mart's key, so that a later build copies what it would compute the same; and whether this
        # build computed it (false: copied from an earlier database built from the same inputs).
        con.execute("create table meta_marts (mart varchar, inputs_key varchar, rebuilt boolean)")
        con.executemany("insert into meta_marts values (?, ?, ?)",
                        [[name, keys[name], name not in reusable] for name in MARTS])
        for sql in staging:
            con.execute(f"drop view {sql.stem}")
        for name in SOURCES:
            con.execute(f"drop view raw_{name}")
            con.execute(f"drop table empty_{name}")
        for table in ("seed_sectors", "seed_sector_rules", "seed_naf_a38", "seed_commune_lists"):
            con.execute(f"drop table {table}")
        geometry.unregister(con)
        con.execute("checkpoint")
    finally:
        con.close()
    return rebuilt


# A database being built (by `build` or an import's trial): marts.<random>.building.duckdb, beside its
# write-ahead log (.wal) and DuckDB's spill folder (.tmp) while it is open.
SCRATCH_PREFIX, SCRATCH_SUFFIX = "marts.", ".building.duckdb"


def _scratch_database() -> Path:
    paths.MARTS_DIR.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=paths.MARTS_DIR, prefix=SCRATCH_PREFIX, suffix=SCRATCH_SUFFIX)
    os.close(handle)
    os.unlink(name)  # DuckDB creates the file itself
    return Path(name)


def scratch_files() -> list[Path]:
    """What builds killed mid-way (kill -9, power cut) left in the marts folder: their databases (with write-ahead
    log and spill folder) and partial parses. A live build owns its own: call this under the data lock only
    (pipelines/datalock.py), when no build can be running."""
    return sorted([*paths.MARTS_DIR.glob(f"{SCRATCH_PREFIX}*{SCRATCH_SUFFIX}*"), *parsed.partial_files()])


def _candidate() -> Path:
    return paths.MARTS_DIR / "candidate.duckdb"


def _previous() -> list[Path]:
    """The databases a build may copy unchanged marts from: the import's last checked trial, the marts in
    service (mart_keys tell which of their marts are still what this build would compute)."""
    return [_candidate(), paths.MARTS_DB]


def trial(entries: list[dict]) -> None:
    """Build `entries` into a scratch database: raises BuildError if a check fails.

    `import` runs this before accepting a file, so a file that would break the build is refused while
    everything already loaded stays as it was. The checked database is kept as the candidate that the
    next `build` swaps in, if its inputs are still the same by then. Only the marts whose inputs changed are
    computed: the others are copied from the last trial or the marts in service (see _write_marts)."""
    _verify_files(entries)
    scratch = _scratch_database()
    try:
        _write_marts(entries, scratch, say=lambda message: None, previous=_previous())
        os.replace(scratch, _candidate())
    finally:
        scratch.unlink(missing_ok=True)


def _read(database: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _checked_candidate(entries: list[dict]) -> Path | None:
    """The database `import` already built and checked from exactly these inputs, if there is one."""
    candidate = _candidate()
    if not candidate.exists():
        return None
    try:
        key = _read(candidate, "select inputs_key from meta_build")[0][0]
    except duckdb.Error:
        return None
    return candidate if key == inputs_key(entries) else None


def up_to_date() -> bool:
    """Whether the current marts were built from exactly the raw files and the code there are now
    (after a `git pull` that changed a model, they are not)."""
    if not paths.MARTS_DB.exists():
        return False
    try:
        key = _read(paths.MARTS_DB, "select inputs_key from meta_build")[0][0]
    except duckdb.Error:
        return False
    return key == inputs_key(raw.entries_for_build())


def of_this_code() -> bool:
    """Whether the marts in service were built by this code version (whatever their raw files): the pages can
    read them while a newer build waits."""
    try:
        return _read(paths.MARTS_DB, "select code_version from meta_build")[0][0] == code_version()
    except (duckdb.Error, OSError):  # no marts, or marts of a version without this column
        return False


def build(say=print) -> BuildResult:
    """Rebuild the marts from data/raw/ and swap them in only if every check passed."""
    started = time.perf_counter()
    entries = raw.entries_for_build()
    _verify_files(entries)
    building = _scratch_database()
    try:
        candidate = _checked_candidate(entries)
        if candidate is not None:
            say("[1/2] Marts déjà construits et contrôlés par l'import")
            os.replace(candidate, building)
        else:
            _write_marts(entries, building, say, previous=_previous())
        _candidate().unlink(missing_ok=True)
        con = duckdb.connect(str(building), read_only=True)
        try:
            rows = {name: con.execute(f"select count(*) from {name}").fetchall()[0][0] for name in MARTS}
            unmapped = [row[0] for row in con.execute(
                "select metier_code from audit_unmapped_metiers order by 1").fetchall()]
            orphans = [f"{code} ({year})" for year, code in con.execute(
                "select year, bassin_code from audit_bassins_without_communes order by 1, 2").fetchall()]
            unknown = [f"{code} ({commune})" for code, commune in con.execute(
                "select list_code, commune_code from audit_unknown_list_communes order by 1, 2").fetchall()]
            rebuilt = [row[0] for row in con.execute("select mart from meta_marts where rebuilt").fetchall()]
            unmatched_geometry = [row[0] for row in con.execute("""select geometry_code from bridge_geometry_commune
                where mapping = 'sans correspondance' order by 1""").fetchall()]
        finally:
            con.close()
        say("[4/4] Remplacement atomique" if candidate is None else "[2/2] Remplacement atomique")
        os.replace(building, paths.MARTS_DB)
        parsed.prune([(SOURCES[entry["source"]], entry["sha256"]) for entry in entries])
    finally:
        building.unlink(missing_ok=True)
    return BuildResult(
        path=str(paths.MARTS_DB),
        seconds=time.perf_counter() - started,
        rows=rows,
        unmapped_metiers=unmapped,
        bassins_without_communes=orphans,
        unknown_list_communes=unknown,
        unmatched_geometry_communes=unmatched_geometry,
        demo_sources=sorted({entry["source"] for entry in entries if entry["demo"]}),
        set_aside=sorted({entry["source"] for entry in raw.set_aside(entries)}),
        not_loaded=[name for name in SOURCES if name not in {entry["source"] for entry in entries}],
        rebuilt=rebuilt,
    )
