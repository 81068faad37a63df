"""The vectorised part of the reader: lines, and the common shapes of #VER and #TRANS.

A file of a million #TRANS lines is mostly `#TRANS 5010 {6 "12"} -1234.50 20170315 "text"`.
Lines are found with numpy; the #VER and #TRANS lines are cut into fields with numpy over
16-byte windows of the file's bytes, a block of lines at a time (so the work stays in the CPU
cache). What repeats (a #TRANS's account and object list, a #VER's series) is grouped by its
bytes and read by the general tokenizer once per distinct value. Amounts, numbers and dates are
read only in their plain shapes. A line of any other shape, or one whose values the tokenizer
refuses, is left to the tokenizer, so a line taken here is one the tokenizer reads the same way.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .tokens import SieSyntaxError, object_pairs, parse_int, split_record

SPACE, TAB, CR, NEWLINE = 32, 9, 13, 10
QUOTE, BACKSLASH, OPEN, CLOSE, MINUS, DOT, ZERO = 34, 92, 123, 125, 45, 46, 48
WIDTH = 16  # bytes per window
PAD = 2 * WIDTH  # zero bytes after the data, so that a window never leaves the buffer
BLOCK = 1 << 15  # lines per block: what a block works on stays in the CPU cache
THREADS = 2
MASKS = np.array([(1 << (8 * n)) - 1 for n in range(9)], dtype=np.uint64)  # the first n bytes of a word


class Buffer:
    """The file's bytes and zero padding, read 8 or 16 bytes at a time at any position."""

    def __init__(self, data: bytes) -> None:
        padded = np.zeros(len(data) + PAD, dtype=np.uint8)
        padded[:len(data)] = np.frombuffer(data, dtype=np.uint8)
        self.data, self.size = data, len(data)
        self.bytes = padded
        self.words = np.ndarray((len(padded) - 7,), dtype="<u8", buffer=padded, strides=(1,))
        self._windows = np.ndarray((len(padded) - WIDTH + 1,), dtype=f"V{WIDTH}", buffer=padded, strides=(1,))

    def window(self, at: np.ndarray) -> np.ndarray:
        """The WIDTH bytes from each position, as rows of a matrix."""
        return self._windows[at].view(np.uint8).reshape(-1, WIDTH)


@dataclass(frozen=True)
class Lines:
    bounds: np.ndarray  # int64, n + 1: where each line starts in the bytes (its end is the next start)
    start: np.ndarray  # int64: first byte of the content (leading blanks skipped)
    end: np.ndarray  # int64: one past the content (trailing blanks, CR and LF dropped)
    head: np.ndarray  # uint64: the eight bytes from `start` (little-endian), to tell the records apart

    def __len__(self) -> int:
        return len(self.start)


def split_lines(buf: Buffer) -> Lines:
    data = buf.bytes[:buf.size]
    newlines = np.flatnonzero(data == NEWLINE)
    bounds = np.empty(len(newlines) + 2, dtype=np.int64)
    bounds[0] = 0
    bounds[1:-1] = newlines + 1
    bounds[-1] = buf.size
    start = bounds[:-1].copy()
    end = np.append(newlines, buf.size)
    head = buf.words[start]
    _trim(buf, start, end, head)
    return Lines(bounds, start, end, head)


def _trim(buf: Buffer, start: np.ndarray, end: np.ndarray, head: np.ndarray) -> None:
    """Skip blanks at both ends of each line (in place): one pass for CR, then passes over the few others."""
    blank = np.zeros(256, dtype=bool)
    blank[[SPACE, TAB, CR]] = True
    data = buf.bytes  # index -1 (before an empty first line) reads the zero padding at the end
    end -= (data[end - 1] == CR) & (end > start)
    todo = np.flatnonzero(blank[data[end - 1]] & (end > start))
    while len(todo):
        end[todo] -= 1
        todo = todo[(end[todo] > start[todo]) & blank[data[end[todo] - 1]]]
    todo = np.flatnonzero(blank[(head & np.uint64(0xFF)).astype(np.uint8)] & (end > start))
    moved = todo
    while len(todo):
        start[todo] += 1
        todo = todo[(end[todo] > start[todo]) & blank[data[start[todo]]]]
    head[moved] = buf.words[start[moved]]


