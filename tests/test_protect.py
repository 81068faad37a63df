"""Small-count protection: small cells hidden, and no hidden value can be worked back from what is shown.

The proofs here do not trust protect()'s own idea of the table's structure: each test states the
equations a reader could use (row and column totals as the table was built), and checks with an
independent rank test (numpy) and, for tiny grids, by brute force over all fillings.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam_cli.disclosure.audit import needed
from finsam_cli.disclosure.protect import FOOTNOTE, protect
from finsam_cli.render.numbers import plain
from finsam_cli.reports.model import (
    SUPPRESSED,
    Column,
    Kind,
    Period,
    Provenance,
    Report,
    Row,
    Section,
    Style,
    Suppressed,
    Table,
    Text,
    Value,
)

C = Kind.COUNT
Cellpos = tuple[int, int]
Equation = dict[Cellpos, int]  # coefficients; the sum over the cells is known to a reader


def report(*tables: Table) -> Report:
    provenance = Provenance([], {}, "test", dt.datetime(2025, 11, 25))
    return Report("_base", "Rapport", "Förbundet", Period.whole_year(2017), provenance,
                  sections=[Section("Del", list(tables))])


def hidden(table: Table) -> set[Cellpos]:
    return {(r, c) for r, row in enumerate(table.rows) for c, v in enumerate(row.cells) if isinstance(v, Suppressed)}


def recoverable(hidden_cells: set[Cellpos], equations: list[Equation]) -> set[Cellpos]:
    """Hidden cells pinned down by the equations: e_i in the row space, by numpy's rank (independent check)."""
    order = sorted(hidden_cells)
    if not order:
        return set()
    a = np.array([[eq.get(cell, 0) for cell in order] for eq in equations if any(cell in eq for cell in order)],
                 dtype=float).reshape(-1, len(order))
    rank = np.linalg.matrix_rank(a) if len(a) else 0
    out = set()
    for i, cell in enumerate(order):
        unit = np.zeros((1, len(order)))
        unit[0, i] = 1
        if np.linalg.matrix_rank(np.vstack([a, unit]) if len(a) else unit) == rank:
            out.add(cell)
    return out


def lone_in_equation(hidden_cells: set[Cellpos], equations: list[Equation]) -> list[tuple[Cellpos, Equation]]:
    """The guidance's simple check: an equation with exactly one hidden cell gives that cell away."""
    return [(cell, eq) for eq in equations for cell in eq if cell in hidden_cells
            and sum(c in hidden_cells for c in eq) == 1]


def grid_equations(n_rows: int, n_cols: int, *, total_col: int | None, total_row: int | None,
                   first_col: int = 1) -> list[Equation]:
    """Equations of a grid of counts in columns first_col.. with an optional total column and total row.

    Without a total row, every column's sum over the rows is treated as known (it may be printed
    elsewhere); with one, that sum is the total row. Each total's relation to its parts is known.
    """
    cols = range(first_col, first_col + n_cols)
    base_cols = [c for c in cols if c != total_col]
    rows = range(n_rows)
    base_rows = [r for r in rows if r != total_row]
    eqs: list[Equation] = []
    if total_col is not None:
        eqs += [{(r, total_col): 1, **{(r, c): -1 for c in base_cols}} for r in rows]
    if total_row is not None:
        eqs += [{(total_row, c): 1, **{(r, c): -1 for r in base_rows}} for c in cols]
    else:
        eqs += [{(r, c): 1 for r in base_rows} for c in cols]
    return eqs


def kon_table(counts: list[tuple[str, int, int]], with_total_row: bool = True) -> Table:
    """Rows of (label, kvinnor, män) with a Totalt column, and a styled total row."""
    rows = [Row([label, k + m, k, m]) for label, k, m in counts]
    if with_total_row:
        rows.append(Row(["Totalt", sum(k + m for _, k, m in counts), sum(k for _, k, _ in counts),
                         sum(m for _, _, m in counts)], Style.TOTAL))
    return Table("kon", "Deltagare per kommun", [Column("Kommun"), Column("Totalt", C), Column("Kvinnor", C),
                                                 Column("Män", C)], rows, protect=True)


# --- the basics ----------------------------------------------------------------------------


