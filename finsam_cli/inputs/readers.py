"""Read a CSV or xlsx export into a raw frame indexed by the row numbers Excel shows.

Sniffs the encoding (UTF-8 with or without BOM, Windows-1252), the delimiter
(`;`, `,`, tab) and the header row (title or blank rows above it are skipped).
Cells stay as text (CSV) or as the xlsx reader typed them; loaders parse them. A column of
repeated text (most of them: Insats, Kön, dates, codes) comes as a categorical of that text, so
the loader's checks run once per distinct value (see parse.per_distinct). With pyarrow installed
a CSV is parsed by its multi-threaded reader; anything it would read differently from pandas'
C parser goes to the C parser, which also words the errors.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..config import Granser
from ..errors import DataError, redact_personnummer
from .parse import present
from .problems import safe_text
from .xlsx_guard import check_declared_size, check_extent, choose_sheet

HEADER_SEARCH_ROWS = 30
MAX_CSV_FIELD = 1 << 20  # a cell over 1 MB is not an export, it is damage
_UTF8_SWEDISH = re.compile(rb"\xc3[\xa5\xa4\xb6\x85\x84\x96\xa9\x89]")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass
class RawTable:
    path: Path
    frame: pd.DataFrame  # index = Excel row number; columns = headers as written
    header_row: int
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None  # the xlsx sheet read




HeaderScore = Callable[[list[str]], int]


def read_raw(path: Path, score: HeaderScore, *, sheet: str | None = None, limits: Granser | None = None) -> RawTable:
    """Read `path`; `score` rates a candidate header row (number of known headers)."""
    limits = limits or Granser()
    name = path.name
    check_input_file(path, limits)
    try:
        with path.open("rb") as handle:
            head = handle.read(512)
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror})") from None
    suffix = path.suffix.lower()
    foreign = _foreign_format(head)
    if foreign:
        what, _, hint = foreign.partition("; ")
        raise DataError(f"{name}: this is {what}, not a CSV file or an xlsx workbook" + (f"; {hint}" if hint else ""))
    if suffix in (".xlsx", ".xlsm"):
        if not head.strip():
            raise DataError(f"{name}: the file is empty")
        if head.startswith(_OLE_MAGIC):
            raise DataError(f"{name}: not an xlsx workbook: an old .xls workbook renamed, or a "
                            "password-protected one; save it in Excel as an .xlsx without a password")
        if not head.startswith(_ZIP_MAGIC):
            raise DataError(f"{name}: not an xlsx workbook (the file is not a zip archive; "
                            "is it a CSV or an old .xls renamed?)")
        return _read_xlsx(path, score, sheet, limits)
    if suffix == ".xls" or head.startswith(_OLE_MAGIC):
        raise DataError(f"{name}: old Excel .xls format is not supported; save it as .xlsx or CSV")
    if head.startswith(_ZIP_MAGIC):
        raise DataError(f"{name}: this is a zip archive (an xlsx workbook?), not a CSV file; "
                        "give it the .xlsx suffix")
    return _read_csv(path, score, limits)


def check_input_file(path: Path, limits: Granser) -> None:
    """Only a regular file within the size limit is an input; checked before it is opened.

    Opening a FIFO blocks until someone writes to it, and /dev/zero never ends.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        raise DataError(f"{path}: file not found") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise DataError(f"{path}: is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        what = "a pipe" if stat.S_ISFIFO(info.st_mode) else "a device" \
            if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else "a socket or other special file"
        raise DataError(f"{path}: not a regular file ({what}); give a saved CSV or xlsx file")
    if info.st_size > limits.max_storlek:
        raise DataError(f"{path}: {_mib(info.st_size)} is over the size limit of {_mib(limits.max_storlek)} "
                        "([granser] max_storlek in finsam.toml)")


def _mib(size: int) -> str:
    return f"{size / 2**20:.0f} MiB" if size >= 2**20 else f"{size} bytes"


def _check_columns(name: str, count: int, limits: Granser) -> None:
    if count > limits.max_kolumner:
        raise DataError(f"{name}: {count} columns, over the limit of {limits.max_kolumner} "
                        "([granser] max_kolumner in finsam.toml); is this an export?")


_FOREIGN_MAGIC = (
    (b"%PDF", "a PDF document"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip-compressed file"), (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"), (b"{\\rtf", "an RTF document"),
)
_HTML = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<(?:!doctype\s+html|html|table|\?xml)\b", re.IGNORECASE)


def _foreign_format(head: bytes) -> str | None:
    """Name a file that is neither CSV text nor a zip archive, by its first bytes."""
    for magic, what in _FOREIGN_MAGIC:
        if head.startswith(magic):
            return what
    if _HTML.match(head):
        return "an HTML or XML page (a web 'Excel export'?); open it in Excel and save it as .xlsx"  # what; hint
    return None


# --- CSV -------------------------------------------------------------------------------


_NOT_SPACE = re.compile(rb"[^ \t\n\r\x0b\x0c]")  # what bytes.strip() keeps


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    name = path.name
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text": UTF-16 with a BOM
        return _decode_utf16(name, data), "utf-16"
    if not _NOT_SPACE.search(data, 3 if data.startswith(b"\xef\xbb\xbf") else 0):  # no copy of a big file
        raise DataError(f"{name}: the file is empty")
    if b"\x00" in data:
        if _utf16_without_bom(data):
            raise DataError(f"{name}: looks like UTF-16 text without a byte-order mark; "
                            "save it again as 'CSV UTF-8'")
        row = data[: data.index(b"\x00")].count(b"\n") + 1
        raise DataError(f"{name}: row {row}: contains NUL bytes; this is a binary file, not CSV text")
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        bad_at = exc.start
    else:
        _check_double_encoding(name, text)
        return text, encoding
    row = data[:bad_at].count(b"\n") + 1
    swedish = _UTF8_SWEDISH.search(data)
    if encoding == "utf-8-sig" or swedish:
        utf8_row = 1 if swedish is None else data[: swedish.start()].count(b"\n") + 1
        utf8 = "the file starts with a UTF-8 byte-order mark" if swedish is None else f"row {utf8_row} is UTF-8"
        raise DataError(f"{name}: row {row}: mixed text encodings (UTF-8 and something else) "
                        f"in one file: {utf8}, row {row} is not; save it again as 'CSV UTF-8'")
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        raise DataError(f"{name}: row {row}: not text in UTF-8 or Windows-1252") from None


def _utf16_without_bom(data: bytes) -> bool:
    """Text with a NUL in every other byte: UTF-16 (little- or big-endian) whose BOM was left off."""
    head = data[:4096]
    pairs = len(head) // 2
    if pairs < 2:
        return False
    for zero, text in ((head[1::2], head[0::2]), (head[0::2], head[1::2])):
        if zero.count(0) >= 0.9 * pairs and text.count(0) <= 0.1 * pairs:
            return True
    return False


def _decode_utf16(name: str, data: bytes) -> str:
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError as exc:
        raise DataError(f"{name}: not valid UTF-16 text (byte {exc.start}); save it again as 'CSV UTF-8'") from None
    if not text.strip():
        raise DataError(f"{name}: the file is empty")
    if "\x00" in text:
        row = text[: text.index("\x00")].count("\n") + 1
        raise DataError(f"{name}: row {row}: contains NUL characters; this is a binary file, not CSV text")
    _check_double_encoding(name, text)
    return text


# UTF-8 read as Windows-1252 (or Latin-1) and saved as UTF-8 again: "Ã¶" where "ö" is meant.
_DOUBLE_ENCODED = re.compile("\u00c3[\u00a5\u00a4\u00b6\u2026\u201e\u2013\u00a9\u2030\x85\x84\x96\x89]")


@dataclass(frozen=True)
class _CleanScan:
    head: str  # the first lines, decoded
    encoding: str
    quoted: bool  # a quote anywhere: a value may hold a line break


_SCAN_CHUNK = 1 << 23  # a multiple of the line-length block below


def _scan_clean_utf8(path: Path) -> _CleanScan | None:
    """One pass over a file that looks like clean UTF-8, in chunks; None when it does not.

    `_decode` holds the whole file as text to check it. For the common case the cheap checks run
    chunk by chunk on the bytes (memchr for NUL, for the second byte of a double-encoded 'Ã', for
    quotes, for a line break in every half megabyte), only the head is decoded, and pyarrow reads
    the file itself and checks that the rest is UTF-8 while it parses. Anything unusual is left to
    `_decode` and `_check_line_lengths`, which explain it.
    """
    block = (MAX_CSV_FIELD + 1) // 2
    quoted = False
    # No bigger than the file needs (whole blocks, so they stay aligned): zeroing 8 MB for a small file
    # costs 3 ms, more than scanning it.
    chunk = bytearray(min(_SCAN_CHUNK, (path.stat().st_size // block + 1) * block))
    with path.open("rb") as handle:  # buffered: every chunk but the last is full, so blocks stay aligned
        while size := handle.readinto(chunk):
            if chunk.find(b"\x00", 0, size) >= 0 or chunk.find(b"\x83", 0, size) >= 0:
                return None
            quoted = quoted or chunk.find(b'"', 0, size) >= 0
            full_blocks = range(0, size - block + 1, block)
            if any(chunk.find(b"\n", i, i + block) < 0 and chunk.find(b"\r", i, i + block) < 0 for i in full_blocks):
                return None  # perhaps a line over 1 MB: _check_line_lengths measures it
    with path.open("rb") as handle:
        size = 1 << 16
        data = handle.read(size)
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return None
        encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
        while True:  # enough whole lines for the header search (an incomplete last character is held back)
            try:
                head = codecs.getincrementaldecoder(encoding)().decode(data, final=len(data) < size)
            except UnicodeDecodeError:
                return None
            if len(data) < size or len(_first_lines(head, HEADER_SEARCH_ROWS + 1)) > HEADER_SEARCH_ROWS:
                break
            size *= 4
            handle.seek(0)
            data = handle.read(size)
    if not head.strip():
        return None  # blank (or nothing but blank lines at the start): _decode words it
    return _CleanScan(head, encoding, quoted)


def _check_double_encoding(name: str, text: str) -> None:
    found = _DOUBLE_ENCODED.search(text)
    if found:
        row = text[: found.start()].count("\n") + 1
        raise DataError(f"{name}: row {row}: the text has been encoded twice ({found.group()!r} where a Swedish "
                        "letter is meant); export it again and save it as 'CSV UTF-8'")


def _check_line_lengths(name: str, data: bytes) -> None:
    """Refuse a line over 1 MB before parsing: no export has one, and parsers choke on them."""
    if len(data) <= MAX_CSV_FIELD:
        return
    # A line over 1 MB covers a whole aligned half-megabyte block; when every such block has a
    # line break (memchr-fast: it finds one within the first row), no line is that long.
    block = (MAX_CSV_FIELD + 1) // 2
    if all(data.find(b"\n", i, i + block) >= 0 or data.find(b"\r", i, i + block) >= 0
           for i in range(0, len(data) - block + 1, block)):
        return
    raw = np.frombuffer(data, dtype=np.uint8)
    breaks = np.flatnonzero((raw == 10) | (raw == 13))
    lengths = np.diff(np.concatenate(([-1], breaks, [len(data)]))) - 1
    longest = int(lengths.argmax())
    if lengths[longest] > MAX_CSV_FIELD:
        start = int(breaks[longest - 1]) + 1 if longest else 0
        row = data[:start].count(b"\n") + 1 if b"\n" in data[:start] else data[:start].count(b"\r") + 1
        raise DataError(f"{name}: row {row}: a line longer than 1 MB; the file is damaged or not an export")


def _first_lines(text: str, count: int) -> list[str]:
    """The first lines as the CSV parser counts them (CRLF, LF or CR), without splitting the whole text."""
    lines: list[str] = []
    start = 0
    for match in _LINE_BREAK.finditer(text):
        lines.append(text[start:match.start()])
        start = match.end()
        if len(lines) == count:
            return lines
    if start < len(text):
        lines.append(text[start:])
    return lines


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _field_count(line: str, delimiter: str) -> int:
    return len(_cells(line, delimiter))


def _cells(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:  # a cell over the csv module's field limit, or a stray NUL
        return line.split(delimiter)


def _sniff_delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _read_csv(path: Path, score: HeaderScore, limits: Granser) -> RawTable:
    frame = None
    clean = _scan_clean_utf8(path)  # the common case: pyarrow reads the file, only its head is decoded here
    if clean is not None:
        lines = _first_lines(clean.head, HEADER_SEARCH_ROWS)
        header_idx, delimiter = _find_csv_header(lines, score)
        _check_columns(path.name, _field_count(lines[header_idx], delimiter), limits)
        frame = _read_csv_arrow(path, clean.encoding, delimiter, header_idx, lines, clean.quoted)
        encoding = clean.encoding
    if frame is None:  # anything else is read whole, checked and explained
        data = path.read_bytes()
        _check_line_lengths(path.name, data)
        text, encoding = _decode(path, data)
        lines = _first_lines(text, HEADER_SEARCH_ROWS)
        header_idx, delimiter = _find_csv_header(lines, score)
        _check_columns(path.name, _field_count(lines[header_idx] if lines else "", delimiter), limits)
        if clean is None:
            frame = _read_csv_arrow(data, encoding, delimiter, header_idx, lines, b'"' in data)
    if frame is None:
        source = io.BytesIO(data) if encoding in _BYTE_ENCODINGS else io.StringIO(text)
        del text  # a decoded copy of a large file is not needed any more
        try:
            frame = pd.read_csv(
                source, sep=delimiter, header=0, skiprows=header_idx, dtype=str,
                keep_default_na=False, na_filter=False, skip_blank_lines=False, engine="c",
                quotechar='"', encoding=encoding if encoding in _BYTE_ENCODINGS else None,
            )
        except pd.errors.ParserError as exc:
            raise DataError(_ragged_message(path.name, str(exc), header_idx)) from None
        except pd.errors.EmptyDataError:
            raise DataError(f"{path.name}: the file has no header row") from None
        frame = _as_categories(frame.fillna(""))
    _check_columns(path.name, frame.shape[1], limits)
    frame.columns = _unique([redact_personnummer(str(c).strip()) for c in frame.columns])
    frame.index = pd.RangeIndex(header_idx + 2, header_idx + 2 + len(frame))
    if path.stat().st_size > MAX_CSV_FIELD:  # a smaller file holds no cell that long
        _check_field_sizes(path.name, frame)
    return RawTable(path, _drop_blank_rows(frame), header_idx + 1, encoding, delimiter)


_SAMPLE = 20_000
_BYTE_ENCODINGS = ("utf-8", "utf-8-sig", "cp1252")  # the parsers read these from the bytes themselves


def _unique_categories(categories: pd.Index) -> pd.CategoricalDtype:
    """The dtype of categories that are unique already (an Arrow dictionary), not checked again.

    pandas checks that categories are unique by hashing them, as object strings: 0.06 s for a million
    ids. Its own constructor for categories it made skips that; without it (another pandas) they are checked.
    """
    trusted = getattr(pd.CategoricalDtype, "_from_fastpath", None)
    if trusted is not None:
        try:
            return trusted(categories, False)
        except TypeError:  # another signature in another pandas
            pass
    return pd.CategoricalDtype(categories)


def _read_csv_arrow(source: Path | bytes, encoding: str, delimiter: str, header_idx: int,
                    lines: list[str], quoted: bool) -> pd.DataFrame | None:
    """The file parsed by pyarrow's multi-threaded reader, as `pd.read_csv` would give it; None when it cannot.

    Anything pyarrow parses differently from pandas' C parser (ragged or blank rows, quotes above
    the header, unusual encodings) returns None, and the C parser reads the file and words the error.
    """
    if encoding not in _BYTE_ENCODINGS or any('"' in line for line in lines[:header_idx]):
        return None
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv
    except ImportError:
        return None
    try:
        # The header as pandas names it ("Unnamed: 3", "Kön.1"), from the header alone.
        names = _plain_header(lines[header_idx] if header_idx < len(lines) else "", delimiter)
        if names is None:
            names = pd.read_csv(source if isinstance(source, Path) else io.BytesIO(source), sep=delimiter, header=0,
                                skiprows=header_idx, nrows=0, dtype=str, skip_blank_lines=False, engine="c",
                                quotechar='"', encoding=encoding).columns
        table = pacsv.read_csv(
            str(source) if isinstance(source, Path) else pa.py_buffer(source),
            read_options=pacsv.ReadOptions(skip_rows=header_idx + 1, autogenerate_column_names=True,
                                           encoding="utf8" if encoding.startswith("utf-8") else encoding),
            # Without any quote in the file no value can hold a line break, and blocks parse in parallel.
            parse_options=pacsv.ParseOptions(delimiter=delimiter, quote_char='"', double_quote=True,
                                             escape_char=False, newlines_in_values=quoted,
                                             ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                # Dictionary-encoded while parsing: repeated text is stored (and later checked) once.
                column_types={f"f{i}": pa.dictionary(pa.int32(), pa.string()) for i in range(len(names))},
                null_values=[],
                strings_can_be_null=False, quoted_strings_can_be_null=False,
                check_utf8=True),  # in parallel, while parsing: only the head has been decoded
        )
    except (pa.ArrowException, ValueError, pd.errors.ParserError, pd.errors.EmptyDataError):
        return None
    if table.num_columns != len(names) or table.num_rows == 0:
        return None
    columns = {}
    for i in range(table.num_columns):
        column = table.column(i)
        if not pa.types.is_dictionary(column.type):
            return None
        # Mostly distinct columns (an id) too: unifying their dictionaries costs less than factorizing later.
        encoded = column.unify_dictionaries().combine_chunks()  # each block of the file had its own
        categories = pd.Index(encoded.dictionary.to_pandas().array)
        codes = encoded.indices.to_numpy(zero_copy_only=False)
        columns[i] = pd.Series(pd.Categorical.from_codes(codes, dtype=_unique_categories(categories),
                                                         validate=False))
    frame = pd.DataFrame(columns)
    frame.columns = names
    return frame


def _plain_header(line: str, delimiter: str) -> pd.Index | None:
    """The header's names when pandas would take its cells as they are (no quote, no empty or repeated
    cell), without a parser call (a few ms, a fixed cost of every file); None otherwise."""
    cells = line.split(delimiter)
    if '"' in line or "\ufeff" in line or not all(cells) or len(set(cells)) < len(cells):
        return None
    return pd.Index(cells, dtype="str")


def _as_categories(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns that repeat become categoricals, so checks and parsers run once per distinct value.

    A column of mostly distinct values (an id) stays text: a categorical of it would only cost.
    """
    out = {}
    for i, column in enumerate(frame.columns):
        values = frame.iloc[:, i]
        # xlsx cells keep their Python types; only columns of text alone (and empty cells) qualify.
        cells = values.dtype == object
        if cells and pd.api.types.infer_dtype(values, skipna=True) != "string":
            out[i] = values
            continue
        if len(values) > _SAMPLE and values.iloc[:_SAMPLE].nunique() > _SAMPLE // 2:
            out[i] = values
            continue
        codes, uniques = pd.factorize(values)
        if len(uniques) > max(len(values) // 2, 16):
            out[i] = values
            continue
        categories = pd.Index(uniques, dtype=object) if cells else uniques
        out[i] = pd.Series(pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(categories)),
                           index=values.index, name=column)
    result = pd.DataFrame(out, index=frame.index)
    result.columns = frame.columns
    return result


def _find_csv_header(lines: list[str], score: HeaderScore) -> tuple[int, str]:
    best = (-1, 0, ";")
    for idx, line in enumerate(lines):
        delimiter = _sniff_delimiter(line)
        cells = _cells(line, delimiter)
        points = score([c.strip() for c in cells])
        if points > best[0]:
            best = (points, idx, delimiter)
    if best[0] <= 0:
        # Nothing recognisable: take the first non-blank line and let column checks explain.
        idx = next((i for i, line in enumerate(lines) if line.strip()), 0)
        return idx, _sniff_delimiter(lines[idx] if lines else "")
    return best[1], best[2]


def _ragged_message(name: str, error: str, header_idx: int) -> str:
    unclosed = re.search(r"EOF inside string starting at row (\d+)", error)
    if unclosed:
        return (f"{name}: row {int(unclosed.group(1)) + header_idx + 1}: a quote (\") opens a cell here that is "
                "never closed; check the quotes on that row")
    match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", error)
    if match:
        expected, line, saw = match.groups()
        return (f"{name}: row {int(line) + header_idx}: has {saw} fields where the header has "
                f"{expected}; check the delimiter and quotes on that row")
    return f"{name}: not a readable CSV file ({error.splitlines()[0] if error else 'parse error'})"


def _check_field_sizes(name: str, frame: pd.DataFrame) -> None:
    for i, column in enumerate(frame.columns):
        values = frame.iloc[:, i]  # by position: linear in the columns, whatever their names
        if isinstance(values.dtype, pd.CategoricalDtype) and \
                not (values.cat.categories.str.len() > MAX_CSV_FIELD).any():
            continue  # no distinct value is that long
        lengths = values.str.len()
        if len(lengths) and lengths.max() > MAX_CSV_FIELD:
            row = lengths.idxmax()
            raise DataError(f"{name}: row {row}, column {column!r}: a cell longer than 1 MB; "
                            "the file is damaged or not an export")


def _drop_blank_rows(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty:
        return frame
    # A row is blank when no cell is present. Only rows still blank are looked at in the next
    # column, and columns of repeated values (checked once per distinct value) go first, those with
    # the fewest distinct values first (not a column of a million ids).
    blank = np.ones(len(frame), dtype=bool)
    dtypes = list(frame.dtypes)  # once: frame.dtypes builds a Series of every column each time
    order = sorted(range(frame.shape[1]), key=lambda i: len(dtypes[i].categories)
                   if isinstance(dtypes[i], pd.CategoricalDtype) else len(frame) + 1)
    for i in order:
        rows = np.flatnonzero(blank)
        if not len(rows):
            break
        col = frame.iloc[:, i] if len(rows) == len(frame) else frame.iloc[rows, i]
        blank[rows] = ~np.asarray(present(col), dtype=bool)
    return frame[~blank] if blank.any() else frame


# --- xlsx ------------------------------------------------------------------------------


def _read_xlsx(path: Path, score: HeaderScore, sheet: str | None, limits: Granser) -> RawTable:
    from python_calamine import CalamineWorkbook

    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise DataError(f"{name}: a zip archive but not an xlsx workbook")
            check_declared_size(name, archive, limits)
            book = CalamineWorkbook.from_path(str(path))
            sheet = choose_sheet(name, book, sheet)
            check_extent(name, archive, sheet, limits)
            raw = _calamine_cells(book, sheet)
    except DataError:
        raise
    except (zipfile.BadZipFile, NotImplementedError, EOFError):  # damaged headers can claim unknown zip versions
        raise DataError(f"{name}: the xlsx file is corrupt or truncated") from None
    except Exception as exc:  # noqa: BLE001 - calamine raises its own types for damaged parts; zlib for damaged streams
        raise DataError(f"{name}: the xlsx file is corrupt ({_first_line(exc)})") from None
    _check_columns(name, raw.shape[1], limits)
    if raw.empty or not any(raw[c].notna().any() for c in raw.columns):  # stops at the first filled column
        raise DataError(f"{name}: the sheet is empty{_other_sheets(path, sheet)}")
    raw.index = pd.RangeIndex(1, len(raw) + 1)
    header_row = _find_xlsx_header(raw, score)
    headers = [redact_personnummer(_header_text(v)) for v in raw.loc[header_row]]
    frame = raw.loc[header_row + 1:].copy()
    frame.columns = _unique(headers)
    frame = frame.loc[:, [h for h in frame.columns if h]]
    return RawTable(path, _drop_blank_rows(_as_categories(frame)), header_row, sheet=sheet)


def _calamine_cells(book: Any, sheet: str) -> pd.DataFrame:
    """The sheet's cells as pandas' calamine reader gives them, without its per-cell Python pass.

    Empty cells become missing and whole-number floats become ints (a numeric Deltagar-ID or
    personnummer must read "123", not "123.0"); dates stay date objects.
    """
    table = book.get_sheet_by_name(sheet)
    raw = pd.DataFrame(table.to_python(skip_empty_area=False), dtype=object)
    for column in raw.columns:
        raw[column] = _typed_cells(raw[column])
    return raw


def _typed_cells(cells: pd.Series) -> pd.Series:
    values = cells.to_numpy(dtype=object, copy=True)
    values[values == ""] = np.nan
    kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind in ("floating", "mixed-integer-float", "mixed"):
        is_float = np.fromiter((type(v) is float for v in values), dtype=bool, count=len(values))
        floats = values[is_float].astype(float)
        whole = np.isfinite(floats) & (floats == np.floor(floats)) & (np.abs(floats) < 2**53)
        positions = np.flatnonzero(is_float)[whole]
        values[positions] = floats[whole].astype(np.int64).astype(object)
    return pd.Series(values, index=cells.index, dtype=object)


def _other_sheets(path: Path, sheet: str | None) -> str:
    try:
        with pd.ExcelFile(path, engine="calamine") as book:
            names = [safe_text(str(n)) for n in book.sheet_names]  # a name may hold a personnummer
    except Exception:  # noqa: BLE001 - the sheet was read a moment ago; this is only a hint
        return ""
    shown = safe_text(sheet) if sheet is not None else (names[0] if names else "")
    others = [n for n in names if n != shown]
    if not others:
        return f" (sheet {shown!r})"
    return f" (sheet {shown!r}; the workbook also has {', '.join(repr(n) for n in others[:5])})"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__


def _header_text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).strip()


def _unique(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for h in headers:
        if h and h in seen:
            seen[h] += 1
            out.append(f"{h}.{seen[h]}")
        else:
            seen[h] = 0
            out.append(h)
    return out


def _find_xlsx_header(raw: pd.DataFrame, score: HeaderScore) -> int:
    best = (-1, int(raw.index[0]))
    for row in raw.index[:HEADER_SEARCH_ROWS]:
        cells = [_header_text(v) for v in raw.loc[row]]
        points = score([c for c in cells if c])
        if points > best[0]:
            best = (points, int(row))
    if best[0] <= 0:
        return int(raw.dropna(how="all").index[0])
    return best[1]
