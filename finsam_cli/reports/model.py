"""A report is data: sections of tables with typed columns, notes and provenance.

Computation builds these objects once; the Markdown, Excel and terminal renderers
only read them. Percent cells hold fractions (0.70), amounts kronor or tkr as the
report's unit says, counts integers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Literal

from ..core.provenance import InputFile


class Kind(StrEnum):
    TEXT = "text"
    COUNT = "count"  # persons or stints: integers, subject to small-count protection
    AMOUNT = "amount"  # money in the report's unit
    PERCENT = "percent"  # fraction, shown as a whole percent
    DECIMAL = "decimal"  # one decimal, e.g. months
    SHARE = "share"  # fraction with one decimal percent (membership fee shares)


class Style(StrEnum):
    NORMAL = "normal"
    SUBTOTAL = "subtotal"
    TOTAL = "total"


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


@dataclass(frozen=True)
class Column:
    label: str
    kind: Kind = Kind.TEXT


@dataclass
class Row:
    cells: list[Cell]
    style: Style = Style.NORMAL
    # Overrides the kind of this row's non-text columns, for tables whose rows measure different
    # things in the same columns (counts, then shares, then months). None: the columns' kinds.
    kind: Kind | None = None


@dataclass(frozen=True)
class Chart:
    """A native chart over a table: categories from one column, series from others."""

    type: Literal["column", "bar"]
    title: str
    categories: int  # column index of the category labels
    series: tuple[int, ...]  # column indexes drawn as bars/columns
    line: int | None = None  # column index drawn as a line on the same axes (e.g. the goal)
    rows: Literal["normal", "all"] = "normal"  # which rows to plot: "normal" skips subtotals/totals


@dataclass
class Table:
    key: str  # stable identifier, e.g. "deltagare-och-avslut"
    title: str
    columns: list[Column]
    rows: list[Row]
    notes: list[str] = field(default_factory=list)
    chart: Chart | None = None
    # Count columns hold persons or stints (small-count protection applies).
    protect: bool = False

    def column(self, label: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.label == label)

    def kind_of(self, row: Row, index: int) -> Kind:
        """The kind of one cell: the column's, unless the row overrides its non-text columns."""
        kind = self.columns[index].kind
        return row.kind if row.kind is not None and kind is not Kind.TEXT else kind

    def row(self, first_cell: str) -> Row:
        return next(r for r in self.rows if r.cells[0] == first_cell)

    def value(self, first_cell: str, label: str) -> Cell:
        return self.row(first_cell).cells[self.column(label)]


@dataclass
class Section:
    title: str
    tables: list[Table] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    sheet: str | None = None  # Excel sheet name; defaults to the title


@dataclass
class Provenance:
    inputs: list[InputFile]
    parameters: dict[str, str]
    version: str
    generated: datetime

    @property
    def example_data(self) -> bool:
        return any(i.is_example for i in self.inputs)

    @property
    def data_date(self) -> datetime | None:
        """The newest input's modification time: the data's date, not the wall clock."""
        return max((i.modified for i in self.inputs), default=None)


@dataclass
class Report:
    kind: str  # template name, e.g. "maluppfyllelse"
    title: str
    association: str
    period: str  # as written in the report, e.g. "2017" or "jan–juni 2014"
    provenance: Provenance
    subject: str | None = None  # the insats, where the report is about one
    sections: list[Section] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unit: str | None = None  # "kr" or "tkr" for money reports

    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables() if t.key == key)
