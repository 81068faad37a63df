"""`finsam bokslut ÅR`: Resultaträkning, Balansräkning, Kassaflödesanalys and Noter from the accounts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..options import ConfigOpt, DebugOpt, FormatOpt, MallarOpt, OutputOpt

SieOpt = Annotated[Path | None, typer.Option(
    "--sie", help="The accounts: an SIE4 export, or a saldolista CSV/xlsx (År;Konto;Kontonamn;Ingående balans;"
                  "Utgående balans;Resultat), told apart by content (overrides data.sie).",
    show_default=False, readable=False)]


def bokslut(
    ar: Annotated[int, typer.Argument(help="The fiscal year, e.g. 2017; the year before is shown beside it.",
                                      metavar="ÅR", min=1900, max=2100, show_default=False)],
    sie: SieOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    mallar: MallarOpt = None,
    config: ConfigOpt = None,
    debug: DebugOpt = False,
) -> None:
    """The financial statements of ÅR beside ÅR−1, checked against each other before anything is written."""
    from ...inputs.session import open_session
    from ...reports.registry import BOKSLUT, BokslutParams
    from ._report import finish

    finish(BOKSLUT, BokslutParams(ar, sie), open_session(config), fmt, output, mallar)
