"""Round-trips for the Swedish amount and date parsers, over every written form."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam_cli.inputs.parse import parse_amounts, parse_dates, parse_integers, present
from finsam_cli.render.numbers import format_number

SEPARATORS = st.sampled_from(["", " ", "\u00a0", "\u202f"])
MINUS = st.sampled_from(["-", "\u2212"])


def swedish(ore: int, sep: str, minus: str, decimals: bool) -> str:
    sign = minus if ore < 0 else ""
    kronor, rest = divmod(abs(ore), 100)
    grouped = f"{kronor:,}".replace(",", sep)
    return sign + grouped + (f",{rest:02d}" if decimals else "")


@settings(max_examples=300)
@given(ore=st.integers(-10**13, 10**13), sep=SEPARATORS, minus=MINUS, decimals=st.booleans())
def test_amount_round_trip(ore: int, sep: str, minus: str, decimals: bool) -> None:
    if not decimals:
        ore -= ore % 100 if ore >= 0 else -(-ore % 100)
    text = swedish(ore, sep, minus, decimals)
    parsed = parse_amounts(pd.Series([text], dtype=object)).iloc[0]
    assert round(parsed * 100) == ore


@given(value=st.integers(-10**11, 10**11))
def test_formatted_numbers_parse_back(value: int) -> None:
    assert parse_amounts(pd.Series([format_number(value)])).iloc[0] == value


@given(st.text(alphabet="0123456789 ,.-abc\u2212", max_size=12))
def test_amount_parser_never_raises_and_only_accepts_numbers(text: str) -> None:
    parsed = parse_amounts(pd.Series([text], dtype=object)).iloc[0]
    if not pd.isna(parsed):
        cleaned = text.replace(" ", "").replace("\u2212", "-").replace(",", ".")
        assert abs(Decimal(cleaned) - Decimal(repr(float(parsed)))) < Decimal("1e-6")


DATE_FORMS = st.sampled_from(["%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y%m%d"])


@given(day=st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)), form=DATE_FORMS)
def test_date_round_trip(day: dt.date, form: str) -> None:
    parsed = parse_dates(pd.Series([day.strftime(form)], dtype=object)).iloc[0]
    assert parsed == pd.Timestamp(day)


@given(day=st.dates(dt.date(1900, 3, 1), dt.date(2100, 12, 31)))
def test_excel_serial_round_trip(day: dt.date) -> None:
    serial = (day - dt.date(1899, 12, 30)).days
    assert parse_dates(pd.Series([float(serial)], dtype=object)).iloc[0] == pd.Timestamp(day)


@given(st.text(max_size=20))
def test_date_parser_never_raises(text: str) -> None:
    parsed = parse_dates(pd.Series([text], dtype=object)).iloc[0]
    assert pd.isna(parsed) or dt.date(1900, 1, 1) <= parsed.date() <= dt.date(2100, 12, 31)


def test_dates_outside_1900_2100_are_rejected() -> None:
    parsed = parse_dates(pd.Series(["1899-12-31", "2101-01-01", "9999-12-31", "0001-01-01"]))
    assert parsed.isna().all()


def test_integers_reject_fractions() -> None:
    assert parse_integers(pd.Series(["2017", "2017,5", "2 017"])).tolist()[::2] == [2017, 2017]
    assert pd.isna(parse_integers(pd.Series(["2017,5"])).iloc[0])


@given(st.lists(st.one_of(st.none(), st.text(alphabet=" ab\t\u00a0", max_size=3)), max_size=30))
def test_present_gives_the_same_for_text_and_for_its_categorical(values: list[str | None]) -> None:
    text = pd.Series(values, dtype="string")
    expected = [v is not None and v.strip() != "" for v in values]
    assert present(text).fillna(False).tolist() == expected
    assert present(text.astype("category")).tolist() == expected
