"""Write the tiny nasty input files under tests/data (committed; rerun to regenerate).

Each file is a few rows that exercise one encoding, delimiter, layout or fault.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl

DATA = Path(__file__).resolve().parent / "data"

HEADER = ["Deltagar-ID", "Insats", "Kön", "Födelseår", "Inskrivningsdatum", "Avslutsdatum", "Avslutsorsak",
          "Remittent", "Försörjning vid inskrivning", "Försörjning vid avslut"]
ROWS = [
    ["P1", "Ung i Tyresö", "Kvinna", "1999", "2017-01-05", "2017-06-30", "Arbete", "AF Tyresö",
     "Försörjningsstöd, Sjukpenning", "Lön"],
    ["P2", "Ung i Tyresö", "Man", "2000", "2016-12-31", "", "", "Öppen psykiatri", "Försörjningsstöd", ""],
    ["P3", "Ungdomsteamet i Haninge", "K", "1998", "2015-03-01", "2017-01-01", "Studier", "Haninge kommun",
     "Ingen ersättning", "Studiemedel"],
]


def csv_text(header: list[str], rows: list[list[str]], sep: str = ";") -> str:
    def quote(cell: str) -> str:
        return f'"{cell}"' if sep in cell or '"' in cell else cell

    return "\r\n".join(sep.join(quote(c) for c in line) for line in [header, *rows]) + "\r\n"


def write(name: str, text: str, encoding: str = "utf-8") -> None:
    (DATA / name).write_bytes(text.encode(encoding))


def good_files() -> None:
    write("deltagare_utf8_bom.csv", csv_text(HEADER, ROWS), "utf-8-sig")
    write("deltagare_utf8_comma.csv", csv_text(HEADER, ROWS, ","), "utf-8")
    write("deltagare_cp1252.csv", csv_text(HEADER, ROWS), "cp1252")
    write("deltagare_tab.tsv", csv_text(HEADER, ROWS, "\t"), "cp1252")
    titled = "Deltagarexport Aventus;;\r\nUttag 2018-01-10;;\r\n\r\n" + csv_text(HEADER, ROWS)
    write("deltagare_title_rows.csv", titled, "utf-8-sig")
    variants = ["deltagar-id", "INSATS", "kon", "Född år", "Inskrivning datum", "Utskrivningsdatum",
                "Orsak till avslut", "Remitterad av", "Försörjning start", "Försörjning slut"]
    rows = [r[:] for r in ROWS]
    rows[0][4], rows[1][4], rows[2][4] = "2017-01-05 00:00:00", "20161231", "2015-03-01"
    write("deltagare_header_and_date_forms.csv", csv_text(variants, rows), "utf-8")

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Export"
    ws["A1"] = "Deltagare per insats"
    ws.append([])
    ws.append(HEADER)
    for row in ROWS:
        cells: list[object] = list(row)
        cells[3] = int(row[3])
        cells[4] = dt.datetime.fromisoformat(row[4])
        cells[5] = dt.datetime.fromisoformat(row[5]) if row[5] else None
        ws.append(cells)
    ws.append([])
    ws.append(["P4", "Ung i Nynäs", "Man", 1997, 42795, None, None, "Egen anmälan", "A-kassa", None])
    wb.properties.created = dt.datetime(2018, 1, 1)
    wb.properties.modified = dt.datetime(2018, 1, 1)
    wb.save(DATA / "deltagare_title_rows.xlsx")

    budget = csv_text(["År", "Post", "Grupp", "Belopp"], [
        ["2017", "Resursrådet", "Insatser", "2 470 000"],
        ["2017", "Ung i Nynäs", "Insatser", "1\u00a0792\u00a0000"],
        ["2017", "Ung i Tyresö", "Insatser", "1\u202f804\u202f000"],
        ["2017", "Kansli", "Styrelse och kansli", "3250000,00"],
        ["2017", "Finansiella intäkter/kostnader", "Finansiella poster", "\u22127 079"],
        ["2017", "Justering", "Finansiella poster", "-1 000,50"],
    ])
    write("budget_amount_forms.csv", budget, "utf-8-sig")


def bad_files() -> None:
    (DATA / "empty.csv").write_bytes(b"")
    (DATA / "binary.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with zipfile.ZipFile(DATA / "corrupt.xlsx", "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook><sheets><sheet name='x' sheetId='1' r:id='rId1'/>")
    good = (DATA / "deltagare_title_rows.xlsx").read_bytes()
    (DATA / "truncated.xlsx").write_bytes(good[: len(good) // 2])
    ragged = [ROWS[0], [*ROWS[1], "extra", "fält"], *ROWS[2:]]
    write("ragged.csv", csv_text(HEADER, ragged), "utf-8")
    write("missing_column.csv", csv_text([h for h in HEADER if h != "Inskrivningsdatum"],
                                         [r[:4] + r[5:] for r in ROWS]), "utf-8")
    rows = [r[:] for r in ROWS]
    rows[1][4] = "2017-02-30"
    write("bad_date.csv", csv_text(HEADER, rows), "utf-8")
    rows = [r[:] for r in ROWS]
    rows[2][5] = "2014-12-31"
    write("end_before_start.csv", csv_text(HEADER, rows), "utf-8")
    rows = [r[:] for r in ROWS]
    rows[0][6] = "Arbte"
    write("unknown_category.csv", csv_text(HEADER, rows), "utf-8")


if __name__ == "__main__":
    DATA.mkdir(exist_ok=True)
    good_files()
    bad_files()
