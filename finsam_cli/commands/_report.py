"""What every report command does after computing: warnings to stderr, report out."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from ..reports.model import Report
    from ..session import Session


def finish(report: Report, session: Session, fmt: str | None, output: Path | None,
           templates: Path | None) -> None:
    from ..render.emit import emit

    for warning in session.warnings():
        typer.echo(f"warning: {warning}", err=True)
    text = emit(report, fmt, output, templates or session.config.mallar)
    if text is None:
        typer.echo(f"Wrote {output}", err=True)
    else:
        typer.echo(text, nl=False)
