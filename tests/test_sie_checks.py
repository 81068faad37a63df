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


def test_validera_names_every_inconsistency_of_an_sie_file(run) -> None:
    result = run("validera", SIE / "good.se", SIE / "bad_account_missing.se", SIE / "check_res.se")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "OK  good.se (sie): 12 rows"
    assert "ERROR  bad_account_missing.se (sie): 2 problems" in lines
    assert "ERROR  check_res.se (sie): 1 problem" in lines
    flat = " ".join(result.stdout.split())
    for message in ("#RES: account 8410 is not in #KONTO", "#TRANS: account 8410 is not in #KONTO",
                    "#RES: account 7010: the transactions sum to 20000.00 kr, but #RES is 19000.00 kr"):
        assert message in flat


def test_validera_reports_a_file_that_cannot_be_read_as_its_problems(run) -> None:
    result = run("validera", SIE / "bad_truncated.se")
    assert result.exit_code == 1
    assert result.stdout.startswith("ERROR  bad_truncated.se (sie): 1 problem")
    assert "closing '}' of this voucher is missing: the file ends" in " ".join(result.stdout.split())


def test_validera_typ_sie_and_the_sample_export(run, tmp_path: Path) -> None:
    sample = Path(__file__).resolve().parent.parent / "sample_data" / "bokforing.se"
    assert run("validera", sample).stdout == "OK  bokforing.se (sie): 816 rows\n"
    not_sie = tmp_path / "x.se"
    not_sie.write_text("Datum;Konto;Belopp\n2017-01-01;3010;100\n", encoding="utf-8")
    result = run("validera", "--typ", "sie", not_sie)
    assert result.exit_code == 1
    assert "x.se (sie)" in result.stdout
