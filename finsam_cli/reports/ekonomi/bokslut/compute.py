"""Resultaträkning, Balansräkning, Kassaflödesanalys and Noter 1–7 from a trial balance, cross-checked."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta

from . import chart as c
from .checks import check_balance_sheet, check_cash, check_equity, check_note
from .figures import YearFigures, year_figures
from .model import ROUNDING_FOOTNOTE, Bokslut, Note, Row, RowStyle, Statement, kronor
from .trial_balance import TrialBalance

PRINCIPER_1997 = ("Årsredovisningen är upprättad i enlighet med lagen (1997:614) om kommunal redovisning "
                  "i tillämpliga delar.")
PRINCIPER_2018 = ("Årsredovisningen är upprättad i enlighet med lagen (2018:597) om kommunal bokföring och "
                  "redovisning i tillämpliga delar.")
OPEN_YEAR = ("Årets resultat {year} är inte bokfört mot eget kapital i underlaget; eget kapital visas inklusive "
             "årets resultat.")
NO_PREVIOUS = "Underlaget saknar föregående år ({year}); kolumnen visas med –."

# Notes listing the accounts of a line, with the sign that makes their amounts positive.
ACCOUNT_NOTES = {2: (c.MEDLEMSAVGIFTER, 1), 3: (c.BIDRAG, 1), 4: (c.KOSTNADER, -1), 5: (c.FORDRINGAR, 1),
                 7: (c.KORTFRISTIGA, 1)}
NOTE_OF = {line: number for number, (line, _) in ACCOUNT_NOTES.items()} | {c.EGET_KAPITAL: 6}

Amount = Callable[[YearFigures], int | None]


def principer(year: int) -> str:
    """Not 1's default text: the law in force for the year."""
    return PRINCIPER_1997 if year < 2019 else PRINCIPER_2018


class _Columns:
    """Builds rows for this year and last year, and notes where shown figures do not add up."""

    def __init__(self, current: YearFigures, previous: YearFigures | None, previous_closing: str):
        self.years = (current, previous)
        self.previous_closing = previous_closing  # the heading of a missing previous year's balance column
        self.rounding_differs = False

    def row(self, label: str, amount: Amount, note: int | None = None, style: RowStyle = RowStyle.NORMAL) -> Row:
        cur, prev = (None if y is None else amount(y) for y in self.years)
        return Row(label, cur, prev, note, style)

    def line(self, name: str) -> Row:
        return self.row(name, lambda y: y.line(name), NOTE_OF.get(name))

    def total(self, label: str, parts: Sequence[Row], style: RowStyle = RowStyle.SUBTOTAL,
              value: Amount | None = None) -> Row:
        """A sum of rows (or `value`, checked elsewhere against them), flagging rounding differences."""
        def summed(y: YearFigures) -> int:
            return sum(_ore(p, y is self.years[0]) for p in parts)

        row = self.row(label, value or summed, style=style)
        for shown, current in ((row.current, True), (row.previous, False)):
            if shown is not None and kronor(shown) != sum(kronor(_ore(p, current)) for p in parts):
                self.rounding_differs = True
        return row


def _ore(row: Row, current: bool) -> int:
    value = row.current if current else row.previous
    return value or 0


def _optional(cols: _Columns, names: Sequence[str]) -> list[Row]:
    """Lines shown only when they hold anything in either year."""
    return [cols.line(n) for n in names if any(y is not None and y.line(n) for y in cols.years)]


