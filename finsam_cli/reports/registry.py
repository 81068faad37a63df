"""Every report finsam makes, declared once: what it needs, its parameters, how it is built and exported.

The commands, the export planner and the README's command table read this registry, so adding
a report is one package under reports/, one template and one entry here. Each entry has one
shape: a frozen parameters dataclass, a pure `build(inputs, params) -> Report` (the session loads
the files of the kinds the report reads, once, into an `Inputs` view; the build loads nothing),
`requirements(session, year, halvar)` saying why the export cannot make it (logged as a skip), and
`jobs(session, year, halvar, tkr)` listing what the export makes.

Nothing heavy is imported here (no pandas, no report module) until a report is built.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ParameterError

if TYPE_CHECKING:
    from ..inputs.session import Session
    from ..inputs.view import Inputs, Sources
    from .model import Report


# --- parameters -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MaluppfyllelseParams:
    year: int | None = None  # None: the latest year with activity
    half_year: bool = False
    insatser: tuple[str, ...] = ()  # slugs or names; empty: every insats active in the period, then a summary


HALVAR_AND_TILL = "{param:halvar} and {param:till} cannot be combined: the half-year report ends on 30 June"


@dataclass(frozen=True)
class BudgetAvvikelseParams:
    year: int
    halvar: bool = False
    till: date | None = None
    tkr: bool = False

    def __post_init__(self) -> None:  # an impossible combination fails before any file is read
        if self.halvar and self.till is not None:
            raise ParameterError(HALVAR_AND_TILL)


@dataclass(frozen=True)
class BudgetJamforelseParams:
    year: int
    against: int | None = None  # None: the year before
    tkr: bool = False

    def __post_init__(self) -> None:  # before any file is read
        if self.against == self.year:
            raise ParameterError(f"{{param:against}} {self.against}: compare {self.year} with another year")


@dataclass(frozen=True)
class MedlemsavgifterParams:
    year: int
    total: int | None = None  # None: [medlemsavgifter.total] for the year
    rounding: int = 1000
    tkr: bool = False


@dataclass(frozen=True)
class UppfoljningParams:
    year: int


@dataclass(frozen=True)
class EnkatParams:
    year: int
    halvar: bool = False
    insatser: tuple[str, ...] = ()  # names or slugs; empty: every insats
    skydda: int | None = None  # hide a share on fewer answers; None: [sekretess] minsta_antal


@dataclass(frozen=True)
class BokslutParams:
    year: int
    sie: Path | None = None  # the accounts (SIE4 or saldolista); None: [data] sie


@dataclass(frozen=True)
class ArsredovisningParams:
    year: int
    halvar: bool = False  # the half-year report's numeric part


# --- the export's view ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """One report the export makes: the file name's parts and the parameters to build it with."""

    report: str  # the file name's first part, e.g. "budget-avvikelse"
    year: int  # the year in the file name
    params: Any = field(compare=False)
    slug: str | None = None  # the insats, for per-insats reports
    subject: str | None = None  # the insats's display name
    halvar: bool = False


@dataclass(frozen=True)
class ReportType:
    name: str  # the report's kind and template name, e.g. "budget_avvikelse"
    command: str  # the command, and the export's file name part, e.g. "budget-avvikelse"
    summary: str  # what it shows, for the README's command table
    audience: str  # who it is for, for the README's command table
    required: tuple[str, ...]  # input file kinds (FileKind values) it cannot do without
    optional: tuple[str, ...]  # input file kinds it uses when given
    params: type
    _build: str  # "module:function" under finsam_cli.reports, imported when a report is built
    _command: str  # "module:function" under finsam_cli: the thin typer command the CLI registers
    requirements: Callable[[Sources, int, bool], list[str]]
    jobs: Callable[[Session, int, bool, bool], tuple[list[Job], list[str]]]
    # (params) -> the kinds to read, in order; None: the required kinds, then the optional ones.
    reads: Callable[[Any], tuple[str, ...]] | None = None

    def build(self, session: Session, params: Any) -> Report:
        """The session loads what the report reads (once per session); the report is built from that."""
        return self.build_from(session.inputs_for(self.kinds(params), self.required), params)

    def build_part(self, inputs: Inputs, params: Any) -> Report:
        """Built as a part of a composite report, from the kinds this report reads of the composite's inputs."""
        return self.build_from(inputs.only(self.kinds(params)), params)

    def kinds(self, params: Any) -> tuple[str, ...]:
        return self.reads(params) if self.reads is not None else (*self.required, *self.optional)

    def build_from(self, inputs: Inputs, params: Any) -> Report:
        """Built once per session for the same files and parameters (reports are immutable): the export's
        summary is also the annual report's Bilaga 1, its budget-avvikelse the outcome part, and so on."""
        key = ("report", self.name, params, tuple(inputs.files))
        if key not in inputs.memo:
            module, function = self._build.split(":")
            inputs.memo[key] = getattr(import_module(f"finsam_cli.reports.{module}"), function)(inputs, params)
        built: Report = inputs.memo[key]  # type: ignore[assignment]
        return built

    def command_function(self) -> Callable[..., None]:
        """The typer command function; its module imports only typer and the CLI's options."""
        module, function = self._command.split(":")
        command: Callable[..., None] = getattr(import_module(f"finsam_cli.{module}"), function)
        return command


