"""Small-count protection: hide counts of 1..N−1 persons so that no hidden value can be worked back.

`protect(report, minimum)` returns a new report; the one given is not changed. It works on the
tables marked `protect=True`, and within them on count cells (`Kind.COUNT`, by column or by a row's
kind override):

1. **Primary suppression.** Every count with 1 ≤ value < minimum becomes `..` (SUPPRESSED). Zeros stay.

2. **Secondary suppression.** A hidden cell must not be recoverable from what is shown. Each table
   is treated as a grid of count cells with these *lines* (sets of cells whose sum is, or may be,
   known to a reader):

   - every column, summed over the base rows (total and subtotal rows left out), when the rows are
     categories (years, municipalities): its total may be published elsewhere, so it counts as
     known. Not when the rows are measures (a row overrides the kind, as in Mått × Totalt/Kvinnor/Män:
     Deltagare, Nya, Avslutade … do not add up, and assuming they did would hide the whole table);
   - every additive relation that holds in the numbers: a column that is the sum of other columns on
     every row (`Totalt` = Kvinnor + Män; Arbete/studier = Till arbete + Till studier; Ett år efter =
     Vid inskrivning + Förändring), and a row that is the sum of other rows in a column (a total or
     subtotal row over the rows above it; Arbete/studier = Till arbete + Till studier and Avslutade =
     the sum of the exits, as rows). Relations are found from the numbers themselves, so a table needs
     no annotations. A relation counts when a reader can know it: a styled total row or a column
     labelled Totalt/Summa; one seen to hold on two or more rows or columns where nothing is hidden;
     one that holds on three or more rows (columns), or on two or more columns between measure rows.
     Not a coincidence among a category table's small hidden rows (5 = 3 + 2 by chance), which a
     reader cannot see and which would otherwise hide half the table.

   Rows are not assumed to add up across columns unless a total column shows that they do (then
   that relation is a line). In every line holding exactly one hidden cell, one more cell is
   hidden: the smallest non-zero shown cell of the line, a total only where no other cell is left.
   This repeats until stable.
   Then an exact audit solves the linear system of all lines over the hidden cells (exact integer
   Gaussian elimination); any hidden cell the system still determines gets one more cell of
   one of its lines hidden, and everything repeats. At the end no hidden cell is determined by the
   equations shown, which is what the tests check.

3. **Across tables.** A cell shown in one protected table with the same row label, column label and
   value as a hidden one in another table is hidden too (the same number printed twice), then steps
   2–3 repeat.

4. **Derived cells.** Percentages, shares and averages computed from hidden counts would give them
   away (70 % of 10 avslutade is 7 to work). Where a row holds a hidden count, its derived cells
   (kinds PERCENT, SHARE, DECIMAL) are hidden too; where a row overrides the kind (a table whose rows
   are measures, with a share row under the count rows), the derived cells of a column with a hidden
   count are hidden. Amounts are left alone: they are not counts of persons.

Every table with a hidden cell gets the footnote `FOOTNOTE`.

5. **Numbers in text.** Notes and paragraphs quote counts ("116 av 165 avslutade", "n = 40") as typed
   values (`Value`). A count value that is small (1..minimum−1) or equals a hidden cell's value is
   replaced by SUPPRESSED (`..`); years, percentages and amounts are left as they are.

Not covered: counts inside text cells of tables.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from ..reports.model import SUPPRESSED, Cell, Kind, Report, Style, Suppressed, Table, Text, Value, as_text

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
    if minimum < 2:
        return report
    grids = [Grid(t) for t in report.tables() if t.protect]
    for grid in grids:
        grid.primary(minimum)
    while True:
        for grid in grids:
            grid.secondary()
        if not _link_tables(grids):
            break
    hidden_values = {int(v) for g in grids for r, c in g.hidden
                     if isinstance(v := g.table.rows[r].cells[c], int | float) and float(v).is_integer()}
    protected = {id(g.table): g.apply(minimum) for g in grids}
    sections = [replace(s, tables=[protected.get(id(t), t) for t in s.tables]) for s in report.sections]
    out = _mask_text(replace(report, sections=sections), minimum, hidden_values)
    if any(g.hidden for g in grids) and "minsta antal" not in out.provenance.parameters:
        out = replace(out, provenance=replace(
            out.provenance, parameters={**out.provenance.parameters, "minsta antal": str(minimum)}))
    return out


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
            for c in cols:
                if self._holds_at(total, parts, c):
                    lines.append(Line({(total, c): 1, **{(p, c): -1 for p in parts}}, frozenset({(total, c)})))
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

    # --- suppression --------------------------------------------------------------------

    def primary(self, minimum: int) -> None:
        for cell, value in self.values.items():
            if value is not None and 1 <= value < minimum:
                self.hidden.add(cell)
        self.lines = self._lines()

    def hide(self, cell: Cellpos) -> bool:
        if cell in self.hidden:
            return False
        self.hidden.add(cell)
        return True

    def secondary(self) -> None:
        """Hide more cells until no line has a single hidden cell and the audit finds nothing determined."""
        while True:
            changed = True
            while changed:
                changed = False
                for line in self.lines:
                    inside = [cell for cell in line.coef if cell in self.hidden]
                    if len(inside) == 1:
                        pick = self._candidate(line)
                        if pick is not None:
                            changed |= self.hide(pick)
            determined = self.determined()
            if not determined:
                return
            if not any(self._widen(cell) for cell in sorted(determined)):
                return  # nothing left to hide: every line of these cells is hidden already

    def _candidate(self, line: Line) -> Cellpos | None:
        shown = [cell for cell in line.coef if cell not in self.hidden]

        def rank(cell: Cellpos) -> tuple[bool, bool, float, Cellpos]:
            value = self.values.get(cell) or 0.0
            return (cell in line.totals, value == 0, abs(value), cell)

        return min(shown, key=rank, default=None)

    def _widen(self, cell: Cellpos) -> bool:
        """Hide one more cell on a line through `cell`, the line with fewest hidden cells first."""
        through = [line for line in self.lines if cell in line.coef]
        through.sort(key=lambda line: sum(c in self.hidden for c in line.coef))
        for line in through:
            pick = self._candidate(line)
            if pick is not None and self.hide(pick):
                return True
        return False

    def determined(self) -> set[Cellpos]:
        """Hidden cells whose value follows from the lines (a unit vector in their row space)."""
        return determined_cells(self.hidden, [line.coef for line in self.lines])

    def apply(self, minimum: int) -> Table:
        """The table with the hidden cells, and the derived cells that would give them away, suppressed."""
        t = self.table
        cells: list[list[Cell]] = [list(row.cells) for row in t.rows]
        for r, c in self.hidden:
            cells[r][c] = SUPPRESSED
        hidden_rows = {r for r, _ in self.hidden}
        hidden_cols = {c for _, c in self.hidden}
        derived = False
        for r, row in enumerate(t.rows):
            for c, value in enumerate(row.cells):
                if c >= len(t.columns) or t.kind_of(row, c) not in DERIVED or value is None or value == "":
                    continue
                by_column = row.kind is not None  # the row says what it measures: derived down a column
                if (c in hidden_cols) if by_column else (r in hidden_rows):
                    cells[r][c] = SUPPRESSED
                    derived = True
        rows = [replace(row, cells=new) for row, new in zip(t.rows, cells, strict=True)]
        notes = list(t.notes)
        note = Text(FOOTNOTE.format(n=minimum))
        if (self.hidden or derived) and note not in notes:
            notes.append(note)
        return replace(t, rows=rows, notes=notes)


def _mask_text(report: Report, minimum: int, hidden_values: set[int]) -> Report:
    """Hide the counts quoted in notes and paragraphs that are small or repeat a hidden cell."""
    def one(value: Value) -> Value:
        v = value.value
        if value.kind is Kind.COUNT and isinstance(v, int | float) and float(v).is_integer() \
                and (1 <= v < minimum or int(v) in hidden_values):
            return replace(value, value=SUPPRESSED)
        return value

    def mask(texts: Iterable[Text | str]) -> list[Text]:
        return [as_text(t).replace_values(one) for t in texts]

    sections = [replace(s, paragraphs=mask(s.paragraphs),
                        tables=[replace(t, notes=mask(t.notes)) for t in s.tables]) for s in report.sections]
    return replace(report, notes=mask(report.notes), sections=sections)


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


def determined_cells(unknowns: set[Cellpos], equations: list[dict[Cellpos, int]]) -> set[Cellpos]:
    """The unknowns that a system of linear equations over them (known constants aside) pins down.

    An unknown is determined exactly when its unit vector lies in the row space of the system, that is
    when the reduced row echelon form has a row with that unknown alone. Exact integer elimination.
    """
    order = sorted({cell for eq in equations for cell in eq if cell in unknowns})
    index = {cell: i for i, cell in enumerate(order)}
    matrix: list[list[int]] = []
    for eq in equations:
        row = [0] * len(order)
        for cell, coef in eq.items():
            if cell in index:
                row[index[cell]] += coef
        if any(row):
            matrix.append(row)
    rank = 0
    pivot_columns: list[int] = []
    for col in range(len(order)):
        pivot = next((i for i in range(rank, len(matrix)) if matrix[i][col]), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        prow = matrix[rank]
        for i, row in enumerate(matrix):
            if i != rank and row[col]:
                factor, scale = row[col], prow[col]
                row = [a * scale - b * factor for a, b in zip(row, prow, strict=True)]
                divisor = math.gcd(*row)
                matrix[i] = [a // divisor for a in row] if divisor > 1 else row
        pivot_columns.append(col)
        rank += 1
        if rank == len(matrix):
            break
    return {order[col] for col, row in zip(pivot_columns, matrix, strict=False) if sum(1 for v in row if v) == 1}


def _link_tables(grids: list[Grid]) -> bool:
    """Hide a shown cell that repeats a hidden one of another table (same labels, same value)."""
    def key(grid: Grid, cell: Cellpos) -> tuple[str, str, float | None]:
        r, c = cell
        return (str(grid.table.rows[r].cells[0]), grid.table.columns[c].label, grid.values.get(cell))

    hidden_keys = {key(g, cell) for g in grids for cell in g.hidden if g.values.get(cell) is not None}
    changed = False
    for grid in grids:
        for cell, value in grid.values.items():
            if value is not None and cell not in grid.hidden and key(grid, cell) in hidden_keys:
                grid.hidden.add(cell)
                changed = True
    return changed
