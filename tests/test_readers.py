"""Every encoding, delimiter, layout and date/amount form in tests/data loads to the same data."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from finsam_cli.errors import DataError
from finsam_cli.inputs.load import LoadOptions, load
from finsam_cli.inputs.readers import (
    HEADER_SEARCH_ROWS,
    _first_lines,
    _plain_header,
    _read_csv_arrow,
    _scan_clean_utf8,
)
from finsam_cli.inputs.schema import FileKind

from .conftest import DATA

SAME_THREE = ["deltagare_utf8_bom.csv", "deltagare_utf8_comma.csv", "deltagare_cp1252.csv",
              "deltagare_tab.tsv", "deltagare_title_rows.csv", "deltagare_header_and_date_forms.csv"]


def load_stints(name: str) -> pd.DataFrame:
    return load(DATA / name, FileKind.DELTAGARE, LoadOptions()).frame


@pytest.mark.parametrize("name", SAME_THREE)
def test_each_encoding_and_layout_gives_the_same_stints(name: str) -> None:
    frame = load_stints(name)
    assert list(frame["insats"].astype(str)) == ["Ung i Tyresö", "Ung i Tyresö", "Ungdomsteamet i Haninge"]
    assert list(frame["kon"].astype(str)) == ["Kvinna", "Man", "Kvinna"]
    assert list(frame["inskrivningsdatum"]) == [pd.Timestamp("2017-01-05"), pd.Timestamp("2016-12-31"),
                                                pd.Timestamp("2015-03-01")]
    assert frame["avslutsdatum"].iloc[1] is pd.NaT
    assert list(frame["forsorjning_start"].astype(str)) == ["Försörjningsstöd, Sjukpenning", "Försörjningsstöd",
                                                            "Ingen ersättning"]
    assert list(frame["remittent_grupp"].astype(str)) == ["Arbetsförmedlingen", "Region", "Kommun"]
    assert frame["fatt_insats"].all()


def test_excel_rows_are_numbered_as_excel_shows_them() -> None:
    frame = load_stints("deltagare_title_rows.csv")
    assert list(frame.index) == [5, 6, 7]  # two title rows and a blank row above the header on row 4


def test_xlsx_with_title_rows_blank_rows_and_date_cells() -> None:
    frame = load_stints("deltagare_title_rows.xlsx")
    assert list(frame.index) == [4, 5, 6, 8]
    assert frame.loc[8, "inskrivningsdatum"] == pd.Timestamp("2017-03-01")  # Excel serial 42795
    assert frame.loc[4, "fodelsear"] == 1999


def test_amount_forms() -> None:
    frame = load(DATA / "budget_amount_forms.csv", FileKind.BUDGET, LoadOptions()).frame
    assert list(frame["belopp"]) == [2_470_000, 1_792_000, 1_804_000, 3_250_000, -7_079, -1000.5]
    assert list(frame["ar"]) == [2017] * 6


BAD = {
    "empty.csv": "empty.csv: the file is empty",
    "binary.csv": "binary.csv: row 3: contains NUL bytes; this is a binary file, not CSV text",
    "corrupt.xlsx": "corrupt.xlsx: the xlsx file is corrupt (File not found '_rels/.rels')",
    "truncated.xlsx": "truncated.xlsx: the xlsx file is corrupt or truncated",
    "ragged.csv": ("ragged.csv: row 3: has 12 fields where the header has 10; "
                   "check the delimiter and quotes on that row"),
}


@pytest.mark.parametrize(("name", "message"), BAD.items())
def test_unreadable_files_say_why(name: str, message: str) -> None:
    with pytest.raises(DataError) as caught:
        load_stints(name)
    assert str(caught.value) == message


ROW_PROBLEMS = {
    "missing_column.csv": (1, "Inskrivningsdatum", None, "required column is missing"),
    "bad_date.csv": (3, "Inskrivningsdatum", "2017-02-30", "day value is outside expected range"),
    "end_before_start.csv": (4, "Avslutsdatum", "2014-12-31", "Avslutsdatum is before Inskrivningsdatum"),
    "unknown_category.csv": (2, "Avslutsorsak", "Arbte", "did you mean 'Arbete'?"),
}


@pytest.mark.parametrize(("name", "expected"), ROW_PROBLEMS.items())
def test_bad_rows_name_file_row_column_and_value(name: str, expected: tuple) -> None:
    row, column, value, text = expected
    with pytest.raises(DataError) as caught:
        load_stints(name)
    [problem] = caught.value.problems
    assert (problem.file, problem.row, problem.column, problem.value) == (name, row, column, value)
    assert text in problem.message


def test_all_problems_are_collected_not_just_the_first(tmp_path: Path) -> None:
    lines = ["Deltagar-ID;Insats;Kön;Inskrivningsdatum;Avslutsdatum;Avslutsorsak"]
    lines += [f"P{i};Ung i Tyresö;X;2017-01-01;;" for i in range(30)]
    lines += ["P99;Ung i Tyresö;Man;2030-01-01;;", "P1;Ung i Tyresö;Kvinna;2017-01-01;2017-02-01;"]
    path = tmp_path / "many.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_stints(str(path))
    problems = caught.value.problems
    assert caught.value.total == 33
    assert [p.row for p in problems][-3:] == [32, 33, 33]
    assert {p.message for p in problems if p.row == 33} == {
        "Avslutsorsak is required when Avslutsdatum is set",
        "the same stint (person, Insats, Inskrivningsdatum) is already on row 3",
    }
    assert any(p.message == "date is in the future" for p in problems)


def test_wrong_suffix_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "export.xlsx"
    fake.write_text("Insats;År\nA;2017\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"export\.xlsx: not an xlsx workbook"):
        load(fake, FileKind.ANONYMA, LoadOptions())
    zipped = tmp_path / "export.csv"
    zipped.write_bytes((DATA / "deltagare_title_rows.xlsx").read_bytes())
    with pytest.raises(DataError, match=r"export\.csv: this is a zip archive"):
        load(zipped, FileKind.ANONYMA, LoadOptions())


def test_value_codes_and_header_aliases_from_a_profile(tmp_path: Path) -> None:
    from finsam_cli.config import Profile

    path = tmp_path / "other.csv"
    path.write_text("Klientnr;Verksamhetsnamn;Kön;Start;Slut;Utfall\n"
                    "A1;Ung i Tyresö;Kvinna;2017-01-01;2017-05-01;Jobb\n", encoding="utf-8")
    profile = Profile(kolumner={"deltagar_id": ["Klientnr"], "insats": ["Verksamhetsnamn"],
                                "inskrivningsdatum": ["Start"], "avslutsdatum": ["Slut"],
                                "avslutsorsak": ["Utfall"]},
                      varden={"avslutsorsak": {"Jobb": "Arbete"}})
    frame = load(path, FileKind.DELTAGARE, LoadOptions(profile=profile)).frame
    assert frame["avslutsorsak"].iloc[0] == "Arbete"


def test_unplaced_remittent_is_a_warning_not_an_error(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("Deltagar-ID;Insats;Kön;Inskrivningsdatum;Remittent\n"
                    "A1;Ung i Tyresö;Kvinna;2017-01-01;Grannen\n", encoding="utf-8")
    loaded = load(path, FileKind.DELTAGARE, LoadOptions())
    assert loaded.frame["remittent_grupp"].iloc[0] == "Annan"
    assert loaded.frame["remittent"].iloc[0] == "Grannen"
    assert "1 Remittent value(s) could not be placed" in loaded.warnings[0]


def test_felregistrering_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("Deltagar-ID;Insats;Kön;Inskrivningsdatum;Avslutsdatum;Avslutsorsak\n"
                    "A1;X;Kvinna;2017-01-01;2017-01-02;Felregistrering\nA2;X;Man;2017-01-01;;\n", encoding="utf-8")
    assert list(load(path, FileKind.DELTAGARE, LoadOptions()).frame.index) == [3]


def test_optional_columns_are_always_present_after_loading(tmp_path: Path) -> None:
    path = tmp_path / "minimal.csv"
    path.write_text("Deltagar-ID;Insats;Kön;Inskrivningsdatum\nA1;Ung i Tyresö;Kvinna;2017-01-01\n", encoding="utf-8")
    frame = load(path, FileKind.DELTAGARE, LoadOptions()).frame
    for column in ("kommun", "fodelsear", "avslutsdatum", "avslutsorsak", "remittent", "remittent_grupp",
                   "forsorjning_start", "forsorjning_slut", "forsorjning_uppfoljning", "utbildningsniva",
                   "fatt_insats", "person"):
        assert column in frame.columns, column
    assert frame["fodelsear"].isna().all()


def test_a_report_runs_on_a_minimal_export(run, tmp_path: Path) -> None:
    path = tmp_path / "minimal.csv"
    path.write_text("Deltagar-ID;Insats;Kön;Inskrivningsdatum;Avslutsdatum;Avslutsorsak\n"
                    "A1;Ung i Tyresö;Kvinna;2017-01-01;2017-05-01;Arbete\n", encoding="utf-8")
    result = run("maluppfyllelse", "2017", "--deltagare", path)
    assert result.exit_code == 0, result.output
    assert "| Till arbete | 1 | 1 | 0 |" in result.stdout


def test_a_zip_claiming_an_unknown_version_is_a_corrupt_xlsx(tmp_path: Path) -> None:
    data = bytearray((DATA / "corrupt.xlsx").read_bytes())
    data[232] = ord("@")  # found by the fuzz tests: zipfile raised NotImplementedError
    path = tmp_path / "version.xlsx"
    path.write_bytes(bytes(data))
    with pytest.raises(DataError, match=r"^version\.xlsx: the xlsx file is corrupt or truncated$"):
        load(path, FileKind.DELTAGARE, LoadOptions())


@pytest.mark.parametrize("line", ["Deltagar-ID;Insats;Kön", " Insats ;Kön\t;År", "a;b.1;b", "nan;NA;None"])
def test_a_plain_header_is_named_as_pandas_names_it_without_a_parser_call(line: str) -> None:
    names = _plain_header(line, ";")
    expected = pd.read_csv(io.StringIO(f"{line}\n1;2;3\n"), sep=";", header=0, nrows=0, dtype=str).columns
    assert names is not None
    pd.testing.assert_index_equal(names, expected)


@pytest.mark.parametrize("line", ['"Insats";Kön', "Insats;;Kön", "Insats;Kön;Insats", "Insats;Kön;",
                                  "\ufeffInsats;Kön"])
def test_a_header_pandas_would_rename_or_unquote_goes_to_the_parser(line: str) -> None:
    assert _plain_header(line, ";") is None


def test_the_sample_participants_are_read_by_pyarrow() -> None:
    path = Path(__file__).resolve().parent.parent / "sample_data" / "deltagare.csv"
    clean = _scan_clean_utf8(path)
    assert clean is not None
    lines = _first_lines(clean.head, HEADER_SEARCH_ROWS)
    frame = _read_csv_arrow(path, clean.encoding, ";", 0, lines, clean.quoted)  # None: the C parser's fallback
    assert frame is not None
    assert list(frame.columns[:3]) == ["Deltagar-ID", "Insats", "Kommun"]
