"""Medlemsavgifter och ESF-medel per år: the members as rows, the years as columns, Summa and ESF-medel.

The fees come from the accounts (Not 2's accounts, one per member) when they are configured, else from
`[medlemsavgifter.total]` split by population; ESF-medel from the accounts (3900–3999) or the financing file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from ...config import Medlemsavgifter
from ..ekonomi import budget_data as bd
from ..ekonomi.bokslut.model import Bokslut, kronor
from ..ekonomi.bokslut.trial_balance import TrialBalance, YearBalances
from ..ekonomi.medlemsavgifter import population_on, split_fee
from ..model import Column, Kind, Row, Style, Table, TextLike

TITLE = "Medlemsavgifter och ESF-medel per år"
ESF_ACCOUNTS = range(3900, 4000)
ESF = "ESF"


@dataclass(frozen=True)
class FeeYears:
    """Kronor per member and year, and ESF-medel per year (None: not known for that year)."""

    years: tuple[int, ...]
    fees: Mapping[str, Mapping[int, int]]  # member -> year -> kronor, members in the published order
    esf: Mapping[int, int | None]
    sources: tuple[TextLike, ...] = ()


def fee_table(figures: FeeYears) -> Table:
    """Pure: one row per member, then Summa (bold) and ESF-medel."""
    years = figures.years
    rows = [Row([member, *(by_year.get(y, 0) for y in years)]) for member, by_year in figures.fees.items()]
    sums = [sum(by_year.get(y, 0) for by_year in figures.fees.values()) for y in years]
    rows.append(Row(["Summa", *sums], Style.TOTAL))
    rows.append(Row(["ESF-medel", *(figures.esf.get(y) for y in years)]))
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    return Table(key="medlemsavgifter-esf", title=f"Medlemsavgifter och ESF-medel {span}",
                 columns=[Column("Medlem"), *(Column(str(y), Kind.AMOUNT) for y in years)],
                 rows=rows, notes=list(figures.sources))


def from_accounts(result: Bokslut, tb: TrialBalance) -> FeeYears:
    """Not 2's accounts (one per member) and the accounts 3900–3999, for the year before and the year."""
    balances = [b for b in (tb.previous, tb.current) if b is not None]
    years = tuple(b.end.year for b in balances)
    note = next(n for n in result.notes if n.number == 2)
    fees: dict[str, dict[int, int]] = {}
    for line in note.rows[:-1]:  # the last row is the note's Summa
        amounts = (line.previous, line.current) if tb.previous is not None else (line.current,)
        fees[line.label] = {y: kronor(a or 0) for y, a in zip(years, amounts, strict=True)}
    esf = {b.end.year: _esf_of(b) for b in balances}
    return FeeYears(years, fees, esf, ("Medlemsavgifterna ur bokföringen (Not 2:s konton, ett per medlem); "
                                       "ESF-medel är intäkterna på konton 3900–3999.",))


def _esf_of(balances: YearBalances) -> int:
    return kronor(-sum(v for a, v in balances.res.items() if a in ESF_ACCOUNTS))


def esf_from_financing(fin: pd.DataFrame | None, years: Sequence[int]) -> dict[int, int | None]:
    """ESF money per year in the financing file; None for a year the file does not have."""
    if fin is None or fin.empty:
        return dict.fromkeys(years)
    rows = fin[fin["kalla"].map(bd.line_key) == bd.line_key(ESF)]
    ore = bd.to_ore(rows["belopp"]).groupby(rows["ar"]).sum()
    return {y: (kronor(int(ore[y])) if y in ore.index else None) for y in years}


def from_totals(totals: Mapping[int, int], befolkning: pd.DataFrame, file: str, fin: pd.DataFrame | None,
                names: Medlemsavgifter) -> FeeYears:
    """The configured total fee of each year split by population on 1 November the year before, to whole
    thousands when the total is one (as the fees are decided), else to whole kronor."""
    days = {d.date() for d in befolkning["datum"].dropna()}
    years = tuple(y for y in sorted(totals) if date(y - 1, 11, 1) in days)
    fees: dict[str, dict[int, int]] = {}
    for year in years:
        populations = population_on(befolkning, date(year - 1, 11, 1), names.kommuner, file)
        rounding = 1000 if totals[year] % 1000 == 0 else 1
        for part in split_fee(totals[year], rounding, populations, names):
            fees.setdefault(part.name, {})[year] = part.amount
    return FeeYears(years, fees, esf_from_financing(fin, years),
                    ("Medlemsavgifterna enligt [medlemsavgifter.total], fördelade efter befolkningen den 1 "
                     "november året före; ESF-medel ur finansieringsfilen.",))
