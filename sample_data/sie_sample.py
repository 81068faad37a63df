"""The example association's SIE4 export (``bokforing.se``), as an accounting system exports the closed year 2017.

Called by ``generate.py`` (``build_sie``); deterministic, no wall clock.  The balances are chosen in öre so that
finsam's statements reproduce the published 2017 and 2016 statements and notes (annual report 2017) to the krona,
including the 1-kr quirks that come from rounding öre amounts (−3 230 217 against 4 347 422 − 1 117 204, and
7 031 798 against 6 073 243 + 958 554).  The three published figures that contradict the others (Not 5's sum,
Not 6's opening, Not 4's 2016 Övriga kostnader) cannot hold and are not reproduced.

The 2017 vouchers carry a project object (dimension 6) per budget post.  The cost lines' transactions are the
2017 rows of ``utfall.csv`` (same dates, texts and öre), booked against supplier debts or accrued costs, so the
result-account transactions summed per post give the published budget appendix and the same half-years.
Records are written with finsam's own SIE writer (`format_record`), so the installed package is needed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

import numpy as np
import pandas as pd
from generate import _ore, _split

from finsam_cli.inputs.sie import format_record
from finsam_cli.inputs.sie.tokens import format_ore, parse_ore

# Accounts: number -> (#KONTO name, #KTYP).  Names of note lines are the published ones, and
# the numbers put them in the published order.
KONTON: dict[int, tuple[str, str]] = {
    1510: ("Kundfordringar", "T"),
    1610: ("Andra kortfristiga fordringar", "T"),
    1650: ("Moms", "T"),
    1710: ("Utgiftsförskott", "T"),
    1790: ("Upplupna intäkter", "T"),
    1930: ("Bank", "T"),
    2010: ("Eget kapital", "S"),
    2099: ("Årets resultat", "S"),
    2440: ("Leverantörsskulder", "S"),
    2730: ("Upplupna arbetsgivaravgifter", "S"),
    2740: ("Skuld löneskatt", "S"),
    2990: ("Upplupna kostnader och förutbetalda intäkter", "S"),
    3010: ("Driftbidrag från staten", "I"),
    3020: ("Driftbidrag från Haninge kommun", "I"),
    3030: ("Driftbidrag från Nynäshamns kommun", "I"),
    3040: ("Driftbidrag från Tyresö kommun", "I"),
    3050: ("Driftbidrag från Stockholms läns landsting", "I"),
    3910: ("MIA (ESF-projekt)", "I"),
    3920: ("SE-Vägen", "I"),
    3930: ("FK-medel (Case Manager)", "I"),
    4010: ("Insatser", "K"),
    4020: ("Personalkostnader, styrelse och kansli", "K"),
    5010: ("Lokalkostnader", "K"),
    6550: ("Konsultkostnader", "K"),
    6990: ("Övriga kostnader", "K"),
    8490: ("Bankavgifter", "K"),
    8999: ("Årets resultat", "K"),
}

# Balance accounts, öre in SIE signs (debit +): opening 2016, closing 2016, closing 2017.
BALANCES: dict[int, tuple[int, int, int]] = {
    1510: (120_000_000, 51_374_500, 3_426_500),
    1610: (10_223_520, 11_393_500, 764_400),
    1650: (50_000_000, 48_952_440, 107_231_100),
    1710: (0, 0, 11_242_900),
    1790: (0, 0, 312_077_260),
    1930: (991_156_200, 824_667_205, 797_407_200),
    2010: (-499_499_825, -499_499_825, -607_324_340),
    2099: (0, -107_824_515, -95_855_430),
    2440: (-250_000_000, -94_281_905, -192_247_000),
    2730: (-11_000_000, -9_729_500, -12_421_700),
    2740: (-18_000_000, -16_630_400, -12_726_900),
    2990: (-392_879_895, -208_421_500, -311_573_990),
}

# Result accounts, öre in SIE signs: 2016, 2017 (8999 is the closing entry).
RESULTS: dict[int, tuple[int, int]] = {
    3010: (-903_243_500, -903_243_400),
    3020: (-240_491_000, -240_247_200),
    3030: (-78_970_200, -78_955_400),
    3040: (-132_160_500, -132_419_100),
    3050: (-451_621_800, -451_621_700),
    3910: (0, -806_385_500),
    3920: (-262_362_300, 0),
    3930: (-18_903_600, 0),
    4010: (1_658_648_900, 2_196_017_300),
    4020: (236_844_400, 222_744_700),
    5010: (48_949_900, 37_660_500),
    6550: (7_450_000, 6_691_200),
    6990: (27_524_785, 53_195_300),
    8490: (510_400, 707_870),
    8999: (107_824_515, 95_855_430),
}

FEE_ACCOUNTS = (3010, 3020, 3030, 3040, 3050)
COST_ACCOUNT = {"Personal": 4020, "Lokal": 5010, "Konsult": 6550, "Övrigt": 6990}
# The ledger's detailed accounts (utfall.csv) grouped into the accounts above.
DETAIL_TO_ACCOUNT = {"7010": 4020, "7510": 4020, "7240": 4020, "5010": 5010, "6540": 6550, "6420": 6550,
                     "6550": 6550}
ESF_PAID_MONTHS = ((3, 24), (6, 21), (9, 22))
MONTH_ENDS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def cp437_name(text: str) -> str:
    """CP437 has no en dash: the accounting system writes a hyphen."""
    return text.replace("\u2013", "-")


Trans = tuple[int, str | None, int, str]  # account, post (or None), öre, text
Voucher = tuple[date, str, list[Trans]]


def _cost_vouchers(utfall: pd.DataFrame, groups: dict[str, str]) -> list[Voucher]:
    """utfall.csv's 2017 cost rows as supplier invoices (or accruals and their reversals)."""
    rows = utfall[(utfall["Datum"].str[:4] == "2017") & utfall["Post"].map(lambda p: groups.get(p) != "Intäkter")]
    out: list[Voucher] = []
    for day, konto, post, text, ore in zip(rows["Datum"], rows["Konto"], rows["Post"], rows["Text"],
                                           rows["Belopp"].map(_ore), strict=True):
        if groups[post] == "Finansiella poster":
            continue
        account = 4010 if groups[post] == "Insatser" else DETAIL_TO_ACCOUNT.get(konto, 6990)
        accrued = text.startswith(("Återföring upplupen", "Upplupen kostnad"))
        out.append((date.fromisoformat(day), text, [(account, post, ore, text),
                                                     (2990 if accrued else 2440, None, -ore, text)]))
    return out


