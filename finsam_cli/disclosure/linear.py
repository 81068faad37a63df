"""Exact linear algebra over the integers for the audit: the directions a reader cannot see along."""

from __future__ import annotations

import math
from fractions import Fraction


def nullspace(rows: list[dict[int, int]], n: int) -> list[list[int]]:
    """An integer basis of {d : A·d = 0}, A given as sparse rows over columns 0..n−1 (exact, by Fractions).

    A column that is zero in every basis vector is pinned by the equalities alone.
    """
    matrix = [[Fraction(row.get(j, 0)) for j in range(n)] for row in rows if any(row.values())]
    pivots: list[int] = []
    rank = 0
    for col in range(n):
        pivot = next((i for i in range(rank, len(matrix)) if matrix[i][col]), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        lead = matrix[rank][col]
        matrix[rank] = [v / lead for v in matrix[rank]]
        for i, row in enumerate(matrix):
            if i != rank and row[col]:
                factor = row[col]
                matrix[i] = [a - factor * b for a, b in zip(row, matrix[rank], strict=True)]
        pivots.append(col)
        rank += 1
    basis: list[list[int]] = []
    for free in (c for c in range(n) if c not in set(pivots)):
        vector = [Fraction(0)] * n
        vector[free] = Fraction(1)
        for row, col in zip(matrix, pivots, strict=False):
            vector[col] = -row[free]
        scale = math.lcm(*(v.denominator for v in vector))
        ints = [int(v * scale) for v in vector]
        divisor = math.gcd(*ints)
        basis.append([v // divisor for v in ints])
    return basis
