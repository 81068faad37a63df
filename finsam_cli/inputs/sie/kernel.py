"""The compiled pass over a large SIE file (numba): lines, lone braces, the common #VER/#TRANS shapes.

Imported only for files of scan.FAST_FROM bytes or more. One vectorised pass counts the lines (and
the letters, for the encoding); then one loop over the bytes reads each line once: it drops its
blanks (space, tab, CR) at both ends, and reads

    #TRANS <account and object list> <amount>[ <date>[ <more>]]
    #VER <series> <number> <date>[ <more>]

as it goes to the line's end, with single spaces between the fields, amounts `-?d{1,12}(.d{1,2})?`,
numbers of 1 to 9 digits or `""`, dates `YYYYMMDD` or `"YYYYMMDD"` (or `""` on a #TRANS), and a rest
that splits cleanly (no backslash or brace, quotes in pairs). What repeats, a #TRANS's account and
object list and a #VER's series, is kept as a code per distinct byte string; scan.py has the
tokenizer read each distinct string once and sends the lines of a string it refuses to the
tokenizer. Every other line is left to the tokenizer, so a line taken here is one the tokenizer
reads the same way.

On the way it numbers each #TRANS's voucher, sums each voucher, turns the dates into seconds (the
frame's datetime64[s]; a date that does not exist is counted) and follows the braces; the reader
uses these when the tokenizer, reading the other lines, finds no #VER or transaction among them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

from .encoding import CP437_LETTERS, CP1252_LETTERS

SPACE, TAB, CR, NEWLINE = 32, 9, 13, 10
QUOTE, BACKSLASH, OPEN_BRACE, CLOSE_BRACE, MINUS, DOT, ZERO, NINE = 34, 92, 123, 125, 45, 46, 48, 57
# Line kinds, as scan.py numbers them.
OTHER, VER, OPEN, CLOSE, TRANS = 0, 1, 2, 3, 4
NO_DATE = -1  # not a date field of the accepted shapes
NOT_A_DAY = np.iinfo(np.int64).min  # NaT: a YYYYMMDD that does not exist, or no voucher yet (a part's first lines)
# The state `_lines` keeps between calls, and what scan_range returns of it (indices into one int64 array).
N_TRANS, N_VER, TRANS_CODES, VER_CODES, FIRST, INVALID, VOUCHER_SUM, LEAD_SUM, LEAD_COUNT, VOUCHER_DAY = range(10)
BRACES = 10  # where the braces stand, from each state the part may start in (two bits each: see _brace_table)
TRANS_FIRST = 11  # the column the part's first #TRANS goes to (FIRST: its first #VER's)
STATE = 12
OUTSIDE, AFTER_VER, INSIDE, BROKEN = range(4)
FNV_BASIS, FNV_PRIME = np.int64(-3750763034362895579), np.int64(1099511628211)  # FNV-1a's, as int64 (wrapping)
# Compiled once and cached beside the module; they let go of the GIL, so two threads share the work.
# The functions that allocate nothing are compiled without numba's reference counting: passing the
# arrays to a helper then costs nothing, where the counting made the pass 40 % slower (measured).
_OPTIONS: dict[str, Any] = {"cache": True, "nogil": True}
allocating = njit(**_OPTIONS)
plain = njit(**_OPTIONS | {"_nrt": False})  # a private flag of numba's, tested by every SIE test
# The loops over the bytes index with unsigned integers: numba then leaves out its wrap-around of a
# negative index, which kept LLVM from simpler loops (the pass took 10 % longer, measured).


@plain
def _is_trans(data, at, end):
    """The content starts with `#TRANS `."""
    return (end - at > 7 and data[at] == 35 and data[at + 1] == 84 and data[at + 2] == 82 and data[at + 3] == 65
            and data[at + 4] == 78 and data[at + 5] == 83 and data[at + 6] == SPACE)


@plain
def _is_ver(data, at, end):
    """The content starts with `#VER `."""
    return (end - at > 5 and data[at] == 35 and data[at + 1] == 86 and data[at + 2] == 69 and data[at + 3] == 82
            and data[at + 4] == SPACE)


@plain
def _run_of_digits(data, at, end):
    """The digits from `at` (before `end`): (their number, how many, where they end)."""
    value = count = 0
    i, limit = np.uint64(at), np.uint64(end)
    while i < limit and ZERO <= data[i] <= NINE:
        value = value * 10 + (data[i] - ZERO)
        count += 1
        i += np.uint64(1)
    return value, count, np.int64(i)


@plain
def _blank(byte):
    """Space, tab or CR: dropped at both ends of a line."""
    return byte == SPACE or byte == TAB or byte == CR  # noqa: PLR1714 (numba)


@plain
def _ends(data, at, size):
    """A field may end at `at`: a blank, the line's end or the data's (the line's tail decides the rest)."""
    return at >= size or data[at] == NEWLINE or _blank(data[at])


@plain
def _amount(data, at, size):
    """`-?d{1,12}(.d{1,2})?` at `at`, ended as `_ends` says: (öre, where it ends), or where = -1."""
    negative = at < size and data[at] == MINUS
    whole, digits, i = _run_of_digits(data, at + negative, size)
    if digits < 1 or digits > 12:
        return 0, -1
    cents = 0
    if i < size and data[i] == DOT:
        cents, decimals, i = _run_of_digits(data, i + 1, size)
        if decimals < 1 or decimals > 2:
            return 0, -1
        if decimals == 1:
            cents *= 10
    if not _ends(data, i, size):
        return 0, -1
    ore = whole * 100 + cents
    return (-ore if negative else ore), i


@plain
def _eight_digits(data, at):
    value = 0
    for i in range(at, at + 8):
        if not ZERO <= data[i] <= NINE:
            return -1
        value = value * 10 + (data[i] - ZERO)
    return value


@plain
def _date(data, at, size, empty):
    """`YYYYMMDD` or `"YYYYMMDD"` (or `""` when `empty`, read as 0) at `at`, ended as `_ends` says:
    (date, where it ends), or date = NO_DATE."""
    room = size - at
    if room >= 8 and _ends(data, at + 8, size):
        day = _eight_digits(data, at)
        if day > 0:
            return day, at + 8
    if room >= 10 and data[at] == QUOTE and data[at + 9] == QUOTE and _ends(data, at + 10, size):
        day = _eight_digits(data, at + 1)
        if day > 0:
            return day, at + 10
    if empty and room >= 2 and data[at] == QUOTE and data[at + 1] == QUOTE and _ends(data, at + 2, size):
        return 0, at + 2
    return NO_DATE, at


@plain
def _tail(data, at, size):
    """The rest of the line from `at`, where a field ended: (where the line ends, at its LF or the data's
    end; where its content ends, blanks dropped; whether the content ends at `at`, or a space follows
    and then fields that split cleanly: no backslash or brace, quotes in pairs)."""
    i, limit = np.uint64(at), np.uint64(size)
    last = at
    quotes = 0
    clean = True
    while i < limit:
        byte = data[i]
        if byte == NEWLINE:
            break
        if not _blank(byte):
            last = np.int64(i) + 1
            if byte == BACKSLASH or byte == OPEN_BRACE or byte == CLOSE_BRACE:  # noqa: PLR1714, SIM109 (numba)
                clean = False
            quotes += byte == QUOTE
        i += np.uint64(1)
    return np.int64(i), last, last == at or (data[at] == SPACE and clean and quotes % 2 == 0)


@plain
def _key_end(data, at, size):
    """The first `}` from `at` in the line (else where the line ends), and `_hash` of the bytes from
    `at` to the brace and it: a #TRANS's account and object list are hashed as they are looked through."""
    h = FNV_BASIS
    i, limit = np.uint64(at), np.uint64(size)
    while i < limit:
        byte = data[i]
        if byte == NEWLINE:
            return np.int64(i), h
        h = (h ^ np.int64(byte)) * FNV_PRIME
        if byte == CLOSE_BRACE:
            return np.int64(i), h
        i += np.uint64(1)
    return np.int64(i), h


@plain
def _find_in_line(data, at, size, byte):
    """The first `byte` from `at` in the line, else where the line ends (its LF or the data's end)."""
    i, limit = np.uint64(at), np.uint64(size)
    while i < limit and data[i] != byte and data[i] != NEWLINE:
        i += np.uint64(1)
    return np.int64(i)


@plain
def _find(data, at, end, byte):
    i, limit = np.uint64(at), np.uint64(end)
    while i < limit and data[i] != byte:
        i += np.uint64(1)
    return np.int64(i)


@plain
def _hash(data, start, stop):
    """FNV-1a of the bytes [start, stop)."""
    h = FNV_BASIS
    for i in range(np.uint64(start), np.uint64(stop)):
        h = (h ^ np.int64(data[i])) * FNV_PRIME
    return h


@allocating
def _slots(data, spans, count, size):
    """An open-addressing table (size a power of two) of the first `count` codes, -1 where free."""
    slots = np.full(size, -1, dtype=np.int64)
    for code in range(count):
        slot = _hash(data, spans[code, 0], spans[code, 1]) & (size - 1)
        while slots[slot] >= 0:
            slot = (slot + 1) & (size - 1)
        slots[slot] = code
    return slots


@plain
def _code(data, start, stop, slots, spans, count):
    """`_hashed_code`, hashing the bytes here."""
    return _hashed_code(data, start, stop, _hash(data, start, stop), slots, spans, count)


@plain
def _hashed_code(data, start, stop, hashed, slots, spans, count):
    """The code of the bytes [start, stop), equal bytes equal codes, numbered in order of first
    appearance; `spans` holds each code's first (start, stop). Returns the code and the new count."""
    mask = len(slots) - 1
    slot = hashed & mask
    length = stop - start
    while True:
        code = slots[slot]
        if code < 0:
            slots[slot] = count
            spans[count, 0] = start
            spans[count, 1] = stop
            return count, count + 1
        other = spans[code, 0]
        if spans[code, 1] - other == length and _same(data, np.uint64(start), np.uint64(other), np.uint64(length)):
            return code, count
        slot = (slot + 1) & mask


@plain
def _same(data, a, b, length):
    """The `length` bytes from `a` equal those from `b` (unsigned arguments)."""
    for i in range(length):  # noqa: SIM110 (numba: a loop, not a generator)
        if data[a + i] != data[b + i]:
            return False
    return True


@plain
def _digits(data, at, end):
    """The whole number written with 1 to 9 digits in [at, end), else -2."""
    if end - at < 1 or end - at > 9:
        return -2
    value = 0
    for i in range(at, end):
        if not ZERO <= data[i] <= NINE:
            return -2
        value = value * 10 + (data[i] - ZERO)
    return value


@plain
def _seconds(day):
    """A YYYYMMDD as seconds since 1970 (datetime64[s]); NOT_A_DAY where the date does not exist (as
    scan._calendar: years 1000 to 9999)."""
    year, month, date = day // 10000, day // 100 % 100, day % 100
    if year < 1000 or year > 9999 or month < 1 or month > 12 or date < 1:
        return NOT_A_DAY
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = 31
    if month == 2:
        days = 29 if leap else 28
    elif month == 4 or month == 6 or month == 9 or month == 11:  # noqa: PLR1714 (numba)
        days = 30
    if date > days:
        return NOT_A_DAY
    # Days from the civil date (March-based years, as in H. Hinnant's algorithm).
    shifted = year - (month <= 2)
    era = shifted // 400
    of_era = shifted - era * 400
    of_year = (153 * (month - 3 if month > 2 else month + 9) + 2) // 5 + date - 1
    return (era * 146097 + of_era * 365 + of_era // 4 - of_era // 100 + of_year - 719468) * 86400


def _brace_step(state: int, kind: int) -> int:
    """Where the braces stand after a line of `kind`: a '{' only right after a #VER, a #VER only
    outside the braces, a transaction only inside (reader._regular's structure)."""
    if kind == OTHER or state == BROKEN:
        return state
    if kind == VER:
        return BROKEN if state == INSIDE else AFTER_VER
    if kind == OPEN:
        return INSIDE if state == AFTER_VER else BROKEN
    if kind == CLOSE:
        return OUTSIDE if state == INSIDE else BROKEN
    return INSIDE if state == INSIDE else BROKEN


def _brace_table() -> np.ndarray:
    """The three states a part may start in, two bits each, stepped by one line kind: one look-up a line."""
    table = np.empty((64, TRANS + 1), dtype=np.int64)
    for packed in range(64):
        for kind in range(TRANS + 1):
            table[packed, kind] = sum(_brace_step(packed >> 2 * i & 3, kind) << 2 * i for i in range(3))
    return table


BRACE_TABLE = _brace_table()
BRACES_AT_START = OUTSIDE | AFTER_VER << 2 | INSIDE << 4  # lane i starts in state i


@plain
def _put(columns, at, row, code, value, day):
    columns[0, at] = row
    columns[1, at] = code
    columns[2, at] = value
    columns[3, at] = day


@plain
def _trans_fields(data, fields, size):
    """A #TRANS of the common shape, its fields from `fields` on: (where its account and object list end,
    -1 if the line has another shape; their hash; the amount; the date or 0; where the line ends; where
    its content ends)."""
    close, hashed = _key_end(data, fields, size)
    if close + 1 >= size or data[close] != CLOSE_BRACE or data[close + 1] != SPACE:
        return -1, hashed, 0, 0, 0, 0
    ore, after = _amount(data, close + 2, size)
    if after < 0:
        return -1, hashed, 0, 0, 0, 0
    day, rest, bare = 0, after, False
    if after < size and data[after] == SPACE:
        day, rest = _date(data, after + 1, size, True)
        if day == NO_DATE:  # no date: then only blanks may follow
            day, rest, bare = 0, after, True
    newline, e, clean = _tail(data, rest, size)
    if not clean or (bare and e > rest):
        return -1, hashed, 0, 0, 0, 0
    return close + 1, hashed, ore, day, newline, e


@plain
def _ver_fields(data, fields, size):
    """A #VER of the common shape, its fields from `fields` on: (where its series ends, -1 if the line has
    another shape; the number, -1 for `""`; the date; where the line ends; where its content ends)."""
    gap = _find_in_line(data, fields, size, SPACE)
    number_end = _find_in_line(data, gap + 1, size, SPACE)
    if gap <= fields or number_end >= size or data[number_end] != SPACE:
        return -1, 0, 0, 0, 0
    number = _digits(data, gap + 1, number_end)
    if number_end - gap == 3 and data[gap + 1] == QUOTE and data[gap + 2] == QUOTE:
        number = -1
    day, rest = _date(data, number_end + 1, size, False)
    if number == -2 or day == NO_DATE:
        return -1, 0, 0, 0, 0
    newline, e, clean = _tail(data, rest, size)
    return (gap if clean else -1), number, day, newline, e


@plain
def _other_line(data, pos, s, size):
    """Any other line, from `pos`, its first non-blank byte at `s`: (where it ends, where its content
    starts and ends, OPEN or CLOSE for a lone brace and else OTHER)."""
    newline = _find(data, s, size, NEWLINE)
    e = newline
    while e > pos and _blank(data[e - 1]):
        e -= 1
    s = pos  # a blank line's content starts and ends where it starts
    while s < e and _blank(data[s]):
        s += 1
    kind = OTHER
    if e - s == 1:
        if data[s] == OPEN_BRACE:
            kind = OPEN
        elif data[s] == CLOSE_BRACE:
            kind = CLOSE
    return newline, s, e, kind


@plain
def _lines(data, pos, row, rows, kind, start, end, trans, small, ver, state, trans_slots, trans_spans, ver_slots,
           ver_spans):
    """Read lines from byte `pos` (a line's start), the first being row `row`, up to row `rows`, or
    until a code table is half full. Returns where it stopped: (byte, row).

    `kind`, `start` and `end` get a value per row; `trans` a column per #TRANS taken (line, amount,
    date as seconds: its own, else its voucher's) and `small` (int32) one (code, date or 0, voucher:
    the #VER lines taken before it in the part less one); `ver` per #VER taken (line, code, number, date, date as
    seconds, the sum of the #TRANS taken after it in the part). `state` (see STATE) carries the
    counts, the sum of the current voucher and where the braces stand from call to call.
    """
    n_trans, n_ver, trans_codes, ver_codes = state[N_TRANS], state[N_VER], state[TRANS_CODES], state[VER_CODES]
    braces, first, invalid = state[BRACES], state[FIRST], state[INVALID]
    voucher_sum, voucher_day = state[VOUCHER_SUM], state[VOUCHER_DAY]  # in locals: the arrays may alias
    size = len(data)
    while row < rows and 2 * trans_codes < len(trans_slots) and 2 * ver_codes < len(ver_slots):
        s = pos
        while s < size and _blank(data[s]):
            s += 1
        line_kind = OTHER
        if _is_trans(data, s, size):
            key_end, hashed, ore, day, newline, e = _trans_fields(data, s + 7, size)
            if key_end >= 0:
                code, trans_codes = _hashed_code(data, s + 7, key_end, hashed, trans_slots, trans_spans, trans_codes)
                seconds = voucher_day
                if day:
                    seconds = _seconds(day)
                    invalid += seconds == NOT_A_DAY
                trans[0, n_trans] = row + 1
                trans[1, n_trans] = ore
                trans[2, n_trans] = seconds
                small[0, n_trans] = code
                small[1, n_trans] = day
                small[2, n_trans] = n_ver - first - 1
                voucher_sum += ore
                n_trans += 1
                line_kind = TRANS
        elif _is_ver(data, s, size):
            gap, number, day, newline, e = _ver_fields(data, s + 5, size)
            if gap >= 0:
                code, ver_codes = _code(data, s + 5, gap, ver_slots, ver_spans, ver_codes)
                _put(ver, n_ver, row + 1, code, number, day)
                _close_voucher(ver, state, n_trans, n_ver, voucher_sum)
                voucher_sum = 0
                voucher_day = _seconds(day)
                invalid += voucher_day == NOT_A_DAY
                ver[4, n_ver] = voucher_day
                n_ver += 1
                line_kind = VER
        if line_kind == OTHER:
            newline, s, e, line_kind = _other_line(data, pos, s, size)
        kind[row] = line_kind
        start[row] = s
        end[row] = e
        braces = BRACE_TABLE[braces, line_kind]
        row += 1
        pos = newline + 1
    state[N_TRANS], state[N_VER], state[TRANS_CODES], state[VER_CODES] = n_trans, n_ver, trans_codes, ver_codes
    state[BRACES], state[INVALID], state[VOUCHER_SUM], state[VOUCHER_DAY] = braces, invalid, voucher_sum, voucher_day
    return pos, row


@plain
def _close_voucher(ver, state, n_trans, n_ver, voucher_sum):
    """The sum of the #TRANS taken since the last #VER goes to that #VER, or (none yet in the part)
    is the part's leading sum, which the #VER before the part has."""
    if n_ver > state[FIRST]:
        ver[5, n_ver - 1] = voucher_sum
    else:
        state[LEAD_SUM] = voucher_sum
        state[LEAD_COUNT] = n_trans - state[TRANS_FIRST]


HASH, T, V = 35, 84, 86
# The letters encoding.detect_encoding weighs, as constants the compiled tests fold into a few compares.
CP437, CP1252 = tuple(CP437_LETTERS), tuple(CP1252_LETTERS)
# Bytes a survey chunk counts in 16-bit sums (numba widens small integers: each sum is cast back). LLVM
# then adds 32 bytes a vector, where 64-bit sums took 8 (a survey of 25 MB: 2.2 ms, from 7.6; measured).
CHUNK = 2**16 - 1


@plain
def _chunk(data, start, stop, counts, tags):
    """survey's counts over [start, stop), each `#T` and `#V` with its second byte up to `stop` (so
    data[stop] must exist). One loop without branches, so that it is vectorised."""
    lines = tag_t = tag_v = cp437 = cp1252 = np.uint16(0)
    high = np.uint8(0)
    for i in range(np.uint64(start), np.uint64(stop)):
        byte, after = data[i], data[i + np.uint64(1)]
        lines = np.uint16(lines + (byte == NEWLINE))
        tag_t = np.uint16(tag_t + ((byte == HASH) & (after == T)))
        tag_v = np.uint16(tag_v + ((byte == HASH) & (after == V)))
        high = np.uint8(high | byte)
        cp437 = np.uint16(cp437 + (byte in CP437))
        cp1252 = np.uint16(cp1252 + (byte in CP1252))
    counts[0] += high >> 7
    counts[1] += cp437
    counts[2] += cp1252
    tags[0] += tag_t
    tags[1] += tag_v
    return lines


@plain
def survey(data, pos, stop, counts, tags):
    """How many lines end in [pos, stop) (LF bytes); adds to `counts` what encoding.detect_encoding
    weighs (non-zero when a byte is non-ASCII, how many are CP437 letters, how many cp1252 letters),
    and to `tags` how often `#T` and `#V` occur (at least as often as `_lines` takes a #TRANS and a
    #VER: their columns' room)."""
    lines = 0
    for start in range(pos, stop - 1, CHUNK):
        lines += _chunk(data, start, min(start + CHUNK, stop - 1), counts, tags)
    if stop > pos:  # the last byte, which begins no tag within [pos, stop)
        last = data[stop - 1]
        lines += last == NEWLINE
        counts[0] += last >> 7
        counts[1] += last in CP437
        counts[2] += last in CP1252
    return lines


@allocating
def _bigger(slots, spans, count, data):
    grown = np.empty((2 * len(spans), 2), dtype=np.int64)
    grown[:count] = spans[:count]
    return _slots(data, grown, count, 2 * len(slots)), grown


@allocating
def scan_range(data, pos, row, rows, trans_first, ver_first, kind, start, end, trans, small, ver):
    """Read rows `row` to `rows` (their bytes from `pos` on) into `kind`, `start` and `end`, and the
    #TRANS and #VER lines taken into the columns of `trans` and `small` from `trans_first` on and of
    `ver` from `ver_first` on (see `_lines`).
    Returns the first (start, stop) of each code of each, and the state (see STATE): how many lines
    of each were taken, the dates that do not exist, the part's leading #TRANS (before its first
    #VER: their count and sum), and where the braces stand at its end from each state it may start
    in (state i in bits 2i and 2i + 1)."""
    state = np.zeros(STATE, dtype=np.int64)
    state[N_TRANS] = state[TRANS_FIRST] = trans_first
    state[N_VER] = state[FIRST] = ver_first
    state[VOUCHER_DAY] = NOT_A_DAY
    state[BRACES] = BRACES_AT_START
    trans_slots, trans_spans = np.full(256, -1, dtype=np.int64), np.empty((128, 2), dtype=np.int64)
    ver_slots, ver_spans = np.full(256, -1, dtype=np.int64), np.empty((128, 2), dtype=np.int64)
    while True:
        pos, row = _lines(data, pos, row, rows, kind, start, end, trans, small, ver, state, trans_slots, trans_spans,
                          ver_slots, ver_spans)
        if row == rows:
            break
        if 2 * state[TRANS_CODES] >= len(trans_slots):
            trans_slots, trans_spans = _bigger(trans_slots, trans_spans, state[TRANS_CODES], data)
        if 2 * state[VER_CODES] >= len(ver_slots):
            ver_slots, ver_spans = _bigger(ver_slots, ver_spans, state[VER_CODES], data)
    _close_voucher(ver, state, state[N_TRANS], state[N_VER], state[VOUCHER_SUM])
    state[N_TRANS] -= state[TRANS_FIRST]
    state[N_VER] -= state[FIRST]
    return trans_spans[:state[TRANS_CODES]], ver_spans[:state[VER_CODES]], state


@allocating
def move(columns, to, at, count):
    """Move `count` columns from `at` down to `to` (to <= at), in place."""
    for k in range(columns.shape[0]):
        for i in range(count):
            columns[k, to + i] = columns[k, at + i]
