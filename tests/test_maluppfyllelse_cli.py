"""`finsam maluppfyllelse` as users run it: published figures from xlsx, cp1252 CSV and TSV, golden files."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import ROOT, SAMPLE, assert_golden
from tests.test_maluppfyllelse import tyreso_2017_rows
from tests.test_stint_metrics import stint

HEADERS = ["Deltagar-ID", "Insats", "Kommun", "Kön", "Födelseår", "Inskrivningsdatum", "Avslutsdatum",
           "Avslutsorsak", "Remittent", "Försörjning vid inskrivning", "Försörjning vid avslut",
           "Försörjning efter ett år", "Utbildningsnivå", "Fått insats"]
FIELDS = ["person", "insats", "kommun", "kon", "fodelsear", "inskrivningsdatum", "avslutsdatum", "avslutsorsak",
          "remittent", "forsorjning_start", "forsorjning_slut", "forsorjning_uppfoljning", "utbildningsniva",
          "fatt_insats"]
NYNAS = "Ung i Nynäs"
CONFIG = """\
[forbund]
namn = "Samordningsförbundet Östra Södertörn"

[[insatser]]
namn = "Ung i Tyresö"
slug = "ung-i-tyreso"
[insatser.mal.2017]
deltagare = 250
nya_deltagare = 120
andel_arbete_studier = 65

