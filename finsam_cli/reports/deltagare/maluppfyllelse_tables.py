"""The måluppfyllelse tables, built from one insats's computed figures.

Labels are the published ones, so that readers and tools find them. Counts are ints,
shares fractions, months floats; a row measuring something else than its columns'
kind says so with `Row.kind`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np
import pandas as pd

from ...config import Goals, Insats
from ...inputs.schema import Utbildningsniva
from ...rounding import round_half_up
from ...slugs import slugify
from ..model import Cell, Chart, Column, Kind, Relation, Row, Style, Table, Text, Value
from .stint_metrics import AGE_BANDS, DAYS_PER_MONTH, MISSING, OTHER_AGE, Period

if TYPE_CHECKING:
    from ..enkat.goals import SurveyGoal  # a report without survey goals loads no survey code


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
SEX_KEYS = ("totalt", "kvinnor", "man")
EXITS = ("arbete", "studier", "arbetsforberedande", "annat", "okand")  # they add up to avslutade
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


# --- keys for the disclosure audit ----------------------------------------------------------------
# One key per quantity, the same in every table, note and report of an export set that prints it:
# "<insats>/<period>/<measure>/<sex>". The relations say which identities a reader knows.


def key(fig: Figures, measure: str, sex: str = "totalt", period: str | None = None) -> str:
    return f"{fig.insats.key}/{period or fig.period.label}/{measure}/{sex}"


def _sums(target: str, *parts: str) -> Relation:
    return Relation("sum", target, parts)


def _share_key(fig: Figures, pick: str, sex: str = "totalt", period: str | None = None) -> str | None:
    """A share's key where its counts are printed (not for shares of exits with an insats, whose counts are not)."""
    return None if fig.insats.namnare == "med_insats" else key(fig, f"andel-{pick}", sex, period)


def _share(fig: Figures, pick: str, numerator: str, sex: str = "totalt", period: str | None = None) -> list[Relation]:
    share = _share_key(fig, pick, sex, period)
    if share is None:
        return []
    return [Relation("ratio", share, (key(fig, numerator, sex, period), key(fig, "avslutade", sex, period)))]


def _flow_relations(fig: Figures, period: str | None = None, sexes: Sequence[str] = SEX_KEYS) -> list[Relation]:
    out = [_sums(key(fig, "arbete-studier", s, period), key(fig, "arbete", s, period), key(fig, "studier", s, period))
           for s in sexes]
    out += [_sums(key(fig, "avslutade", s, period), *(key(fig, e, s, period) for e in EXITS)) for s in sexes]
    return out


# --- 1. Deltagare och avslut -------------------------------------------------------------------


def flow_table(fig: Figures) -> Table:
    namnare = fig.insats.namnare
    parts = [fig.current[s] for s in SEXES]

    def counts(label: str, measure: str, *names: str) -> Row:
        return Row([label, *(sum(int(v[n]) for n in names or (measure,)) for v in parts)],
                   keys=[None, *(key(fig, measure, s) for s in SEX_KEYS)])

    def shares(label: str, pick: int) -> Row:
        cells: list[Cell] = []
        for v in parts:
            arbete, studier, _, den = share_parts(v, namnare)
            cells.append(_ratio((arbete, studier, arbete + studier)[pick], den))
        name = ("arbete", "studier", "arbete-studier")[pick]
        return Row([label, *cells], kind=Kind.PERCENT, keys=[None, *(_share_key(fig, name, s) for s in SEX_KEYS)])

    months = [_ratio(float(v["dagar"]), float(v["avslutade"]) * DAYS_PER_MONTH) for v in parts]
    rows = [
        counts("Deltagare", "deltagare"), counts("Nya deltagare", "nya"), counts("Avslutade", "avslutade"),
        counts("Till arbete", "arbete"), counts("Till studier", "studier"),
        counts("Arbete/studier", "arbete-studier", "arbete", "studier"),
        counts("Arbetsförberedande insats", "arbetsforberedande"), counts("Annat", "annat"),
        counts("Okänd", "okand"),
        shares("Andel till arbete (%)", 0), shares("Andel till studier (%)", 1),
        shares("Andel arbete/studier (%)", 2),
        Row(["Genomsnittlig inskrivningstid (månader)", *months], kind=Kind.DECIMAL,
            keys=[None, *(key(fig, "manader", s) for s in SEX_KEYS)]),
    ]
    notes = [n for n in (_denominator_note(namnare), _anonymous_note(fig)) if n]
    measures = ("deltagare", "nya", "avslutade", *EXITS, "arbete-studier")
    relations = [_sums(key(fig, m), key(fig, m, "kvinnor"), key(fig, m, "man")) for m in measures]
    relations += _flow_relations(fig)
    relations += [Relation("derived", key(fig, "manader", s), (key(fig, "avslutade", s),)) for s in SEX_KEYS]
    relations += [r for s in SEX_KEYS for pick, num in (("arbete", "arbete"), ("studier", "studier"),
                                                        ("arbete-studier", "arbete-studier"))
                  for r in _share(fig, pick, num, s)]
    return Table(key=f"{fig.insats.key}.deltagare-och-avslut", title=f"Deltagare och avslut {fig.period.label}",
                 columns=[Column("Mått"), *(Column(s, Kind.COUNT) for s in SEXES)], rows=rows, notes=notes,
                 protect=True, relations=relations)


