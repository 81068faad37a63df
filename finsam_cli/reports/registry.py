"""Every report finsam makes, one line each: the commands, the export planner, `validera` and the README's
command table read this list.

Adding a report is one package (or module) under reports/ with a light entry module beside its build, one
template and one line here; its command is made from the entry (cli/report_command.py). What an entry
declares, and the shared requirement helpers, are in contract.py. The order here is the README table's and
the export's.

Importing this imports the entry modules only: nothing heavy (no pandas, no report's build) until a report
is built.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import import_module

from .contract import ReportType

# "module:CONSTANT" under finsam_cli.reports: the report's entry, one line per report.
_ENTRIES = (
    "deltagare.entry:MALUPPFYLLELSE",
    "deltagare.malgrupp_entry:MALGRUPP",
    "ekonomi.budget_avvikelse_entry:BUDGET_AVVIKELSE",
    "ekonomi.budget_jamforelse_entry:BUDGET_JAMFORELSE",
    "ekonomi.medlemsavgifter_entry:MEDLEMSAVGIFTER",
    "enkat.entry:ENKAT",
    "uppfoljning.entry:UPPFOLJNING",
    "ekonomi.bokslut.entry:BOKSLUT",
    "arsredovisning.entry:ARSREDOVISNING",
)


def _entry(path: str) -> ReportType:
    module, name = path.split(":")
    entry = getattr(import_module(f"{__package__}.{module}"), name)
    if not isinstance(entry, ReportType):
        raise TypeError(f"{path} is not a ReportType")
    return entry


REPORTS: tuple[ReportType, ...] = tuple(_entry(path) for path in _ENTRIES)
# Made by a half-year export too (the entry's `half_year`); the others are yearly: the full-year set.
HALF_YEAR_REPORTS = frozenset(r.command for r in REPORTS if r.half_year)


def by_command(command: str) -> ReportType:
    return next(r for r in REPORTS if r.command == command)


def unknown_commands(names: Sequence[str]) -> str | None:
    """Why these are not reports an export can be limited to (None: they all are)."""
    known = [r.command for r in REPORTS]
    unknown = [n for n in names if n not in known]
    if unknown:
        return f"unknown report {unknown[0]!r}; the reports are {', '.join(known)}"
    return None
