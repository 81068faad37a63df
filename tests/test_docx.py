"""The Word renderer: python-docx reads the document back; LibreOffice converts it; reruns are identical."""

from __future__ import annotations

import io
import re
import subprocess
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.section import Section as DocxSection
from docx.shared import Cm
from docx.table import Table as DocxTable
from docx.table import _Row
from docx.text.paragraph import Paragraph

from finsam_cli.render.docx import NOTE_STYLE, TABLE_STYLE, cell_text, render_docx
from finsam_cli.render.numbers import plain
from finsam_cli.reports.model import Column, Kind, Report, Row, Section, Style, Table

from .test_excel import DATA_DATE, convert_to_pdf, full_report, hostile_report


def read(data: bytes) -> DocumentObject:
    return Document(io.BytesIO(data))


def style_name(item: Paragraph | DocxTable) -> str:
    """The item's style name (python-docx types the style as optional; finsam's documents always set one)."""
    assert item.style is not None
    return item.style.name


def header_flag(row: _Row) -> Any:
    """The row's <w:tblHeader> element, None when the row has none."""
    properties = row._tr.trPr
    return None if properties is None else properties.find(qn("w:tblHeader"))


def page_size(section: DocxSection) -> tuple[float, float]:
    """The page's width and height in cm."""
    assert section.page_width is not None and section.page_height is not None
    return section.page_width.cm, section.page_height.cm


def texts(table: DocxTable) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def headings(document: DocumentObject) -> list[tuple[str, str]]:
    return [(style_name(p), p.text) for p in document.paragraphs if style_name(p).startswith("Heading")]


@pytest.fixture
def report(tmp_path: Path) -> Report:
    return full_report(tmp_path)


@pytest.fixture
def document(report: Report) -> DocumentObject:
    return read(render_docx(report))


def test_headings_use_word_heading_styles(report: Report, document: DocumentObject) -> None:
    expected = [("Heading 1", report.title)]
    for section in report.sections:
        expected.append(("Heading 2", section.title))
        expected += [("Heading 3", t.title) for t in section.tables]
    expected += [("Heading 2", "Om rapporten"), ("Heading 3", "Underlag"), ("Heading 3", "Parametrar"),
                 ("Heading 3", "Anmärkningar")]
    assert headings(document) == expected


def test_tables_hold_every_cell_as_the_markdown_prints_it(report: Report, document: DocumentObject) -> None:
    found = document.tables[:len(report.tables())]
    for table, grid in zip(report.tables(), found, strict=True):
        assert style_name(grid) == TABLE_STYLE
        rows = texts(grid)
        assert rows[0] == [c.label for c in table.columns]
        for row, cells in zip(table.rows, rows[1:], strict=True):
            assert cells == [cell_text(v, table.kind_of(row, j), table.columns[j].signed)
                             for j, v in enumerate(row.cells)]
    budget = texts(found[3])
    assert budget[1] == ["Resursrådet", "1\u00a0499\u00a0034", "2\u00a0470\u00a0000", "\u2212970\u00a0966",
                         "60,7\u00a0%"]
    assert budget[2][1] == "1\u00a0511\u00a0545"  # rounded half up, as in the Markdown
    history = texts(found[0])
    assert history[3][4] == ".."  # a hidden count
    assert history[3][6] == "70\u00a0%"
    sources = texts(found[2])
    assert [r[3] for r in sources[1:]] == ["+6", "\u221243", "\u22125", "+21", "0"]  # a signed column


def test_only_one_table_style_is_used_and_it_is_defined(document: DocumentObject) -> None:
    assert {style_name(t) for t in document.tables} == {TABLE_STYLE}
    assert document.styles[TABLE_STYLE].type == 3  # WD_STYLE_TYPE.TABLE
    tables = sorted(s.name for s in document.styles if s.type == 3)
    assert tables == [TABLE_STYLE, "Normal Table"]  # the template's other table styles are gone


def test_header_row_repeats_and_numbers_are_right_aligned(report: Report, document: DocumentObject) -> None:
    for table, grid in zip(report.tables(), document.tables, strict=False):
        flag = header_flag(grid.rows[0])
        assert flag is not None and flag.get(qn("w:val")) == "true"
        assert all(header_flag(r) is None for r in grid.rows[1:])
        for j, column in enumerate(table.columns):
            aligned = {grid.rows[i].cells[j].paragraphs[0].alignment for i in range(len(grid.rows))}
            assert aligned == ({2} if column.kind not in (Kind.TEXT, Kind.YEAR) else {None}), (table.key, column.label)


