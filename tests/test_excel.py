"""The Excel renderer: a report object in, a workbook out, read back with openpyxl.

Reports are built by hand here so every feature is exercised (every Kind, subtotal and total
rows, a suppressed count, per-row kinds, notes, both chart types, hostile texts); the
commands' own workbooks are checked in test_excel_cli.py with the helpers below.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import time
import zipfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, LineChart
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from finsam_cli.inputs.provenance import SAMPLE_MARKER, InputFile
from finsam_cli.render.excel import render_xlsx
from finsam_cli.render.excel_charts import value_step
from finsam_cli.render.excel_sheets import WIDTH_MAX
from finsam_cli.render.excel_styles import (
    FMT_DECIMAL,
    FMT_INTEGER,
    FMT_PERCENT,
    FMT_SHARE,
    FMT_SIGNED,
    FMT_YEAR,
    excel_number,
    sheet_name,
    write_text,
)
from finsam_cli.render.markdown import escape, render_markdown
from finsam_cli.render.numbers import format_cell
from finsam_cli.reports.model import (
    SUPPRESSED,
    Chart,
    Column,
    Kind,
    Period,
    Provenance,
    Report,
    Row,
    Section,
    Style,
    Suppressed,
    Table,
)

from .conftest import office

DATA_DATE = datetime(2018, 2, 1, 8, 0, 5, tzinfo=UTC)
HOSTILE = ["=SUM(A1)", "+46 8 123 45", "-x", "@cmd", "<script>alert(1)</script>", "a|b", "#N/A",
           '=HYPERLINK("http://evil.example","klicka")', "=1+1", "-1", "+", "=", "tab\there", "bell\x07!"]
FORMAT_KIND = {FMT_INTEGER: Kind.COUNT, FMT_SIGNED: Kind.COUNT, FMT_PERCENT: Kind.PERCENT, FMT_SHARE: Kind.SHARE,
               FMT_DECIMAL: Kind.DECIMAL, FMT_YEAR: Kind.YEAR}


# -- building reports -------------------------------------------------------------------------
def provenance(tmp: Path, example: bool = True, inputs: bool = True) -> Provenance:
    folder = tmp / "data"
    folder.mkdir(exist_ok=True)
    if example:
        (folder / SAMPLE_MARKER).write_text("", encoding="utf-8")
    files = [
        InputFile("deltagare", "deltagare.csv", folder / "deltagare.csv", "a" * 64, 1234,
                  datetime(2018, 1, 15, 10, 30, tzinfo=UTC)),
        InputFile("budget", "=budget.csv", folder / "=budget.csv", "0123456789abcdef" * 4, 40, DATA_DATE),
    ] if inputs else []
    return Provenance(files, {"år": "2017", "insats": "ung-i-tyreso", "tröskel": "100000", "nyckel": "0123",
                              "formel": "=cmd|' /C calc'!A0"},
                      "9.9.9", datetime(2025, 11, 25, 12, 0, tzinfo=UTC))


def history_table() -> Table:
    return Table(
        "historik", "Deltagare och avslut per år",
        [Column("År", Kind.YEAR), Column("Deltagare", Kind.COUNT), Column("Avslutade", Kind.COUNT),
         Column("Till arbete", Kind.COUNT), Column("Till studier", Kind.COUNT),
         Column("Arbete/studier", Kind.COUNT), Column("Procent", Kind.PERCENT), Column("Mål", Kind.PERCENT)],
        [Row([2015, 166, 50, 13, 14, 27, 0.54, 0.65]),
         Row([2016, 233, 98, 25, 26, 51, 0.5204, 0.65]),
         Row([2017, 260, 165, 71, SUPPRESSED, 116, 0.70303, 0.65]),
         Row(["2011–2017 (summa av åren)", 2182, 1442, 689, 293, 982, 0.68100, None], Style.TOTAL)],
        notes=[".. = färre än 5 personer; visas inte.", "=SUM(A1) är en anteckning, inte en formel."],
        chart=Chart("column", "Andel till arbete eller studier", 0, (6,), line=7), protect=True)


def sources_table() -> Table:
    return Table(
        "forsorjning", "Försörjningskällor vid inskrivning och ett år efter",
        [Column("Försörjningskälla"), Column("Vid inskrivning", Kind.COUNT), Column("Ett år efter", Kind.COUNT),
         Column("Förändring", Kind.COUNT, signed=True)],
        [Row(["A-kassa/aktivitetsstöd", 9, 15, 6]), Row(["Försörjningsstöd", 92, 49, -43]),
         Row(["Hel sjukpenning", 32, 27, -5]), Row(["Lön/CSN", 2, 23, 21]),
         Row(["Personer (n)", 145, 145, 0], Style.TOTAL)],
        chart=Chart("bar", "Försörjningskällor", 0, (1, 2)))


def measures_table() -> Table:
    """Rows that measure different things in the same columns (Row.kind)."""
    return Table(
        "matt", "Nyckeltal per kön",
        [Column("Mått"), Column("Kvinnor", Kind.COUNT), Column("Män", Kind.COUNT), Column("Alla", Kind.COUNT)],
        [Row(["Avslutade", 80, 85, 165]), Row(["Andel till arbete", 0.4251, 0.4349, 0.43], kind=Kind.PERCENT),
         Row(["Inskrivningstid, månader", 7.45, 8.05, 7.75], kind=Kind.DECIMAL)])


def budget_table() -> Table:
    return Table(
        "budget", "Utfall mot budget",
        [Column("Post"), Column("Utfall", Kind.AMOUNT), Column("Budget", Kind.AMOUNT), Column("Avvikelse", Kind.AMOUNT),
         Column("Andel av budget", Kind.SHARE)],
        [Row(["Resursrådet", 1499034, 2470000, -970966, 0.60690]),
         Row(["Ung i Nynäs", 1511545.49, 1792000, -280454.51, 0.84349]),
         Row(["Summa insatser", 3010579, 4262000, -1251421, 0.70638], Style.SUBTOTAL),
         Row(["Styrelse", 185108, 240000, -54892, 0.77128]),
         Row(["Kansli", 3017809, 3250000, -232191, 0.92855]),
         Row(["Summa styrelse och kansli", 3202917, 3490000, -287083, 0.91774], Style.SUBTOTAL),
         Row(["Totalt", 6213496, 7752000, -1538504, 0.80154], Style.TOTAL),
         Row(["Resultat", -7079, None, None, None], Style.TOTAL)],
        notes=["Avvikelser över 100 000 kr förklaras nedan."],
        chart=Chart("bar", "Utfall mot budget per post", 0, (1, 2)))


def explanations_table() -> Table:
    return Table("forklaringar", "Förklaringar", [Column("Post"), Column("Förklaring")],
                 [Row([h, f"Förklaring {i}: {h}"]) for i, h in enumerate(HOSTILE)]
                 + [Row(["Lång", "En lång förklaring som fortsätter. " * 8])])


def full_report(tmp: Path, example: bool = True) -> Report:
    return Report(
        kind="testrapport", title="Måluppfyllelse & budget 2017", association="Samordningsförbundet Östra Södertörn",
        period=Period.whole_year(2017), provenance=provenance(tmp, example), subject="Ung i Tyresö", unit="kr",
        sections=[
            Section("Deltagare och avslut", [history_table(), measures_table()], ["Ett stycke om deltagarna."]),
            Section("Försörjning: före/efter [2017]?", [sources_table()]),
            Section("Budget", [budget_table(), explanations_table()],
                    sheet="Budget och utfall för hela förbundet 2017"),
            Section("Deltagare", [], ["=Ett stycke som ser ut som en formel."], sheet="deltagare OCH avslut"),
        ],
        notes=["Anmärkning om hela rapporten.", "-inte en formel"])


def hostile_report(tmp: Path) -> Report:
    """Every text place holds a hostile text: titles, labels, cells, notes, sheet names, inputs."""
    columns = [Column("=A1"), Column("+Antal", Kind.COUNT), Column("@Belopp", Kind.AMOUNT)]
    table = Table("fientlig", "=FIENTLIG()", columns,
                  [Row([h, i, -i]) for i, h in enumerate(HOSTILE)] + [Row(["=Summa", 91, -91], Style.TOTAL)],
                  notes=list(HOSTILE), chart=Chart("column", "=CHART()", 0, (1, 2)))
    return Report(kind="fientlig", title="=cmd|' /C calc'!A0", association="@förbund",
                  period=Period.whole_year(2017),
                  provenance=provenance(tmp), subject="+insats", unit="tkr",
                  sections=[Section(h, [table], list(HOSTILE)) for h in ("=Blad", "[x]:*?/\\", "'", "=Blad")],
                  notes=list(HOSTILE))


def load(data: bytes) -> Workbook:
    return load_workbook(io.BytesIO(data))


@pytest.fixture
def report(tmp_path: Path) -> Report:
    return full_report(tmp_path)


@pytest.fixture
def book(report: Report) -> Workbook:
    return load(render_xlsx(report))


# -- reading tables back ----------------------------------------------------------------------
def is_header(cell) -> bool:
    return cell.font.b and cell.fill.fgColor.rgb == "FFDDEBF7"


def _is_data_row(ws: Worksheet, k: int, width: int) -> bool:
    cells = [ws.cell(row=k, column=c) for c in range(1, width + 1)]
    if all(c.value is None for c in cells):
        return False
    return not (cells[0].font.i and all(c.value is None for c in cells[1:]))  # a note is no data


def workbook_tables(wb: Workbook, skip: tuple[str, ...] = ("Om rapporten",)) -> list[dict]:
    """Every table on the data sheets, in order: title, labels, rows of cells, sheet."""
    found = []
    for ws in wb.worksheets:
        if ws.title in skip:
            continue
        r = 1
        while r <= ws.max_row:
            if is_header(ws.cell(row=r, column=1)):
                width = 1
                while is_header(ws.cell(row=r, column=width + 1)):
                    width += 1
                k = r + 1
                while k <= ws.max_row and _is_data_row(ws, k, width):
                    k += 1
                found.append({"sheet": ws, "title": ws.cell(row=r - 1, column=1).value, "header_row": r,
                              "labels": [ws.cell(row=r, column=c).value for c in range(1, width + 1)],
                              "rows": [[ws.cell(row=i, column=c) for c in range(1, width + 1)]
                                       for i in range(r + 1, k)]})
                r = k
            r += 1
    return found


def shown(cell) -> str:
    """The text the Markdown report prints for this workbook cell."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    sign = "+" if cell.number_format == FMT_SIGNED and value > 0 else ""
    return sign + format_cell(value, FORMAT_KIND.get(cell.number_format, Kind.TEXT))


