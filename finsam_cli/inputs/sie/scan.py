"""Lines and their kinds, and the common shapes of #VER and #TRANS.

A file of a million #TRANS lines is mostly `#TRANS 5010 {6 "12"} -1234.50 20170315 "text"`. A file
of FAST_FROM bytes or more is read by one compiled pass (kernel.py, numba), on two threads, which
finds the lines and reads the #VER and #TRANS lines of the common shapes. What repeats (a #TRANS's
account and object list, a #VER's series) is read by the general tokenizer once per distinct value;
the lines of a value it refuses, and every line of another shape, are left to the tokenizer, so a
line taken here is one the tokenizer reads the same way. A smaller file is cut into lines here and
read by the tokenizer alone: importing numba and loading the compiled pass costs more than that.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .encoding import Data, detect_encoding
from .tokens import SieSyntaxError, object_pairs, parse_int, split_record

# Line kinds, as the reader numbers them (reader.py names them; kernel.py uses the same numbers).
OTHER, VER, OPEN, CLOSE, TRANS = range(5)
# A part per thread: more parts (a thread done early taking the next) cost more than they saved when
# measured (moved then, as each part's columns were placed after all the rows before it).
PARTS = THREADS = 2
FAST_FROM = 1536 * 1024  # bytes: numba's import and the loading of the cached pass (≈0.4 s CPU) against the tokenizer
BLANKS = b" \t\r"


@dataclass(frozen=True)
class Lines:
    start: np.ndarray  # int32 or int64: first byte of the content (leading blanks skipped)
    end: np.ndarray  # likewise: one past the content (trailing blanks, CR and LF dropped)
    kind: np.ndarray  # int8: OPEN and CLOSE for a lone brace; TRANS and VER for the lines taken; else OTHER
    # The compiled pass found the braces regular (reader._regular) among the lines it took: so they
    # are, when the tokenizer finds no #VER or transaction among the other lines. False: not known.
    regular: bool = False

    def __len__(self) -> int:
        return len(self.start)


@dataclass(frozen=True)
class FastTrans:
    lines: np.ndarray  # int64: the line (1-based) of each taken line
    account: np.ndarray  # int32 or int64
    accounts: np.ndarray  # the account per code of objects_key (each used by a line taken)
    objects_key: np.ndarray  # int32 (int64 in a small file) code into objects
    objects: list[tuple[tuple[int, str], ...]]  # the object list, per code (codes may share a list)
    ore: np.ndarray  # int64
    transdate: np.ndarray  # int32 (int64 in a small file) YYYYMMDD, 0 where the line gives none
    # From the compiled pass, when all the dates exist (else None): the voucher (the #VER lines taken
    # before, less one) and the date (its own, else its voucher's, datetime64[s]). They are the
    # transactions' when the tokenizer finds no #VER or transaction among the other lines.
    voucher: np.ndarray | None = None
    date: np.ndarray | None = None


@dataclass(frozen=True)
class FastVer:
    lines: np.ndarray  # int64: the line (1-based) of each taken line
    series_code: np.ndarray  # int64 code into series
    series: list[str]
    number: np.ndarray  # int64, -1 where the voucher has no number
    date: np.ndarray  # int64 YYYYMMDD
    # From the compiled pass, when all the dates exist (else None), as FastTrans's: the date
    # (datetime64[s]) and the sum in öre of the #TRANS taken after each #VER, before the next.
    when: np.ndarray | None = None
    sums: np.ndarray | None = None


def read_lines(data: Data) -> tuple[Lines, FastTrans, FastVer, str]:
    """The lines, the #TRANS and #VER lines read without the tokenizer (none in a small file), and the
    encoding the bytes are in."""
    if len(data) >= FAST_FROM:
        return _compiled(data)
    none = np.empty(0, dtype=np.int64)
    return (split_lines(bytes(data)), FastTrans(none, none, none, none, [], none, none),
            FastVer(none, none, [], none, none),
            detect_encoding(data))


def split_lines(data: bytes) -> Lines:
    """Lines as the compiled pass finds them: split at LF, blanks (space, tab, CR) dropped at both ends."""
    start, end, kind = [], [], []
    at = 0
    for line in data.split(b"\n"):
        content = line.rstrip(BLANKS)
        skipped = len(content) - len(content.lstrip(BLANKS))
        start.append(at + skipped)
        end.append(at + len(content))
        kind.append(OPEN if content[skipped:] == b"{" else CLOSE if content[skipped:] == b"}" else OTHER)
        at += len(line) + 1
    return Lines(np.array(start, dtype=np.int64), np.array(end, dtype=np.int64), np.array(kind, dtype=np.int8))


def _compiled(data: Data) -> tuple[Lines, FastTrans, FastVer, str]:
    from . import kernel

    raw = np.frombuffer(data, dtype=np.uint8)
    parts = _parts(data)
    letters = np.zeros((len(parts), 3), dtype=np.int64)  # per part, what detect_encoding weighs
    tags = np.zeros((len(parts), 2), dtype=np.int64)  # per part, how often `#T` and `#V` occur
    with ThreadPoolExecutor(THREADS) as pool:  # the compiled functions let go of the GIL
        ends = np.cumsum(list(pool.map(lambda i: kernel.survey(raw, *parts[i], letters[i], tags[i]),
                                       range(len(parts)))))
        rows = int(ends[-1]) + 1  # a line ends at each LF, and the last at the end of the data
        firsts = [0, *ends[:-1].tolist()]
        kind = np.empty(rows, dtype=np.int8)
        offset = np.int32 if len(data) < 2**31 else np.int64  # half the memory to touch, in the common case
        start, end = np.empty(rows, dtype=offset), np.empty(rows, dtype=offset)
        # Per #TRANS (line, amount, date as seconds) and, in half the memory, (code, date, voucher); a
        # part's columns follow the room the parts before may need, so they are seldom moved.
        room = np.cumsum(tags, axis=0)
        trans_firsts, ver_firsts = [0, *room[:-1, 0].tolist()], [0, *room[:-1, 1].tolist()]
        trans, small = np.empty((3, room[-1, 0]), dtype=np.int64), np.empty((3, room[-1, 0]), dtype=np.int32)
        ver = np.empty((6, room[-1, 1]), dtype=np.int64)
        taken = list(pool.map(lambda i: kernel.scan_range(raw, parts[i][0], firsts[i], [*ends[:-1].tolist(), rows][i],
                                                          trans_firsts[i], ver_firsts[i], kind, start, end, trans,
                                                          small, ver), range(len(parts))))
    encoding = detect_encoding(data, letters.sum(axis=0).tolist())
    trans_read = _Distinct(_reader(encoding, "#TRANS ", _account_and_objects))
    ver_read = _Distinct(_reader(encoding, "#VER ", _series))
    states = [state for _, _, state in taken]
    n_trans = _common([trans, small], small[0], trans_read, data, trans_firsts,
                      [(int(st[kernel.N_TRANS]), spans) for spans, _, st in taken])
    n_ver = _common([ver], ver[1], ver_read, data, ver_firsts,
                    [(int(st[kernel.N_VER]), spans) for _, spans, st in taken])
    regular, dated = _join(trans, small, ver, states)
    trans_refused, ver_refused = small[0, :n_trans] < 0, ver[1, :n_ver] < 0  # values the tokenizer refuses
    # Such a line goes back to the tokenizer: the braces followed among the lines taken are then not known
    # to be the file's (a #VER the tokenizer cannot read leaves its '{' opening nothing).
    regular = regular and not (trans_refused.any() or ver_refused.any())
    (t_lines, t_ore, t_seconds), (t_code, t_date, t_voucher) = _refused(trans_refused, kind,
                                                                       trans[:, :n_trans], small[:, :n_trans])
    [(v_lines, v_code, v_number, v_date, v_seconds, v_sums)] = _refused(ver_refused, kind, ver[:, :n_ver])
    accounts = np.array([value[0] for value in trans_read.values], dtype=np.int64)
    if len(accounts) and np.abs(accounts).max() < 2**31:
        accounts = accounts.astype(np.int32)  # as the transactions hold them
    # The code of (account, object list) stands for the object list too: no second code to look up.
    fast_trans = FastTrans(t_lines, accounts[t_code] if len(accounts) else t_code, accounts, t_code,
                           [value[1] for value in trans_read.values], t_ore, t_date,
                           t_voucher if dated else None,
                           t_seconds.view("datetime64[s]") if dated else None)
    fast_ver = FastVer(v_lines, v_code, [str(value) for value in ver_read.values], v_number, v_date,
                       v_seconds.view("datetime64[s]") if dated else None, v_sums if dated else None)
    return Lines(start, end, kind, regular), fast_trans, fast_ver, encoding


def _parts(data: Data) -> list[tuple[int, int]]:
    """PARTS spans of whole lines, about equal."""
    cuts = [0]
    for part in range(1, PARTS):
        cut = data.find(b"\n", len(data) * part // PARTS) + 1
        if cut > cuts[-1]:
            cuts.append(cut)
    return list(zip(cuts, [*cuts[1:], len(data)], strict=True))


def _join(trans: np.ndarray, small: np.ndarray, ver: np.ndarray, states: list[np.ndarray]) -> tuple[bool, bool]:
    """The parts' columns as one file's (after `_common`): a part's vouchers numbered on from the
    parts before, and its leading #TRANS (before its first #VER) given to the #VER before it (their
    sum, and the date of those without their own). Returns whether the braces are regular and
    whether all dates exist."""
    from . import kernel

    n_trans = n_ver = invalid = 0
    braces = kernel.OUTSIDE
    for state in states:
        if n_ver:
            small[2, n_trans:n_trans + state[kernel.N_TRANS]] += n_ver
            ver[5, n_ver - 1] += state[kernel.LEAD_SUM]
            lead = slice(n_trans, n_trans + int(state[kernel.LEAD_COUNT]))
            trans[2, lead][small[1, lead] == 0] = ver[4, n_ver - 1]
        braces = int(state[kernel.BRACES]) >> 2 * braces & 3 if braces != kernel.BROKEN else braces
        invalid += int(state[kernel.INVALID])
        n_trans += int(state[kernel.N_TRANS])
        n_ver += int(state[kernel.N_VER])
    return braces in (kernel.OUTSIDE, kernel.AFTER_VER), invalid == 0


def _common(columns: list[np.ndarray], code: np.ndarray, distinct: _Distinct, data: Data, firsts: list[int],
            taken: list[tuple[int, np.ndarray]]) -> int:
    """Each part's lines, written from its first column on, moved together from column 0 on, with codes
    (`code`, one of the columns) common to the parts (-1 where the tokenizer refuses the value).
    Returns how many there are."""
    from . import kernel

    count = 0
    for first, (n, spans) in zip(firsts, taken, strict=True):
        codes = code[first:first + n]
        codes[:] = distinct.codes(data, spans)[codes]
        if first != count:
            for array in columns:
                kernel.move(array, count, first, n)
        count += n
    return count


def _refused(refused: np.ndarray, kind: np.ndarray, *columns: np.ndarray) -> list[np.ndarray]:
    """The `columns` (the first row of the first holds the lines) without the `refused` ones, whose value
    the tokenizer refuses: those become OTHER lines again, for the tokenizer."""
    if not refused.any():
        return list(columns)
    kind[columns[0][0][refused] - 1] = OTHER
    return [array[:, ~refused] for array in columns]


class _Distinct:
    """Codes for byte strings, across the parts, each distinct string read once by `read` (code -1
    where the tokenizer refuses it). Equal values get equal codes, however they are written (`A` and
    `"A"`, `{6 P1}` and `{6 "P1"}`): the values are categories and the outcome's cells."""

    def __init__(self, read: Callable[[bytes], Any]) -> None:
        self.read = read
        self.known: dict[bytes, int] = {}
        self.values: list[Any] = []
        self.value_codes: dict[Any, int] = {}

    def codes(self, data: Data, spans: np.ndarray) -> np.ndarray:
        """The common code of each part's code, whose first (start, stop) `spans` holds."""
        return np.array([self._code(data[a:b]) for a, b in spans.tolist()], dtype=np.int64)

    def _code(self, raw: bytes) -> int:
        code = self.known.get(raw)
        if code is None:
            value = self.read(raw)
            code = -1 if value is None else self.value_codes.setdefault(value, len(self.values))
            if code == len(self.values):
                self.values.append(value)
            self.known[raw] = code
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
