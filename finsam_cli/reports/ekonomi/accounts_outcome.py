"""The outcome per budget line from the accounts: an SIE4 export, whose account classes decide
group and sign (see inputs/sie/outcome.py)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd

from ...errors import DataError
from ...inputs.sie.model import SieFile
from ...inputs.sie.outcome import COST, EXTRAORDINARY, FINANCIAL, REVENUE, AccountPosts, SieOutcome, sie_outcome
from . import budget_data as bd

# The group an outcome line takes when the budget has none for it; a cost line takes the budget's.
CLASS_GROUPS: Mapping[str, str | None] = {REVENUE: bd.REVENUE_GROUP, FINANCIAL: bd.FINANCIAL_GROUP,
                                          EXTRAORDINARY: "Extraordinära poster", COST: None}


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
