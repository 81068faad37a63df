"""The outcome from SIE: groups and signs by account class, posts by object, mapping or name."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path
from unittest import mock

import pytest

from finsam_cli.errors import DataError, UsageError
from finsam_cli.inputs.schema import fold
from finsam_cli.inputs.sie import outcome as sie_outcome_module
from finsam_cli.inputs.sie import parse_sie, read_sie, scan, sie_outcome
from finsam_cli.inputs.sie.tokens import format_record

SIE = Path(__file__).resolve().parent / "data" / "sie"


def rows(outcome) -> list[tuple[str, str, int]]:
    return [(p, k, int(o)) for p, k, o in outcome.frame[["Post", "Klass", "ore"]].itertuples(index=False)]


def test_whole_year_signs_and_posts() -> None:
    outcome = sie_outcome(read_sie(SIE / "good.se"), 2017)
    assert rows(outcome) == [
        ("MIA - Projektgemensamt", "revenue", 10_000_000),  # credit in the file, shown positive
        ("MIA - Projektgemensamt", "cost", 3_000_050),
        ("Kansli", "cost", 2_100_000),
        ("Bankavgifter", "financial", -12_525),  # a bank fee is negative income; no object: the account's name
    ]
    assert outcome.frame["Belopp"].tolist() == [100000.0, 30000.5, 21000.0, -125.25]
    assert (outcome.revenues, outcome.costs, outcome.financial, outcome.result) == (
        10_000_000, 5_100_050, -12_525, 4_887_425)  # 8999 (the year-end result) is left out
    assert (outcome.start, outcome.end, outcome.dimension) == (date(2017, 1, 1), date(2017, 12, 31), 6)


def test_half_year_and_cut_off_use_transaction_dates() -> None:
    sie = read_sie(SIE / "good.se")
    # Voucher A 3 is dated 30 June, its cost line 5 July: not in the first half.
    assert rows(sie_outcome(sie, 2017, half=True)) == [("MIA - Projektgemensamt", "revenue", 10_000_000),
                                                       ("MIA - Projektgemensamt", "cost", 3_000_050)]
    assert rows(sie_outcome(sie, 2017, until=date(2017, 7, 5)))[-1] == ("Kansli", "cost", 2_000_000)
    with pytest.raises(UsageError, match="before 2017 starts"):
        sie_outcome(sie, 2017, until=date(2016, 12, 31))


def test_other_dimension_and_account_mapping() -> None:
    sie = read_sie(SIE / "good.se")
    by_cost_centre = sie_outcome(sie, 2017, dimension=1, posts={3010: "Medlemsavgifter", (5000, 7999): "Övrigt"})
    assert rows(by_cost_centre) == [("Medlemsavgifter", "revenue", 10_000_000), ("Kontoret", "cost", 3_000_050),
                                    ("Övrigt", "cost", 2_100_000), ("Bankavgifter", "financial", -12_525)]


def test_a_year_the_file_does_not_hold() -> None:
    sie = read_sie(SIE / "good.se")
    with pytest.raises(UsageError, match=r"good.se holds no financial year 2018 \(#RAR\): it holds 2016, 2017"):
        sie_outcome(sie, 2018)
    with pytest.raises(UsageError, match=r"good.se has no vouchers in 2016 .*vouchers are dated 2017-01-15–2017-12-31"):
        sie_outcome(sie, 2016)


def test_result_must_equal_res() -> None:
    sie = read_sie(SIE / "check_res.se")
    with pytest.raises(DataError, match=r"the 2017 result from the transactions, 48874.25 kr .* differs from the "
                                        r"file's own #RES, 49874.25 kr"):
        sie_outcome(sie, 2017)
    # A half year has no #RES to meet.
    assert sie_outcome(sie, 2017, half=True).result == 6_999_950


def test_an_account_in_no_group_is_named() -> None:
    with pytest.raises(DataError) as caught:
        sie_outcome(read_sie(SIE / "check_account_range.se", strict=False), 2017)
    assert [str(p) for p in caught.value.problems] == [
        "check_account_range.se, row 68: #TRANS: account 8610 (Okänt) is in no outcome group: 3000–3999 revenue, "
        "4000–7999 costs, 8000–8499 financial items, 8700–8799 extraordinary items, 8990–8999 year-end result"]


def test_extraordinary_items_are_net_income() -> None:
    text = (SIE / "good.se").read_bytes()
    text = text.replace(b"#TRANS 8410 {} 125.25", b"#TRANS 8710 {} 125.25").replace(b"#RES 0 8410", b"#RES 0 8710")
    text = text.replace(b'#KONTO 8410 "Bankavgifter"', b'#KONTO 8710 "Extraordin\x84ra kostnader"')
    outcome = sie_outcome(parse_sie(text, "x.se"), 2017)
    assert rows(outcome)[-1] == ("Extraordinära kostnader", "extraordinary", -12_525)
    assert outcome.result == 4_887_425


def _by_rows(sie, year: int, last: date, dimension: int | None, posts=None) -> list[tuple[str, str, int]]:
    """The outcome worked out row by row from the transactions frame, as a check on sie_outcome's codes."""
    start, end = next(span for span in sie.years.values() if span[0].year == year)
    tx = sie.transactions
    voucher_date = sie.vouchers["date"].dt.date.to_numpy()[tx["voucher"].to_numpy()]
    tx = tx[(voucher_date >= start) & (voucher_date <= end) & (tx["date"].dt.date.to_numpy() <= last)]
    column = f"object_{dimension}"
    groups: dict[tuple[str, str], list[int]] = {}
    for row in tx.to_dict("records"):
        klass = sie_outcome_module.account_class(row["account"])
        if klass is None:
            continue
        obj = row.get(column)
        post = (sie.objects.get((dimension, obj), obj) if isinstance(obj, str)
                else sie_outcome_module.mapped_post(row["account"], posts) or sie.accounts[row["account"]])
        sign = -1 if klass in sie_outcome_module.CREDIT_SHOWN_POSITIVE else 1
        groups.setdefault((post, klass), [row["line"], 0])[1] += sign * row["amount_ore"]
    return [(p, k, ore) for (p, k), (_, ore) in sorted(groups.items(), key=lambda item: item[1][0])]


