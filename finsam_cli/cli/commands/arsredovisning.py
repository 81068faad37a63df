"""`finsam arsredovisning ÅR`: the annual report's numeric part as one document."""

from __future__ import annotations

from typing import Annotated

import typer

from ..options import ConfigOpt, DebugOpt, FormatOpt, MallarOpt, OutputOpt


def arsredovisning(
    ar: Annotated[int, typer.Argument(help="The year of the annual report, e.g. 2017.", metavar="ÅR", min=1900,
                                      max=2100, show_default=False)],
    halvar: Annotated[bool, typer.Option(
        "--halvar", help="The half-year report's numeric part (January–June); the yearly-only parts are left "
                         "out and listed.")] = False,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    mallar: MallarOpt = None,
    config: ConfigOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Every numeric part of the annual report in the published order; a part without data is left out and listed.

    The inputs are those of the configuration (finsam.toml): participants, survey answers, accounts, budget,
    outcome, financing and population.
    """
    from ...inputs.session import open_session
    from ...reports.registry import ARSREDOVISNING, ArsredovisningParams
    from ._report import finish

    finish(ARSREDOVISNING, ArsredovisningParams(ar, halvar), open_session(config), fmt, output, mallar)
