"""Read a CSV or xlsx export into a raw frame indexed by the row numbers Excel shows.

Sniffs the encoding (UTF-8 with or without BOM, Windows-1252), the delimiter
(`;`, `,`, tab) and the header row (title or blank rows above it are skipped).
Cells stay as text (CSV) or as the xlsx reader typed them; loaders parse them.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import DataError, Problem

HEADER_SEARCH_ROWS = 30
MAX_XLSX_UNCOMPRESSED = 1 << 30  # 1 GiB declared: refuse zip bombs before unpacking
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


HeaderScore = Callable[[list[str]], int]


def read_raw(path: Path, score: HeaderScore, *, sheet: str | None = None) -> RawTable:
    """Read `path`; `score` rates a candidate header row (number of known headers)."""
    name = path.name
    try:
        head = path.open("rb").read(8)
    except FileNotFoundError:
        raise DataError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise DataError(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror})") from None
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        if not head.startswith(_ZIP_MAGIC):
            raise DataError(f"{name}: not an xlsx workbook (the file is not a zip archive; "
                            "is it a CSV or an old .xls renamed?)")
        return _read_xlsx(path, score, sheet)
    if suffix == ".xls" or head.startswith(_OLE_MAGIC):
        raise DataError(f"{name}: old Excel .xls format is not supported; save it as .xlsx or CSV")
    if head.startswith(_ZIP_MAGIC):
        raise DataError(f"{name}: this is a zip archive (an xlsx workbook?), not a CSV file; "
                        "give it the .xlsx suffix")
    return _read_csv(path, score)


# --- CSV -------------------------------------------------------------------------------


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    name = path.name
    if not data.strip():
        raise DataError(f"{name}: the file is empty")
    if b"\x00" in data:
        row = data[: data.index(b"\x00")].count(b"\n") + 1
        raise DataError(f"{name}: row {row}: contains NUL bytes; this is a binary file, not CSV text")
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as exc:
        bad_at = exc.start
    row = data[:bad_at].count(b"\n") + 1
    if encoding == "utf-8-sig" or _UTF8_SWEDISH.search(data):
        raise DataError(f"{name}: row {row}: mixed text encodings (UTF-8 and something else) "
                        "in one file; save it again as 'CSV UTF-8'")
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        raise DataError(f"{name}: row {row}: not text in UTF-8 or Windows-1252") from None


def _sniff_delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _read_csv(path: Path, score: HeaderScore) -> RawTable:
    data = path.read_bytes()
    text, encoding = _decode(path, data)
    lines = text.splitlines()[:HEADER_SEARCH_ROWS]
    header_idx, delimiter = _find_csv_header(lines, score)
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=delimiter, header=0, skiprows=header_idx, dtype=str,
            keep_default_na=False, na_filter=False, skip_blank_lines=False, engine="c",
            quotechar='"',
        )
    except pd.errors.ParserError as exc:
        raise DataError(_ragged_message(path.name, str(exc), header_idx)) from None
    except pd.errors.EmptyDataError:
        raise DataError(f"{path.name}: the file has no header row") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    frame.index = pd.RangeIndex(header_idx + 2, header_idx + 2 + len(frame))
    frame = frame.fillna("")
    _check_field_sizes(path.name, frame)
    return RawTable(path, _drop_blank_rows(frame), header_idx + 1, encoding, delimiter)


def _find_csv_header(lines: list[str], score: HeaderScore) -> tuple[int, str]:
    best = (-1, 0, ";")
    for idx, line in enumerate(lines):
        delimiter = _sniff_delimiter(line)
        cells = next(csv.reader([line], delimiter=delimiter), [])
        points = score([c.strip() for c in cells])
        if points > best[0]:
            best = (points, idx, delimiter)
    if best[0] <= 0:
        # Nothing recognisable: take the first non-blank line and let column checks explain.
        idx = next((i for i, line in enumerate(lines) if line.strip()), 0)
        return idx, _sniff_delimiter(lines[idx] if lines else "")
    return best[1], best[2]


def _ragged_message(name: str, error: str, header_idx: int) -> str:
    match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", error)
    if match:
        expected, line, saw = match.groups()
        return (f"{name}: row {int(line) + header_idx}: has {saw} fields where the header has "
                f"{expected}; check the delimiter and quotes on that row")
    return f"{name}: not a readable CSV file ({error.splitlines()[0] if error else 'parse error'})"


def _check_field_sizes(name: str, frame: pd.DataFrame) -> None:
    for column in frame.columns:
        lengths = frame[column].str.len()
        if len(lengths) and lengths.max() > MAX_CSV_FIELD:
            row = lengths.idxmax()
            raise DataError(f"{name}: row {row}, column {column!r}: a cell longer than 1 MB; "
                            "the file is damaged or not an export")


def _drop_blank_rows(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty:
        return frame
    blank = pd.Series(True, index=frame.index)
    for column in frame.columns:
        col = frame[column]
        blank &= col.isna() | (col.astype("string").str.strip() == "")
    return frame[~blank]


# --- xlsx ------------------------------------------------------------------------------


def _read_xlsx(path: Path, score: HeaderScore, sheet: str | None) -> RawTable:
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            declared = sum(info.file_size for info in archive.infolist())
            if "xl/workbook.xml" not in archive.namelist():
                raise DataError(f"{name}: a zip archive but not an xlsx workbook")
    except zipfile.BadZipFile:
        raise DataError(f"{name}: the xlsx file is corrupt or truncated") from None
    if declared > MAX_XLSX_UNCOMPRESSED:
        raise DataError(f"{name}: refusing to unpack: the workbook declares "
                        f"{declared / 2**20:.0f} MiB uncompressed (limit 1024 MiB)")
    try:
        raw = pd.read_excel(path, sheet_name=sheet or 0, header=None, engine="calamine",
                            dtype=object)
    except ValueError as exc:
        if sheet is not None and "not found" in str(exc).lower():
            raise DataError(f"{name}: no sheet named {sheet!r}") from None
        raise DataError(f"{name}: the xlsx file cannot be read ({_first_line(exc)})") from None
    except Exception as exc:  # calamine raises its own types for damaged parts
        raise DataError(f"{name}: the xlsx file is corrupt ({_first_line(exc)})") from None
    if raw.empty or raw.dropna(how="all").empty:
        raise DataError(f"{name}: the sheet is empty")
    raw.index = pd.RangeIndex(1, len(raw) + 1)
    header_row = _find_xlsx_header(raw, score)
    headers = [_header_text(v) for v in raw.loc[header_row]]
    frame = raw.loc[header_row + 1:].copy()
    frame.columns = _unique(headers)
    frame = frame.loc[:, [h for h in frame.columns if h]]
    return RawTable(path, _drop_blank_rows(frame), header_row)


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


def problem_for_missing_columns(name: str, header_row: int, missing: list[str]) -> Problem:
    return Problem(name, f"required column missing: {', '.join(missing)}", row=header_row)