def _resultatrakning(cols: _Columns) -> Statement:
    revenue_and_costs = [cols.line(c.MEDLEMSAVGIFTER), cols.line(c.BIDRAG), cols.line(c.OVRIGA_INTAKTER),
                         cols.line(c.KOSTNADER), cols.line(c.AVSKRIVNINGAR)]
    netto = cols.total("Verksamhetens nettokostnad", revenue_and_costs)
    financial = [cols.line(c.FIN_INTAKTER), cols.line(c.FIN_KOSTNADER)]
    before = cols.total("Resultat före extraordinära intäkter", [netto, *financial])
    extra = [cols.line(c.EXTRA_INTAKTER), *_optional(cols, [c.EXTRA_KOSTNADER])]
    result = cols.total("Periodens/årets resultat", [before, *extra], RowStyle.TOTAL, lambda y: y.result)
    return Statement("Resultaträkning", _year_columns(cols), (*revenue_and_costs, netto, *financial, before,
                                                              *extra, result))


def _balansrakning(cols: _Columns) -> Statement:
    fixed = _optional(cols, [c.ANLAGGNING])
    current_assets = [*_optional(cols, [c.FORRAD]), cols.line(c.FORDRINGAR), *_optional(cols, [c.PLACERINGAR]),
                      cols.line(c.KASSA)]
    sum_current = cols.total("Summa omsättningstillgångar", current_assets)
    assets = cols.total("Summa tillgångar", [*fixed, sum_current], RowStyle.TOTAL)
    claims = [cols.line(c.EGET_KAPITAL), *_optional(cols, [c.AVSATTNINGAR]), cols.line(c.LANGFRISTIGA),
              cols.line(c.KORTFRISTIGA)]
    sum_claims = cols.total("Summa eget kapital och skulder", claims, RowStyle.TOTAL)
    for y, a, e in zip(cols.years, (assets.current, assets.previous), (sum_claims.current, sum_claims.previous),
                       strict=True):
        if y is not None:
            check_balance_sheet(y.label, a or 0, e or 0)
    heading = RowStyle.HEADING
    rows = (Row("Tillgångar", style=heading), *fixed, Row("Omsättningstillgångar", style=heading), *current_assets,
            sum_current, assets, Row("Eget kapital och skulder", style=heading), *claims, sum_claims,
            Row("Panter och därmed jämförliga säkerheter", style=RowStyle.MEMO),
            Row("Ansvarsförbindelser", style=RowStyle.MEMO))
    return Statement("Balansräkning", _date_columns(cols), rows)


def _kassaflode(cols: _Columns) -> Statement:
    def depreciation(y: YearFigures) -> int:
        return -y.result_lines.get(c.AVSKRIVNINGAR, 0)

    result = cols.row("Periodens/årets resultat", lambda y: y.result)
    adjust = cols.row("Justering för ej likviditetspåverkande poster",
                      lambda y: depreciation(y) + y.change(c.AVSATTNINGAR))
    funds = cols.total("Medel från verksamheten före förändring av rörelsekapital", [result, adjust])
    receivables = cols.row("Ökning/minskning kortfristiga fordringar",
                           lambda y: -(y.change(c.FORDRINGAR) + y.change(c.FORRAD)))
    liabilities = cols.row("Ökning/minskning kortfristiga skulder", lambda y: y.change(c.KORTFRISTIGA))
    operating = cols.total("Kassaflöde från den löpande verksamheten", [funds, receivables, liabilities])
    investing = cols.row("Kassaflöde från investeringsverksamheten",
                         lambda y: -(y.change(c.ANLAGGNING) + depreciation(y) + y.change(c.PLACERINGAR)))
    financing = cols.row("Kassaflöde från finansieringsverksamheten",
                         lambda y: y.change(c.LANGFRISTIGA) + y.equity_postings)
    flow = cols.total("Årets kassaflöde", [operating, investing, financing])
    start = cols.row("Likvida medel vid årets början", lambda y: y.opening.get(c.KASSA, 0))
    end = cols.total("Likvida medel vid årets slut", [start, flow], RowStyle.TOTAL)
    for y, computed in zip(cols.years, (end.current, end.previous), strict=True):
        if y is not None:
            check_cash(y.label, computed or 0, y.closing.get(c.KASSA, 0))
    rows = (result, adjust, funds, receivables, liabilities, operating, investing, financing, flow, start, end)
    return Statement("Kassaflödesanalys", _year_columns(cols), rows)