[[insatser]]
namn = "Ung i Nynäs"
"""
NYNAS_EXITS_H1 = ["Arbete"] * 18 + ["Studier"] * 9 + ["Arbetsförberedande insats"] * 8 + ["Annat"] * 6 + ["Okänd"] * 4


def nynas_half_year_2014_rows() -> list[dict]:
    """January–June 2014 for Ung i Nynäs: 100 deltagare, 40 nya, 45 avslutade, 18 to work, 9 to studies (60 %),
    20 with försörjningsstöd at start and 8 at the end; stints of the second half-year must not count."""
    rows = []
    for i in range(60):  # open since 2013
        start = date(2013, 2, 1) + timedelta(days=3 * i)
        end = date(2014, 1, 1) + timedelta(days=3 * i) if i < 45 else (date(2014, 7, 1) if i < 53 else None)
        if i == 44:
            end = date(2014, 6, 30)  # ends on the last day of the half-year
        rows.append(stint(f"N{i:03d}", start=start.isoformat(), end=end.isoformat() if end else None,
                          reason=NYNAS_EXITS_H1[i] if i < 45 else ("Annat" if end else None), insats=NYNAS,
                          kon="Man" if i % 3 else "Kvinna", kommun="Nynäshamn",
                          forsorjning_start="Försörjningsstöd" if i < 20 else "Aktivitetsstöd",
                          forsorjning_slut="Försörjningsstöd" if i < 8 else ("Lön" if i < 45 else "")))
    for i in range(40):  # new in the half-year, the last on 30 June
        start = date(2014, 6, 30) if i == 39 else date(2014, 1, 2) + timedelta(days=4 * i)
        rows.append(stint(f"M{i:03d}", start=start.isoformat(), insats=NYNAS, kommun="Nynäshamn"))
    rows.extend(stint(f"H{i:03d}", start=(date(2014, 7, 1) + timedelta(days=5 * i)).isoformat(), insats=NYNAS)
                for i in range(10))  # new after the cut
    return rows


def export_rows() -> list[list[object]]:
    rows = tyreso_2017_rows() + nynas_half_year_2014_rows()
    # Registered by mistake: the loader drops them, so they count nowhere.
    rows += [stint("F1", start="2017-03-01", end="2017-03-02", reason="Felregistrering", insats="Ung i Tyresö"),
             stint("F2", start="2014-03-01", end="2014-03-01", reason="Felregistrering", insats=NYNAS)]
    out = []
    for r in rows:
        values = {**r, "fatt_insats": "Ja" if r["fatt_insats"] else "Nej",
                  "fodelsear": None if r["fodelsear"] is None else int(r["fodelsear"])}
        out.append([values[f] for f in FIELDS])
    return out


def write_xlsx(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Deltagarexport från Aventus"])  # a title row above the header
    ws.append(HEADERS)
    for row in export_rows():
        cells = list(row)
        for i in (5, 6):
            if cells[i]:
                cells[i] = datetime.fromisoformat(str(cells[i]))
        ws.append(cells)
    wb.save(path)


def write_text(path: Path, sep: str, encoding: str, newline: str) -> None:
    lines = [sep.join(HEADERS)] + [sep.join("" if v is None else str(v) for v in row) for row in export_rows()]
    path.write_bytes((newline.join(lines) + newline).encode(encoding))


def md_table(md: str, title: str) -> dict[str, list[str]]:
    """The rows of the Markdown table under `### title`, by first cell."""
    lines = md.split(f"### {title}\n", 1)[1].lstrip("\n").split("\n")
    rows = []
    for line in lines:
        if not line.startswith("|"):
            break
        rows.append(line)
    out = {}
    for line in rows[2:]:
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        out[cells[0].strip("*")] = cells[1:]
    return out


@pytest.fixture
def setup(tmp_path: Path) -> Path:
    (tmp_path / "finsam.toml").write_text(CONFIG, encoding="utf-8")
    return tmp_path


FORMS = {
    "xlsx": write_xlsx,
    "cp1252.csv": lambda p: write_text(p, ";", "cp1252", "\r\n"),
    "tsv": lambda p: write_text(p, "\t", "utf-8", "\n"),
}


@pytest.mark.parametrize("form", list(FORMS))
def test_published_2017_and_half_year_2014_from_every_input_form(run, setup: Path, form: str):
    data = setup / f"deltagare.{form}"
    FORMS[form](data)
    res = run("maluppfyllelse", "2017", "--insats", "ung-i-tyreso", "--deltagare", data,
              "--config", setup / "finsam.toml")
    assert res.exit_code == 0, res.stderr
    t = md_table(res.stdout, "Deltagare och avslut 2017")
    assert [t[k][0] for k in ("Deltagare", "Nya deltagare", "Avslutade", "Till arbete", "Till studier",
                              "Arbete/studier")] == ["249", "133", "165", "71", "45", "116"]
    assert t["Andel arbete/studier (%)"][0] == "70\u00a0%"
    goals = md_table(res.stdout, "Mål och resultat")
    assert goals["Deltagare"] == ["250", "249", "Nej"]
    assert goals["Andel till arbete/studier"] == ["65\u00a0%", "70\u00a0%", "Ja"]
    history = md_table(res.stdout, "Historik")
    assert history["2017"] == ["249", "133", "165", "71", "45", "116", "70\u00a0%", "65\u00a0%"]  # with its goal

    res = run("maluppfyllelse", "2014", "--halvar", "--insats", "Ung i Nynäs", "--deltagare", data,
              "--config", setup / "finsam.toml")
    assert res.exit_code == 0, res.stderr
    assert "Period: jan–juni 2014" in res.stdout
    t = md_table(res.stdout, "Deltagare och avslut jan–juni 2014")
    assert [t[k][0] for k in ("Deltagare", "Nya deltagare", "Avslutade", "Till arbete", "Till studier",
                              "Arbete/studier")] == ["100", "40", "45", "18", "9", "27"]
    assert t["Andel arbete/studier (%)"][0] == "60\u00a0%"
    sources = md_table(res.stdout, "Försörjningskällor vid inskrivning och avslut")
    assert sources["Försörjningsstöd"] == ["20", "8", "\u221212"]
    assert "60\u00a0% färre med försörjningsstöd (20 vid inskrivning, 8 vid avslut)." in res.stdout


def test_unknown_insats_exits_2_with_the_known_ones(run, setup: Path):
    data = setup / "deltagare.tsv"
    FORMS["tsv"](data)
    res = run("maluppfyllelse", "2017", "--insats", "ung-i-haninge", "--deltagare", data,
              "--config", setup / "finsam.toml")
    assert res.exit_code == 2
    assert "--insats 'ung-i-haninge': no such insats" in res.stderr
    assert "ung-i-tyreso  (Ung i Tyresö)" in res.stderr and "ung-i-nynas  (Ung i Nynäs)" in res.stderr
    assert res.stdout == ""


def test_output_file_format_from_the_suffix(run, setup: Path):
    data = setup / "deltagare.tsv"
    FORMS["tsv"](data)
    md = setup / "rapport.md"
    res = run("maluppfyllelse", "2017", "--deltagare", data, "--config", setup / "finsam.toml", "-o", md)
    assert res.exit_code == 0, res.stderr
    assert res.stdout == "" and "Wrote" in res.stderr
    text = md.read_text(encoding="utf-8")
    assert "## Sammanställning" in text and "Alla insatser" in text

    xlsx = setup / "rapport.xlsx"
    res = run("maluppfyllelse", "2017", "--insats", "ung-i-tyreso", "--deltagare", data,
              "--config", setup / "finsam.toml", "-o", xlsx)
    assert res.exit_code == 0, res.stderr
    ws = openpyxl.load_workbook(xlsx)["Ung i Tyresö"]
    values: dict[str, tuple] = {}
    for row in ws.iter_rows(values_only=True):
        if row and isinstance(row[0], str):
            values.setdefault(row[0], row[1:4])  # the first table that has the row: Deltagare och avslut
    assert values["Deltagare"] == (249, 124, 125)
    assert values["Andel arbete/studier (%)"][0] == pytest.approx(116 / 165, abs=0.01)

    res = run("maluppfyllelse", "2017", "--deltagare", data, "--config", setup / "finsam.toml", "--format", "xlsx")
    assert res.exit_code == 2
    assert res.stderr == "Usage error: xlsx output needs a file: give -o REPORT.xlsx\n"


def test_own_templates_change_the_wording(run, setup: Path):
    data = setup / "deltagare.tsv"
    FORMS["tsv"](data)
    mallar = setup / "mallar"
    mallar.mkdir()
    (mallar / "maluppfyllelse.md.j2").write_text(
        '{% extends "_base.md.j2" %}{% block intro %}Vår egen inledning.{% endblock %}\n', encoding="utf-8")
    res = run("maluppfyllelse", "2017", "--insats", "ung-i-tyreso", "--deltagare", data,
              "--config", setup / "finsam.toml", "--mallar", mallar)
    assert res.exit_code == 0, res.stderr
    assert "Vår egen inledning." in res.stdout
    assert "### Deltagare och avslut 2017" in res.stdout


def test_year_out_of_range_is_a_usage_error(run, setup: Path):
    res = run("maluppfyllelse", "17", "--config", setup / "finsam.toml")
    assert res.exit_code == 2
    assert "Invalid value for 'ÅR': Input should be greater than or equal to 1900" in res.stderr


def test_help_does_not_import_pandas():
    code = ("import sys; from typer.testing import CliRunner; from finsam_cli.cli.app import app; "
            "r = CliRunner().invoke(app, ['maluppfyllelse', '--help']); "
            "assert r.exit_code == 0, r.output; assert '--halvar' in r.output and '--insats' in r.output; "
            "assert 'pandas' not in sys.modules, 'pandas imported'")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


# --- golden files of the sample data --------------------------------------------------------------

needs_sample = pytest.mark.skipif(not (SAMPLE / "deltagare.csv").is_file(), reason="sample data not generated")


@needs_sample
@pytest.mark.parametrize(("name", "args"), [
    ("maluppfyllelse_2017_ung-i-tyreso.md", ["2017", "--insats", "ung-i-tyreso"]),
    ("maluppfyllelse_2017.md", ["2017"]),
    ("maluppfyllelse_2014_halvar_ung-i-tyreso.md", ["2014", "--halvar", "--insats", "Ung i Tyresö"]),
])
def test_golden_markdown_of_the_sample_data(run, name: str, args: list[str]):
    res = run("maluppfyllelse", *args, "--config", ROOT / "finsam.toml")
    assert res.exit_code == 0, res.stderr
    assert_golden(name, res.stdout)


@needs_sample
def test_the_installed_entry_point_prints_and_writes_the_golden_report(tmp_path: Path):
    """`main` itself (not CliRunner): it builds only the command named and ends the process without the
    interpreter's teardown; the report on stdout and in a file is still whole, and the exit code 0."""
    golden = (ROOT / "tests" / "golden" / "maluppfyllelse_2017_ung-i-tyreso.md").read_text(encoding="utf-8")
    args = [sys.executable, "-m", "finsam_cli", "maluppfyllelse", "2017", "--insats", "ung-i-tyreso"]
    shown = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, encoding="utf-8", check=True)
    assert shown.stdout == golden
    written = tmp_path / "tyreso.md"
    subprocess.run([*args, "-o", str(written)], cwd=ROOT, capture_output=True, check=True)
    assert written.read_text(encoding="utf-8") == golden

