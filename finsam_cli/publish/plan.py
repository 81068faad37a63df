"""Which reports an export makes for a year, under which file names, and how each is built.

Every report is a `Job`: a stable, safe file stem and a function that builds the Report.
The reports and their requirements come from the registry (reports/registry.py); a report
whose data is missing is skipped with the reason its requirements give.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from ..inputs.schema import FileKind
from .formats import FORMATS

if TYPE_CHECKING:
    from ..inputs.load import Loaded
    from ..inputs.session import Session
    from ..reports.contract import ReportType
    from ..reports.model import Report

HALVAR = "halvar"

_PART = r"[a-z0-9]+(?:-[a-z0-9]+)*"
# report_year[_slug][_halvar].ext: only [a-z0-9-] between the underscores, so no path can be formed.
SAFE_NAME = re.compile(rf"^{_PART}_[0-9]{{4}}(?:_{_PART})?(?:_{HALVAR})?\.(?:{'|'.join(FORMATS)})$")


@dataclass(frozen=True)
class Job:
    report: str  # the file name's first part, e.g. "budget-avvikelse"
    year: int  # the year in the file name
    build: Callable[[], Report] = field(compare=False, repr=False)
    slug: str | None = None  # the insats, for per-insats reports
    subject: str | None = None  # the insats's display name
    halvar: bool = False

    @property
    def stem(self) -> str:
        parts = [self.report, str(self.year)]
        if self.slug is not None:
            parts.append(self.slug)
        if self.halvar:
            parts.append(HALVAR)
        return "_".join(parts)

    def filename(self, fmt: str) -> str:
        name = f"{self.stem}.{fmt}"
        if not SAFE_NAME.match(name):
            raise ValueError(f"unsafe export file name {name!r}")
        return name


@dataclass(frozen=True)
class Skip:
    report: str
    reason: str


@dataclass
class Plan:
    year: int
    jobs: list[Job]
    skipped: list[Skip]


# --- building --------------------------------------------------------------------------------------


def build_report(kind: ReportType, session: Session, params: Any) -> Report:
    """Build one job's report (looked up when a job runs, so a test can replace it)."""
    return kind.build(session, params)


# --- what the data holds ---------------------------------------------------------------------------


def _max_year(values: object) -> int | None:
    import pandas as pd

    series = pd.Series(values)
    if pd.api.types.is_datetime64_any_dtype(series):
        series = series.dt.year
    series = pd.to_numeric(series, errors="coerce").dropna()
    return int(series.max()) if not series.empty else None


def default_year(session: Session, halvar: bool = False) -> tuple[int, str]:
    """The year an export without ÅR makes, and why (for the log).

    With participant data, the latest year (with `halvar`, the latest first half) it covers in full,
    as `maluppfyllelse` chooses. Without it, the latest year the outcome covers in full (transactions
    that reach 31 December, a row per year, an SIE #RAR year that is not shorter than a year), else the
    latest year of the budget, else of the survey answers.
    """
    if session.has(FileKind.DELTAGARE):
        from ..reports.deltagare.coverage import coverage
        from ..reports.deltagare.coverage import default_year as covered

        cover = coverage(session.load(FileKind.DELTAGARE).frame)
        if cover is None:
            raise UsageError("the participant export holds no dated rows: give the year, e.g. `finsam export 2017`")
        return covered(cover, halvar)
    for kind, source in ((FileKind.UTFALL, "outcome"), (FileKind.BUDGET, "budget"), (FileKind.ENKAT, "survey")):
        if session.has(kind):
            loaded = session.load(kind)
            if kind is FileKind.UTFALL:
                year, what = _latest_whole_outcome_year(loaded), "covers in full"
            else:
                year, what = _max_year(loaded.frame["ar"]), "holds"
            if year is None:
                raise UsageError(f"the {source} file holds no dated rows: give the year, e.g. `finsam export 2017`")
            return year, f"no year given: reporting {year}, the latest year the {source} file {what}"
    raise UsageError("nothing to export: no data files are configured (data.deltagare, data.budget, … in "
                     "finsam.toml) or given")


def _latest_whole_outcome_year(loaded: Loaded) -> int | None:
    """The latest year the outcome covers in full; the latest year it holds when it covers none in full."""
    import pandas as pd

    if loaded.sie is not None:
        sie = loaded.sie
        whole = [i for i in sie.years if not sie.is_short(i)] or list(sie.years)
        return max((sie.years[i][0].year for i in whole), default=None)
    frame = loaded.frame
    dates = frame["datum"] if "datum" in frame else pd.Series(pd.NaT, index=frame.index)
    years = [_max_year(frame.loc[dates.isna(), "ar"])]  # a row per year covers its year
    last = dates.max()
    if pd.notna(last):
        whole = last.year if (last.month, last.day) == (12, 31) else last.year - 1
        years.append(whole if whole >= dates.min().year else last.year)
    found = [y for y in years if y is not None]
    return max(found, default=None)


# --- the plan --------------------------------------------------------------------------------------


def plan_jobs(session: Session, year: int, *, halvar: bool = False, tkr: bool = False,
              reports: tuple[str, ...] = (), skydda: int | None = None) -> Plan:
    """Every report of the registry for the year (half-year versions with `halvar`), and those skipped.

    `reports`: only these (commands); empty: every report. `skydda`, the export's protection minimum as
    resolved (command line first), replaces the one a report's own parameters take from the configuration
    (the survey's shares on fewer answers)."""
    from ..reports.registry import HALF_YEAR_REPORTS, REPORTS

    jobs: list[Job] = []
    skipped: list[Skip] = []
    for kind in REPORTS:
        if reports and kind.command not in reports:
            continue
        if halvar and kind.command not in HALF_YEAR_REPORTS:
            continue  # comparison and fees are yearly: they belong to the full-year set
        reasons = kind.requirements(session, year, halvar)
        if not reasons:
            found, reasons = kind.jobs(session, year, halvar, tkr)
            jobs += [Job(j.report, j.year, _builder(kind, session, _with_skydda(j.params, skydda)), j.slug,
                         j.subject, j.halvar) for j in found]
        skipped += [Skip(kind.command, reason) for reason in reasons]
    return Plan(year, jobs, skipped)


def _with_skydda(params: Any, skydda: int | None) -> Any:
    if skydda is None or "skydda" not in {f.name for f in fields(params)}:
        return params
    return replace(params, skydda=skydda)


def _builder(kind: ReportType, session: Session, params: Any) -> Callable[[], Report]:
    return lambda: build_report(kind, session, params)
