"""The neutral input of the statements: per account, opening and closing balance and result, for two years.

Amounts are öre in SIE signs (debit positive, credit negative). Both the SIE reader and a saldolista give this.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from ....errors import UsageError
from ....inputs.sie import SieFile


@dataclass(frozen=True)
class YearBalances:
    start: date
    end: date
    ib: Mapping[int, int] = field(default_factory=dict)
    ub: Mapping[int, int] = field(default_factory=dict)
    res: Mapping[int, int] = field(default_factory=dict)
    # The year's transactions per balance account outside the year-end closing entries (vouchers touching
    # 8990–8999), öre in SIE signs: what was booked straight to equity shows here. None: not known (a saldolista,
    # a year without vouchers); then the change in equity must equal the year's result.
    movements: Mapping[int, int] | None = None


@dataclass(frozen=True)
class TrialBalance:
    names: Mapping[int, str]
    current: YearBalances
    previous: YearBalances | None


YEAR_END_ACCOUNTS = (8990, 8999)


def _movements(transactions: pd.DataFrame, start: date, end: date) -> dict[int, int] | None:
    """Balance-account movements of the year's vouchers that do not touch 8990–8999; None without vouchers."""
    days = transactions["date"]
    rows = transactions[(days >= pd.Timestamp(start)) & (days <= pd.Timestamp(end))]
    if rows.empty:
        return None
    lo, hi = YEAR_END_ACCOUNTS
    closing = rows.loc[rows["account"].between(lo, hi), "voucher"].unique()
    kept = rows[~rows["voucher"].isin(closing) & (rows["account"] < 3000)]
    sums = kept.groupby("account")["amount_ore"].sum()
    return {int(a): int(v) for a, v in zip(sums.index.tolist(), sums.tolist(), strict=True) if v}


def _year(sie: SieFile, index: int) -> YearBalances:
    start, end = sie.years[index]

    def of(values: Mapping[tuple[int, int], int]) -> dict[int, int]:
        return {account: ore for (year, account), ore in values.items() if year == index}

    return YearBalances(start, end, of(sie.ib), of(sie.ub), of(sie.res), _movements(sie.transactions, start, end))


def from_sie(sie: SieFile, index: int = 0) -> TrialBalance:
    """A read SIE file as a trial balance of year `index` and the year before it, when the file holds it."""
    previous = _year(sie, index - 1) if index - 1 in sie.years else None
    return TrialBalance(dict(sie.accounts), _year(sie, index), previous)


def year_index(sie: SieFile, year: int) -> int:
    """The #RAR index of the fiscal year `year`, whatever number the file gives it; a usage error naming the
    years the file holds when it has none."""
    index = sie.year_index(year)
    if index is None:
        held = ", ".join(str(start.year) for start, _ in sorted(sie.years.values()))
        raise UsageError(f"{sie.file} does not hold {year}; it holds {held or 'no year (#RAR)'}",
                         sv=f"{sie.file} innehåller inte {year}; den innehåller {held or 'inget år (#RAR)'}")
    return index
