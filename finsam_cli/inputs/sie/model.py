"""What an SIE4 file holds, as read: frozen, amounts in öre, transactions columnar."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

# Transactions: one row per counted #TRANS/#RTRANS (a #BTRANS and the #TRANS repeating an #RTRANS are gone).
#   voucher     int32, row of `vouchers`
#   date        datetime64: the transaction date, else the voucher's
#   account     int32
#   amount_ore  int64, debit positive
#   line        int64, the line in the file
#   object_<d>  category per dimension d used in an object list (missing where the row has none)
# Vouchers: series (str), number (str, may be empty), date (datetime64), line (int64) of the #VER.
TRANSACTION_COLUMNS = ("voucher", "date", "account", "amount_ore", "line")
VOUCHER_COLUMNS = ("series", "number", "date", "line")


def object_column(dimension: int) -> str:
    return f"object_{dimension}"


Objects = tuple[tuple[int, str], ...]  # an object list: (dimension, object id) pairs
BalanceKey = tuple[int, int]  # (year index as in #RAR: 0, -1, …; account)
PeriodKey = tuple[int, int, int, Objects]  # (year index, period YYYYMM, account, objects)


@dataclass(frozen=True)
class Cells:
    """The transactions by (account, object list), as the reader codes them: the outcome sums a
    million rows by a few hundred codes it already has, rather than hashing columns."""
    code: np.ndarray  # per row of `transactions`, in its order: an index into `keys`
    keys: Sequence[tuple[int, Objects]]  # (account, object list) per code


@dataclass(frozen=True)
class SieFile:
    file: str  # as named in messages
    encoding: str  # the encoding the bytes were read with (see encoding.detect_encoding)
    declared_format: str | None  # #FORMAT, normally PC8
    sietyp: str | None
    company: str | None
    orgnr: str | None
    years: Mapping[int, tuple[date, date]]  # #RAR index -> (start, end)
    accounts: Mapping[int, str]  # #KONTO
    account_types: Mapping[int, str]  # #KTYP: T, S, K, I
    dimensions: Mapping[int, str]  # #DIM
    objects: Mapping[tuple[int, str], str]  # #OBJEKT (dimension, id) -> name
    ib: Mapping[BalanceKey, int]
    ub: Mapping[BalanceKey, int]
    res: Mapping[BalanceKey, int]
    psaldo: Mapping[PeriodKey, int]
    pbudget: Mapping[PeriodKey, int]
    vouchers: pd.DataFrame
    transactions: pd.DataFrame
    cells: Cells  # the transactions' (account, object list) codes, row for row
    # The line of each #KONTO, #OBJEKT, #IB, #UB and #RES, keyed (tag, key…), so checks can point at it.
    record_lines: Mapping[tuple[object, ...], int] = field(default_factory=dict)

    @property
    def object_dimensions(self) -> list[int]:
        """Dimensions that transactions use, in order."""
        prefix = "object_"
        return sorted(int(c[len(prefix):]) for c in self.transactions.columns if c.startswith(prefix))

    @property
    def year_starts(self) -> list[int]:
        """The calendar years the financial years (#RAR) start in, in order."""
        return sorted(start.year for start, _end in self.years.values())

    def is_short(self, index: int) -> bool:
        """Whether the financial year (#RAR index) is shorter than a year, e.g. a company's first year."""
        start, end = self.years[index]
        try:
            year_on = start.replace(year=start.year + 1)
        except ValueError:  # 29 February
            year_on = date(start.year + 1, 3, 1)
        return end < year_on - timedelta(days=1)

    def year_index(self, year: int) -> int | None:
        """The #RAR index of the financial year starting in calendar year `year`."""
        for index, (start, _end) in self.years.items():
            if start.year == year:
                return index
        return None

    def voucher_name(self, voucher: int) -> str:
        row = self.vouchers.iloc[voucher]
        return " ".join(p for p in (str(row["series"]), str(row["number"])) if p) or f"line {int(row['line'])}"
