"""`validate_sie`: each consistency rule caught by a file that breaks it, and nothing in a good file."""

from __future__ import annotations

from pathlib import Path

import pytest

from finsam_cli.inputs.sie import read_sie, validate_sie

SIE = Path(__file__).resolve().parent / "data" / "sie"


def shown(name: str) -> list[str]:
    return [str(p) for p in validate_sie(read_sie(SIE / name, strict=False))]


@pytest.mark.parametrize("name", ["good.se", "enc_cp1252.se", "enc_utf8.se"])
def test_a_consistent_file_has_no_problems(name: str) -> None:
    assert shown(name) == []


@pytest.mark.parametrize(("name", "expected"), [
    ("bad_unbalanced.se", [
        "bad_unbalanced.se, row 32: #UB: account 1930: #IB 50000.00 kr + transactions 48874.30 kr = 98874.30 kr, "
        "but #UB is 98874.25 kr",
        "bad_unbalanced.se, row 66: #VER A 5: the transactions sum to 0.05 kr, not 0 (the voucher does not balance)"]),
    ("bad_account_missing.se", [
        "bad_account_missing.se, row 37: #RES: account 8410 is not in #KONTO",
        "bad_account_missing.se, row 67: #TRANS: account 8410 is not in #KONTO"]),
    ("check_object.se", ["check_object.se, row 55: #TRANS: object 'P2' of dimension 6 is not in #OBJEKT"]),
    ("check_ub.se", ["check_ub.se, row 32: #UB: account 1930: #IB 50000.00 kr + transactions 48874.25 kr = "
                     "98874.25 kr, but #UB is 98000.00 kr"]),
    ("check_res.se", ["check_res.se, row 37: #RES: account 7010: the transactions sum to 20000.00 kr, but #RES is "
                      "19000.00 kr"]),
])
def test_each_rule(name: str, expected: list[str]) -> None:
    assert shown(name) == expected


def test_strict_reading_refuses_what_validation_reports() -> None:
    from finsam_cli.errors import DataError

    with pytest.raises(DataError) as caught:
        read_sie(SIE / "bad_unbalanced.se")
    assert [p.row for p in caught.value.problems] == [66]
