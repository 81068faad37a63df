"""`finsam enkat` declared: its parameters, what the export needs and makes, its `ReportType`.

Light: the build (report.py) and pandas load only when a report is built or the export plans.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..contract import Job, ReportType, missing_inputs
from ..parameters import option, year_argument

if TYPE_CHECKING:
    from ...inputs.session import Session
    from ...inputs.view import Sources


@dataclass(frozen=True)
class EnkatParams:
    year: int = field(metadata=year_argument("The year, e.g. 2017."))
    halvar: bool = field(default=False, metadata=option("halvar", "Only answers from January–June of ÅR."))
    insatser: tuple[str, ...] = field(default=(), metadata=option(  # names or slugs; empty: every insats
        "insats", "Only answers naming this insats (its name or slug); repeat for several.",
        metavar="SLUG_OR_NAME"))
    skydda: int | None = field(default=None, metadata=option(  # None: [sekretess] minsta_antal
        "skydda", "Hide a share based on fewer than N answers (default: sekretess.minsta_antal).", metavar="N",
        min=0))


def _requirements(session: Sources, year: int, halvar: bool) -> list[str]:
    """Why the export makes no survey summary: no answers configured, or none in the period."""
    missing = missing_inputs(session, ENKAT.required)
    if missing:
        return missing
    from ...inputs.schema import FileKind
    from ..model import Period
    from .summary import missing_period

    loaded = session.load(FileKind.ENKAT)
    gap = missing_period(loaded.frame, Period.half_year(year) if halvar else Period.whole_year(year),
                         loaded.source.name)
    return [gap] if gap else []


def _jobs(session: Session, year: int, halvar: bool, tkr: bool) -> tuple[list[Job], list[str]]:
    # The export's own protection minimum ([export] skydda, else [sekretess]) hides shares on fewer answers;
    # the export's --skydda replaces it (plan_jobs).
    skydda = session.config.export.skydda
    return [Job(ENKAT.command, year, EnkatParams(year, halvar, skydda=skydda), halvar=halvar)], []


ENKAT = ReportType(
    name="enkat", command="enkat", audience="the statistician",
    summary="the survey summary: share of positive answers per question and respondent group, per insats and "
            "by sex",
    help="Per respondent group: its answers and each question's share positive; then per insats and by sex.",
    required=("enkat",), optional=(), params=EnkatParams, half_year=True,
    _build="enkat.report:enkat_report",
    requirements=_requirements, jobs=_jobs)