def markdown_tables(text: str) -> list[dict]:
    """Tables of a Markdown report: `### title`, header, rows; cells as printed (escaped)."""
    tables = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("### ") and i + 2 < len(lines) and lines[i + 2].startswith("|"):
            def cells(row: str) -> list[str]:
                parts = re.split(r"(?<!\\)\|", row.strip())[1:-1]
                # the workbook cannot hold control characters: compare without them
                return [ILLEGAL_CHARACTERS_RE.sub("", p.strip().removeprefix("**").removesuffix("**"))
                        for p in parts]

            rows, k = [], i + 4
            while k < len(lines) and lines[k].startswith("|"):
                rows.append(cells(lines[k]))
                k += 1
            tables.append({"title": line[4:], "labels": cells(lines[i + 2]), "rows": rows})
    return tables


def assert_workbook_matches_markdown(wb: Workbook, markdown: str) -> None:
    """Every Markdown table is in the workbook, in order, with the same labels and the same numbers."""
    md = markdown_tables(markdown)
    xl = workbook_tables(wb)
    assert [t["title"] for t in md] == [escape(t["title"]) for t in xl]
    for m, x in zip(md, xl, strict=True):
        assert m["labels"] == [escape(v) for v in x["labels"]], m["title"]
        assert len(m["rows"]) == len(x["rows"]), m["title"]
        for mrow, xrow in zip(m["rows"], x["rows"], strict=True):
            # a change may be written +6 (maluppfyllelse's template) or 6 (the plain table macro)
            assert len(mrow) == len(xrow), m["title"]

            def plain(text: str, cell) -> str:
                return text.removeprefix("+") if cell.number_format == FMT_SIGNED else text

            assert [plain(v, c) for v, c in zip(mrow, xrow, strict=True)] == \
                [plain(escape(shown(c)).strip(), c) for c in xrow], m["title"]
            for c in xrow:  # numbers are numbers; the only text in a numeric column is ".."
                if c.number_format in FORMAT_KIND:
                    assert c.value is None or c.value == ".." or type(c.value) in (int, float), (m["title"], c)