def _two_years(vouchers: int) -> bytes:
    """Two financial years of vouchers on accounts of every class, objects in dimensions 1 and 6 (or
    none), one account used only in December, and more codes than the first rows hold."""
    rnd = random.Random(7)
    lines = [format_record("#FLAGGA", ["0"]), format_record("#RAR", ["0", "20170101", "20171231"]),
             format_record("#RAR", ["-1", "20160101", "20161231"]),
             format_record("#DIM", ["1", "Kostnadsställe"]), format_record("#DIM", ["6", "Projekt"])]
    accounts = {1930: "Bank", 3010: "Avgifter", 3990: "Bidrag", 5010: "Hyra", 7010: "Löner", 8410: "Bankavgifter",
                8710: "Extraordinärt", 8999: "Årets resultat", 6110: "Kontorsmateriel"}
    lines += [format_record("#KONTO", [a, n]) for a, n in accounts.items()]
    lines += [format_record("#OBJEKT", ["6", f"P{i}", f"Projekt {i}"]) for i in range(40)]
    lines += [format_record("#OBJEKT", ["1", f"K{i}", f"Ställe {i}"]) for i in range(3)]
    for number in range(1, vouchers + 1):
        year = 2016 if number % 5 == 0 else 2017
        month = 12 if number > vouchers - 20 else rnd.randint(1, 11)
        day = f"{year}{month:02d}{rnd.randint(1, 28):02d}"
        lines += [format_record("#VER", ["A", number, day, ""]), "{"]
        account = 6110 if month == 12 else rnd.choice([3010, 3990, 5010, 7010, 8410, 8710, 8999])
        objects = rnd.choice([[], ["6", f"P{rnd.randrange(40)}"], ["1", f"K{rnd.randrange(3)}"],
                              ["1", "K0", "6", f"P{rnd.randrange(40)}"]])
        ore = rnd.randint(-99_999, 99_999)
        own = [f"{year}{month:02d}01"] if rnd.random() < 0.2 else []  # a date of its own, in the same month
        lines += [format_record("#TRANS", [account, objects, f"{ore / 100:.2f}", *own]),
                  format_record("#TRANS", [1930, [], f"{-ore / 100:.2f}"]), "}"]
    return "\n".join(lines).encode("cp437")


