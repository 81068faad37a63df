"""Rounding as people do it (2,5 -> 3) and whole numbers written the Swedish way (`1 499 034`, `−970 966`),
shared by computation (its messages) and the renderers."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def round_half_up(value: float, decimals: int = 0) -> Decimal:
    """Round as people do (2,5 -> 3), not as floats do (banker's rounding)."""
    quantum = Decimal(1).scaleb(-decimals)
    return Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)


NBSP = "\u00a0"
MINUS = "\u2212"


def format_number(value: float, decimals: int = 0) -> str:
    rounded = round_half_up(value, decimals)
    if rounded == 0:
        rounded = abs(rounded)  # never print −0
    sign = MINUS if rounded < 0 else ""
    whole, _, frac = f"{abs(rounded):.{decimals}f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", NBSP)
    return sign + grouped + ("," + frac if frac else "")


def format_kronor(ore: int) -> str:
    """`51 284 734 kr` for messages, with öre only where there are any."""
    decimals = 0 if ore % 100 == 0 else 2
    return f"{format_number(ore / 100, decimals)}{NBSP}kr"
