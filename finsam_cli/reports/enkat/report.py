"""`finsam enkat`: the survey summary as a report ("Sammanställning av enkätfrågor").

One table per respondent group, headed `<Grupp> (N svar)`, then per insats and by sex.
Protection here is by number of answers only: `--skydda N` hides a share based on fewer
than N answers (the answers themselves stay shown). A hidden share of one sex may still follow
from the group's share and the other sex's; the small-count audit covers participant counts.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...inputs.schema import FileKind
from ...inputs.view import Inputs
from ...slugs import slugify
from ..model import SUPPRESSED, Chart, Column, Kind, Period, Report, Row, Section, Table, Text, TextLike, Value
from ..provenance import provenance
from .entry import ENKAT, EnkatParams
from .summary import GroupResult, LeftOut, SurveySummary, summarise

COLUMNS = (Column("Fråga"), Column("Antal svar", Kind.COUNT), Column("Andel positiva (%)", Kind.PERCENT))


def enkat_report(inputs: Inputs, params: EnkatParams) -> Report:
    year, halvar, insatser = params.year, params.halvar, params.insatser
    skydda = inputs.config.sekretess.minsta_antal if params.skydda is None else params.skydda
    period = Period.half_year(year) if halvar else Period.whole_year(year)
    summary = summarise(inputs.frame(FileKind.ENKAT), period, minimum=inputs.config.enkat.minsta_antal_svar,
                        file=inputs.name(FileKind.ENKAT), insatser=insatser)
    parameters = {"år": str(year), "minsta antal svar": str(summary.minimum)}
    if halvar:
        parameters["period"] = "halvår"
    if insatser:
        parameters["insatser"] = ", ".join(insatser)
    if skydda:
        parameters["skydda"] = str(skydda)
    return Report(kind=ENKAT.name, title=f"Sammanställning av enkätfrågor {period.label}",
                  association=inputs.config.forbund.namn, period=period,
                  provenance=provenance(inputs, parameters), sections=build(summary, skydda))


def build(summary: SurveySummary, skydda: int = 0) -> list[Section]:
    """The report's sections from the computed summary: pure."""
    sections = [Section("Per enkät", [group_table(g, "enkat", skydda) for g in summary.groups],
                        paragraphs=rule_paragraphs(summary), sheet="Enkäter")]
    if summary.per_insats:
        sections.append(Section("Per insats", [group_table(g, "insats", skydda) for g in summary.per_insats],
                                sheet="Per insats"))
    if summary.by_sex:
        sections.append(Section("Per kön", [group_table(g, "kon", skydda) for g in summary.by_sex],
                                sheet="Per kön"))
    return sections


def group_table(group: GroupResult, part: str, skydda: int) -> Table:
    rows = [Row([q.question, q.answers, SUPPRESSED if q.answers < skydda else q.share])
            for q in group.questions]
    notes: list[TextLike] = []
    if any(q.answers < skydda for q in group.questions):
        notes.append(f".. = andelen bygger på färre än {skydda} svar och visas inte.")
    answers = f"{group.respondents:,}".replace(",", "\u00a0")  # 1 234: a title is text, not a Value
    return Table(key=f"{part}.{slugify(group.label)}", title=f"{group.label} ({answers} svar)",
                 columns=COLUMNS, rows=rows, notes=notes,
                 chart=Chart("bar", f"Andel positiva svar: {group.label}", categories=0, series=(2,)))


def rule_paragraphs(summary: SurveySummary) -> list[TextLike]:
    rule = Text("Andel positiva är andelen av dem som svarat på frågan (Vet ej, Ej aktuellt och obesvarat räknas "
                "inte), avrundad till hela procent. Ett krav för att svaren ska redovisas är att varje insats kommer "
                f"upp i minst {summary.minimum} besvarade enkäter.")
    return [rule, *_left_out_texts(summary.left_out)]


def _left_out_texts(left_out: Sequence[LeftOut]) -> list[TextLike]:
    by_group: dict[str, list[LeftOut]] = {}
    for item in left_out:
        by_group.setdefault(item.group, []).append(item)
    out: list[TextLike] = []
    for group, items in by_group.items():
        parts: list[str | Value] = [f"I {group} ingår inte "]
        for i, item in enumerate(items):
            sep = "" if i == 0 else (" och " if i == len(items) - 1 else ", ")
            parts += [sep, f"{item.insats} (", Value(item.answers, Kind.COUNT), " svar)"]
        out.append(Text(*parts, "."))
    return out
