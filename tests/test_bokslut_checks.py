"""The statements' cross-checks, the chart of accounts and the saldolista, on tiny trial balances."""

from __future__ import annotations

from datetime import date

import pytest

from finsam_cli.errors import DataError, UsageError
from finsam_cli.reports.ekonomi.bokslut.checks import check_cash, check_note
from finsam_cli.reports.ekonomi.bokslut.compute import PRINCIPER_2018, bokslut
from finsam_cli.reports.ekonomi.bokslut.model import Bokslut, Note, Statement, kronor
from finsam_cli.reports.ekonomi.bokslut.saldolista import read_saldolista
from finsam_cli.reports.ekonomi.bokslut.trial_balance import TrialBalance, YearBalances, from_sie, year_index

from .bokslut_sample import read, saldolista_of_sample, sample_text

NAMES = {1220: "Inventarier", 1510: "Kundfordringar", 1930: "Bank", 2010: "Eget kapital", 2099: "Årets resultat",
         2440: "Leverantörsskulder", 3010: "Medlemsavgifter", 4010: "Insatser", 7830: "Avskrivningar inventarier",
         8600: "Okänt", 8999: "Årets resultat"}


def _year(ib: dict[int, int], ub: dict[int, int], res: dict[int, int], year: int = 2020,
          movements: dict[int, int] | None = None) -> YearBalances:
    return YearBalances(date(year, 1, 1), date(year, 12, 31), ib, ub, res, movements)


# A closed year: revenue 500, costs 300, result 200 booked to 2099 (kronor ×100 = öre).
IB = {1510: 10_000, 1930: 90_000, 2010: -100_000}
UB = {1510: 15_000, 1930: 105_000, 2010: -100_000, 2099: -20_000}
RES = {3010: -50_000, 4010: 30_000, 8999: 20_000}


def _tb(ib=IB, ub=UB, res=RES, postings: int | None = None) -> TrialBalance:
    """`postings`: öre credited straight to equity (2010) and paid into the bank, as the vouchers show."""
    movements = None if postings is None else {1930: postings, 2010: -postings, 1510: 5_000}
    return TrialBalance(NAMES, _year(ib, ub, res, movements=movements), None)


def _row(result: Bokslut, title: str, label: str) -> tuple[int | None, int | None]:
    parts: list[Statement | Note] = [*result.statements, *result.notes]
    rows = [r for s in parts if s.title == title for r in s.rows if r.label == label]
    assert len(rows) == 1, (title, label)
    return rows[0].current, rows[0].previous


def test_tiny_closed_year() -> None:
    result = bokslut(_tb())
    assert result.closed and result.footnotes == ()
    assert _row(result, "Resultaträkning", "Periodens/årets resultat") == (20_000, None)
    assert _row(result, "Eget kapital", "Utgående balans eget kapital") == (120_000, None)
    assert _row(result, "Kassaflödesanalys", "Ökning/minskning kortfristiga fordringar") == (-5_000, None)
    assert _row(result, "Kassaflödesanalys", "Likvida medel vid årets slut") == (105_000, None)
    assert result.notes[0].text == PRINCIPER_2018  # 2020: lagen (2018:597)
    assert bokslut(_tb(), not1="Egen text.").notes[0].text == "Egen text."


def test_balances_adding_up_to_neither_closed_nor_open_is_a_data_error() -> None:
    with pytest.raises(DataError, match=r"closing balances sum to 0,01\xa0kr .* with the result accounts to "
                                        r"−199,99\xa0kr"):
        bokslut(_tb(ub={**UB, 1930: 105_001}, res={3010: -50_000, 4010: 30_000}))


def test_balance_sheet_that_does_not_balance() -> None:
    # [bokslut.rader] puts the bank account among the revenue: it falls out of the balance sheet.
    rader = {"Övriga intäkter": [(3500, 3899), (1900, 1999)]}
    with pytest.raises(DataError, match=r"2020: the balance sheet does not balance: Summa tillgångar 150\xa0kr, "
                                        r"Summa eget kapital och skulder 1\xa0200\xa0kr"):
        bokslut(_tb(), rader)


def test_change_in_equity_other_than_the_result() -> None:
    # 100 kr credited straight to equity (and paid into the bank), not known from any voucher.
    ub = {**UB, 1930: 115_000, 2010: -110_000}
    with pytest.raises(DataError, match=r"the year's result 200\xa0kr does not equal the change in equity "
                                        r"300\xa0kr \(opening 1\xa0000\xa0kr, closing 1\xa0300\xa0kr\)"):
        bokslut(_tb(ub=ub))
    # Known from the vouchers, it is its own row in Not 6 and financing in the cash flow.
    result = bokslut(_tb(ub=ub, postings=10_000))
    assert _row(result, "Eget kapital", "Direkt bokfört mot eget kapital") == (10_000, None)
    assert _row(result, "Kassaflödesanalys", "Kassaflöde från finansieringsverksamheten") == (10_000, None)
    with pytest.raises(DataError, match=r"plus direct equity postings 50\xa0kr does not equal"):
        bokslut(_tb(ub=ub, postings=5_000))


def test_cash_and_note_checks_state_the_figures() -> None:
    with pytest.raises(DataError, match=r"2017: Likvida medel vid årets slut .* 7\xa0974\xa0072\xa0kr, the cash "
                                        r"accounts' closing balance 7\xa0974\xa0073\xa0kr"):
        check_cash("2017", 797_407_200, 797_407_300)
    with pytest.raises(DataError, match=r"2017: Not 5 sums to 4\xa0327\xa0422\xa0kr, "
                                        r"its line to 4\xa0347\xa0421,60\xa0kr"):
        check_note("2017", 5, 432_742_200, 434_742_160)


