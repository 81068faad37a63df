"""`budget-jamforelse`: this year's budget against another year's, line by line (as in the plan)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from ...errors import UsageError
from ...inputs.schema import BudgetPeriod, FileKind
from ...inputs.view import Inputs
from ..model import Chart, Column, Kind, Period, Report, Row, Section, Table, TextLike
from ..provenance import provenance
from . import budget_data as bd
from .budget_jamforelse_entry import BudgetJamforelseParams

KIND = "budget_jamforelse"


@dataclass(frozen=True)
class JamforelseRequest:
    year: int
    against: int | None = None  # default: the year before
    tkr: bool = False
    mapping: Mapping[str, Sequence[str]] = field(default_factory=dict)

    @property
    def other(self) -> int:
        return self.year - 1 if self.against is None else self.against

    @property
    def unit(self) -> str:
        return "tkr" if self.tkr else "kr"


def budget_jamforelse_report(inputs: Inputs, params: BudgetJamforelseParams) -> Report:
    """The comparison from the budget file; comparing a year with itself is refused by the parameters."""
    config = inputs.config
    year = params.year
    request = JamforelseRequest(year, params.against, params.tkr, config.budget.radmappning)
    section = build(inputs.frame(FileKind.BUDGET), request, inputs.name(FileKind.BUDGET))
    parameters = {"år": str(year), "mot": str(request.other), "enhet": request.unit}
    return Report(kind=KIND, title=f"Budget {year} jämfört med {request.other}", association=config.forbund.namn,
                  period=Period.whole_year(year, against=request.other),
                  provenance=provenance(inputs, parameters),
                  sections=[section], unit=request.unit)


def build(budget: pd.DataFrame, request: JamforelseRequest, file: str = "budget") -> Section:
    """The comparison table from the budget frame: pure, no I/O."""
    year, other = request.year, request.other
    this = bd.budget_rows(budget, year, BudgetPeriod.HELAR)
    that = bd.budget_rows(budget, other, BudgetPeriod.HELAR)
    for y, selected in ((year, this), (other, that)):
        if selected.empty:
            raise UsageError(f"{file}: no budget for {y} (budget years in the file: {bd.years_in(budget['ar'])})")
    merges = bd.plan_merges([this["post"], that["post"]], request.mapping)
    this, that = bd.rename_posts(this, merges, 0), bd.rename_posts(that, merges, 1)
    lines = bd.assemble([("ar", this), ("mot", that)], bd.groups_elsewhere(budget, year), bd.group_order(budget),
                        budget_file=file, year=year)
    rows = bd.layout(lines)
    unit = request.unit

    body = [Row([r.label, bd.money(r.values["ar"], unit), bd.money(r.values["mot"], unit),
                 bd.money(r.values["ar"] - r.values["mot"], unit)], r.style) for r in rows]
    columns = [Column("Post"), Column(f"Budget {year}", Kind.AMOUNT), Column(f"Budget {other}", Kind.AMOUNT),
               Column("Avvikelse", Kind.AMOUNT)]
    notes: list[TextLike] = [
        f"Avvikelse = budget {year} − budget {other}; ett positivt tal betyder en större budget {year}. "
        "Resultat = intäkter + finansiella poster − kostnader."]
    frame = lines.frame
    in_this, in_that = set(this["post"].map(bd.line_key)), set(that["post"].map(bd.line_key))
    new = [str(p) for k, p in zip(frame["key"], frame["post"], strict=True) if k not in in_that]
    ended = [str(p) for k, p in zip(frame["key"], frame["post"], strict=True) if k not in in_this]
    if new:
        notes.append(f"Nya poster {year} (0 kr {other}): {bd.join_sv(new)}.")
    if ended:
        notes.append(f"Poster som finns {other} men inte {year} (0 kr {year}): {bd.join_sv(ended)}.")
    for m in merges:
        side_year = year if m.side == 0 else other
        notes.append(f"{m.new}: budget {side_year} är summan av {bd.join_sv(list(m.olds))} "
                     "(radmappning i finsam.toml).")
    notes += lines.notes
    rounding = bd.rounding_note(lines, unit)
    if rounding:
        notes.append(rounding)
    notes.append(bd.check_totals(lines, {"ar": int(this["ore"].sum()), "mot": int(that["ore"].sum())},
                                 {"ar": f"budget {year}", "mot": f"budget {other}"}))
    table = Table(key="budget-jamforelse", title=f"Budget {year} och {other} per post", columns=columns,
                  rows=body, notes=notes,
                  chart=Chart(type="bar", title=f"Kostnader: budget {year} och {other}", categories=0, series=(1, 2),
                              only=bd.cost_lines(rows)))
    return Section("Budgetjämförelse", [table])
