"""What every report command does once its options are parsed: the pipeline, warnings to stderr, report out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from ...inputs.session import Session
    from ...reports.contract import ReportType


def finish(kind: ReportType, params: Any, session: Session, fmt: str | None, output: Path | None,
           templates: Path | None, minimum: int | None = None) -> None:
    """Build, protect and write or print the report, after printing the inputs' warnings.

    `minimum` is --skydda N; None falls back to `[sekretess] minsta_antal` (0, off, by default).
    """
    from ...errors import UsageError, shown
    from ...publish.formats import BINARY
    from ...publish.pipeline import STDOUT, emit, produce
    from .. import streams

    if output == STDOUT and fmt in BINARY and streams.stdout_is_terminal():
        raise UsageError(f"-o -: {fmt} is binary and stdout is a terminal; redirect it (> report.{fmt}) or "
                         f"give -o REPORT.{fmt}")
    report = produce(kind, params, session, minimum)
    for warning in session.warnings():
        typer.echo(shown(f"warning: {warning}"), err=True)
    for notice in session.notices:
        typer.echo(shown(f"note: {notice}"), err=True)
    out = emit(report, fmt, output, templates or session.config.mallar)
    if out is None:
        typer.echo(shown(f"Wrote {output}"), err=True)
    elif isinstance(out, bytes):  # rendered from the redacted report: nothing left to filter
        binary = streams.unfiltered(sys.stdout).buffer
        binary.write(out)
        binary.flush()
    else:
        typer.echo(out, nl=False)
