"""`budget-avvikelse`: outcome against budget per line, gross and net, and explanations.

The annual (or interim, `till`) report compares the outcome with the annual budget;
the half-year report compares January–June with the half-year budget and adds a
full-year forecast. Everything is computed in öre and converted to the unit at the end.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from ...config import Bokforing
from ...errors import ParameterError, UsageError
from ...inputs.schema import BudgetPeriod, FileKind
from ...inputs.sie.model import SieFile
from ...inputs.view import Inputs
from ..model import Chart, Column, Kind, Report, Row, Section, Style, Table, Text, TextLike
from ..model import Period as ReportPeriod
from ..provenance import provenance
from . import budget_data as bd
from .accounts_outcome import negative_revenue_note, period_outcome
from .budget_avvikelse_entry import HALVAR_AND_TILL, BudgetAvvikelseParams

KIND = "budget_avvikelse"
MONTHS_IN_HALF = 6


@dataclass(frozen=True)
class AvvikelseRequest:
    year: int
    halvar: bool = False
    till: date | None = None
    tkr: bool = False
    threshold_kr: float = 100_000
    mapping: Mapping[str, Sequence[str]] = field(default_factory=dict)
    explain_revenue: bool = False  # [troskel] intakter: revenue lines need an explanation too

    @property
    def unit(self) -> str:
        return "tkr" if self.tkr else "kr"

    def period(self) -> bd.Period:
        if self.halvar and self.till is not None:
            raise ParameterError(HALVAR_AND_TILL)
        if self.halvar:
            return bd.Period.first_half(self.year)
        if self.till is not None:
            return bd.Period.until(self.year, self.till)
        return bd.Period.whole(self.year)


@dataclass
class BudgetInputs:
    """The loaded frames (canonical columns), and the file names used in messages."""

    budget: pd.DataFrame
    utfall: pd.DataFrame
    finansiering: pd.DataFrame | None = None
    forklaringar: pd.DataFrame | None = None
    prognos: pd.DataFrame | None = None
    files: dict[str, str] = field(default_factory=dict)
    accounts: SieFile | None = None  # the outcome is this SIE export (then `utfall` is its transactions)
    bokforing: Bokforing = field(default_factory=Bokforing)

    def name(self, role: str) -> str:
        return self.files.get(role, role)


@dataclass(frozen=True)
class AvvikelseResult:
    title: str
    period: ReportPeriod
    sections: list[Section]


# --- entry points ----------------------------------------------------------------------


def budget_avvikelse_report(inputs: Inputs, params: BudgetAvvikelseParams) -> Report:
    """The report from its inputs (the forecast is read for the half-year report only)."""
    config = inputs.config
    year, halvar = params.year, params.halvar
    request = AvvikelseRequest(year, halvar, params.till, params.tkr, config.troskel.forklaring,
                               config.budget.radmappning, config.troskel.intakter)
    utfall = inputs.loaded(FileKind.UTFALL)
    budget_inputs = BudgetInputs(
        budget=inputs.frame(FileKind.BUDGET), utfall=inputs.frame(FileKind.UTFALL),
        finansiering=inputs.optional(FileKind.FINANSIERING), forklaringar=inputs.optional(FileKind.FORKLARINGAR),
        prognos=inputs.optional(FileKind.PROGNOS), accounts=utfall.sie if utfall is not None else None,
        bokforing=config.bokforing,
        files={"budget": inputs.name(FileKind.BUDGET), "utfall": inputs.name(FileKind.UTFALL),
               "prognos": inputs.name(FileKind.PROGNOS)},
    )
    result = build(budget_inputs, request)
    parameters = {"år": str(year), "period": result.period.label, "enhet": request.unit}
    prov = provenance(inputs, parameters)
    return Report(kind=KIND, title=result.title, association=config.forbund.namn, period=result.period,
                  provenance=prov, sections=result.sections, unit=request.unit,
                  notes=missing_inputs(budget_inputs.finansiering is None, budget_inputs.forklaringar is None))


def missing_inputs(no_financing: bool, no_explanations: bool) -> list[str]:
    """What the report leaves out because an optional input was not given: said, never silently dropped."""
    notes = []
    if no_financing:
        notes.append("Underlag saknas för extern finansiering (data.finansiering i finsam.toml): "
                     "rapporten visar därför inte brutto och netto.")
    if no_explanations:
        notes.append("Underlag saknas för förklaringar (data.forklaringar i finsam.toml): "
                     "ingen avvikelse har därför någon förklaring.")
    return notes


def build(inputs: BudgetInputs, request: AvvikelseRequest) -> AvvikelseResult:
    """The whole report's content from frames: pure, no I/O."""
    period = request.period()
    year = request.year
    annual = bd.budget_rows(inputs.budget, year, BudgetPeriod.HELAR)
    half = bd.budget_rows(inputs.budget, year, BudgetPeriod.HALVAR)
    if annual.empty and (not request.halvar or half.empty):
        raise UsageError(f"{inputs.name('budget')}: no budget for {year} (budget years in the file: "
                         f"{bd.years_in(inputs.budget['ar'])})")
    found = period_outcome(inputs.utfall, inputs.accounts, inputs.name("utfall"), period, halvar=request.halvar,
                           bokforing=inputs.bokforing)
    outcome = found.rows

    merges = bd.plan_merges([pd.concat([annual["post"], half["post"]]), outcome["post"]], request.mapping)
    annual, half = bd.rename_posts(annual, merges, 0), bd.rename_posts(half, merges, 0)
    outcome = bd.rename_posts(outcome, merges, 1)
    elsewhere = bd.groups_elsewhere(inputs.budget, year)
    file_groups = bd.group_order(inputs.budget)

    def combine(sources: list[tuple[str, pd.DataFrame]]) -> bd.Lines:
        return bd.assemble(sources, elsewhere, file_groups, budget_file=inputs.name("budget"), year=year)

    notes: list[TextLike] = []
    if request.halvar:
        half_budget, periodised = _half_year_budget(annual, half)
        lines = combine([("helar", annual), ("budget", half_budget), ("utfall", outcome)])
        forecast_note = _add_forecast(lines, annual, inputs.prognos, merges, year)
        expected = {"utfall": int(outcome["ore"].sum()), "budget": int(half_budget["ore"].sum()),
                    "helar": int(annual["ore"].sum())}
        labels = {"utfall": "utfall jan–juni", "budget": "budget jan–juni", "helar": "helårsbudget"}
        notes.append(_periodisation_note(periodised, lines))
        notes.append(forecast_note)
    else:
        lines = combine([("budget", annual), ("utfall", outcome)])
        expected = {"utfall": int(outcome["ore"].sum()), "budget": int(annual["ore"].sum())}
        labels = {"utfall": "utfall", "budget": "budget"}
    rows = bd.layout(lines)

    notes[:0] = [SIGN_NOTE, *found.notes]
    if not request.halvar:
        notes.append("% av budget är utfallet i procent av budgeten; tomt där budgeten är 0.")
        if not period.full_year:
            notes.append(f"Utfallet avser 1 januari–{_day(period.end)} och jämförs med helårsbudgeten.")
    notes += [_merge_note(m) for m in merges]
    notes += lines.notes
    if not found.signed_by_account:
        warning = negative_revenue_note(lines)
        if warning:
            notes.append(warning)
    rounding = bd.rounding_note(lines, request.unit)
    if rounding:
        notes.append(rounding)
    notes.append(bd.check_totals(lines, expected, labels, found.booked_result))

    fin = _in_year(inputs.finansiering, year)
    has_fin = fin is not None and not fin.empty
    if has_fin and not period.full_year:
        notes.insert(len(notes) - 1, "Den externa finansieringen (t.ex. ESF) anges per helår och redovisas "
                                     "därför inte brutto och netto för en del av året.")
    main = _main_table(rows, request, notes)
    sections = [Section("Utfall jan–juni och prognos" if request.halvar else "Budget och utfall", [main])]
    if fin is not None and has_fin and period.full_year:
        sections.append(_gross_net(rows, bd.rename_to_lines(fin, merges, lines.keys()), request))
    fork = _in_year(inputs.forklaringar, year)
    explanations = bd.rename_to_lines(fork, merges, lines.keys()) if fork is not None else None
    sections.append(_explanations(rows, explanations, request))

    if request.halvar:
        title, shown = f"Halvårsbokslut {year}: utfall jan–juni och prognos", ReportPeriod.half_year(year)
    elif period.full_year:
        title, shown = f"Budget och utfall {year}", ReportPeriod.whole_year(year)
    else:
        title = f"Delårsbokslut {year}: utfall till och med {period.end.isoformat()}"
        shown = ReportPeriod.cutoff(year, period.end)
    return AvvikelseResult(title, found.marked(shown), sections)


