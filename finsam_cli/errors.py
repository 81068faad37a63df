"""One error hierarchy; the CLI maps it to exit codes in one place (app.py)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

# Anything shaped like a personnummer (YYMMDD-XXXX, YYYYMMDDXXXX, with - or + or nothing), valid or not.
PERSONNUMMER_LIKE = re.compile(r"(?<!\d)(?:\d{2})?\d{6}[-+]?\d{4}(?!\d)")
PERSONNUMMER_SHOWN = "[personnummer]"
# Other spellings people type: a space, no-break or thin space, an en dash, a no-break hyphen, " - ".
# These are masked only when the date and the check digit are valid, so ordinary numbers are left alone.
_SPACE = "[ \t\u00a0\u2007\u2009\u202f]"
_DASH = "[-+\u2010\u2011\u2012\u2013\u2014\u2212]"
_PERSONNUMMER_ANY = re.compile(
    r"(?<!\d)(?:(?P<plain>(?:\d{2})?\d{6}[-+]?\d{4})"
    rf"|(?P<date>(?:\d{{2}})?\d{{6}})(?:{_SPACE}{{1,3}}{_DASH}?|{_DASH}){_SPACE}{{0,3}}(?P<tail>\d{{4}}))(?!\d)")


def is_personnummer(digits: str) -> bool:
    """Whether 10 or 12 digits are a valid personnummer or samordningsnummer: a plausible date and the Luhn digit."""
    if len(digits) not in (10, 12) or not digits.isdecimal():
        return False
    if len(digits) == 12 and digits[:2] not in ("18", "19", "20"):
        return False
    ten = [int(c) for c in digits[-10:]]
    month, day = ten[2] * 10 + ten[3], ten[4] * 10 + ten[5]
    if not 1 <= month <= 12 or not (1 <= day <= 31 or 61 <= day <= 91):
        return False
    total = sum(d * 2 // 10 + d * 2 % 10 if i % 2 == 0 else d for i, d in enumerate(ten))
    return total % 10 == 0


def _shown(match: re.Match[str]) -> str:
    if match.group("plain") is not None or is_personnummer(match.group("date") + match.group("tail")):
        return PERSONNUMMER_SHOWN
    return match.group()


def redact_personnummer(text: str) -> str:
    """The one redaction every exit applies: personnummer in any spelling become '[personnummer]'.

    Today's compact shapes (YYMMDD-XXXX, YYMMDD+XXXX, YYYYMMDDXXXX, ...) are masked whether valid or not;
    spellings with a space or another dash only when they are a valid personnummer. A long text (a
    whole report or workbook part) is matched only where a run of six digits starts: a regular
    expression tried at every position would cost half a second per megabyte.
    """
    if len(text) < _LONG_TEXT:  # every spelling has six digits in a row: most texts are done after one search
        return _PERSONNUMMER_ANY.sub(_shown, text) if _SIX_DIGITS.search(text) else text
    pieces = []
    done = 0
    for start in _digit_runs(text):
        found = _PERSONNUMMER_ANY.match(text, start) if start >= done else None
        if found:
            pieces += [text[done:start], _shown(found)]
            done = found.end()
    return "".join([*pieces, text[done:]])


_LONG_TEXT = 1 << 14
_SIX_DIGITS = re.compile(r"\d{6}")

# C0 controls (but tab and newline), DEL and C1 controls: an ESC in a file name must not steer the terminal.
_CONTROLS = {c: f"\\x{c:02x}" for c in (*range(0x09), *range(0x0b, 0x20), *range(0x7f, 0xa0))}


_ANY_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_COLOUR = re.compile(r"(\x1b\[[0-9;]*m)")  # SGR: colours and bold, what rich's help and errors use


def escape_controls(text: str, keep_colours: bool = False) -> str:
    """Control characters written as `\\x1b`, so a file name cannot move the cursor or recolour a terminal.

    `keep_colours`: colour sequences stay (the terminal filter, under rich's help and usage errors);
    cursor movement, screen clearing, titles and the like are escaped all the same.
    """
    if not _ANY_CONTROL.search(text):
        return text
    if not keep_colours:
        return text.translate(_CONTROLS)
    return "".join(part if i % 2 else part.translate(_CONTROLS) for i, part in enumerate(_COLOUR.split(text)))


def shown(text: str) -> str:
    """Text as it may leave finsam for a person: personnummer redacted, control characters escaped."""
    return escape_controls(redact_personnummer(text))


def _digit_runs(text: str) -> list[int]:
    """Where the runs of six or more digits (of any script, as `\\d`) start: where a personnummer can."""
    import numpy as np  # only for long texts: `finsam --help` and short messages need no numpy

    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    digit = (codes - 48) < 10  # unsigned: anything below '0' wraps round to a large number
    other = np.unique(codes[codes > 127])
    decimals = [c for c in other.tolist() if chr(c).isdecimal()]
    if decimals:
        digit |= np.isin(codes, decimals)
    edges = np.diff(np.concatenate(([0], digit.view(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return starts[ends - starts >= 6].tolist()


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
    """The command line asks for something impossible (exit 2).

    `sv`: the same in Swedish, where a report may say it (the annual report lists why a part is left out).
    """

    exit_code = 2

    def __init__(self, message: str, sv: str | None = None) -> None:
        super().__init__(message)
        self.sv = sv


class Reason(str):
    """Why a report cannot be made, in English (the log, stderr), carrying its Swedish wording for a report."""

    sv: str

    def __new__(cls, text: str, sv: str) -> Reason:
        made = super().__new__(cls, text)
        made.sv = sv
        return made

    @classmethod
    def of(cls, exc: UsageError) -> str:
        return cls(str(exc), exc.sv) if exc.sv else str(exc)


def in_swedish(reason: str) -> str:
    """A reason as a Swedish report says it (its own words when it has no Swedish wording)."""
    return reason.sv if isinstance(reason, Reason) else reason


_PARAMETER = re.compile(r"\{param:(\w+)\}")


def word_parameters(text: str, names: Mapping[str, str]) -> str:
    """`{param:NAME}` in a message as the parameter's name for a person: its flag in the CLI, else NAME."""
    return _PARAMETER.sub(lambda m: names.get(m[1], m[1]), text)


class ParameterError(UsageError):
    """A parameter of a report that cannot be used (exit 2). The message names parameters as `{param:NAME}`
    (fields of the report's parameters, e.g. `till`): `str()` shows NAME, the CLI words it as its flag."""

    def __init__(self, template: str) -> None:
        super().__init__(word_parameters(template, {}))
        self.template = template

    def worded(self, names: Mapping[str, str]) -> str:
        return word_parameters(self.template, names)


class MissingInput(UsageError):  # noqa: N818 - raised by every report's requirements; the name states the condition
    """A report needs an input file of this kind and none is given; the CLI words it as its flag."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"no {kind} file: set data.{kind} in finsam.toml")
        self.kind = kind


class LockHeldError(FinsamError):
    """Another export holds the lock (exit 3)."""

    exit_code = 3
