"""`finsam medlemsavgifter`: the statutory split, rounded so that the parts add up."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finsam_cli.config import Medlemsavgifter
from finsam_cli.errors import UsageError
from finsam_cli.reports.ekonomi.medlemsavgifter import largest_remainder, split_fee

from .conftest import DATA, ROOT, assert_golden

CONFIG = ROOT / "finsam.toml"
NBSP = "\u00a0"
POPULATION_2018 = {"Haninge": 89_930, "Tyresö": 48_343, "Nynäshamn": 28_729}
PUBLISHED_2019 = [8_208_000, 4_104_000, 2_210_000, 1_188_000, 706_000]


def kr(value: int) -> str:
    return f"{value:,}".replace(",", NBSP)


def test_published_2019_split() -> None:
    parts = split_fee(16_416_000, 1000, POPULATION_2018, Medlemsavgifter())
    assert [p.amount for p in parts] == PUBLISHED_2019
    assert [p.share for p in parts[:2]] == [Fraction(1, 2), Fraction(1, 4)]
    assert sum(p.share for p in parts) == 1


def test_rounding_to_kronor_adds_up() -> None:
    parts = split_fee(16_416_001, 1, POPULATION_2018, Medlemsavgifter())
    assert sum(p.amount for p in parts) == 16_416_001
    assert [p.amount for p in parts[:2]] == [8_208_001, 4_104_000]  # .5 + .25: the larger remainder wins


def test_largest_remainder_gives_leftover_units_to_the_largest_remainders() -> None:
    thirds = [Fraction(1, 3)] * 3
    assert largest_remainder(10, thirds) == [4, 3, 3]
    assert largest_remainder(7, [Fraction(1, 2), Fraction(3, 10), Fraction(1, 5)]) == [4, 2, 1]


@given(st.integers(1, 10**9), st.lists(st.integers(1, 10**6), min_size=1, max_size=8))
def test_largest_remainder_always_adds_up_and_stays_within_one_unit(total: int, weights: list[int]) -> None:
    shares = [Fraction(w, sum(weights)) for w in weights]
    parts = largest_remainder(total, shares)
    assert sum(parts) == total
    for part, share in zip(parts, shares, strict=True):
        assert abs(part - total * share) < 1


def test_total_must_fit_the_rounding() -> None:
    with pytest.raises(UsageError, match="thousands"):
        split_fee(16_416_500, 1000, POPULATION_2018, Medlemsavgifter())


def test_cli_published_2019(run) -> None:
    result = run("medlemsavgifter", "2019", "--total", "16416000", "--config", CONFIG)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "| Medlem | Andel | Belopp |" in out
    for amount in PUBLISHED_2019:
        assert f"| {kr(amount)} |" in out
    assert f"| Haninge | 13,5{NBSP}% | {kr(2_210_000)} |" in out
    assert f"| **Totalt** | 100,0{NBSP}% | {kr(16_416_000)} |" in out
    assert "Region Stockholm (SLL)" in out  # member names from the config


def test_cli_total_from_the_config_and_tkr(run) -> None:
    result = run("medlemsavgifter", "2019", "--config", CONFIG, "--tkr")
    assert result.exit_code == 0, result.stderr
    assert f"| Haninge | 13,5{NBSP}% | {kr(2_210)} |" in result.stdout
    assert "Belopp i tkr" in result.stdout


def test_cli_held_out_population_file_without_config(run) -> None:
    result = run("medlemsavgifter", "2019", "--total", "16416000", "--befolkning", DATA / "budget" /
                 "befolkning_cp1252.csv")
    assert result.exit_code == 0, result.stderr
    for amount in PUBLISHED_2019:
        assert f"| {kr(amount)} |" in result.stdout
    assert "Försäkringskassan och Arbetsförmedlingen" in result.stdout


def test_cli_missing_population_names_the_file(run, tmp_path: Path) -> None:
    befolkning = tmp_path / "folkmangd.csv"
    befolkning.write_text("Kommun;Datum;Invånare\nHaninge;2018-11-01;89930\nTyresö;2017-11-01;47712\n",
                          encoding="utf-8")
    config = tmp_path / "finsam.toml"
    config.write_text('[medlemsavgifter]\nkommuner = ["Haninge", "Tyresö"]\n', encoding="utf-8")
    result = run("medlemsavgifter", "2019", "--total", "1000", "--befolkning", befolkning, "--config", config)
    assert result.exit_code == 1
    assert "folkmangd.csv" in result.stderr and "Tyresö" in result.stderr and "2018-11-01" in result.stderr


def test_cli_no_total_is_a_usage_error(run, tmp_path: Path) -> None:
    result = run("medlemsavgifter", "2021", "--config", CONFIG)
    assert result.exit_code == 2 and "--total" in result.stderr
    odd = run("medlemsavgifter", "2019", "--total", "16416500", "--config", CONFIG)
    assert odd.exit_code == 2
    ok = run("medlemsavgifter", "2019", "--total", "16416500", "--avrundning", "1", "--config", CONFIG)
    assert ok.exit_code == 0, ok.stderr
    assert f"| **Totalt** | 100,0{NBSP}% | {kr(16_416_500)} |" in ok.stdout


def test_golden_medlemsavgifter_2019(run) -> None:
    result = run("medlemsavgifter", "2019", "--total", "16416000", "--config", CONFIG)
    assert result.exit_code == 0, result.stderr
    assert_golden("medlemsavgifter_2019.md", result.stdout)
