"""`finsam bokslut`: the published 2017/2016 statements as Markdown (golden), Excel read back, Word and
LibreOffice, the saldolista as input, the export, and each bad input refused with nothing written."""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import load_workbook

from finsam_cli.render.excel_styles import FMT_INTEGER

from .bokslut_sample import SIE_SAMPLE, reopen_2017, saldolista_of_sample, sample_text, without_previous_year
from .conftest import ROOT, assert_golden
from .test_docx_cli import pdf_text
from .test_excel import convert_to_pdf

CONFIG = ROOT / "finsam.toml"
DASH = "–"


def write_sie(tmp_path: Path, text: str, name: str = "bokforing.se") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("cp437"))
    return path


def bokslut(run, *args: str | Path):
    return run("bokslut", *args, "--config", CONFIG)


def statements(markdown: str) -> str:
    """The report from its first statement on: without the header, which names the input file."""
    return markdown.split("## Resultaträkning", 1)[1]


def test_markdown_reproduces_the_published_statements(run) -> None:
    result = bokslut(run, "2017")
    assert result.exit_code == 0, result.stderr
    assert_golden("bokslut_2017.md", result.stdout)
    assert result.stdout.count("Avrundningsdifferenser kan förekomma") == 1


def test_an_open_2017_gives_the_same_figures_with_a_note(run, tmp_path: Path) -> None:
    closed = statements(bokslut(run, "2017").stdout)
    result = bokslut(run, "2017", "--sie", write_sie(tmp_path, reopen_2017(sample_text())))
    assert result.exit_code == 0, result.stderr
    note = ("Årets resultat 2017 är inte bokfört mot eget kapital i underlaget; eget kapital visas inklusive "
            "årets resultat.")
    assert statements(result.stdout).replace(f"{note}\n\n", "") == closed
    assert note in result.stdout


def test_without_the_previous_year_its_column_is_dashes_with_a_note(run, tmp_path: Path) -> None:
    result = bokslut(run, "2017", "--sie", write_sie(tmp_path, without_previous_year(sample_text())))
    assert result.exit_code == 0, result.stderr
    assert "| Verksamhetens medlemsavgifter | 2 | 18\u00a0064\u00a0868 | – |" in result.stdout
    assert "| Eget kapital | 2017-12-31 | 2016-12-31 |" in result.stdout
    assert "Underlaget saknar föregående år (2016); kolumnen visas med –." in result.stdout


def test_a_saldolista_csv_gives_the_same_statements(run, tmp_path: Path) -> None:
    csv = tmp_path / "saldolista.csv"
    saldolista_of_sample().to_csv(csv, sep=";", index=False, encoding="utf-8")
    from_list = bokslut(run, "2017", "--sie", csv)
    assert from_list.exit_code == 0, from_list.stderr
    assert statements(from_list.stdout) == statements(bokslut(run, "2017").stdout)
    assert "Underlag: saldolista.csv (" in from_list.stdout


def test_a_saldolista_workbook_with_real_numbers_gives_the_same_statements(run, tmp_path: Path) -> None:
    df = saldolista_of_sample()
    for column in ("Ingående balans", "Utgående balans", "Resultat"):
        df[column] = [None if v == "" else float(v.replace(" ", "").replace(",", ".").replace("−", "-"))
                      for v in df[column]]
    df["År"], df["Konto"] = df["År"].astype(int), df["Konto"].astype(int)
    xlsx = tmp_path / "saldolista.xlsx"
    df.to_excel(xlsx, index=False)
    result = bokslut(run, "2017", "--sie", xlsx)
    assert result.exit_code == 0, result.stderr
    assert statements(result.stdout) == statements(bokslut(run, "2017").stdout)


