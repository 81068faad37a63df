"""The outcome per budget line for a period, whatever the outcome file is: a table (CSV/xlsx), a
ledger (a table with a Konto column), or the accounts as an SIE4 export. With accounts, the account
class decides group and sign (inputs/sie/outcome.py); without, costs and revenues are both positive.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
import pandas as pd

from ...config import Bokforing
from ...errors import DataError, UsageError
from ...inputs.sie.model import SieFile
from ...inputs.sie.outcome import (
    COST,
    EXTRAORDINARY,
    FINANCIAL,
    REVENUE,
    AccountPosts,
    SieOutcome,
    account_class,
    mapped_post,
    sie_outcome,
)
from ..model import Period as ReportPeriod
from . import budget_data as bd

# The group an outcome line takes when the budget has none for it; a cost line takes the budget's.
CLASS_GROUPS: Mapping[str, str | None] = {REVENUE: bd.REVENUE_GROUP, FINANCIAL: bd.FINANCIAL_GROUP,
                                          EXTRAORDINARY: "Extraordinära poster", COST: None}


@dataclass(frozen=True)
class PeriodOutcome:
    rows: pd.DataFrame  # post, grupp (None where the budget decides), ore
    notes: list[str] = field(default_factory=list)  # where the outcome comes from, when that needs saying
    booked_result: str | None = None  # where the result was also found equal to the accounts' own
    signed_by_account: bool = False  # group and sign come from accounts, so a negative revenue is real
    # (first, last) day the outcome covers when that is less than the period: an SIE financial year
    # (#RAR) shorter than a year; None: the whole period.
    covered: tuple[date, date] | None = None

    def marked(self, period: ReportPeriod) -> ReportPeriod:
        """The report's period, marked partial when the outcome covers less of it."""
        if self.covered is None:
            return period
        first, last = self.covered
        return replace(period, covered_from=first if first > period.start else None,
                       covered_until=min(last, period.end, period.covered_until or last))


def period_outcome(utfall: pd.DataFrame, accounts: SieFile | None, file: str, period: bd.Period, *,
                   halvar: bool = False, bokforing: Bokforing | None = None) -> PeriodOutcome:
    """The outcome rows of the period; no rows is a usage error naming the years the outcome holds."""
    if accounts is not None:
        bokforing = bokforing or Bokforing()
        rows, outcome = sie_outcome_rows(accounts, period, halvar=halvar, dimension=bokforing.dimension,
                                         posts=bokforing.posts())
        found = PeriodOutcome(rows, [source_note(accounts, outcome, file)], "#RES" if outcome.res_checked else None,
                              signed_by_account=True, covered=_short_year(accounts, outcome, period))
        years = ", ".join(str(y) for y in accounts.year_starts)
    elif "konto" in utfall and utfall["konto"].notna().any():
        ledger, notes = ledger_frame(utfall, file, bokforing or Bokforing())
        found = PeriodOutcome(bd.outcome_rows(ledger, period, file), notes, signed_by_account=True,
                              covered=_dated_until(utfall, period))
        years = bd.years_in(utfall["ar"])
    else:
        found = PeriodOutcome(bd.outcome_rows(utfall, period, file), covered=_dated_until(utfall, period))
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


def _dated_until(utfall: pd.DataFrame, period: bd.Period) -> tuple[date, date] | None:
    """What transactions cover of the period when they end before it does (the books of a year still
    open); None when they reach its end, or the year is given per year (År without Datum)."""
    if "datum" not in utfall or utfall["datum"].isna().any() or utfall.empty:
        return None
    last = utfall["datum"].max().date()
    return (period.start, last) if last < period.end else None


def _short_year(sie: SieFile, outcome: SieOutcome, period: bd.Period) -> tuple[date, date] | None:
    """What the outcome covers of the period, when its financial year is shorter than a year and so covers
    less; a whole financial year (12 months, however its dates fall) covers its year."""
    index = sie.year_index(period.year)
    if index is None or not sie.is_short(index) or (outcome.start <= period.start and outcome.end >= period.end):
        return None
    return outcome.start, outcome.end


def source_note(sie: SieFile, outcome: SieOutcome, file: str) -> str:
    """Where the outcome comes from, in the report's words."""
    if outcome.dimension is not None:
        dimension = sie.dimensions.get(outcome.dimension, f"dimension {outcome.dimension}")
        by = f"per objekt i dimension {outcome.dimension} ({dimension.lower()}), annars per konto"
    else:
        by = "per konto"
    return (f"Utfallet är bokföringens resultatkonton ({file}, SIE4) {by}: kontoklass 3 är intäkter, 4–7 "
            "kostnader och 8 finansiella poster; årets resultat (8990–8999) ingår inte.")