def test_off_below_two_and_by_default() -> None:
    r = report(kon_table([("Haninge", 1, 9), ("Tyresö", 7, 8)]))
    assert protect(r, 0) is r and protect(r, 1) is r


def test_the_report_given_is_not_changed() -> None:
    r = report(kon_table([("Haninge", 1, 9), ("Tyresö", 7, 8)]))
    before = copy.deepcopy(r)
    out = protect(r, 5)
    assert r == before
    assert out is not r and hidden(out.tables()[0])


def test_primary_cells_are_hidden_zeros_and_large_counts_are_not() -> None:
    out = protect(report(kon_table([("Haninge", 4, 30), ("Tyresö", 12, 15)])), 5).tables()[0]
    assert out.rows[0].cells[2] is SUPPRESSED  # 4 < 5
    nothing_small = protect(report(kon_table([("Haninge", 0, 12), ("Tyresö", 6, 30)])), 5).tables()[0]
    assert not hidden(nothing_small)  # zero is not a small count
    assert list(nothing_small.rows[0].cells[1:]) == [12, 0, 12]


def test_tables_not_marked_and_amounts_are_left_alone() -> None:
    unmarked = replace(kon_table([("Haninge", 1, 9)]), protect=False)
    money = Table("pengar", "Budget", [Column("Post"), Column("Belopp", Kind.AMOUNT)], [Row(["A", 3])], protect=True)
    out = protect(report(unmarked, money), 5)
    assert not hidden(out.tables()[0]) and not hidden(out.tables()[1])
    assert out.tables()[0].notes == () and out.tables()[1].notes == ()


def test_footnote_once_per_table_with_hidden_cells() -> None:
    shown = kon_table([("Botkyrka", 10, 9), ("Huddinge", 7, 8)])
    small = kon_table([("Haninge", 1, 9), ("Tyresö", 7, 8)])
    out = protect(protect(report(shown, small), 5), 5)
    assert out.tables()[0].notes == ()
    assert out.tables()[1].notes == (Text(FOOTNOTE.format(n=5)),)
    assert "färre än 5 personer" in plain(out.tables()[1].notes[0])
    assert "sekundär undertryckning" in plain(out.tables()[1].notes[0])


# --- hidden values cannot be worked back -------------------------------------------------------


def assert_safe(table: Table, equations: list[Equation], minimum: int = 5, rows: int | None = None) -> None:
    """No hidden cell lies alone in a reader's equation or in their row space. With minimum 2 a hidden count is 1
    by the footnote alone (min(3, N − 1) = 1 value is all the audit can promise); a table whose rows had to be
    left out (`rows` fewer) says so in a note instead."""
    if minimum <= 2:
        return
    if rows is not None and len(table.rows) < rows:
        assert any("utelämnade" in plain(n) for n in table.notes)
        return
    cells = hidden(table)
    assert not lone_in_equation(cells, equations), lone_in_equation(cells, equations)
    assert not recoverable(cells, equations)


def test_kon_by_kommun_with_totals() -> None:
    table = kon_table([("Haninge", 2, 30), ("Tyresö", 12, 15), ("Nynäshamn", 9, 1)])
    out = protect(report(table), 3).tables()[0]
    assert_safe(out, grid_equations(4, 3, total_col=1, total_row=3))
    assert out.rows[0].cells[2] is SUPPRESSED and out.rows[2].cells[3] is SUPPRESSED


def test_matt_by_sex_with_a_share_row() -> None:
    """Mått × Totalt/Kvinnor/Män: rows are measures; Arbete/studier = Till arbete + Till studier."""
    rows = [("Deltagare", 22, 18), ("Nya deltagare", 9, 3), ("Avslutade", 11, 9), ("Till arbete", 2, 4),
            ("Till studier", 4, 1), ("Arbete/studier", 6, 5)]
    table = Table("matt", "Mått", [Column("Mått"), Column("Totalt", C), Column("Kvinnor", C), Column("Män", C)],
                  [Row([label, k + m, k, m]) for label, k, m in rows]
                  + [Row(["Andel till arbete/studier", 11 / 20, 6 / 11, 5 / 9], kind=Kind.PERCENT)], protect=True)
    out = protect(report(table), 5).tables()[0]
    equations = [{(r, 1): 1, (r, 2): -1, (r, 3): -1} for r in range(6)]  # Totalt = Kvinnor + Män
    equations += [{(5, c): 1, (3, c): -1, (4, c): -1} for c in (1, 2, 3)]  # Arbete/studier row
    assert_safe(out, equations)
    for r, c in [(1, 3), (3, 2), (3, 3), (4, 2), (4, 3)]:
        assert out.rows[r].cells[c] is SUPPRESSED
    assert list(out.rows[0].cells[1:]) == [40, 22, 18]  # the measures do not add up: no need to hide Deltagare
    # Shares below hidden counts are hidden in those columns; the total column's share stays.
    assert out.rows[6].cells[2] is SUPPRESSED and out.rows[6].cells[3] is SUPPRESSED
    assert out.rows[6].cells[1] == 11 / 20


