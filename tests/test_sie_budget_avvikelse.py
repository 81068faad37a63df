"""SIE as the outcome of `budget-avvikelse`: the sample export reproduces the published 2017 appendix,
the file is recognised by its content, years and periods follow the file, and the settings are checked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from finsam_cli.config import parse_config
from finsam_cli.errors import ConfigError

from .conftest import ROOT

SAMPLE = ROOT / "sample_data"
SIE = SAMPLE / "bokforing.se"
CONFIG = ROOT / "finsam.toml"
NBSP = "\u00a0"


def tables(markdown: str) -> list[str]:
    """Headings and table rows: everything but the provenance line and the notes."""
    return [line for line in markdown.splitlines() if line.startswith(("#", "|"))]


def paragraphs(markdown: str) -> set[str]:
    return {line for line in markdown.splitlines() if line and not line.startswith(("#", "|"))}


def test_sample_sie_reproduces_the_published_2017_appendix(run) -> None:
    from_csv = run("budget-avvikelse", "2017", "--config", CONFIG)
    from_sie = run("budget-avvikelse", "2017", "--config", CONFIG, "--utfall", SIE)
    assert from_csv.exit_code == 0 and from_sie.exit_code == 0, from_sie.stderr
    assert tables(from_sie.stdout) == tables(from_csv.stdout)
    assert f"| **Resultat** | 958{NBSP}554 | −1{NBSP}604{NBSP}000 | 2{NBSP}562{NBSP}554 |  |" in from_sie.stdout
    only_sie = paragraphs(from_sie.stdout) - paragraphs(from_csv.stdout)
    only_csv = paragraphs(from_csv.stdout) - paragraphs(from_sie.stdout)
    # What differs is about the source: the inputs, where the outcome comes from, öre in the accounts,
    # and the check against #RES.
    assert {p.split(" ", 1)[0] for p in only_sie} == {"Underlag:", "Utfallet", "Beloppen", "Kontroll:"}
    assert {p.split(" ", 1)[0] for p in only_csv} == {"Underlag:", "Kontroll:"}
    check = next(p for p in only_sie if p.startswith("Kontroll:"))
    assert check.endswith(f"= 958{NBSP}554,30{NBSP}kr och budget 18{NBSP}064{NBSP}868{NBSP}kr − "
                          f"19{NBSP}668{NBSP}868{NBSP}kr + 0{NBSP}kr = −1{NBSP}604{NBSP}000{NBSP}kr. "
                          "Utfallets resultat är detsamma som årets resultat i bokföringen (#RES).")
    assert "bokforing.se (816 rader)" in from_sie.stdout


def test_sie_is_recognised_by_content_not_by_name(run, tmp_path: Path) -> None:
    disguised = tmp_path / "utfall.csv"
    shutil.copy(SIE, disguised)
    result = run("budget-avvikelse", "2017", "--config", CONFIG, "--utfall", disguised)
    assert result.exit_code == 0, result.stderr
    assert "Utfallet är bokföringens resultatkonton (utfall.csv, SIE4)" in result.stdout


def test_a_year_the_file_does_not_hold_names_the_years_it_holds(run) -> None:
    result = run("budget-avvikelse", "2018", "--config", CONFIG, "--utfall", SIE)
    assert result.exit_code == 2
    assert "bokforing.se holds no financial year 2018 (#RAR): it holds 2016, 2017" in result.stderr


@pytest.mark.parametrize("period", [("--till", "2017-06-30"), ("--till", "2017-09-14"), ("--halvar",)])
def test_cut_off_works_on_transaction_dates_as_the_csv_does(run, period: tuple[str, ...]) -> None:
    from_csv = run("budget-avvikelse", "2017", "--config", CONFIG, *period)
    from_sie = run("budget-avvikelse", "2017", "--config", CONFIG, "--utfall", SIE, *period)
    assert from_sie.exit_code == 0, from_sie.stderr
    # The sample's cost transactions are the CSV's rows (same dates); its revenues are booked on other days.
    costs = [tables(r.stdout)[:tables(r.stdout).index(next(t for t in tables(r.stdout) if "**Totalt**" in t)) + 1]
             for r in (from_sie, from_csv)]
    assert costs[0] == costs[1] and len(costs[0]) > 20
    assert "#RES" not in from_sie.stdout  # a part of the year is not checked against the year's result


def test_data_sie_is_the_outcome_when_no_outcome_file_is_named(run, tmp_path: Path) -> None:
    config = tmp_path / "finsam.toml"
    config.write_text(f'[data]\nbudget = "{SAMPLE / "budget.csv"}"\nsie = "{SIE}"\n', encoding="utf-8")
    result = run("budget-avvikelse", "2017", "--config", config)
    assert result.exit_code == 0, result.stderr
    assert "bokforing.se (816 rader)" in result.stdout
    with_utfall = tmp_path / "both.toml"
    with_utfall.write_text(config.read_text(encoding="utf-8") + f'utfall = "{SAMPLE / "utfall.csv"}"\n',
                           encoding="utf-8")
    result = run("budget-avvikelse", "2017", "--config", with_utfall)
    assert result.exit_code == 0, result.stderr
    assert "utfall.csv (958 rader)" in result.stdout and "bokforing.se" not in result.stdout


def test_bokforing_settings_choose_the_dimension_and_name_accounts(run, tmp_path: Path) -> None:
    config = tmp_path / "finsam.toml"
    config.write_text(f'[data]\nbudget = "{SAMPLE / "budget.csv"}"\nsie = "{SIE}"\n'
                      '[bokforing]\ndimension = 1\n[bokforing.konton]\n"3010-3050" = "Medlemsavgifter"\n'
                      '"4000-7999" = "Kansli"\n"3900 - 3999" = "Övriga intäkter (ESF)"\n', encoding="utf-8")
    result = run("budget-avvikelse", "2017", "--config", config)
    assert result.exit_code == 0, result.stderr
    assert f"| Kansli | 25{NBSP}163{NBSP}090 |" in result.stdout  # no cost centres: every cost to Kansli
    assert "per objekt i dimension 1" in result.stdout


@pytest.mark.parametrize(("text", "message"), [
    ('[bokforing.konton]\n"50x0" = "Kansli"\n', "bokforing.konton: Value error, '50x0' is not an account"),
    ('[bokforing.konton]\n"5999-5000" = "Kansli"\n', "'5999-5000' is not an account"),
    ('[bokforing.konton]\n"5010" = " "\n', "bokforing.konton: Value error, '5010': the post name is empty"),
    ('[bokforing]\ndimension = 0\n', "bokforing.dimension: Input should be greater than or equal to 1"),
    ('[bokforing]\ndimensjon = 6\n', "bokforing.dimensjon: Extra inputs are not permitted"),
])
def test_bokforing_settings_are_validated_with_precise_messages(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "finsam.toml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        parse_config(config)
    assert message in str(caught.value)


def test_account_keys_parse_to_accounts_and_ranges(tmp_path: Path) -> None:
    config = tmp_path / "finsam.toml"
    config.write_text('[bokforing.konton]\n"5010" = "A"\n"5000–5999" = "B"\n', encoding="utf-8")
    assert parse_config(config).bokforing.posts() == {5010: "A", (5000, 5999): "B"}


def test_a_post_holding_revenue_and_costs_is_a_data_error(run, tmp_path: Path) -> None:
    config = tmp_path / "finsam.toml"
    config.write_text(f'[data]\nbudget = "{SAMPLE / "budget.csv"}"\nsie = "{SIE}"\n'
                      '[bokforing]\ndimension = 1\n[bokforing.konton]\n"3000-7999" = "Kansli"\n', encoding="utf-8")
    result = run("budget-avvikelse", "2017", "--config", config)
    assert result.exit_code == 1
    assert "the post 'Kansli' holds both cost and revenue accounts in 2017" in result.stderr


# --- a financial year shorter than a year (issue 13): the report says what the outcome covers ---------------

SIE_DATA = ROOT / "tests" / "data" / "sie"
PARTIAL = "Perioden är ofullständig: uppgifterna sträcker sig till och med 2018-06-30."


def short_year_config(tmp_path: Path, sie: str) -> Path:
    budget = tmp_path / "budget.csv"
    budget.write_text("År;Post;Grupp;Belopp\n2018;Ung i Tyresö;Insatser;60000\n2018;Kansli;Styrelse och kansli;40000\n"
                      "2018;Medlemsavgifter;Intäkter;200000\n", encoding="utf-8")
    config = tmp_path / "finsam.toml"
    config.write_text(f'[forbund]\nnamn = "Samordningsförbundet Test"\n[data]\nbudget = "{budget}"\n'
                      f'sie = "{SIE_DATA / sie}"\n', encoding="utf-8")
    return config


@pytest.mark.parametrize(("sie", "period", "partial"), [
    ("short_year.se", (), True),  # #RAR 0 20180101 20180630
    ("short_year.se", ("--till", "2018-09-30"), True),
    ("short_year.se", ("--till", "2018-06-30"), False),  # the cut-off lies inside the financial year
    ("short_year.se", ("--halvar",), False),
    ("whole_year.se", (), False),  # the same vouchers in #RAR 0 20180101 20181231
    ("whole_year.se", ("--till", "2018-09-30"), False),
])
def test_an_sie_year_shorter_than_a_year_is_marked_partial(run, tmp_path: Path, sie: str, period: tuple[str, ...],
                                                          partial: bool) -> None:
    result = run("budget-avvikelse", "2018", *period, "--config", short_year_config(tmp_path, sie))
    assert result.exit_code == 0, result.stderr
    assert (f"> **{PARTIAL}**" in result.stdout) is partial
    assert result.stdout.count(PARTIAL) == (2 if partial else 0)  # the callout, and among the notes
    row = next(line for line in result.stdout.splitlines() if line.startswith("| Ung i Tyresö |"))
    assert row.split(" | ")[1] == f"30{NBSP}001"  # the outcome, from a voucher dated 2018-03-31


def test_a_short_year_that_starts_late_says_from_when(tmp_path: Path) -> None:
    from datetime import date

    import pandas as pd

    from finsam_cli.reports.ekonomi.accounts_outcome import PeriodOutcome
    from finsam_cli.reports.model import Period

    found = PeriodOutcome(pd.DataFrame(), covered=(date(2018, 7, 1), date(2018, 12, 31)))
    marked = found.marked(Period.whole_year(2018))
    assert (marked.covered_from, marked.covered_until) == (date(2018, 7, 1), date(2018, 12, 31))
    assert PeriodOutcome(pd.DataFrame()).marked(Period.whole_year(2018)) == Period.whole_year(2018)
    from finsam_cli.render.numbers import plain

    assert marked.partial_note is not None
    assert plain(marked.partial_note) == ("Perioden är ofullständig: uppgifterna omfattar 2018-07-01 till och med "
                                          "2018-12-31.")
