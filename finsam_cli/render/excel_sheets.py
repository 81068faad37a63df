"""Lay out one worksheet: report header, section text, stacked tables with charts, print set-up."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from ..reports.model import Column, Kind, Report, Section, Style, Table
from .excel_charts import Placed, add_chart
from .excel_print import page_setup, rows_per_page_pt
from .excel_styles import (
    ALIGN_HEADER_NUMBER,
    ALIGN_HEADER_TEXT,
    ALIGN_HEADER_TEXT_INDENT,
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
WIDTH_PADDING = 2  # characters beyond a column's longest content
# Longer texts wrap: a sheet's columns must fit the page at a scale that keeps 9 pt (excel_print).
WIDTH_MAX = 30
HEADER_LABEL_FIT = 10  # longer header labels wrap (at their longest word) instead of widening the column
ABOUT_WIDTH_MAX = 34  # a SHA-256 (64 characters) wraps onto two lines, so the sheet prints ≥ 9 pt
KEEP_ROWS = 3  # a table's title and header print on the same page as at least this many of its rows
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


def _indent(cell: Cell) -> bool:
    """Indent a left-aligned cell (text, a date, a year) so it stands clear of a number to its left."""
    a = cell.alignment
    if a.horizontal in ("right", "center") or (a.horizontal is None and cell.data_type != "s"):
        return False
    cell.alignment = Alignment(horizontal="left", indent=1, vertical=a.vertical, wrap_text=a.wrap_text)
    return True


@dataclass
class SheetWriter:
    """Writes rows top-down, remembering what it needs to fit widths and heights at the end."""

    ws: Worksheet
    width_max: int = WIDTH_MAX
    row: int = 1
    widths: dict[int, int] = field(default_factory=dict)
    blocks: list[tuple[int, str]] = field(default_factory=list)  # (row, text) spanning the used columns
    wrapped: dict[int, list[tuple[int, str]]] = field(default_factory=dict)  # row -> [(col, text)]
    placed: list[tuple[Table, Placed]] = field(default_factory=list)  # the report's tables
    grids: list[Placed] = field(default_factory=list)  # every table written, the report's and Om rapporten's
    headers: set[int] = field(default_factory=set)  # header rows (bottom-aligned; data rows align top)
    banners: list[int] = field(default_factory=list)  # rows whose fill spans the used columns
    charts: list[tuple[int, int]] = field(default_factory=list)  # (first row, rows covered) of each chart

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
            left = column.kind in (Kind.TEXT, Kind.YEAR)  # a year is written left-aligned, as text is
            cell.alignment = ALIGN_HEADER_NUMBER if not left else ALIGN_HEADER_TEXT if j == 1 \
                else ALIGN_HEADER_TEXT_INDENT
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
                if cell.data_type == "s" and (len(shown) > self.width_max or "\n" in shown):
                    cell.alignment = ALIGN_WRAP
                    self.wrapped.setdefault(self.row, []).append((j, shown))
                if j > 1 and _indent(cell):
                    shown += " "  # the indent takes about a character
                self._fit(j, shown)
                cells.append(cell)
            style_row(cells, style)
            data_rows.append(self.row)
            self.row += 1
        for note in notes:
            self.block(note, FONT_NOTE)
        placed = Placed(title_row=title_row, header_row=header_row, data_rows=data_rows)
        self.grids.append(placed)
        return placed

    def table(self, table: Table) -> Placed:
        kinds = [[table.kind_of(r, j) for j in range(len(table.columns))] for r in table.rows]
        placed = self.grid(table.title, table.columns, [(r.cells, r.style) for r in table.rows],
                           [plain(n) for n in table.notes], kinds)
        self.placed.append((table, placed))
        if table.chart is not None:
            top = self.row + 1  # below the table and its notes, after a blank row
            covered = add_chart(self.ws, table, placed, top)
            if covered:
                self.charts.append((top, covered))
                self.row = top + covered
        self.row += 1  # a blank row before the next table
        return placed

    # -- finishing -------------------------------------------------------------------------
    def finish(self, report: Report, freeze: bool = True) -> None:
        ws = self.ws
        for col, width in sorted(self.widths.items()):
            fitted = max(WIDTH_MIN, width + WIDTH_PADDING)
            ws.column_dimensions[get_column_letter(col)].width = min(self.width_max, fitted)
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
                        cell.alignment = Alignment(horizontal=a.horizontal, vertical="top", wrap_text=a.wrap_text,
                                                   indent=a.indent)
        for row in self.banners:
            for col in range(2, used + 1):
                ws.cell(row=row, column=col).fill = FILL_EXAMPLE
        if freeze and len(self.placed) == 1:
            self._freeze_and_filter()
        for top, covered in self.charts:  # a chart's rows keep the height its anchor assumes
            for r in range(top, top + covered):
                ws.row_dimensions[r].height = LINE_PT
        page_setup(ws, report)
        self._keep_together()

    def _freeze_and_filter(self) -> None:
        """The sheet's one main table: its header frozen, filtered, and repeated on printed pages.

        A sheet of several tables gets none of these: a frozen header or a filter would belong
        to one of them only, while the others scroll under it.
        """
        ws = self.ws
        table, placed = self.placed[0]
        above = sum(ws.row_dimensions[r].height or LINE_PT for r in range(1, placed.header_row + 1))
        if above <= FREEZE_MAX_PT:
            ws.freeze_panes = f"A{placed.header_row + 1}"
        if placed.data_rows:
            ws.auto_filter.ref = f"A{placed.header_row}:{get_column_letter(len(table.columns))}{placed.data_rows[-1]}"
        if not self.charts:  # a long table's header on every page; above a chart it would only be in the way
            ws.print_title_rows = f"{placed.header_row}:{placed.header_row}"

    def _keep_together(self) -> None:
        """Page breaks so that no chart is split and no table title is left without its first rows.

        Walks the rows at the printed scale; before a chart, or a table's title, header and
        first KEEP_ROWS rows, that would run over the end of the page, it starts a new page.
        Every other page end is a manual break too, at a page height that Excel and LibreOffice
        both hold (LibreOffice's is taller): so both print the same pages, the ones planned here.
        """
        ws = self.ws

        def height(r: int) -> float:
            return ws.row_dimensions[r].height or LINE_PT

        page = rows_per_page_pt(ws)
        repeated = height(self.placed[0][1].header_row) if ws.print_title_rows else 0.0  # on every page
        keep = {top: covered * LINE_PT for top, covered in self.charts}
        for placed in self.grids:
            last = placed.data_rows[min(KEEP_ROWS, len(placed.data_rows)) - 1] if placed.data_rows \
                else placed.header_row
            keep.setdefault(placed.title_row, sum(height(r) for r in range(placed.title_row, last + 1)))
        end = max([ws.max_row] + [top + covered - 1 for top, covered in self.charts])
        y = 0.0
        for r in range(1, end + 1):
            if y > repeated and (y + keep.get(r, 0.0) > page or y + height(r) > page):
                ws.row_breaks.append(Break(id=r - 1))
                y = repeated
            y += height(r)


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
    w = SheetWriter(ws, width_max=ABOUT_WIDTH_MAX)
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
    facts.append(("Period", _parameter_value(report.period.label)))  # a year alone is a number
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