def test_matt_table_where_the_exits_add_up_to_avslutade() -> None:
    """En väg in 2017: Avslutade = Till arbete + Till studier + Arbetsförberedande + Annat + Okänd, and
    Arbete/studier = Till arbete + Till studier. Both sums are known to any reader of the report."""
    rows = [("Deltagare", 98, 58), ("Nya deltagare", 58, 28), ("Avslutade", 34, 27), ("Till arbete", 1, 2),
            ("Till studier", 4, 3), ("Arbete/studier", 5, 5), ("Arbetsförberedande insats", 16, 6),
            ("Annat", 8, 14), ("Okänd", 5, 2)]
    table = Table("matt", "Mått", [Column("Mått"), Column("Totalt", C), Column("Kvinnor", C), Column("Män", C)],
                  [Row([label, k + m, k, m]) for label, k, m in rows]
                  + [Row(["Andel till arbete (%)", 3 / 51, 1 / 29, 2 / 22], kind=Kind.PERCENT)], protect=True)
    out = protect(report(table), 5).tables()[0]
    equations = [{(r, 1): 1, (r, 2): -1, (r, 3): -1} for r in range(9)]
    for c in (1, 2, 3):
        equations.append({(5, c): 1, (3, c): -1, (4, c): -1})
        equations.append({(2, c): 1, (3, c): -1, (4, c): -1, (6, c): -1, (7, c): -1, (8, c): -1})
    assert_safe(out, equations)
    assert out.rows[4].cells[1] is SUPPRESSED  # else Arbete/studier − Till studier gives Till arbete (3)
    assert list(out.rows[9].cells[1:]) == [SUPPRESSED] * 3


def test_history_with_a_total_row_and_percent_column() -> None:
    """The published Ung i Tyresö history, with 2015 made small; total row = sum of the years."""
    years = [("2015", 166, 50, 3, 14), ("2016", 233, 98, 25, 26), ("2017", 260, 165, 71, 45)]
    rows = [Row([y, d, a, w, s, w + s, (w + s) / a]) for y, d, a, w, s in years]
    sums = [sum(int(v[i]) for v in years) for i in range(1, 5)]
    rows.append(Row(["2015–2017", *sums, sums[2] + sums[3], (sums[2] + sums[3]) / sums[1]], Style.TOTAL))
    table = Table("historik", "Historik", [Column("År"), Column("Deltagare", C), Column("Avslutade", C),
                                          Column("Till arbete", C), Column("Till studier", C),
                                          Column("Arbete/studier", C), Column("Procent", Kind.PERCENT)],
                  rows, protect=True)
    out = protect(report(table), 5).tables()[0]
    equations = grid_equations(4, 5, total_col=None, total_row=3)
    equations += [{(r, 5): 1, (r, 3): -1, (r, 4): -1} for r in range(4)]  # Arbete/studier = arbete + studier
    assert_safe(out, equations)
    assert out.rows[0].cells[3] is SUPPRESSED
    assert out.rows[0].cells[6] is SUPPRESSED  # the 2015 share would give the hidden count away
    assert out.rows[2].cells[6] == pytest.approx(116 / 165)  # a row without hidden counts keeps its share


