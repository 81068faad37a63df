"""Placeholder until the command is built."""

import typer


def maluppfyllelse() -> None:
    """Not built yet."""
    raise typer.Exit(2)
