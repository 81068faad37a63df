"""How a report's parameters are given on the command line, declared as plain data beside each field.

A report's parameters dataclass says, in each field's metadata, whether the field is the command's
argument or an option, with its flag, help text and metavar. The CLI (cli/report_command.py) builds
the report's command from that and the shared options, so a new report writes no command module.
Nothing here imports typer: the library stays free of the command line's machinery.
"""

from __future__ import annotations

from dataclasses import Field, dataclass
from typing import Any

CLI = "finsam.cli"  # the field metadata key
FIRST_YEAR, LAST_YEAR = 1900, 2100  # the years a year argument accepts


@dataclass(frozen=True)
class CliParameter:
    help: str
    option: str | None = None  # the option's name, `mot` for --mot; None: the command's argument
    metavar: str | None = None
    min: int | None = None
    max: int | None = None
    choices: tuple[str, ...] = ()  # an int field given as one of these words, e.g. ("1", "1000")
    show_default: bool = False


def year_argument(help: str) -> dict[str, CliParameter]:
    """The field is the command's `ÅR` argument."""
    return {CLI: CliParameter(help, metavar="ÅR", min=FIRST_YEAR, max=LAST_YEAR)}


def option(name: str, help: str, *, metavar: str | None = None, min: int | None = None,
           max: int | None = None, choices: tuple[str, ...] = (), show_default: bool = False,
           ) -> dict[str, CliParameter]:
    """The field is the option --NAME. A bool field is a flag; a tuple field is a repeatable option."""
    return {CLI: CliParameter(help, name, metavar, min, max, choices, show_default)}


def cli_parameter(field: Field[Any]) -> CliParameter | None:
    """How the field is given on the command line; None for a field the command does not set."""
    found: CliParameter | None = field.metadata.get(CLI)
    return found
