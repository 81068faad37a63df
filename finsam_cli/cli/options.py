"""Options shared by several commands, written once."""

from __future__ import annotations

from dataclasses import fields
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from typer import _click as click  # typer vendors click since 0.29

from ..publish.formats import FORMATS
from ..reports.parameters import cli_parameter
from ..reports.registry import REPORTS

DEBUG_KEY = "finsam.debug"

# The flag that sets each parameter the library names in its messages (errors.ParameterError): the reports'
# parameters declare theirs (reports/parameters.py); `kind` is validera's --typ.
FLAGS = {"kind": "--typ", **{field.name: f"--{spec.option}" for report in REPORTS for field in fields(report.params)
                             if (spec := cli_parameter(field)) is not None and spec.option is not None}}

# The option that names a file of each input kind, overriding data.<kind> in the config: (flag, help).
INPUT_OPTIONS = {
    "deltagare": ("--deltagare", "Participant export, CSV or xlsx (overrides the config)."),
    "anonyma": ("--anonyma", "Anonymous participant counts: Insats;År;Kvinnor;Män."),
    "enkat": ("--svar", "Survey answers, CSV or xlsx: Enkät;Datum (or År);Insats;Kön; one column per question "
                        "(default: data.enkat in the config)."),
    "budget": ("--budget", "Budget file: År;Post;Grupp;Belopp[;Period]."),
    "utfall": ("--utfall", "Outcome: aggregated (År;Post;Belopp) or transactions (Datum;Post;Belopp)."),
    "finansiering": ("--finansiering", "External financing such as ESF: År;Post;Källa;Belopp."),
    "forklaringar": ("--forklaringar", "Explanations of deviations: År;Post;Förklaring."),
    "befolkning": ("--befolkning", "Population per municipality: Kommun;Datum;Invånare."),
    "prognos": ("--prognos", "The economist's full-year forecast per line (År;Post;Prognos); overrides the linear "
                             "forecast of --halvar (default: data.prognos in the config)."),
}
INPUT_FLAGS = {kind: flag for kind, (flag, _) in INPUT_OPTIONS.items()}


def input_option(kind: str) -> typer.models.OptionInfo:
    """The option naming a file of this kind; finsam checks and words a missing or unreadable file (exit 1)."""
    flag, help_text = INPUT_OPTIONS[kind]
    return typer.Option(flag, help=help_text, show_default=False, readable=False)


def _set_debug(ctx: click.Context, value: bool) -> bool:
    if value:
        ctx.meta[DEBUG_KEY] = True
    return value


def debug_on() -> bool:
    """Whether --debug was given, before the subcommand (`finsam --debug export`) or after it."""
    from typer._click.globals import get_current_context

    ctx = get_current_context(silent=True)
    return ctx is not None and bool(ctx.meta.get(DEBUG_KEY))


OutputFormat = StrEnum("OutputFormat", {f: f for f in FORMATS})  # type: ignore[misc]


ConfigOpt = Annotated[Path | None, typer.Option(
    "--config", help="finsam.toml to use (default: $FINSAM_CONFIG, then ./finsam.toml).",
    show_default=False, readable=False)]  # finsam checks and words it (exit 1), not click (exit 2)
DeltagareOpt = Annotated[Path | None, input_option("deltagare")]
AnonymaOpt = Annotated[Path | None, input_option("anonyma")]
BudgetOpt = Annotated[Path | None, input_option("budget")]
UtfallOpt = Annotated[Path | None, input_option("utfall")]
FinansieringOpt = Annotated[Path | None, input_option("finansiering")]
ForklaringarOpt = Annotated[Path | None, input_option("forklaringar")]
BefolkningOpt = Annotated[Path | None, input_option("befolkning")]
FormatOpt = Annotated[OutputFormat | None, typer.Option(
    "--format", help="md, xlsx or docx (default: from the -o suffix, else md).", show_default=False)]
OutputOpt = Annotated[Path | None, typer.Option(
    "-o", "--output", help="Write the report to this file (default: Markdown to stdout).",
    show_default=False, dir_okay=False)]
MallarOpt = Annotated[Path | None, typer.Option(
    "--mallar", help="Folder with your own copies of the report templates (overrides the config).",
    show_default=False, file_okay=False)]
TkrOpt = Annotated[bool, typer.Option("--tkr", help="Amounts in thousands of kronor (tkr) instead of kronor.")]
SkyddaOpt = Annotated[int | None, typer.Option(
    "--skydda", help="Hide counts of 1 to N−1 persons as '..' (small-count protection).",
    metavar="N", show_default=False, min=0)]
DebugOpt = Annotated[bool, typer.Option(
    "--debug", help="Show the full traceback when something fails.", callback=_set_debug, is_eager=True)]
