"""A report is data: sections of tables with typed columns, structured notes and provenance.

Computation builds these objects once; the Markdown, Excel and terminal renderers only read
them. Everything is frozen and holds tuples: protection returns a new report
(`dataclasses.replace`), it never edits one. The fields are typed as sequences so builders may
pass lists, but __post_init__ stores tuples, and a plain string given as a note or paragraph
becomes a `Text`.

Cells: percent cells hold fractions (0.70), amounts kronor or tkr as the report's unit says,
counts integers, years integers. Numbers in notes are `Value`s, never formatted into prose:
the renderers format them and protection hides them by replacing the value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from ..inputs.provenance import InputFile


class Kind(StrEnum):
    TEXT = "text"
    COUNT = "count"  # persons or stints: integers, subject to small-count protection
    AMOUNT = "amount"  # money in the report's unit
    PERCENT = "percent"  # fraction, shown as a whole percent
    DECIMAL = "decimal"  # one decimal, e.g. months
    SHARE = "share"  # fraction with one decimal percent (membership fee shares)
    YEAR = "year"  # a year: a plain number, never grouped (2017, not 2 017)
    DATE = "date"  # a calendar date


class Style(StrEnum):
    NORMAL = "normal"
    SUBTOTAL = "subtotal"
    TOTAL = "total"
    HEADING = "heading"  # a title row inside a table (Tillgångar): bold label, no amounts, no rule


class Suppressed:
    """A hidden small count; renders as `..` with a footnote."""

    _instance: Suppressed | None = None

    def __new__(cls) -> Suppressed:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "SUPPRESSED"


SUPPRESSED = Suppressed()
Cell = str | int | float | Suppressed | None


def _freeze(obj: object, **fields: object) -> None:
    """Set fields of a frozen dataclass in its __post_init__ (normalising what was given)."""
    for name, value in fields.items():
        object.__setattr__(obj, name, value)


# --- structured text ---------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """A number (or date) inside text, typed so a renderer can format it and protection can hide it.

    `key` is the quantity's stable identity for the disclosure audit (see Row.keys).
    """

    value: int | float | date | Suppressed
    kind: Kind = Kind.COUNT
    key: str | None = None


@dataclass(frozen=True, init=False)
class Text:
    """A note or paragraph: literal strings and typed values, in order."""

    parts: tuple[str | Value, ...]

    def __init__(self, *parts: str | Value) -> None:
        _freeze(self, parts=tuple(p for p in parts if p != ""))

    def values(self) -> tuple[Value, ...]:
        return tuple(p for p in self.parts if isinstance(p, Value))

    def replace_values(self, change: Callable[[Value], Value]) -> Text:
        """A copy with each Value passed through `change`."""
        return Text(*(change(p) if isinstance(p, Value) else p for p in self.parts))

    def __add__(self, other: str | Value | Text) -> Text:
        more = other.parts if isinstance(other, Text) else (other,)
        return Text(*self.parts, *more)


TextLike = str | Text


def as_text(item: TextLike) -> Text:
    return item if isinstance(item, Text) else Text(item)


def _texts(items: Sequence[TextLike]) -> tuple[Text, ...]:
    return tuple(as_text(i) for i in items)


# --- tables ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    label: str
    kind: Kind = Kind.TEXT
    signed: bool = False  # a change: a positive value is written with its sign (+6, −43)


@dataclass(frozen=True)
class Row:
    cells: Sequence[Cell]
    style: Style = Style.NORMAL
    # Overrides the kind of this row's non-text columns, for tables whose rows measure different
    # things in the same columns (counts, then shares, then months). None: the columns' kinds.
    kind: Kind | None = None
    # The stable identity of the quantity in each cell, e.g. "ung-i-tyreso/2017/avslutade/kvinnor",
    # for the disclosure audit; empty, or as long as `cells` (None for a cell without one).
    keys: Sequence[str | None] = ()

    def __post_init__(self) -> None:
        _freeze(self, cells=tuple(self.cells), keys=tuple(self.keys))
        if self.keys and len(self.keys) != len(self.cells):
            raise ValueError("Row.keys must be empty or as long as Row.cells")


@dataclass(frozen=True)
class Chart:
    """A native chart over a table: categories from one column, series from others."""

    type: Literal["column", "bar"]
    title: str
    categories: int  # column index of the category labels
    series: tuple[int, ...]  # column indexes drawn as bars/columns
    line: int | None = None  # column index drawn as a line on the same axes (e.g. the goal)
    rows: Literal["normal", "all"] = "normal"  # which rows to plot: "normal" skips subtotals/totals
    # The table rows to plot, by index (e.g. the cost lines of a budget); None: chosen by `rows`.
    only: tuple[int, ...] | None = None

    def plotted(self, table: Table) -> list[int]:
        """The indexes of the table rows this chart draws, in table order."""
        if self.only is not None:
            return [i for i in range(len(table.rows)) if i in self.only]
        return [i for i, r in enumerate(table.rows) if self.rows == "all" or r.style is Style.NORMAL]


@dataclass(frozen=True)
class Relation:
    """A known relation between published quantities (by their keys), for the disclosure audit.

    sum: target = Σ parts. ratio: target (a percent) = parts[0] / parts[1]. derived: target (an average whose
    count cannot be worked back, its other term not being published) is shown only while its parts are.
    """

    kind: Literal["sum", "ratio", "derived"]
    target: str
    parts: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    key: str  # stable identifier, e.g. "deltagare-och-avslut"
    title: str
    columns: Sequence[Column]
    rows: Sequence[Row]
    notes: Sequence[TextLike] = ()
    chart: Chart | None = None
    # Count columns hold persons or stints (small-count protection applies).
    protect: bool = False
    relations: Sequence[Relation] = ()  # identities between its keyed cells (and others'), for the audit

    def __post_init__(self) -> None:
        _freeze(self, columns=tuple(self.columns), rows=tuple(self.rows), notes=_texts(self.notes),
                relations=tuple(self.relations))

    def column(self, label: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.label == label)

    def kind_of(self, row: Row, index: int) -> Kind:
        """The kind of one cell: the column's, unless the row overrides its non-text columns."""
        kind = self.columns[index].kind
        return row.kind if row.kind is not None and kind is not Kind.TEXT else kind

    def row(self, first_cell: Cell) -> Row:
        return next(r for r in self.rows if r.cells[0] == first_cell)

    def value(self, first_cell: Cell, label: str) -> Cell:
        return self.row(first_cell).cells[self.column(label)]

    @property
    def signed(self) -> bool:
        """Whether any column is a change written with its sign."""
        return any(c.signed for c in self.columns)


