"""Goal attainment (måluppfyllelse): every selected insats's figures, then the report.

All insatser are computed together: one pass of `stint_metrics` over the stints gives
each insats's counts for every year of its history; the tables module only reads them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING, TypeVar, cast

import numpy as np
import pandas as pd

from ...config import Config, Insats
from ...errors import UsageError
from ...inputs.schema import Forsorjning, Kon
from ...inputs.view import Inputs
from ..model import Period as ReportPeriod
from ..model import Provenance, Report, Section
from . import maluppfyllelse_tables as tables
from .coverage import coverage, covered_until, default_year
from .entry import MaluppfyllelseParams as Request
from .insatser import find, select, unit_column, with_anonyma
from .maluppfyllelse_tables import Figures, Sources
from .stint_metrics import (
    Period,
    add_anonymous,
    age_band,
    by_sex,
    distinct_persons,
    flows,
    followed_up,
    followup_due,
    half_year_period,
    history_periods,
    in_period,
    mentions,
    unique_persons,
    year_period,
)

if TYPE_CHECKING:
    from ..enkat.goals import SurveyGoal  # loaded with the survey goals (_survey_goals)

T = TypeVar("T")
UNIT = "enhet"  # the column holding each stint's insats as a slug

# New participants are broken down by these: (label, column).
BREAKDOWNS: tuple[tuple[str, str], ...] = (
    ("Remittent", "remittent"), ("Åldersgrupp", "alder"), ("Utbildningsnivå", "utbildningsniva"),
    ("Kommun", "kommun"),
)


def maluppfyllelse_report(inputs: Inputs, request: Request) -> Report:
    """The report from its inputs; the figures are shared by every report built from the same inputs
    (the export's per-insats reports and the summary), computed once per period."""
    from ...inputs.schema import FileKind
    from ..provenance import provenance

    answers = inputs.loaded(FileKind.ENKAT) if has_survey_goals(inputs.config, request) else None
    survey = Survey(answers.frame, answers.source.name) if answers is not None else None
    prov = provenance(inputs, {})
    if survey is None:  # an export's session may have read the answers for another report
        prov = replace(prov, inputs=tuple(i for i in prov.inputs if i.role != FileKind.ENKAT.value))
    return build_report(inputs.frame(FileKind.DELTAGARE), inputs.optional(FileKind.ANONYMA), inputs.config,
                        request, prov, inputs.memo, survey, inputs.notices)


NO_STINTS = "the participant data has no stints for these insatser; nothing to report"
NO_STINTS_SV = "deltagarfilen har inga insatsdeltaganden i dessa insatser"


@dataclass(frozen=True)
class Survey:
    """The survey answers, for the insatser's survey goals."""

    frame: pd.DataFrame
    file: str


def has_survey_goals(config: Config, request: Request) -> bool:
    """Whether an insats asked for has survey goals for the year (any year while it is not known yet)."""
    asked = [find(config.insatser, name) for name in request.insatser]
    return any(goals.enkat for insats in config.insatser if not request.insatser or insats in asked
               for year, goals in insats.mal.items() if request.year in (None, year))


@dataclass(frozen=True)
class _Base:
    """The figures of every known insats for one period, from one pass over the stints. An insats's
    figures are read out of the shared tables when first asked for (a one-insats report reads one)."""

    periods: list[Period]
    flow: pd.DataFrame
    tables: _Tables
    insatser: dict[str, Insats]
    figures: dict[str, Figures] = field(default_factory=dict, compare=False)

    def figure(self, key: str) -> Figures:
        if key not in self.figures:
            self.figures[key] = _figure(self.tables, self.insatser[key])
        return self.figures[key]


def _memo(memo: dict[object, object] | None, key: tuple[object, ...], compute: Callable[[], T]) -> T:
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return cast(T, memo[key])


def build_report(stints: pd.DataFrame, anonyma: pd.DataFrame | None, config: Config, request: Request,
                 prov: Provenance, memo: dict[object, object] | None = None,
                 survey: Survey | None = None, notices: list[str] | None = None) -> Report:
    """One section per insats, then a summary when there are several; `prov` gets the resolved parameters.

    `memo` shares the prepared data and the figures between the reports of one session; `notices` gets
    what the person running it should know (the year chosen when none was given, and why).
    """
    anon, known = with_anonyma(stints, anonyma, config)
    asked = select(known, request.insatser) if request.insatser else []
    candidates = asked or known

    every = [i.key for i in known]
    frame, anon_frame = _memo(memo, ("maluppfyllelse", "prepared"),
                              lambda: (_prepared(stints, known, every), _prepared_anonyma(anon, known, every)))
    keys = [i.key for i in candidates]
    if not asked and not frame[UNIT].notna().any() and anon_frame.empty:
        raise UsageError(NO_STINTS, sv=NO_STINTS_SV)
    cover = coverage(stints)
    if request.year is not None:
        year = request.year
    elif cover is not None:
        year, why = default_year(cover, request.half_year)
        if notices is not None:
            notices.append(why)
    else:
        year = _latest_year(frame[frame[UNIT].isin(keys)], anon_frame[anon_frame[UNIT].isin(keys)])
    until = covered_until(cover, year, request.half_year)
    base = _memo(memo, ("maluppfyllelse", year, request.half_year),
                 lambda: _base(frame, anon_frame, known, year, request.half_year, config))
    period = base.periods[-1]
    if asked:
        chosen = asked
    else:
        active = base.flow.xs(len(base.periods) - 1, level="bin").groupby(level=UNIT)["deltagare"].sum()
        chosen = [i for i in candidates if active.get(i.key, 0) > 0 or year in i.mal]
        if not chosen:
            raise UsageError(f"no insats has participants in {period.label}; give another year",
                             sv=f"ingen insats har deltagare {period.label}")
    report_period = ReportPeriod.half_year(year) if request.half_year else ReportPeriod.whole_year(year)
    figures = [replace(base.figure(i.key), survey=_survey_goals(survey, i, report_period)) for i in chosen]
    assess = until is None
    # A section is the same in the insats's own report and in the summary: made once per session (its
    # survey goals, when it has any, come from the session's one answers file).
    sections = [_memo(memo, ("maluppfyllelse", "section", f.insats.key, year, request.half_year, assess,
                             bool(f.survey)), partial(_section, f, year, request.half_year, assess))
                for f in figures]
    if len(figures) > 1:
        chosen_rows = frame[UNIT].isin([i.key for i in chosen])  # the columns it reads: not a copy of every column
        persons = distinct_persons(frame.loc[chosen_rows, ["person", "inskrivningsdatum", "avslutsdatum"]], [period])
        sections.append(Section("Sammanställning", [tables.summary_table(figures, persons, request.half_year,
                                                                         assess)],
                                sheet="Sammanställning"))
    prov = replace(prov, parameters={
        **prov.parameters, "år": str(year), "halvår": "ja" if request.half_year else "nej",
        "insatser": ", ".join(i.key for i in chosen) if asked else "alla",
    })
    subject = chosen[0].namn if len(chosen) == 1 else ("Alla insatser" if not asked else
                                                        ", ".join(i.namn for i in chosen))
    return Report(kind="maluppfyllelse", title="Måluppfyllelse", association=config.forbund.namn,
                  period=replace(ReportPeriod.half_year(year) if request.half_year else ReportPeriod.whole_year(year),
                                 covered_until=until),
                  provenance=prov, subject=subject, sections=sections)


def _base(frame: pd.DataFrame, anon_frame: pd.DataFrame, known: Sequence[Insats], year: int, half_year: bool,
          config: Config) -> _Base:
    """Every known insats's figures for the period: the flows are one pass over all stints (each insats's
    history starts at its own first year, so computing the others alongside changes none of its numbers)."""
    keys = [i.key for i in known]
    period = half_year_period(year) if half_year else year_period(year)
    first = _first_years(frame, anon_frame, keys, year)
    periods = history_periods(min(first.values(), default=year), period)
    flow = add_anonymous(flows(frame, periods, [UNIT, "kon"]), anon_frame, periods, UNIT)
    return _Base(periods, flow, _tables(frame, anon_frame, flow, periods, first, config),
                 {i.key: i for i in known})


# --- preparing the data ---------------------------------------------------------------------


def _prepared(stints: pd.DataFrame, known: Sequence[Insats], keys: list[str]) -> pd.DataFrame:
    """The stints with their insats slug (missing when not selected) and Kön as Kvinna/Man categories."""
    frame = stints.assign(**{UNIT: unit_column(stints["insats"], known, keys)})
    frame["kon"] = frame["kon"].astype(pd.CategoricalDtype([Kon.KVINNA.value, Kon.MAN.value]))
    return frame


def _prepared_anonyma(anon: pd.DataFrame, known: Sequence[Insats], keys: list[str]) -> pd.DataFrame:
    frame = anon.assign(**{UNIT: unit_column(anon["insats"].astype("string"), known, keys)})
    frame["ar"] = pd.to_numeric(frame["ar"], errors="coerce")
    return frame[frame[UNIT].notna() & frame["ar"].notna()]


def _latest_year(frame: pd.DataFrame, anon: pd.DataFrame) -> int:
    """The latest year in which a selected stint started or ended, or anonymous participants were counted."""
    rows = frame[frame[UNIT].notna()]
    years = [d.year for d in (rows["inskrivningsdatum"].max(), rows["avslutsdatum"].max()) if pd.notna(d)]
    if not anon.empty:
        years.append(int(anon["ar"].max()))
    if not years:
        raise UsageError(NO_STINTS, sv=NO_STINTS_SV)
    return max(years)


def _first_years(frame: pd.DataFrame, anon: pd.DataFrame, keys: list[str], year: int) -> dict[str, int]:
    """Each insats's first year with data, up to the report year (an insats may start later)."""
    starts = frame.groupby(UNIT, observed=False)["inskrivningsdatum"].min().dt.year
    anon_first = anon.groupby(UNIT, observed=False)["ar"].min()
    out = {}
    for key in keys:
        found = [float(v) for v in (starts.get(key), anon_first.get(key)) if v is not None and pd.notna(v)]
        out[key] = min(int(min(found)), year) if found else year
    return out


# --- figures ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Tables:
    """Every insats's counts for the period and its history, each table indexed by insats."""

    periods: list[Period]
    first: dict[str, int]  # each insats's first year with data
    current: pd.DataFrame
    per_bin: pd.DataFrame
    persons: pd.Series
    ended: pd.DataFrame
    followup: pd.DataFrame
    new_by: dict[str, pd.DataFrame]
    anonymous: pd.Series
    groups: list[str]
    welfare: str | None


def _tables(frame: pd.DataFrame, anon: pd.DataFrame, flow: pd.DataFrame, periods: list[Period],
            first: dict[str, int], config: Config) -> _Tables:
    period = periods[-1]
    last = len(periods) - 1
    current = cast(pd.DataFrame, flow.xs(last, level="bin"))
    per_bin = flow.groupby(level=[UNIT, "bin"]).sum()
    persons = unique_persons(frame, periods, UNIT)
    groups = config.forsorjning
    welfare = next((g for g, sources in groups.items() if Forsorjning.FORSORJNINGSSTOD in sources), None)

    selected = frame[UNIT].notna()
    ended = frame[selected & in_period(frame["avslutsdatum"], period)]
    due = followup_due(frame["inskrivningsdatum"], period) & followed_up(frame["forsorjning_uppfoljning"])
    followups = frame[selected & due]
    ended_m = mentions(ended, "forsorjning_start", "forsorjning_slut", groups, UNIT)
    followup_m = mentions(followups, "forsorjning_start", "forsorjning_uppfoljning", groups, UNIT)

    new = frame[selected & in_period(frame["inskrivningsdatum"], period)]
    new = new.assign(alder=age_band(new["inskrivningsdatum"], new["fodelsear"]),
                     remittent=tables.referrer_pairs(new["remittent_grupp"], new["remittent"]))
    new_by = {label: by_sex(new, column, UNIT) for label, column in BREAKDOWNS}

    anonymous = anon[anon["ar"] == period.year].groupby(UNIT, observed=False)[["kvinnor", "man"]].sum().sum(axis=1)
    return _Tables(periods, first, current, per_bin, persons, ended_m, followup_m, new_by, anonymous, list(groups),
                   welfare)


def _figure(t: _Tables, insats: Insats) -> Figures:
    """One insats's figures, read out of the tables of every insats."""
    key = insats.key
    women, men = _row(t.current, (key, Kon.KVINNA.value)), _row(t.current, (key, Kon.MAN.value))
    labels = [str(p.year) if p.whole_year else p.label for p in t.periods]
    start_bin = t.first[key] - t.periods[0].year
    history = _part(t.per_bin, key).iloc[start_bin:].copy()
    history.index = labels[start_bin:]
    return Figures(
        insats=insats, period=t.periods[-1],
        current={"Totalt": women + men, "Kvinnor": women, "Män": men},
        history=history, unique_persons=int(t.persons.get(key, 0)),
        ended=_sources(t.ended, key, t.groups), followup=_sources(t.followup, key, t.groups),
        new_by={label: _part(table, key) for label, table in t.new_by.items()},
        welfare_group=t.welfare, anonymous=int(t.anonymous.get(key, 0)),
    )


def _row(frame: pd.DataFrame, label: tuple[str, str]) -> pd.Series:
    return cast(pd.Series, frame.loc[label])


def _part(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """The rows of one insats, without the insats level."""
    try:
        return cast(pd.DataFrame, frame.xs(key, level=UNIT))
    except KeyError:  # the insats has no rows here
        return frame.iloc[0:0].droplevel(UNIT)


def _sources(table: pd.DataFrame, key: str, order: list[str]) -> Sources:
    part = _part(table, key)
    n = int(part["n"].iloc[0]) if len(part) else 0
    return Sources(part[["fore", "efter"]].reindex(order, fill_value=0).astype(np.int64), n)


# --- sections --------------------------------------------------------------------------------


def _survey_goals(survey: Survey | None, insats: Insats, period: ReportPeriod) -> tuple[SurveyGoal, ...]:
    """The insats's survey goals for the year, when survey answers are configured."""
    goals = insats.mal.get(period.year)
    if survey is None or goals is None or not goals.enkat:
        return ()
    from ..enkat.goals import survey_goals  # the survey code loads only for a report that has such goals

    return tuple(survey_goals(survey.frame, period, insats.namn, goals.enkat, survey.file))


def _section(fig: Figures, year: int, half_year: bool, assess: bool) -> Section:
    found = [
        tables.flow_table(fig),
        tables.goals_table(fig, fig.insats.mal.get(year), half_year, assess),
        tables.history_table(fig),
        tables.sources_table(fig, "avslut"),
        tables.sources_table(fig, "uppfoljning") if fig.followup.n else None,
        *(tables.breakdown_table(fig, label) for label, _ in BREAKDOWNS),
    ]
    paragraphs = [] if year in fig.insats.mal else [f"Inga mål för {year} finns i konfigurationen."]
    return Section(fig.insats.namn, [t for t in found if t is not None], paragraphs)  # sheet: reports.sheets