# --- requirements and jobs ------------------------------------------------------------------------


def _years(session: Sources, kind: str) -> set[int]:
    import pandas as pd

    from ..inputs.schema import FileKind

    frame = session.load(FileKind(kind)).frame
    return {int(y) for y in pd.to_numeric(frame["ar"], errors="coerce").dropna()}


def _missing_inputs(session: Sources, kinds: Sequence[str]) -> list[str]:
    from ..inputs.schema import FileKind

    names = {"deltagare": "participant", "budget": "budget", "utfall": "outcome", "befolkning": "population"}
    return [f"no {names.get(k, k)} data (data.{k})" for k in kinds if not session.has(FileKind(k))][:1]


def _maluppfyllelse_requirements(session: Sources, year: int, halvar: bool) -> list[str]:
    return _missing_inputs(session, MALUPPFYLLELSE.required)


def _maluppfyllelse_jobs(session: Session, year: int, halvar: bool, tkr: bool) -> tuple[list[Job], list[str]]:
    """One report per insats, then every insats with the summary across them."""
    from ..slugs import slugify
    from .deltagare.insatser import export_insatser

    jobs = [Job(MALUPPFYLLELSE.command, year, MaluppfyllelseParams(year, halvar, (insats.key,)),
                slugify(insats.key),  # catalogue slugs are validated; slugify again, defence in depth
                insats.namn, halvar)
            for insats in export_insatser(session)]
    jobs.append(Job(SAMMANSTALLNING, year, MaluppfyllelseParams(year, halvar), None, "Alla insatser", halvar))
    return jobs, []


def _budget_and_outcome(session: Sources, year: int, required: Sequence[str]) -> list[str]:
    """Why a report of the year's budget and outcome cannot be made: a missing input, budget or outcome year."""
    missing = _missing_inputs(session, required)
    if missing:
        return missing
    if year not in _years(session, "budget"):
        return [f"no budget for {year} in the budget file"]
    if year not in _years(session, "utfall"):
        return [f"no outcome for {year} in the outcome file"]
    return []


def _avvikelse_requirements(session: Sources, year: int, halvar: bool) -> list[str]:
    return _budget_and_outcome(session, year, BUDGET_AVVIKELSE.required)


def _avvikelse_jobs(session: Session, year: int, halvar: bool, tkr: bool) -> tuple[list[Job], list[str]]:
    return [Job(BUDGET_AVVIKELSE.command, year, BudgetAvvikelseParams(year, halvar, tkr=tkr), halvar=halvar)], []


def _jamforelse_requirements(session: Sources, year: int, halvar: bool) -> list[str]:
    missing = _missing_inputs(session, BUDGET_JAMFORELSE.required)
    if missing:
        return missing
    absent = sorted({year, year - 1} - _years(session, "budget"))
    return [f"no budget for {', '.join(str(y) for y in absent)} in the budget file"] if absent else []


def _jamforelse_jobs(session: Session, year: int, halvar: bool, tkr: bool) -> tuple[list[Job], list[str]]:
    return [Job(BUDGET_JAMFORELSE.command, year, BudgetJamforelseParams(year, tkr=tkr))], []


def _fee_years(session: Sources, year: int) -> list[int]:
    """The fee for a year is split by the population on 1 November the year before, so the export of
    ÅR also makes next year's split when [medlemsavgifter.total] has it."""
    totals = session.config.medlemsavgifter.total
    return [y for y in (year, year + 1) if y in totals]


def _fee_requirements(session: Sources, year: int, halvar: bool) -> list[str]:
    if not _fee_years(session, year):
        return [f"no total fee for {year} or {year + 1} in [medlemsavgifter.total]"]
    return _missing_inputs(session, MEDLEMSAVGIFTER.required)


