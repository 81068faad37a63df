"""One error hierarchy; the CLI maps it to exit codes in one place (app.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Anything shaped like a personnummer (YYMMDD-XXXX, YYYYMMDDXXXX, with - or + or nothing), valid or not.
PERSONNUMMER_LIKE = re.compile(r"(?<!\d)(?:\d{2})?\d{6}[-+]?\d{4}(?!\d)")
PERSONNUMMER_SHOWN = "[personnummer]"


def redact_personnummer(text: str) -> str:
    """Replace anything that looks like a personnummer, so no message, log or traceback can carry one."""
    return PERSONNUMMER_LIKE.sub(PERSONNUMMER_SHOWN, text) if any(c.isdigit() for c in text) else text


@dataclass(frozen=True)
class Problem:
    """One problem in an input file, located as the user sees it in Excel.

    `value` is None where showing it would leak personal data (a personnummer).
    """

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        text = ", ".join(where) + ": "
        if self.value is not None:
            text += f"value {_short(self.value)!r}: "
        return text + self.message


def _short(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


class FinsamError(Exception):
    """Base class: every error finsam expects, with its exit code."""

    exit_code = 1


class DataError(FinsamError):
    """Bad data or input (exit 1). Carries the problems found, possibly capped."""

    def __init__(self, message: str, problems: list[Problem] | None = None, total: int | None = None):
        super().__init__(message)
        self.problems = problems or []
        self.total = total if total is not None else len(self.problems)


class ConfigError(FinsamError):
    """A finsam.toml that cannot be used (exit 1: bad input)."""


class UsageError(FinsamError):
    """The command line asks for something impossible (exit 2)."""

    exit_code = 2


class MissingInput(UsageError):
    """A report needs an input file of this kind and none is given; the CLI words it as its flag."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"no {kind} file: set data.{kind} in finsam.toml")
        self.kind = kind


class LockHeldError(FinsamError):
    """Another export holds the lock (exit 3)."""

    exit_code = 3