def test_a_total_that_is_itself_small_is_left_out_with_its_parts() -> None:
    """Haninge 2 = 1 + 1 under N = 3: every cell 1..2 by the footnote, so Totalt = Kvinnor + Män ≥ 2 pins the
    total whatever else is hidden. The row is left out at once (with a note), and one other row hidden so that
    the column totals do not give it back; the rest stays shown."""
    table = kon_table([("Haninge", 1, 1), ("Tyresö", 12, 15), ("Nynäshamn", 9, 11)])
    out = protect(report(table), 3).tables()[0]
    assert [str(r.cells[0]) for r in out.rows] == ["Tyresö", "Nynäshamn", "Totalt"]
    assert "Rader utelämnade för att skydda enskilda: Haninge." in [plain(n) for n in out.notes]
    assert list(out.rows[0].cells[1:]) == [27, 12, 15] and list(out.rows[2].cells[1:]) == [49, 22, 27]
    assert list(out.rows[1].cells[1:]) == [SUPPRESSED, SUPPRESSED, SUPPRESSED]  # else Totalt − Tyresö − it


def test_a_lone_small_cell_among_zeros_hides_a_zero_too() -> None:
    table = kon_table([("Haninge", 0, 3), ("Tyresö", 0, 15), ("Nynäshamn", 0, 20)])
    out = protect(report(table), 5).tables()[0]
    assert_safe(out, grid_equations(4, 3, total_col=1, total_row=3))


def test_coincidences_among_small_rows_are_not_taken_for_structure() -> None:
    """Remittents of Ung i Tyresö 2017: small rows add up to each other by chance (5,3,2 = 3,2,1 + 2,1,1 …).

    A reader cannot know those sums, so they must not make protect() hide the large rows.
    """
    counts = [("Tyresö kommun socialtjänst", 13, 17), ("AF Tyresö", 11, 15), ("Egen anmälan", 11, 9),
              ("Tyresö kommun", 4, 7), ("Skola", 3, 3), ("Öppen psykiatri", 3, 3), ("Vårdcentral", 3, 2),
              ("Annan", 2, 1), ("Försäkringskassan", 1, 1), ("Haninge kommun socialtjänst", 0, 2),
              ("AF Nynäshamn", 0, 1), ("Haninge kommun", 1, 0), ("Nynäshamns kommun", 0, 1)]
    out = protect(report(kon_table(counts)), 5).tables()[0]
    assert_safe(out, grid_equations(len(counts) + 1, 3, total_col=1, total_row=len(counts)))
    for r in (0, 1, 2):
        assert list(out.rows[r].cells[1:]) == table_row(counts[r])
    assert list(out.rows[-1].cells[1:]) == [114, 52, 62]


def table_row(count: tuple[str, int, int]) -> list[int]:
    return [count[1] + count[2], count[1], count[2]]


def test_a_labelled_total_counts_even_where_no_row_shows_it_adding_up() -> None:
    table = Table("ett", "En rad", [Column("Mått"), Column("Totalt", C), Column("Kvinnor", C), Column("Män", C)],
                  [Row(["Deltagare", 10, 2, 8])], protect=True)
    out = protect(report(table), 5).tables()[0]
    assert_safe(out, [{(0, 1): 1, (0, 2): -1, (0, 3): -1}])
    assert out.rows[0].cells[2] is SUPPRESSED


def test_the_same_number_in_two_tables_is_hidden_in_both() -> None:
    first = kon_table([("Haninge", 3, 30), ("Tyresö", 12, 15)])
    # The second table repeats Tyresö's Kvinnor (12), which the first must hide as a secondary cell.
    second = Table("t2", "Tyresö", [Column("Kommun"), Column("Kvinnor", C)], [Row(["Tyresö", 12])], protect=True)
    out = protect(report(first, second), 5)
    one, two = out.tables()
    assert one.rows[1].cells[2] is SUPPRESSED
    assert two.rows[0].cells[1] is SUPPRESSED


# --- random grids: a rank proof, and brute force on tiny ones -----------------------------------

SMALL = st.integers(0, 9)


@settings(max_examples=150, deadline=None)
@given(data=st.lists(st.tuples(SMALL, SMALL, SMALL), min_size=2, max_size=6), minimum=st.integers(2, 6),
       total_row=st.booleans())
