"""Each report's command, built from its registry entry: no report writes a command module.

The command's argument and options are the report's parameters (each field's metadata, see
reports/parameters.py), an option per input file kind it reads (options.INPUT_OPTIONS), and the
options every report command shares. Only typer and the registry (the reports' light entry modules)
load here; the report's code loads when the command runs, so `finsam --help` stays fast.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import MISSING, Field, fields
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, get_type_hints

import typer

from ..collection import loading_for_good
from ..reports.contract import ReportType
from ..reports.parameters import CliParameter, cli_parameter
from .options import (
    ConfigOpt,
    DebugOpt,
    FormatOpt,
    MallarOpt,
    OutputOpt,
    SkyddaOpt,
    input_option,
)

INPUT_PREFIX = "input_"  # the command function's parameter for the file of kind K is input_K
# The options every report command ends with, in this order: (name, annotation, default).
SHARED: tuple[tuple[str, Any, Any], ...] = (
    ("fmt", FormatOpt, None), ("output", OutputOpt, None), ("mallar", MallarOpt, None),
    ("config", ConfigOpt, None), ("debug", DebugOpt, False))


def _same(value: Any) -> Any:
    return value


def _choices(name: str, choices: tuple[str, ...]) -> Any:
    """An enum of the words, so typer shows them as <1|1000> and refuses others."""
    return StrEnum(f"{name}_choices", {choice: choice for choice in choices})


class _Parameter:
    """One report field on the command line: its typer parameter, and how the parsed value becomes the field's."""

    def __init__(self, field: Field[Any], kind: Any, spec: CliParameter) -> None:
        self.name = field.name
        default = None if field.default is MISSING else field.default
        required = field.default is MISSING and field.default_factory is MISSING
        self.convert: Callable[[Any], Any] = _same
        settings: dict[str, Any] = {"help": spec.help, "metavar": spec.metavar, "min": spec.min, "max": spec.max}
        if kind is not bool:  # a flag shows no default
            settings["show_default"] = spec.show_default
        cli_type = kind
        if spec.choices:  # an int given as one of a few words
            cli_type = _choices(field.name, spec.choices)
            default = cli_type(str(default))
            self.convert = lambda value: int(value.value)
        elif kind == tuple[str, ...]:  # a repeatable option
            cli_type, default = list[str] | None, None
            self.convert = lambda value: tuple(value or ())
        elif kind == date | None:
            cli_type, settings["formats"] = datetime | None, ["%Y-%m-%d"]
            self.convert = lambda value: value.date() if value is not None else None
        elif kind == Path | None:
            settings["readable"] = False  # finsam checks and words the file (exit 1)
        info = typer.Argument(**settings) if spec.option is None else typer.Option(f"--{spec.option}", **settings)
        self.parameter = inspect.Parameter(
            self.name, inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[cli_type, info],
            default=inspect.Parameter.empty if required else default)


def report_command(report: ReportType) -> Callable[..., None]:
    """The typer command function of the report, its signature made from the registry entry."""
    hints = get_type_hints(report.params)
    own = [_Parameter(field, hints[field.name], spec) for field in fields(report.params)
           if (spec := cli_parameter(field)) is not None]
    kinds = (*report.required, *report.optional)
    signature = [p.parameter for p in own]
    signature += [inspect.Parameter(f"{INPUT_PREFIX}{kind}", inspect.Parameter.KEYWORD_ONLY, default=None,
                                    annotation=Annotated[Path | None, input_option(kind)]) for kind in kinds]
    if report.sets_minimum:
        signature.append(inspect.Parameter("skydda", inspect.Parameter.KEYWORD_ONLY, default=None,
                                           annotation=SkyddaOpt))
    signature += [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)
                  for name, annotation, default in SHARED]

    def command(**given: Any) -> None:
        with loading_for_good("finsam_cli.inputs.session"):
            from ..inputs.schema import FileKind
            from ..inputs.session import open_session
            from .commands._report import finish

        params = report.params(**{p.name: p.convert(given[p.name]) for p in own})  # may refuse a combination
        session = open_session(given["config"], {FileKind(kind): given[f"{INPUT_PREFIX}{kind}"] for kind in kinds})
        finish(report, params, session, given["fmt"], given["output"], given["mallar"], given.get("skydda"))

    command.__name__ = report.name
    command.__doc__ = report.help
    command.__signature__ = inspect.Signature(signature)  # type: ignore[attr-defined]
    return command
