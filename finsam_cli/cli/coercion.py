"""Parameter values converted without typer's per-parameter pydantic adapter when the value needs none.

Typer 0.29 converts every parameter through a pydantic TypeAdapter that it builds on first use, for
an option that was not given too; a report command has a dozen options, and building their adapters
costs more than the rest of the command line. Here an absent value, a plain string and a whole number
inside its range are taken as they are, which is what the adapter returns for them, and a path goes
straight to typer's own path checks (the adapter's only work beyond str -> Path); anything else
(a bad number, a choice) still goes through typer's adapter and its messages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typer import _click as click  # typer vendors click since 0.29
from typer._param_types import coerce_cli_path
from typer.core import _TyperParameter

_MISSING = object()


def quick_value(param: _TyperParameter, value: Any, ctx: click.Context | None = None) -> Any:
    """The value typer's adapter would give, or _MISSING when only the adapter can tell."""
    annotation = param.type_descriptor.annotation
    info = param.type_descriptor.parameter_info
    if info.parser is not None:  # a parameter's own parser decides
        return _MISSING
    if value is None:
        return () if param.multiple or param.nargs == -1 else None
    if annotation is str and isinstance(value, str):
        return value
    if annotation == list[str] and isinstance(value, tuple | list) and all(isinstance(v, str) for v in value):
        return list(value)
    if annotation is Path and isinstance(value, str) and value:
        # typer's own checks (exists, file or folder) and messages, without a pydantic adapter per option
        return coerce_cli_path(Path(value), info, path_type=Path, param=param, ctx=ctx)
    if annotation is int and isinstance(value, str) and value.isascii() and value.isdecimal():
        number = int(value)
        if (info.min is None or number >= info.min) and (info.max is None or number <= info.max) \
                and not info.clamp:
            return number
    return _MISSING


class QuickCoercion(_TyperParameter):
    """Mixed into finsam's parameter classes (help.py) ahead of typer's."""

    def process_value(self, ctx: click.Context, value: Any) -> Any:
        quick = quick_value(self, value, ctx)
        if quick is _MISSING:
            return super().process_value(ctx, value)
        if self.required and self.value_is_missing(quick):
            raise click.exceptions.MissingParameter(ctx=ctx, param=self)
        if self.callback is not None:
            quick = self.callback(ctx, self, quick)
        return quick
