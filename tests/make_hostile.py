"""Write the bad and hostile input files under tests/data/hostile (committed; rerun to regenerate).

Every file is small and written byte-for-byte deterministically (xlsx archives get fixed
timestamps). Files too big to commit (a 1 MB line, 150 000 bad rows) are written by the
`write_*` helpers below at test time instead. The expected outcome of each file is the
table in tests/test_robust_corpus.py.

    .venv/bin/python tests/make_hostile.py
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import sys
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
HOSTILE = HERE / "data" / "hostile"

HEADER = ["Deltagar-ID", "Insats", "Kön", "Födelseår", "Inskrivningsdatum", "Avslutsdatum", "Avslutsorsak"]
ROWS = [
    ["P1", "Ung i Tyresö", "Kvinna", "1999", "2017-01-05", "2017-06-30", "Arbete"],
    ["P2", "Ung i Tyresö", "Man", "2000", "2016-12-31", "", ""],
    ["P3", "Ungdomsteamet i Haninge", "K", "1998", "2015-03-01", "2017-01-01", "Studier"],
]
BUDGET_HEADER = ["År", "Post", "Grupp", "Belopp"]
BUDGET_ROWS = [
    ["2017", "Resursrådet", "Insatser", "2 470 000"],
    ["2017", "Ung i Nynäs", "Insatser", "1 792 000"],
    ["2017", "Kansli", "Styrelse och kansli", "3 250 000"],
]
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def luhn_digit(nine: str) -> str:
    """The check digit that makes YYMMDDNNN + digit pass the Luhn test."""
    total = 0
    for i, ch in enumerate(nine):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d // 10 + d % 10
    return str((10 - total % 10) % 10)


def personnummer(birth: dt.date, serial: int) -> str:
    """A valid 12-digit personnummer `YYYYMMDDNNNC` (serial 0–999)."""
    nine = birth.strftime("%y%m%d") + f"{serial:03d}"
    return birth.strftime("%Y")[:2] + nine + luhn_digit(nine)


def csv_text(header: list[str], rows: list[list[str]], sep: str = ";") -> str:
    def quote(cell: str) -> str:
        if any(ch in cell for ch in (sep, '"', "\n", "\r")):
            return '"' + cell.replace('"', '""') + '"'
        return cell

    return "\r\n".join(sep.join(quote(c) for c in line) for line in [header, *rows]) + "\r\n"


# --- zip helpers ------------------------------------------------------------------------


def fixed_zip(data: bytes) -> bytes:
    """Rewrite an archive with fixed timestamps, so openpyxl output is byte-for-byte stable."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, ZIP_EPOCH)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            payload = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                payload = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2018-01-01T00:00:00Z", payload)
            dst.writestr(fixed, payload)
    return out.getvalue()


def workbook_bytes(sheets: list[tuple[str, Sequence[Sequence[object]]]],
                   edit: Callable[[openpyxl.Workbook], None] | None = None) -> bytes:
    wb = openpyxl.Workbook()
    first = True
    for title, rows in sheets:
        ws = wb.active if first else wb.create_sheet()
        first = False
        assert ws is not None
        ws.title = title
        for row in rows:
            ws.append(list(row))
    if edit is not None:
        edit(wb)
    wb.properties.created = dt.datetime(2018, 1, 1)
    wb.properties.modified = dt.datetime(2018, 1, 1)
    buffer = io.BytesIO()
    wb.save(buffer)
    return fixed_zip(buffer.getvalue())


def plain_zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, payload in entries.items():
            info = zipfile.ZipInfo(name, ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, payload)
    return out.getvalue()