def _reclassification(vouchers: list[Voucher], post: str) -> Voucher:
    """Year-end reclassification between cost accounts (net zero on the post) so each account reaches #RES."""
    booked: dict[int, int] = defaultdict(int)
    for _, _, trans in vouchers:
        for account, _, ore, _ in trans:
            booked[account] += ore
    text = "Omföring mellan kostnadskonton"
    lines: list[tuple[int, str | None, int, str]] = [(a, post, RESULTS[a][1] - booked[a], text)
                                                     for a in sorted(COST_ACCOUNT.values())
                                                     if RESULTS[a][1] != booked[a]]
    return (date(2017, 12, 31), text, lines)


def _revenue_vouchers(rng: np.random.Generator, fee_post: str, esf_post: str, fin_post: str) -> list[Voucher]:
    out: list[Voucher] = []
    for account in FEE_ACCOUNTS:
        member = KONTON[account][0].removeprefix("Driftbidrag från ")
        for q, ore in enumerate(_split(-RESULTS[account][1], [1, 1, 1, 1])):
            text = f"Medlemsavgift 2017 kv {q + 1}, {member}"
            out.append((date(2017, 3 * q + 1, 20), text, [(1510, None, ore, text), (account, fee_post, -ore, text)]))
    accrued = BALANCES[1790][2]
    paid = _split(-RESULTS[3910][1] - accrued, [int(rng.integers(70, 131)) for _ in ESF_PAID_MONTHS])
    for i, ((m, d), ore) in enumerate(zip(ESF_PAID_MONTHS, paid, strict=True)):
        text = f"Utbetalning ESF-rådet, MIA Östra Södertörn, ansökan {i + 1}/2017"
        out.append((date(2017, m, d), text, [(1930, None, ore, text), (3910, esf_post, -ore, text)]))
    text = "Upplupen intäkt ESF, ansökan 4/2017"
    out.append((date(2017, 12, 31), text, [(1790, None, accrued, text), (3910, esf_post, -accrued, text)]))
    for m, ore in enumerate(_split(RESULTS[8490][1], [int(rng.integers(80, 121)) for _ in range(12)]), start=1):
        text = f"Bankavgifter {m:02d}/2017"
        out.append((date(2017, m, 28), text, [(8490, fin_post, ore, text), (1930, None, -ore, text)]))
    return out