def test_config_overrides_lines_and_not_1(run, tmp_path: Path) -> None:
    config = tmp_path / "finsam.toml"
    config.write_text(f'[data]\nsie = "{SIE_SAMPLE.as_posix()}"\n\n[bokslut]\nredovisningsprinciper = "Egen text."\n\n'
                      '[bokslut.rader]\n"Kortfristiga skulder" = [[2400, 2999]]\n', encoding="utf-8")
    result = run("bokslut", "2017", "--config", config)
    assert result.exit_code == 0, result.stderr
    assert "Not 1. Redovisningsprinciper: Egen text." in result.stdout
    config.write_text('[bokslut.rader]\n"Kortfristiga skuld" = [[2400, 2999]]\n', encoding="utf-8")
    bad = run("bokslut", "2017", "--config", config, "--sie", SIE_SAMPLE)
    assert bad.exit_code == 1
    assert "bokslut.rader: Value error, unknown line 'Kortfristiga skuld'" in bad.stderr


def test_workbook_holds_one_sheet_per_statement_with_real_numbers(run, tmp_path: Path) -> None:
    out = tmp_path / "bokslut.xlsx"
    result = bokslut(run, "2017", "-o", out)
    assert result.exit_code == 0, result.stderr
    wb = load_workbook(out)
    assert wb.sheetnames == ["Resultaträkning", "Balansräkning", "Kassaflödesanalys", "Noter", "Om rapporten"]

    def rows(sheet: str) -> dict[str, list]:
        return {r[0].value: r for r in wb[sheet].iter_rows() if isinstance(r[0].value, str)}

    income = rows("Resultaträkning")
    header = [c.value for c in income["Resultaträkning"] if c.value is not None]
    assert header == ["Resultaträkning", "Not", "2017", "2016"]
    costs = income["Verksamhetens kostnader"]
    assert [c.value for c in costs[:4]] == ["Verksamhetens kostnader", 4, -25_163_090, -19_794_180]
    assert type(costs[2].value) is int and costs[2].number_format == FMT_INTEGER
    assert [c.value for c in income["Övriga intäkter"][2:4]] == [DASH, DASH]
    assert income["Övriga intäkter"][2].alignment.horizontal == "right"
    assert income["Periodens/årets resultat"][2].font.b

    balance = rows("Balansräkning")
    assert [c.value for c in balance["Balansräkning"][:4]] == ["Balansräkning", "Not", "2017-12-31", "2016-12-31"]
    assert [c.value for c in balance["Tillgångar"][1:4]] == [None, None, None]  # a heading row
    assert balance["Tillgångar"][0].font.b
    assert [c.value for c in balance["Summa tillgångar"][2:4]] == [12_321_494, 9_363_876]
    assert [c.value for c in balance["Fordringar"][1:4]] == [5, 4_347_422, 1_117_204]

    notes = wb["Noter"]
    titles = [r[0].value for r in notes.iter_rows() if str(r[0].value).startswith("Not ")]
    assert titles == ["Not 1. Redovisningsprinciper: Årsredovisningen är upprättad i enlighet med lagen (1997:614) "
                      "om kommunal redovisning i tillämpliga delar.", "Not 2. Verksamhetens medlemsavgifter",
                      "Not 3. EU-medel och andra bidrag", "Not 4. Verksamhetens kostnader", "Not 5. Fordringar",
                      "Not 6. Eget kapital", "Not 7. Kortfristiga skulder"]
    sums = [[c.value for c in r[:3]] for r in notes.iter_rows() if r[0].value == "Summa"]
    assert sums[3] == ["Summa", 4_347_422, 1_117_204]
    about = [r[0].value for r in wb["Om rapporten"].iter_rows()]
    assert "Avrundningsdifferenser kan förekomma" in about


def test_libreoffice_converts_the_workbook(run, tmp_path: Path) -> None:
    out = tmp_path / "bokslut.xlsx"
    assert bokslut(run, "2017", "-o", out).exit_code == 0
    convert_to_pdf(out, tmp_path)


