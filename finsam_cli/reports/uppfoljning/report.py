"""Underlag till Uppföljning Finsam: the figures the association registers in the national follow-up.

In the order the registration asks for them (domain.md, "Uppföljning Finsam"): allocated funds
per member and the association's equity; budget and outcome of the administrative costs; per
insats budget and outcome, budgeted participants, inriktning and ESF; participants of the
structural insatser; participants of the individual insatser by sex. The system's exact field
list is not published, so the report says which figures it holds and where each comes from.

Money is summed in öre by the budget reports' helpers (budget_data.py), participants are counted
by the shared stint metrics, so these figures agree with budget-avvikelse and maluppfyllelse.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from ...config import Config, Insats
from ...errors import UsageError
from ...inputs.accounts import outcome_years
from ...inputs.schema import FileKind
from ...inputs.sie.model import SieFile
from ...inputs.view import Inputs as Files
from ..deltagare.coverage import coverage, covered_until
from ..deltagare.insatser import with_anonyma
from ..deltagare.malgrupp_data import active_by_sex
from ..ekonomi import budget_data as bd
from ..ekonomi.accounts_outcome import PeriodOutcome, period_outcome
from ..ekonomi.medlemsavgifter import population_on, split_fee
from ..model import Column, Kind, Period, Provenance, Report, Row, Section, Style, Table
from ..provenance import provenance
from .entry import UppfoljningParams

KIND = "uppfoljning"
ADMIN_GROUP = "Styrelse och kansli"
INSATS_GROUP = "Insatser"
ESF = "ESF"
STRUCTURAL = "strukturövergripande"
FIELDS_NOTE = ("Uppföljning Finsams exakta fältlista är inte publicerad i finsams källor. Underlaget innehåller "
               "de uppgifter som förbundet registrerar: tilldelade medel och eget kapital, budget och utfall för "
               "de administrativa kostnaderna, budget och utfall, budgeterat antal deltagare, inriktning och "
               "ESF-finansiering per insats, antal deltagare i strukturövergripande insatser och antal deltagare "
               "i individinriktade insatser fördelat på kön.")


@dataclass(frozen=True)
class Inputs:
    """The loaded frames (canonical columns) and the file names used in messages."""

    stints: pd.DataFrame
    anonyma: pd.DataFrame | None
    budget: pd.DataFrame
    utfall: pd.DataFrame
    finansiering: pd.DataFrame | None
    befolkning: pd.DataFrame | None
    files: Mapping[str, str]
    # The equity at the end of the year from the accounts (kronor), when they are configured: the
    # seam for the accounts reader (SIE/saldolista). None: worked out from the outcome file.
    accounts_equity: int | None = None
    accounts: SieFile | None = None  # the outcome is this SIE export (then `utfall` is its transactions)


def uppfoljning_report(files: Files, params: UppfoljningParams) -> Report:
    """The report from the loaded files."""
    year = params.year
    inputs = Inputs(
        stints=files.frame(FileKind.DELTAGARE), anonyma=files.optional(FileKind.ANONYMA),
        budget=files.frame(FileKind.BUDGET), utfall=files.frame(FileKind.UTFALL),
        finansiering=files.optional(FileKind.FINANSIERING), befolkning=files.optional(FileKind.BEFOLKNING),
        accounts=_accounts(files),
        files={"budget": files.name(FileKind.BUDGET), "utfall": files.name(FileKind.UTFALL),
               "befolkning": files.name(FileKind.BEFOLKNING)},
    )
    return build(inputs, files.config, year, provenance(files, {"år": str(year)}))


def _accounts(files: Files) -> SieFile | None:
    """The SIE export the outcome was read from, if it was one."""
    utfall = files.loaded(FileKind.UTFALL)
    return utfall.sie if utfall is not None else None


def build(inputs: Inputs, config: Config, year: int, prov: Provenance) -> Report:
    """The whole report from frames: pure, no I/O. A year outside the participant data is refused, a year
    it covers in part is marked."""
    until = covered_until(coverage(inputs.stints), year, half_year=False)
    lines, outcome = _year_lines(inputs, config, year)
    frame = lines.frame
    tables = [
        _allocated(inputs, config, year, frame),
        _equity(inputs, config, year),
        _admin(frame, year),
        *_insatser(inputs, config, year, frame),
    ]
    section = Section("Uppgifter att registrera", [t for t in tables if t is not None],
                      paragraphs=[FIELDS_NOTE], sheet="Uppföljning Finsam")
    return Report(kind=KIND, title=f"Underlag till Uppföljning Finsam {year}", association=config.forbund.namn,
                  period=outcome.marked(replace(Period.whole_year(year), covered_until=until)), provenance=prov,
                  sections=[section], unit="kr")


# --- money ----------------------------------------------------------------------------------


def _lines(inputs: Inputs, year: int, sources: Sequence[tuple[str, pd.DataFrame]],
           first_is_budget: bool = True) -> bd.Lines:
    return bd.assemble(sources, bd.groups_elsewhere(inputs.budget, year), bd.group_order(inputs.budget),
                       first_is_budget=first_is_budget, budget_file=inputs.files["budget"], year=year)


def _year_lines(inputs: Inputs, config: Config, year: int) -> tuple[bd.Lines, PeriodOutcome]:
    """Budget and outcome per budget line for the year, lines renamed as `[budget.radmappning]` says, and
    the outcome they come from."""
    annual = bd.budget_rows(inputs.budget, year)
    if annual.empty:
        raise UsageError(f"{inputs.files['budget']}: no budget for {year} (budget years in the file: "
                         f"{bd.years_in(inputs.budget['ar'])})")
    found = period_outcome(inputs.utfall, inputs.accounts, inputs.files["utfall"], bd.Period.whole(year),
                           bokforing=config.bokforing)
    outcome = found.rows
    merges = bd.plan_merges([annual["post"], outcome["post"]], config.budget.radmappning)
    return _lines(inputs, year, [("budget", bd.rename_posts(annual, merges, 0)),
                                 ("utfall", bd.rename_posts(outcome, merges, 1))]), found


def _kr(ore: int) -> int | float:
    return bd.money(ore, "kr")


def _allocated(inputs: Inputs, config: Config, year: int, frame: pd.DataFrame) -> Table:
    """Tilldelade medel per member: the year's fee, split as the law and the members' agreement say."""
    fees = config.medlemsavgifter
    configured = fees.total.get(year)
    fee_lines = frame[frame["key"].str.startswith("medlemsavgift")]
    total = configured if configured is not None else round(int(fee_lines["utfall"].sum()) / bd.ORE_PER_KRONA)
    source = (f"[medlemsavgifter.total] {year} i finsam.toml" if configured is not None
              else f"utfallet för {bd.join_sv([str(p) for p in fee_lines['post']]) or 'medlemsavgifter'} {year}")
    columns = [Column("Medlem"), Column("Tilldelade medel", Kind.AMOUNT)]
    notes = [f"Medlemsavgifterna {year} enligt {source}."]
    if inputs.befolkning is None or total <= 0:
        notes.append("Utan befolkningsfil kan avgiften inte fördelas per medlem; totalen visas.")
        return Table(key="tilldelade-medel", title=f"Tilldelade medel {year}", columns=columns,
                     rows=[Row(["Medlemsavgifter totalt", total], Style.TOTAL)], notes=notes)
    day = date(year - 1, 11, 1)
    parts = split_fee(total, 1, population_on(inputs.befolkning, day, fees.kommuner, inputs.files["befolkning"]),
                      fees)
    notes.append(f"Fördelade som medlemsavgifterna: {parts[0].name} 50 %, {parts[1].name} 25 % och kommunerna 25 % "
                 f"efter folkmängden den 1 november {year - 1}, i hela kronor (största-restmetoden).")
    rows = [Row([p.name, p.amount]) for p in parts]
    rows.append(Row(["Totalt", sum(p.amount for p in parts)], Style.TOTAL))
    return Table(key="tilldelade-medel", title=f"Tilldelade medel {year}", columns=columns, rows=rows, notes=notes)


def _equity(inputs: Inputs, config: Config, year: int) -> Table:
    """Eget kapital at the end of the year: from the accounts, else a known equity plus the results since."""
    columns = [Column("Uppgift"), Column("Belopp", Kind.AMOUNT)]
    title = f"Eget kapital {year}"
    if inputs.accounts_equity is not None:
        return Table(key="eget-kapital", title=title, columns=columns,
                     rows=[Row([f"Eget kapital 31 december {year}", inputs.accounts_equity], Style.TOTAL)],
                     notes=[f"Ur bokslutet (balansräkningen) {year}."])
    known = {y: v for y, v in config.uppfoljning.eget_kapital.items() if y <= year}
    base = max(known, default=None)
    data_years = outcome_years(inputs.utfall, inputs.accounts)
    first = base + 1 if base is not None else (data_years[0] if data_years else year)
    missing = [y for y in range(first, year + 1) if y not in data_years]
    if missing:
        raise UsageError(f"{inputs.files['utfall']}: no outcome for {bd.join_sv([str(y) for y in missing])}, "
                         f"needed for the equity at the end of {year}; set [uppfoljning.eget_kapital] for a "
                         "later year")
    rows = []
    if base is not None:
        rows.append(Row([f"Eget kapital 31 december {base}", known[base]]))
    results = [(y, _result(inputs, config, y)) for y in range(first, year + 1)]
    rows += [Row([f"Årets resultat {y}", _kr(ore)]) for y, ore in results]
    total_ore = sum(ore for _, ore in results) + (known[base] * bd.ORE_PER_KRONA if base is not None else 0)
    if base is not None:
        rows.append(Row([f"Eget kapital 31 december {year}", _kr(total_ore)], Style.TOTAL))
        notes = [f"Eget kapital 31 december {base} enligt [uppfoljning.eget_kapital] i finsam.toml, plus årens "
                 "resultat därefter ur utfallsfilen (intäkter och finansiella poster minus kostnader)."]
    else:
        rows.append(Row([f"Summa av årens resultat {first}–{year}", _kr(total_ore)], Style.TOTAL))
        notes = [f"Bokslutet är inte konfigurerat och inget eget kapital är angivet, så summan avser bara årens "
                 f"resultat {first}–{year} i utfallsfilen. Eget kapital från tiden före {first} ingår inte: ange "
                 "eget kapital vid ett års slut i [uppfoljning.eget_kapital] i finsam.toml."]
    return Table(key="eget-kapital", title=title, columns=columns, rows=rows, notes=notes)


def _result(inputs: Inputs, config: Config, year: int) -> int:
    """The year's result in öre from the outcome file: revenues + financial items − costs."""
    outcome = period_outcome(inputs.utfall, inputs.accounts, inputs.files["utfall"], bd.Period.whole(year),
                             bokforing=config.bokforing).rows
    rows = bd.layout(_lines(inputs, year, [("utfall", outcome)], first_is_budget=False))
    return rows[-1].values["utfall"]


