"""`finsam validera`: check input files against the data contract."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ...reports.registry import REPORTS

if TYPE_CHECKING:
    from ...inputs.check import FileCheck
from ..options import ConfigOpt, DebugOpt

LISTED = 50


PROGNOS = "prognos"  # the forecast file (data.prognos, --prognos): read by budget-avvikelse, not a FileKind
# The input kinds the reports of the registry read, in its order, the forecast, and the accounts as an SIE4 export.
Typ = StrEnum("Typ", {**{kind: kind for report in REPORTS  # type: ignore[misc]
                         for kind in (*report.required, *report.optional, PROGNOS)}, "sie": "sie"})


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
    kind = (SIE if typ.value == SIE else FileKind(typ.value)) if typ and typ.value != PROGNOS else None
    checks = [check_prognos(path) if (typ is not None and typ.value == PROGNOS) or (typ is None and _is_prognos(path))
              else check_file(path, kind, session.options) for path in files]
    print_checks(checks, LISTED, unfiltered(sys.stdout))
    if not all(c.ok for c in checks):
        raise typer.Exit(1)


def _is_prognos(path: Path) -> bool:
    """A forecast file: År;Post;Prognos, with a Prognos column and neither Belopp nor Grupp (a budget)."""
    from ...errors import DataError
    from ...inputs.readers import read_raw
    from ...inputs.schema import fold
    from ...reports.ekonomi.budget_data import PROGNOS_HEADERS

    forecast = {fold(h) for h in PROGNOS_HEADERS["prognos"]} - {fold("Belopp")}
    try:
        raw = read_raw(path, lambda cells: sum(fold(c) in forecast for c in cells))
    except DataError:
        return False
    headers = {fold(str(h)) for h in raw.frame.columns}
    return bool(headers & forecast) and not headers & {fold("Belopp"), fold("Grupp")}


def check_prognos(path: Path) -> FileCheck:
    from ...errors import DataError
    from ...inputs.check import FileCheck, failed
    from ...reports.ekonomi.budget_data import load_prognos

    try:
        frame, _source = load_prognos(path)
    except DataError as exc:
        return failed(path, PROGNOS, exc)
    return FileCheck(path, PROGNOS, rows=len(frame))
