"""Reading publisher files at the edge: encodings, workbooks, header matching by pattern."""

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import python_calamine

from pipelines.errors import InputError, system_problem
from pipelines.frformat import fmt_count, fmt_size

CSV_ENCODINGS = ("utf-8-sig", "cp1252")
# The longest field a CSV may hold (the csv module's own limit): no publisher's cell comes near it; a longer one
# is a file that is not CSV, or a quote left open that swallows the rest of the file.
CSV_FIELD_LIMIT = 128 * 1024
# Never in a table's text: C0 controls but tab and line breaks, DEL, C1 controls (escape sequences for a terminal).
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# A multi-byte UTF-8 character (RFC 3629). In a file that is not valid UTF-8 as a whole, one of these means a
# UTF-8 file with a stray byte (or two files pasted together): decoding it all as Windows-1252 would garble every
# accented letter (« Ã© » for « é »). A genuine Windows-1252 file practically never holds one.
UTF8_CHARACTER = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
                            rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
                            rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}")
# The most a workbook (or the workbook inside a zip) may decompress to. The largest real file, the national BMO
# workbook, is 26 MiB uncompressed; a "zip bomb" of a few MB declaring gigabytes is refused before it is read.
UNZIPPED_LIMIT = 256 * 1024 * 1024


class ArchiveError(InputError):
    """A zip (or xlsx) that cannot be unpacked safely: damaged, or decompressing beyond UNZIPPED_LIMIT."""


def decode_text(path: Path) -> str:
    """Decode a CSV as UTF-8 (with or without BOM), else cp1252; anything else is refused."""
    return _decode(Path(path).read_bytes(), path)


def _decode(data: bytes, path: Path) -> str:
    if b"\x00" in data[:4096]:
        raise InputError(
            path,
            "encodage non reconnu (UTF-16 ou fichier binaire) ; attendu UTF-8 ou Windows-1252",
        )
    not_utf8 = None
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as error:
            not_utf8 = not_utf8 or error
            continue
        # cp1252 decodes almost anything; control characters betray a wrong guess.
        control = CONTROL_CHARACTER.search(text)
        if not control:
            if not_utf8 is not None:
                _refuse_mixed_encodings(data, not_utf8, path)
            return text
        if not_utf8 is None:  # valid UTF-8 holding a control character: a damaged or non-table file, not an encoding
            line = text.count("\n", 0, control.start()) + 1
            raise InputError(path, f"caractère de contrôle U+{ord(control.group()):04X} ligne {line} : un tableau CSV "
                                   "n'en contient pas (fichier endommagé ou qui n'est pas un tableau)")
    raise InputError(
        path,
        "encodage non reconnu ; attendu UTF-8 ou Windows-1252",
    )


def _refuse_mixed_encodings(data: bytes, error: UnicodeDecodeError, path: Path) -> None:
    """Refuse a file that is not UTF-8 as a whole yet holds UTF-8 characters (see UTF8_CHARACTER), naming the
    line of the first byte that is not UTF-8."""
    count, examples = 0, []  # counted, not listed: a big file may hold millions of them
    for match in UTF8_CHARACTER.finditer(data):
        count += 1
        if len(examples) < 4 and (character := match.group().decode()) not in examples:
            examples.append(character)
    if not count:
        return
    line = data.count(b"\n", 0, error.start) + 1
    shown = ", ".join(examples[:3]) + ("…" if len(examples) > 3 else "")
    encoded = fmt_count(count, "caractère accentué ou spécial écrit", "caractères accentués ou spéciaux écrits")
    raise InputError(path, f"encodages mélangés : ligne {line}, octet 0x{data[error.start]:02X} invalide en UTF-8, "
                           f"alors que le fichier contient {encoded} en UTF-8 ({shown}) ; le lire en "
                           "Windows-1252 déformerait ces caractères : réenregistrez-le en UTF-8")


def sniff_delimiter(first_line: str) -> str:
    return max(",;\t", key=first_line.count)


def read_csv_rows(path: Path) -> list[list[str]]:
    """All rows of a delimited text file (delimiter sniffed among , ; and tab), each as wide as the header."""
    return csv_rows_of_text(decode_text(path), path)


def csv_rows_of_text(text: str, path: Path) -> list[list[str]]:
    """read_csv_rows on a file's text already decoded (by a source that decodes its own quirks)."""
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text.split("\n", 1)[0]))
    rows = list(_as_wide_as_header(_csv_rows(rows, path), path))
    if rows:
        refuse_conflicting_duplicates(path, rows[0], rows[1:], first_row=2)
    return rows