def test_random_three_way_breakdowns_leak_nothing(data: list[tuple[int, int, int]], minimum: int,
                                                  total_row: bool) -> None:
    labels = [f"K{i}" for i in range(len(data))]
    rows = [Row([label, a + b + c, a, b, c]) for label, (a, b, c) in zip(labels, data, strict=True)]
    if total_row:
        rows.append(Row(["Totalt", *(sum(cast(int, r.cells[i]) for r in rows) for i in range(1, 5))], Style.TOTAL))
    table = Table("t", "T", [Column("Grupp"), Column("Totalt", C), Column("A", C), Column("B", C), Column("C", C)],
                  rows, protect=True)
    protected = protect(report(table), minimum)
    if not protected.tables():  # left out whole, with a note in its place
        assert any("utelämnad" in plain(p) for p in protected.sections[0].paragraphs)
        return
    out = protected.tables()[0]
    n = len(rows)
    equations = grid_equations(n, 4, total_col=1, total_row=n - 1 if total_row else None)
    assert_safe(out, equations, minimum, len(rows))
    if len(out.rows) < len(rows):
        return
    for r, (values) in enumerate(data):
        for c, v in enumerate(values, start=2):
            if 1 <= v < minimum:
                assert out.rows[r].cells[c] is SUPPRESSED


@settings(max_examples=150, deadline=None)
@given(exits=st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12)), min_size=5, max_size=5),
       extra=st.tuples(st.integers(0, 60), st.integers(0, 60)), minimum=st.integers(2, 6))
def test_random_matt_tables_leak_nothing(exits: list[tuple[int, int]], extra: tuple[int, int], minimum: int) -> None:
    """Mått × Totalt/Kvinnor/Män with the report's sums: exits add up to Avslutade, two to Arbete/studier."""
    arb, stu, forb, annat, okand = exits
    avsl = (sum(e[0] for e in exits), sum(e[1] for e in exits))
    delt = (avsl[0] + extra[0], avsl[1] + extra[1])
    a_s = (arb[0] + stu[0], arb[1] + stu[1])
    counts = [("Deltagare", delt), ("Avslutade", avsl), ("Till arbete", arb), ("Till studier", stu),
              ("Arbete/studier", a_s), ("Arbetsförberedande", forb), ("Annat", annat), ("Okänd", okand)]
    rows = [Row([label, k + m, k, m]) for label, (k, m) in counts]
    rows.append(Row(["Andel", 0.5, 0.5, 0.5], kind=Kind.PERCENT))
    table = Table("matt", "Mått", [Column("Mått"), Column("Totalt", C), Column("Kvinnor", C), Column("Män", C)],
                  rows, protect=True)
    protected = protect(report(table), minimum)
    if not protected.tables():  # left out whole, with a note in its place
        assert any("utelämnad" in plain(p) for p in protected.sections[0].paragraphs)
        return
    out = protected.tables()[0]
    equations = [{(r, 1): 1, (r, 2): -1, (r, 3): -1} for r in range(8)]
    for c in (1, 2, 3):
        equations.append({(4, c): 1, (2, c): -1, (3, c): -1})
        equations.append({(1, c): 1, (2, c): -1, (3, c): -1, (5, c): -1, (6, c): -1, (7, c): -1})
    assert_safe(out, equations, minimum, len(rows))


@settings(max_examples=60, deadline=None)
@given(data=st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=2, max_size=3),
       minimum=st.integers(2, 5))
