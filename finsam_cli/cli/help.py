"""Help that shows metavars as written: flags without `<bool>`, arguments as `ÅR` or `FILE...`.

Typer's help prints a type beside every parameter (`<bool>` for a flag, `<list[Path]>` for a list
argument) and a required argument in braces (`{ÅR}`); finsam's parameters name their values
themselves, so the help shows those names only. The same classes convert values quickly (coercion.py).
"""

from __future__ import annotations

import inspect
from typing import Any

from typer import _click as click  # typer vendors click since 0.29
from typer.core import TyperArgument, TyperCommand, TyperOption

from .coercion import QuickCoercion


class PlainArgument(QuickCoercion, TyperArgument):
    def display_type_rich(self, ctx: click.Context) -> str | None:
        return None  # the argument's name (its metavar) says what it is

    def _usage_display_name(self) -> str:
        name = self.display_name_raw
        name = name if self.required else f"[{name}]"
        return f"{name}..." if self.nargs != 1 else name


class PlainOption(QuickCoercion, TyperOption):
    def display_type_rich(self, ctx: click.Context) -> str | None:
        if self.is_flag:
            return None
        shown = super().display_type_rich(ctx)
        if shown is None or self.metavar is not None or not (shown.startswith("<") and shown.endswith(">")):
            return shown
        value = shown[1:-1]  # typer's `<path>`: plain `PATH`, as the README writes it; choices stay `md|xlsx|docx`
        return value if "|" in value else value.upper()


class PlainHelp:
    """Mixed into a command or group: its parameters' help shows their names, not their types."""

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        params: list[click.Parameter] = super().get_params(ctx)  # type: ignore[misc]
        for param in params:  # every parameter, including --help and the completion options typer adds
            if isinstance(param, TyperArgument):
                param.__class__ = PlainArgument
            elif isinstance(param, TyperOption):
                param.__class__ = PlainOption
        return params


class PlainCommand(PlainHelp, TyperCommand):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.help = reflowed(self.help)


def reflowed(text: str | None) -> str | None:
    """A docstring's paragraphs each as one line, so that the help wraps them to the terminal (typer's
    rich help keeps a docstring's single line breaks). A paragraph starting with click's `\\b` is kept."""
    if text is None:
        return None
    paragraphs = inspect.cleandoc(text).split("\n\n")
    return "\n\n".join(p if p.startswith("\b") else " ".join(p.split()) for p in paragraphs)
