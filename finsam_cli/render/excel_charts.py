"""Native (openpyxl) charts over a table that is already on the sheet.

A chart's series refer to the table's own cells, so a person who corrects a number sees
the chart follow. When only the ordinary rows are plotted and subtotals sit between them,
a series refers to a union of ranges, `('Blad'!$B$5:$B$9,'Blad'!$B$11:$B$12)`, as Excel
itself writes for a Ctrl-selection. Each reference also carries a cache of its values so
that viewers that do not recalculate (previews, mail clients) still draw the chart.

- A chart is anchored in column A below its table and notes, so it covers no text and
  prints at the table's scale; the sheet writer keeps it on one page (see excel_sheets).
- Chart text (axes, legend) is 11 pt, as the cells are, so it prints at ≥ 9 pt at the
  smallest print scale the sheet allows; the value axis has at most five steps, so wide
  numbers (`10 000 000`) never run together.
- type "column": clustered columns; `line` adds a line series on the same axes (e.g. the goal).
- type "bar": clustered horizontal bars, categories top-down in the table's order; a `line`
  column becomes one more bar series, since a line cannot share a horizontal bar chart's axes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from openpyxl.chart import BarChart, LineChart
from openpyxl.chart.data_source import (
    AxDataSource,
    NumData,
    NumDataSource,
    NumRef,
    NumVal,
    StrData,
    StrRef,
    StrVal,
)
from openpyxl.chart.series import Series, SeriesLabel
from openpyxl.chart.text import RichText
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.worksheet import Worksheet

from ..reports.model import Chart, Kind, Table
from .excel_styles import NUMBER_FORMATS, clean_text

ROW_CM = 15 / 72 * 2.54  # a chart's rows are 15 pt high (the sheet writer sets them)
CHART_WIDTH_CM = 16.0
# Horizontal bars: room for long category names beside the bars. LibreOffice prints whole columns,
# so the column under a chart's right edge must fit the page too: 22 cm leaves room for one.
BAR_CHART_WIDTH_CM = 22.0
LABEL_LINE_CHARS = 35  # characters of an 11 pt category name on one line beside the bars
LABEL_LINE_CM = 0.6
CHART_TEXT_SIZE = 1100  # hundredths of a point: 11 pt, as the cells
VALUE_STEPS_MAX = 5
CHART_MIN_HEIGHT_CM = 7.5
CHART_MAX_HEIGHT_CM = 14.0  # fits one printed page at 100 %, so a page break before the chart keeps it whole
_AXIS_FORMATS = {Kind.PERCENT: "0%", Kind.SHARE: "0%", Kind.DECIMAL: "0.0"}


@dataclass(frozen=True)
class Placed:
    """Where a table landed on its sheet."""

    title_row: int
    header_row: int
    data_rows: list[int]  # the sheet row of each table row, in order
    first_col: int = 1


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Consecutive sheet rows grouped into (first, last) runs."""
    runs: list[tuple[int, int]] = []
    for r in rows:
        if runs and runs[-1][1] == r - 1:
            runs[-1] = (runs[-1][0], r)
        else:
            runs.append((r, r))
    return runs


def _ref(ws: Worksheet, col: int, rows: list[int]) -> str:
    sheet = quote_sheetname(ws.title)
    letter = get_column_letter(col)
    parts = [f"{sheet}!${letter}${a}" + (f":${letter}${b}" if b != a else "") for a, b in _runs(rows)]
    return parts[0] if len(parts) == 1 else "(" + ",".join(parts) + ")"


def _cached_number(ws: Worksheet, col: int, rows: list[int]) -> NumRef:
    points = []
    for i, r in enumerate(rows):
        v = ws.cell(row=r, column=col).value
        if isinstance(v, int | float) and not isinstance(v, bool):
            points.append(NumVal(idx=i, v=v))
    return NumRef(f=_ref(ws, col, rows), numCache=NumData(formatCode="General", ptCount=len(rows), pt=points))


def _cached_text(ws: Worksheet, col: int, rows: list[int]) -> StrRef:
    points = [StrVal(idx=i, v=clean_text(ws.cell(row=r, column=col).value or "")) for i, r in enumerate(rows)]
    return StrRef(f=_ref(ws, col, rows), strCache=StrData(ptCount=len(rows), pt=points))


def _series(ws: Worksheet, placed: Placed, col_index: int, rows: list[int], categories: AxDataSource) -> Series:
    col = placed.first_col + col_index
    label = _cached_text(ws, col, [placed.header_row])
    return Series(val=NumDataSource(numRef=_cached_number(ws, col, rows)), cat=categories,
                  tx=SeriesLabel(strRef=label))


