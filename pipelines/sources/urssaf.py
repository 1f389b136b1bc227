"""URSSAF établissements employeurs and effectifs salariés by commune × APE, one column pair per year.

read() returns, read by DuckDB, one row per commune × APE (or département, région or France × APE for the
server's aggregates), its published years nested in `values`.
Notes (layouts, quirks, what was verified): docs/sources/urssaf.md
"""

import csv
import functools
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path

import duckdb

from pipelines.errors import InputError
from pipelines.sources.protocol import FetchRequest, RawTable
from pipelines.sources.readers import (
    CODE_PATTERNS,
    COUNT_LIMITS,
    check_row_widths,
    count_problem,
    csv_header,
    decode_text,
    is_utf8,
    match_columns,
    normalise_label,
    refuse_conflicting_duplicates,
    sniff_delimiter,
)

NAME = "urssaf"
PUBLISHER = "Urssaf"
TITLE = "Établissements employeurs et effectifs salariés par commune et APE (fin d'année)"
LICENCE = "Licence Ouverte / Open Licence v2.0 (Etalab)"
URL = ("https://open.urssaf.fr/explore/dataset/"
       "etablissements-et-effectifs-salaries-au-niveau-commune-x-ape-last/")
KIND = "csv"

# Release calendar: the yearly commune × APE dataset gains its new year (employment at 31 December) around June
# (DESIGN.md, the dataset's past updates): an estimate, URSSAF announces no date for this open-data file.
RELEASES = ("06-30",)
RELEASE_NOTE = ""
CAVEATS = (
    {"since": "2023", "text": "Les apprentis sont comptés dans les effectifs salariés à partir de 2023 : rupture de "
                              "série, une évolution qui enjambe 2023 n'est pas comparable."},
    {"since": "", "text": "Régime général seulement : les employeurs agricoles relèvent de la MSA, l'agriculture est "
                          "donc très peu couverte."},
)

COLUMNS = {
    "commune_code": r"code commune",
    "ape_code": r"code ape",
    "ze_code": r"code zone d.?emploi",
    "epci_code": r"code epci",
    "dept_code": r"code departement",
    "region_code": r"code region",
}
# The level of a file, from the finest code column it has, and the columns it must then have.
LEVELS = {
    "commune": ["commune_code", "ape_code", "dept_code", "region_code"],
    "departement": ["dept_code", "ape_code"],
    "region": ["region_code", "ape_code"],
    "france": ["ape_code"],
}
LEVEL_SCOPES = {"departement": "départements (agrégat Urssaf)", "region": "régions (agrégat Urssaf)",
                "france": "France (agrégat Urssaf)"}
YEAR_COLUMNS = {
    "establishments": re.compile(r"nombre d.?etablissements ([0-9]{4})"),
    "employees": re.compile(r"effectifs salaries ([0-9]{4})"),
}
FIELDS = [*COLUMNS, "level", "values"]
# A count as DuckDB casts it to an integer: ASCII digits, a sign, a decimal part or an exponent.
ASCII_NUMBER = re.compile(r"[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?")
# The columns of each CSV layout read here (pattern on the normalised label): the importer names those a
# file lacks when its header holds most of them.
CSV_LAYOUTS = {level: {**{name: COLUMNS[name] for name in names},
                        **{measure: pattern.pattern for measure, pattern in YEAR_COLUMNS.items()}}
               for level, names in LEVELS.items()}
# Each yearly vintage repeats every year since 2006: a new file replaces the older one of its scope.
REPLACE_WHOLE_HISTORY = True
# Counts are typed and nested when read: a national export has ~20 million values.
TYPES = {"values": "struct(year integer, establishments integer, employees integer)[]"}


DATASET_URL = ("https://open.urssaf.fr/api/explore/v2.1/catalog/datasets/"
               "etablissements-et-effectifs-salaries-au-niveau-commune-x-ape-last")
EXPORT_URL = DATASET_URL + "/exports/csv"
# The server-side aggregates go to the same endpoint; kept apart so that tests can tell them apart.
AGGREGATE_URL = EXPORT_URL


def fetch_requests(departements: list[str]) -> list[FetchRequest]:
    """The communes of these départements, filtered by the server (exports endpoint: no 10,000-row cap),
    then every région and France summed by APE on the server, for complete comparison totals."""
    where = " or ".join(f'code_departement="{code}"' for code in departements)
    schema: dict[str, tuple[str, ...]] = {}  # the year columns, asked once per fetch by the first part needing them
    requests = [FetchRequest(EXPORT_URL, {"where": where, "delimiter": ";"},
                             f"urssaf_commune_ape_{'-'.join(departements)}.csv", "csv", "communes")]
    for keys, name, part in ((["code_region", "code_ape"], "urssaf_region_ape.csv", "régions"),
                             (["code_ape"], "urssaf_france_ape.csv", "France")):
        requests.append(FetchRequest(AGGREGATE_URL, functools.partial(_aggregate_params, keys, schema), name,
                                     "csv", part))
    return requests