@needs_sample
def test_sample_data_shows_the_published_2017_figures(run):
    res = run("maluppfyllelse", "2017", "--config", ROOT / "finsam.toml")
    assert res.exit_code == 0, res.stderr
    assert "Exempeldata" in res.stdout
    summary = md_table(res.stdout, "Sammanställning 2017")
    assert summary["Ungdomsteamet i Haninge"][:5] == ["260", "160", "149", "88", "59\u00a0%"]
    assert summary["Ung i Nynäs"][:5] == ["134", "57", "84", "56", "67\u00a0%"]
    assert summary["Ung i Tyresö"][:5] == ["249", "114", "165", "116", "70\u00a0%"]
    tyreso = res.stdout.split("## Ung i Tyresö", 1)[1]
    history = md_table(tyreso, "Historik")
    assert history["2015"] == ["166", "80", "50", "13", "14", "27", "54\u00a0%", ""]  # no goal configured
    assert history["2016"] == ["233", "117", "98", "25", "26", "51", "52\u00a0%", ""]
    assert history["2011–2017"][0] == "2\u00a0171"
    assert history["2011–2017"][2:] == ["1\u00a0442", "689", "293", "982", "68\u00a0%", ""]
    rr = res.stdout.split("## Resursrådet Haninge/Nynäshamn", 1)[1]
    assert md_table(rr, "Mål och resultat")["Deltagare med insats"] == ["300", "284", "Nej"]
    followup = md_table(rr, "Försörjningskällor vid inskrivning och ett år efter")
    assert followup["Försörjningsstöd"] == ["92", "49", "\u221243"]
    assert "47\u00a0% färre med försörjningsstöd" in rr