def _categories(ws: Worksheet, placed: Placed, col_index: int, rows: list[int]) -> AxDataSource:
    col = placed.first_col + col_index
    values = [ws.cell(row=r, column=col).value for r in rows]
    if values and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return AxDataSource(numRef=_cached_number(ws, col, rows))
    return AxDataSource(strRef=_cached_text(ws, col, rows))


def chart_rows(table: Table, chart: Chart, placed: Placed) -> list[int]:
    return [placed.data_rows[i] for i in chart.plotted(table)]


def _text_size() -> RichText:
    size = CharacterProperties(sz=CHART_TEXT_SIZE)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=size), endParaRPr=size)])


def value_step(top: float) -> float | None:
    """A round axis step (1, 2 or 5 × 10^k) giving at most VALUE_STEPS_MAX steps up to `top`."""
    if top <= 0:
        return None
    rough = top / VALUE_STEPS_MAX
    power = 10.0 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    return int(step) if step >= 1 else step


def _largest(ws: Worksheet, cols: list[int], rows: list[int]) -> float:
    values = [abs(v) for c in cols for r in rows
              if isinstance(v := ws.cell(row=r, column=c).value, int | float) and not isinstance(v, bool)]
    return max(values, default=0.0)


def chart_height_cm(labels: list[str], horizontal: bool, n_series: int) -> float:
    """Tall enough that every category name (wrapped, beside horizontal bars) gets its line(s)."""
    if not horizontal:
        return CHART_MIN_HEIGHT_CM
    bars = 0.45 * max(1, n_series)
    rows = sum(max(bars, LABEL_LINE_CM * math.ceil(max(1, len(label)) / LABEL_LINE_CHARS)) for label in labels)
    return min(CHART_MAX_HEIGHT_CM, max(CHART_MIN_HEIGHT_CM, 3.0 + rows))


def add_chart(ws: Worksheet, table: Table, placed: Placed, top_row: int) -> int:
    """Draw `table.chart` in column A from `top_row`; returns the number of sheet rows it covers."""
    chart = table.chart
    if chart is None:
        return 0
    rows = chart_rows(table, chart, placed)
    if not rows:
        return 0
    horizontal = chart.type == "bar"
    bar_columns = list(chart.series)
    if chart.line is not None and horizontal:
        bar_columns.append(chart.line)

    categories = _categories(ws, placed, chart.categories, rows)
    bar = BarChart()
    bar.type = "bar" if horizontal else "col"
    bar.grouping = "clustered"
    bar.title = clean_text(chart.title)
    for index in bar_columns:
        bar.series.append(_series(ws, placed, index, rows, categories))
    bar.legend.position = "b"
    bar.legend.txPr = _text_size()
    first_row = next(r for r, sheet_row in zip(table.rows, placed.data_rows, strict=True) if sheet_row == rows[0])
    value_kind = table.kind_of(first_row, chart.series[0]) if chart.series else Kind.COUNT
    bar.y_axis.number_format = _AXIS_FORMATS.get(value_kind, NUMBER_FORMATS.get(value_kind, "General").split(";")[0])
    # openpyxl 3.1 marks axes as deleted unless told otherwise; newer Excel then hides them.
    bar.x_axis.delete = False
    bar.y_axis.delete = False
    bar.x_axis.txPr = _text_size()
    bar.y_axis.txPr = _text_size()
    value_cols = [placed.first_col + i for i in (*bar_columns, *([chart.line] if chart.line is not None else []))]
    largest = _largest(ws, value_cols, rows)
    bar.y_axis.majorUnit = value_step(largest)
    if value_kind in (Kind.PERCENT, Kind.SHARE) and largest <= 1:
        bar.y_axis.scaling.max = 1  # a share axis ends at 100 %, not at a step beyond it
    if horizontal:
        bar.x_axis.scaling.orientation = "maxMin"  # first table row on top, as in the table
        bar.x_axis.tickLblSkip = 1  # every budget line gets its label
        bar.y_axis.crosses = "max"  # keeps the value axis at the bottom despite the reversed order
    else:
        bar.x_axis.tickLblPos = "low"  # labels under the plot even when values are negative

    if chart.line is not None and not horizontal:
        line = LineChart()
        line.series.append(_series(ws, placed, chart.line, rows, categories))
        line.series[0].marker.symbol = "diamond"
        line.series[0].marker.size = 9  # a goal set for one year only is a single point: make it seen
        line.series[0].smooth = False
        line.x_axis.delete = False
        line.y_axis.delete = False
        bar += line  # same axis ids: the line shares the columns' axes

    labels = [str(ws.cell(row=r, column=placed.first_col + chart.categories).value or "") for r in rows]
    height = chart_height_cm(labels, horizontal, len(bar_columns))
    bar.width = BAR_CHART_WIDTH_CM if horizontal else CHART_WIDTH_CM
    bar.height = height
    ws.add_chart(bar, f"{get_column_letter(placed.first_col)}{top_row}")
    return math.ceil(height / ROW_CM)