def _settlements(vouchers: list[Voucher], rng: np.random.Generator) -> list[Voucher]:
    """Payments and clearings against the bank so every balance account reaches its #UB."""
    moved: dict[int, int] = defaultdict(int)
    for _, _, trans in vouchers:
        for account, _, ore, _ in trans:
            moved[account] += ore
    out: list[Voucher] = []
    for account, (_, opening, closing) in BALANCES.items():
        rest = closing - opening - moved[account]
        if account == 1930 or rest == 0:
            continue
        name = KONTON[account][0]
        if account in (1510, 2440):
            kind = "Inbetalningar kundfordringar" if account == 1510 else "Betalning leverantörsfakturor"
            for m, ore in enumerate(_split(rest, [int(rng.integers(80, 121)) for _ in range(12)]), start=1):
                text = f"{kind} {m:02d}/2017"
                out.append((date(2017, m, MONTH_ENDS[m - 1]), text, [(account, None, ore, text),
                                                                    (1930, None, -ore, text)]))
        else:
            text = f"Avräkning {name.lower()}"
            out.append((date(2017, 12, 31), text, [(account, None, rest, text), (1930, None, -rest, text)]))
    return out


def build_vouchers(utfall: pd.DataFrame, posts: list[tuple[str, str, int, int | None]]) -> list[Voucher]:
    """Every 2017 voucher in date order: costs, revenue, settlements, the result disposition and the closing."""
    rng = np.random.default_rng([20171231, 6])
    groups = {post: group for post, group, _, _ in posts}
    fee_post, esf_post, fin_post = (post for post, group, _, _ in posts if group in ("Intäkter", "Finansiella poster"))
    vouchers = _cost_vouchers(utfall, groups)
    vouchers.append(_reclassification(vouchers, "Kansli"))
    vouchers += _revenue_vouchers(rng, fee_post, esf_post, fin_post)
    last_result = -BALANCES[2099][1]
    text = "Disposition av 2016 års resultat enligt förbundsstämman"
    vouchers.append((date(2017, 4, 27), text, [(2099, None, last_result, text), (2010, None, -last_result, text)]))
    text = "Årets resultat"
    vouchers.append((date(2017, 12, 31), text, [(8999, None, RESULTS[8999][1], text),
                                                (2099, None, -RESULTS[8999][1], text)]))
    vouchers += _settlements(vouchers, rng)
    return sorted(vouchers, key=lambda v: v[0])  # stable: same-day vouchers keep their order


