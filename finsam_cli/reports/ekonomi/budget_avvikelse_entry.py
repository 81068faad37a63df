"""`finsam budget-avvikelse` declared: its parameters, what the export needs and makes, its `ReportType`.

Light: the build (budget_avvikelse.py) and pandas load only when a report is built or the export plans.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from ...errors import ParameterError
from ..contract import TKR_HELP, Job, ReportType, budget_and_outcome
from ..parameters import option, year_argument

if TYPE_CHECKING:
    from ...inputs.session import Session
    from ...inputs.view import Sources


HALVAR_AND_TILL = "{param:halvar} and {param:till} cannot be combined: the half-year report ends on 30 June"


@dataclass(frozen=True)
class BudgetAvvikelseParams:
    year: int = field(metadata=year_argument("The financial year, e.g. 2017."))
    halvar: bool = field(default=False, metadata=option(
        "halvar", "Half-year closing: outcome January–June against the half-year budget, with a full-year "
                    "forecast."))
    till: date | None = field(default=None, metadata=option(
        "till", "Interim closing: outcome from 1 January up to and including this date.", metavar="DATUM"))
    tkr: bool = field(default=False, metadata=option("tkr", TKR_HELP))

    def __post_init__(self) -> None:  # an impossible combination fails before any file is read
        if self.halvar and self.till is not None:
            raise ParameterError(HALVAR_AND_TILL)


def _requirements(session: Sources, year: int, halvar: bool) -> list[str]:
    return budget_and_outcome(session, year, BUDGET_AVVIKELSE.required)


def _jobs(session: Session, year: int, halvar: bool, tkr: bool) -> tuple[list[Job], list[str]]:
    return [Job(BUDGET_AVVIKELSE.command, year, BudgetAvvikelseParams(year, halvar, tkr=tkr), halvar=halvar)], []


BUDGET_AVVIKELSE = ReportType(
    name="budget_avvikelse", command="budget-avvikelse", audience="the economist",
    summary="budget versus outcome per line with subtotals, revenues and result; gross versus net where ESF pays "
            "part; explanations; half-year outcome with forecast",
    help="Budget versus outcome per line: groups, totals, result, gross and net, explanations.",
    required=("budget", "utfall"), optional=("finansiering", "forklaringar", "prognos"),
    params=BudgetAvvikelseParams, half_year=True,
    _build="ekonomi.budget_avvikelse:budget_avvikelse_report",
    # the economist's forecast is for the half-year report only
    reads=lambda p, _: ("budget", "utfall", "finansiering", "forklaringar", *(("prognos",) if p.halvar else ())),
    requirements=_requirements, jobs=_jobs)