def test_brute_force_tiny_grids(data: list[tuple[int, int]], minimum: int) -> None:
    """2–3 rows × Kvinnor/Män with Totalt column and total row, by brute force over all fillings."""
    table = kon_table([(f"K{i}", k, m) for i, (k, m) in enumerate(data)])
    protected = protect(report(table), minimum)
    if not protected.tables():  # left out whole, with a note in its place
        assert any("utelämnad" in plain(p) for p in protected.sections[0].paragraphs)
        return
    out = protected.tables()[0]
    if len(out.rows) < len(table.rows):
        return  # rows left out, with a note (checked in assert_safe's callers)
    true = {(r, c): cast(int, row.cells[c]) for r, row in enumerate(table.rows) for c in (1, 2, 3)}
    cells = sorted(hidden(out))
    if not cells:
        return
    n = len(table.rows)
    equations = grid_equations(n, 3, total_col=1, total_row=n - 1)
    known = [sum(coef * true[cell] for cell, coef in eq.items()) for eq in equations]
    shown = {cell: v for cell, v in true.items() if cell not in cells}
    base = [cell for cell in cells if cell[0] != n - 1 and cell[1] != 1]
    grand = true[(n - 1, 1)]
    if len(base) > 4:
        return  # too many to enumerate; the rank test covers these
    # Enumerate the hidden base cells; hidden totals follow from them.
    possible: dict[Cellpos, set[int]] = {cell: set() for cell in cells}
    for guess in itertools.product(range(grand + 1), repeat=len(base)):
        filled = dict(shown)
        filled.update(zip(base, guess, strict=True))
        for r in range(n - 1):
            filled[(r, 1)] = filled[(r, 2)] + filled[(r, 3)]
        for c in (1, 2, 3):
            filled[(n - 1, c)] = sum(filled[(r, c)] for r in range(n - 1))
        if all(filled[cell] == v for cell, v in shown.items()) and all(
                sum(coef * filled[cell] for cell, coef in eq.items()) == k for eq, k in zip(equations, known,
                                                                                            strict=True)):
            for cell in cells:
                possible[cell].add(filled[cell])
    # A hidden zero in a line whose shown total is 0 is known to be 0 (nothing is negative): that reveals
    # no person. Every hidden cell that counts someone must have two or more possible values.
    pinned = {cell: values for cell, values in possible.items() if len(values) < needed(minimum) and true[cell] != 0}
    assert not pinned, (data, minimum, pinned)


# --- rendering and the command-line wiring ------------------------------------------------------


def test_markdown_and_excel_show_dots_and_footnote(tmp_path: Path) -> None:
    from finsam_cli.publish.pipeline import render

    out = protect(report(kon_table([("Haninge", 2, 30), ("Tyresö", 12, 15)])), 5)
    md = render(out, "md").decode("utf-8")
    assert "| Haninge | .. | .. | 30 |" in md or "| .. |" in md
    assert "färre än 5 personer" in md
    data = render(out, "xlsx")
    import html
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # openpyxl writes å as &#229; when lxml is installed
        xml = html.unescape("".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml")))
    assert ">..<" in xml and "färre än 5 personer" in xml


def _session(minsta_antal: int) -> SimpleNamespace:
    config = SimpleNamespace(sekretess=SimpleNamespace(minsta_antal=minsta_antal), mallar=None)
    return SimpleNamespace(config=config, warnings=list, notices=[])


@pytest.mark.parametrize(("option", "config", "protected"), [
    (None, 0, False), (5, 0, True), (None, 5, True), (0, 5, False), (1, 0, False)])
def test_finish_applies_skydda_or_the_config(option: int | None, config: int, protected: bool,
                                             tmp_path: Path) -> None:
    from finsam_cli.cli.commands._report import finish

    target = tmp_path / "r.md"
    built = report(kon_table([("Haninge", 2, 30), ("Tyresö", 12, 15)]))
    kind = SimpleNamespace(build=lambda session, params: built)
    finish(kind, None, _session(config), None, target, None, minimum=option)  # type: ignore[arg-type]
    text = target.read_text(encoding="utf-8")
    assert ("färre än" in text) is protected
    assert ("| 2 |" not in text) is protected


ANY_CELL = st.one_of(st.none(), st.integers(-5, 40), st.floats(0, 40, allow_nan=False), st.just(""),
                     st.text(max_size=3), st.just(SUPPRESSED))


@settings(max_examples=150, deadline=None)
@given(cells=st.lists(st.lists(ANY_CELL, min_size=4, max_size=4), max_size=7),
       styles=st.lists(st.sampled_from(list(Style)), min_size=7, max_size=7), minimum=st.integers(0, 7))
def test_any_table_content_is_handled(cells: list[list[object]], styles: list[Style], minimum: int) -> None:
    rows = [Row([f"r{i}", *row], style) for i, (row, style) in enumerate(zip(cells, styles, strict=False))]  # type: ignore[list-item]
    table = Table("t", "T", [Column("Rad"), Column("Totalt", C), Column("A", C), Column("B", C),
                             Column("Andel", Kind.PERCENT)], rows, protect=True)
    protected = protect(report(table), minimum)
    if not protected.tables():  # left out whole, with a note in its place
        assert any("utelämnad" in plain(p) for p in protected.sections[0].paragraphs)
        return
    out = protected.tables()[0]
    kept = {row.cells[0]: row for row in out.rows}
    for before in table.rows:
        if before.cells[0] not in kept:  # left out, and the note says which
            assert any(str(before.cells[0]) in plain(n) for n in out.notes if "utelämnade" in plain(n))
            continue
        after = kept[before.cells[0]]
        for c, (value, shown) in enumerate(zip(before.cells, after.cells, strict=True)):
            assert shown == value or shown is SUPPRESSED
            if c in (1, 2, 3) and minimum >= 2 and isinstance(value, int) and 1 <= value < minimum:
                assert shown is SUPPRESSED


# --- end to end: the config and export turn it on; off by default ------------------------------------


def _dots(path: Path) -> bool:
    if path.suffix == ".md":
        text = path.read_text(encoding="utf-8")
    else:
        import zipfile

        with zipfile.ZipFile(path) as archive:
            text = "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml"))
    return "| .. |" in text or ">..<" in text


