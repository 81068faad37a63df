"""What a report declares to be made: its `ReportType`, the export's `Job`, and the requirement helpers the
reports' entries share.

Each report declares itself in a light entry module beside its build (`deltagare/entry.py`,
`ekonomi/budget_avvikelse_entry.py`, …): a frozen parameters dataclass whose fields say how the command
line sets them (parameters.py), `requirements(session, year, halvar)` saying why the export cannot make it
(logged as a skip), `jobs(session, year, halvar, tkr)` listing what the export makes, and its `ReportType`.
The build is a pure `build(inputs, params) -> Report` named as "module:function" and imported only when a
report is built (the session loads the files of the kinds the report reads, once, into an `Inputs` view;
the build loads nothing). registry.py lists the entries.

Nothing heavy is imported here or in an entry module (no pandas, no report module) until a report is built
or the export asks what it can make.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING, Any

from ..errors import Reason

if TYPE_CHECKING:
    from ..config import Config
    from ..inputs.session import Session
    from ..inputs.view import Inputs, Sources
    from .model import Report


TKR_HELP = "Amounts in thousands of kronor (tkr) instead of kronor."


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
    half_year: bool = False  # a half-year export makes it too (else it is yearly: the full-year set only)

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


# --- requirements the entries share ---------------------------------------------------------------


def years_in(session: Sources, kind: str) -> set[int]:
    """The years of a file kind with a year column (`ar`)."""
    import pandas as pd

    from ..inputs.schema import FileKind

    frame = session.load(FileKind(kind)).frame
    return {int(y) for y in pd.to_numeric(frame["ar"], errors="coerce").dropna()}


def outcome_years_in(session: Sources) -> list[int]:
    """The outcome's years: an SIE file's #RAR years, else the years of its rows."""
    from ..inputs.accounts import outcome_years
    from ..inputs.schema import FileKind

    loaded = session.load(FileKind.UTFALL)
    return outcome_years(loaded.frame, loaded.sie)


def missing_inputs(session: Sources, kinds: Sequence[str]) -> list[str]:
    """The first of these input kinds the configuration does not give, as a reason (empty: all given)."""
    from ..inputs.schema import FileKind

    names = {"deltagare": "participant", "budget": "budget", "utfall": "outcome", "befolkning": "population"}
    missing: list[str] = [Reason(f"no {names.get(k, k)} data (data.{k})", f"underlag saknas (data.{k} i finsam.toml)")
                          for k in kinds if not session.has(FileKind(k))]
    return missing[:1]


def participant_requirements(session: Sources, year: int, halvar: bool) -> list[str]:
    """No participant data, or data that does not cover the period."""
    missing = missing_inputs(session, ("deltagare",))
    if missing:
        return missing
    from ..inputs.schema import FileKind
    from .deltagare.coverage import period_gap

    gap = period_gap(session.load(FileKind.DELTAGARE).frame, year, halvar)
    return [gap] if gap else []


def budget_and_outcome(session: Sources, year: int, required: Sequence[str]) -> list[str]:
    """Why a report of the year's budget and outcome cannot be made: a missing input, budget or outcome year."""
    missing = missing_inputs(session, required)
    if missing:
        return missing
    if year not in years_in(session, "budget"):
        return [Reason(f"no budget for {year} in the budget file", f"budgetfilen har ingen budget för {year}")]
    if year not in outcome_years_in(session):
        return [Reason(f"no outcome for {year} in the outcome file", f"utfallsfilen har inget utfall för {year}")]
    return []
