"""Render a report as a Word document (python-docx), from the same Report object as the Markdown.

Layout
- A4 portrait. The report title is Heading 1, each section Heading 2, each table's title Heading 3,
  so Word's navigation pane and a table of contents pick them up when the tables are pasted into
  the annual report. A report in parts (the annual report) has its title in the Title style, each
  part as Heading 1 and "Om rapporten" as Heading 1; a section named as its part, or whose one table
  is named as the section, gives no heading of its own. Under the title: the line
  "förbund · insats · Period · Belopp i" and the Exempeldata banner when the inputs are example data.
- Tables are real Word tables in one table style defined in the document ("Finsam tabell"); the
  header row is bold, shaded and repeats after a page break; rows do not split across pages.
  Numbers are right-aligned and written the Swedish way (`1 499 034`, `−970 966`, `59 %`) by
  render/numbers.py, as in the Markdown; subtotal and total rows are bold. Notes follow each
  table in the smaller "Finsam not" style, then the table's chart as a picture (docx_charts.py).
- A table too wide for a portrait page gets a landscape section of its own (consecutive wide
  tables share one); the document returns to portrait after it.
- A last section "Om rapporten" lists the inputs (name, rows, modification time, SHA-256), the
  parameters and the report's notes.
- The footer holds the association, the title and the page number.

Determinism
- Core properties: title, subject (insats · period), author (the association), keywords (the
  report kind); created, modified and last printed are the data's date (the newest input's
  modification time), as for the workbook. The zip archive is rewritten by render/excel.py's
  normaliser, so unchanged inputs give byte-identical documents.
"""

from __future__ import annotations

import io
import math
import numbers
from collections.abc import Sequence
from copy import deepcopy
from dataclasses import dataclass
from datetime import date, datetime

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section as DocxSection
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from ..reports.model import Cell, Column, Kind, Report, Section, Style, Suppressed, Table, TextLike
from .docx_charts import chart_png
from .excel import data_moment, normalise_zip
from .excel_sheets import ABOUT_SHEET, EXAMPLE_BANNER, meta_line
from .excel_styles import clean_text
from .numbers import SUPPRESSED_TEXT, format_cell, plain
from .properties import properties

TABLE_STYLE = "Finsam tabell"
CELL_STYLE = "Finsam tabelltext"
NOTE_STYLE = "Finsam not"
BANNER_STYLE = "Finsam exempeldata"
A4 = (Cm(21.0), Cm(29.7))
MARGIN = Cm(2.0)
PORTRAIT_TEXT_CM = 21.0 - 2 * 2.0
LANDSCAPE_TEXT_CM = 29.7 - 2 * 2.0
CHAR_CM = 0.21  # the width of an average character of 9 pt table text (DejaVu Sans, wider than Calibri)
DIGIT_CM = 0.22  # a bold digit of 9 pt text, in the widest common substitute for Calibri (DejaVu Sans)
LABEL_CM = 0.25  # a bold letter of a header
MIN_TEXT_CM = 3.0
MIN_CHARS = 4
BOLD_WIDER = 1.12  # bold text is about this much wider
CELL_PADDING_CM = 0.45  # both cell margins and a little air
HEADER_FILL = "DDEBF7"
TABLE_PT = 9


def render_docx(report: Report) -> bytes:
    """The report as the bytes of a .docx file; the same report always gives the same bytes."""
    document = build_document(report)
    raw = io.BytesIO()
    document.save(raw)
    return normalise_zip(raw.getvalue(), data_moment(report))


def build_document(report: Report) -> DocumentObject:
    document = Document()
    _define_styles(document)
    first = document.sections[0]
    _page(first, landscape=False)
    _footer(first, report)
    writer = _Writer(document, parted=any(s.part for s in report.sections))
    document.add_heading(clean_text(report.title), level=0 if writer.parted else 1)
    document.add_paragraph(clean_text(meta_line(report)))
    if report.provenance.example_data:
        document.add_paragraph(EXAMPLE_BANNER, style=BANNER_STYLE)
    for section in report.sections:
        writer.section(section)
    writer.about(report)
    _properties(document, report)
    return document


# --- styles and page -------------------------------------------------------------------------


