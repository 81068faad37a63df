"""The annual report's numeric part: each part built by its own report, in the published order.

A part whose data is missing (or, in the half-year report, that is yearly only) is left out, and the
report's last section says which and why. The parts are the other reports' sections, marked with their part.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from ...errors import Reason, UsageError, in_swedish
from ...inputs.provenance import InputFile
from ...inputs.schema import FileKind
from ...inputs.view import Inputs, Sources
from ..contract import missing_inputs, participant_requirements
from ..deltagare.entry import MALUPPFYLLELSE, MaluppfyllelseParams
from ..deltagare.malgrupp_entry import MALGRUPP, MalgruppParams
from ..ekonomi.bokslut.entry import BOKSLUT, BokslutParams
from ..ekonomi.budget_avvikelse_entry import BUDGET_AVVIKELSE, BudgetAvvikelseParams
from ..enkat.entry import ENKAT, EnkatParams
from ..model import Period, Relation, Report, Section, TextLike
from ..provenance import provenance
from .entry import ArsredovisningParams
from .fees import TITLE as FEES_TITLE
from .fees import FeeYears, esf_from_financing, fee_table, from_accounts, from_totals

KIND = "arsredovisning"
LEFT_OUT = "Delar som inte ingår"
YEARLY_ONLY = Reason("made for the whole year only", "görs bara för helår")


@dataclass(frozen=True)
class Part:
    title: str
    sheet: str  # the workbook's sheet for the part
    yearly_only: bool
    why_not: Callable[[Sources, int, bool], list[str]]  # the reasons it cannot be made; empty: it can
    make: Callable[[Inputs, int, bool], Report]


def _fees_why_not(inputs: Sources, year: int, halvar: bool) -> list[str]:
    if inputs.config.data.sie is not None:
        return BOKSLUT.requirements(inputs, year, halvar)
    if not inputs.config.medlemsavgifter.total:
        return [Reason("no accounts (data.sie) and no [medlemsavgifter.total]",
                       "varken bokföring (data.sie) eller [medlemsavgifter.total] i finsam.toml")]
    return missing_inputs(inputs, ("befolkning",))


def _fees(everything: Inputs, year: int, halvar: bool) -> Report:
    own = everything.only(BUDGET_AVVIKELSE.kinds(BudgetAvvikelseParams(year, halvar), everything.config))
    fin_frame = everything.optional(FileKind.FINANSIERING)
    inputs: tuple[InputFile, ...] = ()
    config = everything.config
    if config.data.sie is not None:
        from ..ekonomi.bokslut.compute import bokslut
        from ..ekonomi.bokslut.source import load_accounts

        tb, source = load_accounts(everything, year)
        figures = from_accounts(bokslut(tb, config.bokslut.rader), tb)
        inputs = (source,)
    else:
        befolkning = everything.load(FileKind.BEFOLKNING)
        totals = {y: t for y, t in config.medlemsavgifter.total.items() if y <= year}
        figures = from_totals(totals, befolkning.frame, befolkning.source.name, fin_frame, config.medlemsavgifter)
    if not figures.years:
        raise UsageError(f"no membership fees for {year} or earlier: [medlemsavgifter.total] has no year with a "
                         f"population on 1 November the year before",
                         sv=f"inga medlemsavgifter för {year} eller tidigare: [medlemsavgifter.total] har inget år "
                            "med befolkning den 1 november året före")
    if all(v is None or v == 0 for v in figures.esf.values()) and fin_frame is not None:
        figures = FeeYears(figures.years, figures.fees, esf_from_financing(fin_frame, figures.years),
                           (*figures.sources, "ESF-medel ur finansieringsfilen."))
    made = provenance(own, {})
    return Report(kind=KIND, title=FEES_TITLE, association=config.forbund.namn,
                  period=Period.whole_year(year), provenance=replace(made, inputs=(*made.inputs, *inputs)),
                  sections=[Section(FEES_TITLE, [fee_table(figures)], sheet="Medlemsavgifter")], unit="kr")


BILAGA_1 = "Bilaga 1: Måluppfyllelse för individinriktade insatser"
STATEMENTS = "Resultaträkning, balansräkning, kassaflödesanalys och noter"
OUTCOME = "Tilläggsuppgifter: Sammanställning av utfall och budget"

PARTS: tuple[Part, ...] = (
    Part("Målgruppen och antalet deltagare", "Målgruppen", True, MALGRUPP.requirements,
         lambda i, y, h: MALGRUPP.build_part(i, MalgruppParams(y))),
    Part(BILAGA_1, "Bilaga 1 Måluppfyllelse", False, participant_requirements,
         lambda i, y, h: MALUPPFYLLELSE.build_part(i, MaluppfyllelseParams(y, h))),
    Part("Sammanställning av enkätfrågor", "Enkätfrågor", False, ENKAT.requirements,
         lambda i, y, h: ENKAT.build_part(i, EnkatParams(y, h))),
    Part(STATEMENTS, "Bokslut", True, BOKSLUT.requirements,
         lambda i, y, h: BOKSLUT.build_part(i, BokslutParams(y))),
    Part(OUTCOME, "Utfall och budget", False, BUDGET_AVVIKELSE.requirements,
         lambda i, y, h: BUDGET_AVVIKELSE.build_part(i, BudgetAvvikelseParams(y, h))),
    Part(FEES_TITLE, "Medlemsavgifter", True, _fees_why_not, _fees),
)


def _as_part(part: Part, made: Report) -> list[Section]:
    """The report's sections under the part's heading; its notes close the part."""
    sections = [replace(s, part=part.title, sheet=part.sheet) for s in made.sections]
    last = sections[-1]
    sections[-1] = replace(last, paragraphs=(*last.paragraphs, *made.notes))
    return sections


def _unique(inputs: list[InputFile]) -> list[InputFile]:
    seen: set[tuple[str, str]] = set()
    out = []
    for i in inputs:
        if (i.role, i.name) not in seen:
            seen.add((i.role, i.name))
            out.append(i)
    return out


def arsredovisning_report(inputs: Inputs, params: ArsredovisningParams) -> Report:
    year, halvar = params.year, params.halvar
    sections: list[Section] = []
    left_out: list[TextLike] = []
    why: dict[str, None] = {}  # every reason once, in order
    used: list[InputFile] = []
    relations: list[Relation] = []
    for part in PARTS:
        reasons = [YEARLY_ONLY] if halvar and part.yearly_only else part.why_not(inputs, year, halvar)
        if not reasons:
            try:
                made = part.make(inputs, year, halvar)
            except UsageError as exc:  # e.g. the data does not cover the year
                reasons = [Reason.of(exc)]
            else:
                sections += _as_part(part, made)
                used += made.provenance.inputs
                relations += made.relations
        if reasons:
            left_out.append(f"{part.title}: {'; '.join(in_swedish(r) for r in reasons)}.")  # stderr: English
            why.update(dict.fromkeys(reasons))
    if not sections:
        raise UsageError(f"no part of the annual report can be made for {year}: {'; '.join(why)}")
    if left_out:
        sections.append(Section(LEFT_OUT, paragraphs=left_out, sheet="Utelämnat"))
    period = Period.half_year(year) if halvar else Period.whole_year(year)
    parameters = {"år": str(year), **({"period": "halvår"} if halvar else {})}
    made_here = provenance(inputs, parameters)
    title = f"Halvårsrapport {period.label}" if halvar else f"Årsredovisning {year}"
    return Report(kind=KIND, title=f"{title}: sifferdelen", association=inputs.config.forbund.namn,
                  period=period, provenance=replace(made_here, inputs=_unique(used)), sections=sections,
                  unit="kr", relations=relations)