@pytest.mark.parametrize("fmt", ["md", "xlsx"])
def test_config_turns_protection_on_for_markdown_and_excel(run, tmp_path: Path, fmt: str) -> None:
    from .conftest import SAMPLE

    plain = tmp_path / f"plain.{fmt}"
    assert run("maluppfyllelse", "2017", "--deltagare", SAMPLE / "deltagare.csv", "-o", plain).exit_code == 0
    assert not _dots(plain)  # off by default: board reports show exact numbers
    (tmp_path / "finsam.toml").write_text("[sekretess]\nminsta_antal = 5\n", encoding="utf-8")
    protected = tmp_path / f"protected.{fmt}"
    result = run("maluppfyllelse", "2017", "--deltagare", SAMPLE / "deltagare.csv", "-o", protected)
    assert result.exit_code == 0, result.output
    assert _dots(protected)


def test_export_skydda_protects_every_file(run, tmp_path: Path) -> None:
    from .conftest import SAMPLE

    result = run("export", "2017", "--till", tmp_path / "ut", "--skydda", "5", "--deltagare", SAMPLE / "deltagare.csv",
                 "--budget", SAMPLE / "budget.csv", "--utfall", SAMPLE / "utfall.csv")
    assert result.exit_code == 0, result.output
    files = sorted((tmp_path / "ut" / "2017").glob("maluppfyllelse*"))
    assert files and all(_dots(f) for f in files if "en-vag-in" in f.name or "sammanstallning" in f.name)
    assert any(_dots(f) for f in files if f.suffix == ".xlsx") and any(_dots(f) for f in files if f.suffix == ".md")


def test_counts_in_notes_that_are_small_or_equal_a_hidden_value_are_masked() -> None:
    note_in = Text("Andel: ", Value(9), " av ", Value(27), "; ", Value(2), " har flyttat; ", Value(1468),
                   " unika personer ", Value(2011, Kind.YEAR), "–", Value(2017, Kind.YEAR), "; ",
                   Value(0.47, Kind.PERCENT), " färre; ", Value(3, Kind.AMOUNT), "\u00a0kr.")
    table = replace(kon_table([("Haninge", 3, 9), ("Tyresö", 7, 8)]), notes=[note_in])
    out = protect(report(table), 5)
    note = plain(out.tables()[0].notes[0])
    hidden_values = {table.rows[r].cells[c] for r, c in hidden(out.tables()[0])}
    assert 9 in hidden_values  # the secondary suppression hid Män in Haninge …
    # A percentage in a note with a hidden count is hidden with it: it may be that count's share.
    assert note == "Andel: .. av 27; .. har flyttat; 1\u00a0468 unika personer 2011–2017; .. färre; 3\u00a0kr."
    assert table.notes == (note_in,)  # the report given is not changed


def test_skydda_on_the_command_line(run) -> None:
    from .conftest import ROOT

    plain = run("maluppfyllelse", "2017", "--insats", "ung-i-nynas", "--config", ROOT / "finsam.toml")
    shielded = run("maluppfyllelse", "2017", "--insats", "ung-i-nynas", "--config", ROOT / "finsam.toml",
                   "--skydda", "5")
    assert plain.exit_code == shielded.exit_code == 0
    assert "| Okänd | 5 | .. | .. |" in shielded.stdout
    assert "| Okänd | 5 |" in plain.stdout and "| Okänd | 5 | .. |" not in plain.stdout
    assert ".. = färre än 5 personer" in shielded.stdout
