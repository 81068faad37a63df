"""Exact linear algebra over the integers for the audit: the directions a reader cannot see along."""

from __future__ import annotations

import math

SparseRow = dict[int, int]


def nullspace(rows: list[dict[int, int]], n: int) -> list[dict[int, int]]:
    """An integer basis of {d : A·d = 0}, A given as sparse rows over columns 0..n−1.

    Exact: a sparse reduced row echelon form kept fraction-free in integers (a report's sums are short rows of
    ±1, so this stays cheap). Each vector is sparse (column → non-zero entry). A column in no basis vector is
    pinned by the equalities alone.
    """
    reduced = _reduce(rows)
    basis: list[dict[int, int]] = []
    for free in (c for c in range(n) if c not in reduced):
        holding = sorted((p, row) for p, row in reduced.items() if free in row)
        scale = math.lcm(*(row[p] for p, row in holding)) if holding else 1
        vector = {free: scale} | {p: -row[free] * (scale // row[p]) for p, row in holding}
        divisor = math.gcd(*vector.values())
        basis.append({j: v // divisor for j, v in sorted(vector.items())})
    return basis


def pinned(rows: list[dict[int, int]], column: int) -> bool:
    """Whether A·d = 0 forces d[column] = 0: the column is a pivot whose reduced row holds no free column."""
    reduced = _reduce(rows)
    return column in reduced and all(j in reduced for j in reduced[column])


def _reduce(rows: list[dict[int, int]]) -> dict[int, SparseRow]:
    """The sparse reduced row echelon form: pivot column → its row (pivot entry > 0), no other pivot column in it."""
    reduced: dict[int, SparseRow] = {}
    for given in rows:
        row: SparseRow = {j: c for j, c in given.items() if c}
        for pivot in [j for j in row if j in reduced]:
            if pivot in row:
                row = _combine(reduced[pivot][pivot], row, -row[pivot], reduced[pivot])
        if not row:
            continue
        pivot = min(row)
        if row[pivot] < 0:
            row = {j: -v for j, v in row.items()}
        for p, other in reduced.items():
            if pivot in other:
                reduced[p] = _combine(row[pivot], other, -other[pivot], row)
        reduced[pivot] = row
    return reduced


def _combine(a: int, row: SparseRow, b: int, other: SparseRow) -> SparseRow:
    """a·row + b·other, zeros dropped, divided by the entries' common divisor."""
    out = {j: a * row.get(j, 0) + b * other.get(j, 0) for j in row.keys() | other.keys()}
    out = {j: v for j, v in out.items() if v}
    divisor = math.gcd(*out.values()) if out else 1
    return {j: v // divisor for j, v in out.items()} if divisor > 1 else out
