"""The vectorised part of the reader: lines, braces, and the common shapes of #VER and #TRANS.

A file of a million #TRANS lines is mostly `#TRANS 5010 {6 "12"} -1234.50 20170315 "text"`.
Lines are found with numpy; the #VER and #TRANS lines of the common shape are matched and cut
into fields by RE2 (Arrow's `extract_regex`, over the file's own bytes, two halves on two
threads). Every other line, and a #VER or #TRANS of any other shape, is left to the general
tokenizer. A line taken here is one the tokenizer reads the same way.
"""

from __future__ import annotations

from collections.abc import Callable
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
    end = np.empty_like(start)
    end[:-1] = newlines
    end[-1] = len(buf)
    _trim(buf, start, end)
    return Lines(bounds, start, end)


def _trim(buf: np.ndarray, start: np.ndarray, end: np.ndarray) -> None:
    """Skip blanks at both ends of each line (in place): a few passes over the lines that have any."""
    blank = np.zeros(256, dtype=bool)
    blank[[SPACE, TAB, CR]] = True
    todo = np.flatnonzero(end > start)
    todo = todo[blank[buf[end[todo] - 1]]]
    while len(todo):
        end[todo] -= 1
        todo = todo[(end[todo] > start[todo]) & blank[buf[end[todo] - 1]]]
    todo = np.flatnonzero(end > start)
    todo = todo[blank[buf[start[todo]]]]
    while len(todo):
        start[todo] += 1
        todo = todo[(end[todo] > start[todo]) & blank[buf[start[todo]]]]


def starts_with(buf: np.ndarray, lines: Lines, prefix: bytes) -> np.ndarray:
    """Lines whose content starts with `prefix` (a bool per line)."""
    ok = (lines.end - lines.start) >= len(prefix)
    rows = np.flatnonzero(ok)
    for i, byte in enumerate(prefix):
        rows = rows[buf[lines.start[rows] + i] == byte]
    ok[:] = False
    ok[rows] = True
    return ok


# The common shapes, as RE2 patterns over each line's bytes (Latin-1 mode: any encoding passes).
# Each is unambiguous at every byte (RE2's fast one-pass matcher); trailing blanks go the slow way.
_TRANS = (
    r'^[ \t]*#TRANS[ \t]+(?P<account>\d{1,9})[ \t]+'
    r'\{(?P<objects>(?:[^{}"\\\r\n]|"[^"\\{}\r\n]*")*)\}[ \t]*'
    r'(?P<amount>-?\d{1,15}(?:\.\d{1,2})?)'
    r'(?:[ \t]+(?P<date>\d{8}|"\d{8}"|"")(?:[ \t][^\r\n]*)?)?\r?\n?$'
)
_VER = (
    r'^[ \t]*#VER[ \t]+(?P<series>[^ \t"{}\\\r\n]+|"[^"\\\r\n]*")[ \t]+(?P<number>\d{1,9}|"\d{0,9}")[ \t]+'
    r'(?P<date>\d{8}|"\d{8}")(?:[ \t][^\r\n]*)?\r?\n?$'
)

Part = tuple[np.ndarray, ...]


def _line_array(data: bytes, lines: Lines, first: int, stop: int) -> Any:
    """Lines first..stop-1 as one Arrow binary array over the file's bytes (no copy)."""
    import pyarrow as pa

    offsets = lines.bounds[first:stop + 1]
    return pa.Array.from_buffers(pa.large_binary(), stop - first, [None, pa.py_buffer(offsets), pa.py_buffer(data)])


