"""The computed statements as a report: one section per statement, then the notes, amounts in whole kronor."""

from __future__ import annotations

from dataclasses import replace

from ....inputs.view import Inputs
from ...model import Column, Kind, Period, PeriodKind, Report, Row, Section, Style, Table, TextLike
from ...provenance import provenance
from .compute import bokslut
from .entry import BokslutParams
from .model import Bokslut, Note, RowStyle, Statement, kronor
from .model import Row as Line
from .source import load_accounts

KIND = "bokslut"
NO_AMOUNT = "–"  # a line without an amount, as published

_STYLES = {RowStyle.NORMAL: Style.NORMAL, RowStyle.SUBTOTAL: Style.SUBTOTAL, RowStyle.TOTAL: Style.TOTAL,
           RowStyle.HEADING: Style.HEADING, RowStyle.MEMO: Style.NORMAL}
_KEYS = {"Resultaträkning": "resultatrakning", "Balansräkning": "balansrakning",
         "Kassaflödesanalys": "kassaflodesanalys"}


def _amount(ore: int | None, heading: bool) -> int | str | None:
    if heading:
        return None
    return NO_AMOUNT if ore is None else kronor(ore)


def _rows(lines: tuple[Line, ...], with_note: bool) -> list[Row]:
    rows = []
    for line in lines:
        heading = line.style is RowStyle.HEADING
        amounts = [_amount(line.current, heading), _amount(line.previous, heading)]
        cells = [line.label, line.note, *amounts] if with_note else [line.label, *amounts]
        rows.append(Row(cells, _STYLES[line.style]))
    return rows


def statement_table(statement: Statement) -> Table:
    """A statement as published: the label, the Not number in a column of its own, this year, last year."""
    with_note = any(line.note is not None for line in statement.rows)
    columns = [Column(statement.title), *([Column("Not")] if with_note else []),
               *(Column(heading, Kind.AMOUNT) for heading in statement.columns)]
    return Table(key=_KEYS[statement.title], title=statement.title, columns=columns,
                 rows=_rows(statement.rows, with_note))


def note_table(note: Note) -> Table:
    return Table(key=f"not-{note.number}", title=f"Not {note.number}. {note.title}",
                 columns=[Column(note.title), *(Column(heading, Kind.AMOUNT) for heading in note.columns)],
                 rows=_rows(note.rows, with_note=False))


def sections(result: Bokslut) -> list[Section]:
    """Resultaträkning, Balansräkning, Kassaflödesanalys (a sheet each), then Noter: Not 1's text, the tables."""
    out = [Section(s.title, [statement_table(s)]) for s in result.statements]
    texts: list[TextLike] = [f"Not {n.number}. {n.title}: {n.text}" for n in result.notes if n.text]
    out.append(Section("Noter", [note_table(n) for n in result.notes if n.rows], texts))
    return out


def bokslut_report(inputs: Inputs, params: BokslutParams) -> Report:
    tb, source = load_accounts(inputs, params.year, params.sie)
    config = inputs.config.bokslut
    result = bokslut(tb, config.rader, config.redovisningsprinciper)
    parameters = {"år": str(params.year), "underlag": source.name}
    made = provenance(inputs, parameters)
    period = Period(PeriodKind.YEAR, params.year, tb.current.start, tb.current.end)
    return Report(kind=KIND, title=f"Bokslut {result.year}", association=inputs.config.forbund.namn,
                  period=period, provenance=replace(made, inputs=(*made.inputs, source)),
                  sections=sections(result), notes=[*result.notices, *result.footnotes], unit="kr")
