"""The cross-checks run before a bokslut is returned: each failure is a data error with the figures."""

from __future__ import annotations

from ....errors import DataError
from ....rounding import format_kronor as money


def check_balance_sheet(year: str, assets: int, claims: int) -> None:
    if assets != claims:
        raise DataError(f"bokslut {year}: the balance sheet does not balance: Summa tillgångar {money(assets)}, "
                        f"Summa eget kapital och skulder {money(claims)} (difference {money(assets - claims)}). "
                        "Is an account mapped to the wrong line in [bokslut.rader]?")


def check_equity(year: str, opening: int, closing: int, result: int, postings: int) -> None:
    if closing - opening != result + postings:
        direct = f" plus direct equity postings {money(postings)}" if postings else ""
        raise DataError(f"bokslut {year}: the year's result {money(result)}{direct} does not equal the change in "
                        f"equity {money(closing - opening)} (opening {money(opening)}, closing {money(closing)}).")


def check_cash(year: str, computed: int, cash_closing: int) -> None:
    if computed != cash_closing:
        raise DataError(f"bokslut {year}: Likvida medel vid årets slut in the cash flow statement is "
                        f"{money(computed)}, the cash accounts' closing balance {money(cash_closing)}.")


def check_note(year: str, number: int, total: int, line: int) -> None:
    if total != line:
        raise DataError(f"bokslut {year}: Not {number} sums to {money(total)}, its line to {money(line)}.")
