"""`finsam budget-jamforelse`: budget against another year's, with renamed and split lines."""

from __future__ import annotations

import pandas as pd
import pytest

from finsam_cli.errors import UsageError
from finsam_cli.render.numbers import plain
from finsam_cli.reports.ekonomi.budget_jamforelse import JamforelseRequest, build
from finsam_cli.reports.model import Style

from .conftest import ROOT, assert_golden

CONFIG = ROOT / "finsam.toml"
NBSP = "\u00a0"
MINUS = "\u2212"


def budget_frame(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["ar", "post", "grupp", "belopp"])
    frame["ar"] = frame["ar"].astype("float64")
    frame["belopp"] = frame["belopp"].astype("float64")
    frame["period"] = None
    return frame


UNGDOMSTEAMET = [
    (2013, "Ungdomsteamet Haninge", "Insatser", 500_000),
    (2013, "Ungdomsteamet Tyresö", "Insatser", 400_000),
    (2013, "Ungdomsteamet Nynäshamn", "Insatser", 300_000),
    (2013, "Ungdomsteamet gemensamt", "Insatser", 100_000),
    (2013, "Resursrådet", "Insatser", 1_000_000),
    (2013, "Kansli", "Styrelse och kansli", 2_000_000),
    (2013, "Medlemsavgifter", "Intäkter", 5_000_000),
    (2014, "Ungdomsteamet", "Insatser", 1_250_000),
    (2014, "Resursrådet", "Insatser", 1_100_000),
    (2014, "Nytt projekt", "Insatser", 200_000),
    (2014, "Kansli", "Styrelse och kansli", 2_100_000),
    (2014, "Medlemsavgifter", "Intäkter", 5_200_000),
]
MAPPING = {"Ungdomsteamet": ["Ungdomsteamet Haninge", "Ungdomsteamet Tyresö", "Ungdomsteamet Nynäshamn",
                             "Ungdomsteamet gemensamt"]}


def test_merged_lines_compare_with_the_sum_of_last_years_lines() -> None:
    section = build(budget_frame(UNGDOMSTEAMET), JamforelseRequest(2014, mapping=MAPPING))
    table = section.tables[0]
    assert [c.label for c in table.columns] == ["Post", "Budget 2014", "Budget 2013", "Avvikelse"]
    assert list(table.row("Ungdomsteamet").cells[1:]) == [1_250_000, 1_300_000, -50_000]
    assert not any(str(r.cells[0]).startswith("Ungdomsteamet ") for r in table.rows)
    assert any("summan av Ungdomsteamet Haninge" in plain(n) for n in table.notes)


def test_split_lines_work_in_the_other_direction_too() -> None:
    section = build(budget_frame(UNGDOMSTEAMET), JamforelseRequest(2013, against=2014, mapping=MAPPING))
    table = section.tables[0]
    assert list(table.row("Ungdomsteamet").cells[1:]) == [1_300_000, 1_250_000, 50_000]


def test_without_the_mapping_the_lines_stand_alone_with_zero() -> None:
    table = build(budget_frame(UNGDOMSTEAMET), JamforelseRequest(2014)).tables[0]
    assert list(table.row("Ungdomsteamet").cells[1:]) == [1_250_000, 0, 1_250_000]
    assert list(table.row("Ungdomsteamet Tyresö").cells[1:]) == [0, 400_000, -400_000]


def test_new_and_ended_lines_groups_totals_and_result() -> None:
    table = build(budget_frame(UNGDOMSTEAMET), JamforelseRequest(2014, mapping=MAPPING)).tables[0]
    assert list(table.row("Nytt projekt").cells[1:]) == [200_000, 0, 200_000]
    assert list(table.row("Summa insatser").cells[1:]) == [2_550_000, 2_300_000, 250_000]
    assert table.row("Summa insatser").style is Style.SUBTOTAL
    assert list(table.row("Totalt").cells[1:]) == [4_650_000, 4_300_000, 350_000]
    assert list(table.row("Resultat").cells[1:]) == [550_000, 700_000, -150_000]
    notes = " ".join(map(plain, table.notes))
    assert "Nya poster 2014 (0 kr 2013): Nytt projekt." in notes


def test_missing_year_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="no budget for 2012"):
        build(budget_frame(UNGDOMSTEAMET), JamforelseRequest(2013))


def test_sample_2018_against_2017(run) -> None:
    result = run("budget-jamforelse", "2018", "--config", CONFIG)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "| Post | Budget 2018 | Budget 2017 | Avvikelse |" in out
    assert f"| MIA Östra Södertörn (inkl. projektgemensamt) | 3{NBSP}100{NBSP}000 | 3{NBSP}076{NBSP}000 | " \
           f"24{NBSP}000 |" in out
    assert f"| Språkstöd för nyanlända | 400{NBSP}000 | 0 | 400{NBSP}000 |" in out  # new in 2018
    assert f"| Socialt företagande | 0 | 400{NBSP}000 | {MINUS}400{NBSP}000 |" in out  # ended
    assert f"| **Summa insatser** | 15{NBSP}145{NBSP}000 | 16{NBSP}178{NBSP}868 |" in out
    assert "| **Totalt** |" in out


def test_sample_mot_and_tkr(run) -> None:
    result = run("budget-jamforelse", "2018", "--mot", "2016", "--tkr", "--config", CONFIG)
    assert result.exit_code == 0, result.stderr
    assert "| Post | Budget 2018 | Budget 2016 | Avvikelse |" in result.stdout
    assert "Belopp i tkr" in result.stdout
    assert f"| Resursrådet | 2{NBSP}300 | 2{NBSP}400 | {MINUS}100 |" in result.stdout
    same = run("budget-jamforelse", "2018", "--mot", "2018", "--config", CONFIG)
    assert same.exit_code == 2


def test_golden_budget_jamforelse_2018(run) -> None:
    result = run("budget-jamforelse", "2018", "--config", CONFIG)
    assert result.exit_code == 0, result.stderr
    assert_golden("budget_jamforelse_2018.md", result.stdout)