def test_export_makes_the_bokslut_of_the_year(run, tmp_path: Path) -> None:
    from finsam_cli.inputs.session import open_session
    from finsam_cli.publish.plan import plan_jobs

    plan = plan_jobs(open_session(CONFIG), 2017)
    assert "bokslut_2017" in [j.stem for j in plan.jobs]
    later = plan_jobs(open_session(CONFIG), 2018)
    assert [s.reason for s in later.skipped if s.report == "bokslut"] == [
        "bokforing.se does not hold 2018; it holds 2016, 2017"]


# --- bad input: exit 1 (data) or 2 (usage), and nothing written ----------------------------------

def _refused(run, tmp_path: Path, accounts: Path, code: int = 1) -> str:
    out = tmp_path / "ut" / "bokslut.xlsx"
    out.parent.mkdir(exist_ok=True)
    result = bokslut(run, "2017", "--sie", accounts, "-o", out)
    assert result.exit_code == code, result.stderr
    assert not out.exists() and list(out.parent.iterdir()) == []
    return result.stderr


def test_balances_that_do_not_add_up(run, tmp_path: Path) -> None:
    text = sample_text().replace("#UB 0 1930 7974072.00", "#UB 0 1930 7974172.00")
    stderr = _refused(run, tmp_path, write_sie(tmp_path, text))
    assert stderr == ("Error: bokslut 2017: the balances do not add up. The balance accounts' closing balances sum "
                      "to 100 kr (zero in a closed year) and with the result accounts to 100 kr (zero "
                      "in an open year).\n").replace(" kr", "\u00a0kr")


def test_an_account_outside_the_chart_of_accounts(run, tmp_path: Path) -> None:
    text = sample_text().replace("#KONTO 1930 Bank\r\n", '#KONTO 1930 Bank\r\n#KONTO 8600 "Okänt"\r\n')
    text = text.replace("#UB 0 1930 7974072.00", "#UB 0 1930 7974072.00\r\n#RES 0 8600 250.00")
    stderr = _refused(run, tmp_path, write_sie(tmp_path, text))
    assert re.fullmatch(r"Error: bokslut: account 8600 \(250\xa0kr\) is in no line of the chart of accounts\n",
                        stderr), stderr


def test_a_saldolista_with_a_non_numeric_cell(run, tmp_path: Path) -> None:
    df = saldolista_of_sample()
    df.loc[4, "Utgående balans"] = "12 3x4"
    csv = tmp_path / "saldolista.csv"
    df.to_csv(csv, sep=";", index=False, encoding="utf-8")
    stderr = _refused(run, tmp_path, csv)
    assert "saldolista.csv, row 4, column 'Utgående balans': value '12 3x4': not a number" in stderr


def test_a_year_the_file_does_not_hold_is_a_usage_error_naming_the_years(run, tmp_path: Path) -> None:
    out = tmp_path / "bokslut.md"
    result = bokslut(run, "2015", "--sie", SIE_SAMPLE, "-o", out)
    assert result.exit_code == 2
    assert result.stderr == "Usage error: bokforing.se does not hold 2015; it holds 2016, 2017\n"
    assert not out.exists()


def test_no_accounts_configured_is_a_usage_error(run, tmp_path: Path) -> None:
    result = run("bokslut", "2017")
    assert result.exit_code == 2
    assert result.stderr == "Usage error: no sie file: give --sie FILE or set data.sie in finsam.toml\n"


def test_word_document_converts_and_holds_the_figures(run, tmp_path: Path) -> None:
    out = tmp_path / "bokslut.docx"
    assert bokslut(run, "2017", "-o", out).exit_code == 0
    text = pdf_text(convert_to_pdf(out, tmp_path))
    for shown in ("Resultaträkning", "−25 163 090", "12 321 494", "Not 5. Fordringar", "Utgående balans eget kapital",
                  "7 031 798", "2016-12-31"):
        assert shown in text, shown
