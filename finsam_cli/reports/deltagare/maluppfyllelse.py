"""Goal attainment (måluppfyllelse): every selected insats's figures, then the report.

All insatser are computed together: one pass of `stint_metrics` over the stints gives
each insats's counts for every year of its history; the tables module only reads them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import TypeVar, cast

import numpy as np
import pandas as pd

from ...config import Config, Insats
from ...errors import UsageError
from ...inputs.schema import Forsorjning, Kon
from ...inputs.view import Inputs
from ..enkat.goals import SurveyGoal, survey_goals
from ..model import Period as ReportPeriod
from ..model import Provenance, Report, Section
from ..registry import MaluppfyllelseParams as Request
from . import maluppfyllelse_tables as tables
from .coverage import coverage, covered_until, default_year
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

    answers = inputs.loaded(FileKind.ENKAT) if _has_survey_goals(inputs.config, request) else None
    survey = Survey(answers.frame, answers.source.name) if answers is not None else None
    prov = provenance(inputs, {})
    if survey is None:  # an export's session may have read the answers for another report
        prov = replace(prov, inputs=tuple(i for i in prov.inputs if i.role != FileKind.ENKAT.value))
    return build_report(inputs.frame(FileKind.DELTAGARE), inputs.optional(FileKind.ANONYMA), inputs.config,
                        request, prov, inputs.memo, survey, inputs.notices)


NO_STINTS = "the participant data has no stints for these insatser; nothing to report"


@dataclass(frozen=True)
class Survey:
    """The survey answers, for the insatser's survey goals."""

    frame: pd.DataFrame
    file: str


def _has_survey_goals(config: Config, request: Request) -> bool:
    """Whether an insats asked for has survey goals for the year (any year while it is not known yet)."""
    asked = [find(config.insatser, name) for name in request.insatser]
    return any(goals.enkat for insats in config.insatser if not request.insatser or insats in asked
               for year, goals in insats.mal.items() if request.year in (None, year))


@dataclass(frozen=True)
class _Base:
    """Every known insats's figures for one period, from one pass over the stints."""

    periods: list[Period]
    flow: pd.DataFrame
    figures: dict[str, Figures]


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
        raise UsageError(NO_STINTS)
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
            raise UsageError(f"no insats has participants in {period.label}; give another year")
    report_period = ReportPeriod.half_year(year) if request.half_year else ReportPeriod.whole_year(year)
    figures = [replace(base.figures[i.key], survey=_survey_goals(survey, i, report_period)) for i in chosen]
    assess = until is None
    # A section is the same in the insats's own report and in the summary: made once per session (its
    # survey goals, when it has any, come from the session's one answers file).
    sections = [_memo(memo, ("maluppfyllelse", "section", f.insats.key, year, request.half_year, assess,
                             bool(f.survey)), partial(_section, f, year, request.half_year, assess))
                for f in figures]
    if len(figures) > 1:
        persons = distinct_persons(frame[frame[UNIT].isin([i.key for i in chosen])], [period])
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
    figures = _figures(frame, anon_frame, flow, periods, first, known, config)
    return _Base(periods, flow, {f.insats.key: f for f in figures})


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
        raise UsageError(NO_STINTS)
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


def _figures(frame: pd.DataFrame, anon: pd.DataFrame, flow: pd.DataFrame, periods: list[Period],
             first: dict[str, int], chosen: Sequence[Insats], config: Config) -> list[Figures]:
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
    labels = [str(p.year) if p.whole_year else p.label for p in periods]
    out = []
    for insats in chosen:
        key = insats.key
        women, men = _row(current, (key, Kon.KVINNA.value)), _row(current, (key, Kon.MAN.value))
        start_bin = first[key] - periods[0].year
        history = _part(per_bin, key).iloc[start_bin:].copy()
        history.index = labels[start_bin:]
        out.append(Figures(
            insats=insats, period=period,
            current={"Totalt": women + men, "Kvinnor": women, "Män": men},
            history=history, unique_persons=int(persons.get(key, 0)),
            ended=_sources(ended_m, key, list(groups)), followup=_sources(followup_m, key, list(groups)),
            new_by={label: _part(table, key) for label, table in new_by.items()},
            welfare_group=welfare, anonymous=int(anonymous.get(key, 0)),
        ))
    return out


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
