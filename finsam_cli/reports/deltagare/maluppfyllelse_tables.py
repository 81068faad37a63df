"""The måluppfyllelse tables, built from one insats's computed figures.

Labels are the published ones, so that readers and tools find them. Counts are ints,
shares fractions, months floats; a row measuring something else than its columns'
kind says so with `Row.kind`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast

import pandas as pd

from ...config import Goals, Insats
from ...inputs.schema import Utbildningsniva
from ...rounding import round_half_up
from ...slugs import slugify
from ..enkat.goals import SurveyGoal
from ..model import Cell, Chart, Column, Kind, Row, Style, Table, Text, Value
from .stint_metrics import AGE_BANDS, DAYS_PER_MONTH, MISSING, OTHER_AGE, Period


@dataclass
class Sources:
    """Stints naming each support group at two moments; n stints in the population."""

    counts: pd.DataFrame  # index: group, columns: fore, efter
    n: int


@dataclass
class Figures:
    """One insats's numbers for the report, as computed by the maluppfyllelse module."""

    insats: Insats
    period: Period
    current: dict[str, pd.Series]  # "Totalt", "Kvinnor", "Män" -> flow counts of the period
    history: pd.DataFrame  # flow counts per period, labelled "2011"…, from the insats's first year
    unique_persons: int  # over the history's periods
    ended: Sources  # stints ended in the period: at start and at the end
    followup: Sources  # stints followed up one year after start, due in the period
    new_by: dict[str, pd.DataFrame]  # breakdown label -> Kvinna/Man counts of new stints per value
    welfare_group: str | None  # the support group holding Försörjningsstöd
    anonymous: int = 0  # anonymous participants counted for the report year
    survey: tuple[SurveyGoal, ...] = ()  # the year's survey goals, when survey answers are configured


SEXES = ("Totalt", "Kvinnor", "Män")
JA, NEJ, EJ_ANNU, EJ_BEDOMT = "Ja", "Nej", "Ej ännu", "Ej bedömt"


def _n(value: Any) -> int:
    """A count from a pandas cell (numpy integer) as a plain int."""
    return int(value)


def _ratio(num: float, den: float) -> float | None:
    return None if den == 0 else float(num) / float(den)


def share_parts(v: pd.Series, namnare: str) -> tuple[int, int, int, int]:
    """(arbete, studier, arbetsförberedande, denominator) for the shares, per the insats's denominator."""
    suffix = "_med_insats" if namnare == "med_insats" else ""
    return (int(v[f"arbete{suffix}"]), int(v[f"studier{suffix}"]), int(v[f"arbetsforberedande{suffix}"]),
            int(v[f"avslutade{suffix}"]))


def _denominator_note(namnare: str) -> str | None:
    if namnare != "med_insats":
        return None
    return "Andelarna räknas på avslutade deltagare som fått insats (Fått insats = Ja)."


# --- 1. Deltagare och avslut -------------------------------------------------------------------


def flow_table(fig: Figures) -> Table:
    namnare = fig.insats.namnare
    parts = [fig.current[s] for s in SEXES]

    def counts(label: str, *names: str) -> Row:
        return Row([label, *(sum(int(v[n]) for n in names) for v in parts)])

    def shares(label: str, pick: int) -> Row:
        cells: list[Cell] = []
        for v in parts:
            arbete, studier, _, den = share_parts(v, namnare)
            cells.append(_ratio((arbete, studier, arbete + studier)[pick], den))
        return Row([label, *cells], kind=Kind.PERCENT)

    months = [_ratio(float(v["dagar"]), float(v["avslutade"]) * DAYS_PER_MONTH) for v in parts]
    rows = [
        counts("Deltagare", "deltagare"), counts("Nya deltagare", "nya"), counts("Avslutade", "avslutade"),
        counts("Till arbete", "arbete"), counts("Till studier", "studier"),
        counts("Arbete/studier", "arbete", "studier"),
        counts("Arbetsförberedande insats", "arbetsforberedande"), counts("Annat", "annat"),
        counts("Okänd", "okand"),
        shares("Andel till arbete (%)", 0), shares("Andel till studier (%)", 1),
        shares("Andel arbete/studier (%)", 2),
        Row(["Genomsnittlig inskrivningstid (månader)", *months], kind=Kind.DECIMAL),
    ]
    notes = [n for n in (_denominator_note(namnare), _anonymous_note(fig)) if n]
    return Table(key=f"{fig.insats.key}.deltagare-och-avslut", title=f"Deltagare och avslut {fig.period.label}",
                 columns=[Column("Mått"), *(Column(s, Kind.COUNT) for s in SEXES)], rows=rows, notes=notes,
                 protect=True)


