"""`finsam malgrupp` declared: its parameters, what the export needs and makes, its `ReportType`.

Light: the build (malgrupp_report.py) and pandas load only when a report is built or the export plans.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..contract import Job, ReportType, participant_requirements
from ..parameters import year_argument

if TYPE_CHECKING:
    from ...inputs.session import Session
    from ...inputs.view import Sources

READS = ("deltagare", "anonyma")  # the kinds the figures are counted from: the participants, then the anonymous


@dataclass(frozen=True)
class MalgruppParams:
    year: int = field(metadata=year_argument("The year to report, e.g. 2017."))


def _requirements(session: Sources, year: int, halvar: bool) -> list[str]:
    return participant_requirements(session, year, False)  # yearly: the export's half-year set leaves it out


def _jobs(session: Session, year: int, halvar: bool, tkr: bool) -> tuple[list[Job], list[str]]:
    return [Job(MALGRUPP.command, year, MalgruppParams(year))], []


MALGRUPP = ReportType(
    name="malgrupp", command="malgrupp", audience="the statistician",
    summary="Målgruppen och antalet deltagare (annual report 1.3.1): new participants against last year, by "
            "municipality, referrer, age band and education, participants by sex per insats group, the published "
            "sentences and the Remittenter chart",
    help="Målgruppen och antalet deltagare: who the year's new participants are, with the published sentences."
         "\n\nNew participants (stints started in the year) against the year before, by municipality, referrer "
         "(with self-referrals), age band and education; participants active in the year by sex per insats group "
         "(grupp in the catalogue), anonymous ones included. The annual report's section 1.3.1, for a whole year. "
         "A year the participant data does not cover is refused; a year it covers in part is marked.",
    required=READS[:1], optional=READS[1:], params=MalgruppParams,
    _build="deltagare.malgrupp_report:malgrupp_report", sets_minimum=True,
    requirements=_requirements, jobs=_jobs)