def _define_styles(document: DocumentObject) -> None:
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    _language(normal.element, "sv-SE")

    _table_style(document)

    cell = styles.add_style(CELL_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = normal
    cell.font.size = Pt(TABLE_PT)
    cell.paragraph_format.space_before = Pt(0)
    cell.paragraph_format.space_after = Pt(0)

    note = styles.add_style(NOTE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = normal
    note.font.size = Pt(8.5)
    note.font.italic = True
    note.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    note.paragraph_format.space_before = Pt(2)
    note.paragraph_format.space_after = Pt(2)

    banner = styles.add_style(BANNER_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    banner.base_style = normal
    banner.font.bold = True
    _shade(banner.element.get_or_add_pPr(), "FFF2CC")


def _table_style(document: DocumentObject) -> None:
    """The one table style: Table Grid's thin borders and cell margins, 9 pt, under its own name.

    Every other table style of python-docx's template is removed, so a person who pastes the
    tables into the annual report finds one style to restyle; Normal Table stays (Word's default).
    """
    styles = document.styles
    grid = styles["Table Grid"].element
    style = styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.TABLE)
    style.base_style = styles["Normal Table"]
    for tag in ("w:pPr", "w:tblPr"):
        found = grid.find(qn(tag))
        if found is not None:
            style.element.append(deepcopy(found))
    style.font.size = Pt(TABLE_PT)
    keep = {style.style_id, styles["Normal Table"].style_id}
    for element in list(styles.element.findall(qn("w:style"))):
        if element.get(qn("w:type")) == "table" and element.get(qn("w:styleId")) not in keep:
            styles.element.remove(element)


def _language(element: object, tag: str) -> None:
    rpr = element.get_or_add_rPr()  # type: ignore[attr-defined]
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), tag)
    rpr.append(lang)


def _shade(parent: object, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    parent.append(shd)  # type: ignore[attr-defined]


def _page(section: DocxSection, landscape: bool) -> None:
    width, height = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)


def _footer(section: DocxSection, report: Report) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.style = NOTE_STYLE
    paragraph.add_run(clean_text(f"{report.association} · {report.title} · sida "))
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == "PAGE":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = " PAGE "
            run._r.append(instr)
        else:
            shown = OxmlElement("w:t")
            shown.text = text
            run._r.append(shown)


def _properties(document: DocumentObject, report: Report) -> None:
    moment = data_moment(report)
    props, said = document.core_properties, properties(report)
    props.title, props.subject, props.keywords, props.comments = said.title, said.subject, said.keywords, \
        said.comments
    props.author = props.last_modified_by = said.author
    props.category = ""
    props.language = "sv-SE"
    props.revision = 1
    props.created = moment
    props.modified = moment
    props.last_printed = moment


# --- content ---------------------------------------------------------------------------------


def cell_text(value: Cell | object, kind: Kind, signed: bool = False) -> str:
    """One cell as the Markdown prints it; a change column shows its sign (+6, −43)."""
    if isinstance(value, Suppressed):
        return SUPPRESSED_TEXT
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        if not math.isfinite(float(value)):
            return ""
        number = int(value) if isinstance(value, numbers.Integral) else float(value)
        text = format_cell(number, kind)
        return "+" + text if signed and kind in (Kind.COUNT, Kind.AMOUNT) and number >= 0.5 else text
    return clean_text(value)