def _csv_rows(reader, path: Path):
    """The rows of a csv.reader; a field beyond CSV_FIELD_LIMIT refused with its line (the reader's own error)."""
    try:
        yield from reader
    except csv.Error:
        raise InputError(path, f"ligne {reader.line_num} : champ de plus de {fmt_size(CSV_FIELD_LIMIT)} ou CSV "
                               "mal formé (guillemet non fermé ? ce fichier est-il un CSV ?)") from None


def check_row_widths(path: Path, encoding: str) -> None:
    """Refuse the first row of a delimited text file whose width differs from the header's, reading it as a
    stream (a national export is 140 MB): why a file a CSV parser gave up on is damaged, in the user's words."""
    with open(path, encoding=encoding, errors="replace", newline="") as handle:
        delimiter = sniff_delimiter(handle.readline())
        handle.seek(0)
        for _ in _as_wide_as_header(_csv_rows(csv.reader(handle, delimiter=delimiter), path), path):
            pass


def _as_wide_as_header(rows, path: Path):
    """The non-blank rows, the header first; a row of another width means a damaged file: truncated
    mid-row, or a stray delimiter."""
    width = None
    for number, row in enumerate((row for row in rows if any(row)), start=1):
        width = len(row) if width is None else width
        if len(row) != width:
            raise InputError(
                path,
                f"ligne {number} : {fmt_count(len(row), 'champ')} au lieu de {width} (fichier tronqué ou mal "
                "délimité ?)",
            )
        yield row


def is_utf8(path: Path) -> bool:
    """Whether a whole file is UTF-8, read in blocks. A character cut by the end of the file (a truncated
    download) still counts as UTF-8, so that the cut is reported as such rather than as an encoding."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as handle:
        try:
            for block in iter(lambda: handle.read(1 << 20), b""):
                decoder.decode(block)
        except UnicodeDecodeError:
            return False
    return True


def csv_header(path: Path) -> list[str]:
    """The header of a CSV, or [] if the file is not readable text (used to recognise files).

    Only the first line is read: every source's `recognise` calls this, and a national URSSAF export is
    140 MB. The whole file's encoding is checked when it is read."""
    with open(path, "rb") as handle:
        first_line = handle.readline(1 << 20)
    try:
        text = _decode(first_line, path)
    except InputError:
        return []
    first_line = text.rstrip("\r\n")
    try:
        return next(csv.reader([first_line], delimiter=sniff_delimiter(first_line)), [])
    except csv.Error:  # a field beyond CSV_FIELD_LIMIT: no header (the importer says how long the line is)
        return []


FIRST_LINE_READ = 1 << 20  # bytes of a first line read to measure it; a longer one is "plus de" that


def first_line_length(path: Path) -> int:
    """The length in bytes of a file's first line, up to FIRST_LINE_READ + 1 (longer: said as "plus de"): why a
    text file has no readable header."""
    with open(path, "rb") as handle:
        return len(handle.readline(FIRST_LINE_READ + 1).rstrip(b"\r\n"))


def zipped_workbook(path: Path) -> tuple[str, bytes] | None:
    """(name, bytes) of the one workbook inside a zip archive, as some publishers ship them (Insee's
    ZE2020_au_01-01-2026.zip holds ZE2020_au_01-01-2026.xlsx); None when the file is not such an archive.
    An xlsx is a zip too: it is told apart by its [Content_Types].xml member. The member is read at most up to
    UNZIPPED_LIMIT (see _unzipped)."""
    if not zipfile.is_zipfile(path):
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" in names:
                return None
            workbooks = [name for name in names if name.lower().endswith((".xlsx", ".xls"))
                         and not name.startswith("__MACOSX/") and not name.rsplit("/", 1)[-1].startswith("~$")]
            if len(workbooks) != 1:
                return None
            return workbooks[0], _unzipped(archive, workbooks[0], path)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:  # a damaged member (CRC error, cut short)
        # errno: the system's words, in French; zipfile's own messages ("Bad CRC-32…") are English: said in ours.
        cause = system_problem(exc) if isinstance(exc, OSError) and exc.errno else \
            "données compressées endommagées ou coupées"
        raise ArchiveError(path, f"archive zip illisible (tronquée ou endommagée ?) : {cause}") from exc


def _too_large(path: Path, name: str, size: int) -> ArchiveError:
    return ArchiveError(path, f"« {name} » se décompresse en plus de {fmt_size(size)} (limite "
                            f"{fmt_size(UNZIPPED_LIMIT)}) : archive piégée (« bombe zip ») ou pas un fichier d'éditeur")


