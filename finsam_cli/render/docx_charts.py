"""A table's chart drawn as a PNG with matplotlib, for the Word renderer.

The same chart the workbook draws natively (reports/model.py `Chart`): clustered columns with an
optional line (e.g. the goal), or horizontal bars top-down in the table's order, where a line
column becomes one more bar series. Values are the table's own numbers; axis labels are written
the Swedish way. matplotlib is imported here only, and only with its Agg canvas (no pyplot, no
display, no global state); the PNG carries no software or time metadata, so the same table always
gives the same bytes.
"""

from __future__ import annotations

import io
import math
import numbers

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..reports.model import Kind, Table
from .excel_charts import CHART_MIN_HEIGHT_CM, CHART_WIDTH_CM
from .excel_styles import clean_text
from .numbers import format_cell, format_number, format_percent

CM_PER_INCH = 2.54
DPI = 150
MAX_HEIGHT_CM = 18.0
_COLOURS = ("#2f5597", "#c55a11", "#548235", "#7f6000", "#7030a0")
_LINE_COLOUR = "#c00000"
_PERCENT_KINDS = (Kind.PERCENT, Kind.SHARE)


def _number(value: object) -> float:
    """A plotted value; anything that is not a number (a hidden count, a blank) is not drawn."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        number = float(value)
        return number if math.isfinite(number) else math.nan
    return math.nan


def chart_png(table: Table) -> tuple[bytes, float] | None:
    """The chart of `table` as PNG bytes and its height in cm; None when it has nothing to draw."""
    chart = table.chart
    if chart is None:
        return None
    rows = [table.rows[i] for i in chart.plotted(table)]
    if not rows:
        return None
    horizontal = chart.type == "bar"
    bars = list(chart.series) + ([chart.line] if chart.line is not None and horizontal else [])
    labels = [_label(format_cell(r.cells[chart.categories], table.kind_of(r, chart.categories))) for r in rows]
    kind = table.kind_of(rows[0], chart.series[0]) if chart.series else Kind.COUNT
    height = _height_cm(len(rows), horizontal)

    figure = Figure(figsize=(CHART_WIDTH_CM / CM_PER_INCH, height / CM_PER_INCH), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(rows)))
    width = 0.8 / max(1, len(bars))
    for n, index in enumerate(bars):
        values = [_number(r.cells[index]) for r in rows]
        offsets = [p - 0.4 + width * (n + 0.5) for p in positions]
        draw = axes.barh if horizontal else axes.bar
        draw(offsets, values, width, label=_label(table.columns[index].label), color=_COLOURS[n % len(_COLOURS)])
    if chart.line is not None and not horizontal:
        axes.plot(positions, [_number(r.cells[chart.line]) for r in rows], marker="D",
                  color=_LINE_COLOUR, label=_label(table.columns[chart.line].label))

    ticks = FuncFormatter(lambda v, _: _tick(v, kind))
    if horizontal:
        axes.set_yticks(positions, labels)
        axes.invert_yaxis()  # the first table row on top, as in the table
        axes.xaxis.set_major_formatter(ticks)
        axes.xaxis.set_major_locator(MaxNLocator(nbins=5))
        axes.grid(axis="x", color="#d9d9d9", linewidth=0.6)
    else:
        axes.set_xticks(positions, labels)
        axes.yaxis.set_major_formatter(ticks)
        axes.yaxis.set_major_locator(MaxNLocator(nbins=6))
        axes.grid(axis="y", color="#d9d9d9", linewidth=0.6)
        axes.axhline(0, color="#808080", linewidth=0.6)
    axes.set_axisbelow(True)
    axes.tick_params(labelsize=7)
    axes.set_title(_label(chart.title), fontsize=9)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.12 if not horizontal else -0.06),
                ncol=len(bars) + 1, frameon=False)
    figure.tight_layout()

    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue(), height


def _label(text: str) -> str:
    """Text on one line, as a chart can draw it: no control characters, tabs or line breaks."""
    return " ".join(clean_text(text).split())


def _height_cm(n_categories: int, horizontal: bool) -> float:
    """Room for every category label of a bar chart, within a page's height."""
    if not horizontal:
        return CHART_MIN_HEIGHT_CM
    return min(MAX_HEIGHT_CM, max(CHART_MIN_HEIGHT_CM, 2.5 + 0.5 * n_categories))


def _tick(value: float, kind: Kind) -> str:
    if kind in _PERCENT_KINDS:
        return format_percent(value)
    return format_number(value, 1 if kind is Kind.DECIMAL else 0)