@dataclass(frozen=True)
class Section:
    title: str
    tables: Sequence[Table] = ()
    paragraphs: Sequence[TextLike] = ()
    sheet: str | None = None  # the wanted Excel sheet name; defaults to the title (see sheet_names)
    # The part of a long document (the annual report) the section belongs to: a heading above its sections.
    part: str | None = None

    def __post_init__(self) -> None:
        _freeze(self, tables=tuple(self.tables), paragraphs=_texts(self.paragraphs))


# --- period, provenance, relations, report -----------------------------------------------


class PeriodKind(StrEnum):
    YEAR = "year"  # 1 January – 31 December
    HALF_YEAR = "half_year"  # 1 January – 30 June
    CUTOFF = "cutoff"  # 1 January up to and including a cut-off date


@dataclass(frozen=True)
class Period:
    """The period a report covers, as data; `label` is how reports write it."""

    kind: PeriodKind
    year: int
    start: date
    end: date
    against: int | None = None  # a comparison of two years (budget-jamforelse): the other year
    # Issue 13: the data covers the period only up to this date (a partial period); None: all of it.
    covered_until: date | None = None
    # ... and only from this date (an SIE financial year shorter than a year that starts later); None: the start.
    covered_from: date | None = None

    @classmethod
    def whole_year(cls, year: int, against: int | None = None) -> Period:
        return cls(PeriodKind.YEAR, year, date(year, 1, 1), date(year, 12, 31), against)

    @classmethod
    def half_year(cls, year: int) -> Period:
        return cls(PeriodKind.HALF_YEAR, year, date(year, 1, 1), date(year, 6, 30))

    @classmethod
    def cutoff(cls, year: int, end: date) -> Period:
        return cls(PeriodKind.CUTOFF, year, date(year, 1, 1), end)

    @property
    def label(self) -> str:
        if self.kind is PeriodKind.HALF_YEAR:
            return f"jan–juni {self.year}"
        if self.kind is PeriodKind.CUTOFF:
            return f"{self.start.isoformat()}–{self.end.isoformat()}"
        return f"{self.year} och {self.against}" if self.against is not None else str(self.year)

    def __str__(self) -> str:
        return self.label

    @property
    def partial_note(self) -> Text | None:
        """What a report of a partial period says about it (every renderer shows the report's notes)."""
        if self.covered_until is None:
            return None
        if self.covered_from is not None:
            return Text("Perioden är ofullständig: uppgifterna omfattar ", Value(self.covered_from, Kind.DATE),
                        " till och med ", Value(self.covered_until, Kind.DATE), ".")
        return Text("Perioden är ofullständig: uppgifterna sträcker sig till och med ",
                    Value(self.covered_until, Kind.DATE), ".")


@dataclass(frozen=True)
class Provenance:
    inputs: Sequence[InputFile]
    parameters: Mapping[str, str]
    version: str
    generated: datetime

    def __post_init__(self) -> None:
        _freeze(self, inputs=tuple(self.inputs), parameters=dict(self.parameters))

    @property
    def example_data(self) -> bool:
        return any(i.is_example for i in self.inputs)

    @property
    def data_date(self) -> datetime | None:
        """The newest input's modification time: the data's date, not the wall clock."""
        return max((i.modified for i in self.inputs), default=None)


@dataclass(frozen=True)
class Report:
    kind: str  # template name, e.g. "maluppfyllelse"
    title: str
    association: str
    period: Period
    provenance: Provenance
    subject: str | None = None  # the insats, where the report is about one
    sections: Sequence[Section] = ()
    notes: Sequence[TextLike] = ()
    unit: str | None = None  # "kr" or "tkr" for money reports
    relations: Sequence[Relation] = ()

    def __post_init__(self) -> None:
        notes = _texts(self.notes)
        partial = self.period.partial_note
        if partial is not None and partial not in notes:  # a partial period always says so, first
            notes = (partial, *notes)
        _freeze(self, sections=tuple(self.sections), notes=notes, relations=tuple(self.relations))

    def tables(self) -> tuple[Table, ...]:
        return tuple(t for s in self.sections for t in s.tables)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables() if t.key == key)
