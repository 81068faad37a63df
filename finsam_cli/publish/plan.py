"""Which reports an export makes for a year, under which file names, and how each is built.

Every report is a `Job`: a stable, safe file stem and a function that builds the Report.
The builders below are thin adapters over the report modules, looked up when a job runs
(so a test can replace one). Optional reports whose data is missing are skipped with a reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..inputs.schema import FileKind
from ..slugs import slugify

if TYPE_CHECKING:
    from ..config import Insats
    from ..inputs.session import Session
    from ..reports.model import Report

MALUPPFYLLELSE = "maluppfyllelse"
SAMMANSTALLNING = "maluppfyllelse-sammanstallning"
BUDGET_AVVIKELSE = "budget-avvikelse"
BUDGET_JAMFORELSE = "budget-jamforelse"
MEDLEMSAVGIFTER = "medlemsavgifter"
ENKAT = "enkat"
HALVAR = "halvar"

_PART = r"[a-z0-9]+(?:-[a-z0-9]+)*"
# report_year[_slug][_halvar].ext: only [a-z0-9-] between the underscores, so no path can be formed.
SAFE_NAME = re.compile(rf"^{_PART}_[0-9]{{4}}(?:_{_PART})?(?:_{HALVAR})?\.(?:md|xlsx)$")


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


# --- builders: thin adapters over the report modules ----------------------------------------------


def build_maluppfyllelse(session: Session, year: int, halvar: bool, insats: str | None) -> Report:
    """One insats's goal attainment, or (insats None) every insats with the summary across them."""
    from ..reports.deltagare.maluppfyllelse import Request, maluppfyllelse_report

    wanted = (insats,) if insats is not None else ()
    return maluppfyllelse_report(session, Request(year=year, half_year=halvar, insatser=wanted))


def build_budget_avvikelse(session: Session, year: int, halvar: bool, tkr: bool) -> Report:
    from ..reports.ekonomi.budget_avvikelse import budget_avvikelse_report

    return budget_avvikelse_report(session, year, halvar=halvar, tkr=tkr)


def build_budget_jamforelse(session: Session, year: int, tkr: bool) -> Report:
    from ..reports.ekonomi.budget_jamforelse import budget_jamforelse_report

    return budget_jamforelse_report(session, year, tkr=tkr)


def build_medlemsavgifter(session: Session, year: int, tkr: bool) -> Report:
    from ..reports.ekonomi.medlemsavgifter import medlemsavgifter_report

    return medlemsavgifter_report(session, year, tkr=tkr)


def build_enkat(session: Session, year: int, halvar: bool, skydda: int) -> Report:
    from ..reports.enkat.report import enkat_report

    return enkat_report(session, year, halvar=halvar, skydda=skydda)


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
        years = [_max_year(session.load(FileKind.UTFALL).frame["ar"])]
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


def _years(session: Session, kind: FileKind) -> set[int]:
    import pandas as pd

    frame = session.load(kind).frame
    return {int(y) for y in pd.to_numeric(frame["ar"], errors="coerce").dropna()}


def _insatser(session: Session) -> list[Insats]:
    """The catalogue; without one, every insats in the data (spellings of one name count once)."""
    if session.config.insatser:
        return list(session.config.insatser)
    from ..reports.deltagare.insatser import known_insatser

    names = list(session.load(FileKind.DELTAGARE).frame["insats"].dropna().astype(str).unique())
    anonyma = session.load_optional(FileKind.ANONYMA)
    if anonyma is not None:
        names += list(anonyma.frame["insats"].dropna().astype(str).unique())
    return known_insatser(session.config, names)


def _survey_gap(session: Session, year: int, halvar: bool) -> str | None:
    if not session.has(FileKind.ENKAT):
        return "no survey answers (data.enkat)"
    from ..reports.enkat.summary import missing_period
    from ..reports.model import Period

    loaded = session.load(FileKind.ENKAT)
    period = Period.half_year(year) if halvar else Period.whole_year(year)
    return missing_period(loaded.frame, period, loaded.source.name)


def _population_dates(session: Session) -> set[date]:
    frame = session.load(FileKind.BEFOLKNING).frame
    return {d.date() for d in frame["datum"].dropna()}