def _anonymous_note(fig: Figures) -> Text | None:
    if fig.anonymous == 0:
        return None
    if fig.period.whole_year:
        return Text("Deltagare inkluderar ", Value(fig.anonymous, key=key(fig, "anonyma")),
                    " anonyma deltagare; de räknas inte "
                    "i övriga rader.")
    return Text(Value(fig.anonymous, key=key(fig, "anonyma")), f" anonyma deltagare {fig.period.year} räknas per helår "
                "och ingår inte i halvårets siffror.")


# --- 2. Mål och resultat ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalResult:
    label: str
    kind: Kind  # COUNT: target and result are counts; PERCENT: fractions
    target: float
    result: float | None
    detail: Text | None = None
    key: str | None = None  # the result's quantity (a count, or a share of printed counts)
    relations: tuple[Relation, ...] = ()

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
            out.append(GoalResult(label, Kind.COUNT, target, int(total[column]),
                                  key=key(fig, column.replace("_", "-"))))
    arbete, studier, forb, den = share_parts(total, fig.insats.namnare)
    printed = fig.insats.namnare != "med_insats"  # else the shares' counts are not printed: no keys
    whom = "avslutade" if printed else "avslutade som fått insats"
    names = ("arbete-studier", "arbete", "studier", "arbetsforberedande")
    for (field, label), num, name in zip(SHARE_GOALS, (arbete + studier, arbete, studier, forb), names, strict=True):
        target = getattr(goals, field)
        if target is not None:
            num_key, den_key = (key(fig, name), key(fig, "avslutade")) if printed else (None, None)
            out.append(GoalResult(label, Kind.PERCENT, target / 100, _ratio(num, den),
                                  Text(f"{label}: ", Value(num, key=num_key), " av ", Value(den, key=den_key),
                                       f" {whom}."), _share_key(fig, name), tuple(_share(fig, name, name))))
    field, label = WELFARE_GOAL
    target = getattr(goals, field)
    if target is not None:
        before, after = _welfare(fig)
        detail = None
        if fig.welfare_group:
            fore, efter = (source_key(fig, "uppfoljning", fig.welfare_group, w) for w in ("fore", "efter"))
            detail = Text(f"{label}: från ", Value(before, key=fore), " till ", Value(after, key=efter), " av ",
                          Value(fig.followup.n, key=source_key(fig, "uppfoljning")), " uppföljda.")
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
                kind=Kind.PERCENT if g.kind is Kind.PERCENT else None, keys=[None, None, g.key, None])
            for g in results]
    notes: list[Text | str] = [g.detail for g in results if g.detail]
    if not assess:
        notes.append(f"Uppgifterna täcker inte hela perioden, så målen står som ”{EJ_BEDOMT}”.")
    elif half_year:
        notes.append(f"Målen gäller helåret {fig.period.year}; antalsmål som inte nåtts ännu står som "
                     f"”{EJ_ANNU}”.")
    return Table(key=f"{fig.insats.key}.mal", title="Mål och resultat",
                 columns=[Column("Mål"), Column("Målvärde", Kind.COUNT), Column("Resultat", Kind.COUNT),
                          Column("Uppfyllt")],
                 rows=rows, notes=notes, protect=True, relations=[r for g in results for r in g.relations])


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
    goal_keys: list[str | None] = [None] if with_goal else []
    measures = ("deltagare", "nya", "avslutade", "arbete", "studier", "arbete-studier")
    labels = [str(label) for label in fig.history.index]
    # The last row is the report's period: the main table's quantities, under the same keys.
    periods = [*labels[:-1], fig.period.label]

    def keys(period: str) -> list[str | None]:
        return [None, *(key(fig, m, period=period) for m in measures), _share_key(fig, "arbete-studier", period=period),
                *goal_keys]

    relations: list[Relation] = []
    for (label, v), period, goal in zip(fig.history.iterrows(), periods, goals, strict=True):
        arbete, studier, _, den = share_parts(v, namnare)
        nums, dens = nums + arbete + studier, dens + den
        rows.append(Row([_year_cell(str(label)), int(v["deltagare"]), int(v["nya"]), int(v["avslutade"]),
                         int(v["arbete"]), int(v["studier"]), int(v["arbete"]) + int(v["studier"]),
                         _ratio(arbete + studier, den), *([goal] if with_goal else [])], keys=keys(period)))
        relations += _flow_relations(fig, period, ("totalt",))[:1]
        relations += _share(fig, "arbete-studier", "arbete-studier", period=period)
    years = f"{fig.history.index[0][-4:]}–{fig.period.year}"
    if len(rows) > 1:
        sums = fig.history.sum()
        rows.append(Row([years, int(sums["deltagare"]), int(sums["nya"]), int(sums["avslutade"]),
                         int(sums["arbete"]), int(sums["studier"]), int(sums["arbete"]) + int(sums["studier"]),
                         _ratio(nums, dens), *([None] if with_goal else [])], Style.TOTAL,
                    keys=keys(years)))
        relations += [_sums(key(fig, m, period=years), *(key(fig, m, period=p) for p in periods)) for m in measures]
        relations += _share(fig, "arbete-studier", "arbete-studier", period=years)
    notes: list[Text | str] = [Text(f"Unika personer {years}: ", Value(fig.unique_persons,
                                                                         key=key(fig, "unika-personer")),
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
                 notes=notes, chart=chart, protect=True, relations=relations)


# --- 4. Sources of support -------------------------------------------------------------------------


Moment = Literal["avslut", "uppfoljning"]


def source_key(fig: Figures, moment: Moment, group: str | None = None, when: str = "n") -> str:
    """A count of the sources table: a group's at start (fore), at the later moment (efter) or the change; or n."""
    return key(fig, f"forsorjning-{moment}" + (f"-{slugify(group)}" if group else ""), when)


def sources_table(fig: Figures, moment: Moment) -> Table:
    sources = fig.ended if moment == "avslut" else fig.followup
    later = "Vid avslut" if moment == "avslut" else "Ett år efter"
    rows = [Row([str(group), int(c["fore"]), int(c["efter"]), int(c["efter"]) - int(c["fore"])],
                keys=[None, *(source_key(fig, moment, str(group), w) for w in ("fore", "efter", "forandring"))])
            for group, c in sources.counts.iterrows()]
    # Vid avslut = Vid inskrivning + Förändring: a change is a quantity of its own that may be negative.
    relations = [_sums(source_key(fig, moment, str(g), "efter"), source_key(fig, moment, str(g), "fore"),
                       source_key(fig, moment, str(g), "forandring")) for g in sources.counts.index]
    n = Value(sources.n, key=source_key(fig, moment))
    if moment == "avslut":
        title = "Försörjningskällor vid inskrivning och avslut"
        who = Text("n = ", n, f" deltagare som avslutades under {fig.period.label}.")
    else:
        title = "Försörjningskällor vid inskrivning och ett år efter"
        who = Text("n = ", n, " deltagare som följts upp ett år efter inskrivningen, "
                   f"med uppföljning under {fig.period.label}.")
    notes: list[Text | str] = [who + " En deltagare kan ha flera försörjningskällor men räknas en gång per grupp."]
    change = welfare_change(sources, fig.welfare_group, "ett år efter" if moment != "avslut" else "vid avslut",
                            lambda w: source_key(fig, moment, fig.welfare_group, w))
    if change:
        notes.append(change)
    if moment == "avslut" and fig.followup.n == 0:
        notes.append(f"Ingen deltagare har uppföljning ett år efter inskrivningen under {fig.period.label}.")
    columns = [Column("Försörjningskälla"), Column("Vid inskrivning", Kind.COUNT), Column(later, Kind.COUNT),
               Column("Förändring", Kind.COUNT, signed=True)]
    chart = Chart(type="bar", title=title, categories=0, series=(1, 2))
    return Table(key=f"{fig.insats.key}.forsorjning-{moment}", title=title, columns=columns, rows=rows,
                 notes=notes, chart=chart, protect=True, relations=relations)


def welfare_change(sources: Sources, group: str | None, when: str,
                   keys: Callable[[str], str | None] = lambda _: None) -> Text | None:
    """'47 % färre med försörjningsstöd', as the published report words it: (before − after) ÷ before.

    `keys` gives the counts' keys ("fore", "efter"); the percentage is hidden with them."""
    if group is None or group not in sources.counts.index or sources.n == 0:
        return None
    before, after = _n(sources.counts.loc[group, "fore"]), _n(sources.counts.loc[group, "efter"])
    what = group.lower()
    counts = Text("(", Value(before, key=keys("fore")), " vid inskrivning, ", Value(after, key=keys("efter")),
                  f" {when}).")
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
        return _largest_first({v: int(total) for v, total in zip(present, table.sum(axis=1), strict=True)})
    return fixed + [v for v in present if v not in fixed and v != MISSING] + ([MISSING] if MISSING in present else [])


def _largest_first(totals: dict[str, int]) -> list[str]:
    """Values by their count, largest first (ties by name), MISSING last."""
    ranked = sorted((v for v in totals if v != MISSING), key=lambda v: (-totals[v], v))
    return ranked + ([MISSING] if MISSING in totals else [])


PAIR = "\x1f"  # between a referrer's group and its own value in one breakdown value
INDENT = "\u00a0\u00a0\u00a0"  # a referrer's own value, shown beneath its group


def referrer_pairs(groups: pd.Series, referrers: pd.Series) -> pd.Series:
    """Each new stint's referrer as `group<PAIR>referrer`, so one count gives both levels.

    The categorical `.astype("category")` makes of the rows' texts, with each distinct pair written once.
    """
    (group, group_labels), (own, own_labels) = _shown_codes(groups), _shown_codes(referrers)
    positions, pairs = pd.factorize(group * len(own_labels) + own)
    text = pd.Series(group_labels[pairs // len(own_labels)] + PAIR + own_labels[pairs % len(own_labels)],
                     dtype="string").astype("category")
    codes = text.cat.codes.to_numpy()[positions]
    return pd.Series(pd.Categorical.from_codes(codes, dtype=cast(pd.CategoricalDtype, text.dtype)), index=groups.index)


def _shown_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Each row's code, and each code's value as shown: stripped, MISSING when blank or missing (the last code)."""
    column = values if isinstance(values.dtype, pd.CategoricalDtype) else values.astype("category")
    text = pd.Series(column.cat.categories).astype("string").str.strip()
    labels = np.append(text.mask(text == "", MISSING).to_numpy(dtype=object), MISSING)
    codes = column.cat.codes.to_numpy().astype(np.int64)
    return np.where(codes < 0, len(labels) - 1, codes), labels


def _referrer_groups(table: pd.DataFrame) -> list[tuple[str, int, int, list[tuple[str, int, int]]]]:
    """The referrer groups (Arbetsförmedlingen, Kommun, …), largest first, each with its own values beneath
    (none for a group of one value by the same name, such as Egen anmälan): (group, women, men, values).

    A few dozen values: read out once into dicts, not looked up in the frame value by value."""
    groups: dict[str, dict[str, tuple[int, int]]] = {}
    for label, women, men in zip(table.index, table["Kvinna"], table["Man"], strict=True):
        group, _, value = str(label).partition(PAIR)
        groups.setdefault(group, {})[value] = (_n(women), _n(men))
    sums = {group: (sum(w for w, _ in values.values()), sum(m for _, m in values.values()))
            for group, values in groups.items()}
    out = []
    for group in _largest_first({group: women + men for group, (women, men) in sums.items()}):
        values = groups[group]
        order = _largest_first({value: women + men for value, (women, men) in values.items()})
        beneath = [] if order == [group] else [(value, *values[value]) for value in order]
        out.append((group, *sums[group], beneath))
    return out


def breakdown_table(fig: Figures, label: str) -> Table:
    table = fig.new_by[label]
    table.index = table.index.astype(str)
    total = int(table.to_numpy().sum())
    counts = {value: (_n(women), _n(men)) for value, women, men in zip(table.index, table["Kvinna"], table["Man"],
                                                                         strict=True)}
    rows = []
    slug = slugify(label)
    totals = (total, int(table["Kvinna"].sum()), int(table["Man"].sum()))
    # The total row counts the new participants of the main table, when it does (the same quantities).
    same = all(t == int(fig.current[s]["nya"]) for t, s in zip(totals, SEXES, strict=True))
    total_keys = [key(fig, "nya" if same else f"nya-{slug}", s) for s in SEX_KEYS]
    relations: list[Relation] = []

    def add(name: str, shown: str, women: int, men: int, style: Style = Style.NORMAL) -> list[str]:
        cell_keys = [key(fig, f"nya-{slug}-{slugify(name)}", s) for s in SEX_KEYS]
        rows.append(Row([shown, women + men, women, men, _ratio(women + men, total)], style,
                        keys=[None, *cell_keys, f"{cell_keys[0]}/andel"]))
        relations.extend([_sums(cell_keys[0], *cell_keys[1:]),
                          Relation("ratio", f"{cell_keys[0]}/andel", (cell_keys[0], total_keys[0]))])
        return cell_keys

    top: list[list[str]] = []
    if label == "Remittent":
        for group, women, men, values in _referrer_groups(table[table.sum(axis=1) > 0]):
            group_keys = add(group, group, women, men, Style.SUBTOTAL)
            top.append(group_keys)
            beneath = [add(f"{group} {value}", INDENT + value, w, m) for value, w, m in values]
            if beneath:
                relations += [_sums(k, *(b[i] for b in beneath)) for i, k in enumerate(group_keys)]
    else:
        top.extend(add(value, value, *counts.get(value, (0, 0))) for value in _order(label, table))
    rows.append(Row(["Totalt", *totals, _ratio(total, total)], Style.TOTAL, keys=[None, *total_keys, None]))
    relations += [_sums(total_keys[0], *total_keys[1:])]
    relations += [_sums(k, *(t[i] for t in top)) for i, k in enumerate(total_keys)]
    notes = {"Åldersgrupp": ["Ålder det år deltagaren skrevs in."],
             "Remittent": ["Remittenterna i grupper (fetstil), med varje remittent under sin grupp."]}.get(label, [])
    return Table(key=f"{fig.insats.key}.{slugify(label)}", title=f"Nya deltagare efter {label.lower()}",
                 columns=[Column(label), *(Column(s, Kind.COUNT) for s in SEXES), Column("Andel (%)", Kind.PERCENT)],
                 rows=rows, notes=notes, protect=True, relations=relations)


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
    measures = ("deltagare", "nya", "avslutade", "arbete-studier")
    relations: list[Relation] = []
    for fig in figures:
        v = fig.current["Totalt"]
        arbete, studier, _, den = share_parts(v, fig.insats.namnare)
        goals = fig.insats.mal.get(fig.period.year)
        target = share_goal(fig.insats, fig.period.year)
        both = int(v["arbete"]) + int(v["studier"])
        # Each insats's row prints the quantities of its own report: the same keys.
        rows.append(Row([fig.insats.namn, int(v["deltagare"]), int(v["nya"]), int(v["avslutade"]), both,
                         _ratio(arbete + studier, den), target,
                         overall_verdict(goal_results(fig, goals), assess) if goals else ""],
                        keys=[None, *(key(fig, m) for m in measures), _share_key(fig, "arbete-studier"), None, None]))
        relations += _share(fig, "arbete-studier", "arbete-studier")
        for name, value in (("deltagare", int(v["deltagare"])), ("nya", int(v["nya"])),
                            ("avslutade", int(v["avslutade"])), ("as", both), ("num", arbete + studier),
                            ("den", den)):
            sums[name] += value
    period = figures[0].period.label
    total_keys = [f"sammanstallning/{period}/{m}" for m in measures]
    share = f"sammanstallning/{period}/andel-arbete-studier"
    printed = all(f.insats.namnare != "med_insats" for f in figures)
    rows.append(Row(["Totalt", sums["deltagare"], sums["nya"], sums["avslutade"], sums["as"],
                     _ratio(sums["num"], sums["den"]), None, ""], Style.TOTAL,
                    keys=[None, *total_keys, share if printed else None, None, None]))
    relations += [_sums(t, *(key(f, m) for f in figures)) for t, m in zip(total_keys, measures, strict=True)]
    relations += [Relation("ratio", share, (total_keys[3], total_keys[2]))] if printed else []
    notes: list[Text | str] = [
        Text("Totalraden räknar insatsdeltaganden, inte unika personer: den som deltar i två insatser räknas två "
             "gånger. Unika personer med registrering under perioden: ",
             Value(persons, key=f"sammanstallning/{period}/unika-personer"), "."),
        "Uppfyllda mål: hur många av årets mål för insatsen som är uppfyllda (se respektive insats).",
    ]
    if any(f.insats.namnare == "med_insats" for f in figures):
        named = ", ".join(f.insats.namn for f in figures if f.insats.namnare == "med_insats")
        notes.append(f"Andelen för {named} räknas på avslutade som fått insats.")
    return Table(key="sammanstallning", title=f"Sammanställning {figures[0].period.label}", columns=SUMMARY_COLUMNS,
                 rows=rows, notes=notes, protect=True, relations=relations)
