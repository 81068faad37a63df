"""`finsam arsredovisning 2017 -o arsredovisning.docx`: a heading per part, tables and bold totals read back with
python-docx, a byte-identical rerun, and LibreOffice's PDF holding the published figures and the headings."""

from __future__ import annotations

import io
from itertools import pairwise
from pathlib import Path

from docx import Document

from .conftest import ROOT
from .test_arsredovisning import PARTS
from .test_docx import style_name
from .test_docx_cli import pdf_text
from .test_excel import convert_to_pdf

CONFIG = ROOT / "finsam.toml"
NBSP = "\u00a0"


def test_annual_report_document(run, tmp_path: Path) -> None:
    out = tmp_path / "arsredovisning.docx"
    result = run("arsredovisning", "2017", "--config", CONFIG, "-o", out)
    assert result.exit_code == 0, result.stderr
    first = out.read_bytes()
    assert run("arsredovisning", "2017", "--config", CONFIG, "-o", out).exit_code == 0
    assert out.read_bytes() == first  # byte-identical rerun

    document = Document(io.BytesIO(first))
    headings = [(style_name(p), p.text) for p in document.paragraphs if style_name(p).startswith(("Heading", "Title"))]
    assert headings[0] == ("Title", "Årsredovisning 2017: sifferdelen")
    assert [t for s, t in headings if s == "Heading 1"] == [*PARTS, "Om rapporten"]
    levels = [0 if s == "Title" else int(s.split()[-1]) for s, _ in headings]
    assert all(b - a <= 1 for a, b in pairwise(levels))  # no level skipped going down
    beneath = headings[headings.index(("Heading 1", PARTS[1])) + 1:]
    assert beneath[:2] == [("Heading 2", "Ungdomsteamet i Haninge"), ("Heading 3", "Deltagare och avslut 2017")]
    assert ("Heading 2", "Resultaträkning") in headings  # one heading for a statement, not two

    fees = next(t for t in document.tables if t.rows[0].cells[0].text == "Medlem")
    assert [c.text for c in fees.rows[0].cells] == ["Medlem", "2016", "2017"]
    summa = next(r for r in fees.rows if r.cells[0].text == "Summa")
    assert [c.text for c in summa.cells[1:]] == [f"18{NBSP}064{NBSP}870", f"18{NBSP}064{NBSP}868"]
    assert all(run_.bold for c in summa.cells for run_ in c.paragraphs[0].runs)
    result_row = next(r for t in document.tables for r in t.rows if r.cells[0].text == "Resultat")
    assert result_row.cells[1].text == f"958{NBSP}554"
    assert all(run_.bold for run_ in result_row.cells[0].paragraphs[0].runs)

    text = " ".join(pdf_text(convert_to_pdf(out, tmp_path)).split())  # a long heading wraps
    for figure in ("958 554", "Ung i Tyresö", "249", *PARTS):
        assert figure in text, figure