class _Writer:
    """Adds sections and tables top-down, switching page orientation for wide tables."""

    def __init__(self, document: DocumentObject, parted: bool = False) -> None:
        self.document = document
        self.landscape = False
        self.parted = parted  # the sections belong to parts, each a Heading 1
        self.part: str | None = None

    def _orientation(self, landscape: bool) -> None:
        if landscape == self.landscape:
            return
        section = self.document.add_section(WD_SECTION.NEW_PAGE)
        _page(section, landscape)
        self.landscape = landscape

    def section(self, section: Section) -> None:
        tables = [(table, _lay_out(table.columns, _body(table), [r.style for r in table.rows]))
                  for table in section.tables]
        self._orientation(tables[0][1].wide if tables else False)  # the heading goes with the first table
        level = 2
        if self.parted and section.part != self.part:
            self.part = section.part
            if section.part is not None:
                self.document.add_heading(clean_text(section.part), level=1)
        if self.parted and section.part is None:
            level = 1  # a section outside the parts stands beside them
        one_table = len(tables) == 1 and tables[0][0].title == section.title and not section.paragraphs
        if section.title == section.part or one_table:
            level -= 1  # the part's or the table's heading says it
        else:
            self.document.add_heading(clean_text(section.title), level=level)
        for text in section.paragraphs:
            self.document.add_paragraph(clean_text(plain(text)))
        for table, laid in tables:
            self.titled_grid(table.title, laid, table.notes, level + 1)
            picture = chart_png(table)
            if picture is not None:
                png, height = picture
                self.document.add_picture(io.BytesIO(png), height=Cm(height))

    def titled_grid(self, title: str, laid: _Laid, notes: Sequence[TextLike] = (), level: int = 3) -> None:
        """A heading (Heading 3 by default), the table (on a landscape page when too wide for portrait), its notes."""
        self._orientation(laid.wide)
        self.document.add_heading(clean_text(title), level=level)
        self.grid(laid)
        for note in notes:
            self.document.add_paragraph(clean_text(plain(note)), style=NOTE_STYLE)

    def grid(self, laid: _Laid) -> DocxTable:
        columns, body, styles = laid.columns, laid.body, laid.styles
        grid = self.document.add_table(rows=1 + len(body), cols=len(columns), style=TABLE_STYLE)
        grid.alignment = WD_TABLE_ALIGNMENT.LEFT
        grid.autofit = False
        numeric = [c.kind not in (Kind.TEXT, Kind.YEAR) for c in columns]  # a year labels its row, as text
        sizes = [Cm(w) for w in laid.widths]
        for j, size in enumerate(sizes):
            grid.columns[j].width = size  # the grid LibreOffice lays the table out by
        rows = grid.rows
        _repeat_header(rows[0]._tr)
        for j, (cell, column) in enumerate(zip(rows[0].cells, columns, strict=True)):
            _shade(cell._tc.get_or_add_tcPr(), HEADER_FILL)
            cell.width = sizes[j]
            _write(cell.paragraphs[0], clean_text(column.label), numeric[j], True, laid.font_pt)
        for row, texts, style in zip(rows[1:], body, styles, strict=True):
            _keep_row(row._tr)
            for j, (cell, text) in enumerate(zip(row.cells, texts, strict=True)):
                cell.width = sizes[j]
                _write(cell.paragraphs[0], text, numeric[j], style is not Style.NORMAL, laid.font_pt)
        return grid

    def about(self, report: Report) -> None:
        """Where the numbers come from, as the workbook's last sheet says."""
        p = report.provenance
        self._orientation(False)
        top = 1 if self.parted else 2
        self.document.add_heading(ABOUT_SHEET, level=top)
        moment = p.data_date
        self.document.add_paragraph(
            f"finsam {p.version}. Datadatum (UTC): "
            + (data_moment(report).strftime("%Y-%m-%d %H:%M:%S") if moment is not None else "okänt (inga underlag)")
            + ". Datadatum är den senaste ändringstiden bland underlagen; dokumentets tidsstämplar sätts från "
              "den, så oförändrade underlag ger en identisk fil.")
        if p.inputs:
            columns = [Column("Roll"), Column("Fil"), Column("Rader", Kind.COUNT), Column("Ändrad (UTC)")]
            body = [[clean_text(i.role), clean_text(i.name), cell_text(i.rows, Kind.COUNT),
                     cell_text(i.modified, Kind.TEXT)] for i in p.inputs]
            checksums = [f"SHA-256 för {clean_text(i.name)}: {i.sha256}" for i in p.inputs]
            self.titled_grid("Underlag", _lay_out(columns, body, [Style.NORMAL] * len(body)), checksums, top + 1)
        if p.parameters:
            body = [[clean_text(k), clean_text(v)] for k, v in p.parameters.items()]
            self.titled_grid("Parametrar", _lay_out([Column("Parameter"), Column("Värde")], body,
                                                    [Style.NORMAL] * len(body)), level=top + 1)
        if report.notes:
            self.document.add_heading("Anmärkningar", level=top + 1)
            for note in report.notes:
                self.document.add_paragraph(clean_text(plain(note)), style=NOTE_STYLE)


