"""The outcome (utfall) from an SIE file: the result accounts' transactions of a report year, per post.

The account class decides group and sign: 3xxx revenue (credit, shown positive), 4xxx–7xxx costs
(shown as they are), 8000–8499 financial items net as income (credit positive, a bank fee is
negative), 8700–8799 extraordinary items, likewise. 8990–8999, the year-end result, are left out;
any other result account is an error naming it. Amounts stay in öre until shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np
import pandas as pd

from ...errors import DataError, ParameterError, Problem, UsageError
from .checks import kronor, year_transactions
from .model import SieFile, object_column

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
    tx = year_transactions(sie, index)
    if tx.empty and not sie.transactions.empty:
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
        tx = tx[tx["date"].to_numpy() <= np.datetime64(last)]

    # A million rows, a few hundred (account, object) cells: one pass sums the cells, the rest is per cell.
    account = tx["account"].to_numpy()
    codes, accounts = _account_codes(account)
    cells = _Cells.of(tx, codes, len(accounts), dimension if dimension is not None else POST_DIMENSIONS[0])
    occurring = np.zeros(len(accounts), dtype=bool)
    occurring[cells.account[cells.rows > 0]] = True
    klass = _classes(sie, tx, {int(accounts[c]): c for c in np.flatnonzero(occurring).tolist()}, len(accounts))
    used = dimension
    if dimension is None:
        for candidate in POST_DIMENSIONS:  # the first that a transaction of the outcome has an object in
            if candidate != cells.dimension:
                cells = _Cells.of(tx, codes, len(accounts), candidate)
            if cells.has_objects(klass >= 0):
                used = candidate
                break
        else:
            cells = _Cells.of(tx, codes, len(accounts), None)
    frame = _per_post(sie, cells, klass, accounts, posts)
    totals = dict.fromkeys(CLASSES, 0)
    for k, ore in zip(frame["Klass"].tolist(), frame["ore"].tolist(), strict=True):
        totals[k] += ore
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


def _account_codes(account: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row a code into the accounts returned: the offset from the lowest account when the accounts
    lie near each other (four digits: no hashing), else the distinct accounts."""
    if len(account) and int(account.max()) - int(account.min()) < DENSE_ACCOUNTS:
        low = int(account.min())
        return account - low, np.arange(low, int(account.max()) + 1)
    codes, distinct = pd.factorize(account)
    return codes, np.asarray(distinct)


DENSE_ACCOUNTS = 1 << 16  # accounts within this span are coded by their offset
DENSE_CELLS = 1 << 22  # (account, object) tables up to this size are indexed directly, larger ones hashed


@dataclass(frozen=True)
class _Cells:
    """The transactions by (account, object in the post dimension): a code per row, and per cell its
    account code, object code (-1: none), number of rows and sum in öre."""
    row_cell: np.ndarray
    account: np.ndarray
    object: np.ndarray
    rows: np.ndarray
    ore: np.ndarray
    names: list[str]  # the object ids of the dimension (as the object codes index them)
    dimension: int | None

    @classmethod
    def of(cls, tx: pd.DataFrame, codes: np.ndarray, accounts: int, dimension: int | None) -> _Cells:
        column = object_column(dimension) if dimension is not None else ""
        if column in tx:
            objects = tx[column].cat.codes.to_numpy()
            names = [str(o) for o in tx[column].cat.categories]
        else:
            objects, names = np.zeros(0, dtype=np.int8), []
        width = len(names) + 1  # a cell per object and one for no object
        cell = codes.astype(np.int64 if accounts * width >= 2**31 else codes.dtype, copy=True)
        if width > 1:
            cell *= width
            cell += objects
            cell += 1
        if accounts * width <= DENSE_CELLS:
            table = np.arange(accounts * width)
        else:
            cell, table = pd.factorize(cell)
        rows = np.bincount(cell, minlength=len(table))
        ore = np.zeros(len(table), dtype=np.int64)
        np.add.at(ore, cell, tx["amount_ore"].to_numpy())
        return cls(cell, table // width, table % width - 1, rows, ore, names, dimension)

    def has_objects(self, kept: np.ndarray) -> bool:
        """Whether a row on a `kept` account (per account code) has an object."""
        return bool(((self.rows > 0) & (self.object >= 0) & kept[self.account]).any())

    def first_rows(self, cells: np.ndarray) -> np.ndarray:
        """The first row of each of `cells`: looked for in a growing head of the rows, as nearly all
        cells appear within the first few thousand."""
        head = 4096
        while True:
            found, first = np.unique(self.row_cell[:head], return_index=True)
            if head >= len(self.row_cell) or np.isin(cells, found, assume_unique=True).all():
                return first[np.searchsorted(found, cells)]
            head *= 8


def _classes(sie: SieFile, tx: pd.DataFrame, occurring: dict[int, int], codes: int) -> np.ndarray:
    """The class (index into CLASSES, -1 where it is no outcome) per account code, for the accounts
    `occurring` (account -> code); an account outside the chart is an error naming the first
    transaction on it."""
    table = np.full(codes, -1, dtype=np.int8)
    bad = []
    for account, code in occurring.items():
        try:
            klass = account_class(account)
        except ValueError:
            bad.append(account)
            continue
        if klass is not None:
            table[code] = CLASSES.index(klass)
    if bad:
        lines, accounts = tx["line"].to_numpy(), tx["account"].to_numpy()
        problems = [Problem(sie.file, f"#TRANS: account {a} ({sie.accounts.get(a, 'not in #KONTO')}) is in no "
                            "outcome group: 3000–3999 revenue, 4000–7999 costs, 8000–8499 financial items, "
                            "8700–8799 extraordinary items, 8990–8999 year-end result",
                            row=int(lines[np.argmax(accounts == a)])) for a in sorted(bad)]
        raise DataError(f"{sie.file}: {len(bad)} account(s) in no outcome group", problems)
    return table


CLASSES = sorted({REVENUE, COST, FINANCIAL, EXTRAORDINARY})
SHOWN_SIGN = [-1 if k in CREDIT_SHOWN_POSITIVE else 1 for k in CLASSES]  # per class


def _per_post(sie: SieFile, cells: _Cells, klass: np.ndarray, accounts: np.ndarray,
              posts: AccountPosts | None) -> pd.DataFrame:
    """The sum per (post, class) as shown, in order of first appearance. The post of a cell is its
    object's name, else its account's post (a few hundred cells)."""
    kept = np.flatnonzero((cells.rows > 0) & (klass[cells.account] >= 0))
    by_object = [sie.objects.get((cells.dimension, o), o) for o in cells.names]  # type: ignore[arg-type]
    groups: dict[tuple[str, int], list[int]] = {}  # (post, class) -> [first row, öre as shown]
    for cell, first in zip(kept.tolist(), cells.first_rows(kept).tolist(), strict=True):
        code, obj = int(cells.account[cell]), int(cells.object[cell])
        k = int(klass[code])
        post = by_object[obj] if obj >= 0 else _account_post(sie, int(accounts[code]), posts)
        group = groups.setdefault((post, k), [first, 0])
        group[0] = min(group[0], first)
        group[1] += SHOWN_SIGN[k] * int(cells.ore[cell])
    order = sorted(groups.items(), key=lambda item: item[1][0])
    ore = np.array([ore for _, (_, ore) in order], dtype=np.int64)
    return pd.DataFrame({"Post": pd.Series([p for (p, _), _ in order], dtype=object),
                         "Klass": pd.Series([CLASSES[k] for (_, k), _ in order], dtype=object),
                         "ore": ore, "Belopp": ore / 100})


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