def _unzipped(archive: zipfile.ZipFile, name: str, path: Path) -> bytes:
    """A member's bytes, refused beyond UNZIPPED_LIMIT: by its declared size first, then while reading (a
    declared size may lie), so that no more than the limit is ever decompressed."""
    declared = archive.getinfo(name).file_size
    if declared > UNZIPPED_LIMIT:
        raise _too_large(path, name, declared)
    chunks, total = [], 0
    with archive.open(name) as member:
        for chunk in iter(lambda: member.read(1 << 20), b""):
            total += len(chunk)
            if total > UNZIPPED_LIMIT:
                raise _too_large(path, name, total)
            chunks.append(chunk)
    return b"".join(chunks)


def _check_workbook_size(source, path: Path) -> None:
    """Refuse a workbook (a zip of XML parts) whose parts declare more than UNZIPPED_LIMIT in all, before the
    spreadsheet reader decompresses them. A file that is no zip (an old .xls) is left to the reader."""
    try:
        with zipfile.ZipFile(source) as workbook:
            total = sum(info.file_size for info in workbook.infolist())
    except (zipfile.BadZipFile, OSError, EOFError):
        return
    if total > UNZIPPED_LIMIT:
        raise _too_large(path, Path(path).name, total)


def open_workbook(path: Path) -> python_calamine.CalamineWorkbook:
    """The workbook of a file (an xlsx or xls, or the one workbook inside a zip), opened once per content: every
    source's `recognise` and then `read` ask for it (cached by path, size and modification time)."""
    try:
        status = Path(path).stat()
    except OSError as exc:
        raise InputError(path, f"fichier illisible : {system_problem(exc)}") from exc
    opened = _open_workbook(str(path), status.st_size, status.st_mtime_ns)
    if isinstance(opened, InputError):
        raise opened.with_traceback(None)  # the cached refusal, raised afresh each time
    return opened


@lru_cache(maxsize=2)
def _open_workbook(path: str, size: int, modified: int) -> python_calamine.CalamineWorkbook | InputError:
    """The workbook, or the InputError that refuses it (kept too: a refused file is not read again)."""
    try:
        member = zipped_workbook(Path(path))
        source = io.BytesIO(member[1]) if member is not None else path
        _check_workbook_size(source, Path(path))
        if member is not None:
            source.seek(0)
            return python_calamine.CalamineWorkbook.from_filelike(source)
        return python_calamine.CalamineWorkbook.from_path(path)
    except InputError as error:
        return error
    except Exception:  # calamine raises several types for zip/xml damage
        # Its messages are English and technical ("invalid zip header"…): the French problem is what a user can act on.
        return InputError(path, "classeur illisible : fichier tronqué, endommagé ou qui n'est pas un classeur Excel")


def sheet_names(path: Path) -> list[str]:
    """Sheet names of a workbook, or [] if the file is not a readable workbook. Every source's `recognise`
    asks: the file is opened once (see open_workbook)."""
    try:
        return list(open_workbook(path).sheet_names)
    except InputError:
        return []


def sheet_first_row(path: Path, sheet: str) -> list:
    """The first row of a sheet (its header, in most workbooks), without reading the rest; [] if unreadable."""
    try:
        return list(next(iter(open_workbook(path).get_sheet_by_name(sheet).iter_rows()), []))
    except Exception:  # noqa: BLE001 - calamine raises several types; an unreadable sheet has no header
        return []


def sheet_rows(path: Path, sheet: str) -> list[list]:
    try:
        return open_workbook(path).get_sheet_by_name(sheet).to_python()
    except InputError:
        raise
    except Exception as exc:  # calamine's words are English and technical: the French problem only
        raise InputError(path, f"feuille « {sheet} » illisible : fichier tronqué ou endommagé") from exc


def header_index(rows: list[list], name: str, limit: int = 20) -> int | None:
    """The row of variable names (CODGEO...), found by one of its cells: the number of title rows above it
    may change from one vintage to the next."""
    return next((i for i, row in enumerate(rows[:limit]) if any(str(cell).strip().upper() == name for cell in row)),
                None)


def file_head(path: Path, size: int) -> bytes:
    """The first `size` bytes of a file without its BOM and leading whitespace (b'' when it cannot be read): what a
    JSON source's recognise() looks at."""
    try:
        with open(path, "rb") as handle:
            return handle.read(size).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return b""


def normalise_label(label) -> str:
    """'Code métier BMO ' -> 'code metier bmo': case, accents, spaces and underscores folded."""
    text = unicodedata.normalize("NFKD", str(label)).encode("ascii", "ignore").decode()
    return re.sub(r"[\s_]+", " ", text).strip().lower()