def _aggregate_params(keys: list[str], schema: dict, get_json) -> dict:
    """Sum every year column by `keys` on the server. The year columns come from the dataset's schema
    (a new year appears each June), asked when this part is fetched: if that fails, only the sums fail.
    get_json(url): fetch's own request (with its retries reported), as FetchRequest.params says."""
    if "years" not in schema:
        schema["years"] = _year_fields(get_json)
    select = ", ".join([*keys, *(f"sum({column}) as {column}" for column in schema["years"])])
    return {"select": select, "group_by": ", ".join(keys), "delimiter": ";"}


def _year_fields(get_json) -> tuple[str, ...]:
    fields = [field["name"] for field in get_json(DATASET_URL).get("fields", [])]
    sums = tuple(name for name in fields
                 if re.fullmatch(r"(nombre_d_etablissements|effectifs_salaries)_[0-9]{4}", name))
    if not sums:
        raise InputError(DATASET_URL, "aucune colonne annuelle dans le schéma du jeu de données")
    return sums


def recognise(path: Path) -> bool:
    labels = [normalise_label(h) for h in csv_header(path)]
    return "code ape" in labels and any(YEAR_COLUMNS["employees"].fullmatch(label) for label in labels)


def _year_columns(header: list[str], path: Path) -> dict[int, dict[str, int]]:
    years: dict[int, dict[str, int]] = {}
    for position, label in enumerate(normalise_label(h) for h in header):
        for measure, pattern in YEAR_COLUMNS.items():
            match = pattern.fullmatch(label)
            if match:
                years.setdefault(int(match.group(1)), {})[measure] = position
    incomplete = sorted(year for year, measures in years.items() if len(measures) != 2)
    if not years or incomplete:
        raise InputError(path, f"colonnes par année absentes ou incomplètes {incomplete or ''}")
    return years


def read(path: Path) -> RawTable:
    header = csv_header(path)
    if not header:
        decode_text(path)  # raises the encoding error
    found = match_columns(header, COLUMNS, path, [])
    # A commune export whose commune column was renamed must not pass for an aggregate: it still has
    # the codes that only communes have (zone d'emploi, EPCI).
    commune_only = {"commune_code", "ze_code", "epci_code"}
    level = next(level for level, required in LEVELS.items()
                 if (commune_only if level == "commune" else {required[0]}) & found.keys() or level == "france")
    columns = match_columns(header, COLUMNS, path, LEVELS[level])
    years = _year_columns(header, path)
    con = duckdb.connect()
    fixed = ", ".join(f"trim(c{position}) as {name}" for name, position in columns.items())
    missing = "".join(f", null::varchar as {name}" for name in COLUMNS if name not in columns)
    pairs = ", ".join(f"{{'year': {year}, 'establishments': c{cols['establishments']}::integer, "
                      f"'employees': c{cols['employees']}::integer}}" for year, cols in sorted(years.items()))
    # One row per commune × APE, its published years in a list (empty = not published): the wide
    # layout made explicit without multiplying rows by twenty. Read in one pass; only a file whose
    # counts do not cast is scanned again, to name the faulty value.
    nest = f"""create table by_commune_ape as
        select {fixed}{missing},
            '{level}' as level,
            list_filter([{pairs}], lambda v: v.establishments is not null or v.employees is not null) as "values"
        from wide"""
    checks = _cell_checks(columns, years)
    try:
        _read_csv(con, Path(path), len(header), nest)
    except duckdb.ConversionException as error:  # a count that is no integer, or beyond the INTEGER type
        _refuse_first_bad_cell(path, header, checks)
        raise _unreadable(path, error) from error
    except duckdb.Error as error:
        raise _unreadable(path, error) from error
    if _has_bad_cells(con, columns):
        _refuse_first_bad_cell(path, header, checks)
    if len({normalise_label(label) for label in header}) < len(header):  # a column twice: the same values?
        with _body_rows(path) as rows:
            refuse_conflicting_duplicates(path, header, rows, first_row=2)
    keys = LEVELS[level][:2] if level != "france" else ["ape_code"]
    counts = con.execute(f"""select sum(len("values")),
        count(*) filter (where {' or '.join(f'{key} is null' for key in keys)}) from by_commune_ape""").fetchall()[0]
    if not counts[0]:
        raise InputError(path, "aucune valeur publiée (export vide ?)")
    if counts[1]:
        what = " ou ".join({"commune_code": "commune", "dept_code": "département", "region_code": "région",
                             "ape_code": "APE"}[key] for key in keys)
        raise InputError(path, f"code {what} vide")
    if level != "commune":
        scope = LEVEL_SCOPES[level]
    else:
        departements = [row[0] for row in con.execute(
            "select distinct dept_code from by_commune_ape where dept_code is not null order by 1").fetchall()]
        scope = "dép. " + ", ".join(departements) if len(departements) <= 12 else f"{len(departements)} départements"
    return RawTable(frame=con.table("by_commune_ape").select(", ".join(f'"{f}"' for f in FIELDS)),
                    period=f"{min(years)}-{max(years)}", scope=scope)


