"""`finsam budget-avvikelse ÅR`: outcome against budget per line, with explanations."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from ..options import (
    BudgetOpt,
    ConfigOpt,
    DebugOpt,
    FinansieringOpt,
    ForklaringarOpt,
    FormatOpt,
    MallarOpt,
    OutputOpt,
    TkrOpt,
    UtfallOpt,
)


def budget_avvikelse(
    ar: Annotated[int, typer.Argument(help="The financial year, e.g. 2017.", metavar="ÅR", min=1900, max=2100,
                                      show_default=False)],
    halvar: Annotated[bool, typer.Option(
        "--halvar", help="Half-year closing: outcome January–June against the half-year budget, "
                         "with a full-year forecast.")] = False,
    till: Annotated[datetime | None, typer.Option(
        "--till", help="Interim closing: outcome from 1 January up to and including this date.",
        formats=["%Y-%m-%d"], metavar="DATUM", show_default=False)] = None,
    budget: BudgetOpt = None,
    utfall: UtfallOpt = None,
    finansiering: FinansieringOpt = None,
    forklaringar: ForklaringarOpt = None,
    prognos: Annotated[Path | None, typer.Option(
        "--prognos", help="The economist's full-year forecast per line (År;Post;Prognos); overrides the "
                          "linear forecast of --halvar (default: data.prognos in the config).",
        show_default=False)] = None,
    tkr: TkrOpt = False,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    mallar: MallarOpt = None,
    config: ConfigOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Budget versus outcome per line: groups, totals, result, gross and net, explanations."""
    from ...inputs.schema import FileKind
    from ...inputs.session import open_session
    from ...reports.registry import BUDGET_AVVIKELSE, BudgetAvvikelseParams
    from ._report import finish

    session = open_session(config, {FileKind.BUDGET: budget, FileKind.UTFALL: utfall,
                                    FileKind.FINANSIERING: finansiering, FileKind.FORKLARINGAR: forklaringar,
                                    FileKind.PROGNOS: prognos})
    params = BudgetAvvikelseParams(ar, halvar=halvar, till=till.date() if till else None, tkr=tkr)
    finish(BUDGET_AVVIKELSE, params, session, fmt, output, mallar)