SIGN_NOTE = ("Avvikelse = utfall − budget. För kostnader betyder en positiv avvikelse att mer har förbrukats än "
             "budgeterat och en negativ att mindre har förbrukats; för intäkter och finansiella poster betyder en "
             "positiv avvikelse större intäkter än budgeterat. För resultatet betyder en positiv avvikelse ett "
             "bättre resultat än budgeterat.")

_MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
           "november", "december")


def _day(d: date) -> str:
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def _in_year(frame: pd.DataFrame | None, year: int) -> pd.DataFrame | None:
    return None if frame is None else frame[frame["ar"] == year]


def _merge_note(merge: bd.Merge) -> str:
    where = "budgeten" if merge.side == 0 else "utfallet"
    return (f"{bd.join_sv(list(merge.olds))} i {where} redovisas under {merge.new} "
            "(radmappning i finsam.toml).")


# --- half-year budget and forecast -----------------------------------------------------


def _half_year_budget(annual: pd.DataFrame, half: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Explicit half-year rows where a line has them; otherwise the annual budget × 6/12."""
    explicit = set(half["post"].map(bd.line_key))
    rest = annual[~annual["post"].map(bd.line_key).isin(explicit)]
    periodised = rest.assign(ore=(rest["ore"] * MONTHS_IN_HALF + 6) // 12)  # × 6/12, half öre up
    frame = pd.concat([half[["post", "grupp", "ore"]], periodised[["post", "grupp", "ore"]]], ignore_index=True)
    return frame, list(dict.fromkeys(rest["post"].map(bd.line_key)))


def _periodisation_note(periodised: list[str], lines: bd.Lines) -> str:
    keys = set(periodised)
    with_budget = lines.frame[lines.frame["helar"] != 0]
    posts = [str(p) for k, p in zip(lines.frame["key"], lines.frame["post"], strict=True) if k in keys]
    if keys and len(posts) >= len(with_budget):
        return "Budget jan–juni är periodiserad budget: helårsbudgeten × 6/12, för alla poster."
    if not keys:
        return "Budget jan–juni är budgetens uttryckliga halvårsbelopp (Period = Halvår) för alla poster."
    return (f"Budget jan–juni är periodiserad budget (helårsbudgeten × 6/12) för {bd.join_sv(posts)}; "
            "övriga poster har en uttrycklig halvårsbudget (Period = Halvår).")


def _add_forecast(lines: bd.Lines, annual: pd.DataFrame, prognos: pd.DataFrame | None, merges: list[bd.Merge],
                  year: int) -> str:
    """Add the `prognos` measure: the economist's forecast where given, else outcome × 12/6."""
    overrides: dict[str, int] = {}
    if "prognos_ore" in annual:
        given = annual[annual["prognos_ore"].notna()]
        for post, ore in zip(given["post"], given["prognos_ore"], strict=True):
            key = bd.line_key(post)
            overrides[key] = overrides.get(key, 0) + int(ore)
    if prognos is not None:
        rows = prognos[(prognos["ar"] == year) | prognos["ar"].isna()]
        rows = bd.rename_to_lines(rows.assign(ore=bd.to_ore(rows["prognos"])), merges, lines.keys())
        from_file: dict[str, int] = {}
        for post, ore in zip(rows["post"], rows["ore"], strict=True):
            key = bd.line_key(post)
            from_file[key] = from_file.get(key, 0) + int(ore)
        overrides.update(from_file)
    frame = lines.frame
    linear = frame["utfall"] * 12 // MONTHS_IN_HALF
    given_series = frame["key"].map(overrides)
    frame["prognos"] = given_series.fillna(linear).round().astype("int64")
    lines.measures.append("prognos")
    unknown = sorted(set(overrides) - set(frame["key"]))
    named = [str(p) for k, p in zip(frame["key"], frame["post"], strict=True) if k in overrides]
    text = "Prognos helår är linjär: utfallet jan–juni × 12/6"
    if named:
        text += f", utom för {bd.join_sv(named)}, där ekonomens prognos används"
    text += "."
    if unknown:
        text += f" Prognoser för poster som saknas i budget och utfall har inte använts ({len(unknown)} st)."
    return text


# --- tables ----------------------------------------------------------------------------


def _main_table(rows: list[bd.LayoutRow], request: AvvikelseRequest, notes: list[TextLike]) -> Table:
    unit = request.unit
    if request.halvar:
        columns = [Column("Post"), Column("Utfall jan–juni", Kind.AMOUNT), Column("Budget jan–juni", Kind.AMOUNT),
                   Column("Avvikelse", Kind.AMOUNT), Column("Helårsbudget", Kind.AMOUNT),
                   Column("Prognos helår", Kind.AMOUNT), Column("Prognos − budget", Kind.AMOUNT)]
        body = [Row([r.label, bd.money(r.values["utfall"], unit), bd.money(r.values["budget"], unit),
                     bd.money(r.values["utfall"] - r.values["budget"], unit), bd.money(r.values["helar"], unit),
                     bd.money(r.values["prognos"], unit), bd.money(r.values["prognos"] - r.values["helar"], unit)],
                    r.style) for r in rows]
        title = f"Utfall jan–juni, budget och prognos per post {request.year}"
        chart = Chart(type="bar", title=f"Kostnader jan–juni {request.year}: utfall och budget", categories=0,
                      series=(1, 2), only=bd.cost_lines(rows))
        key = "budget-halvar"
    else:
        columns = [Column("Post"), Column("Utfall", Kind.AMOUNT), Column("Budget", Kind.AMOUNT),
                   Column("Avvikelse", Kind.AMOUNT), Column("% av budget", Kind.PERCENT)]
        body = []
        for r in rows:
            u, b = r.values["utfall"], r.values["budget"]
            share = u / b if b != 0 and r.role != "result" else None
            body.append(Row([r.label, bd.money(u, unit), bd.money(b, unit), bd.money(u - b, unit), share], r.style))
        title = f"Utfall och budget per post {request.year}"
        chart = Chart(type="bar", title=f"Kostnader {request.year}: utfall och budget", categories=0, series=(1, 2),
                      only=bd.cost_lines(rows))
        key = "budget-utfall"
    return Table(key=key, title=title, columns=columns, rows=body, notes=notes, chart=chart)


def _gross_net(rows: list[bd.LayoutRow], fin: pd.DataFrame, request: AvvikelseRequest) -> Section:
    """Gross outcome, external financing per source, real (net) outcome and deviation."""
    unit = request.unit
    fin = fin.assign(key=fin["post"].map(bd.line_key), source=fin["kalla"].map(bd.line_key),
                     ore=bd.to_ore(fin["belopp"]))
    # source key -> its first spelling, in file order
    sources = {k: str(fin.loc[fin["source"] == k, "kalla"].iloc[0]) for k in dict.fromkeys(fin["source"])}
    amounts = fin.groupby(["key", "source"], sort=False)["ore"].sum()
    by_line = {r.key: r for r in rows if r.role == "line" and r.key is not None}
    names = {**{k: str(p) for k, p in zip(fin["key"], fin["post"], strict=True)},
             **{r.key: r.label for r in rows if r.role == "line" and r.key is not None}}
    order = [r.key for r in rows if r.role == "line" and r.key in set(fin["key"])]
    unknown = [k for k in dict.fromkeys(fin["key"]) if k not in by_line]
    columns = [Column("Post"), Column("Utfall brutto", Kind.AMOUNT)]
    columns += [Column(f"{label}-medel", Kind.AMOUNT) for label in sources.values()]
    columns += [Column("Verkligt utfall", Kind.AMOUNT), Column("Budget", Kind.AMOUNT),
                Column("Verklig avvikelse", Kind.AMOUNT)]
    totals = [0] * (len(sources) + 4)
    body: list[Row] = []
    for key in [*order, *unknown]:
        assert key is not None
        line = by_line.get(key)
        gross = line.values["utfall"] if line else 0
        budget = line.values["budget"] if line else 0
        parts = [int(amounts.get((key, s), 0)) for s in sources]
        net = gross - sum(parts)
        values = [gross, *parts, net, budget, net - budget]
        totals = [t + v for t, v in zip(totals, values, strict=True)]
        body.append(Row([names[key], *(bd.money(v, unit) for v in values)]))
    body.append(Row(["Totalt", *(bd.money(v, unit) for v in totals)], Style.TOTAL))
    source_text = bd.join_sv([f"{s}-medel" for s in sources.values()])
    notes = [f"Verkligt utfall = utfall brutto − {source_text}. Verklig avvikelse = verkligt utfall − budget; "
             "ett negativt tal betyder att nettokostnaden blev lägre än budgeterat."]
    if unknown:
        notes.append(f"Finansiering finns för {bd.join_sv([names[k] for k in unknown])}, som saknar både budget och "
                     "utfall; kontrollera postens namn i finansieringsfilen.")
    paragraph = (f"Extern finansiering ({bd.join_sv(list(sources.values()))}) bokförs som intäkt, så utfallet för en "
                 "externt finansierad post är brutto medan budgeten avser förbundets egen del. Tabellen drar av "
                 "finansieringen från utfallet och jämför det verkliga utfallet med budgeten.")
    table = Table(key="brutto-netto", title="Verkligt utfall efter extern finansiering", columns=columns,
                  rows=body, notes=notes)
    return Section("Brutto och netto", [table], paragraphs=[paragraph])


def _explanations(rows: list[bd.LayoutRow], fork: pd.DataFrame | None, request: AvvikelseRequest) -> Section:
    unit = request.unit
    threshold = round(request.threshold_kr * bd.ORE_PER_KRONA)
    texts: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    if fork is not None:
        for post, text in zip(fork["post"], fork["forklaring"], strict=True):
            key = bd.line_key(post)
            texts.setdefault(key, []).append(str(text))
            names.setdefault(key, str(post))
    line_rows = [r for r in rows if r.role == "line"]

    def deviation(r: bd.LayoutRow) -> int:
        return r.values["utfall"] - r.values["budget"]

    tables: list[Table] = []
    paragraphs: list[TextLike] = []
    explained = [Row([r.label, bd.money(deviation(r), unit), " ".join(texts[r.key])])
                 for r in line_rows if r.key in texts]
    shown = {r.key for r in line_rows}
    stray = [k for k in texts if k not in shown]
    explained += [Row([names[k], None, " ".join(texts[k])]) for k in stray]
    if explained:
        notes = []
        if stray:
            notes.append(f"{bd.join_sv([names[k] for k in stray])} finns inte i budget eller utfall för perioden.")
        tables.append(Table(
            key="forklaringar", title="Förklaring till avvikelser",
            columns=[Column("Post"), Column("Avvikelse", Kind.AMOUNT), Column("Förklaring")],
            rows=explained, notes=notes))
    else:
        paragraphs.append(f"Förklaring till avvikelser: inga förklaringar för {request.year} i underlaget.")
    judged = [r for r in line_rows if request.explain_revenue or r.klass != bd.REVENUE]
    missing = [Row([r.label, bd.money(deviation(r), unit)]) for r in judged
               if abs(deviation(r)) >= threshold and r.key not in texts]
    limit = bd.kronor_text(threshold)
    revenue = "" if request.explain_revenue else " Intäktsposter behöver ingen förklaring (troskel.intakter)."
    if missing:
        tables.append(Table(
            key="saknar-forklaring", title="Avvikelser som saknar förklaring",
            columns=[Column("Post"), Column("Avvikelse", Kind.AMOUNT)], rows=missing,
            notes=[Text("Avvikelser på ") + limit + (" eller mer (uppåt eller nedåt) ska förklaras; tröskeln "
                                                     "ställs in med troskel.forklaring i finsam.toml." + revenue)]))
    else:
        paragraphs.append(Text("Alla avvikelser på ") + limit + " eller mer har en förklaring." + revenue)
    return Section("Förklaringar", tables, paragraphs)