def _read_csv(con, path: Path, width: int, statement: str) -> None:
    """Run `statement`, in which the view `wide` is the CSV as text columns c0, c1...; a Windows-1252
    export is transcoded to UTF-8 first (DuckDB reads UTF-8 only).

    A file DuckDB cannot parse is explained from the file itself: its encoding, then its first row of
    another width. DuckDB's own message names the transcoded copy and lists reader options: shown only
    when the file gives no better reason."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        delimiter = sniff_delimiter(handle.readline())

    def run(file: str) -> None:
        con.read_csv(file, delimiter=delimiter, header=True, all_varchar=True, quotechar='"',
                     names=[f"c{i}" for i in range(width)]).create_view("wide")
        con.execute(statement)

    try:
        run(str(path))
        return
    except duckdb.InvalidInputException as error:
        failure = str(error)
    utf8 = is_utf8(path)  # looked at on failure only: a national export is 140 MB
    if not utf8:
        with tempfile.NamedTemporaryFile("w", suffix=".csv", encoding="utf-8") as transcoded:
            transcoded.write(decode_text(path))  # refuses what is neither UTF-8 nor Windows-1252
            transcoded.flush()
            try:
                run(transcoded.name)
                return
            except duckdb.InvalidInputException as error:
                failure = str(error).replace(transcoded.name, str(path))
    check_row_widths(path, "utf-8-sig" if utf8 else "cp1252")
    raise _unreadable(path, failure)


def _unreadable(path: Path, error) -> InputError:
    # DuckDB's message, in neither language, is given once (not in both) and cut to its first line: the
    # rest lists reader options, of no use to the user.
    return InputError(path, "CSV illisible", details=str(error).splitlines()[0])


def _cell_checks(columns: dict[str, int], years: dict[int, dict[str, int]]) -> dict:
    """{column position: the problem of a cell's text, or None}: the counts (numbers within COUNT_LIMITS) and
    the territory codes (CODE_PATTERNS) of the file."""
    checks = {position: _count_cell_problem for measures in years.values() for position in measures.values()}
    for name, position in columns.items():
        if name in CODE_PATTERNS:
            pattern, what = CODE_PATTERNS[name]
            checks[position] = functools.partial(_code_cell_problem, re.compile(pattern), f"{what} invalide")
    return checks


def _count_cell_problem(text: str) -> str | None:
    if not ASCII_NUMBER.fullmatch(text):  # float() would take "３５" or "٣٥", other digits than DuckDB's
        return "valeur non numérique"
    value = float(text)
    return count_problem(value, COUNT_LIMITS[NAME]) or (None if value.is_integer() else "nombre non entier")


def _code_cell_problem(pattern: re.Pattern, problem: str, text: str) -> str | None:
    return None if pattern.fullmatch(text) else problem


def _has_bad_cells(con, columns: dict[str, int]) -> bool:
    """Whether the table read holds a count out of range or a malformed territory code (then the file is scanned
    for the first one, to name its line)."""
    limit = COUNT_LIMITS[NAME]
    codes = [f"({name} is not null and not regexp_full_match({name}, '{CODE_PATTERNS[name][0]}'))"
             for name in columns if name in CODE_PATTERNS]
    counts = f"""exists (select 1 from (select unnest("values") as v from by_commune_ape)
        where v.establishments not between 0 and {limit} or v.employees not between 0 and {limit})"""
    return con.execute(f"select {counts} or exists (select 1 from by_commune_ape where "
                       f"{' or '.join(codes) or 'false'})").fetchall()[0][0]


def _refuse_first_bad_cell(path: Path, header: list[str], checks: dict) -> None:
    """Raise an InputError naming the first cell (line, column, value) one of `checks` finds a problem with,
    reading the file as a stream (DuckDB's tables have no line numbers)."""
    with _body_rows(path) as reader:
        for row in reader:
            for position, check in checks.items():
                text = row[position].strip() if position < len(row) else ""
                problem = check(text) if text else None
                if problem:
                    raise InputError(path, f"{problem} « {text} » dans la colonne « {header[position]} » "
                                           f"(ligne {reader.line_num + 1})")
    # DuckDB found a bad cell that this scan does not: never accepted for that (the two checks must agree).
    raise InputError(path, "valeur invalide (nombre hors limites ou code de territoire mal formé)")


@contextmanager
def _body_rows(path: Path):
    """The rows after the header, as csv.reader reads them (reader.line_num + 1: a row's line in the file), the file
    decoded as read: UTF-8, else Windows-1252 (a byte neither is, replaced: the file was decoded once already)."""
    with open(path, encoding="utf-8-sig" if is_utf8(path) else "cp1252", errors="replace", newline="") as handle:
        yield csv.reader(handle, delimiter=sniff_delimiter(handle.readline()))
