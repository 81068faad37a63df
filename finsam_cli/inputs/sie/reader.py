"""Reading an SIE4 file (type 4E or 4I) into a `SieFile`.

In a large file the common #VER/#TRANS shapes and the braces are read by a compiled pass (scan.py,
kernel.py); every other line goes through the general tokenizer. Structure (braces, #TRANS inside a
#VER), amounts (at most two decimals, in öre) and dates are checked as they are read; with `strict`,
unbalanced vouchers and accounts missing from #KONTO are errors too. Problems name the file, the line and the record.
"""

from __future__ import annotations

import mmap
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ...errors import DataError
from ..problems import Problems
from . import scan
from .checks import voucher_problems
from .encoding import Data
from .model import BalanceKey, Cells, Objects, PeriodKey, SieFile, object_column
from .tokens import Field, SieSyntaxError, object_pairs, parse_date, parse_int, parse_ore, parse_yyyymmdd, split_record

# Line kinds; the first five are scan's.
OTHER, VER, OPEN, CLOSE, TRANS = scan.OTHER, scan.VER, scan.OPEN, scan.CLOSE, scan.TRANS
RTRANS, BTRANS = 5, 6
TRANS_KINDS = {"#TRANS": TRANS, "#RTRANS": RTRANS, "#BTRANS": BTRANS}
KIND_TAG = {VER: "#VER", OPEN: "{", CLOSE: "}", TRANS: "#TRANS", RTRANS: "#RTRANS", BTRANS: "#BTRANS"}


def read_sie(path: Path, *, strict: bool = True, name: str | None = None) -> SieFile:
    try:
        with path.open("rb") as file:
            if os.fstat(file.fileno()).st_size < max(scan.FAST_FROM, 1):
                data: Data = file.read()
            else:  # mapped, not copied: the compiled pass reads the file's pages where they are
                data = _mapped(file.fileno())
    except OSError as exc:
        raise DataError(f"{name or path.name}: cannot read the file ({exc.strerror or exc})") from None
    return parse_sie(data, name or path.name, strict=strict)


def _mapped(fileno: int) -> mmap.mmap:
    """The file mapped read-only; on Linux with its pages mapped at once (MAP_POPULATE: a page fault
    per page on first touch costs more, measured)."""
    if hasattr(mmap, "MAP_POPULATE"):
        return mmap.mmap(fileno, 0, flags=mmap.MAP_SHARED | mmap.MAP_POPULATE, prot=mmap.PROT_READ)
    return mmap.mmap(fileno, 0, access=mmap.ACCESS_READ)


def parse_sie(data: Data, file: str, *, strict: bool = True) -> SieFile:
    """Read SIE bytes. Raises DataError listing every problem found; with `strict`, also unbalanced
    vouchers and accounts missing from #KONTO (`validate_sie` reports those without raising)."""
    lines, fast_trans, fast_ver, encoding = scan.read_lines(data)
    kind = lines.kind
    others = np.flatnonzero(kind == OTHER)
    others = others[lines.end[others] > lines.start[others]]  # blank lines hold nothing

    problems = Problems(file)
    records = _Records(encoding)
    structural = False  # a #VER or transaction among the lines the compiled pass left
    for row in others.tolist():
        text = data[lines.start[row]:lines.end[row]].decode(encoding, errors="replace")
        kind[row] = records.read(row + 1, text, problems)
        structural = structural or kind[row] != OTHER
    if structural or not lines.regular:
        _check_structure(kind, problems)
    problems.raise_if_any()

    for row in records.rtrans:  # the #TRANS repeating an #RTRANS is ignored
        after = _next_structural(kind, row)
        if after is not None and kind[after] == TRANS and _same_trans(data, lines, row, after):
            records.repeated.add(after + 1)

    # The compiled pass's vouchers, dates and voucher sums stand when it took every #VER and transaction.
    compiled = not structural
    vouchers = _vouchers(fast_ver, records, problems, compiled)
    transactions, cells = _transactions(fast_trans, records, kind, vouchers, problems, compiled)
    problems.raise_if_any()
    sie = records.finish(file, encoding, vouchers, transactions, cells)
    if strict:
        voucher_problems(sie, problems, fast_ver.sums if compiled else None,
                         fast_trans.accounts if compiled else None)
        problems.raise_if_any()
    return sie


# --- the general records ----------------------------------------------------------------


def _text(value: Field) -> str:
    if not isinstance(value, str):
        raise SieSyntaxError("an object list stands where a plain field belongs")
    return value


