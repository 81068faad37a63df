"""A report's command is made from its registry entry: no command module, no edit of the app."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import typer
from typer import _click as click
from typer.testing import CliRunner

from finsam_cli.cli import report_command as rc
from finsam_cli.cli.coercion import quick_value
from finsam_cli.cli.help import PlainCommand
from finsam_cli.cli.options import FLAGS
from finsam_cli.config import parse_config
from finsam_cli.reports.contract import ReportType
from finsam_cli.reports.deltagare.entry import MALUPPFYLLELSE, MaluppfyllelseParams
from finsam_cli.reports.parameters import option, year_argument

from .conftest import ROOT


@dataclass(frozen=True)
class NewParams:
    year: int = field(metadata=year_argument("The year, e.g. 2017."))
    halvar: bool = field(default=False, metadata=option("halvar", "Only January–June."))
    insatser: tuple[str, ...] = field(default=(), metadata=option("insats", "An insats; repeat.",
                                                                  metavar="SLUG_OR_NAME"))
    till: date | None = field(default=None, metadata=option("till", "Up to this date.", metavar="DATUM"))
    rounding: int = field(default=1000, metadata=option("avrundning", "1 or 1000.", choices=("1", "1000"),
                                                        show_default=True))
    unset: str = "not on the command line"


NEW = ReportType(
    name="ny", command="ny", audience="a tester", summary="a report added by a registry entry only",
    help="A new report.\n\nMore about it.", required=("budget",), optional=("forklaringar",), params=NewParams,
    _build="nowhere:nothing", requirements=lambda *_: [], jobs=lambda *_: ([], []), sets_minimum=True)


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> tuple[typer.Typer, list[dict[str, Any]]]:
    """An app with the new report's command; `finish` records what the command hands the pipeline."""
    calls: list[dict[str, Any]] = []

    def finish(kind: ReportType, params: Any, session: Any, fmt: Any, output: Any, templates: Any,
               minimum: Any = None) -> None:
        calls.append({"kind": kind, "params": params, "paths": dict(session.paths), "fmt": fmt, "output": output,
                      "minimum": minimum})

    monkeypatch.setattr("finsam_cli.cli.commands._report.finish", finish)
    app = typer.Typer()
    app.command("ny", cls=PlainCommand)(rc.report_command(NEW))
    app.command("other", cls=PlainCommand)(lambda: None)  # a group, so the command is `ny`
    return app, calls


def test_the_fields_and_input_kinds_make_the_options(built: tuple[typer.Typer, list[dict[str, Any]]],
                                                    tmp_path: Path) -> None:
    app, calls = built
    (tmp_path / "finsam.toml").write_text('[forbund]\nnamn = "Test"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["ny", "2017", "--halvar", "--insats", "a", "--insats", "b", "--till",
                                      "2017-03-31", "--avrundning", "1", "--budget", "b.csv", "--skydda", "3",
                                      "--format", "xlsx", "-o", "out.xlsx"])
    assert result.exit_code == 0, result.output
    [call] = calls
    assert call["kind"] is NEW
    assert call["params"] == NewParams(2017, True, ("a", "b"), date(2017, 3, 31), 1)
    assert {kind.value: path for kind, path in call["paths"].items()} == {"budget": Path("b.csv")}
    assert (call["fmt"], call["output"], call["minimum"]) == ("xlsx", Path("out.xlsx"), 3)


def test_the_defaults_are_the_fields(built: tuple[typer.Typer, list[dict[str, Any]]], tmp_path: Path) -> None:
    app, calls = built
    (tmp_path / "finsam.toml").write_text('[forbund]\nnamn = "Test"\n', encoding="utf-8")
    assert CliRunner().invoke(app, ["ny", "2018"]).exit_code == 0
    assert calls[0]["params"] == NewParams(2018)
    assert calls[0]["minimum"] is None


def test_the_help_shows_the_declared_options(built: tuple[typer.Typer, list[dict[str, Any]]]) -> None:
    app, _ = built
    text = CliRunner().invoke(app, ["ny", "--help"]).stdout
    assert "Usage: root ny [OPTIONS] ÅR" in text and "More about it." in text
    for expected in ("--halvar", "--insats", "SLUG_OR_NAME", "--till", "DATUM", "--avrundning", "1|1000",
                     "[default: 1000]", "--budget", "--forklaringar", "--skydda", "--format", "--output",
                     "--mallar", "--config", "--debug"):
        assert expected in text, expected
    assert "--unset" not in text and "--befolkning" not in text
    # the options in one order: the report's own, its input files, --skydda, then the shared ones
    order = [text.index(flag) for flag in ("--halvar", "--avrundning", "--budget", "--forklaringar", "--skydda",
                                           "--format", "--config", "--debug")]
    assert order == sorted(order)