@pytest.mark.parametrize("compiled", [True, False])
def test_sums_per_code_are_the_sums_row_by_row(compiled: bool) -> None:
    """Both years, half years, cut-offs, both dimensions and account mappings, from the compiled pass's
    codes and from the tokenizer's: as summed row by row."""
    text = _two_years(4000)
    with mock.patch.object(scan, "FAST_FROM", 0 if compiled else len(text) + 1):
        sie = parse_sie(text, "x.se", strict=False)
    posts = {(5000, 7999): "Övrigt"}
    for year, kw, last in [(2017, {}, date(2017, 12, 31)), (2016, {"half": True}, date(2016, 6, 30)),
                           (2017, {"until": date(2017, 11, 30)}, date(2017, 11, 30))]:
        for dimension in (None, 1, 6):
            got = sie_outcome(sie, year, dimension=dimension, posts=posts, **kw)  # type: ignore[arg-type]
            assert got.dimension == (dimension or 6)
            assert rows(got) == _by_rows(sie, year, last, dimension or 6, posts)
    assert "Kontorsmateriel" in {p for p, _, _ in rows(sie_outcome(sie, 2017, dimension=6))}
    assert "Kontorsmateriel" not in {p for p, _, _ in rows(sie_outcome(sie, 2017, until=date(2017, 11, 30)))}


def test_posts_first_seen_late_keep_their_place() -> None:
    """Posts are in order of first appearance, also for those first seen after thousands of rows."""
    lines = [format_record("#FLAGGA", ["0"]), format_record("#RAR", ["0", "20170101", "20171231"]),
             format_record("#DIM", ["6", "Projekt"]), format_record("#OBJEKT", ["6", "P1", "Först"]),
             format_record("#OBJEKT", ["6", "P2", "Sist"])]
    lines += [format_record("#KONTO", [a, n]) for a, n in ((1930, "Bank"), (3010, "Avgifter"), (5010, "Hyra"),
                                                           (6110, "Kontorsmateriel"))]
    vouchers = [(5010, ["6", "P1"], 100)] * 3000 + [(6110, [], 200), (3010, ["6", "P2"], -500)]
    for number, (account, objects, ore) in enumerate(vouchers, 1):
        lines += [format_record("#VER", ["A", number, "20170301", ""]), "{",
                  format_record("#TRANS", [account, objects, f"{ore / 100:.2f}"]),
                  format_record("#TRANS", [1930, [], f"{-ore / 100:.2f}"]), "}"]
    outcome = sie_outcome(parse_sie("\n".join(lines).encode("cp437"), "x.se"), 2017)
    assert rows(outcome) == [("Först", "cost", 300_000), ("Kontorsmateriel", "cost", 200), ("Sist", "revenue", 500)]


@pytest.mark.parametrize(("a", "b"), [
    ("MIA - Projektgemensamt", "MIA – Projektgemensamt"),
    ("MIA — Projektgemensamt", "mia \u2212 projektgemensamt"),
    ("Ung i  Tyresö ", "ung i tyresö"),
    ("SE-vägen", "SE\u2010VÄGEN"),
])
def test_post_names_match_by_the_one_folding_rule(a: str, b: str) -> None:
    """SIE posts meet budget lines through `schema.fold`, the rule every budget report matches by."""
    assert fold(a) == fold(b)


@pytest.mark.parametrize(("a", "b"), [("Ung i Tyresö", "Ung i Nynäs"),
                                      ("MIA Östra Södertörn", "MIA – Projektgemensamt")])
def test_post_names_that_differ_in_letters_stay_apart(a: str, b: str) -> None:
    assert fold(a) != fold(b)
