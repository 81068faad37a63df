"""Protection of a published set: the reports → the audit's system → suppression → the reports with it applied.

Every number a reader sees in one report, or in every file of one export, becomes a quantity of one system:

- a count cell of a protected table under its key (`Row.keys`), so a number printed in several tables, notes
  or files is one variable and is hidden everywhere or nowhere;
- a count in a note (`Value.key`);
- a percentage whose counts are keyed, as a ratio bounded by its rounding (`Relation` "ratio");
- the identities the builders declare (`Relation` "sum").

A table without keys (reports whose builders declare none) gets a key per cell, unique to its report, and the
relations `protect.Grid` finds in its numbers. Then `suppress` decides, and `apply` writes the result back:
hidden cells `..`; derived cells (percentages, averages, changes) hidden with their counts and only then;
rows or tables the suppression had to leave out removed, with a note; and a note's number hidden exactly when
the quantity it names is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction

from ..reports.model import SUPPRESSED, Cell, Kind, Report, Row, Table, Text, TextLike, Value, as_text
from ..rounding import round_half_up
from .protect import DERIVED, FOOTNOTE, Grid
from .suppress import Suppression, suppress
from .system import Place, Quantity, Ratio, Role, Sum, System

OMITTED_TABLE = "Tabellen {title} är utelämnad för att skydda enskilda."
OMITTED_ROWS = "Rader utelämnade för att skydda enskilda: {rows}."


@dataclass
class _Quantity:
    value: int
    signed: bool
    places: list[Place] = field(default_factory=list)


@dataclass
class Published:
    """The system of a published set and where each of its keys is printed."""

    quantities: dict[str, _Quantity] = field(default_factory=dict)
    sums: dict[tuple[str, tuple[str, ...]], Sum] = field(default_factory=dict)
    ratios: dict[str, Ratio] = field(default_factory=dict)
    shown: dict[str, Fraction] = field(default_factory=dict)  # percentages printed, by key
    extra: list[Quantity] = field(default_factory=list)  # sums a reader knows that no cell prints
    derived: dict[str, Quantity] = field(default_factory=dict)  # averages shown only beside their counts

    def add(self, key: str, value: int, signed: bool, place: Place | None) -> None:
        known = self.quantities.setdefault(key, _Quantity(value, signed))
        if known.value != value:
            raise ValueError(f"{key} is printed as {known.value} and as {value}")
        if place is not None and place not in known.places:
            known.places.append(place)

    def system(self) -> System:
        # A change is shown only while the counts it relates are (Vid avslut = Vid inskrivning + Förändring).
        sources: dict[str, set[str]] = {}
        for s in self.sums.values():
            for part in s.parts:
                if part in self.quantities and self.quantities[part].signed:
                    sources.setdefault(part, set()).update(k for k in (s.target, *s.parts) if k != part)
        quantities = [Quantity(k, q.value, lower=None if q.signed else 0, count=not q.signed,
                               derived_from=tuple(sorted(sources.get(k, ()))), places=tuple(q.places))
                      for k, q in sorted(self.quantities.items())]
        return System((*quantities, *self.extra, *self.derived.values()), tuple(self.sums.values()),
                      tuple(self.ratios.values()))


def where(report_index: int, table_index: int, table: Table) -> str:
    """A table's identity in the published set (two tables of a report may share a key)."""
    return f"{report_index}:{table_index}:{table.key}"


def cell_keys(report_index: int, table: Table) -> list[list[str | None]]:
    """Each cell's key: its declared one, else, for a count cell, one made of its row and column labels and its
    value: a reader takes the same number under the same labels in two tables of a report for one quantity."""
    out: list[list[str | None]] = []
    for row in table.rows:
        keys: list[str | None] = []
        for c, value in enumerate(row.cells):
            declared = row.keys[c] if row.keys else None
            own = f"#{report_index}/{row.cells[0]}|{table.columns[c].label}|{value}" if _count(
                table, row, c, value) else None
            keys.append(declared or own)
        out.append(keys)
    return out


