"""Terminal output: plain when piped, rich tables on a terminal; no colour under NO_COLOR."""

from __future__ import annotations

from typing import TextIO

from rich import box
from rich.console import Console
from rich.table import Table

from ..errors import shown
from ..inputs.check import FileCheck
from .numbers import format_number


def console(stream: TextIO) -> Console:
    """Rich draws tables with escape sequences of its own, so the CLI gives it the stream under finsam's
    filter (cli/streams.py); what it prints is passed through `shown` here instead."""
    return Console(file=stream, highlight=False, soft_wrap=True, markup=False, emoji=False)


def print_checks(checks: list[FileCheck], listed: int, stream: TextIO) -> None:
    out = console(stream)
    for check in checks:
        kind = str(check.kind) if check.kind else "unknown kind"
        if check.sheet is not None:
            kind += f", sheet {check.sheet!r}"
        name = shown(check.path.name)
        if check.ok:
            out.print(f"OK  {name} ({shown(kind)}): {format_number(check.rows)} row{'s' if check.rows != 1 else ''}")
        elif check.message:
            out.print(f"ERROR  {shown(check.message)}")
        else:
            out.print(f"ERROR  {name} ({shown(kind)}): {format_number(check.total)} "
                      f"problem{'s' if check.total != 1 else ''}")
            table = Table(box=box.SIMPLE, show_edge=False, pad_edge=False)
            for label in ("Row", "Column", "Value", "Problem"):
                table.add_column(label, overflow="fold")
            for p in check.problems[:listed]:
                table.add_row("" if p.row is None else str(p.row), shown(p.column or ""), shown(p.value or ""),
                              shown(p.message))
            out.print(table)
            if check.total > listed:
                out.print(f"… and {format_number(check.total - listed)} more problems")
        for warning in check.warnings:
            out.print(f"warning: {shown(warning)}")
