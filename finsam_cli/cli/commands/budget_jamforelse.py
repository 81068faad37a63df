"""`finsam budget-jamforelse ÅR`: this year's budget against another year's."""

from __future__ import annotations

from typing import Annotated

import typer

from ..options import BudgetOpt, ConfigOpt, DebugOpt, FormatOpt, MallarOpt, OutputOpt, TkrOpt


def budget_jamforelse(
    ar: Annotated[int, typer.Argument(help="The budget year, e.g. 2019.", metavar="ÅR", min=1900, max=2100,
                                      show_default=False)],
    mot: Annotated[int | None, typer.Option(
        "--mot", help="The year to compare with (default: the year before ÅR).", metavar="ÅR2", min=1900,
        max=2100, show_default=False)] = None,
    budget: BudgetOpt = None,
    tkr: TkrOpt = False,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    mallar: MallarOpt = None,
    config: ConfigOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Compare the budget of ÅR with that of ÅR2, line by line, with renamed lines mapped."""
    from ...inputs.schema import FileKind
    from ...inputs.session import open_session
    from ...reports.registry import BUDGET_JAMFORELSE, BudgetJamforelseParams
    from ._report import finish

    session = open_session(config, {FileKind.BUDGET: budget})
    finish(BUDGET_JAMFORELSE, BudgetJamforelseParams(ar, against=mot, tkr=tkr), session, fmt, output, mallar)
