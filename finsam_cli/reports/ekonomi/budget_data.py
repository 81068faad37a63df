"""Shared preparation for the budget reports: amounts per budget line, in a fixed order.

Money is summed as integer öre (int64), so every subtotal, total and result adds up to
the öre and the published tables reproduce exactly. Lines are matched across files by
their folded name (case, accents, spaces and dashes do not matter); the budget's
spelling is the one shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

import pandas as pd

from ...errors import DataError, ParameterError, UsageError
from ...inputs.schema import BudgetPeriod, fold
from ..model import Kind, Style, Text, Value

COST, REVENUE, FINANCIAL = "cost", "revenue", "financial"
REVENUE_GROUP = "Intäkter"
FINANCIAL_GROUP = "Finansiella poster"
FALLBACK_COST_GROUP = "Övrigt"

ORE_PER_KRONA = 100


# --- money -----------------------------------------------------------------------------


def to_ore(values: pd.Series) -> pd.Series:
    """Kronor (float, possibly with öre) -> exact integer öre."""
    return (values.astype("float64") * ORE_PER_KRONA).round().astype("int64")


def money(ore: int, unit: str) -> int | float:
    """An öre amount in the report's unit: whole kronor stay integers; tkr are exact fractions."""
    if unit == "tkr":
        return ore / (1000 * ORE_PER_KRONA)
    whole, rest = divmod(int(ore), ORE_PER_KRONA)
    return whole if rest == 0 else ore / ORE_PER_KRONA


def kronor_text(ore: int) -> Text:
    """`51 284 734 kr` for notes: an amount in kronor (the renderer shows öre only where there are any)."""
    return Text(Value(ore / ORE_PER_KRONA, Kind.AMOUNT), "\u00a0kr")


def join_sv(items: Sequence[str]) -> str:
    """`A, B och C`."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " och " + items[-1]


def join_text(items: Sequence[Text]) -> Text:
    """`A, B och C` for structured text."""
    out = Text()
    for i, item in enumerate(items):
        out += Text(", " if 0 < i < len(items) - 1 else " och " if i else "") + item
    return out


@cache
def line_key(name: str) -> str:
    return fold(name)


# --- groups ----------------------------------------------------------------------------


def group_class(grupp: str) -> str:
    """Intäkter (revenue), Finansiella poster (financial) or a cost group."""
    key = line_key(grupp)
    if key.startswith(("finansiell", "extraordinar")):
        return FINANCIAL  # both enter the result as net income
    if key.startswith("intakt"):
        return REVENUE
    return COST


def _class_by_name(post: str) -> str | None:
    """A last-resort guess from a line's name, for lines that have no group anywhere."""
    key = line_key(post)
    if "finansiell" in key or key.startswith(("ranta", "ranteintakt")):
        return FINANCIAL
    if "intakt" in key or "medlemsavgift" in key:
        return REVENUE
    return None


# --- periods ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """1 January of `year` up to and including `end`."""

    year: int
    end: date

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def full_year(self) -> bool:
        return self.end == date(self.year, 12, 31)

    @classmethod
    def whole(cls, year: int) -> Period:
        return cls(year, date(year, 12, 31))

    @classmethod
    def first_half(cls, year: int) -> Period:
        return cls(year, date(year, 6, 30))

    @classmethod
    def until(cls, year: int, end: date) -> Period:
        if end.year != year:
            raise ParameterError(f"{{param:till}} {end.isoformat()} is not in {year}: the cut-off must be a date in "
                                 "the year asked for")
        return cls(year, end)


# --- selecting rows --------------------------------------------------------------------


def years_in(values: pd.Series) -> str:
    years = sorted({int(y) for y in values.dropna()})
    return ", ".join(str(y) for y in years) or "none"


def outcome_rows(utfall: pd.DataFrame, period: Period, file: str) -> pd.DataFrame:
    """Outcome rows in the period as post, grupp, ore.

    Transactions (rows with a Datum) count by their date, from 1 January to the cut-off;
    aggregated rows (År only) count for their whole year, so they cannot be cut off.
    """
    if "datum" in utfall:
        dated = utfall["datum"].notna()
        start, stop = pd.Timestamp(period.start), pd.Timestamp(period.end + timedelta(days=1))
        in_period = dated & (utfall["datum"] >= start) & (utfall["datum"] < stop)
    else:
        dated = pd.Series(False, index=utfall.index)
        in_period = dated
    aggregated = ~dated & (utfall["ar"] == period.year)
    if aggregated.any() and not period.full_year:
        raise UsageError(f"{file}: the outcome for {period.year} is given per year (År without Datum) on "
                         f"{int(aggregated.sum())} row(s), so it cannot be cut off at {period.end.isoformat()}; "
                         "use accounting transactions with a Datum column")
    rows = utfall[in_period | aggregated]
    grupp = rows["grupp"] if "grupp" in rows else pd.Series(None, index=rows.index, dtype="object")
    return pd.DataFrame({"post": rows["post"], "grupp": grupp, "ore": to_ore(rows["belopp"])})


