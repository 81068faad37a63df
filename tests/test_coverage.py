"""Issue 13 part 1 and 2: years the data does not cover are refused or marked, and an export that can make
nothing fails instead of writing an empty set."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from finsam_cli.errors import UsageError
from finsam_cli.reports.deltagare.coverage import Coverage, coverage, covered_until, default_year
from tests.conftest import ROOT, SAMPLE

COVERS = "the data covers 2011-01-01 to 2018-10-31"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The checkout's config and example data, in a folder of its own."""
    shutil.copy(ROOT / "finsam.toml", tmp_path / "finsam.toml")
    shutil.copytree(SAMPLE, tmp_path / "sample_data")
    return tmp_path


def stints(starts: list[str], ends: list[str | None]) -> pd.DataFrame:
    return pd.DataFrame({"inskrivningsdatum": pd.to_datetime(pd.Series(starts)),
                         "avslutsdatum": pd.to_datetime(pd.Series(ends))})


def test_coverage_runs_from_the_first_start_to_the_latest_start_or_exit() -> None:
    frame = stints(["2012-03-05", "2014-01-02", "2013-06-01"], ["2015-02-01", None, None])
    assert coverage(frame) == Coverage(date(2012, 3, 5), date(2015, 2, 1))
    frame = stints(["2012-03-05", "2016-01-02"], ["2015-02-01", None])
    assert coverage(frame) == Coverage(date(2012, 3, 5), date(2016, 1, 2))  # a start after every exit
    assert coverage(stints([], [])) is None


def test_periods_outside_in_part_and_inside() -> None:
    cover = Coverage(date(2011, 1, 1), date(2018, 10, 31))
    for year in (1990, 2010, 2019, 2030):
        with pytest.raises(UsageError, match=f"^no participant data for {year}: {COVERS}$"):
            covered_until(cover, year, False)
    with pytest.raises(UsageError, match=f"^no participant data for jan–juni 2019: {COVERS}$"):
        covered_until(cover, 2019, True)
    assert covered_until(cover, 2018, False) == date(2018, 10, 31)
    assert covered_until(cover, 2018, True) is None  # the first half of 2018 is covered in full
    assert covered_until(cover, 2017, False) is None
    assert covered_until(cover, 2011, False) is None


def test_default_year_is_the_latest_covered_in_full() -> None:
    assert default_year(Coverage(date(2011, 1, 1), date(2018, 10, 31)), False) == (
        2017, "no year given: reporting 2017, the latest year the participant data covers in full (it covers "
              "2011-01-01 to 2018-10-31)")
    assert default_year(Coverage(date(2011, 1, 1), date(2018, 10, 31)), True)[0] == 2018
    assert default_year(Coverage(date(2011, 1, 1), date(2018, 6, 29)), True)[0] == 2017
    assert default_year(Coverage(date(2011, 1, 1), date(2018, 12, 31)), False)[0] == 2018
    year, why = default_year(Coverage(date(2018, 2, 1), date(2018, 10, 31)), False)
    assert year == 2018 and "only in part" in why


@pytest.mark.parametrize("args", [["2030"], ["1990", "--insats", "ung-i-tyreso"], ["2030", "--insats", "ung-i-tyreso"],
                                  ["2019", "--halvar"]])
def test_a_year_outside_the_data_is_a_usage_error_and_nothing_is_written(run, project: Path, args) -> None:
    out = project / "rapport.xlsx"
    result = run("maluppfyllelse", *args, "-o", out)
    assert result.exit_code == 2, result.stdout
    label = f"jan–juni {args[0]}" if "--halvar" in args else args[0]
    assert result.stderr == f"Usage error: no participant data for {label}: {COVERS}\n"
    assert result.stdout == ""
    assert not out.exists()


def test_a_partial_year_says_so_and_does_not_judge_the_goals(run, project: Path) -> None:
    result = run("maluppfyllelse", "2018", "--insats", "ung-i-tyreso")
    assert result.exit_code == 0, result.stderr
    note = "Perioden är ofullständig: uppgifterna sträcker sig till och med 2018-10-31."
    assert f"> **{note}**" in result.stdout
    assert result.stdout.rstrip().endswith(note)
    goals = result.stdout.split("### Mål och resultat")[1].split("###")[0]
    verdicts = [line.rsplit("|", 2)[1].strip() for line in goals.splitlines() if line.startswith("| ")][1:]
    assert verdicts and set(verdicts) == {"Ej bedömt"}


def test_a_partial_year_is_marked_in_the_workbook_too(run, project: Path) -> None:
    out = project / "rapport.xlsx"
    assert run("maluppfyllelse", "2018", "--insats", "ung-i-tyreso", "-o", out).exit_code == 0
    cells = [c for ws in openpyxl.load_workbook(out) for row in ws.iter_rows(values_only=True) for c in row]
    assert "Perioden är ofullständig: uppgifterna sträcker sig till och med 2018-10-31." in cells
    assert "Ej bedömt" in cells


def test_a_whole_year_is_judged_and_the_summary_says_how_many_goals_are_met(run, project: Path) -> None:
    result = run("maluppfyllelse", "2017")
    assert result.exit_code == 0, result.stderr
    assert "ofullständig" not in result.stdout
    summary = result.stdout.split("### Sammanställning 2017")[1]
    header = next(line for line in summary.splitlines() if line.startswith("| Insats"))
    assert header.endswith("| Uppfyllda mål |")
    tyreso = next(line for line in summary.splitlines() if line.startswith("| Ung i Tyresö"))
    assert tyreso.endswith("| 1 av 3 |")  # 249 of 250 deltagare, 114 of 120 nya: only the 70 % share
    assert "Delvis" not in result.stdout


