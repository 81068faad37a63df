"""A saldolista (trial balance export, `År;Konto;Kontonamn;Ingående balans;Utgående balans;Resultat`) as the
statements' input. Signs as in SIE; balance accounts (classes 1–2) use the balance columns, the others Resultat."""

from __future__ import annotations

from datetime import date

import pandas as pd

from ....errors import DataError, UsageError
from ....inputs.parse import parse_amounts, parse_integers, present
from ....inputs.problems import Problems
from ..budget_data import to_ore
from .trial_balance import TrialBalance, YearBalances

AR, KONTO, NAMN, IB, UB, RES = "År", "Konto", "Kontonamn", "Ingående balans", "Utgående balans", "Resultat"
COLUMNS = (AR, KONTO, NAMN, IB, UB, RES)
AMOUNTS = (IB, UB, RES)


def _key(header: object) -> str:
    return " ".join(str(header).split()).casefold()


def _columns(df: pd.DataFrame, file: str) -> pd.DataFrame:
    by_key = {_key(h): h for h in df.columns}
    missing = [name for name in COLUMNS if _key(name) not in by_key]
    if missing:
        raise DataError(f"{file}: a saldolista needs the column(s) {', '.join(missing)} "
                        f"(found: {', '.join(map(str, df.columns))})")
    return pd.DataFrame({name: df[by_key[_key(name)]] for name in COLUMNS}, index=df.index)


def read_saldolista(df: pd.DataFrame, year: int, file: str) -> TrialBalance:
    """The calendar year `year` and the year before from a saldolista read into `df` (index: the row numbers
    Excel shows, as the readers give). A cell that is not a number is a data error naming row and column."""
    df = _columns(df, file)
    problems = Problems(file)
    parsed: dict[str, pd.Series] = {}
    for column, parse in ((AR, parse_integers), (KONTO, parse_integers), *((c, parse_amounts) for c in AMOUNTS)):
        parsed[column] = parse(df[column])
        given = present(df[column]).fillna(False).astype(bool)
        required = column in (AR, KONTO)
        problems.add_rows((given | required) & parsed[column].isna(), column, df[column],
                          "not a number" if column in AMOUNTS else "not a whole number")
    problems.raise_if_any()
    years = parsed[AR].astype("int64")
    if not (years == year).any():
        held = ", ".join(str(y) for y in sorted(years.unique()))
        raise UsageError(f"{file} does not hold {year}; it holds {held or 'no year'}",
                         sv=f"{file} innehåller inte {year}; den innehåller {held or 'inget år'}")
    accounts = parsed[KONTO].astype("int64")
    ore = {c: to_ore(parsed[c].fillna(0)) for c in AMOUNTS}
    names = dict(zip(accounts, df[NAMN].fillna("").astype(str).str.strip(), strict=True))
    return TrialBalance(names, _year(year, years, accounts, ore), _year(year - 1, years, accounts, ore)
                        if (years == year - 1).any() else None)


def _year(year: int, years: pd.Series, accounts: pd.Series, ore: dict[str, pd.Series]) -> YearBalances:
    rows = years == year
    balance = rows & (accounts < 3000)
    result = rows & (accounts >= 3000)

    def totals(mask: pd.Series, column: str) -> dict[int, int]:
        sums = ore[column][mask].groupby(accounts[mask]).sum()
        return {int(a): int(v) for a, v in zip(sums.index.tolist(), sums.tolist(), strict=True) if v}

    return YearBalances(date(year, 1, 1), date(year, 12, 31), totals(balance, IB), totals(balance, UB),
                        totals(result, RES))
