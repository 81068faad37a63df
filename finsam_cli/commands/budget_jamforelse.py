"""Placeholder until the command is built."""

import typer


def budget_jamforelse() -> None:
    """Not built yet."""
    raise typer.Exit(2)
