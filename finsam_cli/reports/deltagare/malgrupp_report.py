"""Målgruppen och antalet deltagare (annual report 1.3.1) as a report of its own: the annual report makes
its first part from it.

A year the participant data does not cover is refused; a year it covers in part is marked.
"""

from __future__ import annotations

from dataclasses import replace

from ...inputs.schema import FileKind
from ...inputs.view import Inputs
from ..model import Period, Report
from ..provenance import provenance
from .coverage import coverage, covered_until
from .malgrupp import TITLE, malgrupp_section
from .malgrupp_data import compute
from .malgrupp_entry import MalgruppParams

KIND = "malgrupp"


def malgrupp_report(inputs: Inputs, params: MalgruppParams) -> Report:
    """The report from the participant file (and the anonymous participants, when given)."""
    year = params.year
    stints = inputs.frame(FileKind.DELTAGARE)
    until = covered_until(coverage(stints), year, half_year=False)
    fig = compute(stints, inputs.optional(FileKind.ANONYMA), inputs.config, year)
    return Report(kind=KIND, title=f"{TITLE} {year}", association=inputs.config.forbund.namn,
                  period=replace(Period.whole_year(year), covered_until=until),
                  provenance=provenance(inputs, {"år": str(year)}), sections=[malgrupp_section(fig)])