def markdown_of(report: Report, tmp: Path) -> str:
    templates = tmp / "mallar"
    templates.mkdir(exist_ok=True)
    (templates / f"{report.kind}.md.j2").write_text('{% extends "_base.md.j2" %}\n', encoding="utf-8")
    return render_markdown(report, templates)


# -- print layout -------------------------------------------------------------------------------
# Independent of the renderer's own constants: A4 landscape inside Excel's default margins.
CM_PER_INCH = 2.54
PAGE_WIDTH_CM = 29.7 - 2 * 0.75 * CM_PER_INCH
PAGE_HEIGHT_PT = (21.0 - 2 * 1.0 * CM_PER_INCH) / CM_PER_INCH * 72
EMU_PER_CM = 360_000
PRINTED_MIN_PT = 9


def _row_pt(ws: Worksheet, r: int) -> float:
    return ws.row_dimensions[r].height or 15.0


def chart_extents(ws: Worksheet) -> list[tuple[int, int]]:
    """The first and last sheet row each chart covers, from its anchor and its height."""
    extents = []
    for chart in ws._charts:
        anchor = chart.anchor
        assert anchor._from.col == 0 and anchor._from.colOff == 0 and anchor._from.rowOff == 0
        top = anchor._from.row + 1
        need = anchor.ext.height / EMU_PER_CM / CM_PER_INCH * 72  # points
        bottom, covered = top, _row_pt(ws, top)
        while covered < need - 0.01:
            bottom += 1
            covered += _row_pt(ws, bottom)
        extents.append((top, bottom))
    return extents