def _rest(fields: list[Field], first: int) -> str:
    """A name: the field, or (leniently, as some exporters forget the quotes) the remaining fields joined."""
    return " ".join(_text(f) for f in fields[first:])


def _objects(value: Field) -> Objects:
    if isinstance(value, str):
        raise SieSyntaxError("an object list {…} is missing")
    return object_pairs(value)


@dataclass
class _Records:
    encoding: str
    meta: dict[str, str | None] = field(default_factory=dict)
    years: dict[int, tuple[date, date]] = field(default_factory=dict)
    accounts: dict[int, str] = field(default_factory=dict)
    account_types: dict[int, str] = field(default_factory=dict)
    dimensions: dict[int, str] = field(default_factory=dict)
    objects: dict[tuple[int, str], str] = field(default_factory=dict)
    balances: dict[str, dict[BalanceKey, int]] = field(default_factory=lambda: {"#IB": {}, "#UB": {}, "#RES": {}})
    periods: dict[str, dict[PeriodKey, int]] = field(default_factory=lambda: {"#PSALDO": {}, "#PBUDGET": {}})
    record_lines: dict[tuple[object, ...], int] = field(default_factory=dict)
    # Vouchers and transactions of shapes the fast scan left: (line, series, number, YYYYMMDD) and
    # (line, kind, account, objects, öre, YYYYMMDD or 0).
    ver_rows: list[tuple[int, str, int, int]] = field(default_factory=list)
    trans_rows: list[tuple[int, int, int, Objects, int, int]] = field(default_factory=list)
    rtrans: list[int] = field(default_factory=list)  # 0-based rows of #RTRANS lines
    repeated: set[int] = field(default_factory=set)  # lines of #TRANS that repeat an #RTRANS

    def read(self, line: int, text: str, problems: Problems) -> int:
        """Take one record; returns its line kind."""
        try:
            tag, fields = split_record(text)
        except SieSyntaxError as exc:
            problems.add(f"{text.split(maxsplit=1)[0]}: {exc}", row=line, value=text)
            return OTHER
        if not tag.startswith("#"):
            problems.add("a line that is not a record (records start with '#')", row=line, value=text)
            return OTHER
        handler = self.handlers.get(tag)
        if handler is None:
            return OTHER  # unknown records are ignored, as the specification requires
        try:
            return handler(line, fields)
        except SieSyntaxError as exc:
            problems.add(f"{tag}: {exc}", row=line, value=text)
        except IndexError:
            problems.add(f"{tag}: too few fields", row=line, value=text)
        return TRANS_KINDS.get(tag, VER if tag == "#VER" else OTHER)

    @cached_property
    def handlers(self) -> dict[str, Callable[[int, list[Field]], int]]:
        return {
            "#FORMAT": self._meta("#FORMAT"), "#SIETYP": self._meta("#SIETYP"), "#FNAMN": self._meta("#FNAMN"),
            "#ORGNR": self._meta("#ORGNR"),
            "#RAR": self._rar, "#KONTO": self._konto, "#KTYP": self._ktyp, "#DIM": self._dim,
            "#OBJEKT": self._objekt, "#IB": self._balance("#IB"), "#UB": self._balance("#UB"),
            "#RES": self._balance("#RES"), "#PSALDO": self._period("#PSALDO"), "#PBUDGET": self._period("#PBUDGET"),
            "#VER": self._ver, "#TRANS": self._trans(TRANS), "#RTRANS": self._trans(RTRANS),
            "#BTRANS": self._trans(BTRANS),
        }

    def _meta(self, tag: str) -> Callable[[int, list[Field]], int]:
        def read(line: int, fields: list[Field]) -> int:
            # The company's name may lack its quotes; the others are one field (#ORGNR may add more).
            self.meta[tag] = _rest(fields, 0) if tag == "#FNAMN" else _text(fields[0])
            return OTHER
        return read

    def _rar(self, line: int, fields: list[Field]) -> int:
        self.years[parse_int(_text(fields[0]), "year")] = (parse_date(_text(fields[1])), parse_date(_text(fields[2])))
        return OTHER

    def _konto(self, line: int, fields: list[Field]) -> int:
        account = parse_int(_text(fields[0]), "account")
        self.accounts[account] = _rest(fields, 1)
        self.record_lines["#KONTO", account] = line
        return OTHER

    def _ktyp(self, line: int, fields: list[Field]) -> int:
        self.account_types[parse_int(_text(fields[0]), "account")] = _text(fields[1])
        return OTHER

    def _dim(self, line: int, fields: list[Field]) -> int:
        self.dimensions[parse_int(_text(fields[0]), "dimension")] = _rest(fields, 1)
        return OTHER

    def _objekt(self, line: int, fields: list[Field]) -> int:
        key = (parse_int(_text(fields[0]), "dimension"), _text(fields[1]))
        self.objects[key] = _rest(fields, 2)
        self.record_lines["#OBJEKT", *key] = line
        return OTHER

    def _balance(self, tag: str) -> Callable[[int, list[Field]], int]:
        def read(line: int, fields: list[Field]) -> int:
            key = (parse_int(_text(fields[0]), "year"), parse_int(_text(fields[1]), "account"))
            self.balances[tag][key] = parse_ore(_text(fields[2]))
            self.record_lines[tag, *key] = line
            return OTHER
        return read

    def _period(self, tag: str) -> Callable[[int, list[Field]], int]:
        def read(line: int, fields: list[Field]) -> int:
            key = (parse_int(_text(fields[0]), "year"), parse_int(_text(fields[1]), "period"),
                   parse_int(_text(fields[2]), "account"), _objects(fields[3]))
            self.periods[tag][key] = parse_ore(_text(fields[4]))
            return OTHER
        return read

    def _ver(self, line: int, fields: list[Field]) -> int:
        number = _text(fields[1])
        day = parse_yyyymmdd(_text(fields[2]))
        self.ver_rows.append((line, _text(fields[0]), parse_int(number, "voucher number") if number else -1, day))
        return VER

    def _trans(self, kind: int) -> Callable[[int, list[Field]], int]:
        def read(line: int, fields: list[Field]) -> int:
            account = parse_int(_text(fields[0]), "account")
            objects = _objects(fields[1])
            ore = parse_ore(_text(fields[2]))
            day = parse_yyyymmdd(_text(fields[3])) if len(fields) > 3 and _text(fields[3]) else 0
            self.trans_rows.append((line, kind, account, objects, ore, day))
            if kind == RTRANS:
                self.rtrans.append(line - 1)
            return kind
        return read

    def finish(self, file: str, encoding: str, vouchers: pd.DataFrame, transactions: pd.DataFrame,
               cells: Cells) -> SieFile:
        return SieFile(
            file=file, encoding=encoding, declared_format=self.meta.get("#FORMAT"), sietyp=self.meta.get("#SIETYP"),
            company=self.meta.get("#FNAMN"), orgnr=self.meta.get("#ORGNR"), years=self.years,
            accounts=self.accounts, account_types=self.account_types, dimensions=self.dimensions,
            objects=self.objects, ib=self.balances["#IB"], ub=self.balances["#UB"], res=self.balances["#RES"],
            psaldo=self.periods["#PSALDO"], pbudget=self.periods["#PBUDGET"], vouchers=vouchers,
            transactions=transactions, cells=cells, record_lines=self.record_lines)


