"""The outcome (utfall) from an SIE file: the result accounts' transactions of a report year, per post.

The account class decides group and sign: 3xxx revenue (credit, shown positive), 4xxx–7xxx costs
(shown as they are), 8000–8499 financial items net as income (credit positive, a bank fee is
negative), 8700–8799 extraordinary items, likewise. 8990–8999, the year-end result, are left out;
any other result account is an error naming it. Amounts stay in öre until shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np
import pandas as pd

from ...errors import DataError, ParameterError, Problem, UsageError
from .checks import kronor, year_rows
from .model import Objects, SieFile

REVENUE, COST, FINANCIAL, EXTRAORDINARY = "revenue", "cost", "financial", "extraordinary"
CREDIT_SHOWN_POSITIVE = {REVENUE, FINANCIAL, EXTRAORDINARY}
YEAR_END_RESULT = range(8990, 10000)  # closing entries; 9000+ is outside the chart and caught below
POST_DIMENSIONS = (6, 1)  # Projekt when the file uses it, else Kostnadsställe

AccountPosts = Mapping[int | tuple[int, int], str]  # an account, or an inclusive range, -> post


def account_class(account: int) -> str | None:
    """The outcome class of a result account; None for a balance account or the year-end result."""
    if account < 3000 or 8990 <= account <= 8999:
        return None
    if account < 4000:
        return REVENUE
    if account < 8000:
        return COST
    if account < 8500:
        return FINANCIAL
    if 8700 <= account < 8800:
        return EXTRAORDINARY
    raise ValueError(account)


@dataclass(frozen=True)
class SieOutcome:
    frame: pd.DataFrame  # Post, Klass (revenue/cost/financial/extraordinary), ore (int64), Belopp (kronor)
    start: date
    end: date
    dimension: int | None  # the post dimension used, None when no transaction has an object in it
    revenues: int  # öre, as shown (positive)
    costs: int
    financial: int
    extraordinary: int
    res_checked: bool = False  # the result was found equal to the file's own #RES for the year

    @property
    def result(self) -> int:
        """Revenues − costs + financial items (+ extraordinary items), in öre."""
        return self.revenues - self.costs + self.financial + self.extraordinary


def sie_outcome(sie: SieFile, year: int, *, half: bool = False, until: date | None = None,
                dimension: int | None = None, posts: AccountPosts | None = None) -> SieOutcome:
    """Outcome per post for the financial year that starts in `year` (found through #RAR).

    `half` keeps the first six months, `until` the transactions up to that date (by transaction
    date). The post of a transaction is its object's name in `dimension` (default 6 when the file
    uses it, else 1), else `posts` (account or range -> post), else the account's name.
    For a whole year, the result must equal the file's own #RES for the result accounts.
    """
    index = sie.year_index(year)
    if index is None:
        held = ", ".join(str(y) for y in sie.year_starts)
        raise UsageError(f"{sie.file} holds no financial year {year} (#RAR): it holds {held or 'no years'}")
    start, end = sie.years[index]
    tx = sie.transactions
    rows = year_rows(sie, index)  # None: every row
    if rows is not None and not rows.any() and len(tx):
        raise UsageError(f"{sie.file} has no vouchers in {year} ({start.isoformat()}–{end.isoformat()}); "
                         f"its vouchers are dated {_voucher_span(sie)}")
    last = end
    if half:
        last = min(last, _six_months_on(start) - timedelta(days=1))
    if until is not None:
        if until < start:
            raise ParameterError(f"{{param:till}} {until.isoformat()} is before {year} starts ({start.isoformat()})")
        last = min(last, until)
    if last != end:
        before = tx["date"].to_numpy() <= np.datetime64(last)
        rows = before if rows is None else rows & before

    # A million rows, a few hundred (account, object list) codes: one pass sums per code, the rest is per code.
    code, ore, line = sie.cells.code, tx["amount_ore"].to_numpy(), tx["line"].to_numpy()
    if rows is not None:
        code, ore, line = code[rows], ore[rows], line[rows]
    cells = _Cells.of(code, ore, sie.cells.keys)
    klass = _classes(sie, cells, line)
    used = dimension
    if dimension is None:  # the first that a transaction of the outcome has an object in
        used = next((d for d in POST_DIMENSIONS if cells.has_objects(d, klass >= 0)), None)
    frame = _per_post(sie, cells, klass, used, posts)
    totals = dict.fromkeys(CLASSES, 0)
    for k, shown in zip(frame["Klass"].tolist(), frame["ore"].tolist(), strict=True):
        totals[k] += shown
    revenues, costs, financial, extraordinary = (totals[k] for k in (REVENUE, COST, FINANCIAL, EXTRAORDINARY))
    outcome = SieOutcome(frame, start, last, used, revenues, costs, financial, extraordinary)
    if last == end and _check_against_res(sie, index, year, outcome):
        return replace(outcome, res_checked=True)
    return outcome


def _six_months_on(start: date) -> date:
    month = start.month + 6
    return date(start.year + (month - 1) // 12, (month - 1) % 12 + 1, start.day)


def _voucher_span(sie: SieFile) -> str:
    dates = sie.vouchers["date"]
    return f"{dates.min():%Y-%m-%d}–{dates.max():%Y-%m-%d}"


@dataclass(frozen=True)
class _Cells:
    """The (account, object list) codes that rows of the outcome have: per code its key, first row
    and sum in öre."""
    first: np.ndarray  # the first row of each
    ore: np.ndarray  # the sum of each
    keys: list[tuple[int, Objects]]  # (account, object list) of each

    @classmethod
    def of(cls, code: np.ndarray, ore: np.ndarray, keys: Sequence[tuple[int, Objects]]) -> _Cells:
        sums = np.zeros(len(keys), dtype=np.int64)
        np.add.at(sums, code.astype(np.intp, copy=False), ore)  # exact, in öre; intp codes are indexed fastest
        present, first = _first_rows(code, len(keys))
        return cls(first, sums[present], [keys[c] for c in present.tolist()])

    def has_objects(self, dimension: int, kept: np.ndarray) -> bool:
        """Whether a `kept` code (as `kept` is per code present) has an object in `dimension`."""
        return any(k and any(d == dimension for d, _ in objects)
                   for k, (_, objects) in zip(kept.tolist(), self.keys, strict=True))


def _first_rows(code: np.ndarray, codes: int) -> tuple[np.ndarray, np.ndarray]:
    """The codes present (of `codes`) and the first row of each. Nearly always every code appears
    within the first few thousand rows; else one pass over all the rows finds each code's first
    (a sort of them would take thirty times as long)."""
    found, first = np.unique(code[:4096], return_index=True)
    if len(found) == codes or len(code) <= 4096:
        return found, first
    first_of = np.full(codes, len(code), dtype=np.intp)
    np.minimum.at(first_of, code, np.arange(len(code)))
    present = np.flatnonzero(first_of < len(code))
    return present, first_of[present]


def _classes(sie: SieFile, cells: _Cells, line: np.ndarray) -> np.ndarray:
    """The class (index into CLASSES, -1 where it is no outcome) per code present; an account outside
    the chart is an error naming the first transaction on it."""
    table = np.full(len(cells.keys), -1, dtype=np.int8)
    bad: dict[int, int] = {}  # account -> its first row
    for i, ((account, _), first) in enumerate(zip(cells.keys, cells.first.tolist(), strict=True)):
        try:
            klass = account_class(account)
        except ValueError:
            bad[account] = min(first, bad.get(account, first))
            continue
        if klass is not None:
            table[i] = CLASSES.index(klass)
    if bad:
        problems = [Problem(sie.file, f"#TRANS: account {a} ({sie.accounts.get(a, 'not in #KONTO')}) is in no "
                            "outcome group: 3000–3999 revenue, 4000–7999 costs, 8000–8499 financial items, "
                            "8700–8799 extraordinary items, 8990–8999 year-end result",
                            row=int(line[bad[a]])) for a in sorted(bad)]
        raise DataError(f"{sie.file}: {len(bad)} account(s) in no outcome group", problems)
    return table


CLASSES = sorted({REVENUE, COST, FINANCIAL, EXTRAORDINARY})
SHOWN_SIGN = [-1 if k in CREDIT_SHOWN_POSITIVE else 1 for k in CLASSES]  # per class


def _per_post(sie: SieFile, cells: _Cells, klass: np.ndarray, dimension: int | None,
              posts: AccountPosts | None) -> pd.DataFrame:
    """The sum per (post, class) as shown, in order of first appearance. The post of a code is the
    name of its object in `dimension`, else its account's post (a few hundred codes)."""
    groups: dict[tuple[str, int], list[int]] = {}  # (post, class) -> [first row, öre as shown]
    for k, (account, objects), first, ore in zip(klass.tolist(), cells.keys, cells.first.tolist(),
                                                 cells.ore.tolist(), strict=True):
        if k < 0:
            continue
        post = next((sie.objects.get((d, o), o) for d, o in objects if d == dimension), None)
        if post is None:
            post = _account_post(sie, account, posts)
        group = groups.setdefault((post, k), [first, 0])
        group[0] = min(group[0], first)
        group[1] += SHOWN_SIGN[k] * ore
    order = sorted(groups.items(), key=lambda item: item[1][0])
    shown = np.array([ore for _, (_, ore) in order], dtype=np.int64)
    return pd.DataFrame({"Post": pd.Series([p for (p, _), _ in order], dtype=object),
                         "Klass": pd.Series([CLASSES[k] for (_, k), _ in order], dtype=object),
                         "ore": shown, "Belopp": shown / 100})


