"""Placeholder until the command is built."""

import typer


def budget_avvikelse() -> None:
    """Not built yet."""
    raise typer.Exit(2)
