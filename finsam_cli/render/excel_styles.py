"""Cell values, number formats, fonts and sheet names for the Excel renderer.

Everything that decides *what* goes into one cell lives here: a number is rounded to the
precision the Markdown report prints and written as a number with a format; a text is
always written as a string (never a formula or an error code), cleaned of characters a
workbook cannot hold.
"""

from __future__ import annotations

import math
import numbers
from datetime import UTC, datetime
from decimal import Decimal

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from ..reports.model import Kind, Style, Suppressed
from ..rounding import round_half_up
from .numbers import SUPPRESSED_TEXT, format_cell

# Excel shows its own (e.g. Swedish) separators from these; negatives are red.
FMT_INTEGER = "#,##0;[Red]-#,##0"
# The Swedish space before the percent sign, as the Markdown writes it: 61 %.
FMT_PERCENT = "0 %;[Red]-0 %"
FMT_SHARE = "0.0 %;[Red]-0.0 %"
FMT_DECIMAL = "0.0;[Red]-0.0"
FMT_DATETIME = "yyyy-mm-dd hh:mm:ss"
FMT_YEAR = "0"  # 2017, never 2 017
# A change (Column.signed) is written with its sign (+6, −43), as the Markdown templates do.
FMT_SIGNED = "+#,##0;[Red]-#,##0;0"

NUMBER_FORMATS: dict[Kind, str] = {
    Kind.COUNT: FMT_INTEGER,
    Kind.AMOUNT: FMT_INTEGER,
    Kind.PERCENT: FMT_PERCENT,
    Kind.SHARE: FMT_SHARE,
    Kind.DECIMAL: FMT_DECIMAL,
    Kind.YEAR: FMT_YEAR,
}

# Decimals each kind is printed with in the Markdown report. Percent kinds are not here: a
# fraction is stored exact (1 499 034 / 2 470 000 = 0.6069…) and its number format rounds it.
_DECIMALS: dict[Kind, int] = {Kind.COUNT: 0, Kind.AMOUNT: 0, Kind.DECIMAL: 1}
_EXACT = (Kind.PERCENT, Kind.SHARE)

MAX_CELL_TEXT = 32767

_FACE = "Calibri"  # the workbook's body font; a font without a name falls back to a serif in some programs
FONT_TITLE = Font(name=_FACE, bold=True, size=14)
FONT_SECTION = Font(name=_FACE, bold=True, size=12)
FONT_TABLE_TITLE = Font(name=_FACE, bold=True, size=11)
FONT_BOLD = Font(name=_FACE, bold=True, size=11)
FONT_NOTE = Font(name=_FACE, italic=True, size=11, color="FF555555")
FONT_META = Font(name=_FACE, size=11, color="FF333333")
FILL_HEADER = PatternFill("solid", fgColor="FFDDEBF7")
FILL_EXAMPLE = PatternFill("solid", fgColor="FFFFF2CC")
_THIN = Side(style="thin")
BORDER_HEADER = Border(bottom=_THIN)
BORDER_SUBTOTAL = Border(top=_THIN)
BORDER_TOTAL = Border(top=_THIN, bottom=Side(style="double"))
ALIGN_RIGHT = Alignment(horizontal="right")
ALIGN_LEFT = Alignment(horizontal="left")
# Left-aligned text after a right-aligned number column is indented, so `249 Nej` reads as two columns.
ALIGN_LEFT_INDENT = Alignment(horizontal="left", indent=1)
ALIGN_WRAP = Alignment(wrap_text=True, vertical="top")
ALIGN_HEADER_TEXT = Alignment(horizontal="left", vertical="bottom", wrap_text=True)
ALIGN_HEADER_TEXT_INDENT = Alignment(horizontal="left", vertical="bottom", wrap_text=True, indent=1)
ALIGN_HEADER_NUMBER = Alignment(horizontal="right", vertical="bottom", wrap_text=True)