def _anonymous_note(fig: Figures) -> Text | None:
    if fig.anonymous == 0:
        return None
    if fig.period.whole_year:
        return Text("Deltagare inkluderar ", Value(fig.anonymous), " anonyma deltagare; de räknas inte "
                    "i övriga rader.")
    return Text(Value(fig.anonymous), f" anonyma deltagare {fig.period.year} räknas per helår "
                "och ingår inte i halvårets siffror.")


# --- 2. Mål och resultat ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalResult:
    label: str
    kind: Kind  # COUNT: target and result are counts; PERCENT: fractions
    target: float
    result: float | None
    detail: Text | None = None

    @property
    def met(self) -> bool | None:
        """Met when the result, as shown (whole persons, whole percent), reaches the target."""
        if self.result is None:
            return None
        if self.kind is Kind.PERCENT:
            return round_half_up(self.result * 100) >= round_half_up(self.target * 100, 6)
        return self.result >= self.target


COUNT_GOALS = (("deltagare", "Deltagare", "deltagare"), ("nya_deltagare", "Nya deltagare", "nya"),
               ("deltagare_med_insats", "Deltagare med insats", "deltagare_med_insats"))
SHARE_GOALS = (("andel_arbete_studier", "Andel till arbete/studier"), ("andel_arbete", "Andel till arbete"),
               ("andel_studier", "Andel till studier"),
               ("andel_arbetsforberedande", "Andel till arbetsförberedande insats"))
WELFARE_GOAL = ("minskning_forsorjningsstod", "Minskning av försörjningsstöd ett år efter inskrivning")


def goal_results(fig: Figures, goals: Goals) -> list[GoalResult]:
    total = fig.current["Totalt"]
    out = []
    for field, label, column in COUNT_GOALS:
        target = getattr(goals, field)
        if target is not None:
            out.append(GoalResult(label, Kind.COUNT, target, int(total[column])))
    arbete, studier, forb, den = share_parts(total, fig.insats.namnare)
    whom = "avslutade som fått insats" if fig.insats.namnare == "med_insats" else "avslutade"
    for (field, label), num in zip(SHARE_GOALS, (arbete + studier, arbete, studier, forb), strict=True):
        target = getattr(goals, field)
        if target is not None:
            out.append(GoalResult(label, Kind.PERCENT, target / 100, _ratio(num, den),
                                  Text(f"{label}: ", Value(num), " av ", Value(den), f" {whom}.")))
    field, label = WELFARE_GOAL
    target = getattr(goals, field)
    if target is not None:
        before, after = _welfare(fig)
        detail = (Text(f"{label}: från ", Value(before), " till ", Value(after), " av ", Value(fig.followup.n),
                       " uppföljda.") if fig.welfare_group else None)
        out.append(GoalResult(label, Kind.PERCENT, target / 100, _ratio(before - after, before), detail))
    return out + survey_goal_results(fig.survey)


def _welfare(fig: Figures) -> tuple[int, int]:
    if fig.welfare_group is None:
        return 0, 0
    counts = fig.followup.counts.loc[fig.welfare_group]
    return _n(counts["fore"]), _n(counts["efter"])


def _verdict(goal: GoalResult, half_year: bool, assess: bool = True) -> str:
    if goal.met is None:
        return "–"
    if not assess:  # a partial period: its figures cannot yet show whether the goal is met
        return EJ_BEDOMT
    if goal.met:
        return JA
    return EJ_ANNU if half_year and goal.kind is Kind.COUNT else NEJ


def survey_goal_results(goals: Sequence[SurveyGoal]) -> list[GoalResult]:
    """Survey goals as goal rows: the share positive (whole percent, as the survey report shows it)."""
    return [GoalResult(
        f"Enkät: {g.question}", Kind.PERCENT, g.goal / 100,
        None if g.result.percent is None else g.result.percent / 100,
        Text(f"Enkät, ”{g.question}”: ", Value(g.result.positive), " av ", Value(g.result.answers),
             " svar positiva."))
        for g in goals]