def _admin(frame: pd.DataFrame, year: int) -> Table:
    part = frame[frame["grupp"].map(bd.line_key) == bd.line_key(ADMIN_GROUP)]
    rows = [Row([str(post), _kr(int(budget)), _kr(int(utfall))])
            for post, budget, utfall in zip(part["post"], part["budget"], part["utfall"], strict=True)]
    rows.append(Row([f"Summa {ADMIN_GROUP.lower()}", _kr(int(part["budget"].sum())), _kr(int(part["utfall"].sum()))],
                    Style.TOTAL))
    return Table(key="administrativa-kostnader", title=f"Administrativa kostnader {year}",
                 columns=[Column("Post"), Column("Budget", Kind.AMOUNT), Column("Utfall", Kind.AMOUNT)], rows=rows,
                 notes=[f"Budgetgruppen {ADMIN_GROUP} i budgeten och utfallet."])


# --- per insats -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Insats:
    insats: Insats
    budget: int  # öre
    utfall: int
    esf: bool
    goal: int | None
    participants: int | None  # structural insatser: from the catalogue


def _insatser(inputs: Inputs, config: Config, year: int, frame: pd.DataFrame) -> list[Table]:
    anon, known = with_anonyma(inputs.stints, inputs.anonyma, config)
    individual = [i for i in known if i.inriktning != STRUCTURAL]
    by_sex = active_by_sex(inputs.stints, anon, known, {i.key: i.namn for i in known}, [i.namn for i in known], year)
    esf = _esf_lines(inputs, year)
    amounts = frame.set_index("key")[["budget", "utfall"]]

    claimed: set[str] = set()
    chosen: list[_Insats] = []
    for insats in known:
        keys = [k for k in (bd.line_key(p) for p in insats.posts) if k in amounts.index]
        claimed.update(keys)
        goals = insats.mal.get(year)
        goal = (goals.deltagare if goals.deltagare is not None else goals.deltagare_med_insats) if goals else None
        counted = insats.deltagare_antal.get(year) if insats.inriktning == STRUCTURAL else None
        if not keys and insats.namn not in by_sex.index and counted is None:
            continue  # nothing to register for this insats this year
        money = amounts.loc[keys].sum()
        chosen.append(_Insats(
            insats, int(money["budget"]), int(money["utfall"]),
            insats.esf if insats.esf is not None else any(k in esf for k in keys), goal, counted))
    if not chosen:
        raise UsageError(f"no insats has budget, outcome or participants in {year}; give another year")

    money_rows = [Row([c.insats.namn, c.insats.inriktning.capitalize(), "Ja" if c.esf else "Nej", _kr(c.budget),
                       _kr(c.utfall), c.goal]) for c in chosen]
    money_notes = ["Budget och utfall är summan av insatsens budgetposter (budgetposter i katalogen, annars posten "
                   "med insatsens namn). Budgeterat antal deltagare är målet för deltagare (för Resursråd "
                   "deltagare med insats) i katalogen.",
                   "ESF: enligt esf i katalogen, annars Ja när finansieringsfilen har ESF-medel för insatsens "
                   f"poster {year}."]
    loose = frame[(frame["grupp"].map(bd.line_key) == bd.line_key(INSATS_GROUP)) & ~frame["key"].isin(claimed)]
    if len(loose):
        money_notes.append(f"Budgetposter i gruppen {INSATS_GROUP} som inte hör till någon insats i katalogen och "
                           f"därför inte finns med: {bd.join_sv([str(p) for p in loose['post']])}.")
    tables = [Table(key="insatser", title=f"Insatser {year}: budget, utfall och budgeterat antal deltagare",
                    columns=[Column("Insats"), Column("Inriktning"), Column("ESF"), Column("Budget", Kind.AMOUNT),
                             Column("Utfall", Kind.AMOUNT), Column("Budgeterat antal deltagare", Kind.COUNT)],
                    rows=money_rows, notes=money_notes)]

    structural = [c for c in chosen if c.insats.inriktning == STRUCTURAL]
    if structural:
        tables.append(Table(
            key="deltagare-strukturovergripande", title=f"Deltagare i strukturövergripande insatser {year}",
            columns=[Column("Insats"), Column("Deltagare", Kind.COUNT)],
            rows=[Row([c.insats.namn, c.participants]) for c in structural],
            notes=["Antal deltagare enligt deltagare_antal i katalogen; tomt där inget antal är angivet."]))

    people = by_sex.reindex([c.insats.namn for c in chosen if c.insats in individual]).dropna()
    rows = [Row([str(name), int(women), int(men), int(women + men)])
            for name, women, men in zip(people.index, people["Kvinna"], people["Man"], strict=True)]
    rows.append(Row(["Totalt", int(people["Kvinna"].sum()), int(people["Man"].sum()),
                     int(people.to_numpy().sum())], Style.TOTAL))
    tables.append(Table(
        key="deltagare-kon", title=f"Deltagare i individinriktade insatser fördelat på kön {year}",
        columns=[Column("Insats"), Column("Kvinnor", Kind.COUNT), Column("Män", Kind.COUNT),
                 Column("Totalt", Kind.COUNT)],
        rows=rows, protect=True,
        notes=[f"Deltagare med en registrering som var aktiv någon gång under {year} (påbörjad senast 31 december "
               "och inte avslutad före 1 januari), felregistreringar undantagna, plus anonyma deltagare. Den som "
               "deltar i två insatser räknas i båda."]))
    return tables


def _esf_lines(inputs: Inputs, year: int) -> set[str]:
    """The budget lines (keys) with ESF money in the financing file for the year."""
    fin = inputs.finansiering
    if fin is None or fin.empty:
        return set()
    rows = fin[(fin["ar"] == year) & (fin["kalla"].map(bd.line_key) == bd.line_key(ESF))]
    return {bd.line_key(p) for p, amount in zip(rows["post"], bd.to_ore(rows["belopp"]), strict=True) if amount}
