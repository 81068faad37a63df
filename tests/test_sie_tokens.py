"""The SIE tokenizer: hypothesis round trips through format_record, and the spec's corner cases."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finsam_cli.inputs.sie.tokens import (
    SieSyntaxError,
    format_ore,
    format_record,
    parse_date,
    parse_ore,
    split_record,
)

# Any text a field can hold: everything printable, tabs, quotes, backslashes, braces and Swedish letters.
text = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\r\n\x00"), max_size=12)
objects = st.lists(st.tuples(st.integers(0, 99).map(str), text), max_size=3).map(
    lambda pairs: tuple(v for pair in pairs for v in pair))
fields = st.lists(st.one_of(text, objects), max_size=6)
tags = st.from_regex(r"#[A-Z]{2,8}", fullmatch=True)


@given(tags, fields)
def test_round_trip(tag: str, values: list) -> None:
    line = format_record(tag, values)
    assert split_record(line) == (tag, values)


@given(tags, fields, st.sampled_from([" ", "\t", "  ", " \t "]))
def test_any_blank_separates(tag: str, values: list, blank: str) -> None:
    line = format_record(tag, values).replace("} ", "}" + blank)
    assert split_record("\t" + line + blank) == (tag, values)


@given(st.integers(-10**15, 10**15))
def test_amount_round_trip(ore: int) -> None:
    assert parse_ore(format_ore(ore)) == ore


@pytest.mark.parametrize(("line", "expected"), [
    ('#VER A 1 20170101 "Hyra \\"kv 2\\"" ', ("#VER", ["A", "1", "20170101", 'Hyra "kv 2"'])),
    ('#TRANS 3010 {6 "P 1" 1 K1} -100.5', ("#TRANS", ["3010", ("6", "P 1", "1", "K1"), "-100.5"])),
    ("#TRANS\t3010\t{}\t1", ("#TRANS", ["3010", (), "1"])),
    ('#KONTO 3010 ""', ("#KONTO", ["3010", ""])),
    ('#FNAMN "C:\\\\temp"', ("#FNAMN", ["C:\\temp"])),
    ("", ("", [])),
])
def test_examples(line: str, expected: tuple) -> None:
    assert split_record(line) == expected


@pytest.mark.parametrize(("line", "message"), [
    ('#FNAMN "open', "no closing quote"),
    ("#TRANS 3010 {6 P1 -100", "no closing '}'"),
    ("#TRANS 3010 {6 {P1}} 1", "inside another"),
    ("#TRANS 3010 } 1", "closes no object list"),
])
def test_syntax_errors(line: str, message: str) -> None:
    with pytest.raises(SieSyntaxError, match=message):
        split_record(line)


@pytest.mark.parametrize(("amount", "ore"), [("100", 10000), ("-100.5", -10050), ("0.01", 1), ("-0.50", -50),
                                             ("+3.25", 325), (".5", 50), ("12345678901234.99", 1234567890123499)])
def test_amounts_in_ore(amount: str, ore: int) -> None:
    assert parse_ore(amount) == ore


@pytest.mark.parametrize(("amount", "message"), [("1.234", "3 decimals"), ("12x", "not a number"),
                                                 ("1,50", "not a number"), ("", "not a number"), ("-", "not a number")])
def test_bad_amounts(amount: str, message: str) -> None:
    with pytest.raises(SieSyntaxError, match=message):
        parse_ore(amount)


def test_dates() -> None:
    assert parse_date("20170228").isoformat() == "2017-02-28"
    with pytest.raises(SieSyntaxError, match="does not exist"):
        parse_date("20170229")
    with pytest.raises(SieSyntaxError, match="YYYYMMDD"):
        parse_date("2017-02-28")


def test_line_breaks_cannot_be_written() -> None:
    with pytest.raises(ValueError, match="line break"):
        format_record("#FNAMN", ["a\nb"])