def _account_post(sie: SieFile, account: int, posts: AccountPosts | None) -> str:
    return mapped_post(account, posts) or sie.accounts.get(account, f"Konto {account}")


def mapped_post(account: int, posts: AccountPosts | None) -> str | None:
    """The post `[bokforing.konton]` gives an account: the account itself, else the first range holding it."""
    if posts:
        if account in posts:
            return posts[account]
        for key, post in posts.items():
            if isinstance(key, tuple) and key[0] <= account <= key[1]:
                return post
    return None


def _check_against_res(sie: SieFile, index: int, year: int, outcome: SieOutcome) -> bool:
    """The result must equal −(#RES of the result accounts), without the year-end result 8990–8999."""
    res = [(a, v) for (y, a), v in sie.res.items() if y == index and a >= 3000 and a not in YEAR_END_RESULT]
    if not res:
        return False
    expected = -sum(v for _, v in res)
    if expected != outcome.result:
        raise DataError(
            f"{sie.file}: the {year} result from the transactions, {kronor(outcome.result)} (revenues "
            f"{kronor(outcome.revenues)} − costs {kronor(outcome.costs)} + financial items "
            f"{kronor(outcome.financial)} + extraordinary items {kronor(outcome.extraordinary)}), differs from the "
            f"file's own #RES, {kronor(expected)}")
    return True