def _account_note(cols: _Columns, names: Mapping[int, str], number: int) -> Note:
    line, sign = ACCOUNT_NOTES[number]
    accounts = sorted({a for y in cols.years if y is not None for a, (ln, _, v) in y.accounts.items()
                       if ln == line and v})

    def amount(account: int) -> Amount:
        def of(y: YearFigures) -> int | None:
            value = y.accounts.get(account, ("", None, None))[2]
            return None if value is None else sign * value
        return of

    rows = [cols.row(names.get(account, f"Konto {account}"), amount(account)) for account in accounts]
    summa = cols.total("Summa", rows, RowStyle.TOTAL)
    for y, total in zip(cols.years, (summa.current, summa.previous), strict=True):
        if y is not None:
            check_note(y.label, number, total or 0, sign * (y.line(line) or 0))
    return Note(number, line, _date_columns(cols), (*rows, summa))


def _equity_note(cols: _Columns) -> Note:
    opening = cols.row("Ingående balans eget kapital", lambda y: y.opening.get(c.EGET_KAPITAL, 0))
    result = cols.row("Periodens/årets resultat", lambda y: y.result)
    direct = [cols.row("Direkt bokfört mot eget kapital", lambda y: y.equity_postings)]
    if not any(y is not None and y.equity_postings for y in cols.years):
        direct = []
    closing = cols.total("Utgående balans eget kapital", [opening, result, *direct], RowStyle.TOTAL,
                         lambda y: y.closing.get(c.EGET_KAPITAL, 0))
    return Note(6, "Eget kapital", _date_columns(cols), (opening, result, *direct, closing))


def _year_columns(cols: _Columns) -> tuple[str, str]:
    current, previous = cols.years
    return current.label, previous.label if previous else _previous_label(current)


def _previous_label(current: YearFigures) -> str:
    first, _, second = current.label.partition("/")
    return str(int(first) - 1) + (f"/{int(second) - 1:02d}" if second else "")


def _date_columns(cols: _Columns) -> tuple[str, str]:
    current, previous = cols.years
    return current.closing_date, previous.closing_date if previous else cols.previous_closing


def bokslut(tb: TrialBalance, rader: Mapping[str, c.Ranges] | None = None, not1: str | None = None) -> Bokslut:
    """The statements of `tb.current` beside `tb.previous`; a data error if the figures disagree anywhere."""
    years = [y for y in (tb.current, tb.previous) if y is not None]
    lines = c.assign_lines(c.accounts_with_amounts((y.ib, y.ub, y.res) for y in years), rader)
    current = year_figures(tb.current, lines)
    previous = year_figures(tb.previous, lines) if tb.previous else None
    cols = _Columns(current, previous, (tb.current.start - timedelta(days=1)).isoformat())
    income, balance = _resultatrakning(cols), _balansrakning(cols)
    for y in (current, previous):
        if y is not None:
            check_equity(y.label, y.opening.get(c.EGET_KAPITAL, 0), y.closing.get(c.EGET_KAPITAL, 0), y.result,
                         y.equity_postings)
    statements = (income, balance, _kassaflode(cols))
    notes = [Note(1, "Redovisningsprinciper", _date_columns(cols), text=not1 or principer(tb.current.end.year))]
    notes += [_account_note(cols, tb.names, n) for n in (2, 3, 4, 5)]
    notes += [_equity_note(cols), _account_note(cols, tb.names, 7)]
    notices = [OPEN_YEAR.format(year=y.label) for y in (current, previous) if y is not None and not y.closed]
    if previous is None:
        notices.append(NO_PREVIOUS.format(year=_previous_label(current)))
    footnotes = (ROUNDING_FOOTNOTE,) if cols.rounding_differs else ()
    return Bokslut(current.label, current.closed, statements, tuple(notes), tuple(notices), footnotes)
