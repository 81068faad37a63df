"""Every report command writes a workbook that holds exactly the numbers of its Markdown report."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from .conftest import ROOT
from .test_excel import (
    assert_cell_types,
    assert_print_layout,
    assert_workbook_matches_markdown,
    convert_to_pdf,
    pdf_pages,
    planned_pages,
)

CONFIG = ROOT / "finsam.toml"

CASES = [
    pytest.param(["maluppfyllelse", "2017"], id="maluppfyllelse-alla"),
    pytest.param(["maluppfyllelse", "2017", "--insats", "ung-i-tyreso"], id="maluppfyllelse-insats"),
    pytest.param(["budget-avvikelse", "2017"], id="budget-avvikelse"),
    pytest.param(["budget-avvikelse", "2017", "--halvar"], id="budget-avvikelse-halvar"),
    pytest.param(["budget-avvikelse", "2017", "--tkr"], id="budget-avvikelse-tkr"),
    pytest.param(["budget-jamforelse", "2018"], id="budget-jamforelse"),
    pytest.param(["medlemsavgifter", "2019"], id="medlemsavgifter"),
    pytest.param(["malgrupp", "2017"], id="malgrupp"),
    pytest.param(["uppfoljning", "2017"], id="uppfoljning"),
    pytest.param(["enkat", "2017"], id="enkat"),
]


@pytest.mark.parametrize("args", CASES)
def test_command_workbook_matches_its_markdown(run, tmp_path: Path, args: list[str]) -> None:
    md = run(*args, "--config", CONFIG)
    assert md.exit_code == 0, md.stderr
    out = tmp_path / "rapport.xlsx"
    result = run(*args, "--config", CONFIG, "-o", out)
    assert result.exit_code == 0, result.stderr
    data = out.read_bytes()
    wb = load_workbook(io.BytesIO(data))
    assert_workbook_matches_markdown(wb, md.stdout)
    assert wb.sheetnames[-1] == "Om rapporten"
    facts = {r[0]: r[1] for r in wb["Om rapporten"].iter_rows(values_only=True) if r[0]}
    assert facts["Exempeldata"] == "Ja"  # the bundled sample data
    assert not [c for ws in wb for row in ws.iter_rows() for c in row if c.data_type in ("f", "e")]
    assert wb.properties.creator == "Samordningsförbundet Östra Södertörn"
    assert_print_layout(wb)  # charts below their tables, whole, ≥ 9 pt, freeze/filter on a sheet's one table
    assert_cell_types(wb)  # years are numbers, percentages 61 %

    again = tmp_path / "igen.xlsx"
    assert run(*args, "--config", CONFIG, "--format", "xlsx", "-o", again).exit_code == 0
    assert again.read_bytes() == data  # unchanged inputs, identical bytes
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert len({i.date_time for i in z.infolist()}) == 1


@pytest.mark.parametrize("args", [CASES[0], CASES[2], CASES[-1]])
def test_command_workbook_has_charts(run, tmp_path: Path, args: list[str]) -> None:
    out = tmp_path / "rapport.xlsx"
    assert run(*args, "--config", CONFIG, "-o", out).exit_code == 0
    wb = load_workbook(out)
    assert sum(len(ws._charts) for ws in wb.worksheets) >= 1


@pytest.mark.parametrize("args", CASES)
def test_libreoffice_opens_command_workbook(run, tmp_path: Path, args: list[str]) -> None:
    out = tmp_path / "rapport.xlsx"
    assert run(*args, "--config", CONFIG, "-o", out).exit_code == 0
    pdf = convert_to_pdf(out, tmp_path)
    assert pdf_pages(pdf) == planned_pages(load_workbook(out))  # LibreOffice breaks pages where planned


def test_percentages_are_stored_exact(run, tmp_path: Path) -> None:
    out = tmp_path / "budget.xlsx"
    assert run("budget-avvikelse", "2017", "--config", CONFIG, "-o", out).exit_code == 0
    ws = load_workbook(out).worksheets[0]
    row = next(r for r in ws.iter_rows() if r[0].value == "Resursrådet")
    assert [c.value for c in row[1:4]] == [1499034, 2470000, -970966]
    assert row[4].value == pytest.approx(1499034 / 2470000, abs=1e-15)  # 0.6069…, not 0.61
    assert row[4].number_format.split(";")[0] == "0 %"  # shown 61 %


def test_history_years_are_numbers_and_the_goal_is_a_line(run, tmp_path: Path) -> None:
    out = tmp_path / "mal.xlsx"
    assert run("maluppfyllelse", "2017", "--insats", "ung-i-tyreso", "--config", CONFIG, "-o", out).exit_code == 0
    wb = load_workbook(out)
    ws = wb.worksheets[0]
    years = [r[0] for r in ws.iter_rows() if isinstance(r[0].value, int)]
    assert [c.value for c in years] == list(range(2011, 2018))
    assert {c.number_format for c in years} == {"0"}
    facts = {r[0]: r[1] for r in wb["Om rapporten"].iter_rows(values_only=True) if r[0]}
    assert facts["Period"] == 2017  # a year alone is a number
    chart = next(c for c in ws._charts if c.type == "col")
    assert len(chart._charts) == 2 and len(chart._charts[1].series) == 1  # Procent columns, Mål line