def assert_print_layout(wb: Workbook) -> None:
    """Printed at ≥ 9 pt; charts in column A below their table's last line, covering nothing,
    on one page each; every page within A4; freeze panes and filter only on a sheet's one table."""
    by_sheet: dict[str, list[dict]] = {}
    for t in workbook_tables(wb, skip=()):
        by_sheet.setdefault(t["sheet"].title, []).append(t)
    for ws in wb.worksheets:
        scale = int(ws.page_setup.scale)
        assert not ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        sizes = {c.font.sz or 11 for row in ws.iter_rows() for c in row if c.value is not None}
        assert scale * min(sizes) / 100 >= PRINTED_MIN_PT, (ws.title, scale, min(sizes))
        widths = sum(d.width * (d.max - d.min + 1) for d in ws.column_dimensions.values())  # loaded as ranges
        assert widths * 0.25 * scale / 100 <= PAGE_WIDTH_CM + 0.01, ws.title  # ≤ 0.25 cm a width unit
        breaks = sorted(b.id for b in ws.row_breaks.brk)
        repeated = _row_pt(ws, int(ws.print_title_rows.split(":")[0].lstrip("$"))) if ws.print_title_rows else 0
        for first, last in zip([0, *breaks], [*breaks, ws.max_row], strict=True):
            used = sum(_row_pt(ws, r) for r in range(first + 1, last + 1)) + (repeated if first else 0)
            assert used * scale / 100 <= PAGE_HEIGHT_PT, (ws.title, first, last)
        for (top, bottom), chart in zip(chart_extents(ws), ws._charts, strict=True):
            assert not [c for r in range(top - 1, bottom + 1) for c in ws[r] if c.value is not None], \
                (ws.title, top)  # a blank row, then the chart over empty cells
            assert any(c.value is not None for c in ws[top - 2]), (ws.title, top)  # right below its table
            assert not [b for b in breaks if top <= b < bottom], (ws.title, top)  # never split
            assert chart.anchor.ext.width / EMU_PER_CM * scale / 100 <= PAGE_WIDTH_CM
        tables = by_sheet.get(ws.title, [])
        if len(tables) == 1 and ws.title != "Om rapporten":
            header = tables[0]["header_row"]
            assert ws.freeze_panes == f"A{header + 1}", ws.title
            assert ws.auto_filter.ref.startswith(f"A{header}:"), ws.title
        else:
            assert ws.freeze_panes is None and ws.auto_filter.ref is None, ws.title