# The fields are read eight bytes at a time ("SWAR"): a window is two little-endian 64-bit words,
# byte k of the field in bits 8k..8k+7, and every step is one numpy operation over all rows.
ONES, HIGHS, ZEROS = (np.uint64(0x0101010101010101 * b) for b in (1, 0x80, ZERO))
LOW7 = np.uint64(0x7F7F7F7F7F7F7F7F)
NIBBLES, SIXES = np.uint64(0xF0F0F0F0F0F0F0F0), np.uint64(0x0606060606060606)
POWERS = 10 ** np.arange(17, dtype=np.int64)


def _words(buf: Buffer, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    words = buf.window(at).view(np.uint64)
    return words[:, 0], words[:, 1]


def _zero_bytes(x: np.ndarray) -> np.ndarray:
    """The high bit of each byte of x that is zero (exact, no borrow between bytes)."""
    return ~(((x & LOW7) + LOW7) | x | LOW7)


def _first_zero(x: np.ndarray) -> np.ndarray:
    """The index of the first zero byte of each word, 8 where there is none."""
    zero = _zero_bytes(x)
    return (np.bitwise_count((zero - np.uint64(1)) & ~zero) >> 3).astype(np.int64)


def _first(low: np.ndarray, high: np.ndarray, byte: int) -> np.ndarray:
    """The index of the first `byte` in each 16-byte window, WIDTH where there is none."""
    pattern = ONES * np.uint64(byte)
    first = _first_zero(low ^ pattern)
    return np.where(first < 8, first, 8 + _first_zero(high ^ pattern))


def _equal(x: np.ndarray, *byte: int) -> np.ndarray:
    """The high bit of each byte of x that is one of `byte`."""
    found = _zero_bytes(x ^ (ONES * np.uint64(byte[0])))
    for other in byte[1:]:
        found |= _zero_bytes(x ^ (ONES * np.uint64(other)))
    return found


def _leading(n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the first n (0..16) bytes of a window, as its two words."""
    return MASKS[np.clip(n, 0, 8)], MASKS[np.clip(n - 8, 0, 8)]


def _byte(k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Masks of byte k (0..15; none for 16 and beyond) of a window."""
    shift = (k.astype(np.uint64) & np.uint64(7)) << np.uint64(3)
    byte = np.uint64(0xFF) << shift
    return np.where(k < 8, byte, np.uint64(0)), np.where((k >= 8) & (k < WIDTH), byte, np.uint64(0))


def _nondigits(x: np.ndarray) -> np.ndarray:
    """Nonzero in each byte that is not an ASCII digit. A byte of 0xFA or more carries into the next,
    which can then look like a non-digit too: that only sends a line to the tokenizer."""
    return ((x & NIBBLES) ^ (ZEROS & NIBBLES)) | (((x + SIXES) & NIBBLES) ^ (ZEROS & NIBBLES))


def _eight(x: np.ndarray) -> np.ndarray:
    """Eight ASCII digits -> their number, the first byte the most significant."""
    x = x - ZEROS
    x = (x * np.uint64(10) + (x >> np.uint64(8))) & np.uint64(0x00FF00FF00FF00FF)
    x = (x * np.uint64(100) + (x >> np.uint64(16))) & np.uint64(0x0000FFFF0000FFFF)
    x = (x * np.uint64(10000) + (x >> np.uint64(32))) & np.uint64(0xFFFFFFFF)
    return x.astype(np.int64)


def _digits(low: np.ndarray, high: np.ndarray, keep: tuple[np.ndarray, np.ndarray],
            length: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The number the kept bytes of the first `length` make (the others read as 0), and whether every
    kept byte is a digit."""
    bad = ((_nondigits(low) & keep[0]) | (_nondigits(high) & keep[1])) != 0
    low = (low & keep[0]) | (ZEROS & ~keep[0])
    high = (high & keep[1]) | (ZEROS & ~keep[1])
    return (_eight(low) * 10**8 + _eight(high)) // POWERS[np.clip(WIDTH - length, 0, WIDTH)], ~bad


def _find(buf: Buffer, at: np.ndarray, stop: np.ndarray, byte: int) -> np.ndarray:
    """The first `byte` in [at, stop) of each row, or stop where there is none."""
    found = stop.copy()
    todo = np.flatnonzero(at < stop)
    at = at[todo]
    while len(todo):
        first = _first(*_words(buf, at), byte)
        where = at + first
        inside = (first < WIDTH) & (where < stop[todo])
        found[todo[inside]] = where[inside]
        more = (first == WIDTH) & (at + WIDTH < stop[todo])
        todo, at = todo[more], at[more] + WIDTH
    return found


def _whole(buf: Buffer, at: np.ndarray, length: np.ndarray, most: int) -> tuple[np.ndarray, np.ndarray]:
    """The number written with 1 to `most` (< WIDTH) digits at `at`, and whether it is written so."""
    value, ok = _digits(*_words(buf, at), _leading(length), length)
    return value, ok & (length >= 1) & (length <= most)


def _amounts(buf: Buffer, at: np.ndarray, stop: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`-?d{1,12}(.d{1,2})?` at `at`, ended by a space or the line's end: öre, length, and whether it is so written."""
    low, high = _words(buf, at)
    length = np.minimum(_first(low, high, SPACE), stop - at)
    dot = np.minimum(_first(low, high, DOT), length)
    sign = (low & np.uint64(0xFF)) == MINUS
    field, point = _leading(length), _byte(dot)
    keep = (field[0] & ~point[0] & ~np.where(sign, np.uint64(0xFF), np.uint64(0)), field[1] & ~point[1])
    # The sign and the point read as 0: "-1234.5" is 0123405, then split at the point.
    number, ok = _digits(low, high, keep, length)
    decimals = np.where(dot < length, length - dot - 1, 0)
    integer = dot - sign
    ok &= (integer >= 1) & (integer <= 12) & (length < WIDTH) & ((dot == length) | (decimals >= 1)) & (decimals <= 2)
    unit = POWERS[np.where(dot < length, decimals + 1, 0)]
    ore = (number // unit) * 100 + (number % unit) * POWERS[2 - np.minimum(decimals, 2)]
    return np.where(sign, -ore, ore), length, ok


def _dates(buf: Buffer, at: np.ndarray, stop: np.ndarray, empty: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`YYYYMMDD` or `"YYYYMMDD"` (or `""` when `empty`) at `at`, ended by a space or the line's end:
    the date as an integer (0 for `""`), where the field ends, and whether it is so written."""
    room = stop - at
    first, second = buf.bytes[at], buf.bytes[at + 1]
    bare_word, quoted_word = buf.words[at], buf.words[at + 1]

    def ends(width: int) -> np.ndarray:
        return (room == width) | ((room > width) & (buf.bytes[at + width] == SPACE))

    bare = (_nondigits(bare_word) == 0) & ends(8)
    quoted = (first == QUOTE) & (_nondigits(quoted_word) == 0) & (buf.bytes[at + 9] == QUOTE) & ends(10)
    blank = (first == QUOTE) & (second == QUOTE) & ends(2) & empty
    day = _eight(np.where(quoted, quoted_word, bare_word))
    ok = ((bare | quoted) & (day > 0)) | blank
    return np.where(blank, 0, day), at + np.where(bare, 8, np.where(quoted, 10, 2)), ok


def _tail_ok(buf: Buffer, at: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """Whether the fields after the ones taken split cleanly: no backslash or brace, quotes in pairs."""
    ok = np.ones(len(at), dtype=bool)
    quotes = np.zeros(len(at), dtype=np.int64)
    todo = np.flatnonzero(at < stop)
    at = at[todo]
    while len(todo):
        low, high = _words(buf, at)
        inside = _leading(stop[todo] - at)
        quotes[todo] += (np.bitwise_count(_equal(low, QUOTE) & inside[0])
                         + np.bitwise_count(_equal(high, QUOTE) & inside[1]))
        ok[todo] &= ((_equal(low, BACKSLASH, OPEN, CLOSE) & inside[0])
                     | (_equal(high, BACKSLASH, OPEN, CLOSE) & inside[1])) == 0
        more = at + WIDTH < stop[todo]
        todo, at = todo[more], at[more] + WIDTH
    return ok & (quotes % 2 == 0)


def _rest_ok(buf: Buffer, at: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """The line ends at `at`, or a space follows and then fields that split cleanly."""
    ok = at >= stop
    more = np.flatnonzero(~ok & (buf.bytes[np.minimum(at, stop)] == SPACE))
    ok[more] = _tail_ok(buf, at[more] + 1, stop[more])
    return ok


class _Spans:
    """Codes for byte strings that repeat, equal bytes equal codes, across blocks; each distinct
    string read once by `read` (None where the tokenizer refuses it)."""

    def __init__(self, buf: Buffer, read: Callable[[bytes], object | None]) -> None:
        self.buf, self.read = buf, read
        self.codes: dict[bytes, int] = {}
        self.values: list[object | None] = []
        self.lock = threading.Lock()  # blocks run on two threads

    def code(self, start: np.ndarray, stop: np.ndarray) -> np.ndarray:
        """A code per span [start, stop); -1 where the tokenizer refuses the bytes."""
        length = stop - start
        words = [self.buf.words[start + 8 * j] & MASKS[np.clip(length - 8 * j, 0, 8)]
                 for j in range((int(length.max(initial=0)) + 7) // 8)]
        key = length.astype(np.uint64)
        for word in words:
            key = (key ^ word) * np.uint64(0x9E3779B97F4A7C15)
            key ^= key >> np.uint64(29)
        local, keys = pd.factorize(key)
        first = np.empty(len(keys), dtype=np.int64)
        first[local[::-1]] = np.arange(len(local) - 1, -1, -1)
        same = length == length[first][local]  # a 64-bit hash collision leaves a row to the tokenizer
        for word in words:
            same &= word == word[first][local]
        with self.lock:
            table = np.array([self._code(self.buf.data[s:e]) for s, e in
                              zip(start[first].tolist(), stop[first].tolist(), strict=True)], dtype=np.int64)
        return np.where(same, table[local], -1)

    def _code(self, raw: bytes) -> int:
        code = self.codes.get(raw)
        if code is None:
            value = self.read(raw)
            code = -1 if value is None else len(self.values)
            if value is not None:
                self.values.append(value)
            self.codes[raw] = code
        return code


def _reader(encoding: str, tag: str, shape: Callable[[list], object]) -> Callable[[bytes], object | None]:
    """Read `tag` + the bytes with the tokenizer; `shape` takes the fields apart (None if refused)."""
    def read(raw: bytes) -> object | None:
        try:
            found, fields = split_record(tag + raw.decode(encoding, errors="replace"))
            return shape(fields) if found == tag.strip() else None
        except (SieSyntaxError, ValueError, IndexError):
            return None
    return read


def _account_and_objects(fields: list) -> tuple[int, tuple[tuple[int, str], ...]] | None:
    if len(fields) != 2 or not isinstance(fields[0], str) or isinstance(fields[1], str):
        return None
    return parse_int(fields[0], "account"), object_pairs(fields[1])


def _series(fields: list) -> str | None:
    return fields[0] if len(fields) == 1 and isinstance(fields[0], str) else None


@dataclass(frozen=True)
class FastTrans:
    rows: np.ndarray  # line index (0-based) of each taken line
    account: np.ndarray  # int64
    objects_key: np.ndarray  # int64 code into objects
    objects: list[tuple[tuple[int, str], ...]]  # the object list, per code
    ore: np.ndarray  # int64
    transdate: np.ndarray  # int64 YYYYMMDD, 0 where the line gives none


@dataclass(frozen=True)
class FastVer:
    rows: np.ndarray  # line index of each taken line
    series_code: np.ndarray  # int64 code into series
    series: list[str]
    number: np.ndarray  # int64, -1 where the voucher has no number
    date: np.ndarray  # int64 YYYYMMDD


def _trans_block(buf: Buffer, spans: _Spans, start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, ...]:
    """`#TRANS <account> {<objects>} <amount>[ <date>[ <more>]]`: ok, prefix code, öre, date."""
    fields = start + len(b"#TRANS ")
    close = _find(buf, fields, end, CLOSE)
    amount_at = close + 2
    ok = (amount_at < end) & (buf.bytes[np.minimum(close + 1, end)] == SPACE)
    ore, length, good = _amounts(buf, amount_at, end)
    ok &= good
    after = amount_at + length
    day = np.zeros(len(start), dtype=np.int64)
    dated = np.flatnonzero(ok & (after < end))
    ok[dated] = buf.bytes[after[dated]] == SPACE
    dated = dated[ok[dated]]
    day[dated], day_end, good = _dates(buf, after[dated] + 1, end[dated], empty=True)
    ok[dated] = good & _rest_ok(buf, day_end, end[dated])
    code = np.full(len(start), -1, dtype=np.int64)
    taken = np.flatnonzero(ok)
    code[taken] = spans.code(fields[taken], close[taken] + 1)  # the list's '}' included
    return code >= 0, code, ore, day


def _ver_block(buf: Buffer, spans: _Spans, start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, ...]:
    """`#VER <series> <number> <date>[ <more>]`: ok, series code, number, date."""
    fields = start + len(b"#VER ")
    gap = _find(buf, fields, end, SPACE)
    number_at = gap + 1
    number_end = _find(buf, number_at, end, SPACE)
    length = number_end - number_at
    number, ok = _whole(buf, number_at, length, 9)
    blank = (length == 2) & (buf.bytes[number_at] == QUOTE) & (buf.bytes[number_at + 1] == QUOTE)
    ok = (ok | blank) & (gap > fields) & (number_end < end)
    number = np.where(blank, -1, number)
    day, day_end, good = _dates(buf, number_end + 1, end, empty=False)
    ok &= good & _rest_ok(buf, day_end, end)
    code = np.full(len(start), -1, dtype=np.int64)
    taken = np.flatnonzero(ok)
    code[taken] = spans.code(fields[taken], gap[taken])
    return code >= 0, code, number, day


def _blocks(pool: ThreadPoolExecutor, block: Callable[..., tuple[np.ndarray, ...]], buf: Buffer, spans: _Spans,
            lines: Lines, rows: np.ndarray) -> tuple[np.ndarray, ...]:
    """Run `block` over the rows a block at a time (numpy lets go of the GIL inside each operation,
    so two threads share the work); the rows taken and their columns, in file order."""
    def run(chunk: np.ndarray) -> list[np.ndarray]:
        ok, *columns = block(buf, spans, lines.start[chunk], lines.end[chunk])
        return [chunk[ok], *(c[ok] for c in columns)]

    parts = list(pool.map(run, [rows[first:first + BLOCK] for first in range(0, len(rows), BLOCK)]))
    if not parts:
        return tuple(np.empty(0, dtype=np.int64) for _ in range(4))
    return tuple(np.concatenate(column) for column in zip(*parts, strict=True))


def _tagged(heads: np.ndarray, tag: bytes) -> np.ndarray:
    """Rows whose content (first eight bytes in `heads`) starts with `tag` and a space."""
    head = tag + b" "
    return np.flatnonzero((heads & MASKS[len(head)]) == np.uint64(int.from_bytes(head, "little")))


def scan_vouchers(buf: Buffer, lines: Lines, encoding: str) -> tuple[FastTrans, FastVer]:
    """Find and read the #TRANS and #VER lines of the common shapes."""
    trans = _Spans(buf, _reader(encoding, "#TRANS ", _account_and_objects))
    with ThreadPoolExecutor(THREADS) as pool:
        rows, code, ore, day = _blocks(pool, _trans_block, buf, trans, lines, _tagged(lines.head, b"#TRANS"))
        series = _Spans(buf, _reader(encoding, "#VER ", _series))
        ver = _blocks(pool, _ver_block, buf, series, lines, _tagged(lines.head, b"#VER"))
    prefixes: list = trans.values
    accounts = np.array([p[0] for p in prefixes], dtype=np.int64)
    objects: dict[tuple[tuple[int, str], ...], int] = {}
    object_code = np.array([objects.setdefault(p[1], len(objects)) for p in prefixes], dtype=np.int64)
    fast_trans = FastTrans(rows, accounts[code] if len(prefixes) else code, object_code[code] if len(prefixes)
                           else code, list(objects), ore, day)
    rows, code, number, day = ver
    return fast_trans, FastVer(rows, code, [str(s) for s in series.values], number, day)


def yyyymmdd_dates(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """YYYYMMDD integers -> (datetime64[D], valid): a date that does not exist (20171332) is flagged.

    Computed once per distinct value: a year's vouchers hold a few hundred dates.
    """
    codes, distinct = pd.factorize(values)
    dates, valid = _calendar(np.asarray(distinct, dtype=np.int64))
    return dates[codes], valid[codes]


def _calendar(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    year, month, day = values // 10000, values // 100 % 100, values % 100
    in_range = (year >= 1000) & (year <= 9999) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= 31)
    months = (np.where(in_range, year, 2000) - 1970) * 12 + np.where(in_range, month, 1) - 1
    first = months.astype("datetime64[M]").astype("datetime64[D]")
    dates = first + (np.where(in_range, day, 1) - 1).astype("timedelta64[D]")
    valid = in_range & (dates.astype("datetime64[M]") == first.astype("datetime64[M]"))
    return dates, valid
