"""Which dates a participant file covers, and what that means for a requested period.

A participant file covers its first start to its latest date (a start or an exit). A period entirely
outside that is refused; a period covered in part is reported, marked partial; without a year the
default is the latest year covered in full.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from ...errors import Reason, UsageError
from .stint_metrics import Period, half_year_period, year_period


@dataclass(frozen=True)
class Coverage:
    first: date
    last: date

    @property
    def text(self) -> str:
        return f"{self.first.isoformat()} to {self.last.isoformat()}"


def coverage(stints: pd.DataFrame) -> Coverage | None:
    """The dates the stints cover; None when they hold no dates at all."""
    starts, ends = stints["inskrivningsdatum"], stints["avslutsdatum"]
    first = starts.min()
    last = max((d for d in (starts.max(), ends.max()) if pd.notna(d)), default=None)
    if pd.isna(first) or last is None:
        return None
    return Coverage(pd.Timestamp(first).date(), pd.Timestamp(last).date())


def _period(year: int, half_year: bool) -> Period:
    return half_year_period(year) if half_year else year_period(year)


def default_year(cover: Coverage, half_year: bool) -> tuple[int, str]:
    """The latest year (or first half) the data covers in full, and why it was chosen, for stderr."""
    year = cover.last.year if _period(cover.last.year, half_year).last <= cover.last else cover.last.year - 1
    what = "first half" if half_year else "year"
    if year < cover.first.year:  # the data covers no whole period: the one it ends in, marked partial
        return cover.last.year, (f"no year given: reporting {cover.last.year}, which the data covers only in part "
                                 f"(it covers {cover.text})")
    return year, (f"no year given: reporting {year}, the latest {what} the participant data covers in full "
                  f"(it covers {cover.text})")


def covered_until(cover: Coverage | None, year: int, half_year: bool) -> date | None:
    """The last covered day when the data covers the period only in part; None when it covers all of it.

    A period entirely outside the data is a usage error naming the dates the data covers.
    """
    period = _period(year, half_year)
    if cover is None:
        raise UsageError(f"no participant data for {period.label}: the participant file holds no dates",
                         sv=f"deltagaruppgifter saknas för {period.label}: deltagarfilen innehåller inga datum")
    if period.last < cover.first or period.first > cover.last:
        raise UsageError(f"no participant data for {period.label}: the data covers {cover.text}",
                         sv=f"deltagaruppgifter saknas för {period.label}: uppgifterna omfattar "
                            f"{cover.first.isoformat()} till och med {cover.last.isoformat()}")
    return cover.last if cover.last < period.last else None


def period_gap(stints: pd.DataFrame, year: int, half_year: bool) -> str | None:
    """Why the stints give no figures for the period (a requirement an export logs as a skip), or None."""
    try:
        covered_until(coverage(stints), year, half_year)
    except UsageError as exc:
        return Reason.of(exc)
    return None