def test_account_outside_every_line_is_named_with_its_amount() -> None:
    res = {**RES, 8600: 1_250, 4010: 28_750}
    with pytest.raises(DataError, match=r"account 8600 \(12,50\xa0kr\) is in no line of the chart of accounts"):
        bokslut(_tb(res=res))


def test_overlapping_override_lines_are_an_error() -> None:
    rader = {"Övriga intäkter": [(3000, 3999)], "Verksamhetens medlemsavgifter": [(3000, 3499)]}
    with pytest.raises(DataError, match=r"account 3010 .* is in more than one line: Övriga intäkter, "
                                        r"Verksamhetens medlemsavgifter"):
        bokslut(_tb(), rader)
    with pytest.raises(DataError, match=r"unknown line\(s\) Intäkter"):
        bokslut(_tb(), {"Intäkter": [(3000, 3999)]})


def test_override_moves_an_account_to_another_line() -> None:
    result = bokslut(_tb(), {"Övriga intäkter": [(3000, 3099)]})
    assert _row(result, "Resultaträkning", "Övriga intäkter") == (50_000, None)
    assert _row(result, "Resultaträkning", "Verksamhetens medlemsavgifter") == (None, None)


def test_fixed_assets_and_depreciation_appear_when_they_hold_anything() -> None:
    ib, ub = {**IB, 1220: 10_000, 2010: -110_000}, {**UB, 1220: 8_000, 2010: -110_000, 1930: 107_000}
    result = bokslut(_tb(ib=ib, ub=ub, res={3010: -50_000, 4010: 28_000, 7830: 2_000, 8999: 20_000}))
    labels = [r.label for r in result.statements[1].rows]
    assert labels[:2] == ["Tillgångar", "Anläggningstillgångar"]
    assert _row(result, "Resultaträkning", "Avskrivningar") == (-2_000, None)
    assert _row(result, "Kassaflödesanalys", "Justering för ej likviditetspåverkande poster") == (2_000, None)
    assert _row(result, "Kassaflödesanalys", "Kassaflöde från investeringsverksamheten") == (0, None)
    assert "Anläggningstillgångar" not in [r.label for r in bokslut(_tb()).statements[1].rows]


def test_rounding_footnote_only_when_shown_figures_do_not_add_up() -> None:
    # 0,60 + 0,60 kr of revenue: each shows 1, the sum 1,20 shows 1.
    res = {3010: -60, 3020: -60, 8999: 120}
    tb = TrialBalance(NAMES, _year({1930: 100, 2010: -100}, {1930: 220, 2010: -100, 2099: -120}, res), None)
    result = bokslut(tb)
    assert [(r.label, kronor(r.current or 0)) for r in result.notes[1].rows] == [
        ("Medlemsavgifter", 1), ("Konto 3020", 1), ("Summa", 1)]
    assert result.footnotes == ("Avrundningsdifferenser kan förekomma",)


def test_saldolista_gives_the_same_statements_as_the_sie_file() -> None:
    from_list = bokslut(read_saldolista(saldolista_of_sample(), 2017, "saldolista.csv"))
    from_file = bokslut(from_sie(read(sample_text())))
    assert from_list.statements == from_file.statements and from_list.notes == from_file.notes


def test_saldolista_with_a_non_numeric_cell_names_row_and_column() -> None:
    df = saldolista_of_sample()
    df.loc[4, "Utgående balans"] = "12 3x4"
    df.loc[7, "Konto"] = "19x0"
    with pytest.raises(DataError) as caught:
        read_saldolista(df, 2017, "saldolista.csv")
    assert [str(p) for p in caught.value.problems] == [
        "saldolista.csv, row 4, column 'Utgående balans': value '12 3x4': not a number",
        "saldolista.csv, row 7, column 'Konto': value '19x0': not a whole number",
    ]


def test_saldolista_without_the_year_names_the_years_it_holds() -> None:
    with pytest.raises(UsageError, match=r"saldolista.csv does not hold 2019; it holds 2016, 2017"):
        read_saldolista(saldolista_of_sample(), 2019, "saldolista.csv")
    with pytest.raises(DataError, match=r"needs the column\(s\) Resultat"):
        read_saldolista(saldolista_of_sample().drop(columns="Resultat"), 2017, "saldolista.csv")


def test_report_year_is_found_through_the_fiscal_years_dates() -> None:
    sie = read(sample_text())
    assert (year_index(sie, 2017), year_index(sie, 2016)) == (0, -1)
    result = bokslut(from_sie(sie, year_index(sie, 2016)))
    assert result.year == "2016" and result.statements[0].columns == ("2016", "2015")
    assert "Underlaget saknar föregående år (2015); kolumnen visas med –." in result.notices
    with pytest.raises(UsageError, match=r"bokforing.se does not hold 2018; it holds 2016, 2017"):
        year_index(sie, 2018)


def test_provisions_appear_and_count_as_non_cash_items() -> None:
    ib, ub = {**IB, 2010: -95_000, 2210: -5_000}, {**UB, 2010: -95_000, 2210: -7_000, 1930: 107_000}
    result = bokslut(_tb(ib=ib, ub=ub, res={3010: -50_000, 4010: 30_000, 8999: 20_000}))
    assert "Avsättningar" in [r.label for r in result.statements[1].rows]
    assert _row(result, "Kassaflödesanalys", "Justering för ej likviditetspåverkande poster") == (2_000, None)
    assert _row(result, "Kassaflödesanalys", "Likvida medel vid årets slut") == (107_000, None)
