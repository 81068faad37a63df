"""The report registry is the one list of reports: the CLI, the export and the README follow it."""

from __future__ import annotations

import pytest

from finsam_cli.cli.app import app
from finsam_cli.inputs.schema import FileKind
from finsam_cli.reports.command_table import BEGIN, END, command_table, with_table
from finsam_cli.reports.registry import HALF_YEAR_REPORTS, REPORTS, _entry

from .conftest import ROOT


def test_the_readme_command_table_is_the_registrys() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme == with_table(readme), (
        f"The README's command table is stale: run `make readme`, or paste between the markers:\n{command_table()}")


def test_the_command_table_has_a_row_per_report_in_the_registrys_order() -> None:
    lines = command_table().splitlines()[2:]
    assert lines[:len(REPORTS)] == [f"| `finsam {r.command}` | {r.audience} | {r.summary} |" for r in REPORTS]
    assert [line.split("`")[1] for line in lines[len(REPORTS):]] == ["finsam export", "finsam validera", "finsam init"]


def test_a_readme_without_the_markers_is_refused() -> None:
    with pytest.raises(ValueError, match="markers"):
        with_table("| Command | For | What it makes |\n")


def test_regeneration_replaces_only_the_block() -> None:
    stale = f"before\n{BEGIN}\n| old |\n{END}\nafter\n"
    assert with_table(stale) == f"before\n{BEGIN}\n{command_table()}\n{END}\nafter\n"


def test_the_cli_registers_each_reports_command_from_the_registry() -> None:
    registered = {c.name: c.callback for c in app.registered_commands}
    for report in REPORTS:
        assert registered[report.command].__doc__ == report.help, report.command


def test_every_report_is_a_command_with_a_template_and_known_inputs() -> None:
    commands = {c.name for c in app.registered_commands}
    kinds = {k.value for k in FileKind}
    for report in REPORTS:
        assert report.command in commands
        assert (ROOT / "templates" / f"{report.name}.md.j2").is_file()
        assert set(report.required) | set(report.optional) <= kinds, report.command
        assert report.params.__dataclass_params__.frozen  # type: ignore[attr-defined]


def test_the_registry_lists_each_reports_entry_once_in_its_order() -> None:
    assert [r.command for r in REPORTS] == ["maluppfyllelse", "malgrupp", "budget-avvikelse", "budget-jamforelse",
                                             "medlemsavgifter", "enkat", "uppfoljning", "bokslut", "arsredovisning"]
    assert len({r.name for r in REPORTS}) == len(REPORTS)


def test_the_half_year_set_is_declared_by_the_entries() -> None:
    # comparison, fees, uppfoljning and bokslut are yearly: they belong to the full-year export only
    assert {"maluppfyllelse", "budget-avvikelse", "enkat", "arsredovisning"} == HALF_YEAR_REPORTS
    assert {r.command for r in REPORTS if r.half_year} == HALF_YEAR_REPORTS


def test_an_entry_that_is_not_a_report_type_is_refused() -> None:
    with pytest.raises(TypeError, match="not a ReportType"):
        _entry("deltagare.entry:SAMMANSTALLNING")
