"""`finsam uppfoljning ÅR`: the figures the association registers in Uppföljning Finsam."""

from __future__ import annotations

from typing import Annotated

import typer

from ..options import (
    AnonymaOpt,
    BefolkningOpt,
    BudgetOpt,
    ConfigOpt,
    DebugOpt,
    DeltagareOpt,
    FinansieringOpt,
    FormatOpt,
    MallarOpt,
    OutputOpt,
    SkyddaOpt,
    UtfallOpt,
)


def uppfoljning(
    ar: Annotated[int, typer.Argument(help="The year to register, e.g. 2017.", metavar="ÅR", min=1900, max=2100,
                                      show_default=False)],
    deltagare: DeltagareOpt = None,
    anonyma: AnonymaOpt = None,
    budget: BudgetOpt = None,
    utfall: UtfallOpt = None,
    finansiering: FinansieringOpt = None,
    befolkning: BefolkningOpt = None,
    skydda: SkyddaOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    mallar: MallarOpt = None,
    config: ConfigOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Underlag till Uppföljning Finsam: the figures to register, in the registration's order.

    Allocated funds, equity, administrative costs, and per insats budget, outcome, budgeted participants,
    inriktning, ESF and participants (by sex for individinriktade insatser)."""
    from ...inputs.schema import FileKind
    from ...inputs.session import open_session
    from ...reports.registry import UPPFOLJNING, UppfoljningParams
    from ._report import finish

    session = open_session(config, {FileKind.DELTAGARE: deltagare, FileKind.ANONYMA: anonyma,
                                    FileKind.BUDGET: budget, FileKind.UTFALL: utfall,
                                    FileKind.FINANSIERING: finansiering, FileKind.BEFOLKNING: befolkning})
    finish(UPPFOLJNING, UppfoljningParams(ar), session, fmt, output, mallar, skydda)
