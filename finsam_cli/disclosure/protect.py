"""Small-count protection of one report, and the relations a reader can see in an unkeyed table's numbers.

`protect(report, minimum)` returns a new report (the one given is not changed): counts of 1..minimum−1 persons
hidden, and enough others that none can be worked back, as audited by linear programming over everything the
report publishes (`published.protect_all`, which also protects the reports of an export set together).

Builders declare what a table's numbers mean (`Row.keys`, `Table.relations`). For a protected table that
declares nothing, `Grid` finds the relations a reader can see in its numbers:

- every column, summed over the base rows (total and subtotal rows left out), when the rows are categories
  (years, municipalities): its total may be published elsewhere, so it counts as known. Not when the rows are
  measures (a row overrides the kind, as in Mått × Totalt/Kvinnor/Män);
- every additive relation that holds in the numbers: a column that is the sum of other columns on every row,
  and a row that is the sum of other rows in a column. A relation counts when a reader can know it: a styled
  total row or a column labelled Totalt/Summa; one seen to hold on two or more rows or columns where nothing
  is hidden; one that holds on three or more rows (columns), or on two or more columns between measure rows.
  Not a coincidence among a category table's small hidden rows (5 = 3 + 2 by chance).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..reports.model import Kind, Report, Style, Suppressed, Table

FOOTNOTE = (".. = färre än {n} personer; värden dolda för att skydda enskilda (sekundär undertryckning av "
            "ytterligare celler så att dolda värden inte kan räknas fram).")
DERIVED = (Kind.PERCENT, Kind.SHARE, Kind.DECIMAL)
MAX_PARTS = 3  # relations are sought among up to this many parts, plus "all the others"
MAX_PARTS_MEASURES = 6  # among measure rows (Avslutade = Till arbete + Till studier + … + Okänd)
MAX_LINES_FOR_SUBSETS = 40  # larger tables only get the "all the others" and styled-total relations
MAX_LINES_FOR_MEASURES = 16

Cellpos = tuple[int, int]  # (row index, column index) in the table


def protect(report: Report, minimum: int) -> Report:
    """A copy of `report` with counts of 1..minimum−1 persons hidden, and enough others that none can be recovered."""
    from .published import protect_all

    return protect_all([report], minimum)[0]


@dataclass
class Line:
    """Cells whose sum is known, or may be: `coef` is +1 or −1 per cell (a relation: total − parts = 0)."""

    coef: dict[Cellpos, int]
    totals: frozenset[Cellpos] = frozenset()  # cells of the line to hide only when nothing else is left


@dataclass
class Grid:
    table: Table
    values: dict[Cellpos, float | None] = field(default_factory=dict)  # count cells; None: hidden, value unknown
    hidden: set[Cellpos] = field(default_factory=set)
    lines: list[Line] = field(default_factory=list)

    def __post_init__(self) -> None:
        t = self.table
        for r, row in enumerate(t.rows):
            for c, value in enumerate(row.cells):
                if c >= len(t.columns) or t.kind_of(row, c) is not Kind.COUNT:
                    continue
                if isinstance(value, Suppressed):
                    self.values[(r, c)] = None
                    self.hidden.add((r, c))
                elif isinstance(value, int | float) and not isinstance(value, bool):
                    self.values[(r, c)] = float(value)

    # --- structure ----------------------------------------------------------------------

    def _lines(self) -> list[Line]:
        """The lines a reader can use. Call after primary suppression: relations found in the numbers count
        only where a reader can see them hold (on two or more rows or columns with nothing hidden), so a
        coincidence among small hidden counts is not mistaken for structure; labelled or styled totals
        count whenever they hold."""
        rows = sorted({r for r, _ in self.values})
        cols = sorted({c for _, c in self.values})
        t = self.table
        styled = {r for r in rows if t.rows[r].style is not Style.NORMAL or _is_total_label(t.rows[r].cells[0])}
        labelled = {c for c in cols if _is_total_label(t.columns[c].label)}
        col_groups = [(c, tuple(o for o in cols if o not in labelled)) for c in labelled]
        measures = any(row.kind is not None for row in t.rows)  # rows are measures, not categories

        def col_trusted(total: int, parts: tuple[int, ...]) -> bool:
            return self._visible(total, parts, rows, by_row=False) or _support(total, parts, self._column) >= 3

        def row_trusted(total: int, parts: tuple[int, ...]) -> bool:
            return self._visible(total, parts, cols, by_row=True) or (measures and _support(total, parts, self._row)
                                                                      >= 2)

        col_relations = _relations(cols, rows, lambda c, r: self._known(r, c), col_groups, col_trusted)
        row_relations = _relations(rows, cols, self._known, self._row_groups(rows, styled), row_trusted,
                                   MAX_PARTS_MEASURES if measures and len(rows) <= MAX_LINES_FOR_MEASURES
                                   else MAX_PARTS)
        # Rows left out of the column sums: styled totals, and rows that add up two or more others.
        total_rows = styled | {r for r, parts in row_relations if len(parts) >= 2}
        lines: list[Line] = []
        if not any(row.kind is not None for row in t.rows):
            # Rows are categories (years, municipalities), not measures: a column's total over them
            # may be published elsewhere, so treat it as known.
            summed = {(c, parts) for r, parts in row_relations for c in cols if self._holds_at(r, parts, c)}
            for c in cols:
                base = tuple(r for r in rows if (r, c) in self.values and r not in total_rows)
                if (c, base) not in summed:  # else the table's own total row is that sum
                    lines.append(Line({(r, c): 1 for r in base}))
        for total, parts in col_relations:
            for r in rows:
                cells = [(r, total), *((r, p) for p in parts)]
                if all(cell in self.values for cell in cells):
                    lines.append(Line({(r, total): 1, **{(r, p): -1 for p in parts}}, frozenset({(r, total)})))
        for total, parts in row_relations:
            lines.extend(Line({(total, c): 1, **{(p, c): -1 for p in parts}}, frozenset({(total, c)}))
                         for c in cols if self._holds_at(total, parts, c))
        return [line for line in lines if len(line.coef) >= 2]

    def _known(self, r: int, c: int) -> float | None:
        return self.values.get((r, c))

    def _holds_at(self, total: int, parts: tuple[int, ...], c: int) -> bool:
        t = self.values.get((total, c))
        vals = [self.values.get((p, c)) for p in parts]
        return t is not None and all(v is not None for v in vals) and abs(t - sum(v for v in vals if v)) < 1e-9

    def _row(self, r: int) -> list[float | None]:
        return [self.values.get((r, c)) for c in sorted({c for _, c in self.values})]

    def _column(self, c: int) -> list[float | None]:
        return [self.values.get((r, c)) for r in sorted({r for r, _ in self.values})]

    def _visible(self, total: int, parts: tuple[int, ...], across: list[int], by_row: bool) -> bool:
        """Whether a reader sees the relation hold: at two or more places with a non-zero total, nothing hidden."""
        seen = 0
        for a in across:
            cells = [(i, a) if by_row else (a, i) for i in (total, *parts)]
            if all(cell in self.values and cell not in self.hidden for cell in cells) and self.values[cells[0]]:
                seen += 1
        return seen >= 2

    def _row_groups(self, rows: list[int], styled: set[int]) -> list[tuple[int, tuple[int, ...]]]:
        """Candidate parts for styled total rows: the normal rows since the last total, all above, the subtotals;
        and for a subtotal heading its group (referrer groups), the normal rows beneath it up to the next."""
        groups: list[tuple[int, tuple[int, ...]]] = []
        for i, r in enumerate(rows):
            if r in styled and self.table.rows[r].style is Style.SUBTOTAL:
                beneath = tuple(itertools.takewhile(lambda o: o not in styled, rows[i + 1:]))
                groups.append((r, beneath))
        since: list[int] = []
        subtotals: list[int] = []
        above: list[int] = []
        for r in rows:
            if r in styled:
                groups += [(r, tuple(since)), (r, tuple(above))]
                if subtotals:
                    groups.append((r, tuple(subtotals)))
                if self.table.rows[r].style is Style.SUBTOTAL:
                    subtotals.append(r)
                since = []
            else:
                since.append(r)
                above.append(r)
        return [(t, parts) for t, parts in groups if parts]

    # --- which cells a reader cannot see -------------------------------------------------

    def primary(self, minimum: int) -> None:
        for cell, value in self.values.items():
            if value is not None and 1 <= value < minimum:
                self.hidden.add(cell)
        self.lines = self._lines()


_TOTAL_LABEL = re.compile(r"(?i)^\s*(totalt|total|summa|samtliga|alla|sammanlagt)\b")


def _is_total_label(label: object) -> bool:
    return isinstance(label, str) and bool(_TOTAL_LABEL.match(label))


def _support(total: int, parts: tuple[int, ...], vector: Callable[[int], list[float | None]]) -> int:
    """At how many places the relation holds with a non-zero total (it is checked to hold everywhere)."""
    t = vector(total)
    ps = [vector(p) for p in parts]
    return sum(1 for a, v in enumerate(t) if v and all(p[a] is not None for p in ps))


def _relations(lines: list[int], across: list[int], value: Callable[[int, int], float | None],
               structural: list[tuple[int, tuple[int, ...]]], visible: Callable[[int, tuple[int, ...]], bool],
               max_parts: int = MAX_PARTS) -> list[tuple[int, tuple[int, ...]]]:
    """(total, parts) where line `total` equals the sum of lines `parts` wherever they are all counts.

    `value(line, position)` reads a count. `structural` candidates (styled or labelled totals) count
    whenever they hold; others (every set of up to `max_parts` other lines, in tables of up to
    MAX_LINES_FOR_SUBSETS lines, and all other lines) only when `visible` says a reader can tell them:
    they are seen to hold where nothing is hidden, or they hold too widely to be a coincidence.
    """
    vectors = {i: [value(i, a) for a in across] for i in lines}
    nonzero = [i for i in lines if any(v for v in vectors[i])]
    found: list[tuple[int, tuple[int, ...]]] = []
    seen: set[tuple[int, tuple[int, ...]]] = set()

    def holds(total: int, parts: tuple[int, ...]) -> bool:
        hits = 0
        for a in range(len(across)):
            t = vectors[total][a]
            vals = [vectors[p][a] for p in parts]
            if t is None or any(v is None for v in vals):
                continue
            if abs(t - sum(v for v in vals if v is not None)) > 1e-9:
                return False
            hits += 1
        return hits > 0

    def consider(total: int, parts: Iterable[int], known: bool) -> None:
        key = (total, tuple(sorted(p for p in parts if p != total and p in nonzero)))
        if key[1] and key not in seen:
            seen.add(key)
            if holds(*key) and (known or visible(*key)):
                found.append(key)

    for total, parts in structural:
        if total in nonzero:
            consider(total, parts, True)
    for total in nonzero:
        others = [i for i in nonzero if i != total]
        if len(lines) <= MAX_LINES_FOR_SUBSETS:
            for size in range(1, min(max_parts, len(others)) + 1):
                for parts in itertools.combinations(others, size):
                    if size > 1 or parts[0] < total:  # two equal lines: one relation, the later one "total"
                        consider(total, parts, False)
        consider(total, others, False)
    return found

