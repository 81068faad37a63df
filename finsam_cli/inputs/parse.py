"""Vectorised parsers for Swedish amounts, dates and integers.

Each returns the parsed column and leaves unparseable non-empty cells as missing,
so callers find bad cells as `present & parsed.isna()`. Work happens on the unique
values where a column repeats a lot, never in a per-row Python loop.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pandas as pd

# Thousands separators: space, no-break space, narrow no-break space, thin space.
_SPACES = r"[ \u00a0\u202f\u2009]"
_AMOUNT = r"[+-]?\d+(?:\.\d+)?"
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
MIN_DATE = pd.Timestamp("1900-01-01")
MAX_DATE = pd.Timestamp("2100-12-31")
MAX_AMOUNT = 1e12


def category_positions(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """The distinct values a categorical column uses (a missing value last, if any) and each row's position.

    Unused categories (rows dropped since reading) are left out, so nothing is said about them.
    """
    codes = values.cat.codes.to_numpy()
    categories = values.cat.categories
    used = np.zeros(len(categories) + 1, dtype=bool)
    used[codes] = True  # code -1 (missing) marks the last slot
    if used[:-1].all() and not used[-1]:  # as read: every category used, none missing
        return pd.Series(categories, name=values.name), codes
    keep = np.flatnonzero(used[:-1])
    uniques = pd.Series(categories[keep], name=values.name)
    if used[-1]:
        uniques = pd.concat([uniques, pd.Series([np.nan], dtype=uniques.dtype, name=values.name)], ignore_index=True)
    remap = np.zeros(len(used), dtype=np.intp)
    remap[keep] = np.arange(len(keep))
    remap[-1] = len(keep)
    return uniques, remap[codes]


def per_distinct(values: pd.Series, fn: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """`fn`, a cell-by-cell function, run once per distinct value and spread back to the rows.

    The CSV reader gives columns that repeat as categoricals of text, so this runs over the
    categories in use (a few hundred values) instead of a million rows, with the same result.
    """
    if _categorical(values):
        uniques, positions = category_positions(values)
    else:
        positions, distinct = pd.factorize(values, use_na_sentinel=False)
        uniques = pd.Series(distinct, dtype=values.dtype, name=values.name)
    result = fn(uniques)
    return pd.Series(result.array.take(positions), index=values.index, name=result.name)


def per_category(values: pd.Series, test: Callable[[pd.Series], object]) -> np.ndarray:
    """A vectorised test of a categorical column's values, run once per category; False where missing.

    Unlike `per_distinct` it does not look for the categories in use: a test of all of them costs
    less, which matters for a column of ids (a million categories).
    """
    verdicts = np.append(np.asarray(test(pd.Series(values.cat.categories)), dtype=bool), False)
    return verdicts.take(values.cat.codes.to_numpy())  # take: half the time of [] with small-int codes


def _categorical(values: pd.Series) -> bool:
    return isinstance(values.dtype, pd.CategoricalDtype)


# xlsx cells of these kinds (apart from empty ones) never read as blank text.
_NEVER_BLANK = frozenset({"datetime", "datetime64", "date", "time", "timedelta", "timedelta64", "integer",
                          "floating", "mixed-integer-float", "boolean", "decimal"})


def _filled(text: pd.Series) -> pd.Series:
    """Not blank: for text that is never missing."""
    return text.str.strip() != ""


def present(values: pd.Series) -> pd.Series:
    """True where a cell holds something (not missing, not blank text)."""
    if _categorical(values):
        # Categories of text (pyarrow's, as astype("string") makes them) are never missing: only the blank
        # test, in a few pandas calls instead of present's dozen (a fixed cost of every column).
        text = getattr(values.cat.categories.dtype, "storage", None) == "pyarrow"
        return pd.Series(per_category(values, _filled if text else present), index=values.index)
    if values.dtype == object and pd.api.types.infer_dtype(values, skipna=True) in _NEVER_BLANK:
        return values.notna().astype("boolean")  # what the text test gives, without writing dates as text
    if values.dtype == object or isinstance(values.dtype, pd.StringDtype):
        text = values.astype("string")
        return text.notna() & (text.str.strip() != "")
    return values.notna()


def _as_text(values: pd.Series) -> pd.Series:
    return values.astype("string").str.strip()


def parse_amounts(values: pd.Series) -> pd.Series:
    """`1 499 034`, `1499034,50`, `−970 966`, or real numbers -> float64 (NaN if bad).

    Amounts beyond ±10^12 are rejected: no association handles that much, so it is a typo.
    """
    if _categorical(values):
        return per_distinct(values, parse_amounts)
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        out = values.astype("float64")
    elif values.dtype == object:
        numeric = pd.to_numeric(values.where(values.map(type).isin((int, float))), errors="coerce")
        out = numeric.astype("float64").fillna(_parse_amount_text(_as_text(values.where(numeric.isna()))))
    else:  # text only (a CSV's column): no number cells to take first
        out = _parse_amount_text(_as_text(values))
    return out.where(out.abs() < MAX_AMOUNT)


def _parse_amount_text(text: pd.Series) -> pd.Series:
    plain = text.str.fullmatch(_AMOUNT)
    if plain.fillna(True).all():  # plain numbers (the usual file): the clean-up below would change none
        cleaned, ok = text, plain.fillna(False).astype(bool)
    else:
        cleaned = (
            text.str.replace(_SPACES, "", regex=True)
            .str.replace("\u2212", "-", regex=False)
            .str.replace("\u2013", "-", regex=False)
            .str.replace(r"(?i)\s*(kr|sek|:-)$", "", regex=True)
            .str.replace(",", ".", regex=False)
        )
        ok = cleaned.str.fullmatch(_AMOUNT).fillna(False).astype(bool)
    return pd.to_numeric(cleaned.where(ok), errors="coerce").astype("float64")


def parse_integers(values: pd.Series) -> pd.Series:
    """Whole numbers (years, counts) -> float64 holding integers, NaN if bad."""
    if _categorical(values):
        return per_distinct(values, parse_integers)
    amounts = parse_amounts(values)
    return amounts.where(amounts == np.floor(amounts))


_TEXT_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y%m%d", "%Y/%m/%d", "%Y-%m-%dT%H:%M:%S")


def parse_dates(values: pd.Series) -> pd.Series:
    """ISO dates, `YYYY-MM-DD HH:MM:SS`, `YYYYMMDD`, Excel date cells or serials -> datetime64[ns].

    Dates outside 1900–2100 are treated as unparseable: they are typos, not history.
    """
    if _categorical(values):
        return per_distinct(values, parse_dates)
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        out = _in_range(values)
    else:
        out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
        if values.dtype == object:
            out = out.fillna(_from_objects(values))
        todo = out.isna() & present(values)
        if todo.any():
            out = out.fillna(_from_text(_as_text(values[todo])))
    return out.dt.normalize()


def _in_range(parsed: pd.Series) -> pd.Series:
    """Drop dates outside 1900–2100 before they overflow nanosecond resolution."""
    return parsed.where((parsed >= MIN_DATE) & (parsed <= MAX_DATE)).astype("datetime64[ns]")


def _from_objects(values: pd.Series) -> pd.Series:
    """Cells an xlsx reader already typed: datetimes, dates, or serial numbers."""
    kinds = values.map(type)
    is_datetime = kinds.isin((dt.datetime, pd.Timestamp, dt.date))
    out = _in_range(pd.to_datetime(values.where(is_datetime), errors="coerce"))
    is_number = kinds.isin((int, float))
    if is_number.any():
        serial = pd.to_numeric(values.where(is_number), errors="coerce")
        serial = serial.where((serial > 0) & (serial < 2958466))
        out = out.fillna(_in_range(EXCEL_EPOCH + pd.to_timedelta(serial, unit="D")))
    return out


def _from_text(text: pd.Series) -> pd.Series:
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    for fmt in _TEXT_FORMATS:
        todo = out.isna()
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        out = out.fillna(_in_range(parsed))
    return out