# --- structure ----------------------------------------------------------------------------


def _check_structure(kind: np.ndarray, problems: Problems) -> None:
    """Braces pair up around each #VER's transactions; a #TRANS stands inside one; nothing is cut off.

    Depth is counted per #VER (from one #VER to the next), so one missing brace is one problem.
    """
    structural = kind != OTHER
    k = kind[structural]
    if not len(k) or _regular(k):
        return
    rows = np.flatnonzero(structural)
    is_ver = k == VER
    segment = np.cumsum(is_ver, dtype=np.int32)  # 0 before the first #VER
    step = (k == OPEN).view(np.int8) - (k == CLOSE).view(np.int8)
    running = np.cumsum(step, dtype=np.int32)
    base = np.concatenate([[0], running[is_ver]])  # the count when each #VER begins (a #VER line's step is 0)
    depth_after = running - base[segment]
    depth = depth_after - step
    previous = np.concatenate([[OTHER], k[:-1]])
    bad = {
        "a '{' that opens no #VER's transactions": (k == OPEN) & ((depth != 0) | (previous != VER)),
        "a '}' that closes nothing": (k == CLOSE) & (depth != 1),
        "a transaction outside a #VER (no '{' … '}' around it)": (k >= TRANS) & (depth != 1),
    }
    for message, mask in bad.items():
        for i in np.flatnonzero(mask)[: problems.limit].tolist():
            problems.add(f"{KIND_TAG[int(k[i])]}: {message}", row=int(rows[i]) + 1)
    ver_at = rows[k == VER]
    ends = np.append(np.flatnonzero(k == VER)[1:] - 1, len(k) - 1)[:len(ver_at)]  # each #VER segment's last line
    for number in np.flatnonzero(depth_after[ends] > 0)[: problems.limit].tolist():
        where = ("the file ends (a truncated file?)" if number == len(ver_at) - 1
                 else f"the next #VER begins on line {int(rows[ends[number] + 1]) + 1}")
        problems.add(f"#VER: the closing '}}' of this voucher is missing: {where}", row=int(ver_at[number]) + 1)


