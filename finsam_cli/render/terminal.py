"""Terminal output: plain when piped, rich tables on a terminal; no colour under NO_COLOR."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table

from ..inputs.check import FileCheck
from .numbers import format_number


def console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=True, markup=False, emoji=False)


def print_checks(checks: list[FileCheck], listed: int) -> None:
    out = console()
    for check in checks:
        kind = str(check.kind) if check.kind else "unknown kind"
        if check.sheet is not None:
            kind += f", sheet {check.sheet!r}"
        if check.ok:
            out.print(f"OK  {check.path.name} ({kind}): {format_number(check.rows)} rows")
        elif check.message:
            out.print(f"ERROR  {check.message}")
        else:
            out.print(f"ERROR  {check.path.name} ({kind}): {format_number(check.total)} "
                      f"problem{'s' if check.total != 1 else ''}")
            table = Table(box=box.SIMPLE, show_edge=False, pad_edge=False)
            for label in ("Row", "Column", "Value", "Problem"):
                table.add_column(label, overflow="fold")
            for p in check.problems[:listed]:
                table.add_row("" if p.row is None else str(p.row), p.column or "", p.value or "", p.message)
            out.print(table)
            if check.total > listed:
                out.print(f"… and {format_number(check.total - listed)} more problems")
        for warning in check.warnings:
            out.print(f"warning: {warning}")