def goals_table(fig: Figures, goals: Goals | None, half_year: bool, assess: bool = True) -> Table | None:
    results = goal_results(fig, goals) if goals is not None else []
    if not results:
        return None
    rows = [Row([g.label, g.target, g.result, _verdict(g, half_year, assess)],
                kind=Kind.PERCENT if g.kind is Kind.PERCENT else None) for g in results]
    notes: list[Text | str] = [g.detail for g in results if g.detail]
    if not assess:
        notes.append(f"Uppgifterna täcker inte hela perioden, så målen står som ”{EJ_BEDOMT}”.")
    elif half_year:
        notes.append(f"Målen gäller helåret {fig.period.year}; antalsmål som inte nåtts ännu står som "
                     f"”{EJ_ANNU}”.")
    return Table(key=f"{fig.insats.key}.mal", title="Mål och resultat",
                 columns=[Column("Mål"), Column("Målvärde", Kind.COUNT), Column("Resultat", Kind.COUNT),
                          Column("Uppfyllt")],
                 rows=rows, notes=notes, protect=True)


# --- 3. History ---------------------------------------------------------------------------------

HISTORY_COLUMNS = [Column("År", Kind.YEAR), Column("Deltagare", Kind.COUNT), Column("Nya deltagare", Kind.COUNT),
                   Column("Avslutade", Kind.COUNT), Column("Till arbete", Kind.COUNT),
                   Column("Till studier", Kind.COUNT), Column("Arbete/studier", Kind.COUNT),
                   Column("Procent", Kind.PERCENT)]
GOAL_COLUMN = Column("Mål", Kind.PERCENT)


def share_goal(insats: Insats, year: int) -> float | None:
    """The year's goal for the share to work/studies, as a fraction; None without one."""
    goals = insats.mal.get(year)
    return goals.andel_arbete_studier / 100 if goals and goals.andel_arbete_studier is not None else None


def _year_cell(label: str) -> str | int:
    """A history label that is only a year is the year as a number (a half year stays text)."""
    return int(label) if label.isdigit() else label


def history_table(fig: Figures) -> Table:
    namnare = fig.insats.namnare
    rows = []
    nums = dens = 0
    goals = [share_goal(fig.insats, int(str(label)[-4:])) for label in fig.history.index]
    with_goal = any(g is not None for g in goals)
    for (label, v), goal in zip(fig.history.iterrows(), goals, strict=True):
        arbete, studier, _, den = share_parts(v, namnare)
        nums, dens = nums + arbete + studier, dens + den
        rows.append(Row([_year_cell(str(label)), int(v["deltagare"]), int(v["nya"]), int(v["avslutade"]),
                         int(v["arbete"]), int(v["studier"]), int(v["arbete"]) + int(v["studier"]),
                         _ratio(arbete + studier, den), *([goal] if with_goal else [])]))
    years = f"{fig.history.index[0][-4:]}–{fig.period.year}"
    if len(rows) > 1:
        sums = fig.history.sum()
        rows.append(Row([years, int(sums["deltagare"]), int(sums["nya"]), int(sums["avslutade"]),
                         int(sums["arbete"]), int(sums["studier"]), int(sums["arbete"]) + int(sums["studier"]),
                         _ratio(nums, dens), *([None] if with_goal else [])], Style.TOTAL))
    notes: list[Text | str] = [Text(f"Unika personer {years}: ", Value(fig.unique_persons),
                                    ". Totalraden summerar årens rader, så den som deltar flera år räknas en "
                                    "gång per år; dess procent räknas om från summorna.")]
    if not fig.period.whole_year:
        notes.append(f"Raden {fig.period.label} avser bara första halvåret.")
    notes += [n for n in (_denominator_note(namnare),) if n]
    columns = HISTORY_COLUMNS + ([GOAL_COLUMN] if with_goal else [])
    # The goal is drawn as a line on the columns' axes, so a reader sees each year against it.
    chart = Chart(type="column", title="Andel till arbete/studier per år", categories=0, series=(7,),
                  line=8 if with_goal else None)
    return Table(key=f"{fig.insats.key}.historik", title="Historik", columns=columns, rows=rows,
                 notes=notes, chart=chart, protect=True)


# --- 4. Sources of support -------------------------------------------------------------------------