# --- the plan --------------------------------------------------------------------------------------


def plan_jobs(session: Session, year: int, *, halvar: bool = False, tkr: bool = False, skydda: int = 0) -> Plan:
    """Every report for the year (half-year versions with `halvar`), and the optional ones skipped.

    `skydda` is the survey summary's protection: shares based on fewer answers are hidden.
    """
    jobs: list[Job] = []
    skipped: list[Skip] = []

    if session.has(FileKind.DELTAGARE):
        for insats in _insatser(session):
            slug = slugify(insats.key)  # catalogue slugs are validated; slugify again, defence in depth
            jobs.append(Job(MALUPPFYLLELSE, year, _maluppfyllelse(session, year, halvar, insats.key), slug,
                            insats.namn, halvar))
        jobs.append(Job(SAMMANSTALLNING, year, _maluppfyllelse(session, year, halvar, None), None,
                        "Alla insatser", halvar))
    else:
        skipped.append(Skip(MALUPPFYLLELSE, "no participant data (data.deltagare)"))

    budget_years = _years(session, FileKind.BUDGET) if session.has(FileKind.BUDGET) else set()
    if not session.has(FileKind.BUDGET):
        skipped.append(Skip(BUDGET_AVVIKELSE, "no budget data (data.budget)"))
    elif not session.has(FileKind.UTFALL):
        skipped.append(Skip(BUDGET_AVVIKELSE, "no outcome data (data.utfall)"))
    elif year not in budget_years:
        skipped.append(Skip(BUDGET_AVVIKELSE, f"no budget for {year} in the budget file"))
    else:
        jobs.append(Job(BUDGET_AVVIKELSE, year, lambda: build_budget_avvikelse(session, year, halvar, tkr),
                        halvar=halvar))

    survey_gap = _survey_gap(session, year, halvar)
    if survey_gap is not None:
        skipped.append(Skip(ENKAT, survey_gap))
    else:
        jobs.append(Job(ENKAT, year, lambda: build_enkat(session, year, halvar, skydda), halvar=halvar))

    if halvar:
        return Plan(year, jobs, skipped)  # comparison and fees are yearly: they belong to the full-year set

    if not session.has(FileKind.BUDGET):
        skipped.append(Skip(BUDGET_JAMFORELSE, "no budget data (data.budget)"))
    elif not {year, year - 1} <= budget_years:
        missing = ", ".join(str(y) for y in sorted({year, year - 1} - budget_years))
        skipped.append(Skip(BUDGET_JAMFORELSE, f"no budget for {missing} in the budget file"))
    else:
        jobs.append(Job(BUDGET_JAMFORELSE, year, lambda: build_budget_jamforelse(session, year, tkr)))

    # The fee for a year is split by the population on 1 November the year before, so the export of
    # ÅR also makes next year's split when [medlemsavgifter.total] has it.
    totals = session.config.medlemsavgifter.total
    fee_years = [y for y in (year, year + 1) if y in totals]
    if not fee_years:
        skipped.append(Skip(MEDLEMSAVGIFTER, f"no total fee for {year} or {year + 1} in [medlemsavgifter.total]"))
    elif not session.has(FileKind.BEFOLKNING):
        skipped.append(Skip(MEDLEMSAVGIFTER, "no population data (data.befolkning)"))
    else:
        dates = _population_dates(session)
        for fee_year in fee_years:
            day = date(fee_year - 1, 11, 1)
            if day not in dates:
                skipped.append(Skip(MEDLEMSAVGIFTER, f"{fee_year}: no population on {day.isoformat()} yet"))
                continue
            jobs.append(Job(MEDLEMSAVGIFTER, fee_year, _medlemsavgifter(session, fee_year, tkr)))
    return Plan(year, jobs, skipped)


def _maluppfyllelse(session: Session, year: int, halvar: bool, insats: str | None) -> Callable[[], Report]:
    return lambda: build_maluppfyllelse(session, year, halvar, insats)


def _medlemsavgifter(session: Session, year: int, tkr: bool) -> Callable[[], Report]:
    return lambda: build_medlemsavgifter(session, year, tkr)
