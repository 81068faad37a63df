"""`finsam validera`: check input files against the data contract."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ...reports.registry import REPORTS
from ..options import ConfigOpt, DebugOpt

LISTED = 50


# The input kinds the reports of the registry read, in its order, and the accounts as an SIE4 export.
Typ = StrEnum("Typ", {**{kind: kind for report in REPORTS  # type: ignore[misc]
                         for kind in (*report.required, *report.optional)}, "sie": "sie"})


def validera(
    files: Annotated[list[Path], typer.Argument(help="Files to check (CSV, xlsx, or an SIE4 export).",
                                                show_default=False, metavar="FILE", readable=False)],
    typ: Annotated[Typ | None, typer.Option(
        "--typ", help="The kind of file; guessed from the content if left out (an SIE file by its records).",
        show_default=False)] = None,
    config: ConfigOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Check files against the data contract: print OK with row counts, or every problem (exit 1)."""
    from ...inputs.check import SIE, check_file
    from ...inputs.schema import FileKind
    from ...inputs.session import open_session
    from ...render.terminal import print_checks
    from ..streams import unfiltered

    session = open_session(config)
    kind = (SIE if typ.value == SIE else FileKind(typ.value)) if typ else None
    checks = [check_file(path, kind, session.options) for path in files]
    print_checks(checks, LISTED, unfiltered(sys.stdout))
    if not all(c.ok for c in checks):
        raise typer.Exit(1)
