"""`finsam uppfoljning` declared: its parameters, what the export needs and makes, its `ReportType`.

Light: the build (report.py) and pandas load only when a report is built or the export plans.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..contract import Job, ReportType, budget_and_outcome, participant_requirements
from ..parameters import year_argument

if TYPE_CHECKING:
    from ...inputs.session import Session
    from ...inputs.view import Sources


@dataclass(frozen=True)
class UppfoljningParams:
    year: int = field(metadata=year_argument("The year to register, e.g. 2017."))


def _requirements(session: Sources, year: int, halvar: bool) -> list[str]:
    return participant_requirements(session, year, False) or budget_and_outcome(session, year,
                                                                                UPPFOLJNING.required)


def _jobs(session: Session, year: int, halvar: bool, tkr: bool) -> tuple[list[Job], list[str]]:
    return [Job(UPPFOLJNING.command, year, UppfoljningParams(year))], []


UPPFOLJNING = ReportType(
    name="uppfoljning", command="uppfoljning", audience="the administrator",
    summary="the figures to register in Uppföljning Finsam, in the registration's order",
    help="Underlag till Uppföljning Finsam: the figures to register, in the registration's order.\n\nAllocated "
         "funds, equity, administrative costs, and per insats budget, outcome, budgeted participants, inriktning, "
         "ESF and participants (by sex for individinriktade insatser).",
    required=("deltagare", "budget", "utfall"), optional=("anonyma", "finansiering", "befolkning"),
    params=UppfoljningParams, _build="uppfoljning.report:uppfoljning_report", sets_minimum=True,
    reads=lambda p, _: ("budget", "utfall", "befolkning", "deltagare", "anonyma", "finansiering"),
    requirements=_requirements, jobs=_jobs)