def test_subtotals_and_totals_are_bold_and_other_rows_not(report: Report, document: DocumentObject) -> None:
    for table, grid in zip(report.tables(), document.tables, strict=False):
        for row, found in zip(table.rows, grid.rows[1:], strict=True):
            runs = [r for cell in found.cells for p in cell.paragraphs for r in p.runs]
            assert runs
            assert {bool(r.bold) for r in runs} == {row.style is not Style.NORMAL}, (table.key, row.cells[0])
        header = [r for cell in grid.rows[0].cells for r in cell.paragraphs[0].runs]
        assert all(r.bold for r in header)


def test_notes_follow_their_table_in_the_note_style(report: Report, document: DocumentObject) -> None:
    notes = [p.text for p in document.paragraphs if style_name(p) == NOTE_STYLE]
    checksums = [f"SHA-256 för {i.name}: {i.sha256}" for i in report.provenance.inputs]
    expected = [plain(n) for t in report.tables() for n in t.notes] + checksums + [plain(n) for n in report.notes]
    assert notes == expected
    style = document.styles[NOTE_STYLE]
    assert style.font.size.pt < document.styles["Normal"].font.size.pt


def test_charts_are_pictures(report: Report, document: DocumentObject) -> None:
    charted = [t for t in report.tables() if t.chart is not None]
    assert len(document.inline_shapes) == len(charted) == 3
    with zipfile.ZipFile(io.BytesIO(render_docx(report))) as z:
        pictures = [n for n in z.namelist() if n.startswith("word/media/")]
        assert len(pictures) == 3
        for name in pictures:
            data = z.read(name)
            assert data.startswith(b"\x89PNG") and b"Software" not in data and b"tIME" not in data


def test_properties_page_and_footer(report: Report, document: DocumentObject) -> None:
    props = document.core_properties
    assert props.title == report.title
    assert props.author == report.association
    assert props.subject == "Ung i Tyresö · 2017"
    assert props.created == props.modified == props.last_printed == DATA_DATE
    assert props.revision == 1
    section = document.sections[0]
    width, height = page_size(section)
    assert (round(width, 1), round(height, 1)) == (21.0, 29.7)
    assert "Samordningsförbundet Östra Södertörn" in section.footer.paragraphs[0].text


def test_a_wide_table_gets_a_landscape_page_and_the_document_returns_to_portrait(tmp_path: Path) -> None:
    years = [Column(f"År {y}", Kind.AMOUNT) for y in range(2010, 2022)]
    wide = Table("bred", "En bred tabell", [Column("Insats"), *years],
                 [Row(["Ungdomsteamet i Haninge", *(1_000_000 * i for i in range(12))])])
    narrow = Table("smal", "En smal tabell", [Column("Post"), Column("Belopp", Kind.AMOUNT)], [Row(["Kansli", 1])])
    report = Report(kind="test", title="Bredd", association="Förbundet", period=full_report(tmp_path).period,
                    provenance=full_report(tmp_path).provenance,
                    sections=[Section("Först", [narrow]), Section("Brett", [wide]), Section("Sist", [narrow])])
    document = read(render_docx(report))
    orientation = [page_size(s)[0] > page_size(s)[1] for s in document.sections]
    assert orientation == [False, True, False]
    grid = document.tables[1]
    widths = [c.width for c in grid.rows[0].cells]
    assert sum(widths) <= Cm(29.7 - 4) + Cm(0.01)  # too wide even for landscape: columns and text shrink
    sizes = {r.font.size.pt for row in grid.rows for c in row.cells for r in c.paragraphs[0].runs}
    assert len(sizes) == 1 and 6 < sizes.pop() < 9


def test_hostile_text_is_written_as_text(tmp_path: Path) -> None:
    document = read(render_docx(hostile_report(tmp_path)))
    cells = [c for t in document.tables for row in t.rows for c in row.cells]
    assert any(c.text == "=SUM(A1)" for c in cells)
    assert any(c.text == "bell!" for c in cells)  # a control character a document cannot hold is dropped
    assert document.core_properties.title == "=cmd|' /C calc'!A0"


def test_two_runs_give_identical_bytes(report: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    first = render_docx(report)
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 3 * 3600 + 7)
    assert render_docx(report) == first
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(2018, 2, 1, 8, 0, 4)}
        core = z.read("docProps/core.xml").decode()
    assert core.count("2018-02-01T08:00:05Z") == 3  # created, modified, last printed: the data's date


def test_libreoffice_converts_the_documents_and_the_pdf_holds_the_figures(tmp_path: Path) -> None:
    for name, report in [("rapport", full_report(tmp_path)), ("fientlig", hostile_report(tmp_path))]:
        path = tmp_path / f"{name}.docx"
        path.write_bytes(render_docx(report))
        pdf = convert_to_pdf(path, tmp_path)
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        if name == "rapport":
            assert re.search(r"1\s499\s034", text) and "−970" in text
            assert "Deltagare och avslut per år" in text and "Om rapporten" in text
