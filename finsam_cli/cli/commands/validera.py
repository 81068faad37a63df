"""`finsam validera`: check input files against the data contract."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ...reports.registry import REPORTS
from ..options import FLAGS, ConfigOpt, DebugOpt

LISTED = 50


# The input kinds the reports of the registry read, in its order.
Typ = StrEnum("Typ", {kind: kind for report in REPORTS for kind in (*report.required, *report.optional)})  # type: ignore[misc]


def validera(
    files: Annotated[list[Path], typer.Argument(help="Files to check (CSV or xlsx).", show_default=False,
                                                metavar="FILE", readable=False)],
    typ: Annotated[Typ | None, typer.Option("--typ", help="The kind of file; guessed from the headers if left out.",
                                            show_default=False)] = None,
    config: ConfigOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Check files against the data contract: print OK with row counts, or every problem (exit 1)."""
    from ...inputs.check import check_file
    from ...inputs.schema import FileKind
    from ...inputs.session import open_session
    from ...render.terminal import print_checks

    session = open_session(config)
    kind = FileKind(typ.value) if typ else None
    from ...errors import word_parameters

    checks = [check_file(path, kind, session.options) for path in files]
    for check in checks:
        if check.message is not None:
            check.message = word_parameters(check.message, FLAGS)
    print_checks(checks, LISTED)
    if not all(c.ok for c in checks):
        raise typer.Exit(1)
