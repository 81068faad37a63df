"""Reading SIE4: records, encodings, #RTRANS/#BTRANS, and every bad input as a located DataError."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from finsam_cli.errors import DataError
from finsam_cli.inputs.sie import format_record, is_sie, parse_sie, read_sie
from finsam_cli.inputs.sie.tokens import format_ore

SIE = Path(__file__).resolve().parent / "data" / "sie"


def good():
    return read_sie(SIE / "good.se")


def test_records() -> None:
    sie = good()
    assert (sie.company, sie.orgnr, sie.sietyp, sie.declared_format) == (
        "Samordningsförbundet Test", "222000-0000", "4", "PC8")
    assert sie.years == {0: (date(2017, 1, 1), date(2017, 12, 31)), -1: (date(2016, 1, 1), date(2016, 12, 31))}
    assert sie.accounts[7010] == "Löner"
    assert sie.account_types == {1930: "T", 3010: "I"}
    assert sie.dimensions == {1: "Kostnadsställe", 6: "Projekt"}
    assert sie.objects[(6, "P1")] == "MIA - Projektgemensamt"
    assert sie.objects[(1, "K 1")] == "Kontoret"
    assert sie.ib[(0, 1930)] == 5_000_000 and sie.ub[(0, 2099)] == -9_887_425
    assert sie.res[(-1, 3010)] == -1_000_000 and sie.res[(0, 8410)] == 12_525
    assert sie.psaldo == {(0, 201701, 3010, ()): -10_000_000}
    assert sie.pbudget == {(0, 201701, 5010, ((6, "P1"),)): 250_000}
    assert sie.record_lines[("#UB", 0, 1930)] == 32


def test_vouchers_and_transactions() -> None:
    sie = good()
    assert list(sie.vouchers["series"]) == ["A", "A", "A", "A", "A", "B"]
    assert list(sie.vouchers["number"]) == [1, 2, 3, 4, 5, 1]
    tx = sie.transactions
    assert tx["amount_ore"].dtype == np.int64
    assert tx["amount_ore"].tolist() == [10_000_000, -10_000_000, 3_000_050, -3_000_050, 2_000_000, -2_000_000,
                                         100_000, -100_000, 12_525, -12_525, 4_887_425, -4_887_425]
    assert tx["voucher"].tolist() == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    # The transaction date where the line gives one, else the voucher's.
    assert str(tx["date"].iloc[4].date()) == "2017-07-05"
    assert str(tx["date"].iloc[2].date()) == "2017-06-30"
    # Tabs and indentation, two dimensions in one list.
    assert tx["object_6"].iloc[2] == "P1" and tx["object_1"].iloc[2] == "K 1"
    assert tx["line"].tolist() == [45, 46, 50, 51, 56, 57, 61, 64, 68, 69, 73, 74]


def test_rtrans_counts_and_its_repeated_trans_does_not_and_btrans_is_gone() -> None:
    tx = good().transactions
    lines = tx["line"].tolist()
    assert 61 in lines  # the #RTRANS
    assert 62 not in lines  # the identical #TRANS after it
    assert 63 not in lines  # the #BTRANS


def test_rtrans_followed_by_a_different_trans_keeps_both() -> None:
    repeated = b"#TRANS 5010 {6 \"P2\"} 1000.00 20170810\r\n"
    text = (SIE / "good.se").read_bytes().replace(
        repeated, repeated + b"#TRANS 1930 {} -1000.00\r\n#TRANS 5010 {6 \"P2\"} 5.00\r\n#TRANS 1930 {} -5.00\r\n", 1)
    text = text.replace(b"#RTRANS 5010 {6 \"P2\"} 1000.00 20170810", b"#RTRANS 5010 {6 \"P2\"} 1000.00", 1)
    tx = parse_sie(text, "x.se", strict=False).transactions
    assert tx[tx["voucher"] == 3]["amount_ore"].tolist() == [100_000, 100_000, -100_000, 500, -500, -100_000]


@pytest.mark.parametrize("name", ["enc_cp1252.se", "enc_utf8.se"])
def test_mislabelled_encodings_are_repaired(name: str) -> None:
    sie = read_sie(SIE / name)
    assert sie.encoding in {"cp1252", "utf-8"}
    assert sie.accounts[7010] == "Löner"
    assert sie.dimensions[1] == "Kostnadsställe"
    assert sie.transactions.equals(good().transactions)


def test_cp437_as_declared() -> None:
    sie = good()
    assert sie.encoding == "cp437"
    assert "Löner".encode("cp437") in (SIE / "good.se").read_bytes()


def test_is_sie_by_content_not_name() -> None:
    assert is_sie((SIE / "good.se").read_bytes()[:200])
    assert is_sie(b"\xef\xbb\xbf#SIETYP 4\r\n")
    assert not is_sie(b"Datum;Konto;Belopp\n2017-01-01;3010;100\n")
    assert not is_sie(b"#KONTO 3010 x\n")


@pytest.mark.parametrize(("name", "line", "message"), [
    ("bad_unbalanced.se", 66, "#VER A 5: the transactions sum to 0.05 kr, not 0"),
    ("bad_truncated.se", 71, "#VER: the closing '}' of this voucher is missing: the file ends (a truncated file?)"),
    ("bad_missing_brace.se", 59, "#VER: the closing '}' of this voucher is missing: the next #VER begins on line 65"),
    ("bad_trans_outside.se", 66, "#TRANS: a transaction outside a #VER"),
    ("bad_amount_text.se", 68, "#TRANS: amount '12x.25' is not a number"),
    ("bad_three_decimals.se", 68, "#TRANS: amount '125.250' has 3 decimals (at most two)"),
    ("bad_account_missing.se", 67, "#TRANS: account 8410 is not in #KONTO"),
])
def test_bad_input_names_file_line_and_record(name: str, line: int, message: str) -> None:
    with pytest.raises(DataError) as caught:
        read_sie(SIE / name)
    problems = caught.value.problems
    assert any(p.row == line and p.file == name and p.message.startswith(message) for p in problems), \
        [str(p) for p in problems]
    assert str(caught.value).startswith(f"{name}: ")


@pytest.mark.parametrize(("old", "new", "shown"), [
    (b"#KPTYP BAS95", b"KPTYP", "x.se, row 10: value 'KPTYP': a line that is not a record (records start with '#')"),
    (b"#VER A 5 20171231", b"#VER A 5 20171232", "x.se, row 66: #VER: date 20171232 does not exist"),
    (b"#TRANS 8410 {} 125.25", b"#TRANS 8410 {} 125.25 20171301", "x.se, row 68: #TRANS: date 20171301 does not exist"),
    (b"#RAR 0 20170101", b"#RAR 0 2017010", "x.se, row 8: value '#RAR 0 2017010 20171231': #RAR: date '2017010' is not "
                                            "YYYYMMDD"),
])
def test_not_a_record_and_bad_dates(old: bytes, new: bytes, shown: str) -> None:
    text = (SIE / "good.se").read_bytes().replace(old, new, 1)
    with pytest.raises(DataError) as caught:
        parse_sie(text, "x.se")
    assert [str(p) for p in caught.value.problems] == [shown]


# --- the vectorised path reads what the tokenizer reads ------------------------------------

names = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=0, max_size=6)
lines = st.lists(st.tuples(
    st.integers(1000, 8999),  # account
    st.lists(st.tuples(st.sampled_from([1, 6]), names), max_size=2, unique_by=lambda p: p[0]),  # objects
    st.integers(-10**9, 10**9),  # öre
    st.one_of(st.none(), st.dates(date(2017, 1, 1), date(2017, 12, 31))),  # transaction date
    names,  # text
), min_size=1, max_size=4)


@given(st.lists(lines, min_size=1, max_size=5), st.sampled_from(["\r\n", "\n"]), st.booleans())
def test_any_transaction_reads_back(vouchers: list, newline: str, decimals: bool) -> None:
    out = [format_record("#FLAGGA", ["0"]), format_record("#RAR", ["0", "20170101", "20171231"])]
    expected = []
    for number, rows in enumerate(vouchers, start=1):
        out += [format_record("#VER", ["A", str(number), "20170301", "v"]), "{"]
        for account, objects, ore, when, text in [*rows, (1930, [], -sum(r[2] for r in rows), None, "")]:
            amount = format_ore(ore) if decimals or ore % 100 else str(ore // 100)
            fields: list = [str(account), [str(v) for pair in objects for v in pair], amount]
            if when is not None or text:
                fields += ["" if when is None else when.strftime("%Y%m%d"), text]
            out.append(format_record("#TRANS", fields))
            expected.append((number - 1, account, ore, dict(objects).get(6), str(when or date(2017, 3, 1))))
        out.append("}")
    sie = parse_sie(newline.join(out).encode("utf-8"), "t.se", strict=False)
    tx = sie.transactions
    got = list(zip(tx["voucher"], tx["account"], tx["amount_ore"],
                   tx["object_6"] if "object_6" in tx else [None] * len(tx),
                   (str(d.date()) for d in tx["date"]), strict=True))
    assert [(int(v), int(a), int(o), None if isinstance(p, float) else p, d) for v, a, o, p, d in got] == expected


def test_a_broken_quote_is_located() -> None:
    text = (SIE / "good.se").read_bytes().replace(b'#KONTO 5010 "Lokalhyra"', b'#KONTO 5010 "Lokalhyra', 1)
    with pytest.raises(DataError) as caught:
        parse_sie(text, "x.se")
    assert [str(p) for p in caught.value.problems] == [
        "x.se, row 14: value '#KONTO 5010 \"Lokalhyra': #KONTO: a quoted field has no closing quote"]


@pytest.mark.parametrize(("old", "new", "shown"), [
    (b"}\r\n#VER A 5", b"}\r\n}\r\n#VER A 5", "x.se, row 66: }: a '}' that closes nothing"),
    (b"#VER A 5 20171231 \"Bankavgift\"\r\n", b"", "x.se, row 66: {: a '{' that opens no #VER's transactions"),
])
def test_stray_braces(old: bytes, new: bytes, shown: str) -> None:
    with pytest.raises(DataError) as caught:
        parse_sie((SIE / "good.se").read_bytes().replace(old, new, 1), "x.se")
    assert shown in [str(p) for p in caught.value.problems]


@pytest.mark.parametrize("tail", [b' "unterminated', b' {', b' }', b' "a\\"'])
def test_a_malformed_text_after_the_amount_is_not_skipped(tail: bytes) -> None:
    text = (SIE / "good.se").read_bytes().replace(b"#TRANS 8410 {} 125.25", b"#TRANS 8410 {} 125.25 20171231" + tail)
    with pytest.raises(DataError) as caught:
        parse_sie(text, "x.se")
    assert [p.row for p in caught.value.problems] == [68]