def _regular(k: np.ndarray) -> bool:
    """The common case, found in a few passes: every '{' right after a #VER, every #VER outside the
    braces, every transaction inside them, and all closed. Then `_check_structure` finds nothing."""
    # int8 is enough: the depth is exact up to the first line where it leaves 0 and 1, which is found.
    depth = np.cumsum((k == OPEN).view(np.int8) - (k == CLOSE).view(np.int8), dtype=np.int8)
    if depth[-1] != 0 or ((depth >> 1) != 0).any():  # only 0 and 1
        return False
    if ((k == VER) & (depth != 0)).any() or ((k >= TRANS) & (depth != 1)).any():
        return False
    opens = np.flatnonzero(k == OPEN)
    return bool(len(opens) == 0 or (opens[0] > 0 and (k[opens - 1] == VER).all()))


def _next_structural(kind: np.ndarray, row: int) -> int | None:
    later = np.flatnonzero(kind[row + 1:row + 64] != OTHER)  # blank lines in between are allowed
    return row + 1 + int(later[0]) if len(later) else None


def _same_trans(data: Data, lines: scan.Lines, rtrans: int, trans: int) -> bool:
    first = data[lines.start[rtrans] + len(b"#RTRANS"):lines.end[rtrans]].split()
    second = data[lines.start[trans] + len(b"#TRANS"):lines.end[trans]].split()
    return first == second


# --- columns ------------------------------------------------------------------------------


def _vouchers(fast: scan.FastVer, records: _Records, problems: Problems, compiled: bool) -> pd.DataFrame:
    line, number, day = fast.lines, fast.number, fast.date
    series = pd.Categorical.from_codes(  # the compiled pass's codes index its series
        fast.series_code, categories=pd.Index(fast.series, dtype=object), validate=False)
    if records.ver_rows:
        slow_line, slow_series, slow_number, slow_day = (np.array(c) for c in zip(*records.ver_rows, strict=True))
        line = np.concatenate([line, slow_line.astype(np.int64)])
        joined = np.concatenate([np.asarray(series, dtype=object), slow_series.astype(object)])
        number = np.concatenate([number, slow_number.astype(np.int64)])
        day = np.concatenate([day, slow_day.astype(np.int64)])
        order = np.argsort(line, kind="stable")
        line, number, day = line[order], number[order], day[order]
        series = pd.Categorical(joined[order])
    if compiled and fast.when is not None:
        dates = fast.when
    else:
        dates, valid = scan.yyyymmdd_dates(day)
        for bad in np.flatnonzero(~valid)[: problems.limit].tolist():
            problems.add(f"#VER: date {int(day[bad])} does not exist", row=int(line[bad]))
    missing = number < 0  # a voucher without a number
    return pd.DataFrame({  # copy=False: the columns are the reader's own
        "series": series,
        "number": pd.arrays.IntegerArray(np.maximum(number, 0) if missing.any() else number, missing),
        "date": dates,
        "line": line,
    }, copy=False)


