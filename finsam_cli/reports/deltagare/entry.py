"""`finsam maluppfyllelse` declared: its parameters, what the export needs and makes, its `ReportType`.

Light: the build (maluppfyllelse.py) and pandas load only when a report is built or the export plans.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..contract import Job, ReportType, participant_requirements
from ..parameters import option, year_argument

if TYPE_CHECKING:
    from ...config import Config
    from ...inputs.session import Session
    from ...inputs.view import Sources


@dataclass(frozen=True)
class MaluppfyllelseParams:
    year: int | None = field(default=None, metadata=year_argument(  # None: the latest full year
        "The year to report (default: the latest year the participant data covers in full)."))
    half_year: bool = field(default=False, metadata=option(
        "halvar", "Report 1 January – 30 June of the year instead of the whole year."))
    # slugs or names; empty: every insats active in the period, then a summary
    insatser: tuple[str, ...] = field(default=(), metadata=option(
        "insats", "An insats by slug (ung-i-tyreso) or name; repeat for several (default: all, followed by a "
                    "summary).", metavar="SLUG_OR_NAME"))


SAMMANSTALLNING = "maluppfyllelse-sammanstallning"  # the export's name for every insats with the summary


def _requirements(session: Sources, year: int, halvar: bool) -> list[str]:
    return participant_requirements(session, year, halvar)


def _jobs(session: Session, year: int, halvar: bool, tkr: bool) -> tuple[list[Job], list[str]]:
    """One report per insats, then every insats with the summary across them."""
    from ...slugs import slugify
    from .insatser import export_insatser

    jobs = [Job(MALUPPFYLLELSE.command, year, MaluppfyllelseParams(year, halvar, (insats.key,)),
                slugify(insats.key),  # catalogue slugs are validated; slugify again, defence in depth
                insats.namn, halvar)
            for insats in export_insatser(session)]
    jobs.append(Job(SAMMANSTALLNING, year, MaluppfyllelseParams(year, halvar), None, "Alla insatser", halvar))
    return jobs, []


def _survey_goals_asked(config: Config, params: MaluppfyllelseParams) -> bool:
    """The survey answers are read only for an insats asked for with survey goals."""
    from .maluppfyllelse import has_survey_goals

    return has_survey_goals(config, params)


MALUPPFYLLELSE = ReportType(
    name="maluppfyllelse", command="maluppfyllelse", audience="the statistician",
    summary="participants, new participants, exits, shares to work/studies against the goals, history, sources "
            "of support before and after, breakdowns, summary across insatser",
    help="Goal attainment per insats: participants, exits to work or studies, goals and history.\n\nAlso the "
         "sources of support before and after, and breakdowns of the new participants. A year the participant "
         "data does not cover is refused; a year it covers in part is marked, its goals not judged.",
    required=("deltagare",), optional=("anonyma", "enkat"), params=MaluppfyllelseParams,
    _build="deltagare.maluppfyllelse:maluppfyllelse_report", sets_minimum=True, half_year=True,
    reads=lambda p, config: ("deltagare", "anonyma", *(("enkat",) if _survey_goals_asked(config, p) else ())),
    requirements=_requirements, jobs=_jobs)
