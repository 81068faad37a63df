"""Lay out one worksheet: report header, section text, stacked tables with charts, print set-up."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from ..reports.model import Column, Kind, Report, Section, Style, Table
from .excel_charts import Placed, add_chart
from .excel_styles import (
    ALIGN_HEADER_NUMBER,
    ALIGN_HEADER_TEXT,
    ALIGN_WRAP,
    BORDER_HEADER,
    FILL_EXAMPLE,
    FILL_HEADER,
    FONT_BOLD,
    FONT_META,
    FONT_NOTE,
    FONT_SECTION,
    FONT_TABLE_TITLE,
    FONT_TITLE,
    header_footer_text,
    style_row,
    write_text,
    write_value,
)
from .numbers import plain

EXAMPLE_BANNER = ("Exempeldata. Rapporten bygger på påhittade exempeldata, "
                  "inte på verkliga personer eller räkenskaper.")
ABOUT_SHEET = "Om rapporten"
LINE_PT = 15.0  # one line of 11 pt text
WIDTH_MIN = 8
WIDTH_MAX = 60
HEADER_LABEL_FIT = 24  # longer header labels wrap instead of widening the column
FREEZE_MAX_PT = 330.0  # do not freeze a header area taller than about half a screen
_INTEGER = re.compile(r"-?(0|[1-9]\d{0,14})")


def meta_line(report: Report) -> str:
    """The line under the title, as in the Markdown header."""
    parts = [report.association]
    if report.subject:
        parts.append(report.subject)
    parts.append(f"Period: {report.period.label}")
    if report.unit:
        parts.append(f"Belopp i {report.unit}")
    return " · ".join(parts)


def _lines(text: str, width: float) -> int:
    """Estimated lines of `text` wrapped in a column `width` characters wide."""
    chars = max(1.0, width - 1)
    return sum(max(1, math.ceil(len(part) / chars)) for part in text.split("\n"))


@dataclass
class SheetWriter:
    """Writes rows top-down, remembering what it needs to fit widths and heights at the end."""

    ws: Worksheet
    width_max: int = WIDTH_MAX
    row: int = 1
    widths: dict[int, int] = field(default_factory=dict)
    blocks: list[tuple[int, str]] = field(default_factory=list)  # (row, text) spanning the used columns
    wrapped: dict[int, list[tuple[int, str]]] = field(default_factory=dict)  # row -> [(col, text)]
    placed: list[tuple[Table, Placed]] = field(default_factory=list)
    headers: set[int] = field(default_factory=set)  # header rows (bottom-aligned; data rows align top)
    banners: list[int] = field(default_factory=list)  # rows whose fill spans the used columns

    # -- text rows -------------------------------------------------------------------------
    def line(self, text: str, font: Font | None = None, fill: PatternFill | None = None) -> int:
        cell = self.ws.cell(row=self.row, column=1)
        write_text(cell, text)
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        self.row += 1
        return self.row - 1

    def block(self, text: str, font: Font | None = None) -> None:
        """A paragraph or note: wrapped across the used columns once their widths are known."""
        self.blocks.append((self.line(text, font), text))

    def skip(self, n: int = 1) -> None:
        self.row += n

    def report_header(self, report: Report) -> None:
        self.line(report.title, FONT_TITLE)
        self.ws.row_dimensions[self.row - 1].height = 20
        self.line(meta_line(report), FONT_META)
        if report.provenance.example_data:
            self.banners.append(self.line(EXAMPLE_BANNER, FONT_BOLD, FILL_EXAMPLE))
        self.skip()

    # -- tables ----------------------------------------------------------------------------
    def _fit(self, col: int, text: str) -> None:
        longest_line = max((len(part) for part in text.split("\n")), default=0)
        self.widths[col] = max(self.widths.get(col, 0), longest_line)

    def grid(self, title: str, columns: Sequence[Column], rows: Sequence[tuple[Sequence[object], Style]],
             notes: Sequence[str] = (), kinds: Sequence[Sequence[Kind]] | None = None) -> Placed:
        """A titled table: bold header, typed cells, bold subtotal/total rows, notes below.

        `kinds` gives each row's cell kinds when rows override their columns' kinds.
        """
        title_row = self.line(title, FONT_TABLE_TITLE)
        header_row = self.row
        self.headers.add(header_row)
        for j, column in enumerate(columns, start=1):
            cell = self.ws.cell(row=header_row, column=j)
            label = write_text(cell, column.label)
            cell.font = FONT_BOLD
            cell.fill = FILL_HEADER
            cell.border = BORDER_HEADER
            cell.alignment = ALIGN_HEADER_TEXT if column.kind is Kind.TEXT else ALIGN_HEADER_NUMBER
            longest_word = max((len(w) for w in label.split()), default=0)
            self._fit(j, "x" * max(longest_word, min(len(label), HEADER_LABEL_FIT)))
            self.wrapped.setdefault(header_row, []).append((j, label))
        self.row += 1
        data_rows: list[int] = []
        for i, (values, style) in enumerate(rows):
            cells = []
            for j, column in enumerate(columns, start=1):
                cell = self.ws.cell(row=self.row, column=j)
                kind = kinds[i][j - 1] if kinds is not None else column.kind
                shown = write_value(cell, values[j - 1] if j - 1 < len(values) else None, kind,
                                    signed=column.signed)
                self._fit(j, shown)
                if cell.data_type == "s" and (len(shown) > self.width_max or "\n" in shown):
                    cell.alignment = ALIGN_WRAP
                    self.wrapped.setdefault(self.row, []).append((j, shown))
                cells.append(cell)
            style_row(cells, style)
            data_rows.append(self.row)
            self.row += 1
        for note in notes:
            self.block(note, FONT_NOTE)
        return Placed(title_row=title_row, header_row=header_row, data_rows=data_rows)

    def table(self, table: Table) -> Placed:
        kinds = [[table.kind_of(r, j) for j in range(len(table.columns))] for r in table.rows]
        placed = self.grid(table.title, table.columns, [(r.cells, r.style) for r in table.rows],
                           [plain(n) for n in table.notes], kinds)
        self.placed.append((table, placed))
        chart_rows = add_chart(self.ws, table, placed)
        self.row = max(self.row, placed.title_row + chart_rows) + 1  # a blank row, and below any chart
        return placed

    # -- finishing -------------------------------------------------------------------------
    def finish(self, report: Report, freeze: bool = True) -> None:
        ws = self.ws
        for col, width in sorted(self.widths.items()):
            ws.column_dimensions[get_column_letter(col)].width = min(self.width_max, max(WIDTH_MIN, width + 3))
        used = max(self.widths, default=1)
        span = sum(ws.column_dimensions[get_column_letter(c)].width for c in range(1, used + 1))
        for row, text in self.blocks:
            if len(text) > span or "\n" in text:
                if used > 1:
                    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=used)
                ws.cell(row=row, column=1).alignment = ALIGN_WRAP
                ws.row_dimensions[row].height = LINE_PT * _lines(text, span)
        for row, cells in sorted(self.wrapped.items()):
            lines = max(_lines(text, ws.column_dimensions[get_column_letter(c)].width) for c, text in cells)
            if lines > 1:
                ws.row_dimensions[row].height = LINE_PT * lines
                if row not in self.headers:
                    for cell in ws[row]:
                        a = cell.alignment
                        cell.alignment = Alignment(horizontal=a.horizontal, vertical="top", wrap_text=a.wrap_text)
        for row in self.banners:
            for col in range(2, used + 1):
                ws.cell(row=row, column=col).fill = FILL_EXAMPLE
        if freeze and self.placed:
            self._freeze_and_filter()
        page_setup(ws, report)

    def _freeze_and_filter(self) -> None:
        ws = self.ws
        _, first = self.placed[0]
        above = sum(ws.row_dimensions[r].height or LINE_PT for r in range(1, first.header_row + 1))
        if above <= FREEZE_MAX_PT:
            ws.freeze_panes = f"A{first.header_row + 1}"
        # A sheet has one autofilter: it goes on the table with the most rows (the first of equals).
        table, placed = max(self.placed, key=lambda tp: len(tp[0].rows))
        if placed.data_rows:
            ws.auto_filter.ref = f"A{placed.header_row}:{get_column_letter(len(table.columns))}{placed.data_rows[-1]}"
        if len(self.placed) == 1:  # repeat the header on every printed page, when it is the only one
            ws.print_title_rows = f"{first.header_row}:{first.header_row}"


def page_setup(ws: Worksheet, report: Report) -> None:
    """A4 landscape, fit to the page width, report name on top and page numbers below."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddHeader.center.text = header_footer_text(report.title)
    ws.oddHeader.right.text = header_footer_text(ws.title, 60)
    ws.oddFooter.left.text = header_footer_text(report.association, 80)
    ws.oddFooter.center.text = "Sida &P av &N"


