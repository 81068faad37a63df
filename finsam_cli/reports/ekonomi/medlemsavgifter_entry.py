"""`finsam medlemsavgifter` declared: its parameters, what the export needs and makes, its `ReportType`.

Light: the build (medlemsavgifter.py) and pandas load only when a report is built or the export plans.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from ...errors import Reason
from ..contract import TKR_HELP, Job, ReportType, missing_inputs
from ..parameters import option, year_argument

if TYPE_CHECKING:
    from ...inputs.session import Session
    from ...inputs.view import Sources


@dataclass(frozen=True)
class MedlemsavgifterParams:
    year: int = field(metadata=year_argument("The year the fee is for, e.g. 2019."))
    total: int | None = field(default=None, metadata=option(  # None: [medlemsavgifter.total] for the year
        "total", "The total fee in kronor (default: medlemsavgifter.total for ÅR in the config).",
        metavar="BELOPP", min=1))
    rounding: int = field(default=1000, metadata=option(
        "avrundning", "Round each part to whole kronor (1) or thousands (1000); the parts always add up to the "
                        "total.", choices=("1", "1000"), show_default=True))
    tkr: bool = field(default=False, metadata=option("tkr", TKR_HELP))


def _fee_years(session: Sources, year: int) -> list[int]:
    """The fee for a year is split by the population on 1 November the year before, so the export of
    ÅR also makes next year's split when [medlemsavgifter.total] has it."""
    totals = session.config.medlemsavgifter.total
    return [y for y in (year, year + 1) if y in totals]


def _requirements(session: Sources, year: int, halvar: bool) -> list[str]:
    if not _fee_years(session, year):
        return [Reason(f"no total fee for {year} or {year + 1} in [medlemsavgifter.total]",
                       f"[medlemsavgifter.total] har ingen total avgift för {year} eller {year + 1}")]
    return missing_inputs(session, MEDLEMSAVGIFTER.required)


def _jobs(session: Session, year: int, halvar: bool, tkr: bool) -> tuple[list[Job], list[str]]:
    from ...inputs.schema import FileKind

    dates = {d.date() for d in session.load(FileKind.BEFOLKNING).frame["datum"].dropna()}
    jobs: list[Job] = []
    skipped: list[str] = []
    for fee_year in _fee_years(session, year):
        day = date(fee_year - 1, 11, 1)
        if day not in dates:
            skipped.append(f"{fee_year}: no population on {day.isoformat()} yet")
        else:
            jobs.append(Job(MEDLEMSAVGIFTER.command, fee_year, MedlemsavgifterParams(fee_year, tkr=tkr)))
    return jobs, skipped


MEDLEMSAVGIFTER = ReportType(
    name="medlemsavgifter", command="medlemsavgifter", audience="the economist",
    summary="the members' fee split (FK/AF, region, municipalities by population)",
    help="Split the fee: FK and AF 50 %, the region 25 %, the municipalities 25 % by population on 1 Nov ÅR−1.",
    required=("befolkning",), optional=(), params=MedlemsavgifterParams,
    _build="ekonomi.medlemsavgifter:medlemsavgifter_report",
    requirements=_requirements, jobs=_jobs)
