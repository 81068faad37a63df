"""The chart of accounts for the statements: which account ranges make which line (BAS-based default)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ....errors import DataError
from ....rounding import format_kronor as money

Ranges = Sequence[tuple[int, int]]

MEDLEMSAVGIFTER = "Verksamhetens medlemsavgifter"
OVRIGA_INTAKTER = "Övriga intäkter"
BIDRAG = "EU-medel och andra bidrag"
KOSTNADER = "Verksamhetens kostnader"
AVSKRIVNINGAR = "Avskrivningar"
FIN_INTAKTER = "Finansiella intäkter"
FIN_KOSTNADER = "Finansiella kostnader"
EXTRA_INTAKTER = "Extraordinära intäkter"
EXTRA_KOSTNADER = "Extraordinära kostnader"
ANLAGGNING = "Anläggningstillgångar"
FORRAD = "Förråd"
FORDRINGAR = "Fordringar"
PLACERINGAR = "Kortfristiga placeringar"
KASSA = "Kassa och banktillgodohavande"
EGET_KAPITAL = "Eget kapital"
AVSATTNINGAR = "Avsättningar"
LANGFRISTIGA = "Långfristiga skulder"
KORTFRISTIGA = "Kortfristiga skulder"
YEAR_END = "(årets resultat, bokslutsposter)"

DEFAULT_RADER: dict[str, Ranges] = {
    MEDLEMSAVGIFTER: [(3000, 3499)],
    OVRIGA_INTAKTER: [(3500, 3899)],
    BIDRAG: [(3900, 3999)],
    KOSTNADER: [(4000, 7699), (7900, 7999)],
    AVSKRIVNINGAR: [(7700, 7899)],
    FIN_INTAKTER: [(8000, 8399)],
    FIN_KOSTNADER: [(8400, 8499)],
    EXTRA_INTAKTER: [(8700, 8749)],
    EXTRA_KOSTNADER: [(8750, 8799)],
    YEAR_END: [(8990, 8999)],
    ANLAGGNING: [(1000, 1399)],
    FORRAD: [(1400, 1499)],
    FORDRINGAR: [(1500, 1799)],
    PLACERINGAR: [(1800, 1899)],
    KASSA: [(1900, 1999)],
    EGET_KAPITAL: [(2000, 2099)],
    AVSATTNINGAR: [(2100, 2299)],
    LANGFRISTIGA: [(2300, 2399)],
    KORTFRISTIGA: [(2400, 2999)],
}
RESULT_LINES = (MEDLEMSAVGIFTER, BIDRAG, OVRIGA_INTAKTER, KOSTNADER, AVSKRIVNINGAR, FIN_INTAKTER, FIN_KOSTNADER,
                EXTRA_INTAKTER, EXTRA_KOSTNADER)
ASSET_LINES = (ANLAGGNING, FORRAD, FORDRINGAR, PLACERINGAR, KASSA)
CLAIM_LINES = (EGET_KAPITAL, AVSATTNINGAR, LANGFRISTIGA, KORTFRISTIGA)


def _matches(account: int, rader: Mapping[str, Ranges]) -> list[str]:
    return [line for line, ranges in rader.items() if any(lo <= account <= hi for lo, hi in ranges)]


def assign_lines(amounts: Mapping[int, int], rader: Mapping[str, Ranges] | None = None) -> dict[int, str]:
    """The line of every account that has a balance or a result (`amounts`: its largest absolute öre amount).

    `rader` ([bokslut.rader]) replaces the default ranges of the lines it names and wins over the others.
    An account in no line, or in two lines of `rader`, is a data error naming it and its amount.
    """
    override = dict(rader or {})
    unknown = sorted(set(override) - set(DEFAULT_RADER))
    if unknown:
        raise DataError(f"[bokslut.rader]: unknown line(s) {', '.join(unknown)}; the lines are "
                        + ", ".join(line for line in DEFAULT_RADER if line != YEAR_END))
    defaults = {line: ranges for line, ranges in DEFAULT_RADER.items() if line not in override}
    lines: dict[int, str] = {}
    problems: list[str] = []
    for account in sorted(amounts):
        found = _matches(account, override) or _matches(account, defaults)
        if len(found) == 1:
            lines[account] = found[0]
            continue
        where = "in no line of the chart of accounts" if not found else f"in more than one line: {', '.join(found)}"
        problems.append(f"account {account} ({money(amounts[account])}) is {where}")
    if problems:
        raise DataError("bokslut: " + "; ".join(problems))
    return lines


def accounts_with_amounts(years: Iterable[Iterable[Mapping[int, int]]]) -> dict[int, int]:
    """Every account with a non-zero amount in any of the given mappings, with its largest absolute amount."""
    out: dict[int, int] = {}
    for maps in years:
        for values in maps:
            for account, ore in values.items():
                if ore and abs(ore) > abs(out.get(account, 0)):
                    out[account] = ore
    return out
