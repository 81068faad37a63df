"""The bad and hostile input corpus: every file, through the loaders, `finsam validera` and the report commands.

Each file's expected outcome is in EXPECTED: it loads (with a row count), or it fails with exit 1 and
a message naming the file and, where it applies, the row as Excel shows it and the column. No
traceback, no personnummer, no output file left behind. The files are written by tests/make_hostile.py
(tests/data/hostile) and tests/make_fixtures.py (tests/data, the foundation's corpus).
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from finsam_cli.errors import PERSONNUMMER_LIKE, DataError, redact_personnummer
from finsam_cli.inputs.load import LoadOptions, load
from finsam_cli.inputs.schema import FileKind

from . import make_hostile
from .conftest import DATA, SAMPLE

HOSTILE = DATA / "hostile"
D, B, A, P, F = FileKind.DELTAGARE, FileKind.BUDGET, FileKind.ANONYMA, FileKind.BEFOLKNING, FileKind.FORKLARINGAR


@dataclass(frozen=True)
class Case:
    kind: FileKind = D
    error: str | None = None  # a fragment of the message; None: the file loads
    row: int | None = None  # the Excel row named in the message
    column: str | None = None  # the column named with that row
    rows: int | None = None  # rows loaded, when it loads
    sheet: str | None = None  # the xlsx sheet validera names


EXPECTED: dict[str, Case] = {
    # The foundation's corpus (tests/data).
    "deltagare_utf8_bom.csv": Case(rows=3),
    "deltagare_utf8_comma.csv": Case(rows=3),
    "deltagare_cp1252.csv": Case(rows=3),
    "deltagare_tab.tsv": Case(rows=3),
    "deltagare_title_rows.csv": Case(rows=3),
    "deltagare_header_and_date_forms.csv": Case(rows=3),
    "deltagare_title_rows.xlsx": Case(rows=4, sheet="Export"),
    "budget_amount_forms.csv": Case(B, rows=6),
    "empty.csv": Case(error="the file is empty"),
    "binary.csv": Case(error="contains NUL bytes", row=3),
    "corrupt.xlsx": Case(error="the xlsx file is corrupt"),
    "truncated.xlsx": Case(error="corrupt or truncated"),
    "ragged.csv": Case(error="has 12 fields where the header has 10", row=3),
    "missing_column.csv": Case(error="required column is missing", row=1, column="Inskrivningsdatum"),
    "bad_date.csv": Case(error="day value is outside expected range", row=3, column="Inskrivningsdatum"),
    "end_before_start.csv": Case(error="Avslutsdatum is before Inskrivningsdatum", row=4, column="Avslutsdatum"),
    "unknown_category.csv": Case(error="did you mean 'Arbete'?", row=2, column="Avslutsorsak"),
    # Not what the suffix says.
    "csv_named.xlsx": Case(error="not an xlsx workbook"),
    "xlsx_named.csv": Case(error="this is a zip archive"),
    "ole_named.xlsx": Case(error="password-protected"),
    "old_excel.xls": Case(error="old Excel .xls format is not supported"),
    "pdf_named.csv": Case(error="this is a PDF document"),
    "png_named.xlsx": Case(error="not an xlsx workbook"),
    "html_named.xlsx": Case(error="an HTML or XML page"),
    "html_named.csv": Case(error="an HTML or XML page"),
    "gzip_named.csv": Case(error="gzip-compressed"),
    "zip_without_workbook.xlsx": Case(error="a zip archive but not an xlsx workbook"),
    "docx_named.xlsx": Case(error="a zip archive but not an xlsx workbook"),
    "empty.xlsx": Case(error="the file is empty"),
    "utf16.csv": Case(rows=3),  # Excel's "Unicode text" is read, not refused
    # Truncated, damaged, zip bombs.
    "truncated_tail.xlsx": Case(error="corrupt or truncated"),
    "truncated_head.xlsx": Case(error="corrupt or truncated"),
    "damaged_sheet.xlsx": Case(error="the xlsx file is corrupt"),
    "zip_bomb.xlsx": Case(error="refusing to unpack: the workbook declares 3840 MiB uncompressed"),
    "zip_bomb_many_entries.xlsx": Case(error="refusing to unpack: the workbook declares 1200 MiB uncompressed"),
    "zip_declares_too_little.xlsx": Case(error="the xlsx file is corrupt"),
    # Nothing to read.
    "empty_sheet.xlsx": Case(error="the sheet is empty (sheet 'Blad1')"),
    "empty_first_sheet.xlsx": Case(error="the workbook also has 'Export'"),
    "header_only.xlsx": Case(error="the file has a header (row 1) but no data rows", row=1),
    "header_only.csv": Case(error="the file has a header (row 1) but no data rows", row=1),
    "header_only_forklaringar.csv": Case(F, rows=0),  # no explanations yet is a valid state
    "whitespace_only.csv": Case(error="the file is empty"),
    "bom_only.csv": Case(error="the file is empty"),
    "only_delimiters.csv": Case(error="required column is missing", row=1, column="Insats"),
    # Bytes and encodings.
    "nul_in_row.csv": Case(error="contains NUL bytes", row=4),
    "undefined_cp1252_bytes.csv": Case(error="mixed text encodings", row=2),
    "mixed_utf8_then_cp1252.csv": Case(error="mixed text encodings", row=4),
    "mixed_bom_cp1252.csv": Case(error="mixed text encodings", row=4),
    "mixed_cp1252_then_utf8.csv": Case(error="row 4 is UTF-8, row 1 is not", row=1),
    "double_encoded.csv": Case(error="encoded twice", row=1),
    "control_characters.csv": Case(error="valid date", row=3, column="Inskrivningsdatum"),
    # Structure.
    "header_repeated.csv": Case(error="the header row is repeated here", row=5),
    "header_repeated.xlsx": Case(error="the header row is repeated here", row=5),
    "unbalanced_quote.csv": Case(error="never closed", row=3),
    "cr_line_endings.csv": Case(rows=3),
    "duplicate_headers.csv": Case(rows=3),
    # Values out of range.
    "dates_far_past.csv": Case(error="not a date", row=2, column="Inskrivningsdatum"),
    "dates_far_future.csv": Case(error="not a date", row=2, column="Inskrivningsdatum"),
    "dates_far.xlsx": Case(error="not an Excel date between 1900 and 2100", row=2, column="Inskrivningsdatum"),
    "amounts_huge.csv": Case(B, error="amount beyond ±10^12", row=2, column="Belopp"),
    "amounts_huge.xlsx": Case(B, error="amount beyond ±10^12", row=2, column="Belopp"),
    "years_out_of_range.csv": Case(B, error="not a plausible year", row=2, column="År"),
    "negative_counts.csv": Case(A, error="must be 0 or more", row=2, column="Kvinnor"),
    "negative_population.csv": Case(P, error="must be 0 or more", row=2, column="Invånare"),
    "xlsx_error_and_bool_cells.xlsx": Case(error="required value is empty", row=2, column="Inskrivningsdatum"),
    "formula_input_cells.xlsx": Case(error="required value is empty", row=2, column="Insats"),
    # Personnummer where they do not belong: the row is named, never the number.
    "personnummer_bad_check_digit.csv": Case(error="not a valid personnummer", row=2, column="Personnummer"),
    "personnummer_in_date_column.csv": Case(error="valid date", row=2, column="Inskrivningsdatum"),
    "personnummer_as_category.csv": Case(error="'Kvinna' or 'Man'", row=2, column="Kön"),
    "personnummer_no_header.csv": Case(error="required column is missing", row=1, column="Insats"),
    "personnummer_as_amount.csv": Case(B, error="a personnummer, not an amount", row=2, column="Belopp"),
    "personnummer_other_spellings.csv": Case(rows=6),  # masked in the Remittent text on load
    # Far cells, hidden sheets, misleading encodings and numbers.
    "far_cell.xlsx": Case(error="reaches column XFD (16384 columns), over the limit of 1000"),
    "far_row.xlsx": Case(error="reaches cell ZZ1048576: reading 1048576 rows × 702 columns"),
    "hidden_first_sheet.xlsx": Case(rows=3, sheet="Export"),
    "utf16_without_bom.csv": Case(error="looks like UTF-16 text without a byte-order mark"),
    "date_bare_number.csv": Case(error="a bare number; write it as a date like 2017-03-01", row=2,
                                 column="Inskrivningsdatum"),
    # Hostile but valid.
    "formula_and_markup_insatser.csv": Case(rows=14),
    "formula_and_markup_budget.csv": Case(B, rows=14),
    "formula_and_markup_utfall.csv": Case(FileKind.UTFALL, rows=14),
    "formula_and_markup_forklaringar.csv": Case(F, rows=1),
    "path_like_insatser.csv": Case(rows=8),
}


def path_of(name: str) -> Path:
    return HOSTILE / name if (HOSTILE / name).exists() else DATA / name


def no_personnummer(text: str) -> None:
    assert not PERSONNUMMER_LIKE.search(text), text
    assert redact_personnummer(text) == text, text  # nor in the other spellings
    assert make_hostile.PNR_1 not in text and make_hostile.PNR_1[2:] not in text


def test_the_corpus_is_complete_and_large_enough() -> None:
    on_disk = {p.name for p in HOSTILE.iterdir()} | {p.name for p in DATA.iterdir() if p.is_file()}
    assert set(EXPECTED) == on_disk
    assert len(EXPECTED) >= 40
    assert sum(1 for c in EXPECTED.values() if c.error) >= 40


def test_the_generator_writes_the_committed_files_byte_for_byte() -> None:
    assert set(make_hostile.FILES) == {p.name for p in HOSTILE.iterdir()}
    for name, make in make_hostile.FILES.items():
        assert make() == (HOSTILE / name).read_bytes(), f"{name}: run .venv/bin/python tests/make_hostile.py"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_loader(name: str) -> None:
    case = EXPECTED[name]
    if case.error is None:
        frame = load(path_of(name), case.kind, LoadOptions()).frame
        assert len(frame) == case.rows
        return
    with pytest.raises(DataError) as caught:
        load(path_of(name), case.kind, LoadOptions())
    exc = caught.value
    text = "\n".join([str(exc), *(str(p) for p in exc.problems)])
    assert str(exc).startswith(name), text
    assert case.error in text, text
    no_personnummer(text)
    if case.row is not None and case.column is not None:
        assert any(p.row == case.row and p.column == case.column and case.error in str(p) for p in exc.problems), text
    elif case.row is not None:
        assert f"row {case.row}" in text, text


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_validera(run, name: str) -> None:
    case = EXPECTED[name]
    result = run("validera", "--typ", case.kind.value, path_of(name))
    output = result.output
    assert "Traceback" not in output and "Internal error" not in output
    no_personnummer(output)
    assert "\x1b" not in output  # a cell cannot drive the terminal
    if case.error is None:
        assert result.exit_code == 0, output
        sheet = f", sheet {case.sheet!r}" if case.sheet else ""
        rows = f"{case.rows} row{'s' if case.rows != 1 else ''}"
        assert f"OK  {name} ({case.kind.value}{sheet}): {rows}" in result.stdout
        return
    assert result.exit_code == 1, output
    assert name in result.stdout
    assert case.error in re.sub(r"\s+", " ", result.stdout.replace("\u2026", "")) or case.error in output, output
    if case.row is not None and case.column is not None:
        assert re.search(rf"^{case.row}\s+{re.escape(case.column)}\s", result.stdout, re.MULTILINE), output
    elif case.row is not None:
        assert f"row {case.row}" in result.stdout or re.search(rf"^{case.row}\s", result.stdout, re.MULTILINE)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_validera_guessing_the_kind(run, name: str) -> None:
    result = run("validera", path_of(name))
    assert result.exit_code == (0 if EXPECTED[name].error is None else 1), result.output
    assert name in result.stdout
    assert "Traceback" not in result.output
    no_personnummer(result.output)


# --- files too big to commit, written at test time ---------------------------------------------------


def test_a_cell_longer_than_1_mb(run, tmp_path: Path) -> None:
    path = tmp_path / "long_cell.csv"
    make_hostile.write_long_cell(path)
    with pytest.raises(DataError, match=r"long_cell.csv: row 3: a line longer than 1 MB"):
        load(path, D, LoadOptions())
    result = run("validera", path)
    assert result.exit_code == 1 and "row 3: a line longer than 1 MB" in result.stdout


def test_a_first_line_longer_than_1_mb(tmp_path: Path) -> None:
    path = tmp_path / "long_line.csv"
    make_hostile.write_long_line(path)
    with pytest.raises(DataError, match=r"long_line.csv: row 1: a line longer than 1 MB"):
        load(path, D, LoadOptions())


def test_a_header_cell_over_the_csv_modules_field_limit(tmp_path: Path) -> None:
    path = tmp_path / "long_header.csv"
    make_hostile.write_long_quoted_header(path)
    assert len(load(path, D, LoadOptions()).frame) == 3  # the real header below it is found


def test_150_000_problems_stop_listing_and_say_so(run, tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    make_hostile.write_many_problems(path, 150_000)
    with pytest.raises(DataError) as caught:
        load(path, D, LoadOptions())
    assert caught.value.total == 150_000
    assert len(caught.value.problems) == 1000
    assert str(caught.value) == "many.csv: 150000 problems found (listing stopped after 1000)"
    result = run("validera", path)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == "ERROR  many.csv (deltagare): 150\u00a0000 problems"
    assert result.stdout.splitlines()[-1] == "… and 149\u00a0950 more problems"


def test_a_folder_and_a_missing_file(run, tmp_path: Path) -> None:
    folder = tmp_path / "export.csv"
    folder.mkdir()
    for path, text in ((folder, "is a folder, not a file"), (tmp_path / "nowhere.csv", "file not found")):
        with pytest.raises(DataError, match=text):
            load(path, D, LoadOptions())
        result = run("validera", path)
        assert result.exit_code == 1 and text in result.stdout and path.name in result.stdout


def test_other_spellings_in_free_text_are_masked_on_load() -> None:
    frame = load(HOSTILE / "personnummer_other_spellings.csv", D, LoadOptions()).frame
    shown = "\n".join(frame["remittent"].astype(str))
    no_personnummer(shown)
    assert shown.count("Handläggare [personnummer] slutade") == 6


def test_a_hidden_first_sheet_is_skipped_and_the_sheet_read_is_known() -> None:
    loaded = load(HOSTILE / "hidden_first_sheet.xlsx", D, LoadOptions())
    assert loaded.sheet == "Export" and len(loaded.frame) == 3
    assert load(path_of("deltagare_title_rows.xlsx"), D, LoadOptions()).sheet == "Export"
    assert load(DATA / "deltagare_utf8_bom.csv", D, LoadOptions()).sheet is None


def test_a_sheet_named_with_a_personnummer_is_named_without_it(run, tmp_path: Path) -> None:
    path = tmp_path / "deltagare.xlsx"
    path.write_bytes(make_hostile.workbook_bytes([(f"Klient {make_hostile.PNR_1[2:8]}-{make_hostile.PNR_1[8:]}",
                                                   make_hostile.stint_sheet())]))
    result = run("validera", path)
    assert result.exit_code == 0, result.output
    assert "OK  deltagare.xlsx (deltagare, sheet 'Klient [personnummer]'): 3 rows" in result.stdout
    no_personnummer(result.output)


def test_special_files_are_refused_before_they_are_opened(run, tmp_path: Path) -> None:
    fifo = tmp_path / "deltagare.csv"
    os.mkfifo(fifo)  # opening it would block until someone writes
    for path in (fifo, Path("/dev/zero"), Path("/dev/urandom")):
        with pytest.raises(DataError, match=rf"^{re.escape(str(path))}: not a regular file \((a pipe|a device)\)"):
            load(path, D, LoadOptions())
        result = run("validera", path)
        assert result.exit_code == 1 and "not a regular file" in result.stdout
    result = run("maluppfyllelse", "2017", "--deltagare", fifo)
    assert result.exit_code == 1 and "deltagare.csv: not a regular file (a pipe)" in result.stderr


def test_a_pipe_on_stdin_is_not_a_regular_file_not_empty() -> None:
    result = subprocess.run([sys.executable, "-m", "finsam_cli", "validera", "--typ", "deltagare", "/dev/stdin"],
                            input=(DATA / "deltagare_utf8_bom.csv").read_bytes(), capture_output=True, timeout=60,
                            check=False)
    assert result.returncode == 1
    assert b"/dev/stdin: not a regular file (a pipe)" in result.stdout, result.stdout
    assert b"empty" not in result.stdout


def test_the_size_limit_comes_from_the_config(run, tmp_path: Path) -> None:
    config = tmp_path / "granser.toml"  # not ./finsam.toml (the tests run in tmp_path): the second run has none
    config.write_text("[granser]\nmax_storlek = 100\n", encoding="utf-8")
    result = run("validera", "--config", config, DATA / "deltagare_utf8_bom.csv")
    assert result.exit_code == 1
    assert "deltagare_utf8_bom.csv: " in result.stdout and "over the size limit of 100 bytes" in result.stdout
    assert run("validera", DATA / "deltagare_utf8_bom.csv").exit_code == 0


def test_an_xlsx_unpacking_to_900_mb_stops_at_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(make_hostile.patch_declared_sizes(make_hostile.workbook_bytes([("Export", [["x"]])]),
                                                      {"xl/worksheets/sheet1.xml": 900 << 20}))
    with pytest.raises(DataError, match="declares 900 MiB uncompressed, over the limit of 512 MiB"):
        load(path, D, LoadOptions())


def test_many_columns_are_refused_as_a_data_error(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    make_hostile.write_many_columns(path)
    assert path.stat().st_size > 500_000
    with pytest.raises(DataError, match=r"wide.csv: 100000 columns, over the limit of 1000 \(\[granser\] max_kol"):
        load(path, D, LoadOptions())
    make_hostile.write_many_columns(path, 1000)  # at the limit: read (each column once)
    assert len(load(path, D, LoadOptions()).frame) == 2


def test_an_unusable_config_or_input_path_is_finsams_message_and_exit_1(run, tmp_path: Path) -> None:
    folder = tmp_path / "finsam.toml"
    folder.mkdir()
    result = run("validera", "--config", folder, DATA / "deltagare_utf8_bom.csv")
    assert result.exit_code == 1 and "finsam.toml: is a folder, not a config file" in result.stderr
    result = run("maluppfyllelse", "2017", "--deltagare", tmp_path)
    assert result.exit_code == 1 and "is a folder, not a file" in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_exits_1_from_the_command_line_and_from_the_config(run, tmp_path: Path) -> None:
    data = tmp_path / "deltagare.csv"
    data.write_bytes((DATA / "deltagare_utf8_bom.csv").read_bytes())
    data.chmod(0)
    config = tmp_path / "finsam.toml"
    config.write_text(f"[data]\ndeltagare = {str(data)!r}\n", encoding="utf-8")
    for args in (["--deltagare", data], ["--config", config]):
        result = run("maluppfyllelse", "2017", *args)
        assert result.exit_code == 1 and "deltagare.csv: cannot be read (Permission denied)" in result.stderr
    config.chmod(0)
    result = run("maluppfyllelse", "2017", "--config", config)
    assert result.exit_code == 1 and "finsam.toml: cannot be read" in result.stderr


def test_a_file_named_with_a_personnummer_loads_and_its_errors_do_not_show_it(run, tmp_path: Path) -> None:
    good, bad, _ = make_hostile.write_personnummer_named(tmp_path)
    assert len(load(good, D, LoadOptions()).frame) == 3
    result = run("maluppfyllelse", "2017", "--deltagare", bad)
    assert result.exit_code == 1 and "row 3" in result.stderr
    no_personnummer(result.output)


def test_validera_does_not_echo_a_personnummer_in_a_file_name(run, tmp_path: Path) -> None:
    good, bad, _ = make_hostile.write_personnummer_named(tmp_path)
    result = run("validera", good, bad)
    assert result.exit_code == 1
    no_personnummer(result.output)


def test_a_report_does_not_show_personnummer_in_file_names_or_config_values(run, tmp_path: Path) -> None:
    good, _, config = make_hostile.write_personnummer_named(tmp_path)
    result = run("maluppfyllelse", "2017", "--config", config, "--deltagare", good)
    assert result.exit_code == 0, result.output
    no_personnummer(result.output)


# --- the report commands on bad input: exit 1, nothing written ----------------------------------------

BAD_FOR_COMMAND = [
    ("maluppfyllelse", ["2017", "--deltagare", "{bad}"], "header_repeated.csv", "row 5"),
    ("maluppfyllelse", ["2017", "--deltagare", "{bad}"], "zip_bomb.xlsx", "refusing to unpack"),
    ("maluppfyllelse", ["2017", "--deltagare", "{bad}"], "header_only.csv", "no data rows"),
    ("maluppfyllelse", ["2017", "--deltagare", "{bad}"], "mixed_utf8_then_cp1252.csv", "row 4"),
    ("maluppfyllelse", ["2017", "--deltagare", "{bad}"], "personnummer_in_date_column.csv", "row 2"),
    ("maluppfyllelse", ["2017", "--deltagare", "{bad}", "--anonyma", "{bad2}"], "deltagare_utf8_bom.csv",
     "negative_counts.csv"),
    ("budget-avvikelse", ["2017", "--budget", "{bad}", "--utfall", "{sample}/utfall.csv"], "amounts_huge.csv",
     "row 2"),
    ("budget-avvikelse", ["2017", "--budget", "{sample}/budget.csv", "--utfall", "{bad}"], "truncated_tail.xlsx",
     "truncated"),
    ("budget-jamforelse", ["2018", "--budget", "{bad}"], "years_out_of_range.csv", "row 2"),
    ("medlemsavgifter", ["2019", "--total", "16416000", "--befolkning", "{bad}"], "negative_population.csv",
     "row 2"),
]


@pytest.mark.parametrize(("command", "args", "bad", "where"), BAD_FOR_COMMAND)
@pytest.mark.parametrize("fmt", ["md", "xlsx"])
def test_report_commands_refuse_bad_input_and_write_nothing(run, tmp_path: Path, command: str, args: list[str],
                                                            bad: str, where: str, fmt: str) -> None:
    target = tmp_path / "out"
    target.mkdir()
    filled = [a.format(bad=path_of(bad), bad2=HOSTILE / "negative_counts.csv", sample=SAMPLE) for a in args]
    result = run(command, *filled, "-o", target / f"rapport.{fmt}")
    shown = bad if "{bad2}" not in args else "negative_counts.csv"
    assert result.exit_code == 1, result.output
    assert shown in result.stderr and where in result.stderr, result.stderr
    assert "Traceback" not in result.output
    no_personnummer(result.output)
    assert list(target.iterdir()) == []


def test_export_refuses_bad_input_and_writes_no_file(run, tmp_path: Path) -> None:
    result = run("export", "2017", "--till", tmp_path / "ut", "--deltagare", HOSTILE / "header_repeated.csv",
                 "--budget", SAMPLE / "budget.csv", "--utfall", SAMPLE / "utfall.csv")
    assert result.exit_code == 1
    assert "header_repeated.csv" in result.output and "row 5" in result.output
    assert "Traceback" not in result.output
    assert not [p for p in (tmp_path / "ut").rglob("*") if p.is_file()]


def test_debug_shows_the_traceback_but_no_personnummer(run, tmp_path: Path) -> None:
    for name in ("personnummer_in_date_column.csv", "personnummer_as_category.csv", "personnummer_no_header.csv",
                 "personnummer_bad_check_digit.csv"):
        result = run("maluppfyllelse", "--debug", "2017", "--deltagare", HOSTILE / name, "-o", tmp_path / "r.md")
        assert result.exit_code == 1
        assert "Traceback" in result.stderr
        no_personnummer(result.output)
        assert not (tmp_path / "r.md").exists()


# --- hostile but valid: text stays text -----------------------------------------------------------------


def xlsx_parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith((".xml", ".rels"))}


def test_formula_text_stays_text_in_excel_output(run, tmp_path: Path) -> None:
    target = tmp_path / "r.xlsx"
    result = run("maluppfyllelse", "2017", "--deltagare", HOSTILE / "formula_and_markup_insatser.csv", "-o", target)
    assert result.exit_code == 0, result.output
    parts = xlsx_parts(target)
    sheets = "".join(v for k, v in parts.items() if k.startswith("xl/worksheets/"))
    assert "<f>" not in sheets and "<f " not in sheets  # no formula anywhere
    strings = "".join(parts.values())
    for text in ("=HYPERLINK(", "+46 8 123 45", "-1+1", "@SUM(A1:A9)"):
        assert text.replace('"', "&quot;") in strings or text in strings, text
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(target.read_bytes()))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    hostile = [c for c in cells if c.value[:1] in ("=", "+", "-", "@")]
    assert hostile and all(c.data_type == "s" for c in hostile)


def test_budget_text_stays_text_in_excel_and_markdown(run, tmp_path: Path) -> None:
    budget = HOSTILE / "formula_and_markup_budget.csv"
    utfall = HOSTILE / "formula_and_markup_utfall.csv"
    for fmt in ("xlsx", "md"):
        target = tmp_path / f"r.{fmt}"
        result = run("budget-avvikelse", "2017", "--budget", budget, "--utfall", utfall, "--forklaringar",
                     HOSTILE / "formula_and_markup_forklaringar.csv", "-o", target)
        assert result.exit_code == 0, result.output
        if fmt == "xlsx":
            sheets = "".join(v for k, v in xlsx_parts(target).items() if k.startswith("xl/worksheets/"))
            assert "<f>" not in sheets and "<f " not in sheets
        else:
            assert_markdown_is_inert(target.read_text(encoding="utf-8"))


def assert_markdown_is_inert(md: str) -> None:
    """No raw HTML; every table row has as many cell separators as its header."""
    assert "<script" not in md and "<img" not in md
    assert not re.search(r"(?<!\\)\]\(javascript:", md)  # an escaped bracket makes no link
    assert not re.search(r"<[a-zA-Z/!]", md)
    width = None
    for line in md.splitlines():
        if line.startswith("|"):
            pipes = len(re.findall(r"(?<!\\)\|", line))
            width = pipes if width is None or line.startswith(("|:", "|-")) else width
            assert pipes == width, line
        else:
            width = None


def test_markup_in_names_and_texts_is_escaped_in_markdown(run, tmp_path: Path) -> None:
    target = tmp_path / "r.md"
    result = run("maluppfyllelse", "2017", "--deltagare", HOSTILE / "formula_and_markup_insatser.csv", "-o", target)
    assert result.exit_code == 0, result.output
    md = target.read_text(encoding="utf-8")
    assert_markdown_is_inert(md)
    assert "&lt;script&gt;" in md and "a \\| b \\| c" in md and "rad ett rad två" in md and "back\\\\slash" in md


def test_names_from_data_give_safe_file_names(run, tmp_path: Path) -> None:
    result = run("export", "2017", "--till", tmp_path / "ut", "--format", "md", "--deltagare",
                 HOSTILE / "path_like_insatser.csv", "--budget", SAMPLE / "budget.csv", "--utfall",
                 SAMPLE / "utfall.csv")
    assert result.exit_code == 0, result.output
    written = [p for p in (tmp_path / "ut").rglob("*") if p.is_file()]
    assert len(written) > 8
    for path in written:
        assert path.resolve().is_relative_to((tmp_path / "ut").resolve())
        assert re.fullmatch(r"[a-z0-9_.-]+", path.name) and ".." not in path.name, path.name
        assert not re.search(r'[<>:"/\\|?*]', path.name)
