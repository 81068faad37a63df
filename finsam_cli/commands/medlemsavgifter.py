"""Placeholder until the command is built."""

import typer


def medlemsavgifter() -> None:
    """Not built yet."""
    raise typer.Exit(2)
