"""What `bokslut` computes: statements and notes as plain frozen rows, amounts in öre (None: no amount, `–`)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

ROUNDING_FOOTNOTE = "Avrundningsdifferenser kan förekomma"


class RowStyle(StrEnum):
    NORMAL = "normal"
    SUBTOTAL = "subtotal"
    TOTAL = "total"
    HEADING = "heading"  # a section title without amounts (Tillgångar)
    MEMO = "memo"  # a line shown without amounts when empty (Panter …, Ansvarsförbindelser)


@dataclass(frozen=True)
class Row:
    label: str
    current: int | None = None
    previous: int | None = None
    note: int | None = None
    style: RowStyle = RowStyle.NORMAL


@dataclass(frozen=True)
class Statement:
    title: str
    columns: tuple[str, str]  # this year's and last year's heading: the years, or the closing dates
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Note:
    number: int
    title: str
    columns: tuple[str, str]
    rows: tuple[Row, ...] = ()
    text: str = ""


@dataclass(frozen=True)
class Bokslut:
    year: str
    closed: bool  # False: the year's result is not yet booked to equity (shown included, with a notice)
    statements: tuple[Statement, ...]
    notes: tuple[Note, ...]
    notices: tuple[str, ...]  # sentences shown under the statements (open year, missing previous year)
    footnotes: tuple[str, ...]  # the rounding footnote, at most once


def kronor(ore: int) -> int:
    """Öre to whole kronor, half up (away from zero), as the published statements round."""
    sign = -1 if ore < 0 else 1
    return sign * ((abs(ore) + 50) // 100)

