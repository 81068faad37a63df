"""Report commands write Word documents from the sample data; LibreOffice converts them; the PDFs hold the figures."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from docx import Document

from .conftest import ROOT
from .test_docx import style_name
from .test_excel import convert_to_pdf

CONFIG = ROOT / "finsam.toml"
NBSP = "\u00a0"

# Each command, and figures its PDF must show (the published 2017 figures where the sample has them).
CASES = [
    pytest.param(["maluppfyllelse", "2017", "--insats", "ung-i-tyreso"], ["Ung i Tyresö", "249", "Historik"],
                 id="maluppfyllelse-insats"),
    pytest.param(["budget-avvikelse", "2017"], ["Utfall och budget per post 2017", "958 554", "−970 966",
                                                "1 499 034"], id="budget-avvikelse"),
    pytest.param(["budget-jamforelse", "2018"], ["Budget 2018 och 2017 per post"], id="budget-jamforelse"),
    pytest.param(["medlemsavgifter", "2019"], ["8 208 000", "16 416 000"], id="medlemsavgifter"),
    pytest.param(["malgrupp", "2017"], ["Målgruppen och antalet deltagare 2017", "962", "1 028", "1 786"],
                 id="malgrupp"),
    pytest.param(["uppfoljning", "2017"], ["Underlag till Uppföljning Finsam 2017", "7 031 798", "3 202 917", "249"],
                 id="uppfoljning"),
]


def pdf_text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"[ \u00a0\u202f]+", " ", out)


@pytest.mark.parametrize(("args", "figures"), CASES)
def test_command_writes_a_document_libreoffice_converts(run, tmp_path: Path, args: list[str],
                                                        figures: list[str]) -> None:
    out = tmp_path / "rapport.docx"
    result = run(*args, "--config", CONFIG, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.endswith(f"Wrote {out}\n")
    first = out.read_bytes()
    again = run(*args, "--config", CONFIG, "-o", out)
    assert again.exit_code == 0 and out.read_bytes() == first  # byte-identical rerun

    document = Document(io.BytesIO(first))
    assert style_name(document.paragraphs[0]) == "Heading 1"
    assert document.core_properties.author == "Samordningsförbundet Östra Södertörn"
    assert all(not re.search(r"\d{6}[-+]?\d{4}", t) for t in (document.core_properties.title,
                                                               document.core_properties.subject))
    text = pdf_text(convert_to_pdf(out, tmp_path))
    for figure in figures:
        assert figure in text, figure


def test_budget_result_row_is_bold_in_the_document(run, tmp_path: Path) -> None:
    out = tmp_path / "budget.docx"
    assert run("budget-avvikelse", "2017", "--config", CONFIG, "-o", out).exit_code == 0
    table = Document(str(out)).tables[0]
    rows = {r.cells[0].text: r for r in table.rows}
    result = rows["Resultat"]
    assert result.cells[1].text == f"958{NBSP}554"
    assert all(run_.bold for c in result.cells for p in c.paragraphs for run_ in p.runs)
    assert not any(run_.bold for c in rows["Resursrådet"].cells for p in c.paragraphs for run_ in p.runs)
    assert rows["Resursrådet"].cells[3].text == f"\u2212970{NBSP}966"


def test_format_option_and_suffix(run, tmp_path: Path) -> None:
    out = tmp_path / "rapport.bin"
    assert run("medlemsavgifter", "2019", "--config", CONFIG, "--format", "docx", "-o", out).exit_code == 0
    assert out.read_bytes().startswith(b"PK")
    missing = run("medlemsavgifter", "2019", "--config", CONFIG, "--format", "docx")
    assert missing.exit_code == 2
    assert "docx output needs a file: give -o REPORT.docx" in missing.stderr
    clash = run("medlemsavgifter", "2019", "--config", CONFIG, "--format", "md", "-o", tmp_path / "x.docx")
    assert clash.exit_code == 2


def test_export_writes_word_documents(run, tmp_path: Path) -> None:
    target = tmp_path / "export"
    result = run("export", "2017", "--config", CONFIG, "--till", target, "--format", "docx")
    assert result.exit_code == 0, result.stderr
    written = sorted(p.name for p in (target / "2017").iterdir() if p.suffix == ".docx")
    assert "budget-avvikelse_2017.docx" in written and "maluppfyllelse_2017_ung-i-tyreso.docx" in written
    assert not any(p.suffix in (".md", ".xlsx") for p in (target / "2017").iterdir())
