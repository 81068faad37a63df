"""What a report or an export set publishes, as a system over integer quantities identified by keys.

A key names one quantity wherever it is printed (a table cell, the history row of the year, a note), so a
value can never be hidden in one place and printed in another: there is one variable per key.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from functools import cached_property


class Role(StrEnum):
    PRIMARY = "primary"  # a count of 1..N−1, as the footnote tells the reader
    SECONDARY = "secondary"  # hidden so that no primary one can be worked out
    DERIVED = "derived"  # a change, percentage or average hidden with the count it comes from
    OMITTED = "omitted"  # left out with its row or table


@dataclass(frozen=True, order=True)
class Place:
    """Where a quantity is printed: a table and the row in it (the unit a report can leave out)."""

    table: str
    row: str


@dataclass(frozen=True)
class Quantity:
    key: str
    value: int
    lower: int | None = 0  # every count is ≥ 0; None: no lower bound (a change may be negative)
    upper: int | None = None  # an upper bound the report publishes elsewhere, if any
    count: bool = True  # persons: hidden when 1..N−1, and may be hidden to protect another
    derived_from: tuple[str, ...] = ()  # shown only while all of these are shown (a change next to its counts)
    places: tuple[Place, ...] = ()


@dataclass(frozen=True)
class Sum:
    """target = Σ parts (Totalt = Kvinnor + Män; Vid avslut = Vid inskrivning + Förändring)."""

    target: str
    parts: tuple[str, ...]


@dataclass(frozen=True)
class Ratio:
    """A percentage or average: numerator ÷ denominator, printed rounded half up to a multiple of `step`.

    `shown` is the printed value in the ratio's own unit: Fraction(95, 100) for "95 %" (step 1/100), Fraction(67, 10)
    for an average of 6,7 (step 1/10). A ratio is a derived cell: it is hidden when either count is.
    """

    key: str
    numerator: str
    denominator: str
    shown: Fraction
    step: Fraction = Fraction(1, 100)

    def inequalities(self) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
        """The rounding as two integer inequalities a·num + b·den ≤ c, for a positive denominator.

        ROUND_HALF_UP rounds halves away from zero, so a printed m (in steps) means m − ½ ≤ x < m + ½ for
        m > 0, m − ½ < x ≤ m + ½ for m < 0, and −½ < x < ½ for m = 0; with step p/q and x = num/den this is
        (2m − 1)·p·den ≤ 2q·num ≤ (2m + 1)·p·den, each strict side tightened by one (all integers).
        """
        m = self.shown / self.step
        if m.denominator != 1:
            raise ValueError(f"{self.key}: {self.shown} is not a multiple of {self.step}")
        mi, p, q = int(m), self.step.numerator, self.step.denominator
        low_strict, high_strict = mi <= 0, mi >= 0
        # (2m − 1)·p·den − 2q·num ≤ −strict
        low = (-2 * q, (2 * mi - 1) * p, -int(low_strict))
        # 2q·num − (2m + 1)·p·den ≤ −strict
        high = (2 * q, -(2 * mi + 1) * p, -int(high_strict))
        return low, high

    def holds(self, numerator: int, denominator: int) -> bool:
        return denominator > 0 and all(a * numerator + b * denominator <= c for a, b, c in self.inequalities())


@dataclass(frozen=True)
class System:
    """Everything one report or export set publishes, with the true values (checked to be consistent)."""

    quantities: tuple[Quantity, ...]
    sums: tuple[Sum, ...] = ()
    ratios: tuple[Ratio, ...] = ()

    def __post_init__(self) -> None:
        values = self.values
        if len(values) != len(self.quantities):
            raise ValueError("two quantities share a key")
        for s in self.sums:
            unknown = [k for k in (s.target, *s.parts) if k not in values]
            if unknown:
                raise ValueError(f"sum {s.target}: unknown keys {unknown}")
            if values[s.target] != sum(values[p] for p in s.parts):
                raise ValueError(f"sum {s.target} does not hold on the values")
        for r in self.ratios:
            if r.key in values or not r.holds(values[r.numerator], values[r.denominator]):
                raise ValueError(f"ratio {r.key} clashes with a quantity or does not match its counts")

    @property
    def values(self) -> dict[str, int]:
        return {q.key: q.value for q in self.quantities}

    @cached_property
    def dependents(self) -> dict[str, tuple[str, ...]]:
        """Key → the derived quantities and ratios computed from it."""
        out: dict[str, list[str]] = {}
        for q in self.quantities:
            for source in q.derived_from:
                out.setdefault(source, []).append(q.key)
        for r in self.ratios:
            for source in (r.numerator, r.denominator):
                out.setdefault(source, []).append(r.key)
        return {k: tuple(v) for k, v in out.items()}

    def quantity(self, key: str) -> Quantity:
        return next(q for q in self.quantities if q.key == key)


def derived_hidden(system: System, hidden: set[str] | frozenset[str]) -> dict[str, Role]:
    """The derived cells that must hide, given the hidden counts: changes, percentages and averages whose counts
    include a hidden one, and only those."""
    out: dict[str, Role] = {}
    todo = sorted(hidden)
    while todo:  # a derived quantity may come from another derived one
        for key in system.dependents.get(todo.pop(), ()):
            if key not in hidden and key not in out:
                out[key] = Role.DERIVED
                todo.append(key)
    return dict(sorted(out.items()))
