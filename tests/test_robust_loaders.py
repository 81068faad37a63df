"""Loader robustness details behind the corpus: redaction, terminal safety, encodings, odd digits."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from finsam_cli.errors import DataError, redact_personnummer
from finsam_cli.inputs.load import LoadOptions, holds_personnummer_digits, load, mask_personnummer
from finsam_cli.inputs.problems import Problems, safe_text
from finsam_cli.inputs.schema import FileKind

from .conftest import DATA


@pytest.mark.parametrize("text", ["121212-1212", "121212+1212", "1212121212", "201212121212", "20121212-1212",
                                  "Ring 20121212-1212 i morgon", "x121212-1212y"])
def test_every_personnummer_form_is_redacted(text: str) -> None:
    out = redact_personnummer(text)
    assert "1212" not in out.replace("[personnummer]", "")
    assert "[personnummer]" in out


@pytest.mark.parametrize("text", ["2017-01-01", "1 499 034", "20170101", "V160001", "4610", "12345678901234",
                                  "2 470 000", "P000001"])
def test_other_numbers_are_left_alone(text: str) -> None:
    assert redact_personnummer(text) == text


# The other spellings people type (valid personnummer: date and check digit).
OTHER_SPELLINGS = ["## Ung 481115 1580", "| AF Tyresö handläggare 19751222 1354 |", "Handläggare 530822 - 2636 slutade",
                   "530822\u20132636", "530822\u20112636", "530822\u00a02636", "19530822 \u2013 2636",
                   "530822\u202f2636", "530882 2633"]  # the last: a samordningsnummer (day + 60)


@pytest.mark.parametrize("text", OTHER_SPELLINGS)
def test_other_spellings_of_a_valid_personnummer_are_redacted(text: str) -> None:
    out = redact_personnummer(text)
    assert "[personnummer]" in out
    assert not any(part in out for part in ("2636", "1580", "1354", "2633")), out


@pytest.mark.parametrize("text", ["530822 2637", "531322 2636", "Konto 5308 2226 36", "2017-01-01 1234",
                                  "Belopp 250000 1000", "Tel 08-123 456 78", "201701 0100"])
def test_spaced_numbers_that_are_no_valid_personnummer_are_left_alone(text: str) -> None:
    assert redact_personnummer(text) == text


def test_a_long_text_is_redacted_as_a_short_one_is() -> None:
    line = ("| Ung i Tyresö | 1\u00a0499\u00a0034 | 2017-03-01 | V123456 | 121212-1212 | 481115 1580 |"
            " 530822 2637 | \u0661\u0662\u0661\u0662\u0661\u0662\u0661\u0662\u0661\u0662 | 12345678 |\n")
    text = line * 20_000  # over a megabyte: the long-text path
    out = redact_personnummer(text)
    assert out == "".join(redact_personnummer(line) for _ in range(20_000))
    assert out.count("[personnummer]") == 3 * 20_000 and "530822 2637" in out


def test_problem_values_cannot_drive_a_terminal() -> None:
    assert safe_text("\x1b[2J\x1b[31mRÖTT\u202etxt.exe\n") == "\\x1b[2J\\x1b[31mRÖTT\\x202etxt.exe\\x0a"
    problems = Problems("f.csv")
    problems.add("bad", row=2, column="Kön\x1b", value="19121212-1212")
    [problem] = problems.items
    assert problem.value == "[personnummer]" and problem.column == "Kön\\x1b"


def test_free_text_columns_are_masked_and_counted() -> None:
    text = pd.Series(["AF Tyresö", "Handläggare 121212-1212", "Handläggare 121212-1212", None], dtype="string")
    masked, count = mask_personnummer(text)
    assert count == 2
    assert list(masked.fillna("-")) == ["AF Tyresö", "Handläggare [personnummer]", "Handläggare [personnummer]", "-"]
    same, none = mask_personnummer(pd.Series(["AF Tyresö"] * 3, dtype="string"))
    assert none == 0 and list(same) == ["AF Tyresö"] * 3


@pytest.mark.parametrize("dtype", ["string", "string[pyarrow]"])
def test_free_text_with_other_spellings_is_masked(dtype: str) -> None:
    text = pd.Series(["AF Tyresö", "Handläggare 530822 - 2636 slutade", "Ung 481115\u20111580"], dtype=dtype)
    masked, count = mask_personnummer(text)
    assert count == 2
    assert list(masked) == ["AF Tyresö", "Handläggare [personnummer] slutade", "Ung [personnummer]"]


def test_utf16_with_bom_reads_like_utf8() -> None:
    utf16 = load(DATA / "hostile" / "utf16.csv", FileKind.DELTAGARE, LoadOptions()).frame
    utf8 = load(DATA / "deltagare_utf8_bom.csv", FileKind.DELTAGARE, LoadOptions()).frame
    assert list(utf16["insats"].astype(str)) == list(utf8["insats"].astype(str))


def test_personnummer_in_other_scripts_digits_is_invalid_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    arabic = "".join(chr(0x660 + int(d)) for d in "199001010017")
    path.write_text(f"Personnummer;Insats;Kön;Inskrivningsdatum\n{arabic};X;Man;2017-01-01\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load(path, FileKind.DELTAGARE, LoadOptions())
    [problem] = caught.value.problems
    assert (problem.row, problem.column, problem.value) == (2, "Personnummer", None)


def test_a_header_repeated_with_extra_spaces_is_still_found(tmp_path: Path) -> None:
    path = tmp_path / "twice.csv"
    path.write_text("Deltagar-ID;Insats;Kön;Inskrivningsdatum\nP1;X;Man;2017-01-01\n"
                    "Deltagar-ID;Insats;Kön;Inskrivningsdatum\nP2;X;Man;2017-01-01\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load(path, FileKind.DELTAGARE, LoadOptions())
    assert [(p.row, p.message) for p in caught.value.problems] == [
        (3, "the header row is repeated here; was the file concatenated from several exports?")]


def test_headers_differing_only_in_spaces_do_not_break_loading(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("Deltagar-ID;Insats;Insats ;Kön;Inskrivningsdatum\nP1;X;Y;Man;2017-01-01\n", encoding="utf-8")
    frame = load(path, FileKind.DELTAGARE, LoadOptions()).frame
    assert frame["insats"].iloc[0] == "X"


@pytest.mark.parametrize("storage", ["pyarrow", "python"])
@pytest.mark.parametrize("others", [1, 2000])  # a few values are tested in Python, many in the column's engine
def test_the_personnummer_prefilter_sees_every_script_of_digits(storage: str, others: int) -> None:
    arabic = "".join(chr(0x660 + int(d)) for d in "1212121212")
    for text, expected in (("P000001", False), ("12345-6789", False), ("121212-1212", True),
                           ("Ring 201212121212", True), (arabic, True), ("121212\u2013 1212", True)):
        values = pd.Series(["AF Tyresö"] * others + [text, None], dtype=f"string[{storage}]")
        assert holds_personnummer_digits(values) is expected, text
    assert holds_personnummer_digits(pd.Index(["A1", "121212+1212"])) is True


def test_ids_with_spaces_around_them_are_the_same_person(tmp_path: Path) -> None:
    path = tmp_path / "ids.csv"
    path.write_text("Deltagar-ID;Insats;Kön;Inskrivningsdatum\nA1;X;Man;2017-01-01\n A1 ;Y;Man;2017-01-01\n"
                    "B2;X;Kvinna;2017-02-01\n", encoding="utf-8")
    person = load(path, FileKind.DELTAGARE, LoadOptions()).frame["person"]
    assert person.nunique() == 2 and person.iloc[0] == person.iloc[1] == "A1"


def test_a_blank_id_is_a_problem_on_its_row(tmp_path: Path) -> None:
    path = tmp_path / "ids.csv"
    path.write_text("Deltagar-ID;Insats;Kön;Inskrivningsdatum\nA1;X;Man;2017-01-01\n   ;Y;Man;2017-01-01\n",
                    encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load(path, FileKind.DELTAGARE, LoadOptions())
    assert [(p.row, p.column, p.message) for p in caught.value.problems] == [
        (3, "Deltagar-ID", "no Deltagar-ID or Personnummer on this row")]


def _rows(count: int) -> str:
    return "".join(f"P{i};Ung i Tyresö;Kvinna;2017-01-01\n" for i in range(count))


def test_bad_bytes_beyond_the_decoded_head_are_still_found(tmp_path: Path) -> None:
    # Only the head (64 KB) is decoded before parsing; pyarrow checks the rest, and _decode explains.
    path = tmp_path / "late.csv"
    path.write_bytes(("Deltagar-ID;Insats;Kön;Inskrivningsdatum\n" + _rows(3000)).encode("utf-8")
                     + "P9;Ung i Tyresö;Man;2017-01-01\n".encode("cp1252"))
    with pytest.raises(DataError, match=r"^late\.csv: row 3002: mixed text encodings \(UTF-8 and something else\)"):
        load(path, FileKind.DELTAGARE, LoadOptions())


def test_a_cp1252_file_whose_head_is_ascii_reads_as_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "ascii_head.csv"
    path.write_bytes(("Deltagar-ID;Insats;Kon;Inskrivningsdatum\n" + _rows(3000).replace("ö", "o")
                      + "P9;Ung i Tyresö;Man;2017-01-01\n").encode("cp1252"))
    frame = load(path, FileKind.DELTAGARE, LoadOptions()).frame
    assert len(frame) == 3001 and frame["insats"].iloc[-1] == "Ung i Tyresö"


def test_a_long_line_across_the_scan_chunks_is_still_refused(tmp_path: Path) -> None:
    # The clean-file scan reads 8 MB chunks; a 1.2 MB line straddling the first boundary must be caught.
    header = "Deltagar-ID;Insats;Kön;Inskrivningsdatum\n"
    row = "P1;Ung i Tyresö;Kvinna;2017-01-01\n"
    filler = row * ((8 * 2**20 - 600_000 - len(header)) // len(row.encode()))
    long_line = "P2;" + "x" * 1_200_000 + ";Man;2017-01-01\n"
    path = tmp_path / "long.csv"
    path.write_text(header + filler + long_line + row, encoding="utf-8")
    row_number = filler.count("\n") + 2
    with pytest.raises(DataError, match=rf"^long\.csv: row {row_number}: a line longer than 1 MB"):
        load(path, FileKind.DELTAGARE, LoadOptions())


def test_double_encoding_far_into_a_large_file_is_explained(tmp_path: Path) -> None:
    header = "Deltagar-ID;Insats;Kön;Inskrivningsdatum\n"
    row = "P1;Ung i Tyresö;Kvinna;2017-01-01\n"
    rows = 9 * 2**20 // len(row.encode())
    path = tmp_path / "twice.csv"
    path.write_text(header + row * rows + "P2;Ung i TyresÃ¶;Man;2017-01-01\n", encoding="utf-8")
    with pytest.raises(DataError, match=rf"^twice\.csv: row {rows + 2}: the text has been encoded twice"):
        load(path, FileKind.DELTAGARE, LoadOptions())


def test_a_nul_byte_after_the_head_is_found_and_placed(tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes(("Deltagar-ID;Insats;Kön;Inskrivningsdatum\n" + _rows(3000)).encode("utf-8")
                     + b"P9;Ung i Tyres\x00;Man;2017-01-01\n")
    with pytest.raises(DataError, match=r"^nul\.csv: row 3002: contains NUL bytes"):
        load(path, FileKind.DELTAGARE, LoadOptions())


def test_quoted_values_with_line_breaks_read_the_same_from_the_file(tmp_path: Path) -> None:
    path = tmp_path / "quoted.csv"
    path.write_text('Deltagar-ID;Insats;Kön;Inskrivningsdatum;Remittent\n'
                    'A1;"Ung i Tyresö";Kvinna;2017-01-01;"AF Tyresö;\nhandläggare ""Eva"""\n'
                    'A2;Ung i Tyresö;Man;2017-02-01;Försäkringskassan\n', encoding="utf-8")
    frame = load(path, FileKind.DELTAGARE, LoadOptions()).frame
    assert list(frame.index) == [2, 3]  # as Excel shows them: a cell's line break stays in its row
    assert frame["remittent"].tolist() == ['AF Tyresö;\nhandläggare "Eva"', "Försäkringskassan"]