def test_without_a_year_the_latest_full_year_is_chosen_and_stderr_says_why(run, project: Path) -> None:
    result = run("maluppfyllelse", "--insats", "ung-i-tyreso")
    assert result.exit_code == 0, result.stderr
    assert "Period: 2017" in result.stdout
    assert result.stderr == ("note: no year given: reporting 2017, the latest year the participant data covers "
                             "in full (it covers 2011-01-01 to 2018-10-31)\n")


def test_a_budget_year_without_outcome_is_refused(run, project: Path) -> None:
    budget = project / "sample_data" / "budget.csv"
    lines = budget.read_text(encoding="cp1252").splitlines()
    extra = [line.replace("2018;", "2019;", 1) for line in lines[1:] if line.startswith("2018;")]
    assert extra
    budget.write_text("\n".join([*lines, *extra]) + "\n", encoding="cp1252")
    result = run("budget-avvikelse", "2019")
    assert result.exit_code == 2
    assert "no outcome" in result.stderr and "2019" in result.stderr


def test_an_export_that_can_make_nothing_fails_and_writes_nothing(run, tmp_path: Path) -> None:
    (tmp_path / "finsam.toml").write_text('[forbund]\nnamn = "Samordningsförbundet Test"\n', encoding="utf-8")
    target = tmp_path / "ut"
    result = run("export", "2017", "--till", target, "--logg", tmp_path / "export.log")
    assert result.exit_code == 1
    assert "error: no report can be made for 2017: maluppfyllelse: no participant data (data.deltagare)" \
        in result.stderr
    assert "nothing was replaced" in result.stderr
    assert not target.exists()  # the target folder it made is gone again: nothing written
    (target / "2017").mkdir(parents=True)
    assert run("export", "2017", "--till", target, "--logg", tmp_path / "export.log").exit_code == 1
    assert [p.name for p in target.rglob("*")] == ["2017"]  # a folder that was there stays, untouched


# --- uppfoljning: participant coverage (issue 13, "whatever the options"; the report counts participants) ----


def test_uppfoljning_refuses_a_year_outside_the_participant_data_and_writes_nothing(run, project: Path) -> None:
    out = project / "uppfoljning.xlsx"
    for year in ("2010", "2030"):
        result = run("uppfoljning", year, "-o", out)
        assert result.exit_code == 2, result.stdout
        assert result.stderr == f"Usage error: no participant data for {year}: {COVERS}\n"
        assert not out.exists()


def test_uppfoljning_marks_a_year_the_participant_data_covers_in_part(run, project: Path) -> None:
    note = "Perioden är ofullständig: uppgifterna sträcker sig till och med 2018-10-31."
    toml = project / "finsam.toml"  # an outcome per year (År;Post;Belopp), which covers its year
    toml.write_text(toml.read_text(encoding="utf-8").replace('utfall = "sample_data/utfall.csv"',
                                                             f'utfall = "{aggregated_outcome(project)}"'),
                    encoding="utf-8")
    partial = run("uppfoljning", "2018")
    assert partial.exit_code == 0, partial.stderr
    assert f"> **{note}**" in partial.stdout and partial.stdout.rstrip().endswith(note)
    whole = run("uppfoljning", "2017")
    assert whole.exit_code == 0, whole.stderr
    assert "ofullständig" not in whole.stdout


def aggregated_outcome(project: Path) -> Path:
    """The sample's outcome summed per year and post."""
    rows = pd.read_csv(project / "sample_data" / "utfall.csv", sep=";", encoding="cp1252", decimal=",",
                       thousands=" ")
    summed = rows.assign(År=rows["Datum"].str[:4]).groupby(["År", "Post"], as_index=False)["Belopp"].sum()
    path = project / "utfall_per_ar.csv"
    summed.to_csv(path, sep=";", index=False, decimal=",")
    return path


def test_uppfoljning_and_budget_avvikelse_mark_a_year_the_transactions_cover_in_part(run, project: Path) -> None:
    note = "Perioden är ofullständig: uppgifterna sträcker sig till och med 2018-10-28."  # the last transaction
    for args in (["uppfoljning", "2018"], ["budget-avvikelse", "2018"], ["budget-avvikelse", "2018", "--till",
                                                                          "2018-12-31"]):
        result = run(*args)
        assert result.exit_code == 0, result.stderr
        assert result.stdout.count(note) == 2, args  # the callout, and among the notes
    for args in (["budget-avvikelse", "2018", "--till", "2018-10-28"], ["budget-avvikelse", "2018", "--halvar"],
                 ["budget-avvikelse", "2017"]):
        result = run(*args)
        assert result.exit_code == 0, result.stderr
        assert "ofullständig" not in result.stdout, args


def test_an_export_of_a_year_outside_the_participant_data_skips_their_reports(run, project: Path) -> None:
    result = run("export", "2019", "--format", "md", "--till", project / "ut")
    assert result.exit_code == 0, result.stderr
    lines = [line.split(" ", 1)[1] for line in result.stderr.splitlines()]
    assert f"skipped maluppfyllelse: no participant data for 2019: {COVERS}" in lines
    assert f"skipped uppfoljning: no participant data for 2019: {COVERS}" in lines
    assert sorted(p.name for p in (project / "ut" / "2019").iterdir()) == ["manifest.json", "medlemsavgifter_2019.md"]
