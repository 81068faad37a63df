"""Every report finsam makes, declared once: what it needs, its parameters, how it is built and exported.

The commands, the export planner and the README's command table read this registry, so adding
a report is one package under reports/, one template and one entry here (its command is made from
the entry: cli/report_command.py). Each entry has one shape: a frozen parameters dataclass whose
fields say how the command line sets them (parameters.py), a pure `build(inputs, params) -> Report`
(the session loads the files of the kinds the report reads, once, into an `Inputs` view; the build
loads nothing), `requirements(session, year, halvar)` saying why the export cannot make it (logged as a skip), and
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

from ..errors import ParameterError, Reason
from .parameters import FIRST_YEAR, LAST_YEAR, option, year_argument

if TYPE_CHECKING:
    from ..config import Config
    from ..inputs.session import Session
    from ..inputs.view import Inputs, Sources
    from .model import Report


# --- parameters: each field's metadata says how the command line sets it (parameters.py) ---------------

TKR_HELP = "Amounts in thousands of kronor (tkr) instead of kronor."


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


@dataclass(frozen=True)
class UppfoljningParams:
    year: int = field(metadata=year_argument("The year to register, e.g. 2017."))


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


@dataclass(frozen=True)
class BokslutParams:
    year: int = field(metadata=year_argument("The fiscal year, e.g. 2017; the year before is shown beside it."))
    sie: Path | None = field(default=None, metadata=option(  # None: [data] sie
        "sie", "The accounts: an SIE4 export, or a saldolista CSV/xlsx (År;Konto;Kontonamn;Ingående balans;"
                 "Utgående balans;Resultat), told apart by content (overrides data.sie)."))


@dataclass(frozen=True)
class ArsredovisningParams:
    year: int = field(metadata=year_argument("The year of the annual report, e.g. 2017."))
    halvar: bool = field(default=False, metadata=option(
        "halvar", "The half-year report's numeric part (January–June); the yearly-only parts are left out and "
                    "listed."))


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
    help: str  # the command's help: what the report shows, then (after a blank line) more detail
    params: type  # a frozen dataclass; its fields' metadata make the command's argument and options
    _build: str  # "module:function" under finsam_cli.reports, imported when a report is built
    requirements: Callable[[Sources, int, bool], list[str]]
    jobs: Callable[[Session, int, bool, bool], tuple[list[Job], list[str]]]
    # (params, config) -> the kinds to read, in order; None: the required kinds, then the optional ones.
    reads: Callable[[Any, Config], tuple[str, ...]] | None = None
    sets_minimum: bool = False  # the command sets the small-count protection minimum (else: the config's)

    def build(self, session: Session, params: Any) -> Report:
        """The session loads what the report reads (once per session); the report is built from that."""
        return self.build_from(session.inputs_for(self.kinds(params, session.config), self.required), params)

    def build_part(self, inputs: Inputs, params: Any) -> Report:
        """Built as a part of a composite report, from the kinds this report reads of the composite's inputs."""
        return self.build_from(inputs.only(self.kinds(params, inputs.config)), params)

    def kinds(self, params: Any, config: Config) -> tuple[str, ...]:
        return self.reads(params, config) if self.reads is not None else (*self.required, *self.optional)

    def build_from(self, inputs: Inputs, params: Any) -> Report:
        """Built once per session for the same files and parameters (reports are immutable): the export's
        summary is also the annual report's Bilaga 1, its budget-avvikelse the outcome part, and so on."""
        key = ("report", self.name, params, tuple(inputs.files))
        if key not in inputs.memo:
            module, function = self._build.split(":")
            inputs.memo[key] = getattr(import_module(f"finsam_cli.reports.{module}"), function)(inputs, params)
        built: Report = inputs.memo[key]  # type: ignore[assignment]
        return built


# --- requirements and jobs ------------------------------------------------------------------------


def _years(session: Sources, kind: str) -> set[int]:
    import pandas as pd

    from ..inputs.schema import FileKind

    frame = session.load(FileKind(kind)).frame
    return {int(y) for y in pd.to_numeric(frame["ar"], errors="coerce").dropna()}


def _outcome_years(session: Sources) -> list[int]:
    """The outcome's years: an SIE file's #RAR years, else the years of its rows."""
    from ..inputs.accounts import outcome_years
    from ..inputs.schema import FileKind

    loaded = session.load(FileKind.UTFALL)
    return outcome_years(loaded.frame, loaded.sie)


def _missing_inputs(session: Sources, kinds: Sequence[str]) -> list[str]:
    from ..inputs.schema import FileKind

    names = {"deltagare": "participant", "budget": "budget", "utfall": "outcome", "befolkning": "population"}
    missing: list[str] = [Reason(f"no {names.get(k, k)} data (data.{k})", f"underlag saknas (data.{k} i finsam.toml)")
                          for k in kinds if not session.has(FileKind(k))]
    return missing[:1]


