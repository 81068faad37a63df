"""The bokslut tests' view of an SIE4 file: a minimal reader of #RAR, #KONTO, #IB, #UB, #RES and #TRANS.

Stands in for the SIE reader (branch `sie`) until it merges; it gives the fields the statements' adapter reads.
"""

from __future__ import annotations

import re
from datetime import date
from types import SimpleNamespace

import pandas as pd

from .conftest import SAMPLE

SIE_SAMPLE = SAMPLE / "bokforing.se"


def _ore(text: str) -> int:
    kr, _, ore = text.lstrip("-").partition(".")
    return (-1 if text.startswith("-") else 1) * (int(kr) * 100 + int(ore.ljust(2, "0")))


def _date(text: str) -> date:
    return date(int(text[:4]), int(text[4:6]), int(text[6:]))


def parse_sie(text: str) -> SimpleNamespace:
    years = {int(i): (_date(a), _date(b)) for i, a, b in re.findall(r"^#RAR (-?\d+) (\d{8}) (\d{8})", text, re.M)}
    accounts = {int(a): n.strip().strip('"') for a, n in re.findall(r"^#KONTO (\d+) (.*)$", text, re.M)}
    balances: dict[str, dict[tuple[int, int], int]] = {"IB": {}, "UB": {}, "RES": {}}
    for tag, year, account, amount in re.findall(r"^#(IB|UB|RES) (-?\d+) (\d+) (-?[\d.]+)\s*$", text, re.M):
        balances[tag][(int(year), int(account))] = _ore(amount)
    rows = []
    for voucher, (day, body) in enumerate(re.findall(r"^#VER \S+ \d+ (\d{8}) .*?\{(.*?)^\}", text, re.M | re.S)):
        rows += [(voucher, _date(day), int(a), _ore(v)) for a, v in re.findall(r"#TRANS (\d+) \{.*?\} (\S+)", body)]
    transactions = pd.DataFrame(rows, columns=["voucher", "date", "account", "amount_ore"])
    transactions["date"] = pd.to_datetime(transactions["date"])
    return SimpleNamespace(years=years, accounts=accounts, ib=balances["IB"], ub=balances["UB"],
                           res=balances["RES"], transactions=transactions)


def sample_text() -> str:
    return SIE_SAMPLE.read_bytes().decode("cp437")


def reopen_2017(text: str) -> str:
    """The same export before the year-end closing entry: no 8999 result, 2099 without the year's result."""
    closing = int(re.search(r"^#RES 0 8999 (\S+)\r?$", text, re.M).group(1).replace(".", ""))  # type: ignore[union-attr]
    text = re.sub(r"^#RES 0 8999 .*\n", "", text, flags=re.M)
    ub_2099 = re.search(r"^#UB 0 2099 (\S+)\r?$", text, re.M).group(1)  # type: ignore[union-attr]
    reopened = _ore(ub_2099) + closing
    sign = "-" if reopened < 0 else ""
    text = re.sub(r"^#UB 0 2099 \S+", f"#UB 0 2099 {sign}{abs(reopened) // 100}.{abs(reopened) % 100:02d}", text,
                  flags=re.M)
    return re.sub(r'^#VER A \d+ \d+ "Årets resultat".*?^\}\r?\n', "", text, flags=re.M | re.S)
