"""Render a report as an Excel workbook (openpyxl), from the same Report object as the Markdown.

Layout
- One sheet per section or part, named by `reports.sheets.sheets` from `Section.sheet` (else its
  title): forbidden characters removed, at most 31 characters, unique (case-insensitively).
  Each sheet starts with the report title, the line "förbund · insats · Period · Belopp i",
  and the Exempeldata banner when the inputs are example data; then the section title and
  its paragraphs; then the section's tables in the Markdown order, stacked with a blank row
  between them, each with a bold title row, a bold shaded header, its rows and its notes.
- A sheet has at most one freeze pane and one autofilter, so only a sheet that holds one
  table gets them, on that table (and, without a chart, its header repeats on printed pages).
- Charts are native openpyxl charts over the table's own cells, anchored in column A below
  the table and its notes; the next table starts below the chart.
- Print (excel_print): A4 landscape at a computed scale, never below the one that prints
  11 pt text at 9 pt; every page end is a planned manual break, so that no chart is split
  and no table title is left without its first rows, in Excel and LibreOffice alike.
- Text right of column A is indented, so that it stands clear of a number to its left.
- The last sheet, "Om rapporten", lists the report, the input files (role, name, SHA-256,
  rows, modification time), the parameters, the finsam version, whether the data is example
  data, the data date, and the report's notes.

Cells
- Numbers are numbers, rounded exactly as the Markdown prints them (half up; whole kronor or
  tkr, one decimal), so the workbook holds the report's numbers; percentages are the exact
  fractions, shown rounded by their format. Counts and amounts use `#,##0`, percentages
  `0 %` (shares `0.0 %`, with the Swedish space), decimals `0.0`, years `0` (a number, left
  like a label); every format shows negatives in red. A signed column (Column.signed) shows its sign (+6, −43)
  as the maluppfyllelse template does. A suppressed small count is the text `..`, the only
  text in a numeric column; the table's notes explain it. Pandas/numpy numbers are written
  as plain ints and floats; missing values (None, NaN, pd.NA) as empty cells.
- Text is always a string: openpyxl would make "=…" a formula and "#N/A" an error, so every
  text cell is forced to the string type, and text starting with = + - @ gets Excel's quote
  prefix. Control characters a workbook cannot hold are dropped.

Determinism
- The document's created/modified times are the data date (the newest input's modification
  time), else `clock.now()` ($SOURCE_DATE_EPOCH when set). The wall clock never enters: the
  zip archive openpyxl writes is rewritten with every entry stamped with the same date and
  fixed attributes, so unchanged inputs give byte-identical workbooks.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from .. import clock
from ..reports.model import Report
from ..reports.sheets import sheets
from .excel_sheets import ABOUT_SHEET, write_about, write_section
from .excel_styles import naive_utc
from .properties import properties

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold


def data_moment(report: Report) -> datetime:
    """The time the workbook is stamped with: the data's date, not the wall clock."""
    return naive_utc(report.provenance.data_date or clock.now())


def build_workbook(report: Report) -> Workbook:
    wb = Workbook()
    first = True
    for name, (section, *more) in sheets(report.sections, (ABOUT_SHEET,)):
        if first:
            ws = wb.active
            assert ws is not None
            ws.title = name
            first = False
        else:
            ws = wb.create_sheet(name)
        write_section(ws, report, section, *more)
    about = wb.active if first else wb.create_sheet(ABOUT_SHEET)
    assert about is not None
    about.title = ABOUT_SHEET
    write_about(about, report, report.provenance.data_date)
    wb.active = 0

    moment = data_moment(report)
    props, said = wb.properties, properties(report)
    props.title, props.subject, props.keywords, props.description = said.title, said.subject, said.keywords, \
        said.comments
    props.creator = props.lastModifiedBy = said.author
    props.created = moment
    props.modified = moment
    return wb


def _zip_time(moment: datetime) -> tuple[int, int, int, int, int, int]:
    if moment.year < 1980:
        return ZIP_EPOCH
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def normalise_zip(data: bytes, moment: datetime) -> bytes:
    """Rewrite an archive with the same entries, in the same order, all stamped `moment`."""
    stamp = _zip_time(moment)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename), compresslevel=6)
    return out.getvalue()


def render_xlsx(report: Report) -> bytes:
    """The report as the bytes of an .xlsx file; the same report always gives the same bytes."""
    wb = build_workbook(report)
    raw = io.BytesIO()
    # Not openpyxl.save_workbook: it stamps the document with the wall clock.
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).write_data()
    return normalise_zip(raw.getvalue(), data_moment(report))
