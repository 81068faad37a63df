"""Write held-out-style budget fixtures from the published 2017 table (committed; rerun to regenerate).

Written the way other people's exports look, not the way finsam's sample data does:
- budget_2017_cp1252.csv: Windows-1252, only the 2017 budget (no other years to borrow
  groups from), no-break spaces as thousands separators, no Period column;
- utfall_2017_bom.csv: UTF-8 with BOM, transactions with öre, U+2212 minus, other header
  spellings, accruals on 31 December reversed on 1 January, and rows of 2016 and 2018;
- utfall_2017_cp1252.csv: the same transactions in Windows-1252 with `-` and no separators;
- utfall_2017_aggregerat.csv: one row per line and year (År;Post;Belopp), Windows-1252;
- finansiering_2017.csv (Windows-1252), forklaringar_2017_bom.csv (UTF-8 with BOM),
  befolkning_cp1252.csv (Windows-1252, `89 930`).
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
NBSP = "\u00a0"
MINUS = "\u2212"

INSATSER, KANSLI, INTAKTER, FINANSIELLA = "Insatser", "Styrelse och kansli", "Intäkter", "Finansiella poster"

# The published 2017 table (domain.md): post, group, outcome, budget (None: no budget row).
PUBLISHED_2017 = [
    ("Resursrådet", INSATSER, 1_499_034, 2_470_000),
    ("SE-vägen (innan MIA)", INSATSER, 873_920, 724_000),
    ("Socialt företagande", INSATSER, 0, 400_000),
    ("Esters entreprenörsprogram", INSATSER, 707_243, None),
    ("Ung i Nynäs", INSATSER, 1_511_545, 1_792_000),
    ("Ung i Tyresö", INSATSER, 1_479_666, 1_804_000),
    ("Ungdomsteamet i Haninge", INSATSER, 2_125_757, 2_329_000),
    ("Etableringscentrum, ESF-stött projekt", INSATSER, 1_934_314, 800_000),
    ("Seminarier", INSATSER, 55_251, None),
    ("Frukostmöte", INSATSER, 71_289, 60_000),
    ("Informationsinsatser", INSATSER, 229_287, 40_000),
    ("NNS", INSATSER, 46_330, 65_000),
    ("MIA – Projektgemensamt", INSATSER, 4_256_357, 85_000),
    ("MIA Östra Södertörn", INSATSER, 5_728_345, 2_991_000),
    ("MIA Östra Södertörn, egenfinansiering", INSATSER, 489_872, 268_000),
    ("Överskjutande medel – nya insatser", INSATSER, 0, 2_100_868),
    ("Pilotprojekt Case Manager", INSATSER, 251_963, 250_000),
    ("Pilotprojekt Klara skolan", INSATSER, 700_000, None),
    ("Styrelse", KANSLI, 185_108, 240_000),
    ("Kansli", KANSLI, 3_017_809, 3_250_000),
    ("Medlemsavgifter", INTAKTER, 18_064_868, 18_064_868),
    ("Övriga intäkter (ESF)", INTAKTER, 8_063_855, None),
    ("Finansiella intäkter/kostnader", FINANSIELLA, -7_079, None),
]
FINANSIERING_2017 = [("MIA – Projektgemensamt", 4_180_212), ("MIA Östra Södertörn", 3_490_311),
                     ("MIA Östra Södertörn, egenfinansiering", 393_332)]
FORKLARINGAR_2017 = [
    ("Resursrådet", "Vakanta tjänster under större delen av året."),
    ("MIA Östra Södertörn", "Bruttoredovisning; netto lägre än budget."),
    ("Kansli", "En vakant tjänst under sommaren."),
]
BEFOLKNING = [("Haninge", "2018-11-01", 89_930), ("Tyresö", "2018-11-01", 48_343),
              ("Nynäshamn", "2018-11-01", 28_729), ("Haninge", "2017-11-01", 88_431)]

# Accruals: (post, öre booked on 31 December, reversed on 1 January of the next year).
ACCRUALS = {("Kansli", 2016): 5_000_000, ("Kansli", 2017): 6_000_025, ("Ung i Nynäs", 2017): 1_234_567}
DATES = ["2017-01-15", "2017-03-02", "2017-05-31", "2017-06-30", "2017-07-01", "2017-09-20", "2017-11-30"]


def kronor(ore: int, minus: str = "-", sep: str = NBSP) -> str:
    sign = minus if ore < 0 else ""
    kr, rest = divmod(abs(ore), 100)
    return f"{sign}{kr:,}".replace(",", sep) + f",{rest:02d}"


def transactions() -> list[tuple[str, str, str, str, int]]:
    """(date, account, post, text, öre); the 2017 rows of each line sum to its published outcome."""
    rows: list[tuple[str, str, str, str, int]] = []
    for (post, year), ore in ACCRUALS.items():
        rows.append((f"{year}-12-31", "2990", post, f"Upplupen kostnad {year}", ore))
        rows.append((f"{year + 1}-01-01", "2990", post, f"Återföring upplupen kostnad {year}", -ore))
    for n, (post, group, outcome, _) in enumerate(PUBLISHED_2017):
        account = {INTAKTER: "3010", FINANSIELLA: "8490"}.get(group, "4610")
        target = outcome * 100
        fixed = sum(o if y == 2017 else -o for (p, y), o in ACCRUALS.items() if p == post)
        rest = target - fixed
        if outcome == 0 and not fixed:
            continue
        count = 2 + (n % 4) if abs(rest) > 1000 else 1
        shares = [rest // count + (17 * (i + 1) * (1 if i % 2 else -1) if count > 1 else 0) for i in range(count)]
        shares[-1] = rest - sum(shares[:-1])
        for i, ore in enumerate(shares):
            rows.append((DATES[(n + i) % len(DATES)], account, post, f"Faktura {i + 1}", ore))
    rows.append(("2016-12-30", "4610", "Resursrådet", "Faktura 2016", 12_345_67))
    rows.append(("2018-01-02", "4610", "Resursrådet", "Faktura 2018", 22_222_22))
    rows.sort(key=lambda r: r[0])
    return rows


def write(name: str, lines: list[str], encoding: str, bom: bool = False, newline: str = "\r\n") -> None:
    data = newline.join(lines) + newline
    (HERE / name).write_bytes((b"\xef\xbb\xbf" if bom else b"") + data.encode(encoding))


def main() -> None:
    budget = ["År;Post;Grupp;Belopp"]
    budget += [f"2017;{p};{g};{kronor(b * 100).removesuffix(',00')}" for p, g, _, b in PUBLISHED_2017
               if b is not None]
    write("budget_2017_cp1252.csv", budget, "cp1252")

    tx = transactions()
    bom = ["Bokföringsdatum;Konto;Budgetpost;Verifikationstext;Ver nr;Belopp"]
    bom += [f"{d};{a};{p};{t};V{i:05d};{kronor(o, MINUS)}" for i, (d, a, p, t, o) in enumerate(tx, 1)]
    write("utfall_2017_bom.csv", bom, "utf-8", bom=True)
    plain = ["Datum;Konto;Post;Text;Verifikation;Belopp"]
    plain += [f"{d};{a};{p};{t};V{i:05d};{kronor(o, '-', '')}" for i, (d, a, p, t, o) in enumerate(tx, 1)]
    write("utfall_2017_cp1252.csv", plain, "cp1252")
    aggregated = ["År;Post;Belopp"] + [f"2017;{p};{u}" for p, _, u, _ in PUBLISHED_2017 if u != 0]
    write("utfall_2017_aggregerat.csv", aggregated, "cp1252", newline="\n")

    fin = ["År;Post;Källa;Belopp"] + [f"2017;{p};ESF;{kronor(kr * 100, sep=' ')}" for p, kr in FINANSIERING_2017]
    write("finansiering_2017.csv", fin, "cp1252")
    fork = ["År;Post;Förklaring"] + [f'2017;{p};"{t}"' if ";" in t else f"2017;{p};{t}" for p, t in FORKLARINGAR_2017]
    write("forklaringar_2017_bom.csv", fork, "utf-8", bom=True)
    bef = ["Kommun;Datum;Invånare"] + [f"{k};{d};{n:,}".replace(",", " ") for k, d, n in BEFOLKNING]
    write("befolkning_cp1252.csv", bef, "cp1252")


if __name__ == "__main__":
    main()
