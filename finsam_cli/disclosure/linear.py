"""Exact linear algebra over the integers for the audit: the directions a reader cannot see along."""

from __future__ import annotations

import math
from fractions import Fraction

SparseRow = dict[int, Fraction]


def nullspace(rows: list[dict[int, int]], n: int) -> list[list[int]]:
    """An integer basis of {d : A·d = 0}, A given as sparse rows over columns 0..n−1 (exact: sparse reduced row
    echelon form in Fractions; the rows of a report's sums are short, so this stays cheap).

    A column that is zero in every basis vector is pinned by the equalities alone.
    """
    reduced: dict[int, SparseRow] = {}  # pivot column → its row, pivot 1, no other pivot column in it
    for given in rows:
        row: SparseRow = {j: Fraction(c) for j, c in given.items() if c}
        for pivot in [j for j in row if j in reduced]:
            _subtract(row, row.get(pivot, Fraction(0)), reduced[pivot])
        if not row:
            continue
        pivot = min(row)
        lead = row[pivot]
        row = {j: v / lead for j, v in row.items()}
        for other in reduced.values():
            if pivot in other:
                _subtract(other, other[pivot], row)
        reduced[pivot] = row
    basis: list[list[int]] = []
    for free in (c for c in range(n) if c not in reduced):
        vector = {free: Fraction(1)} | {p: -row[free] for p, row in reduced.items() if free in row}
        scale = math.lcm(*(v.denominator for v in vector.values()))
        divisor = math.gcd(*(int(v * scale) for v in vector.values()))
        dense = [0] * n
        for j, v in vector.items():
            dense[j] = int(v * scale) // divisor
        basis.append(dense)
    return basis


def _subtract(row: SparseRow, factor: Fraction, other: SparseRow) -> None:
    """row −= factor · other, dropping zeros."""
    if not factor:
        return
    for j, v in other.items():
        value = row.get(j, Fraction(0)) - factor * v
        if value:
            row[j] = value
        else:
            row.pop(j, None)