def _transactions(fast: scan.FastTrans, records: _Records, kind: np.ndarray, vouchers: pd.DataFrame,
                  problems: Problems, compiled: bool) -> tuple[pd.DataFrame, Cells]:
    # The compiled pass's code of (account, object list) is the cells' code; the tokenizer's rows get
    # codes after its.
    keys = list(zip(fast.accounts.tolist(), fast.objects, strict=True))
    line, account, ore, day, code = fast.lines, fast.account, fast.ore, fast.transdate, fast.objects_key
    if records.trans_rows:  # every row the compiled pass took is a #TRANS that counts
        known = {key: c for c, key in enumerate(keys)}
        slow = list(zip(*records.trans_rows, strict=True))
        line = np.concatenate([line, np.array(slow[0], dtype=np.int64)])
        row_kind = np.concatenate([np.full(len(fast.lines), TRANS, dtype=np.int8),
                                   np.array(slow[1], dtype=np.int8)])
        account = np.concatenate([account, np.array(slow[2], dtype=np.int64)])
        slow_codes = [_key_code(key, keys, known) for key in zip(slow[2], slow[3], strict=True)]
        code = np.concatenate([code, np.array(slow_codes, dtype=np.int64)])
        ore = np.concatenate([ore, np.array(slow[4], dtype=np.int64)])
        day = np.concatenate([day, np.array(slow[5], dtype=np.int64)])
        counted = row_kind != BTRANS
        if records.repeated:
            counted &= ~np.isin(line, np.fromiter(records.repeated, dtype=np.int64))
        order = np.argsort(line, kind="stable")
        order = order[counted[order]]
        line, account, code, ore, day = (a[order] for a in (line, account, code, ore, day))

    if compiled and fast.voucher is not None and fast.date is not None:
        voucher, date = fast.voucher, fast.date
    else:
        voucher, date = _voucher_and_date(line, day, kind, vouchers["date"].to_numpy(), problems)
    columns: dict[str, Any] = {
        "voucher": voucher,
        "date": date,
        "account": account.astype(np.int32, copy=False),
        "amount_ore": ore,
        "line": line,
    }
    # Per key, each dimension's category code (-1: none), as the categorical keeps its codes; one pass
    # over the million codes gathers them all, each dimension's a strided view of the result.
    categories: dict[str, pd.Index] = {}
    lookups = []
    for dimension in sorted({d for _, pairs in keys for d, _ in pairs}):
        per_key = [dict(pairs).get(dimension) for _, pairs in keys]
        names = sorted({n for n in per_key if n is not None})
        code_of = {n: i for i, n in enumerate(names)}
        categories[object_column(dimension)] = pd.Index(names)
        lookups.append(np.array([-1 if n is None else code_of[n] for n in per_key],
                                dtype=np.min_scalar_type(-len(names) - 1)))
    if categories:
        table = np.empty(len(keys), dtype=[(c, lookup.dtype) for c, lookup in zip(categories, lookups, strict=True)])
        for column, lookup in zip(categories, lookups, strict=True):
            table[column] = lookup
        gathered = _gather(table, code)
        for column, index in categories.items():  # the codes are -1 or a name's, as made
            columns[column] = pd.Categorical.from_codes(gathered[column], categories=index, validate=False)
    # copy=False: the columns are fresh, and stay separate rather than stacked
    return pd.DataFrame(columns, copy=False), Cells(code, keys)


GATHER_ROWS = 1 << 16  # codes cast to intp per step: a buffer that stays in the cache


def _gather(table: np.ndarray, code: np.ndarray) -> np.ndarray:
    """`table[code]`, the codes cast to intp a step at a time: np.take would cast all of them into 8 MB of
    fresh memory for a million rows, whose page faults cost more than the gather (measured)."""
    out = np.empty(len(code), dtype=table.dtype)
    indices = np.empty(min(len(code), GATHER_ROWS), dtype=np.intp)
    for at in range(0, len(code), GATHER_ROWS):
        step = indices[:min(GATHER_ROWS, len(code) - at)]
        step[:] = code[at:at + len(step)]
        # The codes are valid: "clip" checks nothing, where "raise" would buffer `out` as well.
        np.take(table, step, out=out[at:at + len(step)], mode="clip")
    return out


def _voucher_and_date(line: np.ndarray, day: np.ndarray, kind: np.ndarray, voucher_dates: np.ndarray,
                      problems: Problems) -> tuple[np.ndarray, np.ndarray]:
    """Each transaction's voucher (the #VER lines before it, less one) and date: its own, else its voucher's."""
    voucher = np.cumsum(kind == VER, dtype=np.int32)[line - 1]
    voucher -= 1
    dated = np.flatnonzero(day)  # a transaction without a date of its own has its voucher's
    own, valid = scan.yyyymmdd_dates(day[dated])
    for bad in dated[~valid][: problems.limit].tolist():
        problems.add(f"#TRANS: date {int(day[bad])} does not exist", row=int(line[bad]))
    date = voucher_dates[voucher] if len(voucher_dates) else own
    date[dated] = own
    return voucher, date


def _key_code(key: tuple[int, Objects], keys: list[tuple[int, Objects]],
              known: dict[tuple[int, Objects], int]) -> int:
    """The code of an (account, object list), a new one (appended to `keys`) when it is not `known`."""
    code = known.get(key)
    if code is None:
        code = known[key] = len(keys)
        keys.append(key)
    return code
