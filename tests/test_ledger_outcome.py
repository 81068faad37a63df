"""A ledger export as the outcome: with a Konto column the account class decides group and sign,
ledger signs are recognised and turned around, and objects stand in for Post."""

from __future__ import annotations

from pathlib import Path

import pytest

from finsam_cli.inputs.sie import read_sie

from .conftest import ROOT

SAMPLE = ROOT / "sample_data"
CONFIG = ROOT / "finsam.toml"
NBSP = "\u00a0"


def tables(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith(("#", "|"))]


def kronor(ore: int) -> str:
    sign = "-" if ore < 0 else ""
    whole, rest = divmod(abs(ore), 100)
    return f"{sign}{whole},{rest:02d}"


@pytest.fixture(scope="module")
def ledger(tmp_path_factory) -> Path:
    """The sample accounts' 2017 transactions as an accounting system's ledger export: every account,
    balance accounts too, debit positive and credit negative, the project as an object column, no Post."""
    sie = read_sie(SAMPLE / "bokforing.se")
    tx = sie.transactions
    rows = ["Datum;Konto;Projekt;Text;Belopp"]
    for day, account, project, ore in zip(tx["date"], tx["account"], tx["object_6"], tx["amount_ore"], strict=True):
        if day.year == 2017:
            name = "" if not isinstance(project, str) else sie.objects[(6, project)]
            rows.append(f"{day:%Y-%m-%d};{account};{name};Verifikation;{kronor(int(ore))}")
    path = tmp_path_factory.mktemp("ledger") / "huvudbok.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_a_ledger_with_ledger_signs_and_konto_reproduces_the_2017_appendix(run, ledger: Path) -> None:
    from_csv = run("budget-avvikelse", "2017", "--config", CONFIG)
    from_ledger = run("budget-avvikelse", "2017", "--config", CONFIG, "--utfall", ledger)
    assert from_ledger.exit_code == 0, from_ledger.stderr
    assert tables(from_ledger.stdout) == tables(from_csv.stdout)
    assert ("huvudbok.csv har bokföringens tecken (debet positivt, kredit negativt): intäkter (klass 3) och "
            "finansiella poster (klass 8) har vänts") in from_ledger.stdout
    assert "rader på balanskonton (1000–2999) utan post eller på årets resultat (8990–8999) i huvudbok.csv ingår inte" \
        in from_ledger.stdout


def test_cost_centres_stand_in_for_post_and_accounts_map_to_posts(run, tmp_path: Path) -> None:
    ledger = tmp_path / "huvudbok.csv"
    ledger.write_text("Datum;Konto;Kostnadsställe;Text;Belopp\n"
                      "2017-03-01;3010;;Medlemsavgift;-1 600 000\n"
                      "2017-03-02;5010;Kansli;Hyra;1 000 000\n"
                      "2017-03-03;6110;;Kontorsmaterial;448 800\n"
                      "2017-03-04;8410;;Bankavgift;200\n", encoding="utf-8")
    config = tmp_path / "finsam.toml"
    config.write_text(f'[data]\nbudget = "{tmp_path / "budget.csv"}"\n[bokforing]\ndimension = 1\n'
                      '[bokforing.konton]\n"3000-3999" = "Medlemsavgifter"\n"6000-6999" = "Kansli"\n'
                      '"8400-8499" = "Finansiella intäkter/kostnader"\n', encoding="utf-8")
    (tmp_path / "budget.csv").write_text("År;Post;Grupp;Belopp\n2017;Kansli;Styrelse och kansli;1 500 000\n"
                                         "2017;Medlemsavgifter;Intäkter;1 600 000\n", encoding="utf-8")
    result = run("budget-avvikelse", "2017", "--config", config, "--utfall", ledger)
    assert result.exit_code == 0, result.stderr
    assert f"| Kansli | 1{NBSP}448{NBSP}800 | 1{NBSP}500{NBSP}000 |" in result.stdout
    assert f"| Medlemsavgifter | 1{NBSP}600{NBSP}000 | 1{NBSP}600{NBSP}000 | 0 | 100{NBSP}% |" in result.stdout
    assert "| Finansiella intäkter/kostnader | −200 | 0 | −200 |  |" in result.stdout
    assert f"| **Resultat** | 151{NBSP}000 |" in result.stdout


def test_an_account_in_no_outcome_group_is_a_data_error(run, tmp_path: Path) -> None:
    ledger = tmp_path / "huvudbok.csv"
    ledger.write_text("Datum;Konto;Post;Belopp\n2017-03-01;8610;Kansli;100\n", encoding="utf-8")
    result = run("budget-avvikelse", "2017", "--config", CONFIG, "--utfall", ledger)
    assert result.exit_code == 1
    assert "huvudbok.csv: account 8610 is in no outcome group" in result.stderr


def test_without_konto_a_negative_revenue_line_is_warned_about(run, tmp_path: Path) -> None:
    outcome = tmp_path / "utfall.csv"
    outcome.write_text("Datum;Post;Belopp\n2017-03-01;Medlemsavgifter;-1 600 000\n2017-03-02;Kansli;1 448 800\n",
                       encoding="utf-8")
    result = run("budget-avvikelse", "2017", "--config", CONFIG, "--utfall", outcome)
    assert result.exit_code == 0, result.stderr
    assert ("Varning: Medlemsavgifter har negativt utfall. Utan kolumnen Konto ska intäkter anges som positiva "
            "belopp") in result.stdout