def sie_text(utfall: pd.DataFrame, posts: list[tuple[str, str, int, int | None]], company: str) -> str:
    """The whole export as text (to be encoded CP437 with CRLF)."""
    object_id = {post: str(101 + i) for i, (post, _, _, _) in enumerate(posts)}
    r = format_record
    records = [r("#FLAGGA", [0]), r("#FORMAT", ["PC8"]), r("#SIETYP", [4]),
               r("#PROGRAM", ["finsam sample_data", "1.0"]), r("#GEN", ["20180215"]), r("#FNAMN", [company]),
               r("#RAR", [0, "20170101", "20171231"]), r("#RAR", [-1, "20160101", "20161231"]),
               r("#KPTYP", ["BAS2014"])]
    records += [r("#KONTO", [a, name]) for a, (name, _) in KONTON.items()]
    records += [r("#KTYP", [a, kind]) for a, (_, kind) in KONTON.items()]
    records.append(r("#DIM", [6, "Projekt"]))
    records += [r("#OBJEKT", [6, object_id[p], cp437_name(p)]) for p, _, _, _ in posts]
    for year, opening, closing in ((0, 1, 2), (-1, 0, 1)):
        records += [r("#IB", [year, a, format_ore(b[opening])]) for a, b in BALANCES.items()]
        records += [r("#UB", [year, a, format_ore(b[closing])]) for a, b in BALANCES.items()]
    for year, column in ((0, 1), (-1, 0)):
        records += [r("#RES", [year, a, format_ore(v[column])]) for a, v in RESULTS.items() if v[column]]
    for number, (day, text, trans) in enumerate(build_vouchers(utfall, posts), start=1):
        ymd = f"{day:%Y%m%d}"
        records += [r("#VER", ["A", number, ymd, cp437_name(text), ymd]), "{"]
        records += ["   " + r("#TRANS", [account, ["6", object_id[post]] if post else [], format_ore(ore), ymd,
                                         cp437_name(ttext)])
                    for account, post, ore, ttext in trans]
        records.append("}")
    return "\r\n".join(records) + "\r\n"


def build_sie(utfall: pd.DataFrame, posts: list[tuple[str, str, int, int | None]], company: str) -> bytes:
    """``bokforing.se``: CP437 (strict, so a character outside it fails), CRLF."""
    return sie_text(utfall, posts, company).encode("cp437")


def check_sie(raw: bytes, posts: list[tuple[str, str, int, int | None]]) -> None:
    """Re-read the written export: balanced vouchers, IB + transactions = UB, transactions = RES, the posts'
    result-account transactions = the published 2017 outcome, closed years.  AssertionError on any mismatch."""
    text = raw.decode("cp437")
    assert "\n" not in text.replace("\r\n", ""), "CRLF line endings"
    names = {i: n.strip('"') for i, n in re.findall(r'^#OBJEKT 6 (\d+) (.*)\r$', text, re.MULTILINE)}
    record = re.compile(r"^#(IB|UB|RES) (-?\d) (\d{4}) (-?\d+\.\d\d)\r$", re.MULTILINE)
    bal = {(tag, year, int(account)): parse_ore(amount) for tag, year, account, amount in record.findall(text)}
    moved: dict[int, int] = defaultdict(int)
    per_post: dict[str, int] = defaultdict(int)
    for body in re.findall(r"^#VER .*\r\n\{\r\n((?:   #TRANS .*\r\n)+)\}", text, re.MULTILINE):
        total = 0
        for account, obj, text_amount in re.findall(r"#TRANS (\d{4}) \{(?:6 (\d+))?\} (-?\d+\.\d\d)", body):
            amount = parse_ore(text_amount)
            total += amount
            moved[int(account)] += amount
            if obj and int(account) < 8990:
                per_post[names[obj]] += amount
        assert total == 0, f"voucher does not balance: {body!r}"
    for account in BALANCES:
        assert bal[("IB", "0", account)] + moved[account] == bal[("UB", "0", account)], f"IB+trans≠UB {account}"
    for account in RESULTS:
        assert moved[account] == bal.get(("RES", "0", account), 0), f"trans≠RES {account}"
    for year in ("0", "-1"):
        assert sum(v for (tag, y, _), v in bal.items() if tag == "UB" and y == year) == 0, f"year {year} closed"
    sign = {"Intäkter": -1, "Finansiella poster": -1}
    for post, group, utfall, _ in posts:
        got = sign.get(group, 1) * per_post.get(cp437_name(post), 0)
        assert abs(got - utfall * 100) < 50, f"SIE 2017 {post}: {got} öre, published {utfall} kr"
