"""Excel sheet names, decided in one place for every report (the Excel renderer names its sheets so).

A section's sheet is its `sheet` (else its title), made valid: a slash becomes a dash (an insats
"Haninge/Nynäshamn" is on the sheet "Haninge-Nynäshamn"), the other characters Excel forbids ([]:*?)
a space, and control characters go; no apostrophe at either end, not Excel's reserved "History", at
most 31 characters (cut between words when that keeps most of the name) and unique among the
workbook's sheets, compared as Excel does, without regard to case (" (2)", " (3)" … added).
The consecutive sections of one part (`Section.part`, the annual report's) share the first one's sheet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .model import Section

SHEET_NAME_MAX = 31
_SLASH = re.compile(r"[/\\]")
_FORBIDDEN = re.compile(r"[\[\]:*?]")
_CONTROL = re.compile(r"[\000-\010\013\014\016-\037]")  # what a worksheet cannot hold (openpyxl's rule)


def sheets(sections: Sequence[Section], reserved: Iterable[str] = ()) -> tuple[tuple[str, tuple[Section, ...]], ...]:
    """Each sheet's name and sections, in order; `reserved` are names the workbook gives other sheets."""
    groups: list[list[Section]] = []
    for section in sections:
        if groups and section.part is not None and groups[-1][0].part == section.part:
            groups[-1].append(section)
        else:
            groups.append([section])
    taken = {name.casefold() for name in reserved}
    return tuple((sheet_name(group[0].sheet or group[0].title, taken), tuple(group)) for group in groups)


def sheet_names(sections: Sequence[Section], reserved: Iterable[str] = ()) -> tuple[str, ...]:
    """Each sheet's name, in order (see `sheets`)."""
    return tuple(name for name, _ in sheets(sections, reserved))


def sheet_name(wanted: str | None, taken: set[str]) -> str:
    """A valid sheet name not in `taken` (casefolded names already used), which it is added to."""
    base = _FORBIDDEN.sub(" ", _SLASH.sub("-", _CONTROL.sub("", wanted or "")))
    base = re.sub(r"\s+", " ", base).strip().strip("'").strip()
    if not base or base.casefold() == "history":  # "History" is reserved by Excel
        base = (base + " blad").strip() if base else "Blad"
    name = _shorten(base, SHEET_NAME_MAX)
    n = 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name = _shorten(base, SHEET_NAME_MAX - len(suffix)) + suffix
        n += 1
    taken.add(name.casefold())
    return name


def _shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut between words when that keeps most of the name."""
    if len(text) > limit:
        cut = text[:limit + 1].rfind(" ")
        text = text[:cut] if cut >= limit * 2 // 3 else text[:limit]
    return text.rstrip().rstrip("'").rstrip() or "Blad"
