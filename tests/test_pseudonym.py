"""Personnummer become keyed hashes on load; the raw value is kept nowhere."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import pandas as pd
import pytest

from finsam_cli.errors import DataError
from finsam_cli.inputs.load import LoadOptions, load
from finsam_cli.inputs.pseudonym import KEY_ENV, load_key, pseudonymise
from finsam_cli.inputs.schema import FileKind

TODAY = dt.date(2025, 11, 25)


def test_forms_of_the_same_number_give_the_same_key() -> None:
    forms = pd.Series(["121212-1212", "1212121212", "20121212-1212", "201212121212"])
    result = pseudonymise(forms, b"secret-secret-secret", TODAY)
    assert result.key.nunique() == 1
    assert list(result.birth_year) == [2012.0] * 4
    assert list(result.sex) == ["Man"] * 4
    assert not result.invalid.any()


def test_plus_means_a_hundred_years_older() -> None:
    result = pseudonymise(pd.Series(["121212+1212"]), b"k" * 16, TODAY)
    assert result.birth_year.iloc[0] == 1912


def test_bad_check_digit_and_bad_dates_are_invalid() -> None:
    result = pseudonymise(pd.Series(["121212-1213", "121312-1212", "abc", ""]), b"k" * 16, TODAY)
    assert list(result.invalid) == [True, True, True, False]


def test_different_secrets_give_different_keys() -> None:
    one = pseudonymise(pd.Series(["121212-1212"]), b"a" * 16, TODAY).key.iloc[0]
    two = pseudonymise(pd.Series(["121212-1212"]), b"b" * 16, TODAY).key.iloc[0]
    assert one != two


def test_key_file_is_created_once_readable_only_by_owner(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv(KEY_ENV)
    first = load_key(None)
    assert first.created_at == tmp_path / "config-home" / "finsam" / "pseudonym.key"
    assert stat.S_IMODE(os.stat(first.created_at).st_mode) == 0o600
    second = load_key(None)
    assert second.created_at is None and second.secret == first.secret


def test_loading_replaces_personnummer_and_derives_sex_and_birth_year(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("Personnummer;Insats;Kön;Inskrivningsdatum\n"
                    "19900101-0017;Ung i Tyresö;;2017-01-01\n199001010017;Ung i Tyresö;;2018-01-01\n",
                    encoding="utf-8")
    frame = load(path, FileKind.DELTAGARE, LoadOptions()).frame
    assert "personnummer" not in frame.columns
    assert frame["person"].nunique() == 1
    assert list(frame["kon"].astype(str)) == ["Man", "Man"]
    assert list(frame["fodelsear"]) == [1990, 1990]
    assert "19900101" not in frame.to_csv()


def test_bad_personnummer_names_the_row_not_the_value(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("Personnummer;Insats;Kön;Inskrivningsdatum\n19900101-0018;X;Man;2017-01-01\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load(path, FileKind.DELTAGARE, LoadOptions())
    [problem] = caught.value.problems
    assert (problem.row, problem.column, problem.value) == (2, "Personnummer", None)
    assert "0018" not in str(problem) and "19900101" not in str(problem)
