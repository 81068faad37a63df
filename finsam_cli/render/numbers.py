"""Numbers the Swedish way: `1 499 034` (no-break space), `−970 966` (U+2212), `59 %`, `7,4`."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from ..reports.model import Cell, Kind, Suppressed

NBSP = "\u00a0"
MINUS = "\u2212"
SUPPRESSED_TEXT = ".."


def round_half_up(value: float, decimals: int = 0) -> Decimal:
    """Round as people do (2,5 -> 3), not as floats do (banker's rounding)."""
    quantum = Decimal(1).scaleb(-decimals)
    return Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)


def format_number(value: float, decimals: int = 0) -> str:
    rounded = round_half_up(value, decimals)
    if rounded == 0:
        rounded = abs(rounded)  # never print −0
    sign = MINUS if rounded < 0 else ""
    whole, _, frac = f"{abs(rounded):.{decimals}f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", NBSP)
    return sign + grouped + ("," + frac if frac else "")


def format_percent(fraction: float, decimals: int = 0) -> str:
    return f"{format_number(fraction * 100, decimals)}{NBSP}%"


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
    return format_number(value)
