"""The xlsx guard's scan for the farthest cell: rows out of order and chunk boundaries."""

from __future__ import annotations

import io
import zipfile

import pytest

from finsam_cli.inputs import xlsx_guard
from finsam_cli.inputs.xlsx_guard import _farthest_cell

PART = "xl/worksheets/sheet1.xml"


def _sheet(rows: list[tuple[int, list[str]]]) -> zipfile.ZipFile:
    body = "".join(f'<row r="{n}">' + "".join(f'<c r="{ref}"><v>1</v></c>' for ref in refs) + "</row>"
                   for n, refs in rows)
    xml = f'<worksheet><sheetData>{body}</sheetData></worksheet>'.encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(PART, xml)
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


def test_rows_in_order_give_the_last_row() -> None:
    assert _farthest_cell(_sheet([(n, [f"A{n}", f"B{n}"]) for n in range(1, 500)]), PART) == (499, 26)


def test_a_far_row_before_the_last_row_is_found() -> None:
    rows = [(1, ["A1"]), (900000, ["A900000"]), *[(n, [f"A{n}"]) for n in range(2, 50)]]
    assert _farthest_cell(_sheet(rows), PART) == (900000, 26)


def test_a_far_cell_in_a_near_row_is_found() -> None:
    assert _farthest_cell(_sheet([(1, ["A1"]), (2, ["A2", "C1048576"]), (3, ["A3"])]), PART) == (1048576, 26)
    assert _farthest_cell(_sheet([(1, ["A1", "XFD1"]), (2, ["A2"])]), PART) == (2, 16384)


@pytest.mark.parametrize("chunk", [7, 13, 64, 100])
def test_references_cut_between_chunks_are_seen(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    monkeypatch.setattr(xlsx_guard, "_CHUNK", chunk)
    rows = [(n, [f"A{n}"]) for n in range(1, 40)] + [(123456, ["AB123456"]), (41, ["A41"])]
    assert _farthest_cell(_sheet(rows), PART) == (123456, 28)
