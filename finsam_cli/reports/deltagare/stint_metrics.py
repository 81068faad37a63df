"""Stint counts over periods, for every group (insats, sex) in one vectorised pass.

A stint is *active* in a period when it started on or before the period's last day
and did not end before its first day; *new* when it started in the period; *ended*
when it ended in the period. Each stint gets the bin it started in, the bin it
ended in and the range of bins it was active in (via `searchsorted`), and counts
are `bincount`s over `group * bins + bin`, so the cost is linear in the stints and
independent of the number of periods and groups.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from ...inputs.parse import per_distinct
from ...inputs.schema import Avslutsorsak, Forsorjning

DAYS_PER_MONTH = 365.25 / 12

# Exit reasons counted separately, as (column, canonical value).
REASONS: tuple[tuple[str, str], ...] = (
    ("arbete", Avslutsorsak.ARBETE.value),
    ("studier", Avslutsorsak.STUDIER.value),
    ("arbetsforberedande", Avslutsorsak.ARBETSFORBEREDANDE.value),
    ("annat", Avslutsorsak.ANNAT.value),
    ("okand", Avslutsorsak.OKAND.value),
)
# Exits that received an insats: the shares' denominator where an insats says namnare = "med_insats".
WITH_INSATS = ("avslutade_med_insats", "arbete_med_insats", "studier_med_insats", "arbetsforberedande_med_insats")
FLOW_COLUMNS: tuple[str, ...] = (
    "deltagare", "deltagare_med_insats", "nya", "avslutade", *(name for name, _ in REASONS), "dagar",
    *WITH_INSATS,
)


@dataclass(frozen=True)
class Period:
    """A reporting period: whole days from `first` to `last`, both included."""

    first: date
    last: date
    label: str

    @property
    def year(self) -> int:
        return self.last.year

    @property
    def whole_year(self) -> bool:
        return (self.first.month, self.first.day, self.last.month, self.last.day) == (1, 1, 12, 31) \
            and self.first.year == self.last.year


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), str(year))


def half_year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 6, 30), f"jan–juni {year}")


def history_periods(first_year: int, period: Period) -> list[Period]:
    """Whole years from `first_year`, then the report period itself (a year or a half-year)."""
    return [year_period(y) for y in range(first_year, period.year)] + [period]


# --- binning ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Bins:
    """Sorted, non-overlapping periods as [start, stop) days (days since 1970-01-01).

    Dates are looked up in per-day tables built once (a few thousand days) rather than searched
    for: a million lookups cost a fifth of what `searchsorted` on datetimes does.
    """

    starts: np.ndarray
    stops: np.ndarray

    @classmethod
    def of(cls, periods: Sequence[Period]) -> Bins:
        starts = np.array([np.datetime64(p.first, "D") for p in periods]).view(np.int64)
        stops = np.array([np.datetime64(p.last + timedelta(days=1), "D") for p in periods]).view(np.int64)
        if len(periods) > 1 and not (stops[:-1] <= starts[1:]).all():
            raise ValueError("periods must be sorted and must not overlap")
        return cls(starts, stops)

    def __len__(self) -> int:
        return len(self.starts)

    def _lookup(self, days: np.ndarray, edges: np.ndarray) -> np.ndarray:
        """`np.searchsorted(edges, days, side="right")` via a table over the bins' days (and one either side)."""
        return self._per_day(days, lambda span: np.searchsorted(edges, span, side="right"))

    def _per_day(self, days: np.ndarray, table_of: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
        """`table_of(days)` looked up in a table made over the bins' days (and one either side, which stands
        for every day before or after them; NaT is the smallest day)."""
        low, high = int(self.starts[0]) - 1, int(self.stops[-1])
        return table_of(np.arange(low, high + 1))[np.clip(days, low, high) - low]

    def containing(self, moments: pd.Series) -> np.ndarray:
        """Index of the bin each moment falls in; -1 when in none (or NaT)."""
        return self.containing_days(_days(moments))

    def containing_days(self, days: np.ndarray) -> np.ndarray:
        def bin_of(span: np.ndarray) -> np.ndarray:  # per day of the table, not per row
            idx = np.searchsorted(self.starts, span, side="right") - 1
            return np.where((idx >= 0) & (span < self.stops[np.maximum(idx, 0)]), idx, -1)

        return self._per_day(days, bin_of)

    def active(self, start: pd.Series, end: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        """First and last bin each stint is active in; first > last when in none."""
        return self.active_days(_days(start), _days(end))

    def active_days(self, s: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        first = self._lookup(s, self.stops)  # first bin ending after the start
        last = self._lookup(e, self.starts) - 1  # last bin starting on or before the end
        last = np.where(e == _NAT_DAY, len(self) - 1, last)
        first = np.where(s == _NAT_DAY, len(self), first)
        return first, last


_NAT_DAY = np.datetime64("NaT", "D").view(np.int64)


def _days(moments: pd.Series) -> np.ndarray:
    """Each moment's day (days since 1970-01-01); NaT becomes the smallest int64."""
    return moments.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").view(np.int64)


# --- grouping --------------------------------------------------------------------------


def group_codes(frame: pd.DataFrame, by: Sequence[str]) -> tuple[np.ndarray, list[pd.Index]]:
    """One integer per row for the combination of categorical `by` columns (-1: a key is missing).

    Returns the codes and each column's categories, in category order (the codes' order).
    """
    codes = np.zeros(len(frame), dtype=np.int64)
    valid = np.ones(len(frame), dtype=bool)
    levels = []
    for name in by:
        column = frame[name]
        if not isinstance(column.dtype, pd.CategoricalDtype):
            column = column.astype("category")
        c = column.cat.codes.to_numpy().astype(np.int64)
        valid &= c >= 0
        codes = codes * len(column.cat.categories) + c
        levels.append(column.cat.categories)
    return np.where(valid, codes, -1), levels


def _bincount(keys: np.ndarray, size: int, weights: np.ndarray | None = None) -> np.ndarray:
    return np.bincount(keys, weights=weights, minlength=size)[:size]


# --- flows -----------------------------------------------------------------------------


def flows(stints: pd.DataFrame, periods: Sequence[Period], by: Sequence[str]) -> pd.DataFrame:
    """Counts per group and period: deltagare, nya, avslutade, exits by reason, days enrolled of the exits.

    Index: the `by` categories (all combinations, observed or not) and `bin`, the period's position.
    """
    bins = Bins.of(periods)
    nb = len(bins)
    group, levels = group_codes(stints, by)
    n_groups = int(np.prod([len(level) for level in levels]))
    size = n_groups * nb
    grouped = group >= 0
    fatt = stints["fatt_insats"].to_numpy(dtype=bool)
    out: dict[str, np.ndarray] = {}

    s, e = _days(stints["inskrivningsdatum"]), _days(stints["avslutsdatum"])
    first, last = bins.active_days(s, e)
    # Active stints add 1 from their first bin and take it away after their last: a running sum per group.
    stride = nb + 1
    ok = grouped & (first <= last)
    row = group[ok] * stride
    enter, leave, with_fatt = row + first[ok], row + last[ok] + 1, fatt[ok]
    for name, (enters, leaves) in (("deltagare", (enter, leave)),
                                   ("deltagare_med_insats", (enter[with_fatt], leave[with_fatt]))):
        diff = _bincount(enters, n_groups * stride) - _bincount(leaves, n_groups * stride)
        out[name] = diff.reshape(n_groups, stride).cumsum(axis=1)[:, :nb].reshape(-1)

    new_bin = bins.containing_days(s)
    ok = grouped & (new_bin >= 0)
    out["nya"] = _bincount(group[ok] * nb + new_bin[ok], size)

    # Exits per (group, bin, reason) in one count; a missing or other reason takes the last slot.
    end_bin = bins.containing_days(e)
    ended = grouped & (end_bin >= 0)
    reason_codes = _reason_codes(stints["avslutsorsak"])
    key = ((group[ended] * nb + end_bin[ended]) * _REASON_SLOTS + reason_codes[ended])  # the exits only
    by_reason = _bincount(key, size * _REASON_SLOTS).reshape(size, _REASON_SLOTS)
    by_reason_fatt = _bincount(key[fatt[ended]], size * _REASON_SLOTS).reshape(size, _REASON_SLOTS)
    out["avslutade"] = by_reason.sum(axis=1)
    out["avslutade_med_insats"] = by_reason_fatt.sum(axis=1)
    for slot, (name, _) in enumerate(REASONS):
        out[name] = by_reason[:, slot]
        if f"{name}_med_insats" in WITH_INSATS:
            out[f"{name}_med_insats"] = by_reason_fatt[:, slot]
    s, e = s[ended], e[ended]
    days = np.where((s == _NAT_DAY) | (e == _NAT_DAY), 0, e - s).astype(float)
    out["dagar"] = _bincount(key // _REASON_SLOTS, size, weights=days)

    full_index = pd.MultiIndex.from_product([*levels, range(nb)], names=[*by, "bin"])
    frame = pd.DataFrame({name: out[name] for name in FLOW_COLUMNS}, index=full_index)
    counts = [c for c in FLOW_COLUMNS if c != "dagar"]
    frame[counts] = frame[counts].astype(np.int64)
    return frame


_REASON_SLOTS = len(REASONS) + 1


def _reason_codes(reasons: pd.Series) -> np.ndarray:
    """Each stint's position in REASONS; len(REASONS) for a missing or any other reason."""
    column = reasons if isinstance(reasons.dtype, pd.CategoricalDtype) else reasons.astype("category")
    slot = {value: i for i, (_, value) in enumerate(REASONS)}
    per_category = np.array([slot.get(str(c), len(REASONS)) for c in column.cat.categories] + [len(REASONS)])
    return per_category[column.cat.codes.to_numpy()]


def add_anonymous(flow: pd.DataFrame, anonyma: pd.DataFrame, periods: Sequence[Period], by: str) -> pd.DataFrame:
    """Add anonymous participants (per insats and year, by sex) to `deltagare` of whole-year periods.

    `anonyma` has the `by` column (same categories as in `flow`), `ar`, `kvinnor`, `man`; `flow` is
    indexed by (`by`, `kon`, `bin`). Half-years get nothing: a yearly count cannot be placed in them.
    """
    out = flow.copy()
    bin_of_year = {p.year: i for i, p in enumerate(periods) if p.whole_year}
    if anonyma.empty or not bin_of_year:
        return out
    rows = anonyma[anonyma[by].notna() & anonyma["ar"].isin(list(bin_of_year))]
    if rows.empty:
        return out
    long = pd.DataFrame({
        by: np.concatenate([rows[by].to_numpy(), rows[by].to_numpy()]),
        "kon": ["Kvinna"] * len(rows) + ["Man"] * len(rows),
        "bin": np.concatenate([rows["ar"].map(bin_of_year).to_numpy()] * 2).astype(np.int64),
        "antal": np.concatenate([rows["kvinnor"].fillna(0).to_numpy(), rows["man"].fillna(0).to_numpy()]),
    })
    added = long.groupby([by, "kon", "bin"], observed=True)["antal"].sum()
    added = added.reindex(out.index, fill_value=0).astype(np.int64)
    out["deltagare"] = out["deltagare"] + added.to_numpy()
    return out


def unique_persons(stints: pd.DataFrame, periods: Sequence[Period], by: str) -> pd.Series:
    """Distinct persons with a stint active in any of the periods, per `by` category."""
    first, last = Bins.of(periods).active(stints["inskrivningsdatum"], stints["avslutsdatum"])
    group, (categories,) = group_codes(stints, [by])
    person, (persons,) = group_codes(stints, ["person"])
    counted = (first <= last) & (group >= 0) & (person >= 0)
    pairs = group[counted] * len(persons) + person[counted]
    size = len(categories) * len(persons)
    if size <= _BITMAP_LIMIT:  # a flag per (category, person): cheaper than hashing the pairs
        seen = np.zeros(size, dtype=bool)
        seen[pairs] = True
        counts = seen.reshape(len(categories), len(persons)).sum(axis=1)
    else:
        counts = _bincount(pd.unique(pairs) // len(persons), len(categories))
    return pd.Series(counts, index=categories, dtype=np.int64)


_BITMAP_LIMIT = 1 << 27  # 128 MB of flags at most


def distinct_persons(stints: pd.DataFrame, periods: Sequence[Period]) -> int:
    """Distinct persons active in any of the periods, across every stint given."""
    first, last = Bins.of(periods).active(stints["inskrivningsdatum"], stints["avslutsdatum"])
    return int(stints.loc[first <= last, "person"].nunique())


# --- sources of support --------------------------------------------------------------------


def group_membership(values: pd.Series, groups: dict[str, list[Forsorjning]]) -> pd.DataFrame:
    """One boolean column per support group: does the stint name a source in it?

    `values` holds canonical sources joined by ", ". Each distinct value is split once;
    a stint with two sources of the same group is in that group once.
    """
    return pd.DataFrame(_membership(values, groups), index=values.index, columns=list(groups))


def _membership(values: pd.Series, groups: dict[str, list[Forsorjning]]) -> np.ndarray:
    """`group_membership` as a (rows, groups) boolean array."""
    column = values if isinstance(values.dtype, pd.CategoricalDtype) else values.astype("category")
    categories = [str(c) for c in column.cat.categories]
    members = {name: {s.value for s in sources} for name, sources in groups.items()}
    table = np.zeros((len(categories) + 1, len(groups)), dtype=bool)  # last row: missing value
    for i, text in enumerate(categories):
        named = {part.strip() for part in text.split(",") if part.strip()}
        table[i] = [bool(named & m) for m in members.values()]
    return table[column.cat.codes.to_numpy()]  # code -1 picks the all-False last row


def followed_up(values: pd.Series) -> pd.Series:
    """Whether a follow-up was recorded (non-empty sources); decided once per distinct value."""
    column = values if isinstance(values.dtype, pd.CategoricalDtype) else values.astype("category")
    filled = np.array([str(c).strip() != "" for c in column.cat.categories] + [False], dtype=bool)
    return pd.Series(filled[column.cat.codes.to_numpy()], index=values.index)


def followup_due(start: pd.Series, period: Period) -> pd.Series:
    """Whether the one-year follow-up (start + 12 months) falls in the period; worked out per distinct date."""
    def due_in_period(dates: pd.Series) -> pd.Series:
        due = dates + pd.DateOffset(months=12)
        return (due >= pd.Timestamp(period.first)) & (due < pd.Timestamp(period.last + timedelta(days=1)))

    return per_distinct(start, due_in_period)


def in_period(moments: pd.Series, period: Period) -> pd.Series:
    return pd.Series(Bins.of([period]).containing(moments) == 0, index=moments.index)


def mentions(stints: pd.DataFrame, before: str, after: str, groups: dict[str, list[Forsorjning]],
             by: str) -> pd.DataFrame:
    """Stints naming each support group before and after, per `by` category.

    Returns rows (`by`, group) with columns `fore`, `efter`, and the stints counted as `n` per `by`.
    """
    key = stints[by]
    n_keys, n_groups = len(key.cat.categories), len(groups)
    codes = key.cat.codes.to_numpy()
    keyed = codes >= 0
    # Counts per (category, group) as bincounts over category * groups + group: no groupby, stack or reindex.
    cells = (codes[keyed, None] * n_groups + np.arange(n_groups)).ravel()
    parts = {label: _bincount(cells[_membership(stints[column], groups)[keyed].ravel()], n_keys * n_groups)
             for label, column in (("fore", before), ("efter", after))}
    parts["n"] = np.repeat(_bincount(codes[keyed], n_keys), n_groups)
    index = pd.MultiIndex.from_product([key.cat.categories, list(groups)],
                                       names=[by, "grupp"])
    return pd.DataFrame({label: counts.astype(np.int64) for label, counts in parts.items()}, index=index)


# --- breakdowns ------------------------------------------------------------------------------

AGE_BANDS: tuple[tuple[str, int, int], ...] = (("16–24", 16, 24), ("25–49", 25, 49), ("50–64", 50, 64))
OTHER_AGE = "Övriga åldrar"
MISSING = "Uppgift saknas"


def age_band(start: pd.Series, birth_year: pd.Series,
             bands: Sequence[tuple[str, int, int]] = AGE_BANDS) -> pd.Series:
    """Age group from the age reached in the start year (the export has the birth year only)."""
    # Codes into [*bands, OTHER_AGE, MISSING], in numpy: a later band wins, as assigning in order would.
    age = (start.dt.year - birth_year).to_numpy(dtype="float64", na_value=np.nan)
    codes = np.full(len(age), len(bands), dtype=np.intp)
    for code, (_, low, high) in enumerate(bands):
        codes[(age >= low) & (age <= high)] = code
    codes[np.isnan(age)] = len(bands) + 1
    labels = [label for label, _, _ in bands]
    dtype = pd.CategoricalDtype([*labels, OTHER_AGE, MISSING])
    return pd.Series(pd.Categorical.from_codes(codes, dtype=dtype), index=start.index)


def by_sex(stints: pd.DataFrame, column: str, by: str) -> pd.DataFrame:
    """Counts per (`by`, value of `column`) with Kvinna/Man columns; a missing value counts as MISSING."""
    values = stints[column] if isinstance(stints[column].dtype, pd.CategoricalDtype) \
        else stints[column].astype("category")
    # Each category's label once (blank ones are MISSING), then rows by code; values sort as text.
    labels = [MISSING if str(c).strip() == "" else str(c) for c in values.cat.categories] + [MISSING]
    order = sorted(set(labels))
    rank = {label: i for i, label in enumerate(order)}
    position = np.array([rank[label] for label in labels])
    value = pd.Categorical.from_codes(position[values.cat.codes.to_numpy()], dtype=pd.CategoricalDtype(order))
    fast = _by_sex_counts(stints[by], value, stints["kon"])
    if fast is not None:
        fast.index.names = [by, column]
        return fast
    keys = pd.DataFrame({by: stints[by], "_value": value, "kon": stints["kon"]}, index=stints.index)
    table = keys.groupby([by, "_value", "kon"], observed=True).size()
    wide = table.unstack("kon", fill_value=0)
    for sex in ("Kvinna", "Man"):
        if sex not in wide:
            wide[sex] = 0
    wide = wide[["Kvinna", "Man"]].astype(np.int64)
    wide.index.names = [by, column]
    return wide


_SEXES = ("Kvinna", "Man")


def _by_sex_counts(group: pd.Series, value: pd.Categorical[Any], kon: pd.Series) -> pd.DataFrame | None:
    """`by_sex`'s frame from one bincount over the codes, when the group is a categorical without a missing
    value and Kön the Kvinna/Man categorical with both sexes (the reports' case); None: the groupby makes it.

    The same frame as the groupby's (observed=True): rows are the (group, value) pairs present, in code
    order, and each index level holds the categories present, as a categorical of the column's dtype.
    """
    if not isinstance(group.dtype, pd.CategoricalDtype) or not isinstance(kon.dtype, pd.CategoricalDtype) \
            or tuple(kon.cat.categories) != _SEXES:
        return None
    g, v, k = (np.asarray(c, dtype=np.int64) for c in (group.cat.codes, value.codes, kon.cat.codes))
    if (g < 0).any() or (k < 0).any() or not (k == 0).any() or not (k == 1).any():
        return None  # a missing key, or one sex only: the groupby orders those its own way
    n_values = len(value.categories)
    counts = _bincount((g * n_values + v) * 2 + k, len(group.cat.categories) * n_values * 2).reshape(-1, 2)
    pairs = np.flatnonzero(counts.sum(axis=1))
    levels: list[Any] = []
    codes: list[Any] = []
    for dtype, pair_codes in ((group.dtype, pairs // n_values), (value.dtype, pairs % n_values)):
        used = np.unique(pair_codes)
        levels.append(pd.CategoricalIndex(pd.Categorical.from_codes(used, dtype=dtype)))
        codes.append(np.searchsorted(used, pair_codes))
    index = pd.MultiIndex(levels=levels, codes=codes)
    columns = pd.CategoricalIndex(list(_SEXES), dtype=kon.dtype, name="kon")
    return pd.DataFrame(counts[pairs].astype(np.int64), index=index, columns=columns)