# --- a ledger: a table with a Konto column ---------------------------------------------------------


def ledger_frame(utfall: pd.DataFrame, file: str, bokforing: Bokforing) -> tuple[pd.DataFrame, list[str]]:
    """The rows with an account, grouped and signed by its class; posts from Post, else the object
    columns, else `[bokforing.konton]`, else `Konto NNNN`. Ledger signs (class 3 mostly negative)
    are turned around for classes 3 and 8, with a note. Rows without an account are kept as they are."""
    text = utfall["konto"].astype("string").str.strip()
    account = pd.to_numeric(text, errors="coerce")
    bad = text.notna() & (account.isna() | (account % 1 != 0) | (account < 1000) | (account > 9999))
    if bad.any():
        raise DataError(f"{file}: column 'Konto': {text[bad].iloc[0]!r} is not an account (four digits), on "
                        f"{int(bad.sum())} row(s)")
    codes, distinct = pd.factorize(account)
    klasses: list[str | None] = []
    for value in distinct.tolist():
        try:
            klasses.append(account_class(int(value)))
        except ValueError:
            raise DataError(f"{file}: account {int(value)} is in no outcome group: 3000–3999 revenue, 4000–7999 "
                            "costs, 8000–8499 financial items, 8700–8799 extraordinary items") from None
    lookup = np.array([*klasses, None], dtype=object)  # code −1 (no account) takes the last: None
    klass = pd.Series(lookup[codes], index=utfall.index, dtype="object")
    # A balance-account row counts, as it stands, only where the file names its post (an accrual
    # booked on a line); a full ledger's bank and supplier sides have none and are left out.
    named = utfall["post"].notna() if "post" in utfall else pd.Series(False, index=utfall.index)
    balance_named = (account < 3000) & named
    counted = account.isna() | klass.notna() | balance_named
    frame, klass, account = utfall[counted].copy(), klass[counted], account[counted]
    notes = []
    left_out = int((~counted).sum())
    if left_out:
        notes.append(f"{left_out} rader på balanskonton (1000–2999) utan post eller på årets resultat (8990–8999) "
                     f"i {file} ingår inte i utfallet.")
    if balance_named.any():
        notes.append(f"{int(balance_named.sum())} rader på balanskonton med angiven post i {file} räknas till "
                     "posten med beloppet som det står.")
    belopp = frame["belopp"]
    revenue = klass == REVENUE
    if int((belopp[revenue] < 0).sum()) * 2 > int(revenue.sum()):
        credit = klass.isin([REVENUE, FINANCIAL, EXTRAORDINARY])
        frame["belopp"] = belopp.where(~credit, -belopp)
        notes.append(f"{file} har bokföringens tecken (debet positivt, kredit negativt): intäkter (klass 3) och "
                     "finansiella poster (klass 8) har vänts, så att intäkter visas positiva och finansiella poster "
                     "netto som intäkt; kostnader (klass 4–7) är oförändrade.")
    grupp = klass.map(CLASS_GROUPS)
    old_grupp = frame["grupp"] if "grupp" in frame else pd.Series(None, index=frame.index, dtype="object")
    frame["grupp"] = grupp.where(grupp.notna(), old_grupp)
    frame["post"] = _ledger_posts(frame, account, bokforing)
    return frame, notes


def _ledger_posts(frame: pd.DataFrame, account: pd.Series, bokforing: Bokforing) -> pd.Series:
    post = frame["post"] if "post" in frame else pd.Series(None, index=frame.index, dtype="object")
    columns = {6: "projekt", 1: "kostnadsstalle"}
    order = [bokforing.dimension] if bokforing.dimension in columns else [6, 1]
    for dimension in order:
        column = columns.get(dimension) if dimension is not None else None
        if column in frame and frame[column].notna().any():
            post = post.where(post.notna(), frame[column])
            break
    posts = bokforing.posts()
    by_account = {a: mapped_post(int(a), posts) or f"Konto {int(a)}" for a in account.dropna().unique().tolist()}
    return post.where(post.notna(), account.map(by_account))


def negative_revenue_note(lines: bd.Lines, measure: str = "utfall") -> str | None:
    """Without accounts, revenues are positive by convention: a revenue line with a negative total is
    probably a ledger's credit sign."""
    frame = lines.frame
    negative = frame[(frame["klass"] == bd.REVENUE) & (frame[measure] < 0)]
    if negative.empty:
        return None
    return (f"Varning: {bd.join_sv([str(p) for p in negative['post']])} har negativt utfall. Utan kolumnen Konto "
            "ska intäkter anges som positiva belopp; bokföringens tecken (kredit negativt) vänds bara när "
            "kontot anges.")