def test_a_personnummer_in_an_amount_column_is_a_data_error_naming_the_row(tmp_path: Path) -> None:
    path = tmp_path / "budget.csv"
    path.write_text("År;Post;Grupp;Belopp\n2017;Kansli;Styrelse och kansli;198001010019\n"
                    "2017;Ung;Insatser;0503041238\n2017;Arvode;Insatser;8001010019\n"
                    "2017;Lön;Insatser;1 250 000\n2017;Hyra;Insatser;1980010100\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load(path, FileKind.BUDGET, LoadOptions())
    shown = "\n".join(str(p) for p in caught.value.problems)
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "Belopp"), (3, "Belopp"), (4, "Belopp")]
    assert all(p.message == "a personnummer, not an amount; value not shown" for p in caught.value.problems)
    assert "198001010019" not in shown and "8001010019" not in shown


def test_a_personnummer_number_cell_in_an_xlsx_amount_column_is_refused(tmp_path: Path) -> None:
    from .make_hostile import workbook_bytes

    path = tmp_path / "budget.xlsx"
    path.write_bytes(workbook_bytes([("Budget", [["År", "Post", "Grupp", "Belopp"],
                                                 [2017, "Kansli", "Styrelse och kansli", 198001010019],
                                                 [2017, "Ung", "Insatser", 1980010100]])]))
    with pytest.raises(DataError) as caught:
        load(path, FileKind.BUDGET, LoadOptions())
    assert [(p.row, p.value) for p in caught.value.problems] == [(2, None)]