def participant_requirements(session: Sources, year: int, halvar: bool) -> list[str]:
    """No participant data, or data that does not cover the period."""
    missing = _missing_inputs(session, ("deltagare",))
    if missing:
        return missing
    from ..inputs.schema import FileKind
    from .deltagare.coverage import period_gap

    gap = period_gap(session.load(FileKind.DELTAGARE).frame, year, halvar)
    return [gap] if gap else []


def _maluppfyllelse_requirements(session: Sources, year: int, halvar: bool) -> list[str]:
    return participant_requirements(session, year, halvar)


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


def _survey_goals_asked(config: Config, params: MaluppfyllelseParams) -> bool:
    """The survey answers are read only for an insats asked for with survey goals."""
    from .deltagare.maluppfyllelse import has_survey_goals

    return has_survey_goals(config, params)


def _budget_and_outcome(session: Sources, year: int, required: Sequence[str]) -> list[str]:
    """Why a report of the year's budget and outcome cannot be made: a missing input, budget or outcome year."""
    missing = _missing_inputs(session, required)
    if missing:
        return missing
    if year not in _years(session, "budget"):
        return [Reason(f"no budget for {year} in the budget file", f"budgetfilen har ingen budget för {year}")]
    if year not in _outcome_years(session):
        return [Reason(f"no outcome for {year} in the outcome file", f"utfallsfilen har inget utfall för {year}")]
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
    listed = ", ".join(str(y) for y in absent)
    return [Reason(f"no budget for {listed} in the budget file", f"budgetfilen har ingen budget för {listed}")] \
        if absent else []


def _jamforelse_jobs(session: Session, year: int, halvar: bool, tkr: bool) -> tuple[list[Job], list[str]]:
    return [Job(BUDGET_JAMFORELSE.command, year, BudgetJamforelseParams(year, tkr=tkr))], []


def _fee_years(session: Sources, year: int) -> list[int]:
    """The fee for a year is split by the population on 1 November the year before, so the export of
    ÅR also makes next year's split when [medlemsavgifter.total] has it."""
    totals = session.config.medlemsavgifter.total
    return [y for y in (year, year + 1) if y in totals]


def _fee_requirements(session: Sources, year: int, halvar: bool) -> list[str]:
    if not _fee_years(session, year):
        return [Reason(f"no total fee for {year} or {year + 1} in [medlemsavgifter.total]",
                       f"[medlemsavgifter.total] har ingen total avgift för {year} eller {year + 1}")]
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
    return participant_requirements(session, year, False) or _budget_and_outcome(session, year,
                                                                                 UPPFOLJNING.required)


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
    # The export's own protection minimum ([export] skydda, else [sekretess]) hides shares on fewer answers;
    # the export's --skydda replaces it (plan_jobs).
    skydda = session.config.export.skydda
    return [Job(ENKAT.command, year, EnkatParams(year, halvar, skydda=skydda), halvar=halvar)], []


def _bokslut_requirements(session: Sources, year: int, halvar: bool) -> list[str]:
    from ..errors import UsageError
    from .ekonomi.bokslut.source import load_accounts

    if session.config.data.sie is None:
        return [Reason("no accounts (data.sie)", "bokföring saknas (data.sie i finsam.toml)")]
    try:
        load_accounts(session, year)
    except UsageError as exc:  # the file does not hold the year
        return [Reason.of(exc)]
    return []


def _bokslut_jobs(session: Session, year: int, halvar: bool, tkr: bool) -> tuple[list[Job], list[str]]:
    return [Job(BOKSLUT.command, year, BokslutParams(year))], []


def _arsredovisning_requirements(session: Sources, year: int, halvar: bool) -> list[str]:
    """The annual report leaves out a part it cannot make and says so; the export skips it only when no
    part can be made."""
    from .arsredovisning.report import PARTS

    if any(not part.why_not(session, year, halvar) for part in PARTS if not (halvar and part.yearly_only)):
        return []
    return [Reason(f"no part of the annual report can be made for {year}",
                   f"ingen del av årsredovisningen kan göras för {year}")]


def _arsredovisning_jobs(session: Session, year: int, halvar: bool, tkr: bool) -> tuple[list[Job], list[str]]:
    return [Job(ARSREDOVISNING.command, year, ArsredovisningParams(year, halvar), halvar=halvar)], []


# --- the registry ---------------------------------------------------------------------------------

SAMMANSTALLNING = "maluppfyllelse-sammanstallning"  # the export's name for every insats with the summary

MALUPPFYLLELSE = ReportType(
    name="maluppfyllelse", command="maluppfyllelse", audience="the statistician",
    summary="participants, new participants, exits, shares to work/studies against the goals, history, sources "
            "of support before and after, breakdowns, summary across insatser",
    help="Goal attainment per insats: participants, exits to work or studies, goals and history.\n\nAlso the "
         "sources of support before and after, and breakdowns of the new participants. A year the participant "
         "data does not cover is refused; a year it covers in part is marked, its goals not judged.",
    required=("deltagare",), optional=("anonyma", "enkat"), params=MaluppfyllelseParams,
    _build="deltagare.maluppfyllelse:maluppfyllelse_report", sets_minimum=True,
    reads=lambda p, config: ("deltagare", "anonyma", *(("enkat",) if _survey_goals_asked(config, p) else ())),
    requirements=_maluppfyllelse_requirements, jobs=_maluppfyllelse_jobs)

