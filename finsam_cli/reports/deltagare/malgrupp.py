"""Målgruppen och antalet deltagare (annual report 1.3.1): tables and the text the report prints.

The paragraphs follow the published 2017 text ("Totalt har 634 nya deltagare påbörjat en insats
under året, vilket kan jämföras med 477 deltagare året innan. 23 procent av deltagarna var från
Nynäshamn …"); each figure in them is one of the tables' cells.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ...inputs.schema import RemittentGrupp
from ..model import Chart, Column, Kind, Row, Section, Style, Table, Text, Value
from .malgrupp_data import STATED_EDUCATION, MalgruppFigures

TITLE = "Målgruppen och antalet deltagare"
COUNTS = (Column("Totalt", Kind.COUNT), Column("Kvinnor", Kind.COUNT), Column("Män", Kind.COUNT))
# How the text names a referrer group as the subject of a sentence.
REFERRER_SUBJECT = {RemittentGrupp.KOMMUN.value: "Kommunerna", RemittentGrupp.REGION.value: "Regionen",
                    RemittentGrupp.ANNAN.value: "Andra remittenter"}


def share(part: float, whole: float) -> float | None:
    return None if whole == 0 else float(part) / float(whole)


def malgrupp_section(fig: MalgruppFigures) -> Section:
    tables = [_new_table(fig), _counts_table("kommun", "Nya deltagare efter kommun", "Kommun", fig.kommun),
              _referrer_table(fig), _referrer_by_municipality(fig),
              _counts_table("alder", "Nya deltagare efter åldersgrupp", "Åldersgrupp", fig.alder,
                            ["Ålder det år deltagaren skrevs in."]),
              _sex_table(fig), _education_table(fig)]
    paragraphs = [_text_new(fig), _text_age(fig), _text_sex(fig), _text_education(fig)]
    return Section(TITLE, tables, [p for p in paragraphs if p is not None], sheet="Målgruppen")


# --- tables -----------------------------------------------------------------------------------


def _count_row(label: str, women: int, men: int, whole: int, style: Style = Style.NORMAL) -> Row:
    return Row([label, women + men, women, men, share(women + men, whole)], style)


def _counts_table(key: str, title: str, label: str, counts: pd.DataFrame, notes: Sequence[str] = ()) -> Table:
    total = int(counts.to_numpy().sum())
    rows = [_count_row(str(v), int(w), int(m), total)
            for v, w, m in zip(counts.index, counts["Kvinna"], counts["Man"], strict=True)]
    rows.append(_count_row("Totalt", int(counts["Kvinna"].sum()), int(counts["Man"].sum()), total, Style.TOTAL))
    return Table(key=f"malgrupp.{key}", title=title, columns=[Column(label), *COUNTS, Column("Andel", Kind.PERCENT)],
                 rows=rows, notes=list(notes), protect=True)


def _new_table(fig: MalgruppFigures) -> Table:
    return Table(key="malgrupp.nya", title=f"Nya deltagare {fig.year} och {fig.year - 1}",
                 columns=[Column("År", Kind.YEAR), Column("Nya deltagare", Kind.COUNT)],
                 rows=[Row([fig.year - 1, fig.new_before]), Row([fig.year, fig.new])],
                 notes=["Nya deltagare är påbörjade insatsdeltaganden under året, felregistreringar undantagna: den "
                        "som påbörjat två insatser räknas två gånger."], protect=True)


def _referrer_table(fig: MalgruppFigures) -> Table:
    """Each referrer group (bold) with its fine values beneath it."""
    counts = fig.remittent
    total = int(counts.to_numpy().sum())
    rows = []
    for group, part in counts.groupby(level=0, sort=False, observed=True):
        rows.append(_count_row(str(group), int(part["Kvinna"].sum()), int(part["Man"].sum()), total, Style.SUBTOTAL))
        fine = part.droplevel(0)
        if list(fine.index.astype(str)) == [str(group)]:
            continue  # a group that is its only value (Egen anmälan) needs no line beneath
        rows += [_count_row(f"\u2003{v}", int(w), int(m), total)
                 for v, w, m in zip(fine.index, fine["Kvinna"], fine["Man"], strict=True)]
    rows.append(_count_row("Totalt", int(counts["Kvinna"].sum()), int(counts["Man"].sum()), total, Style.TOTAL))
    return Table(key="malgrupp.remittent", title="Nya deltagare efter remittent",
                 columns=[Column("Remittent"), *COUNTS, Column("Andel", Kind.PERCENT)], rows=rows,
                 notes=["Remittentgrupper i fetstil, med remittenterna som de står i exporten under varje grupp."],
                 protect=True)


def _referrer_by_municipality(fig: MalgruppFigures) -> Table:
    """New participants per referrer group and municipality, with the published chart "Remittenter"."""
    counts = fig.remittent_kommun
    places = [str(k) for k in counts.columns]
    rows = [Row([str(g), *(int(v) for v in values), int(sum(values))])
            for g, values in zip(counts.index, counts.to_numpy().tolist(), strict=True)]
    rows.append(Row(["Totalt", *(int(v) for v in counts.sum(axis=0)), int(counts.to_numpy().sum())], Style.TOTAL))
    return Table(key="malgrupp.remittent-kommun", title="Nya deltagare efter remittent och kommun",
                 columns=[Column("Remittent"), *(Column(k, Kind.COUNT) for k in places), Column("Totalt", Kind.COUNT)],
                 rows=rows, protect=True,
                 chart=Chart(type="bar", title="Remittenter", categories=0, series=tuple(range(1, len(places) + 1))),
                 notes=["Deltagarens hemkommun; nya deltagare utan kommun eller remittent ingår inte."])


def _sex_table(fig: MalgruppFigures) -> Table:
    counts = fig.kon_grupp
    rows = [Row([str(g), int(w) + int(m), int(w), int(m), share(w, w + m), share(m, w + m)])
            for g, w, m in zip(counts.index, counts["Kvinna"], counts["Man"], strict=True)]
    women, men = int(counts["Kvinna"].sum()), int(counts["Man"].sum())
    rows.append(Row(["Alla insatser", women + men, women, men, share(women, women + men), share(men, women + men)],
                    Style.TOTAL))
    groups = "; ".join(f"{g}: {', '.join(names)}" for g, names in fig.groups_of.items())
    return Table(key="malgrupp.kon", title=f"Deltagare {fig.year} efter kön och insatsgrupp",
                 columns=[Column("Insatsgrupp"), *COUNTS, Column("Andel kvinnor", Kind.PERCENT),
                          Column("Andel män", Kind.PERCENT)],
                 rows=rows, protect=True,
                 chart=Chart(type="bar", title="Kön per insatsgrupp", categories=0, series=(2, 3)),
                 notes=[f"Deltagare aktiva någon gång under {fig.year}, anonyma deltagare medräknade; den som deltar "
                        "i två insatser räknas i båda.", f"Insatsgrupper (grupp i katalogen): {groups}."])


def _education_table(fig: MalgruppFigures) -> Table:
    counts = fig.utbildning
    everyone = int(counts.to_numpy().sum())
    stated = fig.education_stated
    n_stated = int(stated.to_numpy().sum())
    columns = [Column("Utbildningsnivå"), *COUNTS, Column("Andel av alla", Kind.PERCENT),
               Column("Andel av de som uppgett", Kind.PERCENT)]
    rows = []
    for value, women, men in zip(counts.index, counts["Kvinna"], counts["Man"], strict=True):
        n = int(women) + int(men)
        rows.append(Row([str(value), n, int(women), int(men), share(n, everyone),
                         share(n, n_stated) if value in STATED_EDUCATION else None]))
        if value == STATED_EDUCATION[-1]:
            rows.append(Row(["Uppgett utbildningsnivå", n_stated, int(stated["Kvinna"].sum()),
                             int(stated["Man"].sum()), share(n_stated, everyone), share(n_stated, n_stated)],
                            Style.SUBTOTAL))
    rows.append(Row(["Totalt", everyone, int(counts["Kvinna"].sum()), int(counts["Man"].sum()),
                     share(everyone, everyone), None], Style.TOTAL))
    return Table(key="malgrupp.utbildning", title="Nya deltagare efter utbildningsnivå", columns=columns, rows=rows,
                 protect=True, notes=["Förgymnasial motsvarar grundskola. Andelen av de som uppgett räknas utan "
                                      "Okänd och uppgift saknas."])


# --- text ---------------------------------------------------------------------------------------


def _pct(part: int, whole: int) -> Value | str:
    ratio = share(part, whole)
    return Value(ratio, Kind.PERCENT) if ratio is not None else "–"


def _n(count: int) -> Value:
    return Value(int(count), Kind.COUNT)


def _join(items: Sequence[Text]) -> Text:
    """Texts joined the Swedish way: "a, b och c"."""
    out = Text()
    for i, item in enumerate(items):
        out += (", " if i < len(items) - 1 else " och ") if i else ""
        out += item
    return out


def _text_new(fig: MalgruppFigures) -> Text:
    text = Text("Totalt har ", _n(fig.new), f" nya deltagare påbörjat en insats under {fig.year}, vilket kan "
                "jämföras med ", _n(fig.new_before), " deltagare året innan.")
    if not fig.new:
        return text
    kommun = fig.kommun.sum(axis=1)
    places = [Text(_pct(int(n), fig.new), f" {'av deltagarna var ' if i == 0 else ''}från {k}")
              for i, (k, n) in enumerate(kommun.items())]
    text += Text(" ") + _join(places) + "."
    groups = fig.remittent.groupby(level=0, sort=False, observed=True).sum().sum(axis=1)
    referred = int(groups.sum())
    named = [(REFERRER_SUBJECT.get(str(g), str(g)), int(n)) for g, n in groups.items()
             if str(g) != RemittentGrupp.EGEN_ANMALAN.value]
    if named:
        text += Text(f" {named[0][0]} är den största remittenten (", _pct(named[0][1], referred), ")")
        text += Text(f", följd av {named[1][0]} (", _pct(named[1][1], referred), ").") if len(named) > 1 else "."
    return text + Text(" ", _n(fig.self_referred), " av de nya deltagarna hade anmält sig själva, vilket motsvarar ",
                       _pct(fig.self_referred, fig.new), " av samtliga inskrivna.")


def _text_age(fig: MalgruppFigures) -> Text | None:
    bands = [(str(band), int(n)) for band, n in fig.alder.sum(axis=1).items() if "–" in str(band)]
    if not fig.new or not bands:
        return None
    (first, n), rest = bands[0], bands[1:]
    text = Text(_pct(n, fig.new), f" av deltagarna återfinns i gruppen {first} år.")
    if rest:
        text += Text(" ") + _join([Text(_pct(m, fig.new), f" är mellan {band.replace('–', ' och ')} år")
                                   for band, m in rest]) + "."
    return text


def _text_sex(fig: MalgruppFigures) -> Text | None:
    counts = fig.kon_grupp
    women, men = int(counts["Kvinna"].sum()), int(counts["Man"].sum())
    if not women + men:
        return None
    text = Text("I insatserna totalt är könsfördelningen ", _pct(women, women + men), " kvinnor och ",
                _pct(men, women + men), " män.")
    for group, w, m in zip(counts.index, counts["Kvinna"], counts["Man"], strict=True):
        both = int(w + m)
        text += Text(f" I gruppen {group} är fördelningen ", _pct(int(w), both), " kvinnor och ", _pct(int(m), both),
                     " män.")
    return text


def _text_education(fig: MalgruppFigures) -> Text | None:
    stated = fig.education_stated.sum(axis=1)
    n_stated = int(stated.sum())
    if not n_stated:
        return None
    first, second, third = (_pct(int(stated.get(level, 0)), n_stated) for level in STATED_EDUCATION)
    return Text("Av de som uppgett utbildningsbakgrund (", _pct(n_stated, fig.new), ") har ", first,
                " grundskola som högsta utbildningsnivå, medan ", second, " har slutfört gymnasiet och övriga ", third,
                " uppger eftergymnasial utbildning.")