def published(reports: Sequence[Report], minimum: int) -> Published:
    out = Published()
    for index, report in enumerate(reports):
        for n, table in enumerate(report.tables()):
            if table.protect:
                _table(out, index, where(index, n, table), table, minimum)
        for text in _texts(report):
            for v in text.values():
                if v.key and v.kind is Kind.COUNT and isinstance(v.value, int):
                    out.add(v.key, v.value, False, None)
    for report in reports:
        for relation in (*report.relations, *(r for t in report.tables() if t.protect for r in t.relations)):
            if relation.kind == "sum":
                out.sums.setdefault((relation.target, relation.parts), Sum(relation.target, relation.parts))
            elif relation.kind == "derived":
                if relation.target not in out.derived:
                    # Its printed value takes part in no fact: only hidden with its parts.
                    out.derived[relation.target] = Quantity(relation.target, 0, lower=None, count=False,
                                                            derived_from=relation.parts)
            elif relation.target in out.shown and relation.target not in out.ratios:
                numerator, denominator = relation.parts
                out.ratios[relation.target] = Ratio(relation.target, numerator, denominator, out.shown[relation.target])
    return out


def _table(out: Published, index: int, place: str, table: Table, minimum: int) -> None:
    keys = cell_keys(index, table)
    for r, row in enumerate(table.rows):
        for c, value in enumerate(row.cells):
            key = keys[r][c]
            if key is None or isinstance(value, bool) or not isinstance(value, int | float):
                continue
            if _count(table, row, c, value):
                out.add(key, int(value), table.columns[c].signed, Place(place, str(row.cells[0])))
            elif table.kind_of(row, c) is Kind.PERCENT:
                out.shown[key] = Fraction(round_half_up(value, 2))  # as printed
    if any(row.keys for row in table.rows):
        return
    grid = Grid(table)  # no keys declared: the relations a reader can see in the numbers
    grid.primary(minimum)
    for n, line in enumerate(grid.lines):
        if any(keys[r][c] is None for r, c in line.coef):
            continue  # a count that is not a whole number: no quantity of the audit
        cells = {keys[r][c]: coef for (r, c), coef in line.coef.items()}
        if line.totals:
            (total,) = (str(keys[r][c]) for r, c in line.totals)
            parts = tuple(str(k) for k in cells if k != total)
            out.sums.setdefault((total, parts), Sum(total, parts))
        else:  # a column's total over category rows: known to a reader though no cell prints it
            name = f"#{place}/line{n}"
            out.extra.append(Quantity(name, sum(out.quantities[str(k)].value for k in cells), count=False))
            out.sums[(name, ())] = Sum(name, tuple(str(k) for k in cells))


def _count(table: Table, row: Row, c: int, value: Cell) -> bool:
    return (c < len(table.columns) and table.kind_of(row, c) is Kind.COUNT and not isinstance(value, bool)
            and isinstance(value, int | float) and float(value).is_integer())


def _texts(report: Report) -> list[Text]:
    texts = [*report.notes, *(p for s in report.sections for p in s.paragraphs),
             *(n for t in report.tables() for n in t.notes)]
    return [as_text(t) for t in texts]


def protect_all(reports: Sequence[Report], minimum: int) -> list[Report]:
    """The reports with small counts hidden, audited together: what one prints, no other hides."""
    if minimum < 2:
        return list(reports)
    pub = published(reports, minimum)
    result = suppress(pub.system(), minimum)
    return [apply(report, index, result, minimum) for index, report in enumerate(reports)]


def apply(report: Report, index: int, result: Suppression, minimum: int) -> Report:
    hidden = result.hidden
    hidden_values: set[int] = set()
    position = 0  # the table's index in report.tables()
    sections = []
    for section in report.sections:
        tables: list[Table] = []
        paragraphs = list(section.paragraphs)
        for table in section.tables:
            place = where(index, position, table)
            position += 1
            if not table.protect:
                tables.append(table)
            elif place in result.omitted_tables:
                paragraphs.append(Text(OMITTED_TABLE.format(title=table.title)))
            else:
                protected, values = _apply_table(table, index, place, result, minimum)
                hidden_values |= values
                tables.append(protected)
        sections.append(replace(section, tables=tables, paragraphs=paragraphs))
    out = replace(report, sections=sections)
    out = _mask_text(out, hidden, minimum, hidden_values)
    stats = result.stats
    if stats.hidden:
        parameters = {**out.provenance.parameters, "minsta antal": str(minimum),
                      "dolda celler": audit_summary(result)}
        out = replace(out, provenance=replace(out.provenance, parameters=parameters))
    return out


