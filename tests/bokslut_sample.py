"""The sample SIE4 export as the bokslut tests read it (through finsam's SIE reader), and variants of it."""

from __future__ import annotations

import re

import pandas as pd

from finsam_cli.inputs.sie import SieFile, parse_sie
from finsam_cli.inputs.sie.tokens import format_ore, parse_ore

from .conftest import SAMPLE

SIE_SAMPLE = SAMPLE / "bokforing.se"


def sample_text() -> str:
    return SIE_SAMPLE.read_bytes().decode("cp437")


def read(text: str) -> SieFile:
    return parse_sie(text.encode("cp437"), "bokforing.se")


def reopen_2017(text: str) -> str:
    """The same export before the year-end closing entry: no 8999 result, 2099 without the year's result."""
    closing = re.search(r"^#RES 0 8999 (\S+)\r$", text, re.MULTILINE)
    opened = re.search(r"^#UB 0 2099 (\S+)\r$", text, re.MULTILINE)
    assert closing and opened
    reopened = parse_ore(opened.group(1)) + parse_ore(closing.group(1))
    text = re.sub(r"^#RES 0 8999 .*\n", "", text, flags=re.MULTILINE)
    text = re.sub(r"^#UB 0 2099 \S+", f"#UB 0 2099 {format_ore(reopened)}", text, flags=re.MULTILINE)
    return re.sub(r'^#VER A \d+ \d+ "Årets resultat".*?^\}\r\n', "", text, flags=re.MULTILINE | re.DOTALL)


def without_previous_year(text: str) -> str:
    return re.sub(r"^#(RAR|IB|UB|RES) -1 .*\n", "", text, flags=re.MULTILINE)


def saldolista_of_sample() -> pd.DataFrame:
    """The sample export's balances as a saldolista (Swedish number format, −), rows numbered as Excel shows."""
    sie = read(sample_text())
    rows = []
    for index, year in ((0, "2017"), (-1, "2016")):
        accounts = sorted({a for (y, a) in (*sie.ib, *sie.ub, *sie.res) if y == index})
        for a in accounts:
            cells = [sie.ib.get((index, a)), sie.ub.get((index, a)), sie.res.get((index, a))]
            shown = ["" if v is None else f"{v / 100:,.2f}".replace(",", " ").replace(".", ",").replace("-", "−")
                     for v in cells]
            rows.append([year, str(a), sie.accounts[a], *shown])
    columns = ["År", "Konto", "Kontonamn", "Ingående balans", "Utgående balans", "Resultat"]
    return pd.DataFrame(rows, columns=columns, index=pd.RangeIndex(2, 2 + len(rows)))
