"""The consistency of an SIE file (`finsam validera FILE.se`), as problems rather than exceptions."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd

from ...errors import Problem
from ..problems import Problems
from .model import SieFile, object_column
from .tokens import format_ore

RESULT_ACCOUNTS_FROM = 3000  # accounts below are balance accounts (classes 1 and 2)


def kronor(ore: int) -> str:
    return f"{format_ore(ore)} kr"


def voucher_problems(sie: SieFile, problems: Problems, sums: np.ndarray | None = None,
                     used: np.ndarray | None = None) -> None:
    """What a reader must refuse: vouchers that do not sum to zero, accounts missing from #KONTO.
    `sums` (each voucher's) and `used` (the accounts the transactions use): when the reader has them."""
    tx = sie.transactions
    voucher = tx["voucher"].to_numpy()
    if len(voucher):
        numbers = None  # the voucher of each sum, when not the sum's index
        if sums is None:
            # Rows are in file order, so each voucher's rows are one run (the voucher numbers never go
            # down): sum the runs, found from how many rows each voucher has.
            rows = np.bincount(voucher)
            numbers = np.flatnonzero(rows)
            starts = (np.cumsum(rows) - rows)[numbers]
            sums = np.add.reduceat(tx["amount_ore"].to_numpy(), starts)
        lines = sie.vouchers["line"].to_numpy()
        for i in np.flatnonzero(sums)[: problems.limit].tolist():
            number = i if numbers is None else int(numbers[i])
            problems.add(f"#VER {sie.voucher_name(number)}: the transactions sum to {kronor(int(sums[i]))}, "
                         "not 0 (the voucher does not balance)", row=int(lines[number]))
    if used is None:
        used = pd.unique(tx["account"].to_numpy())
    missing = sorted(set(used.tolist()) - set(sie.accounts))
    if missing:
        first = tx.drop_duplicates("account").set_index("account")["line"]
        for account in missing:
            problems.add(f"#TRANS: account {account} is not in #KONTO", row=int(first[account]))
    for tag, table in (("#IB", sie.ib), ("#UB", sie.ub), ("#RES", sie.res)):
        for (year, account) in table:
            if account not in sie.accounts:
                problems.add(f"{tag}: account {account} is not in #KONTO",
                             row=sie.record_lines.get((tag, year, account)))


def validate_sie(sie: SieFile) -> list[Problem]:
    """Every inconsistency: unbalanced vouchers; accounts and objects used but not declared; #IB +
    transactions ≠ #UB for a balance account; transactions ≠ #RES for a result account (year 0)."""
    problems = Problems(sie.file)
    voucher_problems(sie, problems)
    _objects_declared(sie, problems)
    _balances_add_up(sie, problems)
    problems.items.sort(key=lambda p: p.row or 0)
    return problems.items


def _objects_declared(sie: SieFile, problems: Problems) -> None:
    tx = sie.transactions
    for dimension in sie.object_dimensions:
        column = tx[object_column(dimension)]
        used = column.dropna()
        for name in sorted(set(used.unique()) - {obj for (dim, obj) in sie.objects if dim == dimension}):
            line = int(tx["line"][column == name].iat[0])
            problems.add(f"#TRANS: object {name!r} of dimension {dimension} is not in #OBJEKT", row=line)


def year_rows(sie: SieFile, index: int = 0) -> np.ndarray | None:
    """Which transactions are of #RAR `index`, by the date of their voucher; None when all are."""
    start, end = sie.years[index]
    dates = sie.vouchers["date"].to_numpy().astype("datetime64[s]", copy=False).view(np.int64)
    first, last = (np.datetime64(day, "s").astype(np.int64) for day in (start, end + timedelta(days=1)))
    if not len(dates) or (dates.min() >= first and dates.max() < last):  # two passes over a few per cent of rows
        return None
    inside = (dates >= first) & (dates < last)
    return inside[sie.transactions["voucher"].to_numpy()]


def year_transactions(sie: SieFile, index: int = 0) -> pd.DataFrame:
    """The transactions of #RAR `index`, by the date of their voucher."""
    rows = year_rows(sie, index)
    return sie.transactions if rows is None else sie.transactions[rows]


def _balances_add_up(sie: SieFile, problems: Problems) -> None:
    if 0 not in sie.years:
        return
    moved = year_transactions(sie).groupby("account")["amount_ore"].sum()
    ub = {a: v for (y, a), v in sie.ub.items() if y == 0}
    ib = {a: v for (y, a), v in sie.ib.items() if y == 0}
    res = {a: v for (y, a), v in sie.res.items() if y == 0}
    if ub:
        balance = sorted(a for a in set(ub) | set(ib) | set(moved.index) if a < RESULT_ACCOUNTS_FROM)
        for account in balance:
            got = ib.get(account, 0) + int(moved.get(account, 0))
            if got != ub.get(account, 0):
                problems.add(f"#UB: account {account}: #IB {kronor(ib.get(account, 0))} + transactions "
                             f"{kronor(int(moved.get(account, 0)))} = {kronor(got)}, but #UB is "
                             f"{kronor(ub.get(account, 0))}", row=sie.record_lines.get(("#UB", 0, account)))
    if res:
        result = sorted(a for a in set(res) | set(moved.index) if a >= RESULT_ACCOUNTS_FROM)
        for account in result:
            got = int(moved.get(account, 0))
            if got != res.get(account, 0):
                problems.add(f"#RES: account {account}: the transactions sum to {kronor(got)}, but #RES is "
                             f"{kronor(res.get(account, 0))}", row=sie.record_lines.get(("#RES", 0, account)))
