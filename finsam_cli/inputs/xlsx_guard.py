"""Checks on an xlsx workbook before calamine reads a sheet: what it costs, and which sheet.

calamine holds a sheet as a dense grid from A1 to its farthest cell, so one cell at XFD1048576
in a 5 KB file asks for 512 GiB and aborts the process. The farthest cell is found here from
the sheet's XML, streamed, before calamine sees it; the sizes in the zip directory stop a zip
bomb before anything is unpacked.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ..config import Granser
from ..errors import DataError
from .problems import safe_text

# An xlsx sheet's XML takes 5–10 times the bytes of the same table as CSV, and calamine keeps a
# few times the XML in memory: unpacked, a workbook may take a quarter of the input size limit.
XLSX_SHARE_OF_LIMIT = 4
CELL_BYTES = 32  # one cell of calamine's grid (a Rust enum holding a string)
MAX_COLUMN = 16_384  # XFD
_CHUNK = 1 << 22
_OVERLAP = 64  # longer than any row or cell reference, so none is lost between chunks
# One search per chunk, with a literal prefix (`r="`) that keeps it near memchr speed: it stops only at
# references that could lie beyond the farthest cell known so far. A reference written otherwise
# (another attribute order) is only missed by the row hint, which then starts lower, so that more
# references are looked at: slower, never unsafe.
_ROW_REF = re.compile(rb"row r=\"(\d+)\"")


def check_declared_size(name: str, archive: zipfile.ZipFile, limits: Granser) -> None:
    """Refuse a workbook whose parts, unpacked, would be larger than its share of the size limit."""
    declared = sum(info.file_size for info in archive.infolist())
    limit = limits.max_storlek // XLSX_SHARE_OF_LIMIT
    if declared > limit:
        raise DataError(f"{name}: refusing to unpack: the workbook declares {declared / 2**20:.0f} MiB "
                        f"uncompressed, over the limit of {limit / 2**20:.0f} MiB for an xlsx (a quarter of "
                        "[granser] max_storlek in finsam.toml)")


def choose_sheet(name: str, book: Any, sheet: str | None) -> str:
    """The sheet asked for, else the first visible worksheet (a hidden first sheet is skipped)."""
    from python_calamine import SheetTypeEnum, SheetVisibleEnum

    if sheet is not None:
        if sheet not in book.sheet_names:
            raise DataError(f"{name}: no sheet named {safe_text(sheet)!r}")
        return sheet
    for meta in book.sheets_metadata:
        if meta.visible == SheetVisibleEnum.Visible and meta.typ == SheetTypeEnum.WorkSheet:
            return str(meta.name)
    raise DataError(f"{name}: the workbook has no visible worksheet")


def check_extent(name: str, archive: zipfile.ZipFile, sheet: str, limits: Granser) -> None:
    """Refuse a sheet whose farthest cell would make calamine's grid too wide or too large."""
    part = _sheet_part(archive, sheet)
    if part is None:
        raise DataError(f"{name}: the xlsx file is corrupt (sheet {safe_text(sheet)!r} has no worksheet part)")
    rows, columns = _farthest_cell(archive, part)
    sheet = safe_text(sheet)  # a sheet name may hold a personnummer ("Klient 121212-1212")
    if columns > limits.max_kolumner:
        raise DataError(f"{name}: sheet {sheet!r} reaches column {_column_name(columns)} ({columns} columns), "
                        f"over the limit of {limits.max_kolumner} ([granser] max_kolumner in finsam.toml); "
                        "delete the cells far to the right")
    if rows * columns * CELL_BYTES > limits.max_storlek:
        raise DataError(f"{name}: sheet {sheet!r} reaches cell {_column_name(columns)}{rows}: reading "
                        f"{rows} rows × {columns} columns would take over [granser] max_storlek "
                        f"({limits.max_storlek / 2**20:.0f} MiB); delete the cells far below the data")


def _farthest_cell(archive: zipfile.ZipFile, part: str) -> tuple[int, int]:
    """The sheet's last row and column as calamine will place them, from one streamed pass.

    Rows are written in order, so the chunk's last `<row r=…>` (found from the end, without a scan)
    is a row the sheet has: every row and cell at or above it is inside the grid already. One search
    then looks only at references that could lie beyond: those of two or three letters (beyond
    column Z), and those of no or one letter whose row is larger, which a regular expression can
    tell from the digits alone. A row or cell out of order is larger than the hint, so it is found.
    """
    last_row, last_column = 1, 26
    tail = b""
    # The next chunk is inflated in a thread (zlib lets go of the GIL) while this one is searched.
    with archive.open(part) as stream, ThreadPoolExecutor(max_workers=1) as inflater:
        pending = inflater.submit(stream.read, _CHUNK)
        while chunk := pending.result():
            pending = inflater.submit(stream.read, _CHUNK)
            data = tail + chunk
            last_row = max(last_row, _last_row_tag(data))
            # The lookahead (at least as many digits) drops most references before the alternatives are tried.
            far = re.compile(rb'r="(?:([A-Z]{2,3})(\d+)|[A-Z]?(?=\d{%d})(' % len(str(last_row))
                             + _greater_than(last_row) + rb'))"')
            for letters, digits, beyond in far.findall(data):
                if letters:
                    last_column = max(last_column, _column_number(letters))
                last_row = max(last_row, int(digits or beyond))
            tail = data[-_OVERLAP:]
    return min(last_row, 1 << 20), min(last_column, MAX_COLUMN)


def _last_row_tag(data: bytes) -> int:
    """The number of the last whole `<row r=…>` in the data (0 when there is none)."""
    at = data.rfind(b"row r=\"")
    while at >= 0:
        found = _ROW_REF.match(data, at)
        if found:
            return int(found.group(1))
        at = data.rfind(b"row r=\"", 0, at)  # cut off at the chunk's end: the one before
    return 0


def _greater_than(number: int) -> bytes:
    """A regular expression for the decimal numbers (without leading zeros) greater than `number`."""
    digits = str(number).encode()
    longer = rb"[1-9]\d{%d,}" % len(digits)
    same = [digits[:i] + b"[%c-9]" % (digits[i] + 1) + rb"\d" * (len(digits) - i - 1)
            for i in range(len(digits)) if digits[i] < ord("9")]
    return b"|".join([longer, *same])


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _column_name(number: int) -> str:
    name = ""
    while number:
        number, rest = divmod(number - 1, 26)
        name = chr(65 + rest) + name
    return name


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member holding a sheet, from the workbook and its relationships (any namespace)."""
    # Untrusted XML, parsed safely enough: expat (>= 2.4.1) refuses entity-expansion bombs, ElementTree never
    # fetches external entities, and check_declared_size has bounded the parts' sizes.
    from xml.etree import ElementTree  # here: a CSV run need not load the XML parser (1 ms)

    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))  # noqa: S314
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))  # noqa: S314
    except (KeyError, ElementTree.ParseError):
        return None
    rid = next((value for element in book.iter() if element.tag.endswith("}sheet")
                and element.get("name") == sheet for key, value in element.attrib.items()
                if key.endswith("}id")), None)
    target = next((rel.get("Target", "") for rel in rels if rel.get("Id") == rid), None)
    if not target:
        return None
    member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    return member if member in archive.namelist() else None