def _fee_jobs(session: Session, year: int, halvar: bool, tkr: bool) -> tuple[list[Job], list[str]]:
    from ..inputs.schema import FileKind

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


def _uppfoljning_requirements(session: Sources, year: int, halvar: bool) -> list[str]:
    return _budget_and_outcome(session, year, UPPFOLJNING.required)


def _uppfoljning_jobs(session: Session, year: int, halvar: bool, tkr: bool) -> tuple[list[Job], list[str]]:
    return [Job(UPPFOLJNING.command, year, UppfoljningParams(year))], []


def _enkat_requirements(session: Sources, year: int, halvar: bool) -> list[str]:
    """Why the export makes no survey summary: no answers configured, or none in the period."""
    missing = _missing_inputs(session, ENKAT.required)
    if missing:
        return missing
    from ..inputs.schema import FileKind
    from .enkat.summary import missing_period
    from .model import Period

    loaded = session.load(FileKind.ENKAT)
    gap = missing_period(loaded.frame, Period.half_year(year) if halvar else Period.whole_year(year),
                         loaded.source.name)
    return [gap] if gap else []


def _enkat_jobs(session: Session, year: int, halvar: bool, tkr: bool) -> tuple[list[Job], list[str]]:
    # The export's own protection minimum ([export] skydda, else [sekretess]) hides shares on fewer answers.
    skydda = session.config.export.skydda
    return [Job(ENKAT.command, year, EnkatParams(year, halvar, skydda=skydda), halvar=halvar)], []


def _bokslut_requirements(session: Sources, year: int, halvar: bool) -> list[str]:
    from ..errors import UsageError
    from .ekonomi.bokslut.source import load_accounts

    if session.config.data.sie is None:
        return ["no accounts (data.sie)"]
    try:
        load_accounts(session, year)
    except UsageError as exc:  # the file does not hold the year
        return [str(exc)]
    return []


def _bokslut_jobs(session: Session, year: int, halvar: bool, tkr: bool) -> tuple[list[Job], list[str]]:
    return [Job(BOKSLUT.command, year, BokslutParams(year))], []


def _arsredovisning_requirements(session: Sources, year: int, halvar: bool) -> list[str]:
    """The annual report leaves out a part it cannot make and says so; the export skips it only when no
    part can be made."""
    from .arsredovisning.report import PARTS

    if any(not part.why_not(session, year, halvar) for part in PARTS if not (halvar and part.yearly_only)):
        return []
    return [f"no part of the annual report can be made for {year}"]


def _arsredovisning_jobs(session: Session, year: int, halvar: bool, tkr: bool) -> tuple[list[Job], list[str]]:
    return [Job(ARSREDOVISNING.command, year, ArsredovisningParams(year, halvar), halvar=halvar)], []


# --- the registry ---------------------------------------------------------------------------------

SAMMANSTALLNING = "maluppfyllelse-sammanstallning"  # the export's name for every insats with the summary

MALUPPFYLLELSE = ReportType(
    name="maluppfyllelse", command="maluppfyllelse", audience="the statistician",
    summary="participants, new participants, exits, shares to work/studies against the goals, history, sources "
            "of support before and after, breakdowns, summary across insatser",
    required=("deltagare",), optional=("anonyma", "enkat"), params=MaluppfyllelseParams,
    _build="deltagare.maluppfyllelse:maluppfyllelse_report",
    _command="cli.commands.maluppfyllelse:maluppfyllelse",
    requirements=_maluppfyllelse_requirements, jobs=_maluppfyllelse_jobs)

BUDGET_AVVIKELSE = ReportType(
    name="budget_avvikelse", command="budget-avvikelse", audience="the economist",
    summary="budget versus outcome per line with subtotals, revenues and result; gross versus net where ESF pays "
            "part; explanations; half-year outcome with forecast",
    required=("budget", "utfall"), optional=("finansiering", "forklaringar", "prognos"),
    params=BudgetAvvikelseParams,
    _build="ekonomi.budget_avvikelse:budget_avvikelse_report",
    _command="cli.commands.budget_avvikelse:budget_avvikelse",
    # the economist's forecast is for the half-year report only
    reads=lambda p: ("budget", "utfall", "finansiering", "forklaringar", *(("prognos",) if p.halvar else ())),
    requirements=_avvikelse_requirements, jobs=_avvikelse_jobs)