def budget_rows(budget: pd.DataFrame, year: int, period: BudgetPeriod = BudgetPeriod.HELAR) -> pd.DataFrame:
    """Budget rows for the year as post, grupp, ore (and prognos_ore where the file has a forecast)."""
    in_year = budget["ar"] == year
    if "period" in budget:
        marked = budget["period"].fillna(BudgetPeriod.HELAR.value)
        in_year &= marked == period.value
    elif period is not BudgetPeriod.HELAR:
        in_year &= False
    rows = budget[in_year]
    out = pd.DataFrame({"post": rows["post"], "grupp": rows["grupp"], "ore": to_ore(rows["belopp"])})
    if "prognos" in rows:
        out["prognos_ore"] = to_ore(rows["prognos"].fillna(0)).where(rows["prognos"].notna())
    return out


def groups_elsewhere(budget: pd.DataFrame, year: int) -> dict[str, str]:
    """Line key -> its group in the budget of the nearest other year (earlier years win ties)."""
    others = budget[budget["ar"] != year]
    out: dict[str, str] = {}
    for other in sorted({int(y) for y in others["ar"].dropna()}, key=lambda y: (abs(y - year), y)):
        rows = others[others["ar"] == other]
        for post, grupp in zip(rows["post"], rows["grupp"], strict=True):
            out.setdefault(line_key(post), grupp)
    return out


def group_order(budget: pd.DataFrame) -> list[str]:
    """Every group of the budget file, in order of first appearance."""
    return list(dict.fromkeys(budget["grupp"].dropna()))


# --- renamed and merged lines ----------------------------------------------------------


@dataclass(frozen=True)
class Merge:
    """Lines on one side (`side` 0 or 1) summed under a newer or older line's name."""

    new: str
    olds: tuple[str, ...]
    side: int


def plan_merges(names: Sequence[Iterable[str]], mapping: Mapping[str, Sequence[str]]) -> list[Merge]:
    """Apply `budget.radmappning` {name: [names it replaces]} between two sides.

    Where one side has the mapped name and the other has none of it but some of the
    replaced names, those are summed under the mapped name on that other side. The
    mapping works in both directions (merged lines, and a line split into several).
    """
    keys = [{line_key(n) for n in side} for side in names]
    merges: list[Merge] = []
    for new, olds in mapping.items():
        k = line_key(new)
        for side in (0, 1):
            other = 1 - side
            if k in keys[other] and k not in keys[side]:
                present_olds = tuple(o for o in olds if line_key(o) in keys[side])
                if present_olds:
                    merges.append(Merge(new, present_olds, side))
    return merges


def rename_posts(frame: pd.DataFrame, merges: Iterable[Merge], side: int) -> pd.DataFrame:
    table = {line_key(o): m.new for m in merges if m.side == side for o in m.olds}
    if not table or frame.empty:
        return frame
    return frame.assign(post=frame["post"].map(lambda p: table.get(line_key(p), p)))


def rename_to_lines(frame: pd.DataFrame, merges: Iterable[Merge], line_keys: set[str]) -> pd.DataFrame:
    """Move rows of a side file (financing, explanations) from replaced names to the line shown."""
    table = {line_key(o): m.new for m in merges for o in m.olds if line_key(o) not in line_keys}
    if not table or frame.empty:
        return frame
    return frame.assign(post=frame["post"].map(lambda p: table.get(line_key(p), p)))


# --- lines -----------------------------------------------------------------------------


@dataclass
class Lines:
    """One row per budget line in report order: key, post, grupp, klass and one öre column per measure."""

    frame: pd.DataFrame
    measures: list[str]
    notes: list[str] = field(default_factory=list)

    def keys(self) -> set[str]:
        return set(self.frame["key"])