def _in_halves(data: bytes, lines: Lines, rows: np.ndarray, work: Callable[[Any, int], Part]) -> list[Part]:
    """Run `work` over the span of lines holding `rows`, in two halves on two threads."""
    if len(rows) == 0:
        return [work(_line_array(data, lines, 0, 0), 0)]
    first, last = int(rows[0]), int(rows[-1]) + 1
    middle = int(rows[len(rows) // 2])
    spans = [(first, middle), (middle, last)] if first < middle else [(first, last)]
    with ThreadPoolExecutor(len(spans)) as pool:
        return list(pool.map(lambda span: work(_line_array(data, lines, *span), span[0]), spans))


def _unquoted(column: Any) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.utf8_trim(pc.cast(column, pa.string()), '"')


def _whole(text: Any, empty: str) -> np.ndarray:
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.cast(pc.if_else(pc.equal(text, ""), empty, text), pa.int64()).to_numpy()


def _matches(lines: Any, pattern: str, first: int) -> tuple[np.ndarray, Any]:
    import pyarrow.compute as pc

    found = pc.extract_regex(lines, pattern)
    taken = found.is_valid()
    return np.flatnonzero(taken.to_numpy(zero_copy_only=False)) + first, found.filter(taken)


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


def _trans_part(lines: Any, first: int) -> Part:
    import pyarrow as pa
    import pyarrow.compute as pc

    rows, fields = _matches(lines, _TRANS, first)
    account = pc.cast(pc.cast(fields.field("account"), pa.string()), pa.int64()).to_numpy()
    # decimal(17, 2) holds the amount as a whole number of öre: exact, no float on the way.
    amount = pc.cast(pc.cast(fields.field("amount"), pa.string()), pa.decimal128(17, 2))
    words = np.frombuffer(amount.buffers()[1], dtype=np.int64) if len(amount) else np.empty(0, np.int64)
    ore = words[2 * amount.offset:2 * (amount.offset + len(amount)):2].copy()  # the low words (little-endian)
    transdate = _whole(_unquoted(fields.field("date")), "0")
    codes, texts = _factorised(fields.field("objects"))
    return rows, account, codes, np.array(texts, dtype=object), ore, transdate


def fast_trans(data: bytes, lines: Lines, candidates: np.ndarray) -> FastTrans:
    """Parse the `#TRANS account {objects} amount [date …]` lines among `candidates` (line indexes)."""
    parts = _in_halves(data, lines, candidates, _trans_part)
    texts: dict[bytes, int] = {}
    keys = []
    for part in parts:
        local = np.array([texts.setdefault(t, len(texts)) for t in part[3]], dtype=np.int64)
        keys.append(local[part[2]] if len(part[2]) else part[2])
    rows, account, ore, transdate = (np.concatenate([p[i] for p in parts]) for i in (0, 1, 4, 5))
    return FastTrans(rows, account, np.concatenate(keys), list(texts), ore, transdate)


@dataclass(frozen=True)
class FastVer:
    rows: np.ndarray  # line index of each taken line
    series: np.ndarray  # object: the series (str) per row
    number: np.ndarray  # int64, -1 where the voucher has no number
    date: np.ndarray  # int64 YYYYMMDD


def _ver_part(lines: Any, first: int) -> Part:
    rows, fields = _matches(lines, _VER, first)
    codes, series = _factorised(fields.field("series"))
    return rows, np.array(series, dtype=object), codes, _whole(_unquoted(fields.field("number")), "-1"), \
        _whole(_unquoted(fields.field("date")), "0")


def fast_ver(data: bytes, lines: Lines, candidates: np.ndarray, encoding: str) -> FastVer:
    """Parse the `#VER series number date [anything]` lines among `candidates`."""
    parts = _in_halves(data, lines, candidates, _ver_part)
    series = [np.array([_unquote(s).decode(encoding) for s in p[1]] + [""], dtype=object)[p[2]] for p in parts]
    rows, number, day = (np.concatenate([p[i] for p in parts]) for i in (0, 3, 4))
    return FastVer(rows, np.concatenate(series), number, day)


def _unquote(raw: bytes) -> bytes:
    return raw[1:-1] if raw.startswith(b'"') else raw


def yyyymmdd_dates(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """YYYYMMDD integers -> (datetime64[D], valid): a date that does not exist (20171332) is flagged."""
    year, month, day = values // 10000, values // 100 % 100, values % 100
    in_range = (year >= 1000) & (year <= 9999) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= 31)
    months = (np.where(in_range, year, 2000) - 1970) * 12 + np.where(in_range, month, 1) - 1
    first = months.astype("datetime64[M]").astype("datetime64[D]")
    dates = first + (np.where(in_range, day, 1) - 1).astype("timedelta64[D]")
    valid = in_range & (dates.astype("datetime64[M]") == first.astype("datetime64[M]"))
    return dates, valid