@dataclass(frozen=True)
class _Laid:
    """A table's text, styles and column widths (cm), and whether it needs a landscape page."""

    columns: Sequence[Column]
    body: Sequence[Sequence[str]]
    styles: Sequence[Style]
    widths: Sequence[float]
    wide: bool
    font_pt: float | None = None  # a smaller font for a table too wide even for a landscape page


def _body(table: Table) -> list[list[str]]:
    kinds = [[table.kind_of(r, j) for j in range(len(table.columns))] for r in table.rows]
    return [[cell_text(v, kinds[i][j], table.columns[j].signed) for j, v in enumerate(r.cells[:len(table.columns)])]
            for i, r in enumerate(table.rows)]


def _lay_out(columns: Sequence[Column], body: Sequence[Sequence[str]], styles: Sequence[Style]) -> _Laid:
    natural, least = _widths(columns, body, [style is not Style.NORMAL for style in styles])
    wide = sum(least) > PORTRAIT_TEXT_CM
    if sum(least) > LANDSCAPE_TEXT_CM:  # shrink the text with the columns
        scale = LANDSCAPE_TEXT_CM / sum(least)
        return _Laid(columns, body, styles, [w * scale for w in least], wide, round(TABLE_PT * scale, 1))
    return _Laid(columns, body, styles, fit(natural, least, LANDSCAPE_TEXT_CM if wide else PORTRAIT_TEXT_CM), wide)


def _widths(columns: Sequence[Column], body: Sequence[Sequence[str]],
            bold: Sequence[bool]) -> tuple[list[float], list[float]]:
    """Each column's natural width and the least it can have, in cm.

    A number column must not wrap: its least width is its longest cell. A text column may wrap
    between words: its least width is its longest word (at least MIN_TEXT_CM when it has longer cells).
    """
    natural, least = [], []
    for j, column in enumerate(columns):
        cells = [row[j] for row in body]
        longest = max((len(text) * (BOLD_WIDER if b else 1.0) for text, b in zip(cells, bold, strict=True)),
                      default=0.0)
        word = max((len(w) for text in cells for w in text.split()), default=0)
        label = max((len(w) for w in column.label.split()), default=0) * LABEL_CM  # the header's longest word
        if column.kind is Kind.TEXT:
            natural.append(max(max(longest, word, MIN_CHARS) * CHAR_CM, label) + CELL_PADDING_CM)
            least.append(min(natural[-1], max(word * CHAR_CM + CELL_PADDING_CM, label + CELL_PADDING_CM,
                                              MIN_TEXT_CM)))
        else:  # the header may wrap between its words, the numbers not at all
            natural.append(max(max(longest, MIN_CHARS) * DIGIT_CM, label) + CELL_PADDING_CM)
            least.append(natural[-1])
    return natural, least


def fit(natural: Sequence[float], least: Sequence[float], available: float) -> list[float]:
    """Shrink the columns that can wrap, in proportion to their slack, until the table fits."""
    over = sum(natural) - available
    slack = sum(n - m for n, m in zip(natural, least, strict=True))
    if over <= 0 or slack <= 0:
        return list(natural)
    share = min(1.0, over / slack)
    return [n - (n - m) * share for n, m in zip(natural, least, strict=True)]


def _write(paragraph: Paragraph, text: str, right: bool, bold: bool, font_pt: float | None) -> None:
    paragraph.style = CELL_STYLE
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if text:
        run = paragraph.add_run(text)
        run.bold = bold or None
        if font_pt is not None:
            run.font.size = Pt(font_pt)


def _repeat_header(tr: object) -> None:
    """Mark a row as the table's header: Word and LibreOffice repeat it on every page."""
    trpr = tr.get_or_add_trPr()  # type: ignore[attr-defined]
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    trpr.append(flag)
    _keep_row(tr)


def _keep_row(tr: object) -> None:
    trpr = tr.get_or_add_trPr()  # type: ignore[attr-defined]
    flag = OxmlElement("w:cantSplit")
    flag.set(qn("w:val"), "true")
    trpr.insert(0, flag)
