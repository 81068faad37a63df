"""The vectorised part of the reader: lines, braces, and the common shapes of #VER and #TRANS.

A file of a million #TRANS lines is mostly `#TRANS 5010 {6 "12"} -1234.50 20170315 "text"`.
Lines are found with numpy; the #VER and #TRANS lines of the common shape are matched and cut
into fields by RE2 (Arrow's `extract_regex`, over the file's own bytes, two halves on two
threads). Every other line, and a #VER or #TRANS of any other shape, is left to the general
tokenizer. A line taken here is one the tokenizer reads the same way.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

SPACE, TAB, CR, NEWLINE = 32, 9, 13, 10


@dataclass(frozen=True)
class Lines:
    bounds: np.ndarray  # int64, n + 1: where each line starts in the bytes (its end is the next start)
    start: np.ndarray  # int64: first byte of the content (leading blanks skipped)
    end: np.ndarray  # int64: one past the content (trailing blanks, CR and LF dropped)

    def __len__(self) -> int:
        return len(self.start)


def split_lines(buf: np.ndarray) -> Lines:
    newlines = np.flatnonzero(buf == NEWLINE)
    bounds = np.empty(len(newlines) + 2, dtype=np.int64)
    bounds[0] = 0
    bounds[1:-1] = newlines + 1
    bounds[-1] = len(buf)
    start = bounds[:-1].copy()
    end = np.append(newlines, len(buf))
    _trim(buf, start, end)
    return Lines(bounds, start, end)


def _trim(buf: np.ndarray, start: np.ndarray, end: np.ndarray) -> None:
    """Skip blanks at both ends of each line (in place): one pass for CR, then passes over the few others."""
    blank = np.zeros(256, dtype=bool)
    blank[[SPACE, TAB, CR]] = True
    if len(buf):
        last = buf[np.maximum(end - 1, 0)]
        end -= (last == CR) & (end > start)
    for edge, step in ((end, -1), (start, 1)):
        at = edge - 1 if step < 0 else edge
        todo: np.ndarray = np.flatnonzero((end > start) & blank[buf[np.clip(at, 0, len(buf) - 1)]]) \
            if len(buf) else np.empty(0, dtype=np.int64)
        while len(todo):
            edge[todo] += step
            at = edge[todo] - 1 if step < 0 else edge[todo]
            todo = todo[(end[todo] > start[todo]) & blank[buf[np.clip(at, 0, len(buf) - 1)]]]


# The common shapes, as RE2 patterns over each line's bytes (Latin-1 mode: any encoding passes).
# Each is unambiguous at every byte (RE2's fast one-pass matcher); trailing blanks go the slow way.
# The fields after the ones taken (texts, quantity, signature) must still be well-formed fields,
# so that a line taken here is one the tokenizer reads the same way.
_MORE_FIELDS = r'(?:[ \t]+(?:"(?:[^"\\\r\n]|\\[^\r\n])*"|[^ \t"{}\r\n]+))*\r?\n?$'
_TRANS = (
    r'^[ \t]*#TRANS[ \t]+(?P<account>\d{1,9})[ \t]+'
    r'\{(?P<objects>(?:[^{}"\\\r\n]|"[^"\\{}\r\n]*")*)\}[ \t]*'
    r'(?P<amount>-?\d{1,15}(?:\.\d{1,2})?)'
    r'(?:[ \t]+(?P<date>\d{8}|"\d{8}"|"")' + _MORE_FIELDS + r'|\r?\n?$)'
)
_VER = (
    r'^[ \t]*#VER[ \t]+(?P<series>[^ \t"{}\\\r\n]+|"[^"\\\r\n]*")[ \t]+(?P<number>\d{1,9}|"\d{0,9}")[ \t]+'
    r'(?P<date>\d{8}|"\d{8}")' + _MORE_FIELDS
)


def _line_array(data: bytes, lines: Lines) -> Any:
    """Every line (with its line end) as one Arrow binary array over the file's bytes (no copy)."""
    import pyarrow as pa

    return pa.Array.from_buffers(pa.large_binary(), len(lines), [None, pa.py_buffer(lines.bounds),
                                                                 pa.py_buffer(data)])


def _matches(lines: Any, candidates: np.ndarray, pattern: str) -> tuple[np.ndarray, Any]:
    """Rows matching `pattern` and its groups, taken at those rows. Only the candidate rows (those
    starting with the record's tag) are tried: RE2 is slow to fail on the many lines of other kinds."""
    import pyarrow as pa
    import pyarrow.compute as pc

    found = pc.extract_regex(lines.take(pa.array(candidates)), pattern)
    matched = np.flatnonzero(found.is_valid().to_numpy(zero_copy_only=False))
    return candidates[matched], found.take(pa.array(matched))


