"""`finsam export --rapport` and `[export] rapporter`: an export of chosen reports only."""

from __future__ import annotations

import json
from pathlib import Path

from . import test_export
from .test_export import FILES_2017, export

project = test_export.project  # the fixture: a copy of the checkout's config and sample data

ISSUE_SET = "maluppfyllelse,budget-avvikelse,budget-jamforelse,medlemsavgifter"


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "manifest.json")


def test_only_the_chosen_reports_are_written_and_the_same_bytes_as_in_a_full_export(run, project: Path) -> None:
    result = export(run, project, "2017", "--rapport", ISSUE_SET)
    assert result.exit_code == 0, result.stderr
    folder = project.parent / "ut" / "2017"
    chosen = [n for n in FILES_2017 if n.startswith(("maluppfyllelse", "budget-"))]
    assert _names(folder) == chosen
    assert "skipped medlemsavgifter: no total fee for 2017 or 2018" in result.stderr
    assert "skipped bokslut" not in result.stderr  # not asked for: not a skip
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["rapporter"] == ISSUE_SET.split(",")
    alone = {n: (folder / n).read_bytes() for n in chosen}

    result = export(run, project, "2017")  # every report: another set, so nothing is "unchanged" by fingerprint
    assert result.exit_code == 0, result.stderr
    assert "nothing to do" not in result.stderr
    assert _names(folder) == FILES_2017
    assert "rapporter" not in json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["parameters"]
    assert {n: (folder / n).read_bytes() for n in chosen} == alone


def test_the_config_chooses_and_the_option_overrides_it(run, project: Path) -> None:
    config = project / "finsam.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        '[export]\n', '[export]\nrapporter = ["bokslut"]\n'), encoding="utf-8")
    assert export(run, project, "2017").exit_code == 0
    folder = project.parent / "ut" / "2017"
    assert _names(folder) == ["bokslut_2017.md", "bokslut_2017.xlsx"]
    result = export(run, project, "2017", "--rapport", "budget-jamforelse")
    assert result.exit_code == 0, result.stderr
    assert _names(folder) == ["budget-jamforelse_2017.md", "budget-jamforelse_2017.xlsx"]  # bokslut's are removed
    assert "removed 2017/bokslut_2017.md (no longer exported)" in result.stderr


def test_an_unknown_report_is_a_usage_error_naming_the_reports(run, project: Path) -> None:
    result = export(run, project, "2017", "--rapport", "maluppfyllelse,bokslutt")
    assert result.exit_code == 2
    assert "--rapport maluppfyllelse,bokslutt: unknown report 'bokslutt'; the reports are maluppfyllelse, " \
           "malgrupp, budget-avvikelse" in result.stderr
    assert not (project.parent / "ut" / "2017").exists()


def test_an_unknown_report_in_the_config_is_a_config_error(run, project: Path) -> None:
    config = project / "finsam.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        '[export]\n', '[export]\nrapporter = ["maluppfyllelse", "x"]\n'), encoding="utf-8")
    result = export(run, project, "2017")
    assert result.exit_code == 1
    assert "unknown report 'x'; the reports are maluppfyllelse" in result.stderr


def test_a_half_year_export_of_yearly_reports_only_makes_nothing(run, project: Path) -> None:
    result = export(run, project, "2017", "--halvar", "--rapport", "bokslut")
    assert result.exit_code == 1
    assert "no report can be made for 2017" in result.stderr