def match_columns(header: list, patterns: dict[str, str], path: Path, required=None) -> dict[str, int]:
    """Map canonical names to column positions by regex on normalised labels.

    Columns are renamed every year by some publishers, so we never rely on positions or on
    one year's spelling. Raises InputError naming the missing columns.
    """
    labels = [normalise_label(h) for h in header]
    found = {}
    for name, pattern in patterns.items():
        for i, label in enumerate(labels):
            if re.fullmatch(pattern, label):
                found[name] = i
                break
    required = patterns.keys() if required is None else required
    missing = [name for name in required if name not in found]
    if missing:
        wanted = describe_columns(missing, patterns)
        raise InputError(
            path,
            f"colonnes manquantes : {wanted} ; colonnes lues : {header}",
        )
    return found


def describe_columns(names, patterns: dict[str, str]) -> str:
    """'bassin_name (/lib bassin bmo/)': columns a file lacks, by name and the labels that would match."""
    return ", ".join(f"{name} (/{patterns[name]}/)" for name in names)


def cell_text(value) -> str | None:
    """A cell as text: 5314.0 -> '5314', '' -> None. Codes and counts stay text until SQL types them."""
    if value is None:
        return None
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    text = str(value).strip()
    return text or None


def frame_from_rows(body: list[list], columns: dict[str, int]) -> pd.DataFrame:
    """Rows of cells -> a frame of text columns under canonical names ('' and blanks become NA)."""
    width = max((len(row) for row in body), default=0)
    if any(len(row) != width for row in body):
        body = [list(row) + [None] * (width - len(row)) for row in body]
    by_position = list(zip(*body, strict=True)) if body else [()] * width
    frame = {}
    for name, position in columns.items():
        values = by_position[position] if position < width else [None] * len(body)
        frame[name] = pd.Series(pd.arrays.ArrowStringArray(_text_array(values)), copy=False)
    return pd.DataFrame(frame, copy=False)


def _text_array(values) -> pa.Array:
    """Cells as an Arrow text array, stripped, '' as null (the string dtype's own .str.strip(), in bulk)."""
    try:  # a column of text cells (and empty ones) is converted as a whole, and so is one of whole numbers
        array = pa.array(values, type=pa.string())
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        array = _whole_numbers_as_text(values)
    if array is None:  # anything else (mixed cells, decimals, dates): each converted as cell_text says
        array = pa.array([v if v.__class__ is str else cell_text(v) for v in values], type=pa.string())
    array = pc.utf8_trim_whitespace(array)
    return pc.if_else(pc.equal(array, ""), pa.scalar(None, pa.string()), array)


def _whole_numbers_as_text(values) -> pa.Array | None:
    """A column of number cells that are all whole (5314.0, NaN or empty) as cell_text writes them ('5314');
    None for any other column."""
    if not all(v.__class__ is float or v is None for v in values):
        return None
    numbers = pa.array(values, type=pa.float64())
    numbers = pc.if_else(pc.is_nan(numbers), pa.scalar(None, pa.float64()), numbers)
    whole = pc.and_(pc.equal(pc.floor(numbers), numbers), pc.less(pc.abs(numbers), 2.0 ** 53))
    if pc.all(whole).as_py() is False:
        return None
    return pc.cast(pc.cast(numbers, pa.int64()), pa.string())


def require_values(frame: pd.DataFrame, columns: list[str], path: Path, first_row: int) -> None:
    """Key columns must be filled on every row; the message names the first empty one (file row number)."""
    for column in columns:
        empty = frame[column].isna().to_numpy()
        if empty.any():
            row_number = int(frame.index[empty.argmax()]) + first_row
            raise InputError(path, f"{column} vide (ligne {row_number})")


# --- Plausible values: territory codes, counts, years, duplicated columns ---------------------------------

