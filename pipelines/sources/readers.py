"""Reading publisher files at the edge: encodings, workbooks, header matching by pattern."""

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import python_calamine

from pipelines.errors import InputError

CSV_ENCODINGS = ("utf-8-sig", "cp1252")


def decode_text(path: Path) -> str:
    """Decode a CSV as UTF-8 (with or without BOM), else cp1252; anything else is refused."""
    return _decode(Path(path).read_bytes(), path)


def _decode(data: bytes, path: Path) -> str:
    if b"\x00" in data[:4096]:
        raise InputError(
            path,
            "encodage non reconnu (UTF-16 ou fichier binaire) ; attendu UTF-8 ou Windows-1252",
        )
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # cp1252 decodes almost anything; control characters betray a wrong guess.
        if not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", text):
            return text
    raise InputError(
        path,
        "encodage non reconnu ; attendu UTF-8 ou Windows-1252",
    )


def sniff_delimiter(first_line: str) -> str:
    return max(",;\t", key=first_line.count)


def read_csv_rows(path: Path) -> list[list[str]]:
    """All rows of a delimited text file (delimiter sniffed among , ; and tab), each as wide as the header."""
    text = decode_text(path)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text.split("\n", 1)[0]))
    return list(_as_wide_as_header(rows, path))


def check_row_widths(path: Path, encoding: str) -> None:
    """Refuse the first row of a delimited text file whose width differs from the header's, reading it as a
    stream (a national export is 140 MB): why a file a CSV parser gave up on is damaged, in the user's words."""
    with open(path, encoding=encoding, errors="replace", newline="") as handle:
        delimiter = sniff_delimiter(handle.readline())
        handle.seek(0)
        for _ in _as_wide_as_header(csv.reader(handle, delimiter=delimiter), path):
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
                f"ligne {number} : {len(row)} champs au lieu de {width} (fichier tronqué ou mal délimité ?)",
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
    return next(csv.reader([first_line], delimiter=sniff_delimiter(first_line)), [])


def zipped_workbook(path: Path) -> tuple[str, bytes] | None:
    """(name, bytes) of the one workbook inside a zip archive, as some publishers ship them (Insee's
    ZE2020_au_01-01-2026.zip holds ZE2020_au_01-01-2026.xlsx); None when the file is not such an archive.
    An xlsx is a zip too: it is told apart by its [Content_Types].xml member."""
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
            return workbooks[0], archive.read(workbooks[0])
    except (zipfile.BadZipFile, OSError, EOFError) as exc:  # a damaged member (CRC error, cut short)
        raise InputError(path, f"archive zip illisible (tronquée ou endommagée ?) : {exc}") from exc


def open_workbook(path: Path) -> python_calamine.CalamineWorkbook:
    member = zipped_workbook(path)
    try:
        if member is not None:
            return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(member[1]))
        return python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several types for zip/xml damage
        raise InputError(
            path,
            f"classeur illisible (fichier tronqué ou endommagé ?) : {exc}",
        ) from exc


def sheet_names(path: Path) -> list[str]:
    """Sheet names of a workbook, or [] if the file is not a readable workbook. Every source's `recognise`
    asks: the file is opened once (per size and modification time)."""
    try:
        status = Path(path).stat()
    except OSError:
        return []
    return list(_sheet_names(str(path), status.st_size, status.st_mtime_ns))


@lru_cache(maxsize=32)
def _sheet_names(path: str, size: int, modified: int) -> tuple[str, ...]:
    try:
        return tuple(open_workbook(Path(path)).sheet_names)
    except InputError:
        return ()


def sheet_rows(path: Path, sheet: str) -> list[list]:
    try:
        return open_workbook(path).get_sheet_by_name(sheet).to_python()
    except InputError:
        raise
    except Exception as exc:
        raise InputError(
            path, f"feuille « {sheet} » illisible : {exc}"
        ) from exc


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
