"""Options shared by several commands, written once."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from typer import _click as click  # typer vendors click since 0.29

from ..publish.formats import FORMATS

DEBUG_KEY = "finsam.debug"

# The flag that sets each parameter the library names in its messages (errors.ParameterError).
FLAGS = {"insatser": "--insats", "till": "--till", "halvar": "--halvar", "total": "--total",
         "rounding": "--avrundning", "against": "--mot", "kind": "--typ"}
# Input file kinds whose option is not --<kind>.
INPUT_FLAGS = {"enkat": "--svar"}


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
DeltagareOpt = Annotated[Path | None, typer.Option(
    "--deltagare", help="Participant export, CSV or xlsx (overrides the config).", show_default=False, readable=False)]
AnonymaOpt = Annotated[Path | None, typer.Option(
    "--anonyma", help="Anonymous participant counts: Insats;År;Kvinnor;Män.", show_default=False, readable=False)]
BudgetOpt = Annotated[Path | None, typer.Option(
    "--budget", help="Budget file: År;Post;Grupp;Belopp[;Period].", show_default=False, readable=False)]
UtfallOpt = Annotated[Path | None, typer.Option(
    "--utfall", help="Outcome: aggregated (År;Post;Belopp) or transactions (Datum;Post;Belopp).",
    show_default=False, readable=False)]
FinansieringOpt = Annotated[Path | None, typer.Option(
    "--finansiering", help="External financing such as ESF: År;Post;Källa;Belopp.", show_default=False, readable=False)]
ForklaringarOpt = Annotated[Path | None, typer.Option(
    "--forklaringar", help="Explanations of deviations: År;Post;Förklaring.", show_default=False, readable=False)]
BefolkningOpt = Annotated[Path | None, typer.Option(
    "--befolkning", help="Population per municipality: Kommun;Datum;Invånare.", show_default=False, readable=False)]
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
