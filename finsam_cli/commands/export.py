"""Placeholder until the command is built."""

import typer


def export() -> None:
    """Not built yet."""
    raise typer.Exit(2)
