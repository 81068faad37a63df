"""What every report command does after computing: warnings to stderr, report out."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from ...inputs.session import Session
    from ...reports.model import Report


def finish(report: Report, session: Session, fmt: str | None, output: Path | None,
           templates: Path | None, minimum: int | None = None) -> None:
    """Print warnings, apply small-count protection, and write or print the report.

    `minimum` is --skydda N; None falls back to `[sekretess] minsta_antal` (0, off, by default).
    Protection applies from 2 up: counts of 1..N−1 persons are hidden (reports/protect.py).
    """
    from ...render.emit import emit

    minimum = session.config.sekretess.minsta_antal if minimum is None else minimum
    if minimum >= 2:
        from ...disclosure.protect import protect

        report = protect(report, minimum)
    for warning in session.warnings():
        typer.echo(f"warning: {warning}", err=True)
    text = emit(report, fmt, output, templates or session.config.mallar)
    if text is None:
        typer.echo(f"Wrote {output}", err=True)
    else:
        typer.echo(text, nl=False)