def starting_with(buf: np.ndarray, lines: Lines, tag: bytes) -> np.ndarray:
    """Rows whose content starts with `tag` followed by a blank (the candidates for a record)."""
    rows = np.flatnonzero(lines.end - lines.start > len(tag))
    start = lines.start[rows]
    keep = np.ones(len(rows), dtype=bool)
    for i, byte in enumerate(tag):
        keep &= buf[start + i] == byte
    after = buf[start + len(tag)]
    return rows[keep & ((after == SPACE) | (after == TAB))]


def _unquoted_whole(column: Any, empty: int) -> np.ndarray:
    """`20170101`, `"20170101"` or `""` -> int64 (`empty` for the empty field)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pc.utf8_trim(pc.cast(column, pa.string()), '"')
    return pc.cast(pc.if_else(pc.equal(text, ""), str(empty), text), pa.int64()).to_numpy()


def _factorised(column: Any) -> tuple[np.ndarray, list[bytes]]:
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(column)
    return encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64), encoded.dictionary.to_pylist()


@dataclass(frozen=True)
class FastTrans:
    rows: np.ndarray  # line index (0-based) of each taken line
    account: np.ndarray  # int64
    objects_key: np.ndarray  # int64 code into objects_text
    objects_text: list[bytes]  # the bytes between the braces, per code
    ore: np.ndarray  # int64
    transdate: np.ndarray  # int64 YYYYMMDD, 0 where the line gives none


def _fast_trans(lines: Any, candidates: np.ndarray) -> FastTrans:
    import pyarrow as pa
    import pyarrow.compute as pc

    rows, fields = _matches(lines, candidates, _TRANS)
    account = pc.cast(pc.cast(fields.field("account"), pa.string()), pa.int64()).to_numpy()
    # decimal(17, 2) holds the amount as a whole number of öre: exact, no float on the way.
    amount = pc.cast(pc.cast(fields.field("amount"), pa.string()), pa.decimal128(17, 2))
    words = np.frombuffer(amount.buffers()[1], dtype=np.int64) if len(amount) else np.empty(0, np.int64)
    ore = words[2 * amount.offset:2 * (amount.offset + len(amount)):2]  # the low words (little-endian)
    codes, texts = _factorised(fields.field("objects"))
    return FastTrans(rows, account, codes, texts, ore, _unquoted_whole(fields.field("date"), 0))


@dataclass(frozen=True)
class FastVer:
    rows: np.ndarray  # line index of each taken line
    series_code: np.ndarray  # int64 code into series
    series: list[str]
    number: np.ndarray  # int64, -1 where the voucher has no number
    date: np.ndarray  # int64 YYYYMMDD


def _fast_ver(lines: Any, candidates: np.ndarray, encoding: str) -> FastVer:
    rows, fields = _matches(lines, candidates, _VER)
    codes, series = _factorised(fields.field("series"))
    names: dict[str, int] = {}  # `A` and `"A"` are one series
    remap = np.array([names.setdefault(_unquote(s).decode(encoding), len(names)) for s in series], dtype=np.int64)
    return FastVer(rows, remap[codes] if len(codes) else codes, list(names),
                   _unquoted_whole(fields.field("number"), -1), _unquoted_whole(fields.field("date"), 0))


def _unquote(raw: bytes) -> bytes:
    return raw[1:-1] if raw.startswith(b'"') else raw


def scan_vouchers(data: bytes, lines: Lines, encoding: str) -> tuple[FastTrans, FastVer]:
    """Find and parse the common #TRANS and #VER lines: the two scans run on two threads (Arrow
    releases the GIL)."""
    array = _line_array(data, lines)
    buf = np.frombuffer(data, dtype=np.uint8)
    with ThreadPoolExecutor(2) as pool:
        trans = pool.submit(_fast_trans, array, starting_with(buf, lines, b"#TRANS"))
        ver = pool.submit(_fast_ver, array, starting_with(buf, lines, b"#VER"), encoding)
        return trans.result(), ver.result()


def yyyymmdd_dates(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """YYYYMMDD integers -> (datetime64[D], valid): a date that does not exist (20171332) is flagged.

    Computed once per distinct value: a year's vouchers hold a few hundred dates.
    """
    import pandas as pd

    codes, distinct = pd.factorize(values)
    dates, valid = _dates(np.asarray(distinct, dtype=np.int64))
    return dates[codes], valid[codes]


def _dates(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    year, month, day = values // 10000, values // 100 % 100, values % 100
    in_range = (year >= 1000) & (year <= 9999) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= 31)
    months = (np.where(in_range, year, 2000) - 1970) * 12 + np.where(in_range, month, 1) - 1
    first = months.astype("datetime64[M]").astype("datetime64[D]")
    dates = first + (np.where(in_range, day, 1) - 1).astype("timedelta64[D]")
    valid = in_range & (dates.astype("datetime64[M]") == first.astype("datetime64[M]"))
    return dates, valid
