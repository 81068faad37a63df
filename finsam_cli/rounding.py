"""Rounding as people do it (2,5 -> 3), shared by computation and the renderers."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def round_half_up(value: float, decimals: int = 0) -> Decimal:
    """Round as people do (2,5 -> 3), not as floats do (banker's rounding)."""
    quantum = Decimal(1).scaleb(-decimals)
    return Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)