def audit_summary(result: Suppression) -> str:
    """The audit's result for "Om rapporten", over the whole published set."""
    s = result.stats
    text = f"{s.hidden} ({s.primary} primärt, {s.secondary} sekundärt, {s.derived} härledda"
    text += f", {s.omitted} utelämnade)" if s.omitted else ")"
    return text


def _apply_table(table: Table, index: int, place: str, result: Suppression,
                 minimum: int) -> tuple[Table, set[int]]:
    keys = cell_keys(index, table)
    omitted = {p.row for p in result.omitted_rows if p.table == place}
    rows: list[Row] = []
    dropped: list[str] = []
    values: set[int] = set()
    any_hidden = False
    counts_hidden: list[tuple[int, int]] = []
    cells_by_row: list[list[Cell]] = []
    for r, row in enumerate(table.rows):
        cells = list(row.cells)
        for c, value in enumerate(cells):
            key = keys[r][c]
            if key is not None and key in result.hidden and value is not None and value != "":
                cells[c] = SUPPRESSED
                any_hidden = True
                if _count(table, row, c, value):
                    counts_hidden.append((r, c))
                    values.add(int(value))  # type: ignore[arg-type]
        cells_by_row.append(cells)
    # Derived cells without a key of their own: hidden beside a hidden count (its row, or its column where the
    # rows are measures), as a reader could otherwise work the count back from them.
    hidden_rows = {r for r, _ in counts_hidden}
    hidden_cols = {c for _, c in counts_hidden}
    for r, row in enumerate(table.rows):
        for c, value in enumerate(row.cells):
            if keys[r][c] is not None or c >= len(table.columns) or table.kind_of(row, c) not in DERIVED \
                    or value is None or value == "":
                continue
            if (c in hidden_cols) if row.kind is not None else (r in hidden_rows):
                cells_by_row[r][c] = SUPPRESSED
                any_hidden = True
    for row, cells in zip(table.rows, cells_by_row, strict=True):
        if str(row.cells[0]) in omitted:
            dropped.append(str(row.cells[0]).strip())  # an indented label (a referrer) without its indent
        else:
            rows.append(replace(row, cells=cells))
    notes = list(table.notes)
    if dropped:
        notes.append(Text(OMITTED_ROWS.format(rows=", ".join(dropped))))
    footnote = Text(FOOTNOTE.format(n=minimum))
    if any_hidden and footnote not in notes:
        notes.append(footnote)
    return replace(table, rows=rows, notes=notes), values


def _mask_text(report: Report, hidden: dict[str, Role], minimum: int, hidden_values: set[int]) -> Report:
    """A note's number is hidden when its key is; an unkeyed count when it is small or repeats a hidden cell;
    a percentage or average with any count of its note."""
    def count_hidden(v: Value) -> bool:
        if v.kind is not Kind.COUNT or not isinstance(v.value, int | float):
            return False
        if v.key is not None:
            return v.key in hidden
        return float(v.value).is_integer() and (1 <= v.value < minimum or int(v.value) in hidden_values)

    def mask(item: TextLike) -> Text:
        text = as_text(item)
        any_count = any(count_hidden(v) for v in text.values())
        return text.replace_values(lambda v: replace(v, value=SUPPRESSED) if count_hidden(v) or (
            any_count and v.kind in DERIVED) else v)

    sections = [replace(s, paragraphs=[mask(p) for p in s.paragraphs],
                        tables=[replace(t, notes=[mask(n) for n in t.notes]) for t in s.tables])
                for s in report.sections]
    return replace(report, notes=[mask(n) for n in report.notes], sections=sections)