def write_section(ws: Worksheet, report: Report, section: Section, *more: Section) -> None:
    """A section's sheet; the other sections of its part (`more`) follow on the same sheet, under the part."""
    w = SheetWriter(ws)
    w.report_header(report)
    if section.part is not None:
        w.line(section.part, FONT_SECTION)
    for s in (section, *more):
        named_by_table = len(s.tables) == 1 and s.tables[0].title == s.title and not s.paragraphs
        if s.part is None:
            w.line(s.title, FONT_SECTION)
        elif s.title != s.part and not named_by_table:  # else the part's or the table's title says it
            w.line(s.title, FONT_TABLE_TITLE)
        for para in s.paragraphs:
            w.block(plain(para))
        w.skip()
        for t in s.tables:
            w.table(t)
    w.finish(report)


def _parameter_value(text: str) -> str | int:
    """A parameter that is an integer (a year, a threshold) is stored as a number."""
    return int(text) if _INTEGER.fullmatch(text.strip()) else text


def write_about(ws: Worksheet, report: Report, data_date: datetime | None) -> None:
    """Where the numbers come from: the report, its inputs with checksums, its parameters."""
    p = report.provenance
    w = SheetWriter(ws, width_max=66)  # a SHA-256 is 64 characters
    w.line(ABOUT_SHEET, FONT_TITLE)
    ws.row_dimensions[1].height = 20
    w.line(meta_line(report), FONT_META)
    if p.example_data:
        w.banners.append(w.line(EXAMPLE_BANNER, FONT_BOLD, FILL_EXAMPLE))
    w.skip()

    facts: list[tuple[str, object]] = [("Rapport", report.title), ("Rapporttyp", report.kind),
                                       ("Förbund", report.association)]
    if report.subject:
        facts.append(("Insats", report.subject))
    facts.append(("Period", report.period.label))
    if report.unit:
        facts.append(("Belopp i", report.unit))
    facts += [("finsam-version", p.version), ("Exempeldata", "Ja" if p.example_data else "Nej"),
              ("Datadatum (UTC)", data_date if data_date is not None else "okänt (inga underlag)")]
    w.grid("Rapporten", [Column("Uppgift"), Column("Värde")], [([k, v], Style.NORMAL) for k, v in facts],
           ["Datadatum är den senaste ändringstiden bland underlagen, inte tiden då rapporten skapades. "
            "Arbetsbokens tidsstämplar sätts från den, så oförändrade underlag ger en identisk fil."])
    w.skip()

    w.grid("Underlag", [Column("Roll"), Column("Fil"), Column("SHA-256"), Column("Rader", Kind.COUNT),
                        Column("Ändrad (UTC)")],
           [([i.role, i.name, i.sha256, i.rows, i.modified], Style.NORMAL) for i in p.inputs])
    w.skip()
    w.grid("Parametrar", [Column("Parameter"), Column("Värde")],
           [([name, _parameter_value(str(value))], Style.NORMAL) for name, value in p.parameters.items()])
    if report.notes:
        w.skip()
        w.line("Anmärkningar", FONT_TABLE_TITLE)
        for note in report.notes:
            w.block(plain(note))
    w.finish(report, freeze=False)
