"""`finsam medlemsavgifter ÅR`: split the members' fee between the members."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from ..options import BefolkningOpt, ConfigOpt, DebugOpt, FormatOpt, MallarOpt, OutputOpt, TkrOpt


class Avrundning(StrEnum):
    krona = "1"
    tusental = "1000"


def medlemsavgifter(
    ar: Annotated[int, typer.Argument(help="The year the fee is for, e.g. 2019.", metavar="ÅR", min=1900,
                                      max=2100, show_default=False)],
    total: Annotated[int | None, typer.Option(
        "--total", help="The total fee in kronor (default: medlemsavgifter.total for ÅR in the config).",
        metavar="BELOPP", min=1, show_default=False)] = None,
    befolkning: BefolkningOpt = None,
    avrundning: Annotated[Avrundning, typer.Option(
        "--avrundning", help="Round each part to whole kronor (1) or thousands (1000); the parts always add "
                             "up to the total.")] = Avrundning.tusental,
    tkr: TkrOpt = False,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    mallar: MallarOpt = None,
    config: ConfigOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Split the fee: FK and AF 50 %, the region 25 %, the municipalities 25 % by population on 1 Nov ÅR−1."""
    from ...inputs.schema import FileKind
    from ...inputs.session import open_session
    from ...reports.registry import MEDLEMSAVGIFTER, MedlemsavgifterParams
    from ._report import finish

    session = open_session(config, {FileKind.BEFOLKNING: befolkning})
    params = MedlemsavgifterParams(ar, total=total, rounding=int(avrundning.value), tkr=tkr)
    finish(MEDLEMSAVGIFTER, params, session, fmt, output, mallar)