def assemble(sources: Sequence[tuple[str, pd.DataFrame]], elsewhere: Mapping[str, str] | None = None,
             file_groups: Sequence[str] = (), first_is_budget: bool = True, budget_file: str = "budget",
             year: int | None = None) -> Lines:
    """Combine per-measure rows (post, grupp, ore) into lines, each in exactly one group.

    A line's group is the first source's (the budget), else the group the other sources
    give it, else its group in another year's budget (`elsewhere`), else a guess from its
    name for revenue and financial lines, else the first cost group; the last three are
    noted. Groups keep their order of first appearance; lines too, within their group.
    """
    elsewhere = elsewhere or {}
    names: dict[str, str] = {}
    group_of: dict[str, str] = {}
    group_names: dict[str, str] = {}
    amounts: dict[str, dict[str, int]] = {}
    notes: list[str] = []

    def add_group(grupp: str) -> str:
        return group_names.setdefault(line_key(grupp), grupp)

    for index, (measure, rows) in enumerate(sources):
        keyed = rows.assign(key=rows["post"].map(line_key))
        if index == 0 and first_is_budget:
            _check_budget_groups(keyed, budget_file, year)
        grouped = keyed.groupby("key", sort=False).agg(post=("post", "first"), grupp=("grupp", "first"),
                                                      ore=("ore", "sum"), rows=("ore", "size"))
        if index == 0 and first_is_budget:
            doubled = [str(p) for p, n in zip(grouped["post"], grouped["rows"], strict=True) if n > 1]
            if doubled:
                notes.append(f"{join_sv(doubled)} har flera budgetrader {year}; raderna har summerats.")
        sums: dict[str, int] = {}
        for key, post, grupp, ore in zip(grouped.index, grouped["post"], grouped["grupp"], grouped["ore"],
                                         strict=True):
            names.setdefault(key, str(post))
            if isinstance(grupp, str) and grupp and key not in group_of:
                group_of[key] = add_group(grupp)
            sums[key] = int(ore)
        amounts[measure] = sums

    placed_elsewhere: list[str] = []
    guessed: dict[str, list[str]] = {}
    for key, name in names.items():
        if key in group_of:
            continue
        if key in elsewhere:
            group_of[key] = add_group(elsewhere[key])
            placed_elsewhere.append(f"{name} ({group_of[key]})")
            continue
        klass = _class_by_name(name)
        if klass is not None:
            default = REVENUE_GROUP if klass == REVENUE else FINANCIAL_GROUP
            known = [g for g in (*group_names.values(), *file_groups) if group_class(g) == klass]
            group_of[key] = add_group(known[0] if known else default)
        else:
            costs = [g for g in (*group_names.values(), *file_groups) if group_class(g) == COST]
            group_of[key] = add_group(costs[0] if costs else FALLBACK_COST_GROUP)
        guessed.setdefault(group_of[key], []).append(name)
    if placed_elsewhere:
        notes.append(f"Utan budget detta år har {join_sv(placed_elsewhere)} fått sin grupp från budgeten för "
                     "ett annat år.")
    if guessed:
        placed = join_sv([f"{join_sv(posts)} under {grupp}" for grupp, posts in guessed.items()])
        notes.append(f"Utan budget och grupp i underlaget redovisas {placed} (efter postens namn, annars under den "
                     "första kostnadsgruppen). Ange Grupp i utfallet, eller en budgetrad med 0 kr, för att placera "
                     "en post på annat sätt.")

    groups = list(dict.fromkeys(group_of[k] for k in names))
    rank = {g: (("cost", "revenue", "financial").index(group_class(g)), i) for i, g in enumerate(groups)}
    ordered = sorted(names, key=lambda k: rank[group_of[k]])  # stable: first appearance within a group
    measures = [m for m, _ in sources]
    frame = pd.DataFrame({
        "key": ordered,
        "post": [names[k] for k in ordered],
        "grupp": [group_of[k] for k in ordered],
        "klass": [group_class(group_of[k]) for k in ordered],
        **{m: pd.array([amounts[m].get(k, 0) for k in ordered], dtype="int64") for m in measures},
    })
    return Lines(frame, measures, notes)


def _check_budget_groups(keyed: pd.DataFrame, file: str, year: int | None) -> None:
    groups = keyed.assign(g=keyed["grupp"].map(line_key)).groupby("key", sort=False)["g"].nunique()
    clash = groups[groups > 1]
    if len(clash):
        key = clash.index[0]
        rows = keyed[keyed["key"] == key]
        raise DataError(f"{file}: the line {rows['post'].iloc[0]!r} is in more than one group in {year} "
                        f"({join_sv(list(dict.fromkeys(rows['grupp'])))}); a line belongs to one group")


