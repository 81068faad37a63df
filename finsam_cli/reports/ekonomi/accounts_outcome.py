"""The outcome per budget line for a period, whatever the outcome file is: a table (CSV/xlsx), or
the accounts as an SIE4 export, whose account classes decide group and sign (inputs/sie/outcome.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from ...config import Bokforing
from ...errors import DataError, UsageError
from ...inputs.sie.model import SieFile
from ...inputs.sie.outcome import COST, EXTRAORDINARY, FINANCIAL, REVENUE, AccountPosts, SieOutcome, sie_outcome
from . import budget_data as bd

# The group an outcome line takes when the budget has none for it; a cost line takes the budget's.
CLASS_GROUPS: Mapping[str, str | None] = {REVENUE: bd.REVENUE_GROUP, FINANCIAL: bd.FINANCIAL_GROUP,
                                          EXTRAORDINARY: "Extraordinära poster", COST: None}


@dataclass(frozen=True)
class PeriodOutcome:
    rows: pd.DataFrame  # post, grupp (None where the budget decides), ore
    notes: list[str] = field(default_factory=list)  # where the outcome comes from, when that needs saying
    booked_result: str | None = None  # where the result was also found equal to the accounts' own


def period_outcome(utfall: pd.DataFrame, accounts: SieFile | None, file: str, period: bd.Period, *,
                   halvar: bool = False, bokforing: Bokforing | None = None) -> PeriodOutcome:
    """The outcome rows of the period; no rows is a usage error naming the years the outcome holds."""
    if accounts is not None:
        bokforing = bokforing or Bokforing()
        rows, outcome = sie_outcome_rows(accounts, period, halvar=halvar, dimension=bokforing.dimension,
                                         posts=bokforing.posts())
        found = PeriodOutcome(rows, [source_note(accounts, outcome, file)], "#RES" if outcome.res_checked else None)
        years = ", ".join(str(y) for y in accounts.year_starts)
    else:
        found = PeriodOutcome(bd.outcome_rows(utfall, period, file))
        years = bd.years_in(utfall["ar"])
    if found.rows.empty:
        raise UsageError(f"{file}: no outcome from {period.start.isoformat()} to {period.end.isoformat()} "
                         f"(outcome years in the file: {years})")
    return found


def sie_outcome_rows(sie: SieFile, period: bd.Period, *, halvar: bool, dimension: int | None,
                     posts: AccountPosts | None) -> tuple[pd.DataFrame, SieOutcome]:
    """Outcome rows (post, grupp, ore) for the period, and the outcome they come from."""
    until: date | None = None if halvar or period.full_year else period.end
    outcome = sie_outcome(sie, period.year, half=halvar, until=until, dimension=dimension, posts=posts)
    frame = outcome.frame
    mixed = frame.groupby(frame["Post"].map(bd.line_key))["Klass"].nunique()
    if (mixed > 1).any():
        key = mixed[mixed > 1].index[0]
        rows = frame[frame["Post"].map(bd.line_key) == key]
        raise DataError(f"{sie.file}: the post {rows['Post'].iloc[0]!r} holds both "
                        f"{' and '.join(sorted(set(rows['Klass'])))} accounts in {period.year}; a budget line is "
                        "one of revenue, costs or financial items. Give the accounts of one kind another post "
                        "through [bokforing.konton] or another object")
    rows = pd.DataFrame({"post": frame["Post"], "grupp": frame["Klass"].map(CLASS_GROUPS),
                         "ore": frame["ore"].astype("int64")})
    return rows, outcome


def source_note(sie: SieFile, outcome: SieOutcome, file: str) -> str:
    """Where the outcome comes from, in the report's words."""
    if outcome.dimension is not None:
        dimension = sie.dimensions.get(outcome.dimension, f"dimension {outcome.dimension}")
        by = f"per objekt i dimension {outcome.dimension} ({dimension.lower()}), annars per konto"
    else:
        by = "per konto"
    return (f"Utfallet är bokföringens resultatkonton ({file}, SIE4) {by}: kontoklass 3 är intäkter, 4–7 "
            "kostnader och 8 finansiella poster; årets resultat (8990–8999) ingår inte.")
