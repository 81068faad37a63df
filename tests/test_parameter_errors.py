"""The library names parameters and values; only the CLI words them as its flags."""

from __future__ import annotations

import ast
import re
from datetime import date

import pytest

from finsam_cli.errors import ParameterError, UsageError, word_parameters
from finsam_cli.reports.deltagare.insatser import select
from finsam_cli.reports.ekonomi.budget_data import Period
from finsam_cli.reports.ekonomi.medlemsavgifter import split_fee

from .conftest import ROOT

FLAG = re.compile(r"(?<![\w-])--[a-z]")


def test_the_library_names_the_parameter_not_the_flag() -> None:
    with pytest.raises(ParameterError) as caught:
        Period.until(2018, date(2019, 1, 1))
    assert str(caught.value) == "till 2019-01-01 is not in 2018: the cut-off must be a date in the year asked for"
    assert caught.value.worded({"till": "--till"}).startswith("--till 2019-01-01 is not in 2018")
    assert isinstance(caught.value, UsageError) and caught.value.exit_code == 2


def test_an_unknown_insats_names_the_insatser_parameter() -> None:
    with pytest.raises(ParameterError, match=r"^insatser 'x': no such insats"):
        select([], ["x"])


def test_every_parameter_in_a_message_is_worded() -> None:
    with pytest.raises(ParameterError) as caught:
        split_fee(16_416_500, 1000, {"A": 1}, None)  # type: ignore[arg-type]
    assert str(caught.value) == ("total 16\u00a0416\u00a0500: not a whole number of thousands; round the total "
                                 "or use rounding 1")
    assert word_parameters(caught.value.template, {"total": "--total", "rounding": "--avrundning"}).endswith(
        "or use --avrundning 1")


def test_the_cli_words_the_flag(run) -> None:
    result = run("budget-avvikelse", "2017", "--halvar", "--till", "2017-03-31")
    assert result.exit_code == 2
    assert result.stderr == ("Usage error: --halvar and --till cannot be combined: the half-year report ends on "
                             "30 June\n")


def test_no_message_below_the_cli_names_a_flag() -> None:
    """String literals in inputs/ and reports/ (docstrings aside) never spell a command-line flag."""
    offenders = []
    for path in sorted((ROOT / "finsam_cli").glob("**/*.py")):
        part = path.relative_to(ROOT / "finsam_cli").parts[0]
        if part not in ("inputs", "reports"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef) and node.body
                      and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
        offenders += [f"{path.name}:{node.lineno}" for node in ast.walk(tree)
                      if isinstance(node, ast.Constant) and isinstance(node.value, str)
                      and id(node) not in docstrings and FLAG.search(node.value)]
    assert offenders == []
