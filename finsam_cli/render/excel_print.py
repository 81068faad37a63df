"""Print set-up of a worksheet: A4 landscape at a scale that keeps printed text at least 9 pt.

Fit-to-width would shrink a wide sheet until its 11 pt text prints as 6–7 pt. Instead the
scale is computed here: the page width over the sheet's width (its columns, or a chart if
wider), never above 100 % and never below MIN_SCALE, the scale at which 11 pt text prints
at 9 pt. A sheet wider than that continues on a second page across rather than shrinking.
The same scale tells the sheet writer how much of the sheet fits on one page, so that it can
put a page break before a chart that would otherwise be split.
"""

from __future__ import annotations

import math

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from ..reports.model import Report
from .excel_styles import header_footer_text

CM_PER_INCH = 2.54
PT_PER_CM = 72 / CM_PER_INCH
A4_LANDSCAPE_CM = (29.7, 21.0)
# A column width unit is one digit of the body font: 7 px of Calibri at 96 dpi in Excel (0.185 cm),
# measured 0.246 cm in LibreOffice where Calibri falls back to DejaVu Sans: the widest, so all fit.
CM_PER_WIDTH_UNIT = 0.25
DEFAULT_WIDTH = 8.43  # a column's width without its own
TEXT_PT = 11  # the smallest font on a sheet
PRINTED_MIN_PT = 9
MIN_SCALE = math.ceil(100 * PRINTED_MIN_PT / TEXT_PT)  # 82 %
# Programs differ a little in the space header and footer take: keep a margin below.
HEIGHT_SAFETY = 0.95


def printable_cm(ws: Worksheet) -> tuple[float, float]:
    """Width and height of the page inside the margins (header and footer sit in the top/bottom margins)."""
    m = ws.page_margins
    width, height = A4_LANDSCAPE_CM
    return width - (m.left + m.right) * CM_PER_INCH, height - (m.top + m.bottom) * CM_PER_INCH


def sheet_width_cm(ws: Worksheet) -> float:
    """The printed width of the used columns, or of the widest chart when that is wider."""
    columns = sum((ws.column_dimensions[get_column_letter(c)].width or DEFAULT_WIDTH) * CM_PER_WIDTH_UNIT
                  for c in range(1, ws.max_column + 1))
    # LibreOffice prints the whole column under a chart's right edge: allow one default column more.
    charts = max((float(chart.width) + DEFAULT_WIDTH * CM_PER_WIDTH_UNIT for chart in ws._charts), default=0.0)
    return max(columns, charts)


def print_scale(ws: Worksheet) -> int:
    """The percent the sheet prints at: fits the page width where that keeps text ≥ 9 pt."""
    width, _ = printable_cm(ws)
    fit = math.floor(100 * width / sheet_width_cm(ws))
    return max(MIN_SCALE, min(100, fit))


def rows_per_page_pt(ws: Worksheet) -> float:
    """How many points of sheet rows one printed page holds at the sheet's scale."""
    _, height = printable_cm(ws)
    return height * PT_PER_CM * HEIGHT_SAFETY * 100 / (ws.page_setup.scale or 100)


def page_setup(ws: Worksheet, report: Report) -> None:
    """A4 landscape at print_scale, report name on top and page numbers below."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.scale = print_scale(ws)
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=False)
    ws.oddHeader.center.text = header_footer_text(report.title)
    ws.oddHeader.right.text = header_footer_text(ws.title, 60)
    ws.oddFooter.left.text = header_footer_text(report.association, 80)
    ws.oddFooter.center.text = "Sida &P av &N"
