"""`finsam budget-jamforelse` declared: its parameters, what the export needs and makes, its `ReportType`.

Light: the build (budget_jamforelse.py) and pandas load only when a report is built or the export plans.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...errors import ParameterError, Reason
from ..contract import TKR_HELP, Job, ReportType, missing_inputs, years_in
from ..parameters import FIRST_YEAR, LAST_YEAR, option, year_argument

if TYPE_CHECKING:
    from ...inputs.session import Session
    from ...inputs.view import Sources


@dataclass(frozen=True)
class BudgetJamforelseParams:
    year: int = field(metadata=year_argument("The budget year, e.g. 2019."))
    against: int | None = field(default=None, metadata=option(  # None: the year before
        "mot", "The year to compare with (default: the year before ÅR).", metavar="ÅR2", min=FIRST_YEAR,
        max=LAST_YEAR))
    tkr: bool = field(default=False, metadata=option("tkr", TKR_HELP))

    def __post_init__(self) -> None:  # before any file is read
        if self.against == self.year:
            raise ParameterError(f"{{param:against}} {self.against}: compare {self.year} with another year")


def _requirements(session: Sources, year: int, halvar: bool) -> list[str]:
    missing = missing_inputs(session, BUDGET_JAMFORELSE.required)
    if missing:
        return missing
    absent = sorted({year, year - 1} - years_in(session, "budget"))
    listed = ", ".join(str(y) for y in absent)
    return [Reason(f"no budget for {listed} in the budget file", f"budgetfilen har ingen budget för {listed}")] \
        if absent else []


def _jobs(session: Session, year: int, halvar: bool, tkr: bool) -> tuple[list[Job], list[str]]:
    return [Job(BUDGET_JAMFORELSE.command, year, BudgetJamforelseParams(year, tkr=tkr))], []


BUDGET_JAMFORELSE = ReportType(
    name="budget_jamforelse", command="budget-jamforelse", audience="the economist",
    summary="this year's budget against last year's",
    help="Compare the budget of ÅR with that of ÅR2, line by line, with renamed lines mapped.",
    required=("budget",), optional=(), params=BudgetJamforelseParams,
    _build="ekonomi.budget_jamforelse:budget_jamforelse_report",
    requirements=_requirements, jobs=_jobs)