# --- layout: lines, subtotals, total and result ----------------------------------------


@dataclass(frozen=True)
class LayoutRow:
    label: str
    style: Style
    role: str  # "line", "subtotal", "total" (all costs) or "result"
    klass: str | None
    values: dict[str, int]  # öre per measure
    key: str | None = None  # the line's key, for "line" rows


def layout(lines: Lines, revenue_subtotal_min: int = 2) -> list[LayoutRow]:
    """Cost groups with `Summa <grupp>`, `Totalt`, revenues, financial items and `Resultat`.

    Resultat = revenues + financial items − costs, for every measure. Revenue and financial
    groups get a subtotal only when they hold at least `revenue_subtotal_min` lines.
    """
    frame, measures = lines.frame, lines.measures

    def sums(part: pd.DataFrame) -> dict[str, int]:
        return {m: int(part[m].sum()) for m in measures}

    rows: list[LayoutRow] = []
    for klass in (COST, REVENUE, FINANCIAL):
        part_all = frame[frame["klass"] == klass]
        for grupp, part in part_all.groupby("grupp", sort=False):
            rows.extend(LayoutRow(str(rec.post), Style.NORMAL, "line", klass,
                                  {m: int(getattr(rec, m)) for m in measures}, str(rec.key))
                        for rec in part.itertuples(index=False))
            if klass == COST or len(part) >= revenue_subtotal_min:
                rows.append(LayoutRow(f"Summa {str(grupp).lower()}", Style.SUBTOTAL, "subtotal", klass, sums(part)))
        if klass == COST:
            rows.append(LayoutRow("Totalt", Style.TOTAL, "total", COST, sums(part_all)))
    total = {klass: sums(frame[frame["klass"] == klass]) for klass in (COST, REVENUE, FINANCIAL)}
    result = {m: total[REVENUE][m] + total[FINANCIAL][m] - total[COST][m] for m in measures}
    rows.append(LayoutRow("Resultat", Style.TOTAL, "result", None, result))
    return rows


def cost_lines(rows: list[LayoutRow]) -> tuple[int, ...]:
    """The indexes of the cost lines (no subtotals, no revenue): what a budget chart plots.

    Revenue (member fees, ESF) is several times any cost line and would flatten the bars.
    """
    return tuple(i for i, r in enumerate(rows) if r.role == "line" and r.klass == COST)


def rounding_note(lines: Lines, unit: str) -> str | None:
    """Say that rounded rows may not add up, where that can happen."""
    if unit == "tkr":
        return ("Beloppen visas i hela tusental kronor; summor och differenser är räknade på exakta belopp, "
                "så avrundningsdifferenser kan förekomma.")
    if any(bool((lines.frame[m] % ORE_PER_KRONA != 0).any()) for m in lines.measures):
        return ("Beloppen visas i hela kronor; summor och differenser är räknade på exakta belopp i öre, "
                "så avrundningsdifferenser på någon krona kan förekomma.")
    return None


def check_totals(lines: Lines, expected: Mapping[str, int], labels: Mapping[str, str],
                 booked_result: str | None = None) -> Text:
    """Check that the lines add up to the input totals (DataError otherwise); the note shows, per
    measure, revenues − costs + financial items = the result, as the economist checks it.
    `booked_result` names where the outcome's result was also found equal to the accounts' own."""
    parts = []
    for measure, want in expected.items():
        got = int(lines.frame[measure].sum())
        if got != want:
            raise DataError(f"internal check failed: the report's lines sum to {got / 100:.2f} kr for "
                            f"{labels[measure]}, the input to {want / 100:.2f} kr")
        by_class = {k: int(lines.frame.loc[lines.frame["klass"] == k, measure].sum())
                    for k in (REVENUE, COST, FINANCIAL)}
        result = by_class[REVENUE] - by_class[COST] + by_class[FINANCIAL]
        financial = kronor_text(by_class[FINANCIAL])
        parts.append(Text(f"{labels[measure]} ") + kronor_text(by_class[REVENUE]) + Text(" − ")
                     + kronor_text(by_class[COST]) + Text(" + ")
                     + (Text("(") + financial + Text(")") if by_class[FINANCIAL] < 0 else financial)
                     + Text(" = ") + kronor_text(result))
    note = Text("Kontroll: intäkter − kostnader + finansiella poster = resultat; ") + join_text(parts) + "."
    if booked_result:
        note += Text(f" Utfallets resultat är detsamma som årets resultat i bokföringen ({booked_result}).")
    return note