def test_a_bad_value_is_a_usage_error_worded_by_typer(built: tuple[typer.Typer, list[dict[str, Any]]]) -> None:
    app, calls = built
    result = CliRunner().invoke(app, ["ny", "17"])
    assert result.exit_code == 2
    assert "Invalid value for 'ÅR': Input should be greater than or equal to 1900" in result.output
    result = CliRunner().invoke(app, ["ny", "2017", "--avrundning", "10"])
    assert result.exit_code == 2 and "--avrundning" in result.output
    assert calls == []


def test_the_library_names_its_parameters_as_the_declared_flags() -> None:
    assert FLAGS["insatser"] == "--insats" and FLAGS["half_year"] == "--halvar" and FLAGS["against"] == "--mot"
    assert FLAGS["rounding"] == "--avrundning" and FLAGS["kind"] == "--typ"


@pytest.mark.parametrize(("value", "expected"), [
    (None, None), ("2017", 2017), ("1900", 1900), ("2100", 2100)])
def test_a_plain_year_needs_no_adapter(value: str | None, expected: int | None) -> None:
    from typer.main import get_command

    from finsam_cli.cli.app import app

    command = get_command(app).commands["budget-jamforelse"]  # type: ignore[attr-defined]
    year = next(p for p in command.params if p.name == "year")
    assert quick_value(year, value) == expected


def test_a_year_out_of_range_is_left_to_typer() -> None:
    from typer.main import get_command

    from finsam_cli.cli.app import app

    command = get_command(app).commands["budget-jamforelse"]  # type: ignore[attr-defined]
    year = next(p for p in command.params if p.name == "year")
    for value in ("1899", "2101", "-5", "20x7", "２０１７"):
        assert quick_value(year, value) is not None and not isinstance(quick_value(year, value), int), value


def test_a_path_needs_no_adapter_and_keeps_typers_checks(tmp_path: Path) -> None:
    from typer.main import get_command

    from finsam_cli.cli.app import app

    command = get_command(app).commands["maluppfyllelse"]  # type: ignore[attr-defined]
    by_name = {p.name: p for p in command.params}
    given = tmp_path / "deltagare.csv"
    assert quick_value(by_name["input_deltagare"], str(given)) == given
    assert quick_value(by_name["output"], None) is None
    with pytest.raises(click.exceptions.BadParameter, match="is a directory"):
        quick_value(by_name["output"], str(tmp_path))  # -o takes no folder, as typer's adapter says
    result = CliRunner().invoke(app, ["maluppfyllelse", "2017", "-o", str(tmp_path)])
    assert result.exit_code == 2 and "is a directory" in result.output


def test_maluppfyllelse_reads_the_survey_answers_only_for_survey_goals() -> None:
    config = parse_config(ROOT / "finsam.toml")
    assert "enkat" not in MALUPPFYLLELSE.kinds(MaluppfyllelseParams(2017, insatser=("ung-i-tyreso",)), config)
    assert "enkat" in MALUPPFYLLELSE.kinds(MaluppfyllelseParams(2017, insatser=("Ungdomsteamet i Haninge",)),
                                           config)
    assert "enkat" in MALUPPFYLLELSE.kinds(MaluppfyllelseParams(2017), config)  # every insats: some have them
    assert "enkat" not in MALUPPFYLLELSE.kinds(MaluppfyllelseParams(2016), config)


def test_a_parameter_name_means_one_flag_in_every_report() -> None:
    """Messages name parameters ({param:NAME}); each name must be worded as one flag whichever report raised it."""
    from dataclasses import fields

    from finsam_cli.reports.parameters import cli_parameter
    from finsam_cli.reports.registry import REPORTS

    flags: dict[str, set[str]] = {}
    for report in REPORTS:
        for f in fields(report.params):
            spec = cli_parameter(f)
            if spec is not None and spec.option is not None:
                flags.setdefault(f.name, set()).add(spec.option)
    assert {name: names for name, names in flags.items() if len(names) > 1} == {}
