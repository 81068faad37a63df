"""No personnummer in any output of any command, run on input full of them; the key never printed.

The input has valid personnummer (Luhn check digits) in every written form, in the Personnummer
column, as Deltagar-ID, inside free text (Remittent, Insats, Post, Förklaring, transaction text), and
in the error paths (an invalid one, one in a date column). Every command that exists is run, with
Markdown and xlsx output, with and without --debug; stdout, stderr, every written file (xlsx
unzipped), the export manifest and its log are scanned.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import zipfile
from pathlib import Path

import pytest

from finsam_cli.errors import DataError
from finsam_cli.inputs.load import LoadOptions, load
from finsam_cli.inputs.pseudonym import KEY_ENV
from finsam_cli.inputs.schema import FileKind

from .make_hostile import csv_text, luhn_digit, personnummer, workbook_bytes

# Any personnummer form: YYMMDD-XXXX, YYMMDD+XXXX, YYMMDDXXXX, YYYYMMDDXXXX, YYYYMMDD-XXXX, and the spellings
# people type: a space, " - ", an en or em dash, a minus sign, a (no-break) hyphen, a no-break or thin space.
_GAP = "[ \t\u00a0\u2007\u2009\u202f]"
_DASHES = "[-+\u2010\u2011\u2012\u2013\u2014\u2212]"
ANY_FORM = re.compile(rf"(?<!\d)(\d{{2}})?(\d{{2}})(\d{{2}})(\d{{2}})({_GAP}{{0,3}}{_DASHES}?{_GAP}{{0,3}})"
                      r"(\d{3})(\d)(?!\d)")
SECRET = os.environ[KEY_ENV]


def looks_valid(match: re.Match[str]) -> bool:
    """A match that is a real personnummer: a plausible date and a Luhn check digit."""
    _, yy, mm, dd, _, serial, check = match.groups()
    day = int(dd) - 60 if int(dd) > 60 else int(dd)
    return 1 <= int(mm) <= 12 and 1 <= day <= 31 and luhn_digit(yy + mm + dd + serial) == check


def forms(twelve: str) -> list[str]:
    return [twelve[2:8] + "-" + twelve[8:], twelve[2:], twelve, twelve[:8] + "-" + twelve[8:]]


def typed_forms(twelve: str) -> list[str]:
    """The spellings people type in free text: a space, " - ", an en dash, a no-break hyphen or space."""
    return [twelve[2:8] + " " + twelve[8:], twelve[:8] + " " + twelve[8:], twelve[2:8] + " - " + twelve[8:],
            twelve[2:8] + "\u2013" + twelve[8:], twelve[2:8] + "\u2011" + twelve[8:],
            twelve[2:8] + "\u00a0" + twelve[8:]]


PEOPLE = [personnummer(dt.date(1990 + i % 10, 1 + i % 12, 1 + i % 28), 100 + i) for i in range(40)]
CENTENARIANS = [personnummer(dt.date(1920, 5, 17), 300 + i) for i in range(3)]
PLANTED = {f for p in PEOPLE + CENTENARIANS for f in forms(p)} | {p[2:8] + "+" + p[8:] for p in CENTENARIANS} \
    | {f for p in PEOPLE for f in typed_forms(p)}


# Checksums (the manifest's SHA-256) are hex: now and then ten of their digits in a row look valid.
HEX_DIGEST = re.compile(r"\b(?=[0-9a-f]*[a-f])[0-9a-f]{16,}\b")


def assert_clean(text: str, where: str) -> None:
    found = [m.group() for m in ANY_FORM.finditer(HEX_DIGEST.sub(" ", text)) if looks_valid(m)]
    assert not found, f"{where}: personnummer {found[:3]}"
    planted = [p for p in PLANTED if p in text]
    assert not planted, f"{where}: planted personnummer {planted[:3]}"
    assert SECRET not in text, f"{where}: the pseudonym key"


def scan_tree(root: Path) -> int:
    """Scan every file under root; xlsx files are unzipped and each part scanned. Returns files scanned."""
    count = 0
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if data[:4] == b"PK\x03\x04":
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    assert_clean(archive.read(name).decode("utf-8", "replace"), f"{path.name}!{name}")
        else:
            assert_clean(data.decode("utf-8", "replace"), str(path.relative_to(root)))
        count += 1
    return count


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, Path]:
    """Input files full of personnummer, in every form and in places they do not belong."""
    folder = tmp_path / "in"
    folder.mkdir()
    header = ["Personnummer", "Deltagar-ID", "Insats", "Kommun", "Kön", "Inskrivningsdatum", "Avslutsdatum",
              "Avslutsorsak", "Remittent", "Försörjning vid inskrivning", "Försörjning vid avslut"]
    rows = []
    for i, p in enumerate(PEOPLE + CENTENARIANS):
        variants = forms(p) if p in PEOPLE else [p[2:8] + "+" + p[8:], p]
        for j, form in enumerate(variants[:2]):  # two stints each, in two different forms
            ended = (i + j) % 3 != 0
            rows.append([
                form, forms(p)[(i + j + 2) % 4] if i % 4 == 0 else f"P{i}",
                ["Ung i Tyresö", "Resursrådet Haninge/Nynäshamn", f"Insats {forms(p)[0]}"][(i + j) % 3 if i < 3
                                                                                         else (i + j) % 2],
                ["Haninge", "Tyresö", "Nynäshamn"][i % 3], "" if i % 5 else "Kvinna" if int(p[10]) % 2 == 0 else "Man",
                f"{2015 + (i + j) % 3}-0{1 + j}-1{i % 10}", f"2017-0{7 + j}-0{1 + i % 9}" if ended else "",
                ["Arbete", "Studier", "Annat"][i % 3] if ended else "",
                [f"Handläggare {forms(p)[0]}", f"AF Tyresö handläggare {typed_forms(p)[i // 4 % 6]}",
                 f"Socialtjänsten {p}", f"Handläggare {typed_forms(p)[(i // 4 + 3) % 6]} slutade"][i % 4],
                "Försörjningsstöd", "Lön" if ended else ""])
    files = {
        "deltagare": ("deltagare.csv", csv_text(header, rows).encode("utf-8-sig")),
        "anonyma": ("anonyma.csv", csv_text(["Insats", "År", "Kvinnor", "Män"], [
            ["Ung i Tyresö", "2017", "2", "3"], [f"Insats {forms(PEOPLE[0])[0]}", "2017", "1", "0"]]).encode()),
        "budget": ("budget.csv", csv_text(["År", "Post", "Grupp", "Belopp"], [
            [str(y), post, grp, amount] for y in (2016, 2017, 2018)
            for post, grp, amount in [("Ung i Tyresö", "Insatser", "1 804 000"), ("Kansli", "Styrelse och kansli",
                                                                                    "3 250 000"),
                                      (f"Lönekostnad {forms(PEOPLE[1])[2]}", "Insatser", "250 000"),
                                      ("Medlemsavgifter", "Intäkter", "6 000 000")]]).encode("cp1252")),
        "utfall": ("utfall.csv", csv_text(["Datum", "Post", "Text", "Verifikation", "Belopp"], [
            [f"{y}-03-0{k + 1}", post, f"Arvode {forms(PEOPLE[k])[k % 4]} {typed_forms(PEOPLE[k])[k]}", f"V{y}{k}",
             "100 000"]
            for y in (2016, 2017, 2018) for k, post in enumerate(["Ung i Tyresö", "Kansli",
                                                                  f"Lönekostnad {forms(PEOPLE[1])[2]}"])]).encode()),
        "forklaringar": ("forklaringar.csv", csv_text(["År", "Post", "Förklaring"], [
            ["2017", "Kansli", f"Sjukskrivning för {forms(PEOPLE[2])[0]} ({forms(PEOPLE[3])[3]}), "
                               f"{typed_forms(PEOPLE[4])[2]} och {typed_forms(PEOPLE[5])[1]}"]]).encode()),
        "befolkning": ("befolkning.csv", csv_text(["Kommun", "Datum", "Invånare"], [
            [k, f"{y}-11-01", str(n + y)] for y in (2016, 2017, 2018)
            for k, n in (("Haninge", 86000), ("Tyresö", 46000), ("Nynäshamn", 27000))]).encode()),
    }
    out = {}
    for kind, (name, data) in files.items():
        (folder / name).write_bytes(data)
        out[kind] = folder / name
    xlsx_rows: list[list[object]] = [list(header)]
    for i, r in enumerate(rows[:20]):  # every other personnummer stored as an Excel number
        xlsx_rows.append([int(r[0].replace("-", "").replace("+", "")) if i % 2 else r[0], *r[1:]])
    (folder / "deltagare.xlsx").write_bytes(workbook_bytes([("Export", xlsx_rows)]))
    out["deltagare_xlsx"] = folder / "deltagare.xlsx"
    bad = [r[:] for r in rows]
    bad[3][0] = bad[3][0][:-1] + str((int(bad[3][0][-1]) + 1) % 10)  # wrong check digit
    bad[5][5] = forms(PEOPLE[7])[3]  # a personnummer in the date column
    (folder / "deltagare_fel.csv").write_bytes(csv_text(header, bad).encode("utf-8"))
    out["deltagare_fel"] = folder / "deltagare_fel.csv"
    return out


def test_the_scan_skips_checksums_but_not_numbers_beside_letters() -> None:
    digest = "ab4809888896c" + "0" * 51  # a SHA-256 whose digits happen to form a valid personnummer
    assert looks_valid(next(ANY_FORM.finditer(digest)))
    assert_clean(f'"sha256": "{digest}"', "manifest")
    with pytest.raises(AssertionError):
        assert_clean("Handläggare x480988-8896y", "free text")


def test_the_input_is_full_of_personnummer(inputs: dict[str, Path]) -> None:
    text = inputs["deltagare"].read_text(encoding="utf-8-sig")
    valid = [m for m in ANY_FORM.finditer(text) if looks_valid(m)]
    assert len(valid) >= 100
    assert {m.group(5) for m in valid} == {"", "-", "+", " ", " - ", "\u2013", "\u2011", "\u00a0"}
    assert {len(re.sub(r"\D", "", m.group())) for m in valid} == {10, 12}


def commands(inputs: dict[str, Path], out: Path) -> list[list[str]]:
    d, b, u = str(inputs["deltagare"]), str(inputs["budget"]), str(inputs["utfall"])
    runs = [["validera", *(str(p) for p in inputs.values())],
            ["validera", "--debug", str(inputs["deltagare_fel"])]]
    for fmt in ("md", "xlsx"):
        runs += [
            ["maluppfyllelse", "2017", "--deltagare", d, "--anonyma", str(inputs["anonyma"]), "-o", f"{out}/m.{fmt}"],
            ["maluppfyllelse", "2017", "--deltagare", str(inputs["deltagare_xlsx"]), "-o", f"{out}/mx.{fmt}"],
            ["budget-avvikelse", "2017", "--budget", b, "--utfall", u, "--forklaringar", str(inputs["forklaringar"]),
             "-o", f"{out}/ba.{fmt}"],
            ["budget-jamforelse", "2018", "--budget", b, "-o", f"{out}/bj.{fmt}"],
            ["medlemsavgifter", "2018", "--total", "16416000", "--befolkning", str(inputs["befolkning"]),
             "-o", f"{out}/mf.{fmt}"],
        ]
    runs += [["maluppfyllelse", "2017", "--deltagare", d],  # Markdown to stdout
             ["export", "2017", "--till", f"{out}/export", "--logg", f"{out}/export.log", "--deltagare", d,
              "--anonyma", str(inputs["anonyma"]), "--budget", b, "--utfall", u,
              "--forklaringar", str(inputs["forklaringar"]), "--befolkning", str(inputs["befolkning"])]]
    for command in (["maluppfyllelse", "2017", "-o", f"{out}/fel.md"], ["export", "2017", "--till", f"{out}/fel"]):
        runs.append([command[0], "--debug", *command[1:], "--deltagare", str(inputs["deltagare_fel"])])
        runs.append([*command, "--deltagare", str(inputs["deltagare_fel"])])
    return runs


def available(run, command: str) -> bool:
    result = run(command, "--help")
    return result.exit_code == 0 and "Not built yet" not in result.output


def test_no_output_of_any_command_holds_a_personnummer(run, inputs: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    ran = set()
    for args in commands(inputs, out):
        if not available(run, args[0]):
            continue
        result = run(*args)
        ran.add(args[0])
        assert_clean(result.stdout, f"{args[0]} stdout")
        assert_clean(result.stderr, f"{args[0]} stderr")
        failing = any("deltagare_fel" in a for a in args)
        assert result.exit_code == (1 if failing else 0), (args, result.output)
        if failing and "--debug" in args and args[0] == "maluppfyllelse":
            assert "Traceback" in result.stderr  # the error path ran, traceback and all
    assert {"validera", "maluppfyllelse", "budget-avvikelse", "budget-jamforelse", "medlemsavgifter",
            "export"} <= ran
    scanned = scan_tree(out)
    assert scanned >= 10
    assert (out / "export.log").is_file()
    assert list((out / "export").rglob("manifest.json"))


def test_a_report_names_the_row_of_a_bad_personnummer_not_the_value(run, inputs: dict[str, Path]) -> None:
    result = run("validera", inputs["deltagare_fel"])
    assert result.exit_code == 1
    assert re.search(r"^5\s+Personnummer\s+not a valid personnummer", result.stdout, re.MULTILINE)
    assert re.search(r"^7\s+Inskrivningsdatum\s+\[personnummer\]", result.stdout, re.MULTILINE)
    assert_clean(result.output, "validera")


def test_the_same_person_gets_the_same_key_across_forms_files_and_runs(inputs: dict[str, Path]) -> None:
    first = load(inputs["deltagare"], FileKind.DELTAGARE, LoadOptions())
    again = load(inputs["deltagare"], FileKind.DELTAGARE, LoadOptions())
    from_xlsx = load(inputs["deltagare_xlsx"], FileKind.DELTAGARE, LoadOptions())
    persons = first.frame["person"].astype(str)
    assert persons.nunique() == len(PEOPLE) + len(CENTENARIANS)  # two stints each, in two forms: one key
    assert list(persons) == list(again.frame["person"].astype(str))
    assert set(from_xlsx.frame["person"].astype(str)) <= set(persons)  # numbers stored as Excel numbers too
    assert not any(p in persons.str.cat() for p in PLANTED)


def test_a_deltagar_id_that_is_a_personnummer_gets_the_same_key(tmp_path: Path) -> None:
    p = PEOPLE[0]
    one = tmp_path / "a.csv"
    one.write_text(f"Personnummer;Insats;Inskrivningsdatum\n{forms(p)[0]};X;2017-01-01\n", encoding="utf-8")
    two = tmp_path / "b.csv"
    two.write_text(f"Deltagar-ID;Insats;Kön;Inskrivningsdatum\n{forms(p)[2]};Y;Man;2017-01-01\n", encoding="utf-8")
    key_one = load(one, FileKind.DELTAGARE, LoadOptions()).frame["person"].iloc[0]
    loaded = load(two, FileKind.DELTAGARE, LoadOptions())
    assert loaded.frame["person"].iloc[0] == key_one
    assert "Deltagar-ID value(s) are personnummer" in loaded.warnings[0]


def test_a_created_key_file_is_private_and_never_printed(run, inputs: dict[str, Path], tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEY_ENV)
    out = tmp_path / "r.md"
    result = run("maluppfyllelse", "2017", "--deltagare", inputs["deltagare"], "-o", out)
    assert result.exit_code == 0, result.output
    key_file = tmp_path / "config-home" / "finsam" / "pseudonym.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    secret = key_file.read_text(encoding="utf-8").strip()
    assert "pseudonym.key" in result.stderr  # the user is told where it is, to copy it
    for text in (result.output, out.read_text(encoding="utf-8")):
        assert secret not in text
        assert_clean(text, "run with a created key")
    # A second run, and a run with the same key named in the config, give the same keys.
    first = load(inputs["deltagare"], FileKind.DELTAGARE, LoadOptions()).frame["person"]
    named = LoadOptions(key_file=key_file)
    assert list(load(inputs["deltagare"], FileKind.DELTAGARE, named).frame["person"]) == list(first)
    monkeypatch.setenv(KEY_ENV, secret)
    assert list(load(inputs["deltagare"], FileKind.DELTAGARE, LoadOptions()).frame["person"]) == list(first)


def test_a_leading_zero_dropped_by_an_excel_number_cell_is_restored(tmp_path: Path) -> None:
    born_2001 = personnummer(dt.date(2001, 1, 1), 123)[2:]  # 10 digits, the first one 0
    assert born_2001.startswith("0")
    text = tmp_path / "text.csv"
    text.write_text(f"Personnummer;Insats;Inskrivningsdatum\n{born_2001};X;2017-01-01\n", encoding="utf-8")
    number = tmp_path / "number.xlsx"
    number.write_bytes(workbook_bytes([("Export", [["Personnummer", "Insats", "Inskrivningsdatum"],
                                                   [int(born_2001), "X", "2017-01-01"]])]))
    expected = load(text, FileKind.DELTAGARE, LoadOptions()).frame
    got = load(number, FileKind.DELTAGARE, LoadOptions()).frame
    assert got["person"].iloc[0] == expected["person"].iloc[0]
    assert got["fodelsear"].iloc[0] == 2001
    # Typed text that lost a digit stays invalid: it could be anyone's number with a zero in front.
    typed = tmp_path / "typed.csv"
    typed.write_text(f"Personnummer;Insats;Inskrivningsdatum\n{born_2001[1:]};X;2017-01-01\n", encoding="utf-8")
    with pytest.raises(DataError, match="1 problem"):
        load(typed, FileKind.DELTAGARE, LoadOptions())


# --- the side roads: file names, config values, sheet names, the export log ----------------------------


@pytest.fixture
def roads(inputs: dict[str, Path], tmp_path: Path) -> dict[str, Path]:
    """Inputs whose file names, sheet names and configuration hold personnummer in several spellings."""
    folder = tmp_path / "roads"
    folder.mkdir()
    p, q, r = PEOPLE[10], PEOPLE[11], PEOPLE[12]
    named = {
        "deltagare": folder / f"deltagare_{forms(p)[0]}.csv",
        "budget": folder / f"budget {typed_forms(q)[0]}.csv",
        "utfall": folder / f"utfall_{forms(r)[3]}.csv",
        "befolkning": folder / f"befolkning {typed_forms(p)[3]}.csv",
    }
    for kind, path in named.items():
        path.write_bytes(inputs[kind].read_bytes())
    header = ["Deltagar-ID", "Insats", "Kön", "Inskrivningsdatum", "Avslutsdatum", "Avslutsorsak"]
    sheet = folder / f"klienter_{forms(q)[2]}.xlsx"
    sheet.write_bytes(workbook_bytes([(f"Klient {forms(q)[1]}", [header, ["P1", "Ung i Tyresö", "Man",
                                                                          "2017-01-05", "", ""]])]))
    named["sheet"] = sheet
    bad = folder / f"budget_{forms(r)[0]}_fel.csv"
    bad.write_text("År;Post;Grupp;Belopp\n2017;Kansli;Styrelse och kansli;mycket\n", encoding="utf-8")
    named["bad"] = bad
    insats = f"Insats {forms(PEOPLE[0])[0]}"  # as the participant export spells it
    config = folder / "finsam.toml"
    config.write_text(
        f'[forbund]\nnamn = "Förbundet {typed_forms(r)[2]}"\n\n'
        f'[data]\ndeltagare = {named["deltagare"].name!r}\nbudget = {named["budget"].name!r}\n'
        f'utfall = {named["utfall"].name!r}\nbefolkning = {named["befolkning"].name!r}\n\n'
        f'[[insatser]]\nnamn = "Ung i Tyresö"\nkommun = "Tyresö {typed_forms(q)[1]}"\n\n'
        f'[[insatser]]\nnamn = {insats!r}\n\n'
        f'[medlemsavgifter]\nstatlig = "FK {typed_forms(p)[4]}"\nregion = "Region {forms(q)[3]}"\n'
        f'kommuner = ["Haninge", "Tyresö", "Nynäshamn"]\n\n[medlemsavgifter.total]\n2018 = 16416000\n',
        encoding="utf-8")
    named["config"] = config
    return named


def test_no_side_road_carries_a_personnummer_out(run, roads: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "roads-out"
    out.mkdir()
    config = ["--config", str(roads["config"])]
    runs = [["validera", *(str(roads[k]) for k in ("deltagare", "budget", "sheet", "bad"))],
            ["maluppfyllelse", "2017", *config],
            ["budget-avvikelse", "2017", *config, "--budget", str(roads["bad"])]]
    for fmt in ("md", "xlsx", "docx"):
        runs += [["maluppfyllelse", "2017", *config, "-o", f"{out}/m.{fmt}"],
                 ["maluppfyllelse", "2017", *config, "--deltagare", str(roads["sheet"]), "-o", f"{out}/s.{fmt}"],
                 ["medlemsavgifter", "2018", *config, "-o", f"{out}/mf.{fmt}"]]
    runs += [["export", "2017", *config, "--till", f"{out}/export", "--logg", f"{out}/export.log",
              "--format", "md,xlsx,docx"],
             ["export", "2017", *config, "--till", f"{out}/fel", "--logg", f"{out}/fel.log", "--budget",
              str(roads["bad"])]]
    for args in runs:
        result = run(*args)
        failing = str(roads["bad"]) in args
        assert result.exit_code == (1 if failing else 0), (args, result.output)
        assert_clean(result.stdout, f"{args[:2]} stdout")
        assert_clean(result.stderr, f"{args[:2]} stderr")
        if failing:  # the error path ran and named the file, redacted
            assert "budget_[personnummer]_fel.csv" in result.output, result.output
    assert scan_tree(out) >= 12
    log = (out / "export.log").read_text(encoding="utf-8")
    assert "Förbundet" not in log and "wrote 2017/" in log
    manifest = (out / "export" / "2017" / "manifest.json").read_text(encoding="utf-8")
    assert "deltagare_[personnummer].csv" in manifest  # the input named, redacted
    assert "budget_[personnummer]_fel.csv" in (out / "fel.log").read_text(encoding="utf-8")
