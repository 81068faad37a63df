"""Write the tiny nasty SIE files under tests/data/sie (committed; rerun to regenerate).

`good.se` is a closed year 2017 with every record the reader takes, objects per post, an #RTRANS
with its repeated #TRANS, a #BTRANS, tabs, indentation and escapes. Each `bad_*.se` breaks one
rule; `enc_*.se` is the good file in an encoding its `#FORMAT PC8` header does not announce.
"""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "sie"

HEAD = """#FLAGGA 0
#PROGRAM "Testprogram" 1.0
#FORMAT PC8
#GEN 20180115
#SIETYP 4
#FNAMN "Samordningsförbundet Test"
#ORGNR 222000-0000
#RAR 0 20170101 20171231
#RAR -1 20160101 20161231
#KPTYP BAS95
#KONTO 1930 "Bank"
#KONTO 2099 "Årets resultat (eget kapital)"
#KONTO 3010 "Medlemsavgifter"
#KONTO 5010 "Lokalhyra"
#KONTO 7010 "Löner"
#KONTO 8410 "Bankavgifter"
#KONTO 8999 "Årets resultat"
#KTYP 1930 T
#KTYP 3010 I
#DIM 1 "Kostnadsställe"
#DIM 6 "Projekt"
#OBJEKT 6 "P1" "MIA - Projektgemensamt"
#OBJEKT 6 "P2" "Kansli"
#OBJEKT 1 "K 1" "Kontoret"
#IB -1 1930 40000.00
#UB -1 1930 50000.00
#IB -1 2099 -40000.00
#UB -1 2099 -50000.00
#RES -1 3010 -10000.00
#RES -1 8999 10000.00
#IB 0 1930 50000.00
#UB 0 1930 98874.25
#IB 0 2099 -50000.00
#UB 0 2099 -98874.25
#RES 0 3010 -100000.00
#RES 0 5010 31000.50
#RES 0 7010 20000.00
#RES 0 8410 125.25
#RES 0 8999 48874.25
#PSALDO 0 201701 3010 {} -100000.00
#PBUDGET 0 201701 5010 {6 "P1"} 2500.00
#UNKNOWNTAG whatever "is ignored"
"""

VOUCHERS = """#VER A 1 20170115 "Medlemsavgift"
{
#TRANS 1930 {} 100000.00
#TRANS 3010 {6 "P1"} -100000.00
}
#VER "A" "2" 20170630 "Hyra \\"kv 2\\"" 20170701
{
\t#TRANS\t5010\t{6 "P1" 1 "K 1"}\t30000.50
   #TRANS 1930 {} -30000.50 "" "Hyra"
}
#VER A 3 20170630 "Lön"

{
#TRANS 7010 {6 "P2"} 20000.00 20170705 "Lön juli"
#TRANS 1930 {} -20000 20170705
}
#VER A 4 20170810 "Rättelse"
{
#RTRANS 5010 {6 "P2"} 1000.00 20170810
#TRANS 5010 {6 "P2"} 1000.00 20170810
#BTRANS 5010 {6 "P2"} 999.00 20170810
#TRANS 1930 {} -1000.0
}
#VER A 5 20171231 "Bankavgift"
{
#TRANS 8410 {} 125.25
#TRANS 1930 {} -125.25
}
#VER B 1 20171231 "Bokslut"
{
#TRANS 8999 {} 48874.25
#TRANS 2099 {} -48874.25
}
"""

GOOD = HEAD + VOUCHERS

# A first financial year of six months (#RAR 0 20180101 20180630), for the partial-period note; the same
# vouchers in a whole year (whole_year.se) get none.
SHORT_YEAR = """#FLAGGA 0
#FORMAT PC8
#SIETYP 4
#FNAMN "Samordningsförbundet Test"
#RAR 0 20180101 20180630
#KONTO 1930 "Bank"
#KONTO 3010 "Medlemsavgifter"
#KONTO 5010 "Lokalhyra"
#KONTO 7010 "Löner"
#DIM 6 "Projekt"
#OBJEKT 6 "P1" "Ung i Tyresö"
#OBJEKT 6 "P2" "Kansli"
#IB 0 1930 0.00
#UB 0 1930 49999.50
#RES 0 3010 -100000.00
#RES 0 5010 30000.50
#RES 0 7010 20000.00
#VER A 1 20180115 "Medlemsavgift"
{
#TRANS 1930 {} 100000.00
#TRANS 3010 {} -100000.00
}
#VER A 2 20180331 "Hyra"
{
#TRANS 5010 {6 "P1"} 30000.50
#TRANS 1930 {} -30000.50
}
#VER A 3 20180630 "Lön"
{
#TRANS 7010 {6 "P2"} 20000.00
#TRANS 1930 {} -20000.00
}
"""


def with_line(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


FILES = {
    "good.se": (GOOD, "cp437"),
    "enc_cp1252.se": (GOOD, "cp1252"),
    "enc_utf8.se": (GOOD, "utf-8"),
    "bad_unbalanced.se": (with_line(GOOD, "#TRANS 1930 {} -125.25", "#TRANS 1930 {} -125.20"), "cp437"),
    "bad_truncated.se": (GOOD[: GOOD.rindex("#TRANS 2099")], "cp437"),
    "bad_trans_outside.se": (with_line(GOOD, "#VER A 5 20171231 \"Bankavgift\"\n",
                                       "#TRANS 8410 {} 1.00\n#VER A 5 20171231 \"Bankavgift\"\n"), "cp437"),
    "bad_amount_text.se": (with_line(GOOD, "#TRANS 8410 {} 125.25", "#TRANS 8410 {} 12x.25"), "cp437"),
    "bad_three_decimals.se": (with_line(GOOD, "#TRANS 8410 {} 125.25", "#TRANS 8410 {} 125.250"), "cp437"),
    "bad_account_missing.se": (with_line(GOOD, '#KONTO 8410 "Bankavgifter"\n', ""), "cp437"),
    "bad_missing_brace.se": (with_line(GOOD, "}\n#VER A 5", "#VER A 5"), "cp437"),
    # Consistent vouchers, inconsistent balances: for validera.
    "short_year.se": (SHORT_YEAR, "cp437"),
    "whole_year.se": (with_line(SHORT_YEAR, "#RAR 0 20180101 20180630", "#RAR 0 20180101 20181231"), "cp437"),
    "check_ub.se": (with_line(GOOD, "#UB 0 1930 98874.25", "#UB 0 1930 98000.00"), "cp437"),
    "check_res.se": (with_line(GOOD, "#RES 0 7010 20000.00", "#RES 0 7010 19000.00"), "cp437"),
    "check_object.se": (with_line(GOOD, '#OBJEKT 6 "P2" "Kansli"\n', ""), "cp437"),
    "check_account_range.se": (with_line(with_line(GOOD, "#TRANS 8410 {} 125.25", "#TRANS 8610 {} 125.25"),
                                         '#KONTO 8410 "Bankavgifter"', '#KONTO 8610 "Okänt"'), "cp437"),
}


def main() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    for name, (text, encoding) in FILES.items():
        (DATA / name).write_bytes(text.replace("\n", "\r\n").encode(encoding))


if __name__ == "__main__":
    main()
