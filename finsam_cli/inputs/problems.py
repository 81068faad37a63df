"""Collect problems from whole-column checks; word them for the failing rows only."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

import pandas as pd
from pydantic import TypeAdapter, ValidationError

from ..errors import DataError, Problem, redact_personnummer
from .schema import FileKind, row_model

PROBLEM_LIMIT = 1000  # problems listed in full; the rest are only counted

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def safe_text(text: str) -> str:
    """Text fit for a message on a terminal: no personnummer, no control or bidi-override characters."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", redact_personnummer(text))


class Problems:
    def __init__(self, file: str, limit: int = PROBLEM_LIMIT):
        self.file = file
        self.limit = limit
        self.items: list[Problem] = []
        self.total = 0

    def add(self, message: str, row: int | None = None, column: str | None = None,
            value: str | None = None) -> None:
        self.total += 1
        if len(self.items) < self.limit:
            self.items.append(Problem(self.file, safe_text(message), row, None if column is None else safe_text(column),
                                      None if value is None else safe_text(value)))

    def add_rows(self, mask: pd.Series, column: str | None, values: pd.Series | None,
                 message: str | Callable[[Any], str], detail: pd.Series | None = None) -> None:
        """Record one problem per True row of `mask`.

        `values` are shown (None hides them, e.g. a personnummer); a callable message gets
        the row's `detail` value, or its shown value.
        """
        count = int(mask.sum())
        if not count:
            return
        room = max(self.limit - len(self.items), 0)
        rows = mask.index[mask.to_numpy(dtype=bool)][:room]
        for row in rows:
            raw = None if values is None else values.at[row]
            arg = detail.at[row] if detail is not None else raw
            text = message(arg) if callable(message) else message
            shown = None if values is None else safe_text(_show(raw))
            self.items.append(Problem(self.file, safe_text(text), int(row),
                                      None if column is None else safe_text(column), shown))
        self.total += count

    def raise_if_any(self) -> None:
        if not self.total:
            return
        self.items.sort(key=lambda p: (p.row or 0))
        summary = f"{self.file}: {self.total} problem{'s' if self.total != 1 else ''} found"
        if self.total > len(self.items):
            summary += f" (listing stopped after {len(self.items)})"
        raise DataError(summary, self.items, self.total)


def _show(raw: Any) -> str:
    if raw is None or (isinstance(raw, float) and pd.isna(raw)):
        return ""
    if hasattr(raw, "strftime") and not isinstance(raw, str):
        return str(raw)[:19]
    return str(raw)


@cache
def _adapter(kind: FileKind, field: str) -> TypeAdapter[Any]:
    annotation: Any = row_model(kind).model_fields[field].annotation
    return TypeAdapter(annotation)


def pydantic_message(kind: FileKind, field: str, raw: Any, *, fallback: str) -> str:
    """Let the schema word why a cell is rejected; fall back where pydantic would accept it."""
    try:
        _adapter(kind, field).validate_python(raw)
    except ValidationError as exc:
        return str(exc.errors()[0]["msg"])
    return fallback


def suggestion(raw: Any, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(raw), list(choices), n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in choices}
        close = [lowered[m] for m in difflib.get_close_matches(str(raw).lower(), list(lowered), n=1, cutoff=0.6)]
    return f"; did you mean {close[0]!r}?" if close else ""
