"""`finsam enkat`: the survey summary from the command line (golden report, workbook, errors, options)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from .conftest import ROOT, SAMPLE, assert_golden

CONFIG = ROOT / "finsam.toml"


def test_the_published_table_as_markdown_golden(run) -> None:
    result = run("enkat", "2017", "--config", CONFIG)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert_golden("enkat_2017.md", result.stdout)
    lines = result.stdout.splitlines()
    heading = lines.index("### Styrelsen (7 svar)")
    assert lines[heading + 1:heading + 4] == ["", "| Fråga | Antal svar | Andel positiva (%) |", "|:---|---:|---:|"]
    assert "I Deltagare ingår inte Ung i Nynäs (6 svar) och Ung i Tyresö (8 svar)." in lines


def test_the_workbook_holds_shares_as_fractions_with_a_bar_chart_per_group(run, tmp_path: Path) -> None:
    out = tmp_path / "enkat.xlsx"
    result = run("enkat", "2017", "--config", CONFIG, "-o", out)
    assert result.exit_code == 0 and result.stderr == f"Wrote {out}\n"
    wb = load_workbook(out)
    assert wb.sheetnames == ["Enkäter", "Per insats", "Per kön", "Om rapporten"]
    ws = wb["Enkäter"]
    rows = {r[0].value: r for r in ws.iter_rows() if r[0].value}
    board = rows["Använder ni uppföljning och utvärdering som underlag för att utveckla de samordnade "
                 "rehabiliteringsinsatserna?"]
    assert board[1].value == 7 and board[2].value == 6 / 7  # the exact share; the number format rounds (86 %)
    assert board[2].number_format.startswith("0 %")
    assert "Deltagare (29 svar)" in rows
    assert len(ws._charts) == 5 and ws._charts[0].type == "bar"


def test_skydda_hides_shares_on_fewer_answers(run) -> None:
    result = run("enkat", "2017", "--config", CONFIG, "--skydda", "20")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "| Är du med och bestämmer vilket stöd du ska få? | 23 | 87\u00a0% |" in lines
    assert ("| Använder ni uppföljning och utvärdering som underlag för att utveckla de samordnade "
            "rehabiliteringsinsatserna? | 7 | .. |") in lines
    assert "| Får stödet som ni ger ta den tid som behövs? | 20 | 85\u00a0% |" in lines  # 20 answers: shown
    assert ".. = andelen bygger på färre än 20 svar och visas inte." in lines


def test_halvar_and_insats_narrow_the_answers(run) -> None:
    half = run("enkat", "2017", "--config", CONFIG, "--halvar")
    assert half.exit_code == 0, half.stderr
    assert half.stdout.splitlines()[0] == "# Sammanställning av enkätfrågor jan–juni 2017"
    one = run("enkat", "2017", "--config", CONFIG, "--insats", "case-manager")
    assert one.exit_code == 0, one.stderr
    headings = [line for line in one.stdout.splitlines() if line.startswith("### ")]
    assert headings[:2] == ["### Deltagare (12 svar)", "### Deltagare – Case Manager (12 svar)"]


def test_no_answers_for_the_year_is_a_usage_error(run, tmp_path: Path) -> None:
    out = tmp_path / "enkat.md"
    result = run("enkat", "2015", "--config", CONFIG, "-o", out)
    assert result.exit_code == 2
    assert result.stderr == "Usage error: enkat.xlsx: no survey answers in 2015 (years in the file: 2016, 2017)\n"
    assert not out.exists()


def test_bad_answers_exit_1_naming_file_row_column_and_write_nothing(run, tmp_path: Path) -> None:
    svar = tmp_path / "svar.csv"
    svar.write_text("Enkät;Datum;Får du stöd?\nDeltagare;2017-03-01;Ja\nDeltagare;2017-13-01;Kanske\n",
                    encoding="utf-8")
    out = tmp_path / "enkat.xlsx"
    result = run("enkat", "2017", "--config", CONFIG, "--svar", svar, "-o", out)
    assert result.exit_code == 1
    assert "svar.csv, row 3, column 'Datum': value '2017-13-01': " in result.stderr
    assert "svar.csv, row 3, column 'Får du stöd?': value 'Kanske': unknown answer" in result.stderr
    assert "Traceback" not in result.stderr and not out.exists()
    missing = tmp_path / "utan.csv"
    missing.write_text("Insats;Datum;Q?\nA;2017-01-01;Ja\n", encoding="utf-8")
    result = run("enkat", "2017", "--config", CONFIG, "--svar", missing, "-o", out)
    assert result.exit_code == 1 and "utan.csv, row 1, column 'Enkät': required column is missing" in result.stderr
    assert not out.exists()


def test_without_a_survey_file_the_command_says_how_to_give_one(run, tmp_path: Path) -> None:
    result = run("enkat", "2017")
    assert result.exit_code == 2
    assert result.stderr == "Usage error: no enkat file: give --svar FILE or set data.enkat in finsam.toml\n"


def test_the_sample_file_is_named_in_the_checkout_config() -> None:
    assert 'enkat = "sample_data/enkat.xlsx"' in CONFIG.read_text(encoding="utf-8")
    assert (SAMPLE / "enkat.xlsx").is_file()


def test_survey_goals_show_in_maluppfyllelse_when_answers_are_configured(run, tmp_path: Path) -> None:
    result = run("maluppfyllelse", "2017", "--insats", "ungdomsteamet-i-haninge", "--config", CONFIG)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "| Enkät: Får du stöd på ett sätt som är till stor nytta för dig? | 75\u00a0% | 88\u00a0% | Ja |" in lines
    assert "| Enkät: Känner du dig mer redo att kunna arbeta eller studera? | 80\u00a0% | 71\u00a0% | Nej |" in lines
    assert "Enkät, ”Känner du dig mer redo att kunna arbeta eller studera?”: 12 av 17 svar positiva." in lines
    assert ", enkat.xlsx (160 rader)." in lines[6]
    without = tmp_path / "finsam.toml"
    without.write_text(CONFIG.read_text(encoding="utf-8").replace('enkat = "sample_data/enkat.xlsx"\n', "")
                       .replace('"sample_data/', f'"{SAMPLE}/'), encoding="utf-8")
    plain = run("maluppfyllelse", "2017", "--insats", "ungdomsteamet-i-haninge", "--config", without)
    assert plain.exit_code == 0, plain.stderr
    assert "Enkät" not in plain.stdout and "| Andel till arbete/studier | 65\u00a0% | 59\u00a0% | Nej |" in plain.stdout


def test_an_insats_without_survey_goals_does_not_read_the_answers(run) -> None:
    result = run("maluppfyllelse", "2017", "--insats", "ung-i-tyreso", "--config", CONFIG)
    assert result.exit_code == 0 and "enkat.xlsx" not in result.stdout


def test_a_survey_goal_for_an_unknown_question_is_a_config_error(run, tmp_path: Path) -> None:
    config = tmp_path / "finsam.toml"
    config.write_text(CONFIG.read_text(encoding="utf-8").replace('"sample_data/', f'"{SAMPLE}/')
                      .replace('"Känner du dig mer redo att kunna arbeta eller studera?" = 80',
                               '"Känner du dig redo att arbeta?" = 80'), encoding="utf-8")
    result = run("maluppfyllelse", "2017", "--config", config)
    assert result.exit_code == 1
    assert "insatser.mal.2017.enkat: enkat.xlsx has no question 'Känner du dig redo att arbeta?'" in result.stderr


def test_export_makes_the_survey_summary_or_says_why_not(run, tmp_path: Path) -> None:
    target = tmp_path / "ut"
    made = run("export", "2017", "--halvar", "--config", CONFIG, "--till", target)
    assert made.exit_code == 0, made.stderr
    half = (target / "2017" / "enkat_2017_halvar.md").read_text(encoding="utf-8")
    assert half.splitlines()[0] == "# Sammanställning av enkätfrågor jan–juni 2017"
    skipped = run("export", "2018", "--config", CONFIG, "--till", target)
    assert skipped.exit_code == 0, skipped.stderr
    assert ("skipped enkat: enkat.xlsx: no survey answers in 2018 (years in the file: 2016, 2017)"
            in skipped.stderr)
    assert not list((target / "2018").glob("enkat*"))
