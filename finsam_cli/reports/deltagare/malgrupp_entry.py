"""Målgruppen och antalet deltagare (annual report 1.3.1) declared: its parameters.

Light: the build (malgrupp_report.py) and pandas load only when a report is built.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..parameters import year_argument

READS = ("deltagare", "anonyma")  # the input kinds the figures are counted from


@dataclass(frozen=True)
class MalgruppParams:
    year: int = field(metadata=year_argument("The year to report, e.g. 2017."))
