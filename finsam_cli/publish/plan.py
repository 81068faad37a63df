"""Which reports an export makes for a year, under which file names, and how each is built.

Every report is a `Job`: a stable, safe file stem and a function that builds the Report.
The reports and their requirements come from the registry (reports/registry.py); a report
whose data is missing is skipped with the reason its requirements give.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from ..inputs.schema import FileKind
from .formats import FORMATS

if TYPE_CHECKING:
    from ..inputs.session import Session
    from ..reports.model import Report
    from ..reports.registry import ReportType

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


def latest_year(session: Session) -> int:
    """The latest year with data: in the participant export (and anonymous counts) if there is one,
    else in the outcome, else in the budget."""
    if session.has(FileKind.DELTAGARE):
        frame = session.load(FileKind.DELTAGARE).frame
        years = [_max_year(frame["inskrivningsdatum"]), _max_year(frame["avslutsdatum"])]
        anonyma = session.load_optional(FileKind.ANONYMA)
        if anonyma is not None:
            years.append(_max_year(anonyma.frame["ar"]))
        source = "the participant export"
    elif session.has(FileKind.UTFALL):
        from ..inputs.accounts import outcome_years

        utfall = session.load(FileKind.UTFALL)
        years = [max(outcome_years(utfall.frame, utfall.sie), default=None)]
        source = "the outcome"
    elif session.has(FileKind.BUDGET):
        years = [_max_year(session.load(FileKind.BUDGET).frame["ar"])]
        source = "the budget"
    else:
        raise UsageError("nothing to export: no data files are configured (data.deltagare, data.budget, … in "
                         "finsam.toml) or given")
    found = [y for y in years if y is not None]
    if not found:
        raise UsageError(f"{source} holds no dated rows: give the year, e.g. `finsam export 2017`")
    return max(found)


# --- the plan --------------------------------------------------------------------------------------


def plan_jobs(session: Session, year: int, *, halvar: bool = False, tkr: bool = False,
              reports: tuple[str, ...] = ()) -> Plan:
    """Every report of the registry for the year (half-year versions with `halvar`), and those skipped.
    `reports`: only these (commands); empty: every report."""
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
            jobs += [Job(j.report, j.year, _builder(kind, session, j.params), j.slug, j.subject, j.halvar)
                     for j in found]
        skipped += [Skip(kind.command, reason) for reason in reasons]
    return Plan(year, jobs, skipped)


def _builder(kind: ReportType, session: Session, params: Any) -> Callable[[], Report]:
    return lambda: build_report(kind, session, params)