BUDGET_AVVIKELSE = ReportType(
    name="budget_avvikelse", command="budget-avvikelse", audience="the economist",
    summary="budget versus outcome per line with subtotals, revenues and result; gross versus net where ESF pays "
            "part; explanations; half-year outcome with forecast",
    help="Budget versus outcome per line: groups, totals, result, gross and net, explanations.",
    required=("budget", "utfall"), optional=("finansiering", "forklaringar", "prognos"),
    params=BudgetAvvikelseParams,
    _build="ekonomi.budget_avvikelse:budget_avvikelse_report",
    # the economist's forecast is for the half-year report only
    reads=lambda p, _: ("budget", "utfall", "finansiering", "forklaringar", *(("prognos",) if p.halvar else ())),
    requirements=_avvikelse_requirements, jobs=_avvikelse_jobs)

BUDGET_JAMFORELSE = ReportType(
    name="budget_jamforelse", command="budget-jamforelse", audience="the economist",
    summary="this year's budget against last year's",
    help="Compare the budget of ÅR with that of ÅR2, line by line, with renamed lines mapped.",
    required=("budget",), optional=(), params=BudgetJamforelseParams,
    _build="ekonomi.budget_jamforelse:budget_jamforelse_report",
    requirements=_jamforelse_requirements, jobs=_jamforelse_jobs)

MEDLEMSAVGIFTER = ReportType(
    name="medlemsavgifter", command="medlemsavgifter", audience="the economist",
    summary="the members' fee split (FK/AF, region, municipalities by population)",
    help="Split the fee: FK and AF 50 %, the region 25 %, the municipalities 25 % by population on 1 Nov ÅR−1.",
    required=("befolkning",), optional=(), params=MedlemsavgifterParams,
    _build="ekonomi.medlemsavgifter:medlemsavgifter_report",
    requirements=_fee_requirements, jobs=_fee_jobs)

UPPFOLJNING = ReportType(
    name="uppfoljning", command="uppfoljning", audience="the administrator",
    summary="the figures to register in Uppföljning Finsam, in the registration's order",
    help="Underlag till Uppföljning Finsam: the figures to register, in the registration's order.\n\nAllocated "
         "funds, equity, administrative costs, and per insats budget, outcome, budgeted participants, inriktning, "
         "ESF and participants (by sex for individinriktade insatser).",
    required=("deltagare", "budget", "utfall"), optional=("anonyma", "finansiering", "befolkning"),
    params=UppfoljningParams, _build="uppfoljning:uppfoljning_report", sets_minimum=True,
    reads=lambda p, _: ("budget", "utfall", "befolkning", "deltagare", "anonyma", "finansiering"),
    requirements=_uppfoljning_requirements, jobs=_uppfoljning_jobs)


ENKAT = ReportType(
    name="enkat", command="enkat", audience="the statistician",
    summary="the survey summary: share of positive answers per question and respondent group, per insats and "
            "by sex",
    help="Per respondent group: its answers and each question's share positive; then per insats and by sex.",
    required=("enkat",), optional=(), params=EnkatParams,
    _build="enkat.report:enkat_report",
    requirements=_enkat_requirements, jobs=_enkat_jobs)


# The accounts file (SIE or saldolista) is not a FileKind yet: bokslut names no kinds and reads --sie or
# [data] sie through ekonomi/bokslut/source.py, memoised in the session's memo.
BOKSLUT = ReportType(
    name="bokslut", command="bokslut", audience="the economist",
    summary="Resultaträkning, Balansräkning, Kassaflödesanalys and Noter from the SIE4 export, this year beside "
            "last year, cross-checked",
    help="The financial statements of ÅR beside ÅR−1, checked against each other before anything is written.",
    required=(), optional=(), params=BokslutParams, _build="ekonomi.bokslut.report:bokslut_report",
    requirements=_bokslut_requirements, jobs=_bokslut_jobs)


_ARSREDOVISNING_READS = ("deltagare", "anonyma", "enkat", "budget", "utfall", "finansiering", "forklaringar",
                         "befolkning")
ARSREDOVISNING = ReportType(
    name="arsredovisning", command="arsredovisning", audience="the board",
    summary="the annual report's numeric part in the published order: Målgruppen, Bilaga 1 Måluppfyllelse, "
            "survey summary, the statements and notes, outcome against budget, membership fees and ESF-medel per "
            "year; a part without data is left out and listed",
    help="Every numeric part of the annual report in the published order; a part without data is left out and "
         "listed.\n\nThe inputs are those of the configuration (finsam.toml): participants, survey answers, "
         "accounts, budget, outcome, financing and population; an option names another file of a kind.",
    required=(), optional=_ARSREDOVISNING_READS,
    params=ArsredovisningParams, _build="arsredovisning.report:arsredovisning_report",
    reads=lambda p, _: (*_ARSREDOVISNING_READS, *(("prognos",) if p.halvar else ())),  # the forecast: half-year
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
