"""The compiled #TRANS/#VER pass (numba) reads every file exactly as the tokenizer alone does.

Each file is read twice: with the compiled pass whatever its size (threshold 0), and with the pass
turned off so that every line goes through the tokenizer. Both must give the same vouchers and
transactions, or the same problems.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam_cli.errors import DataError
from finsam_cli.inputs.problems import Problems
from finsam_cli.inputs.sie import parse_sie, reader, scan, sie_outcome
from finsam_cli.inputs.sie.tokens import format_ore

SIE = Path(__file__).resolve().parent / "data" / "sie"


def _read(data: bytes, strict: bool) -> tuple[str, Any]:
    try:
        sie = parse_sie(data, "t.se", strict=strict)
    except DataError as exc:
        return "problems", [str(p) for p in exc.problems]
    return "read", (sie.vouchers, sie.transactions, sie.accounts, sie.objects)


def assert_fast_reads_as_slow(data: bytes, strict: bool = False) -> None:
    with mock.patch.object(scan, "FAST_FROM", 0):
        fast = _read(data, strict)
    with mock.patch.object(scan, "FAST_FROM", len(data) + 1):
        slow = _read(data, strict)
    assert fast[0] == slow[0], (fast, slow)
    if fast[0] == "problems":
        assert fast[1] == slow[1]
        return
    (fast_ver, fast_tx, *fast_rest), (slow_ver, slow_tx, *slow_rest) = fast[1], slow[1]
    assert fast_rest == slow_rest
    assert fast_tx.equals(slow_tx), (fast_tx, slow_tx)
    assert fast_ver.astype({"series": object}).equals(slow_ver.astype({"series": object})), (fast_ver, slow_ver)


def test_the_sample_fixtures_read_the_same_both_ways() -> None:
    for path in sorted(SIE.glob("*.se")):
        assert_fast_reads_as_slow(path.read_bytes(), strict=True)


def test_quoted_accounts_and_escaped_series_read_the_same_both_ways() -> None:
    text = (SIE / "good.se").read_bytes()
    odd = re.sub(rb"(#[RB]?TRANS[ \t]+)(\d+)", rb'\1"\2"', text)
    odd = re.sub(rb"#VER \"?([AB])\"? ", rb'#VER "\1\\\\" ', odd)
    assert odd.count(b'#VER "A\\\\"') == 5
    assert_fast_reads_as_slow(odd, strict=True)
    sie = parse_sie(odd, "x.se")
    assert sie.transactions.equals(parse_sie(text, "x.se").transactions)
    assert list(sie.vouchers["series"]) == ["A\\"] * 5 + ["B\\"]


# --- random files: mostly plain lines, each part sometimes nasty ------------------------------


def sometimes(plain: st.SearchStrategy, nasty: st.SearchStrategy) -> st.SearchStrategy:
    """`plain` seven times in eight, else `nasty`."""
    return st.integers(0, 7).flatmap(lambda roll: nasty if roll == 0 else plain)


blank = sometimes(st.just(" "), st.sampled_from(["\t", "  ", " \t"]))
name = st.text(st.sampled_from('aZ0 åäö"\\{}\t-'), max_size=5)
quoted_name = name.map(lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"')
object_id = sometimes(st.sampled_from(['"P1"', '"P2"', "P3", '"Ung i Nynäs"', '""']), st.one_of(quoted_name, name))


@st.composite
def amounts(draw: st.DrawFn) -> str:
    ore = draw(st.integers(0, 16).flatmap(lambda digits: st.integers(-10**digits, 10**digits)))  # every length
    decimals = draw(sometimes(st.just(2), st.sampled_from([0, 1, 3])))
    text = format_ore(ore)
    text = {0: text[:-3], 1: text[:-1], 2: text, 3: text + "0"}[decimals]
    return draw(sometimes(st.just(text), st.sampled_from(["12x.25", ".5", "5.", "+5", "-", "1e5", '"12.50"', ""])))


dates = sometimes(st.sampled_from(["20170315", '"20170315"', '""']),
                  st.sampled_from(["20171301", "2017031", "00000000", '"00000000"', '"x y"', "201703150", "1",
                                   "20170229", "20160229", "19000229", "20170431", "09991231", "20171200"]))
objects = sometimes(
    st.lists(st.tuples(st.sampled_from(["1", "6"]), object_id), max_size=2).map(
        lambda pairs: "{" + " ".join(f"{d} {o}" for d, o in pairs) + "}"),
    st.sampled_from(['{6 "P}1"}', '{6 "a\\"}"}', "{6}", '{6 "x', "{{}}", "", '{x "P1"}', "{6 P1", "6 P1}"]))
tails = sometimes(st.sampled_from(["", ' "text"', " text", ' "Rad 12 åäö"', ' "t" 1.5 sig']),
                  st.sampled_from([' "a\\"b"', ' "unterminated', " {", " }", ' {1 "x"}', '"glued"', "\t\"t\""]))


@st.composite
def trans_line(draw: st.DrawFn) -> str:
    tag = draw(sometimes(st.just("#TRANS"), st.sampled_from(["#RTRANS", "#BTRANS"])))
    account = draw(sometimes(st.sampled_from(["3010", "5010", "1930"]),
                             st.sampled_from(['"5010"', "+5010", "50x", "1234567890", "", "٣٠١٠"])))
    fields = [account, draw(objects), draw(amounts())]
    if draw(st.booleans()):
        fields.append(draw(dates))
    line = tag + "".join(draw(blank) + f for f in fields)
    indent = draw(sometimes(st.just(""), st.sampled_from(["\t", "  "])))
    return indent + line + draw(tails) + draw(sometimes(st.just(""), st.sampled_from([" ", "\t"])))


@st.composite
def ver_line(draw: st.DrawFn) -> str:
    series = draw(sometimes(st.sampled_from(["A", '"A"', "B"]), st.sampled_from(['""', '"A B"', "A\\", "{", '"A'])))
    number = draw(sometimes(st.sampled_from(["1", "27", "0012", '""']), st.sampled_from(['"7"', "x", "1234567890"])))
    date = draw(sometimes(st.sampled_from(["20170301", '"20170301"']),
                          st.sampled_from(['""', "20171301", "2017", "20170229", "20000229", "20170631"])))
    tail = draw(sometimes(st.sampled_from(["", ' "Text"', ' "Text" 20170302', ' "T" 20170302 "Sign"']),
                          st.sampled_from([' "bad', " {", ' "a\\"b"'])))
    return "#VER" + draw(blank) + series + draw(blank) + number + draw(blank) + date + tail


@st.composite
def sie_files(draw: st.DrawFn) -> bytes:
    out = ["#FLAGGA 0", "#RAR 0 20170101 20171231", "#KONTO 3010 Medlemsavgifter", "#KONTO 1930 Bank"]
    for _ in range(draw(st.integers(1, 4))):
        out += [draw(ver_line()), draw(sometimes(st.just("{"), st.sampled_from([" { ", "{x", ""])))]
        out += draw(st.lists(trans_line(), min_size=1, max_size=6))
        out.append(draw(sometimes(st.just("}"), st.sampled_from(["}\t", "", "}}"]))))
    newline = draw(st.sampled_from(["\r\n", "\n"]))
    return newline.join(out).encode(draw(st.sampled_from(["utf-8", "cp437"])), errors="replace")


@settings(max_examples=500, deadline=None)
@given(sie_files())
def test_any_file_reads_the_same_with_and_without_the_vectorised_scan(data: bytes) -> None:
    assert_fast_reads_as_slow(data)
    assert_fast_reads_as_slow(data, strict=True)  # the voucher sums too
    assert_lines_as_split(data)


def assert_lines_as_split(data: bytes) -> None:
    """The compiled pass, reading each line once, finds the lines and their content as a plain split does."""
    with mock.patch.object(scan, "FAST_FROM", 0):
        lines = scan.read_lines(data)[0]
    split = scan.split_lines(data)
    assert lines.start.tolist() == split.start.tolist()
    assert lines.end.tolist() == split.end.tolist()
    taken = np.isin(lines.kind, [scan.TRANS, scan.VER])
    assert np.where(taken, scan.OTHER, lines.kind).tolist() == split.kind.tolist()


def test_a_voucher_the_tokenizer_cannot_read_leaves_the_same_problems_both_ways() -> None:
    """The compiled pass takes `#VER { 1 …` (a brace for a series); the tokenizer refuses it, so its '{'
    opens no voucher: both ways report that too (found by hypothesis with 6 000 examples)."""
    data = (b'#FLAGGA 0\r\n#RAR 0 20170101 20171231\r\n#KONTO 3010 Medlemsavgifter\r\n#KONTO 1930 Bank\r\n'
            b'#VER { 1 20171301\r\n{\r\n#TRANS "5010" {6 "x 0.00 "a\\"b"\r\n}')
    assert_fast_reads_as_slow(data)
    with mock.patch.object(scan, "FAST_FROM", 0), pytest.raises(DataError) as found:
        parse_sie(data, "t.se")
    assert "t.se, row 6: {: a '{' that opens no #VER's transactions" in [str(p) for p in found.value.problems]


def test_one_value_written_two_ways_is_one_series_and_one_cell() -> None:
    """`#VER A` and `#VER "A"`, `{6 "P1"}` and `{6 P1}`: two byte strings to the compiled pass, one value
    to the tokenizer, so one series category and one cell of the outcome (two series crashed the reader;
    found by hypothesis with random seeds)."""
    rows = ["#FLAGGA 0", "#RAR 0 20170101 20171231", "#DIM 6 Projekt", '#OBJEKT 6 P1 "Ung i Nynäs"',
            "#KONTO 3010 Medlemsavgifter", "#KONTO 5010 Lokalhyra", "#KONTO 1930 Bank",
            "#VER A 1 20170301", "{", '#TRANS 5010 {6 "P1"} 100.00', "#TRANS 1930 {} -100.00", "}",
            '#VER "A" 2 20170302', "{", '#TRANS "5010" {6 P1} 50.00', "#TRANS 1930 {} -50.00", "}",
            "#RES 0 5010 150.00"]
    data = ("\r\n".join(rows) + "\r\n").encode("cp437")
    assert_fast_reads_as_slow(data, strict=True)
    with mock.patch.object(scan, "FAST_FROM", 0):
        sie = parse_sie(data, "t.se")
    assert list(sie.vouchers["series"]) == ["A", "A"]
    assert list(sie.vouchers["series"].cat.categories) == ["A"]
    assert list(sie.cells.keys) == [(5010, ((6, "P1"),)), (1930, ())]
    frame = sie_outcome(sie, 2017).frame
    assert frame[["Post", "ore"]].values.tolist() == [["Ung i Nynäs", 15000]]


def test_lines_end_where_a_plain_split_ends_them() -> None:
    """Blanks, tabs and CR around and after the fields, an empty last line, no LF at the end."""
    rows = ["#FLAGGA 0", "#VER A 1 20170301", "\t{ ", "#TRANS 3010 {} 100.00 \t", "#TRANS 3010 {} 100.00 \r\r",
            "  #TRANS 3010 {6 \"P1\"} -5 20170301  ", "#TRANS 3010 {} 5\t\"x\"", "#TRANS 3010 {} 5 \"x\"",
            "#TRANS 3010 {} 5 ", "#VER B 2 20170302\t", "#VER B 2 20170302 \"t\" ", " \t ", "", "}\t"]
    for newline in ("\n", "\r\n"):
        for last in ("", newline, "#TRANS 3010 {} 1", "#VER A 3 20170303"):
            assert_lines_as_split((newline.join(rows) + newline + last).encode())


def test_the_compiled_calendar_is_the_tokenizers() -> None:
    """Every day number of the years around the edges and the leap rules, as seconds or not a day."""
    from finsam_cli.inputs.sie import kernel

    days = np.array([y * 10000 + m * 100 + d for y in (999, 1000, 1900, 1970, 2000, 2016, 2017, 2100, 9999, 10000)
                     for m in range(14) for d in range(33)], dtype=np.int64)
    dates, valid = scan.yyyymmdd_dates(days)
    compiled = np.array([kernel._seconds(day) for day in days.tolist()], dtype=np.int64)
    assert (compiled == np.where(valid, dates.astype("datetime64[s]").astype(np.int64), kernel.NOT_A_DAY)).all()
    assert valid.sum() == 2 * 366 + 6 * 365  # 2000 and 2016 are leap years; 1000, 1900, 2100 and the others not


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["3010", "5010"]), amounts(), st.sampled_from(["", " 20170315"])),
                min_size=1, max_size=40))
def test_amounts_of_every_length_read_the_same(rows: list) -> None:
    """Many lines, so that the vectorised path sees blocks with amounts of mixed lengths."""
    out = ["#FLAGGA 0", "#RAR 0 20170101 20171231", "#VER A 1 20170301", "{"]
    out += [f"#TRANS {account} {{}} {amount}{date}" for account, amount, date in rows]
    out.append("}")
    assert_fast_reads_as_slow("\n".join(out).encode("ascii"))


# --- the structure check's shortcut --------------------------------------------------------------

kinds = st.sampled_from([reader.VER, reader.OPEN, reader.CLOSE, reader.TRANS, reader.RTRANS, reader.BTRANS,
                         reader.OTHER])


@st.composite
def line_kinds(draw: st.DrawFn) -> np.ndarray:
    out: list[int] = []
    for _ in range(draw(st.integers(0, 5))):
        out.append(reader.VER)
        if draw(st.booleans()):
            out += [reader.OPEN, *draw(st.lists(kinds.filter(lambda k: k >= reader.TRANS), max_size=3)), reader.CLOSE]
    for _ in range(draw(st.integers(0, 2))):  # sometimes broken
        out.insert(draw(st.integers(0, len(out))), draw(kinds))
    return np.array(out, dtype=np.int8)


@settings(max_examples=500, deadline=None)
@given(line_kinds())
def test_regular_braces_are_ones_the_full_check_finds_nothing_in(kind: np.ndarray) -> None:
    found = Problems("t.se")
    with mock.patch.object(reader, "_regular", return_value=False):
        reader._check_structure(kind, found)
    if reader._regular(kind[kind != reader.OTHER]) if (kind != reader.OTHER).any() else False:
        assert found.items == []


def test_the_compiled_pass_takes_the_plain_lines_and_leaves_the_others() -> None:
    data = (SIE / "good.se").read_bytes()
    with mock.patch.object(scan, "FAST_FROM", 0):
        lines, trans, ver, encoding = scan.read_lines(data)
    assert encoding == "cp437"
    text = data.split(b"\n")
    taken = [text[row].strip() for row in (trans.lines - 1).tolist()]
    assert b"#TRANS 3010 {6 \"P1\"} -100000.00" in taken and b"#TRANS 1930 {} -20000 20170705" in taken
    assert not any(line.startswith((b"#RTRANS", b"#BTRANS")) for line in taken)
    assert sorted(ver.series) == ["A", "B"]  # `#VER "A" "2"` is the tokenizer's: a quoted number
    assert (lines.kind[trans.lines - 1] == scan.TRANS).all() and (lines.kind[ver.lines - 1] == scan.VER).all()
    assert [text[row].strip() for row in np.flatnonzero(lines.kind == scan.OPEN).tolist()] == [b"{"] * 6


def test_many_distinct_object_lists_and_series_read_the_same_both_ways() -> None:
    """More distinct values than the compiled pass's first code tables hold, so that they grow."""
    out = ["#FLAGGA 0", "#RAR 0 20170101 20171231", "#KONTO 3010 Medlemsavgifter", "#KONTO 1930 Bank"]
    for number in range(600):
        out += [f"#VER S{number % 300} {number} 20170301", "{", f'#TRANS 3010 {{6 "P{number}"}} -1.00',
                f"#TRANS 1930 {{1 K{number % 7}}} 1.00", "}"]
    data = "\r\n".join(out).encode("cp437")
    assert_fast_reads_as_slow(data, strict=True)
    with mock.patch.object(scan, "FAST_FROM", 0):
        sie = parse_sie(data, "t.se")
    assert sie.transactions["object_6"].nunique() == 600 and sie.vouchers["series"].nunique() == 300


def test_the_compiled_pass_reads_files_from_the_threshold_on_and_the_tokenizer_smaller_ones() -> None:
    line = b'#TRANS 3010 {6 "P1"} -1.00\r\n'
    count = scan.FAST_FROM // len(line) + 1
    data = b"#FLAGGA 0\r\n#VER A 1 20170301\r\n{\r\n" + line * count + b"}\r\n"
    lines, trans, ver, encoding = scan.read_lines(data)
    assert (len(trans.lines), len(ver.lines), len(lines), encoding) == (count, 1, count + 5, "cp437")
    assert set(trans.account.tolist()) == {3010} and set(trans.ore.tolist()) == {-100}
    small = data[:scan.FAST_FROM - 1]
    lines, trans, ver, _ = scan.read_lines(small)
    assert (len(trans.lines), len(ver.lines), len(lines)) == (0, 0, small.count(b"\n") + 1)
