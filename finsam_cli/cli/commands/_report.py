"""What every report command does once its options are parsed: the pipeline, warnings to stderr, report out."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from ...inputs.session import Session
    from ...reports.registry import ReportType


def finish(kind: ReportType, params: Any, session: Session, fmt: str | None, output: Path | None,
           templates: Path | None, minimum: int | None = None) -> None:
    """Build, protect and write or print the report, after printing the inputs' warnings.

    `minimum` is --skydda N; None falls back to `[sekretess] minsta_antal` (0, off, by default).
    """
    from ...publish.pipeline import emit, produce

    report = produce(kind, params, session, minimum)
    for warning in session.warnings():
        typer.echo(f"warning: {warning}", err=True)
    for notice in session.notices:
        typer.echo(f"note: {notice}", err=True)
    text = emit(report, fmt, output, templates or session.config.mallar)
    if text is None:
        typer.echo(f"Wrote {output}", err=True)
    else:
        typer.echo(text, nl=False)