BUDGET_JAMFORELSE = ReportType(
    name="budget_jamforelse", command="budget-jamforelse", audience="the economist",
    summary="this year's budget against last year's",
    required=("budget",), optional=(), params=BudgetJamforelseParams,
    _build="ekonomi.budget_jamforelse:budget_jamforelse_report",
    _command="cli.commands.budget_jamforelse:budget_jamforelse",
    requirements=_jamforelse_requirements, jobs=_jamforelse_jobs)

MEDLEMSAVGIFTER = ReportType(
    name="medlemsavgifter", command="medlemsavgifter", audience="the economist",
    summary="the members' fee split (FK/AF, region, municipalities by population)",
    required=("befolkning",), optional=(), params=MedlemsavgifterParams,
    _build="ekonomi.medlemsavgifter:medlemsavgifter_report",
    _command="cli.commands.medlemsavgifter:medlemsavgifter",
    requirements=_fee_requirements, jobs=_fee_jobs)

UPPFOLJNING = ReportType(
    name="uppfoljning", command="uppfoljning", audience="the administrator",
    summary="the figures to register in Uppföljning Finsam, in the registration's order",
    required=("deltagare", "budget", "utfall"), optional=("anonyma", "finansiering", "befolkning"),
    params=UppfoljningParams, _build="uppfoljning:uppfoljning_report",
    _command="cli.commands.uppfoljning:uppfoljning",
    reads=lambda p: ("budget", "utfall", "befolkning", "deltagare", "anonyma", "finansiering"),
    requirements=_uppfoljning_requirements, jobs=_uppfoljning_jobs)


ENKAT = ReportType(
    name="enkat", command="enkat", audience="the statistician",
    summary="the survey summary: share of positive answers per question and respondent group, per insats and "
            "by sex",
    required=("enkat",), optional=(), params=EnkatParams,
    _build="enkat.report:enkat_report",
    _command="cli.commands.enkat:enkat",
    requirements=_enkat_requirements, jobs=_enkat_jobs)


# The accounts file (SIE or saldolista) is not a FileKind yet: bokslut names no kinds and reads --sie or
# [data] sie through ekonomi/bokslut/source.py, memoised in the session's memo.
BOKSLUT = ReportType(
    name="bokslut", command="bokslut", audience="the economist",
    summary="Resultaträkning, Balansräkning, Kassaflödesanalys and Noter from the SIE4 export, this year beside "
            "last year, cross-checked",
    required=(), optional=(), params=BokslutParams, _build="ekonomi.bokslut.report:bokslut_report",
    _command="cli.commands.bokslut:bokslut",
    requirements=_bokslut_requirements, jobs=_bokslut_jobs)


_ARSREDOVISNING_READS = ("deltagare", "anonyma", "enkat", "budget", "utfall", "finansiering", "forklaringar",
                         "befolkning")
ARSREDOVISNING = ReportType(
    name="arsredovisning", command="arsredovisning", audience="the board",
    summary="the annual report's numeric part in the published order: Målgruppen, Bilaga 1 Måluppfyllelse, "
            "survey summary, the statements and notes, outcome against budget, membership fees and ESF-medel per "
            "year; a part without data is left out and listed",
    required=(), optional=_ARSREDOVISNING_READS,
    params=ArsredovisningParams, _build="arsredovisning.report:arsredovisning_report",
    _command="cli.commands.arsredovisning:arsredovisning",
    reads=lambda p: (*_ARSREDOVISNING_READS, *(("prognos",) if p.halvar else ())),  # the forecast: half-year
    requirements=_arsredovisning_requirements, jobs=_arsredovisning_jobs)


REPORTS: tuple[ReportType, ...] = (MALUPPFYLLELSE, BUDGET_AVVIKELSE, BUDGET_JAMFORELSE, MEDLEMSAVGIFTER, ENKAT,
                                  UPPFOLJNING, BOKSLUT, ARSREDOVISNING)
# Made by a half-year export too; the others are yearly and belong to the full-year set.
HALF_YEAR_REPORTS = frozenset({MALUPPFYLLELSE.command, BUDGET_AVVIKELSE.command, ENKAT.command,
                               ARSREDOVISNING.command})


def by_command(command: str) -> ReportType:
    return next(r for r in REPORTS if r.command == command)


def unknown_commands(names: Sequence[str]) -> str | None:
    """Why these are not reports an export can be limited to (None: they all are)."""
    known = [r.command for r in REPORTS]
    unknown = [n for n in names if n not in known]
    if unknown:
        return f"unknown report {unknown[0]!r}; the reports are {', '.join(known)}"
    return None