def assert_cell_types(wb: Workbook) -> None:
    """A year alone is a number; a percentage shows with the Swedish space (61 %)."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert not (isinstance(c.value, str) and re.fullmatch(r"(19|20)\d\d", c.value)), \
                    (ws.title, c.coordinate, c.value)
                if "%" in c.number_format:
                    assert c.number_format in (FMT_PERCENT, FMT_SHARE), (ws.title, c.coordinate)


# -- tests: content ---------------------------------------------------------------------------
def test_every_markdown_table_is_in_the_workbook_with_the_same_numbers(report: Report, book: Workbook,
                                                                        tmp_path: Path) -> None:
    assert_workbook_matches_markdown(book, markdown_of(report, tmp_path))
    assert len(workbook_tables(book)) == len(report.tables()) == 5


def test_one_sheet_per_section_with_valid_unique_names_and_about_last(book: Workbook) -> None:
    assert book.sheetnames == ["Deltagare och avslut", "Försörjning före efter 2017", "Budget och utfall för hela",
                               "deltagare OCH avslut (2)", "Om rapporten"]
    assert all(len(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) for n in book.sheetnames)
    assert book.active.title == "Deltagare och avslut"


def test_sheet_header_title_meta_and_example_banner(book: Workbook) -> None:
    ws = book["Deltagare och avslut"]
    assert ws["A1"].value == "Måluppfyllelse & budget 2017" and ws["A1"].font.b
    assert ws["A2"].value == "Samordningsförbundet Östra Södertörn · Ung i Tyresö · Period: 2017 · Belopp i kr"
    assert ws["A3"].value.startswith("Exempeldata.")
    assert ws["A5"].value == "Deltagare och avslut" and ws["A5"].font.b
    assert ws["A6"].value == "Ett stycke om deltagarna."


def test_no_example_banner_for_real_data(tmp_path: Path) -> None:
    wb = load(render_xlsx(full_report(tmp_path, example=False)))
    assert not any(str(c.value).startswith("Exempeldata.") for ws in wb for row in ws.iter_rows() for c in row)
    about = {r[0]: r[1] for r in wb["Om rapporten"].iter_rows(values_only=True) if r[0]}
    assert about["Exempeldata"] == "Nej"


def test_numbers_are_numbers_with_formats(book: Workbook) -> None:
    tables = {t["title"]: t for t in workbook_tables(book)}
    hist = tables["Deltagare och avslut per år"]["rows"]
    assert [c.value for c in hist[0]] == [2015, 166, 50, 13, 14, 27, 0.54, 0.65]
    assert [c.value for c in hist[2]] == [2017, 260, 165, 71, "..", 116, 0.70303, 0.65]
    assert [(c.value, c.number_format, c.alignment.horizontal) for c in (hist[0][0], hist[3][0])] == [
        (2015, FMT_YEAR, "left"), ("2011–2017 (summa av åren)", "General", None)]  # a year is a number
    assert hist[1][6].value == 0.5204  # stored exact; the format shows 52 %, as the Markdown
    assert FMT_PERCENT.split(";")[0] == "0 %" and FMT_SHARE.split(";")[0] == "0.0 %"  # the Swedish space
    assert all(type(c.value) is int and c.number_format == FMT_INTEGER for c in hist[0][1:6])
    assert all(c.number_format == FMT_PERCENT for c in hist[0][6:])
    assert hist[2][4].data_type == "s" and hist[2][4].alignment.horizontal == "right"

    measures = tables["Nyckeltal per kön"]["rows"]
    assert [(c.value, c.number_format) for c in measures[1][1:]] == [(0.4251, FMT_PERCENT), (0.4349, FMT_PERCENT),
                                                                     (0.43, FMT_PERCENT)]
    assert [(c.value, c.number_format) for c in measures[2][1:]] == [(7.5, FMT_DECIMAL), (8.1, FMT_DECIMAL),
                                                                     (7.8, FMT_DECIMAL)]
    change = tables["Försörjningskällor vid inskrivning och ett år efter"]["rows"]
    assert [(c.value, c.number_format) for c in change[1][1:]] == [(92, FMT_INTEGER), (49, FMT_INTEGER),
                                                                   (-43, FMT_SIGNED)]  # a change shows +6, −43
    budget = tables["Utfall mot budget"]["rows"]
    assert [c.value for c in budget[1]] == ["Ung i Nynäs", 1511545, 1792000, -280455, 0.84349]
    assert budget[0][4].number_format == FMT_SHARE
    assert all(c.number_format == FMT_INTEGER for c in budget[0][1:4])
    assert "[Red]" in FMT_INTEGER.split(";")[1]  # negative deviations show in red
    assert budget[7][1].value == -7079 and budget[7][2].value is None


def test_numpy_and_missing_values(tmp_path: Path) -> None:
    import numpy as np
    import pandas as pd

    table = Table("np", "Pandas-värden", [Column("Namn"), Column("Antal", Kind.COUNT), Column("Andel", Kind.PERCENT)],
                  [Row(["a", np.int64(5), np.float64(0.504)]),  # type: ignore[list-item]
                   Row(["b", float("nan"), pd.NA])])  # type: ignore[list-item]
    report = Report("np", "Numpy", "Förbundet", Period.whole_year(2017), provenance(tmp_path),
                    sections=[Section("Data", [table])])
    rows = workbook_tables(load(render_xlsx(report)))[0]["rows"]
    assert [(type(c.value), c.value) for c in rows[0]] == [(str, "a"), (int, 5), (float, 0.504)]
    assert [c.value for c in rows[1]] == ["b", None, None]


def test_excel_ints_for_whole_numbers(book: Workbook) -> None:
    for t in workbook_tables(book):
        for row in t["rows"]:
            for c in row:
                if c.number_format == FMT_INTEGER and c.value != "..":
                    assert c.value is None or type(c.value) is int


def test_totals_and_subtotals_are_bold_with_a_top_border(book: Workbook) -> None:
    budget = {t["title"]: t for t in workbook_tables(book)}["Utfall mot budget"]["rows"]
    styles = [(r[0].value, r[1].font.b, r[1].border.top.style) for r in budget]
    assert styles[0] == ("Resursrådet", False, None)
    assert styles[2] == ("Summa insatser", True, "thin")
    assert styles[6] == ("Totalt", True, "thin")
    assert all(c.font.b and c.border.top.style == "thin" for c in budget[6])
    assert budget[6][0].border.bottom.style == "double"


def test_bold_header_and_freeze_and_filter_only_on_a_sheet_of_one_table(book: Workbook) -> None:
    tables = {t["title"]: t for t in workbook_tables(book)}
    ws = book["Deltagare och avslut"]
    header = tables["Deltagare och avslut per år"]["header_row"]
    assert all(ws.cell(row=header, column=c).font.b for c in range(1, 9))
    for name in ("Deltagare och avslut", "Budget och utfall för hela"):  # two tables each: neither is frozen
        assert book[name].freeze_panes is None and book[name].auto_filter.ref is None, name
    ws = book["Försörjning före efter 2017"]  # its one table: frozen under the header and filtered
    header = tables["Försörjningskällor vid inskrivning och ett år efter"]["header_row"]
    assert ws.freeze_panes == f"A{header + 1}"
    assert ws.auto_filter.ref == f"A{header}:D{header + 5}"
    assert ws.print_title_rows is None  # a chart follows: no table header printed above it
    assert_print_layout(book)


def test_column_widths_fit_the_content(book: Workbook) -> None:
    ws = book["Försörjning före efter 2017"]
    width = {c: ws.column_dimensions[c].width for c in "ABCD"}
    assert len("A-kassa/aktivitetsstöd") < width["A"] <= 30
    assert len("inskrivning") < width["B"] <= 20  # a long header label wraps at its words
    long = book["Budget och utfall för hela"].column_dimensions["B"].width
    assert long == WIDTH_MAX  # long explanations wrap instead of widening without limit


def test_print_setup_and_document_properties(book: Workbook, report: Report) -> None:
    for ws in book.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert str(ws.page_setup.paperSize) == Worksheet.PAPERSIZE_A4 == "9"
        assert not ws.sheet_properties.pageSetUpPr.fitToPage  # an explicit scale, never below 9 pt
        assert 82 <= int(ws.page_setup.scale) <= 100
        assert ws.oddHeader.center.text == "Måluppfyllelse && budget 2017"  # & is a code in headers
        assert ws.oddFooter.center.text == "Sida &P av &N"
    props = book.properties
    assert props.title == report.title
    assert props.subject == "Ung i Tyresö · 2017"
    assert props.creator == "Samordningsförbundet Östra Södertörn"
    assert props.created == props.modified == DATA_DATE.replace(tzinfo=None)


def test_native_charts(book: Workbook) -> None:
    ws = book["Deltagare och avslut"]
    assert len(ws._charts) == 1
    chart = ws._charts[0]
    assert isinstance(chart, BarChart) and chart.type == "col" and chart.grouping == "clustered"
    assert [type(c) for c in chart._charts] == [BarChart, LineChart]  # the goal is a line on the same axes
    table = {t["title"]: t for t in workbook_tables(book)}["Deltagare och avslut per år"]
    first, last = table["header_row"] + 1, table["header_row"] + 3  # the total row is not plotted
    assert chart.series[0].val.numRef.f == f"'Deltagare och avslut'!$G${first}:$G${last}"
    assert chart.series[0].cat.numRef.f == f"'Deltagare och avslut'!$A${first}:$A${last}"  # years: numbers
    for text in (chart.x_axis.txPr, chart.y_axis.txPr, chart.legend.txPr):  # 11 pt, as the cells
        assert text.p[0].pPr.defRPr.sz == 1100
    assert chart.y_axis.majorUnit == 0.2  # at most five steps up to 70 %
    line = chart._charts[1]
    assert line.series[0].val.numRef.f == f"'Deltagare och avslut'!$H${first}:$H${last}"
    assert line.x_axis.axId == chart.x_axis.axId and line.y_axis.axId == chart.y_axis.axId

    sources = book["Försörjning före efter 2017"]._charts[0]
    assert isinstance(sources, BarChart) and sources.type == "bar" and sources.grouping == "clustered"
    assert len(sources.series) == 2  # at start versus after a year


def test_budget_chart_skips_subtotals_with_a_union_reference(book: Workbook) -> None:
    ws = book["Budget och utfall för hela"]
    assert len(ws._charts) == 1
    chart = ws._charts[0]
    h = {t["title"]: t for t in workbook_tables(book)}["Utfall mot budget"]["header_row"]
    sheet = "'Budget och utfall för hela'"
    assert chart.type == "bar" and len(chart.series) == 2
    assert chart.series[0].val.numRef.f == f"({sheet}!$B${h + 1}:$B${h + 2},{sheet}!$B${h + 4}:$B${h + 5})"
    cache = chart.series[0].val.numRef.numCache
    assert [p.v for p in cache.pt] == [1499034, 1511545, 185108, 3017809]
    assert chart.y_axis.majorUnit == 1_000_000  # three round steps: labels never run together


@pytest.mark.parametrize(("top", "step"), [(0.7, 0.2), (1.0, 0.2), (3, 1), (99, 20), (2_470_000, 500_000),
                                           (18_000_000, 5_000_000), (10_000_001, 5_000_000), (0, None)])
def test_value_axis_steps_are_round_and_at_most_five(top: float, step: float | None) -> None:
    assert value_step(top) == step


def test_charts_sit_below_their_table_and_tables_below_them(book: Workbook) -> None:
    ws = book["Budget och utfall för hela"]
    tables = {t["title"]: t for t in workbook_tables(book)}
    (top, bottom), = chart_extents(ws)
    budget = tables["Utfall mot budget"]
    notes_end = budget["header_row"] + len(budget["rows"]) + 1  # the table's one note
    assert ws.cell(row=notes_end, column=1).value == "Avvikelser över 100 000 kr förklaras nedan."
    assert top == notes_end + 2  # below the table and its notes, after a blank row
    assert tables["Förklaringar"]["header_row"] > bottom + 1
    assert_print_layout(book)


def test_a_chart_that_would_cross_a_page_end_starts_a_new_page(tmp_path: Path) -> None:
    long = Table("lang", "Lång tabell", [Column("Post"), Column("Belopp", Kind.AMOUNT)],
                 [Row([f"Post {i}", i * 1000]) for i in range(12)], chart=Chart("bar", "Belopp", 0, (1,)))
    report = Report("lang", "Lång", "Förbundet", Period.whole_year(2017), provenance(tmp_path),
                    sections=[Section("Data", [long])])
    ws = load(render_xlsx(report))["Data"]
    (top, _), = chart_extents(ws)
    assert [b.id for b in ws.row_breaks.brk] == [top - 1]  # the table fits page 1; the chart does not
    assert_print_layout(ws.parent)


def test_years_are_numbers_and_percentages_show_with_a_space(book: Workbook) -> None:
    assert_cell_types(book)


def test_text_after_a_number_column_is_indented(book: Workbook) -> None:
    """`249 Nej`, `56 2026-11-30 …` read as two columns: left-aligned cells right of column A are indented."""
    for ws in book.worksheets:
        for row in ws.iter_rows(min_col=2):
            for c in row:
                if c.value is not None and c.alignment.horizontal == "left" and not c.font.b:
                    assert c.alignment.indent == 1, (ws.title, c.coordinate)
    about = book["Om rapporten"]
    changed = next(c for row in about.iter_rows() for c in row if c.value == datetime(2018, 1, 15, 10, 30))
    assert changed.alignment.indent == 1  # after the Rader count
    notes = {t["title"]: t for t in workbook_tables(book)}["Förklaringar"]["rows"]
    assert notes[0][1].data_type == "s" and notes[0][1].alignment.indent == 1


def test_about_sheet(book: Workbook) -> None:
    ws = book["Om rapporten"]
    values = list(ws.iter_rows(values_only=True))
    facts = {r[0]: r[1] for r in values if r[0] and r[1] is not None}
    assert facts["Rapport"] == "Måluppfyllelse & budget 2017"
    assert facts["Förbund"] == "Samordningsförbundet Östra Södertörn"
    assert facts["Insats"] == "Ung i Tyresö" and facts["Period"] == 2017  # a year alone is a number
    assert facts["finsam-version"] == "9.9.9"
    assert facts["Exempeldata"] == "Ja"
    assert facts["Datadatum (UTC)"] == DATA_DATE.replace(tzinfo=None)  # the newest input, not the wall clock
    assert ("Roll", "Fil", "SHA-256", "Rader", "Ändrad (UTC)") in values
    assert ("deltagare", "deltagare.csv", "a" * 64, 1234, datetime(2018, 1, 15, 10, 30)) in values
    assert ("budget", "=budget.csv", "0123456789abcdef" * 4, 40, DATA_DATE.replace(tzinfo=None)) in values
    assert ("år", 2017, None, None, None) in values
    assert ("nyckel", "0123", None, None, None) in values  # leading zeros stay text
    assert ("formel", "=cmd|' /C calc'!A0", None, None, None) in values
    assert ("Anmärkningar", None, None, None, None) in values
    assert ("-inte en formel", None, None, None, None) in values
    rows_cell = next(c for row in ws.iter_rows() for c in row if c.value == 1234)
    assert rows_cell.number_format == FMT_INTEGER
    assert "2025" not in str(values)  # the generation time never enters the workbook


# -- tests: text safety -----------------------------------------------------------------------
def test_hostile_texts_stay_text(tmp_path: Path) -> None:
    data = render_xlsx(hostile_report(tmp_path))
    wb = load(data)
    texts = [c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [c for ws in wb for row in ws.iter_rows() for c in row if c.data_type in ("f", "e")]
    assert {"=SUM(A1)", "+46 8 123 45", "-x", "@cmd", "#N/A", "=1+1", "-1", "=", "=Summa", "=A1"} <= {
        c.value for c in texts}
    assert "bell!" in {c.value for c in texts}  # a control character is dropped, not a crash
    assert all(c.quotePrefix for c in texts if c.value[:1] in "=+-@")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in z.read(name).decode() and "<f " not in z.read(name).decode()
    assert all(n == "Om rapporten" or len(n) <= 31 for n in wb.sheetnames)
    assert len({n.casefold() for n in wb.sheetnames}) == len(wb.sheetnames)
    assert wb.properties.title == "=cmd|' /C calc'!A0"


def test_hostile_report_numbers_still_match_markdown(tmp_path: Path) -> None:
    report = hostile_report(tmp_path)
    assert_workbook_matches_markdown(load(render_xlsx(report)), markdown_of(report, tmp_path))


@given(st.text(min_size=1, max_size=40))
def test_any_text_is_written_as_a_string(text: str) -> None:
    ws = Workbook().active
    cell = ws["A1"]
    write_text(cell, text)
    assert cell.data_type == "s" and cell.value == ILLEGAL_CHARACTERS_RE.sub("", text)


def test_sheet_names() -> None:
    taken: set[str] = {"om rapporten"}
    names = [sheet_name(n, taken) for n in ["Budget", "budget", "BUDGET", "", None, "a[b]c:d*e?f/g\\h", "'citat'",
                                            "x" * 40, "x" * 40, "History", "Om rapporten", "  ", "\x07"]]
    assert names == ["Budget", "budget (2)", "BUDGET (3)", "Blad", "Blad (2)", "a b c d e f g h", "citat",
                     "x" * 31, "x" * 27 + " (2)", "History blad", "Om rapporten (2)", "Blad (3)", "Blad (4)"]
    assert all(len(n) <= 31 for n in names)


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.sampled_from(list(FORMAT_KIND.values())))
def test_stored_numbers_print_like_the_markdown(value: float, kind: Kind) -> None:
    assert format_cell(excel_number(value, kind), kind) == format_cell(value, kind)


def test_numbers_are_numeric_cells_and_suppressed_counts_the_only_text(report: Report, book: Workbook) -> None:
    """Every number of the report is a numeric cell with a number format; a hidden count is the text '..'."""
    numbers = suppressed = 0
    for table, found in zip(report.tables(), workbook_tables(book), strict=True):
        for row, cells in zip(table.rows, found["rows"], strict=True):
            for column, value, cell in zip(table.columns, row.cells, cells, strict=True):
                if isinstance(value, Suppressed):
                    assert (cell.value, cell.data_type) == ("..", "s"), cell.coordinate
                    suppressed += 1
                elif column.kind is not Kind.TEXT and isinstance(value, int | float):
                    assert cell.data_type == "n" and type(cell.value) in (int, float), (cell.coordinate, cell.value)
                    assert cell.number_format in FORMAT_KIND, (cell.coordinate, cell.number_format)
                    numbers += 1
    assert numbers == 82 and suppressed == 1  # every number of the fixture report was checked


# -- tests: determinism -----------------------------------------------------------------------
def test_two_runs_give_identical_bytes(report: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    first = render_xlsx(report)
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 3 * 3600 + 7)  # as if run hours later
    second = render_xlsx(report)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        stamps = {i.date_time for i in z.infolist()}
    assert stamps == {(2018, 2, 1, 8, 0, 4)}  # the data date (zip times have two-second steps)


def test_changed_inputs_change_the_workbook(report: Report) -> None:
    before = render_xlsx(report)
    changed = InputFile("deltagare", "deltagare.csv", report.provenance.inputs[0].path, "c" * 64, 1235,
                        datetime(2018, 3, 1, tzinfo=UTC))
    inputs = (changed, *report.provenance.inputs[1:])
    after = render_xlsx(replace(report, provenance=replace(report.provenance, inputs=inputs)))
    assert before != after
    assert load(after).properties.modified == datetime(2018, 3, 1)


def test_without_inputs_the_time_comes_from_source_date_epoch(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1514764800")  # 2018-01-01 00:00 UTC
    report = Report("tom", "Tom rapport", "Förbundet", Period.whole_year(2017), provenance(tmp_path, inputs=False))
    data = render_xlsx(report)
    assert data == render_xlsx(report)
    wb = load(data)
    assert wb.sheetnames == ["Om rapporten"]
    assert wb.properties.created == datetime(2018, 1, 1)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {i.date_time for i in z.infolist()} == {(2018, 1, 1, 0, 0, 0)}


# -- tests: a spreadsheet program opens it ----------------------------------------------------
def convert_to_pdf(xlsx: Path, out: Path) -> Path:
    """Convert with LibreOffice headless, with its own profile so parallel runs do not collide."""
    program = office()
    profile = (out / "lo-profile").as_uri()
    swedish = {**os.environ, "LANG": "sv_SE.UTF-8", "LC_ALL": "sv_SE.UTF-8"}  # as the association's office
    result = subprocess.run([program, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                             "--convert-to", "pdf", "--outdir", str(out), str(xlsx)],
                            capture_output=True, text=True, timeout=180, check=False, env=swedish)
    pdf = out / (xlsx.stem + ".pdf")
    assert result.returncode == 0 and pdf.is_file(), result.stdout + result.stderr
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 1000
    return pdf


def pdf_pages(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf.read_bytes()))


def planned_pages(wb: Workbook) -> int:
    """The pages the workbook plans: every page end is a manual break, every sheet one page wide."""
    return sum(len(ws.row_breaks.brk) + 1 for ws in wb.worksheets)


def test_libreoffice_converts_the_workbooks_to_pdf(tmp_path: Path) -> None:
    for name, report in [("rapport", full_report(tmp_path)), ("fientlig", hostile_report(tmp_path))]:
        xlsx = tmp_path / f"{name}.xlsx"
        xlsx.write_bytes(render_xlsx(report))
        pdf = convert_to_pdf(xlsx, tmp_path)
        # LibreOffice prints the pages planned: no page it had to add (a chart or a row run over), none across
        assert pdf_pages(pdf) == planned_pages(load_workbook(xlsx)), name
