"""The file exit's filter: every text of a report redacted before a renderer sees it.

Names of insatser and of the association come from the configuration, input file names from the
command line, free text from the data: any of them can hold a personnummer. Walking the report
(rather than the rendered bytes) leaves numbers alone: an amount in a workbook cell is never masked,
and a sheet name is made from the redacted text, so it stays a valid sheet name.
"""

from __future__ import annotations

import copy
import dataclasses
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

from ..errors import redact_personnummer
from ..reports.model import Text

# Fields that are never shown as text, or are checksums (hex digits can look like a personnummer).
_KEPT = frozenset({"sha256", "path", "keys"})
_SCALARS = frozenset({int, float, bool, type(None)})


def redact_report(report: Any) -> Any:
    """The report with every string redacted; the same object when nothing needed it."""
    return _redact(report)


def _redact(value: Any) -> Any:
    kind = type(value)
    if kind is str:
        return redact_personnummer(value)
    if kind in _SCALARS or isinstance(value, Enum | Path | date):  # most cells: one lookup
        return value
    if isinstance(value, str):
        return redact_personnummer(value)
    if isinstance(value, Text):
        parts = tuple(_redact(p) for p in value.parts)
        return value if parts == value.parts else Text(*parts)
    if isinstance(value, tuple | list):
        items = [_redact(v) for v in value]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else type(value)(items)
    if isinstance(value, dict):
        pairs = {_redact(k): _redact(v) for k, v in value.items()}
        return value if pairs == value else pairs
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changed = {f.name: new for f in dataclasses.fields(value) if f.name not in _KEPT
                   and (new := _redact(getattr(value, f.name))) is not getattr(value, f.name)}
        if not changed:
            return value
        out = copy.copy(value)
        for name, new in changed.items():
            object.__setattr__(out, name, new)  # frozen: set as __post_init__ does, without re-validating
        return out
    return value
