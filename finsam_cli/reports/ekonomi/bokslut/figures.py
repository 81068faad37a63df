"""One year's figures per statement line, in öre and shown signs, and whether the year is closed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ....errors import DataError
from ....rounding import format_kronor as money
from . import chart as c
from .trial_balance import YearBalances

# Lines shown with the sign reversed from SIE: every result line (revenue positive, costs negative) and the claims.
_NEGATED = frozenset((*c.RESULT_LINES, *c.CLAIM_LINES))


@dataclass(frozen=True)
class YearFigures:
    label: str  # "2017", or "2017/18" for a broken fiscal year
    closing_date: str
    result_lines: Mapping[str, int]  # shown sign; a line absent here has no amount (`–`)
    opening: Mapping[str, int]  # balance lines at the start of the year, shown sign
    closing: Mapping[str, int]  # at the end; equity includes the result in an open year
    closed: bool
    result: int  # Periodens/årets resultat
    equity_postings: int  # direct postings to equity, shown sign (0 when not known)
    accounts: Mapping[int, tuple[str, int | None, int | None]]  # account -> line, shown opening, shown closing/result

    def line(self, name: str) -> int | None:
        return self.result_lines.get(name, self.closing.get(name))

    def change(self, name: str) -> int:
        return self.closing.get(name, 0) - self.opening.get(name, 0)


def _sums(values: Mapping[int, int], lines: Mapping[int, str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for account, ore in values.items():
        line = lines[account] if ore else None
        if line is not None and line != c.YEAR_END:
            out[line] = out.get(line, 0) + (-ore if line in _NEGATED else ore)
    return out


def _state(year: YearBalances, label: str) -> bool:
    """True for a closed year, False for an open one; a data error if the balances add up to neither."""
    balances, results = sum(year.ub.values()), sum(year.res.values())
    if balances == 0:
        return True
    if balances + results == 0:
        return False
    raise DataError(
        f"bokslut {label}: the balances do not add up. The balance accounts' closing balances sum to "
        f"{money(balances)} (zero in a closed year) and with the result accounts to {money(balances + results)} "
        "(zero in an open year)."
    )


def year_figures(year: YearBalances, lines: Mapping[int, str]) -> YearFigures:
    label = str(year.end.year) if year.start.year == year.end.year else f"{year.start.year}/{year.end.year % 100:02d}"
    closed = _state(year, label)
    result_lines = {line: ore for line, ore in _sums(year.res, lines).items() if line in c.RESULT_LINES}
    result = sum(result_lines.values())
    opening = {line: ore for line, ore in _sums(year.ib, lines).items() if line not in c.RESULT_LINES}
    closing = {line: ore for line, ore in _sums(year.ub, lines).items() if line not in c.RESULT_LINES}
    if not closed:
        closing[c.EGET_KAPITAL] = closing.get(c.EGET_KAPITAL, 0) + result
    postings = -sum(ore for account, ore in (year.movements or {}).items() if lines.get(account) == c.EGET_KAPITAL)
    accounts: dict[int, tuple[str, int | None, int | None]] = {}
    for account in set(year.ib) | set(year.ub) | set(year.res):
        line = lines.get(account)
        if line is None or line == c.YEAR_END:
            continue
        sign = -1 if line in _NEGATED else 1
        ib, end = year.ib.get(account), year.ub.get(account, year.res.get(account))
        accounts[account] = (line, None if ib is None else sign * ib, None if not end else sign * end)
    return YearFigures(label, year.end.isoformat(), result_lines, opening, closing, closed, result, postings,
                       accounts)
