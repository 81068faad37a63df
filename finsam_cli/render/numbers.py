"""Numbers the Swedish way: `1 499 034` (no-break space), `−970 966` (U+2212), `59 %`, `7,4`."""

from __future__ import annotations

from datetime import date

from ..reports.model import Cell, Kind, Suppressed, Text, Value
from ..rounding import NBSP, format_number, round_half_up

SUPPRESSED_TEXT = ".."


def format_percent(fraction: float, decimals: int = 0) -> str:
    # Rounded as a fraction, so 0.575 (92 of 160) is 58 %, not the 57 % that 0.575 × 100 = 57.4999… would give.
    return f"{format_number(float(round_half_up(fraction, decimals + 2) * 100), decimals)}{NBSP}%"


def format_cell(value: Cell, kind: Kind) -> str:
    if isinstance(value, Suppressed):
        return SUPPRESSED_TEXT
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    if kind is Kind.PERCENT:
        return format_percent(value)
    if kind is Kind.SHARE:
        return format_percent(value, 1)
    if kind is Kind.DECIMAL:
        return format_number(value, 1)
    if kind is Kind.YEAR:
        return str(int(value))
    return format_number(value)


def format_value(value: Value) -> str:
    """A number in running text: as in a cell, but an amount keeps its öre when it has any."""
    v = value.value
    if isinstance(v, Suppressed):
        return SUPPRESSED_TEXT
    if isinstance(v, date):
        return v.isoformat()
    if value.kind is Kind.AMOUNT and not float(v).is_integer():
        return format_number(v, 2)
    return format_cell(v, value.kind)


def plain(text: Text | str) -> str:
    """Structured text as a string, its values formatted the Swedish way."""
    if isinstance(text, str):
        return text
    return "".join(p if isinstance(p, str) else format_value(p) for p in text.parts)