# Territory codes as the publishers write them (checked on the real files): INSEE communes of 5 characters,
# Corsica 2A/2B, overseas 971-976 (communes 97xxx); a leading zero lost in a spreadsheet ("1001" for "01001",
# "5" for "05") is put back by staging (pad_code). Bassins BMO and zones d'emploi: 4 digits (3 without the zero).
CODE_PATTERNS = {
    "commune_code": (r"[0-9]{4,5}|2[AB][0-9]{3}", "code commune"),
    "dept_code": (r"[0-9]{1,3}|2[AB]", "code département"),
    "region_code": (r"[0-9]{1,2}", "code région"),
    "bassin_code": (r"[0-9]{3,4}", "code bassin"),
    "ze_code": (r"[0-9]{3,4}", "code zone d'emploi"),
    "epci_code": (r"[0-9]{9}|ZZZZZZZZZ", "code EPCI"),  # a SIREN, or Insee's "no EPCI"
}
# The largest count one row of each source may hold: far above the largest real figure of its kind, far below
# the population of France (68 million), and so below the 2^31 of the INTEGER columns the marts type counts with
# (a count that passes never overflows a build). Counts are never negative.
COUNT_LIMITS = {
    "bmo": 1_000_000,  # projects of one bassin × métier; all France: 2.8 million a year (largest real cell: 8,322)
    "urssaf": 30_000_000,  # employees or establishments of a commune, or France, × APE (France: ~20 million)
    "dares_defm": 10_000_000,  # job seekers of a commune × quarter (all France: about 6 million)
    "urssaf_dpae": 10_000_000,  # hires of a month or quarter, France (real maximum: 832,904 in a month)
    "dares_tensions": 30_000_000,  # employment of a FAP × territory (real maximum: 1.3 million), offers, job seekers
    "france_travail": 10_000_000,  # offers or job seekers of a bassin × ROME
}
# How far ahead a file's year may be: a survey or an export for next year at most (BMO N is published in April N).
YEARS_AHEAD = 1


def check_codes(path: Path, frame: pd.DataFrame, columns, first_row: int) -> None:
    """Refuse the first territory code that does not look like one (CODE_PATTERNS), naming its row (file row
    number: frame index + first_row, as require_values)."""
    for column in columns:
        pattern, what = CODE_PATTERNS[column]
        values = frame[column]
        bad = (values.notna() & ~values.str.fullmatch(pattern).fillna(False)).to_numpy()
        if bad.any():
            position = int(bad.argmax())
            raise InputError(path, f"{what} invalide « {values.iloc[position]} » (ligne "
                                   f"{int(frame.index[position]) + first_row})")


def count_problem(value: float, limit: int) -> str | None:
    """Why a count is impossible (negative, or above the source's limit), or None."""
    if value < 0:
        return "nombre négatif"
    if value > limit:
        return f"nombre trop grand (plus de {limit:,} : aucun territoire français n'en compte autant)".replace(",", " ")
    return None


def check_counts(path: Path, frame: pd.DataFrame, columns: dict[str, str], limit: int, first_row: int) -> None:
    """Refuse the first impossible count (count_problem) of the text `columns` ({column: label in the file}),
    naming the column, the row and the value. Cells that are no number (secrets, blanks) are left to the
    source's own checks."""
    for column, label in columns.items():
        text = frame[column]
        numbers = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce").to_numpy(dtype=float)
        bad = (numbers < 0) | (numbers > limit)
        if bad.any():
            position = int(bad.argmax())
            problem = count_problem(numbers[position], limit)
            raise InputError(path, f"{problem} « {text.iloc[position]} » dans la colonne « {label} » (ligne "
                                   f"{int(frame.index[position]) + first_row})")


def check_year(path: Path, year: int, where: str) -> None:
    """Refuse a year beyond next year (YEARS_AHEAD): a file from the future is a typo or a forgery."""
    latest = date.today().year + YEARS_AHEAD
    if year > latest:
        raise InputError(path, f"année {year} ({where}) : dans le futur (au plus {latest})")


def refuse_conflicting_duplicates(path: Path, header: list, body: list[list], first_row: int) -> None:
    """Refuse a column that appears twice (same label) with different values: which one is meant is unknown.
    Identical copies (a column exported twice) pass."""
    positions: dict[str, list[int]] = {}
    for position, label in enumerate(header):
        if cell_text(label) is not None:
            positions.setdefault(normalise_label(label), []).append(position)
    for where in positions.values():
        if len(where) < 2:
            continue
        for number, row in enumerate(body, start=first_row):
            cells = {cell_text(row[position]) if position < len(row) else None for position in where}
            if len(cells) > 1:
                shown = " et ".join(f"« {cell_text(row[p]) if p < len(row) else ''} »" for p in where)
                raise InputError(path, f"colonne « {header[where[0]]} » en double (colonnes {where[0] + 1} et "
                                       f"{where[1] + 1}) avec des valeurs différentes : ligne {number}, {shown}")


def refuse_two_places(path: Path, frame: pd.DataFrame, key: str, place: str, what: str, first_row: int) -> None:
    """Refuse a `key` (a commune) listed in two different `place`s (bassins) of one file (one zoning)."""
    places = frame.groupby(key)[place].nunique()
    twice = places[places > 1]
    if len(twice):
        code = twice.index[0]
        rows = frame[frame[key] == code].drop_duplicates(place)
        listed = " et ".join(f"{value} (ligne {int(index) + first_row})" for index, value in rows[place].items())
        raise InputError(path, f"commune {code} dans deux {what} du même zonage : {listed}")
