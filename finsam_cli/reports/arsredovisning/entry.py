"""`finsam arsredovisning` declared: its parameters, what the export needs and makes, its `ReportType`.

Light: the build (report.py), its parts' reports and pandas load only when a report is built or the export
plans.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...errors import Reason
from ..contract import Job, ReportType
from ..parameters import option, year_argument

if TYPE_CHECKING:
    from ...inputs.session import Session
    from ...inputs.view import Sources


@dataclass(frozen=True)
class ArsredovisningParams:
    year: int = field(metadata=year_argument("The year of the annual report, e.g. 2017."))
    halvar: bool = field(default=False, metadata=option(
        "halvar", "The half-year report's numeric part (January–June); the yearly-only parts are left out and "
                    "listed."))


def _requirements(session: Sources, year: int, halvar: bool) -> list[str]:
    """The annual report leaves out a part it cannot make and says so; the export skips it only when no
    part can be made."""
    from .report import PARTS

    if any(not part.why_not(session, year, halvar) for part in PARTS if not (halvar and part.yearly_only)):
        return []
    return [Reason(f"no part of the annual report can be made for {year}",
                   f"ingen del av årsredovisningen kan göras för {year}")]


def _jobs(session: Session, year: int, halvar: bool, tkr: bool) -> tuple[list[Job], list[str]]:
    return [Job(ARSREDOVISNING.command, year, ArsredovisningParams(year, halvar), halvar=halvar)], []


_READS = ("deltagare", "anonyma", "enkat", "budget", "utfall", "finansiering", "forklaringar", "befolkning")
ARSREDOVISNING = ReportType(
    name="arsredovisning", command="arsredovisning", audience="the board",
    summary="the annual report's numeric part in the published order: Målgruppen, Bilaga 1 Måluppfyllelse, "
            "survey summary, the statements and notes, outcome against budget, membership fees and ESF-medel per "
            "year; a part without data is left out and listed",
    help="Every numeric part of the annual report in the published order; a part without data is left out and "
         "listed.\n\nThe inputs are those of the configuration (finsam.toml): participants, survey answers, "
         "accounts, budget, outcome, financing and population; an option names another file of a kind.",
    required=(), optional=_READS,
    params=ArsredovisningParams, _build="arsredovisning.report:arsredovisning_report", half_year=True,
    reads=lambda p, _: (*_READS, *(("prognos",) if p.halvar else ())),  # the forecast: half-year
    requirements=_requirements, jobs=_jobs)