def patch_declared_sizes(data: bytes, sizes: dict[str, int]) -> bytes:
    """Overwrite the uncompressed size an archive declares for some entries (local and central headers).

    This is how a zip bomb looks to a careful reader, without being one: the bytes stay small.
    """
    buf = bytearray(data)
    eocd = buf.rindex(b"PK\x05\x06")
    count, _, cd_offset = struct.unpack_from("<HII", buf, eocd + 10)
    pos = cd_offset
    for _ in range(count):
        assert buf[pos:pos + 4] == b"PK\x01\x02"
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", buf, pos + 28)
        local = struct.unpack_from("<I", buf, pos + 42)[0]
        name = bytes(buf[pos + 46:pos + 46 + name_len]).decode("utf-8")
        if name in sizes:
            struct.pack_into("<I", buf, pos + 24, sizes[name])
            struct.pack_into("<I", buf, local + 22, sizes[name])
        pos += 46 + name_len + extra_len + comment_len
    return bytes(buf)


def stint_sheet(rows: list[list[object]] | None = None) -> list[list[object]]:
    body: list[list[object]] = [list(r) for r in ROWS] if rows is None else rows
    return [list(HEADER), *body]


# --- the corpus -------------------------------------------------------------------------

FILES: dict[str, Callable[[], bytes]] = {}


def corpus(name: str) -> Callable[[Callable[[], bytes]], Callable[[], bytes]]:
    def register(make: Callable[[], bytes]) -> Callable[[], bytes]:
        FILES[name] = make
        return make

    return register


def _good_csv() -> bytes:
    return csv_text(HEADER, ROWS).encode("utf-8")


def _good_xlsx() -> bytes:
    return workbook_bytes([("Export", stint_sheet())])