def clean_text(value: object) -> str:
    """Text a worksheet can hold: no control characters, at most 32 767 characters."""
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))[:MAX_CELL_TEXT]


def write_text(cell: Cell, value: object) -> str:
    """Write `value` as a plain string, even when it starts with = + - @ or reads like #N/A."""
    text = clean_text(value)
    cell.value = text
    cell.data_type = "s"  # openpyxl would make "=..." a formula and "#N/A" an error
    if text[:1] in ("=", "+", "-", "@"):
        cell.quotePrefix = True  # and Excel keeps it text when a person edits the cell
    return text


def excel_number(value: int | float, kind: Kind) -> int | float:
    """The number as the Markdown report prints it (same rounding, half up), except fractions.

    A percent or share is stored exact, so that a reader's own formulas start from the true
    value; its number format shows it rounded as the Markdown does.
    """
    if kind in _EXACT:
        return float(value)
    decimals = _DECIMALS.get(kind)
    if decimals is None:  # a number in a text column or a year: keep it as it is
        return value
    if isinstance(value, int) and decimals == 0:
        return value
    rounded = round_half_up(value, decimals)  # a percent as a fraction: 0.575 is 58 %, as Markdown prints it
    if rounded == rounded.to_integral_value():
        return int(rounded)  # integral values are integers (and never −0)
    return float(rounded)


def write_value(cell: Cell, value: object, kind: Kind, signed: bool = False) -> str:
    """Write one table cell; returns the text a reader sees (used to fit the column width).

    `signed`: a change, shown with a plus sign when positive (counts and amounts only).
    """
    if value is None or (isinstance(value, str) and value == "") or type(value).__name__ in ("NAType", "NaTType"):
        return ""  # nothing, also pandas' missing values
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        value = int(value)  # numpy and pandas integers too
    elif isinstance(value, numbers.Real | Decimal) and not isinstance(value, bool):
        value = float(value)
    if isinstance(value, Suppressed):
        write_text(cell, SUPPRESSED_TEXT)
        cell.alignment = ALIGN_RIGHT
        return SUPPRESSED_TEXT
    if isinstance(value, datetime):
        cell.value = naive_utc(value)
        cell.number_format = FMT_DATETIME
        cell.alignment = ALIGN_LEFT
        return cell.value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, bool) or not isinstance(value, int | float):
        text = write_text(cell, value)
        if kind in NUMBER_FORMATS and kind is not Kind.YEAR:  # a mark such as `–` (no amount) stands where
            # the numbers do; a year column's texts ("2011–2017") are labels, left as the years are
            cell.alignment = ALIGN_RIGHT
        return text
    if isinstance(value, float) and not math.isfinite(value):  # NaN/inf: no number to show
        return ""
    number = excel_number(value, kind)
    cell.value = number
    fmt = NUMBER_FORMATS.get(kind)
    if fmt is not None:
        signed = signed and fmt == FMT_INTEGER
        cell.number_format = FMT_SIGNED if signed else fmt
        if kind is Kind.YEAR:
            cell.alignment = ALIGN_LEFT  # a year labels its row, as a text does
        return ("+" if signed and number > 0 else "") + format_cell(number, kind)
    cell.alignment = ALIGN_LEFT  # a number among texts (a year, a threshold) reads as part of them
    return str(number)


def style_row(cells: list[Cell], style: Style) -> None:
    if style is Style.NORMAL:
        return
    border = {Style.TOTAL: BORDER_TOTAL, Style.SUBTOTAL: BORDER_SUBTOTAL}.get(style)
    for c in cells:
        c.font = FONT_BOLD
        if border is not None:
            c.border = border


def naive_utc(moment: datetime) -> datetime:
    """Excel has no time zones: store UTC without tzinfo, whole seconds."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def header_footer_text(text: str, limit: int = 200) -> str:
    """Text for a print header: `&` starts a code there, so it is doubled."""
    return clean_text(text).replace("\n", " ")[:limit].replace("&", "&&")