def sources_table(fig: Figures, moment: Literal["avslut", "uppfoljning"]) -> Table:
    sources = fig.ended if moment == "avslut" else fig.followup
    later = "Vid avslut" if moment == "avslut" else "Ett år efter"
    rows = [Row([str(group), int(c["fore"]), int(c["efter"]), int(c["efter"]) - int(c["fore"])])
            for group, c in sources.counts.iterrows()]
    if moment == "avslut":
        title = "Försörjningskällor vid inskrivning och avslut"
        who = Text("n = ", Value(sources.n), f" deltagare som avslutades under {fig.period.label}.")
    else:
        title = "Försörjningskällor vid inskrivning och ett år efter"
        who = Text("n = ", Value(sources.n), " deltagare som följts upp ett år efter inskrivningen, "
                   f"med uppföljning under {fig.period.label}.")
    notes: list[Text | str] = [who + " En deltagare kan ha flera försörjningskällor men räknas en gång per grupp."]
    change = welfare_change(sources, fig.welfare_group, "ett år efter" if moment != "avslut" else "vid avslut")
    if change:
        notes.append(change)
    if moment == "avslut" and fig.followup.n == 0:
        notes.append(f"Ingen deltagare har uppföljning ett år efter inskrivningen under {fig.period.label}.")
    columns = [Column("Försörjningskälla"), Column("Vid inskrivning", Kind.COUNT), Column(later, Kind.COUNT),
               Column("Förändring", Kind.COUNT, signed=True)]
    chart = Chart(type="bar", title=title, categories=0, series=(1, 2))
    return Table(key=f"{fig.insats.key}.forsorjning-{moment}", title=title, columns=columns, rows=rows,
                 notes=notes, chart=chart, protect=True)


def welfare_change(sources: Sources, group: str | None, when: str) -> Text | None:
    """'47 % färre med försörjningsstöd', as the published report words it: (before − after) ÷ before."""
    if group is None or group not in sources.counts.index or sources.n == 0:
        return None
    before, after = _n(sources.counts.loc[group, "fore"]), _n(sources.counts.loc[group, "efter"])
    what = group.lower()
    counts = Text("(", Value(before), " vid inskrivning, ", Value(after), f" {when}).")
    if before == 0:
        return Text(f"Ingen hade {what} vid inskrivning ") + counts
    change = (before - after) / before
    if before == after:
        return Text(f"Lika många med {what} ") + counts
    word = "färre" if change > 0 else "fler"
    return Text(Value(abs(change), Kind.PERCENT), f" {word} med {what} ") + counts


# --- 5. New participants by … -------------------------------------------------------------------


def _order(label: str, table: pd.DataFrame) -> list[str]:
    present = [str(v) for v in table.index]
    if label == "Åldersgrupp":
        fixed = [b for b, _, _ in AGE_BANDS] + [OTHER_AGE]
    elif label == "Utbildningsnivå":
        fixed = [u.value for u in Utbildningsniva]
    else:
        totals = table.sum(axis=1)
        fixed = sorted((v for v in present if v != MISSING), key=lambda v: (-int(totals[v]), v))
    return fixed + [v for v in present if v not in fixed and v != MISSING] + ([MISSING] if MISSING in present else [])


PAIR = "\x1f"  # between a referrer's group and its own value in one breakdown value
INDENT = "\u00a0\u00a0\u00a0"  # a referrer's own value, shown beneath its group


def referrer_pairs(groups: pd.Series, referrers: pd.Series) -> pd.Series:
    """Each new stint's referrer as `group<PAIR>referrer`, so one count gives both levels."""
    group = groups.astype("string").fillna("").str.strip()
    own = referrers.astype("string").fillna("").str.strip()
    return (group.mask(group == "", MISSING) + PAIR + own.mask(own == "", MISSING)).astype("category")


def _referrer_rows(table: pd.DataFrame, total: int) -> list[Row]:
    """The referrer groups (Arbetsförmedlingen, Kommun, …), largest first, each with its own values beneath."""
    if table.empty:
        return []
    split = table.index.to_series().str.split(PAIR, n=1, expand=True)
    table = table.set_axis(pd.MultiIndex.from_arrays([split[0], split[1]]), axis=0)
    by_group = table.groupby(level=0).sum()
    rows = []
    for group in _order("Remittentgrupp", by_group):
        women, men = _n(by_group.loc[group, "Kvinna"]), _n(by_group.loc[group, "Man"])
        rows.append(Row([group, women + men, women, men, _ratio(women + men, total)], Style.SUBTOTAL))
        part = cast(pd.DataFrame, table.xs(group, level=0))
        values = _order("Remittent", part)
        if values == [group]:  # a group of one value by the same name (Egen anmälan): nothing to add beneath
            continue
        for value in values:
            women, men = _n(part.loc[value, "Kvinna"]), _n(part.loc[value, "Man"])
            rows.append(Row([INDENT + value, women + men, women, men, _ratio(women + men, total)]))
    return rows