# Not what the suffix says.
corpus("csv_named.xlsx")(_good_csv)
corpus("xlsx_named.csv")(_good_xlsx)
corpus("ole_named.xlsx")(lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
corpus("old_excel.xls")(lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
corpus("pdf_named.csv")(lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n")
corpus("png_named.xlsx")(lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01")
corpus("html_named.xlsx")(lambda: b"<html><body><table><tr><td>Deltagar-ID</td><td>Insats</td></tr>"
                          b"</table></body></html>\n")
corpus("html_named.csv")(lambda: b"<!DOCTYPE html>\n<html><head><title>Export</title></head>\n"
                         b"<body><table><tr><td>Deltagar-ID;Insats</td></tr></table></body></html>\n")
corpus("gzip_named.csv")(lambda: b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + bytes(range(1, 40)))
corpus("zip_without_workbook.xlsx")(lambda: plain_zip({"readme.txt": b"hello"}))
corpus("docx_named.xlsx")(lambda: plain_zip({"[Content_Types].xml": b"<Types/>",
                                              "word/document.xml": b"<w:document/>"}))
corpus("empty.xlsx")(lambda: b"")
corpus("utf16.csv")(lambda: csv_text(HEADER, ROWS, "\t").encode("utf-16"))

# Truncated or damaged workbooks.
corpus("truncated_tail.xlsx")(lambda: _good_xlsx()[:-30])
corpus("truncated_head.xlsx")(lambda: _good_xlsx()[:400])


@corpus("damaged_sheet.xlsx")
def _damaged_sheet() -> bytes:
    data = bytearray(_good_xlsx())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode())
    for i in range(start + 10, start + min(info.compress_size, 60)):
        data[i] ^= 0x5A
    return bytes(data)


# Zip bombs, by what the archive declares (the files themselves are small).
corpus("zip_bomb.xlsx")(lambda: patch_declared_sizes(_good_xlsx(), {"xl/worksheets/sheet1.xml": 0xF000_0000}))


@corpus("zip_bomb_many_entries.xlsx")
def _zip_bomb_many() -> bytes:
    entries = {f"xl/media/part{i:02d}.bin": b"\x00" * 100 for i in range(12)}
    with zipfile.ZipFile(io.BytesIO(_good_xlsx())) as archive:
        entries.update({info.filename: archive.read(info) for info in archive.infolist()})
    return patch_declared_sizes(plain_zip(entries), {f"xl/media/part{i:02d}.bin": 100 << 20 for i in range(12)})


corpus("zip_declares_too_little.xlsx")(
    lambda: patch_declared_sizes(_good_xlsx(), {"xl/worksheets/sheet1.xml": 10}))

# Cells far from the data: calamine would allocate the grid up to them (512 GiB for XFD1048576).
def _far_cell(ref: str) -> Callable[[], bytes]:
    def edit(wb: openpyxl.Workbook) -> None:
        wb["Export"][ref] = "x"

    return lambda: workbook_bytes([("Export", stint_sheet())], edit)


corpus("far_cell.xlsx")(_far_cell("XFD1048576"))
corpus("far_row.xlsx")(_far_cell("ZZ1048576"))
corpus("hidden_first_sheet.xlsx")(lambda: workbook_bytes(
    [("Dolt", [["Gammal", "lista"], ["x", "y"]]), ("Export", stint_sheet())],
    lambda wb: setattr(wb["Dolt"], "sheet_state", "hidden")))
corpus("utf16_without_bom.csv")(lambda: csv_text(HEADER, ROWS).encode("utf-16-le"))
corpus("date_bare_number.csv")(lambda: csv_text(HEADER, [["P1", "Ung i Tyresö", "Man", "1999", "42", "", ""]]).encode())

# Sheets without data.
corpus("empty_sheet.xlsx")(lambda: workbook_bytes([("Blad1", [])]))
corpus("empty_first_sheet.xlsx")(lambda: workbook_bytes([("Blad1", []), ("Export", stint_sheet())]))
corpus("header_only.xlsx")(lambda: workbook_bytes([("Export", [list(HEADER)])]))
corpus("header_only.csv")(lambda: csv_text(HEADER, []).encode("utf-8"))
corpus("header_only_forklaringar.csv")(lambda: csv_text(["År", "Post", "Förklaring"], []).encode("utf-8"))
corpus("whitespace_only.csv")(lambda: b" \r\n\t\r\n\r\n")
corpus("bom_only.csv")(lambda: b"\xef\xbb\xbf")
corpus("only_delimiters.csv")(lambda: b";;;;;;\r\n;;;;;;\r\n")

# Bytes that are not text.
corpus("nul_in_row.csv")(lambda: _good_csv().replace(b"Ungdomsteamet", b"Ungdoms\x00teamet"))
corpus("undefined_cp1252_bytes.csv")(lambda: _good_csv().replace("Tyresö".encode(), b"Tyres\x81"))


def _mixed(first: str, second: str, bom: bytes = b"") -> bytes:
    """Header and first two rows in one encoding, the third row (with an ä) in another."""
    head = csv_text(HEADER, ROWS[:2]).encode(first)
    tail = csv_text(HEADER, [["P3", "Ung i Nynäs", "K", "1998", "2015-03-01", "", ""]]).split("\r\n", 1)[1]
    return bom + head + tail.encode(second)


corpus("mixed_utf8_then_cp1252.csv")(lambda: _mixed("utf-8", "cp1252"))
corpus("mixed_bom_cp1252.csv")(lambda: _mixed("utf-8", "cp1252", b"\xef\xbb\xbf"))
corpus("mixed_cp1252_then_utf8.csv")(lambda: _mixed("cp1252", "utf-8"))
corpus("double_encoded.csv")(lambda: _good_csv().decode("utf-8").encode("utf-8").decode("cp1252").encode("utf-8"))
corpus("control_characters.csv")(
    lambda: csv_text(HEADER, [ROWS[0], ["P2", "Ung i Tyresö", "Man", "2000", "\x1b[2J\x1b[31mRÖTT", "", ""]])
    .encode("utf-8"))

# CSV structure.
corpus("header_repeated.csv")(lambda: _good_csv() + _good_csv())
corpus("header_repeated.xlsx")(lambda: workbook_bytes([("Export", stint_sheet() + stint_sheet())]))
corpus("unbalanced_quote.csv")(
    lambda: csv_text(HEADER, ROWS).replace("Ung i Tyresö;Man", '"Ung i Tyresö;Man', 1).encode("utf-8"))
corpus("cr_line_endings.csv")(lambda: csv_text(HEADER, ROWS).replace("\r\n", "\r").encode("utf-8"))
corpus("duplicate_headers.csv")(lambda: csv_text([*HEADER, "Insats"], [[*r, "Annat"] for r in ROWS]).encode())

# Values out of range.
corpus("dates_far_past.csv")(lambda: csv_text(HEADER, [
    ["P1", "Ung i Tyresö", "Kvinna", "1999", "1066-10-14", "", ""],
    ["P2", "Ung i Tyresö", "Man", "2000", "0001-01-01", "", ""],
    ["P3", "Ung i Tyresö", "Man", "2000", "1899-12-31", "", ""],
]).encode())
corpus("dates_far_future.csv")(lambda: csv_text(HEADER, [
    ["P1", "Ung i Tyresö", "Kvinna", "1999", "9999-12-31", "", ""],
    ["P2", "Ung i Tyresö", "Man", "2000", "2017-01-01", "21000101", "Arbete"],
    ["P3", "Ung i Tyresö", "Man", "2000", "2099-12-31", "", ""],
]).encode())
corpus("dates_far.xlsx")(lambda: workbook_bytes([("Export", stint_sheet([
    ["P1", "Ung i Tyresö", "Kvinna", 1999, 9_999_999, None, None],
    ["P2", "Ung i Tyresö", "Man", 2000, -5, None, None],
    ["P3", "Ung i Tyresö", "Man", 2000, dt.datetime(1850, 1, 1), None, None],
]))]))
corpus("amounts_huge.csv")(lambda: csv_text(BUDGET_HEADER, [
    ["2017", "Resursrådet", "Insatser", "1 000 000 000 000"],
    ["2017", "Ung i Nynäs", "Insatser", "99999999999999999999999"],
    ["2017", "Kansli", "Styrelse och kansli", "1e15"],
    ["2017", "Styrelse", "Styrelse och kansli", "inf"],
    ["2017", "Seminarier", "Insatser", "NaN"],
]).encode())
corpus("amounts_huge.xlsx")(lambda: workbook_bytes([("Budget", [
    BUDGET_HEADER, [2017, "Resursrådet", "Insatser", 1e13], [2017, "Kansli", "Styrelse och kansli", -1e300],
    [2017, "Styrelse", "Styrelse och kansli", 999_999_999_999.0]])]))
corpus("years_out_of_range.csv")(lambda: csv_text(BUDGET_HEADER, [
    ["17", "Resursrådet", "Insatser", "100"], ["0", "Kansli", "Insatser", "100"],
    ["99999", "Styrelse", "Insatser", "100"]]).encode())
corpus("negative_counts.csv")(lambda: csv_text(["Insats", "År", "Kvinnor", "Män"], [
    ["Ung i Tyresö", "2017", "-3", "2"]]).encode())
corpus("negative_population.csv")(lambda: csv_text(["Kommun", "Datum", "Invånare"], [
    ["Haninge", "2016-11-01", "-86612"]]).encode())


@corpus("xlsx_error_and_bool_cells.xlsx")
def _error_cells() -> bytes:
    # openpyxl writes "#N/A" as an error cell (t="e"), as Excel would: keep it so.
    return workbook_bytes([("Export", stint_sheet([
        ["P1", "Ung i Tyresö", "Kvinna", 1999, "#N/A", None, None],
        ["P2", "Ung i Tyresö", "Man", 2000, True, None, None],
        ["P3", "Ung i Tyresö", "Man", 2000, dt.time(12, 30), None, None],
    ]))])


# Personnummer where they must not show.
PNR_1 = personnummer(dt.date(1990, 1, 1), 1)  # 199001010017 is a valid example
corpus("personnummer_bad_check_digit.csv")(lambda: csv_text(
    ["Personnummer", "Insats", "Kön", "Inskrivningsdatum"],
    [[PNR_1[2:8] + "-" + PNR_1[8:11] + str((int(PNR_1[11]) + 1) % 10), "Ung i Tyresö", "Man", "2017-01-01"]]).encode())
corpus("personnummer_in_date_column.csv")(lambda: csv_text(
    HEADER, [["P1", "Ung i Tyresö", "Man", "1990", PNR_1[:8] + "-" + PNR_1[8:], "", ""]]).encode())
corpus("personnummer_no_header.csv")(lambda: csv_text(
    [PNR_1[2:8] + "-" + PNR_1[8:], "Ung i Tyresö", "Man", "2017-01-01"], []).encode())
corpus("personnummer_as_category.csv")(lambda: csv_text(
    HEADER, [["P1", "Ung i Tyresö", PNR_1, "1990", "2017-01-01", "", ""]]).encode())
corpus("personnummer_as_amount.csv")(lambda: csv_text(BUDGET_HEADER, [
    ["2017", "Kansli", "Styrelse och kansli", PNR_1], ["2017", "Ung i Nynäs", "Insatser", PNR_1[2:]]]).encode())
# The spellings people type: a space, " - ", an en dash, a no-break hyphen, a no-break space.
PNR_2, PNR_3 = personnummer(dt.date(1948, 11, 15), 158), personnummer(dt.date(1975, 12, 22), 135)
OTHER_SPELLINGS = [PNR_1[2:8] + " " + PNR_1[8:], PNR_2[:8] + " " + PNR_2[8:], PNR_3[2:8] + " - " + PNR_3[8:],
                   PNR_1[2:8] + "\u2013" + PNR_1[8:], PNR_2[2:8] + "\u2011" + PNR_2[8:],
                   PNR_3[2:8] + "\u00a0" + PNR_3[8:]]
corpus("personnummer_other_spellings.csv")(lambda: csv_text(
    ["Deltagar-ID", "Insats", "Kön", "Födelseår", "Inskrivningsdatum", "Avslutsdatum", "Avslutsorsak", "Remittent"],
    [[f"P{i}", "Ung i Tyresö", "Man", "1990", "2017-01-01", "", "", f"Handläggare {text} slutade"]
     for i, text in enumerate(OTHER_SPELLINGS, 1)]).encode())

# Hostile but valid: text that must stay text in every output.
INJECTION = ["=HYPERLINK(\"http://example.invalid\",\"klicka\")", "+46 8 123 45", "-1+1", "@SUM(A1:A9)",
             "<script>alert(1)</script>", "a | b | c", "rad ett\nrad två", "back\\slash", "**fet** _kursiv_",
             "<img src=x onerror=alert(1)>", "[länk](javascript:alert(1))", "# rubrik", "\t=1+1", "&lt;b&gt;"]
corpus("formula_and_markup_insatser.csv")(lambda: csv_text(HEADER, [
    [f"P{i}", text, "Kvinna" if i % 2 else "Man", "1999", "2017-01-05", "2017-06-30", "Arbete"]
    for i, text in enumerate(INJECTION, 1)]).encode("utf-8"))
corpus("formula_and_markup_budget.csv")(lambda: csv_text(BUDGET_HEADER, [
    ["2017", text, "=Styrelse" if i == 1 else "Insatser", f"{i}00 000"]
    for i, text in enumerate(INJECTION, 1)]).encode("utf-8"))
corpus("formula_and_markup_utfall.csv")(lambda: csv_text(["År", "Post", "Belopp"], [
    ["2017", text, f"{i}50 000"] for i, text in enumerate(INJECTION, 1)]).encode("utf-8"))
corpus("formula_and_markup_forklaringar.csv")(lambda: csv_text(["År", "Post", "Förklaring"], [
    ["2017", "Resursrådet", " ".join(INJECTION)]]).encode("utf-8"))
PATHS = ["../../etc/passwd", "..\\..\\Windows\\System32", "CON", "a:b*c?d\"e<f>g|h", "/absolut/sökväg", "...",
         "nul.txt", "x" * 300]
corpus("path_like_insatser.csv")(lambda: csv_text(HEADER, [
    [f"P{i}", text, "Kvinna", "1999", "2017-01-05", "", ""] for i, text in enumerate(PATHS, 1)]).encode())
corpus("formula_input_cells.xlsx")(lambda: workbook_bytes([("Export", stint_sheet([
    ["P1", "=CONCAT(\"Ung i \",\"Tyresö\")", "Kvinna", 1999, "=DATE(2017,1,5)", None, None]]))]))


# --- big files, written at test time ----------------------------------------------------


def write_long_cell(path: Path, size: int = (1 << 20) + 10) -> None:
    """A participant file whose second data row holds one cell longer than 1 MB."""
    rows = [ROWS[0], ["P2", "Ung i Tyresö " + "x" * size, "Man", "2000", "2016-12-31", "", ""]]
    path.write_bytes(csv_text(HEADER, rows).encode("utf-8"))


def write_long_line(path: Path, size: int = (1 << 20) + 10) -> None:
    """A file whose first line (where the header is sought) is longer than 1 MB, with no quotes."""
    path.write_bytes(("Deltagar-ID;" + "y" * size + "\r\n").encode() + _good_csv())


def write_long_quoted_header(path: Path, size: int = 200_000) -> None:
    """A quoted header cell over Python's csv field limit (131 072), well under 1 MB."""
    path.write_bytes(('"' + "z" * size + '";' + ";".join(HEADER[1:]) + "\r\n").encode() + _good_csv())


def write_many_columns(path: Path, columns: int = 100_000) -> None:
    """A 'CSV' of 100 000 short columns and two rows (730 KB): once 194 s and 1.5 GB to refuse."""
    header = HEADER + [f"k{i}" for i in range(columns - len(HEADER))]
    path.write_bytes(csv_text(header, [[*r, *("1" for _ in range(columns - len(HEADER)))] for r in ROWS[:2]])
                     .encode())


def write_personnummer_named(folder: Path) -> tuple[Path, Path, Path]:
    """A good and a bad participant file named with a personnummer, and a config whose names hold them."""
    good = folder / f"deltagare_{PNR_1[2:8]}-{PNR_1[8:]}.csv"
    good.write_bytes(_good_csv())
    bad = folder / f"deltagare {PNR_2[2:8]} {PNR_2[8:]}.csv"
    bad.write_bytes(csv_text(HEADER, [ROWS[0], ["P2", "Ung i Tyresö", "X", "2000", "2016-12-31", "", ""]]).encode())
    config = folder / "pnr.toml"
    config.write_text(f'[forbund]\nnamn = "Förbundet {PNR_1[2:8]}-{PNR_1[8:]}"\n\n'
                      f'[[insatser]]\nnamn = "Ung i Tyresö"\nkommun = "Tyresö {PNR_3[:8]} {PNR_3[8:]}"\n\n'
                      f'[medlemsavgifter]\nstatlig = "FK {PNR_2[2:8]}\u2013{PNR_2[8:]}"\n', encoding="utf-8")
    return good, bad, config


def write_many_problems(path: Path, rows: int = 150_000) -> None:
    """A participant file with a bad Kön on every row."""
    line = "P{};Ung i Tyresö;X;1999;2017-01-05;;\r\n"
    path.write_bytes((";".join(HEADER) + "\r\n" + "".join(line.format(i) for i in range(rows))).encode("utf-8"))


def main() -> None:
    HOSTILE.mkdir(parents=True, exist_ok=True)
    for old in HOSTILE.iterdir():
        if old.is_file():
            old.unlink()
    for name, make in FILES.items():
        (HOSTILE / name).write_bytes(make())
    print(f"wrote {len(FILES)} files to {HOSTILE}", file=sys.stderr)


if __name__ == "__main__":
    main()
