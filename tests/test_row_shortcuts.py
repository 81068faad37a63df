"""The shortcuts that spare a large export per-row work give what the plain row-by-row way gives."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from finsam_cli.errors import DataError
from finsam_cli.inputs.load import LoadOptions, holds_personnummer_digits, load
from finsam_cli.inputs.schema import FileKind
from finsam_cli.reports.deltagare.maluppfyllelse_tables import PAIR, referrer_pairs
from finsam_cli.reports.deltagare.stint_metrics import MISSING

HEADER = "Deltagar-ID;Insats;Kön;Inskrivningsdatum;Avslutsdatum;Avslutsorsak"


def _stints(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "stints.csv"
    path.write_text(HEADER + "".join(f"\n{row}" for row in rows), encoding="utf-8")
    return path


def test_repeated_stints_are_found_among_the_persons_with_several(tmp_path: Path) -> None:
    path = _stints(tmp_path, [
        "A;Ung i Tyresö;Man;2017-01-01;;",  # row 2
        "B;Ung i Tyresö;Man;2017-01-01;;",  # row 3: another person, the same insats and day
        "A;Ung i Tyresö;Man;2017-02-01;;",  # row 4: A again, another day
        " A ;Ung i Tyresö;Man;2017-01-01;;",  # row 5: A (spaces around the id) repeats row 2
        "C;Ungdomsteamet i Haninge;Kvinna;2017-01-01;;",  # row 6: a person with one stint
        "D;Ungdomsteamet i Haninge;Man;2017-03-01;;",  # row 7
        "D;Ungdomsteamet i Haninge;Man;2017-03-01;;",  # row 8: a person with two stints, the same
        "B;Ungdomsteamet i Haninge;Man;2017-01-01;;",  # row 9: B in another insats
    ])
    with pytest.raises(DataError) as caught:
        load(path, FileKind.DELTAGARE, LoadOptions())
    assert [(p.row, p.message) for p in caught.value.problems] == [
        (5, "the same stint (person, Insats, Inskrivningsdatum) is already on row 2"),
        (8, "the same stint (person, Insats, Inskrivningsdatum) is already on row 7"),
    ]


def test_ids_are_stripped_and_blank_ids_are_missing(tmp_path: Path) -> None:
    path = _stints(tmp_path, [" A;Ung i Tyresö;Man;2017-01-01;;", "A ;Ung i Tyresö;Man;2017-02-01;;",
                              "B;Ung i Tyresö;Man;2017-01-01;;"])
    frame = load(path, FileKind.DELTAGARE, LoadOptions()).frame
    assert list(frame["person"].astype(str)) == ["A", "A", "B"]
    path = _stints(tmp_path, ["  ;Ung i Tyresö;Man;2017-01-01;;", "B;Ung i Tyresö;Man;2017-01-01;;"])
    with pytest.raises(DataError) as caught:
        load(path, FileKind.DELTAGARE, LoadOptions())
    assert [(p.row, p.column, p.message) for p in caught.value.problems] == [
        (2, "Deltagar-ID", "no Deltagar-ID or Personnummer on this row")]


@pytest.mark.parametrize(("values", "found"), [
    (["P000001", "P000002", "123456789"], False),  # under ten characters: no personnummer fits
    (["P000001", "1212121212"], True),
    (["P000001", "ID 19121212-1212"], True),
    (["P000001", "121212 - 1212"], True),
])
def test_personnummer_digits_are_found_past_the_short_values(values: list[str], found: bool) -> None:
    assert holds_personnummer_digits(pd.Index(values)) is found


def test_referrer_pairs_are_the_rows_texts_as_a_categorical() -> None:
    index = pd.Index([10, 11, 12, 13, 14, 15, 16])
    groups = pd.Series(pd.Categorical(["Kommun", " Kommun", "", None, "Arbetsförmedlingen", "Kommun", "Okänd"],
                                      categories=["Kommun", " Kommun", "", "Arbetsförmedlingen", "Okänd", "Unused"]),
                       index=index)
    referrers = pd.Series(pd.Categorical(["Soc", "Soc ", "x", "", None, "Soc", "Soc"]), index=index)
    group = groups.astype("string").fillna("").str.strip()
    own = referrers.astype("string").fillna("").str.strip()
    expected = (group.mask(group == "", MISSING) + PAIR + own.mask(own == "", MISSING)).astype("category")
    got = referrer_pairs(groups, referrers)
    pd.testing.assert_series_equal(got, expected)
    assert got.cat.categories.equals(expected.cat.categories)