def breakdown_table(fig: Figures, label: str) -> Table:
    table = fig.new_by[label]
    table.index = table.index.astype(str)
    total = int(table.to_numpy().sum())
    counts = {value: (_n(women), _n(men)) for value, women, men in zip(table.index, table["Kvinna"], table["Man"],
                                                                         strict=True)}
    if label == "Remittent":
        rows = _referrer_rows(table[table.sum(axis=1) > 0], total)
    else:
        rows = []
        for value in _order(label, table):
            women, men = counts.get(value, (0, 0))
            rows.append(Row([value, women + men, women, men, _ratio(women + men, total)]))
    rows.append(Row(["Totalt", total, int(table["Kvinna"].sum()), int(table["Man"].sum()),
                     _ratio(total, total)], Style.TOTAL))
    notes = {"Åldersgrupp": ["Ålder det år deltagaren skrevs in."],
             "Remittent": ["Remittenterna i grupper (fetstil), med varje remittent under sin grupp."]}.get(label, [])
    return Table(key=f"{fig.insats.key}.{slugify(label)}", title=f"Nya deltagare efter {label.lower()}",
                 columns=[Column(label), *(Column(s, Kind.COUNT) for s in SEXES), Column("Andel (%)", Kind.PERCENT)],
                 rows=rows, notes=notes, protect=True)


# --- 6. Summary across insatser ---------------------------------------------------------------------

SUMMARY_COLUMNS = [Column("Insats"), Column("Deltagare", Kind.COUNT), Column("Nya deltagare", Kind.COUNT),
                   Column("Avslutade", Kind.COUNT), Column("Arbete/studier", Kind.COUNT),
                   Column("Andel (%)", Kind.PERCENT), Column("Mål (%)", Kind.PERCENT), Column("Uppfyllda mål")]


def overall_verdict(results: Sequence[GoalResult], assess: bool = True) -> str:
    """How many of the year's goals are met, e.g. "2 av 3"; empty without goals, Ej bedömt for a partial period."""
    judged = [g for g in results if g.met is not None]
    if not judged:
        return ""
    if not assess:
        return EJ_BEDOMT
    return f"{sum(1 for g in judged if g.met)} av {len(judged)}"


def summary_table(figures: Sequence[Figures], persons: int, half_year: bool, assess: bool = True) -> Table:
    rows = []
    sums = {"deltagare": 0, "nya": 0, "avslutade": 0, "as": 0, "num": 0, "den": 0}
    for fig in figures:
        v = fig.current["Totalt"]
        arbete, studier, _, den = share_parts(v, fig.insats.namnare)
        goals = fig.insats.mal.get(fig.period.year)
        target = share_goal(fig.insats, fig.period.year)
        both = int(v["arbete"]) + int(v["studier"])
        rows.append(Row([fig.insats.namn, int(v["deltagare"]), int(v["nya"]), int(v["avslutade"]), both,
                         _ratio(arbete + studier, den), target,
                         overall_verdict(goal_results(fig, goals), assess) if goals else ""]))
        for name, value in (("deltagare", int(v["deltagare"])), ("nya", int(v["nya"])),
                            ("avslutade", int(v["avslutade"])), ("as", both), ("num", arbete + studier),
                            ("den", den)):
            sums[name] += value
    rows.append(Row(["Totalt", sums["deltagare"], sums["nya"], sums["avslutade"], sums["as"],
                     _ratio(sums["num"], sums["den"]), None, ""], Style.TOTAL))
    notes: list[Text | str] = [
        Text("Totalraden räknar insatsdeltaganden, inte unika personer: den som deltar i två insatser räknas två "
             "gånger. Unika personer med registrering under perioden: ", Value(persons), "."),
        "Uppfyllda mål: hur många av årets mål för insatsen som är uppfyllda (se respektive insats).",
    ]
    if any(f.insats.namnare == "med_insats" for f in figures):
        named = ", ".join(f.insats.namn for f in figures if f.insats.namnare == "med_insats")
        notes.append(f"Andelen för {named} räknas på avslutade som fått insats.")
    return Table(key="sammanstallning", title=f"Sammanställning {figures[0].period.label}", columns=SUMMARY_COLUMNS,
                 rows=rows, notes=notes, protect=True)
