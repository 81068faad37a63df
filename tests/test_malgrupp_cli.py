"""`finsam malgrupp`: Målgruppen och antalet deltagare as a report of its own, on the sample data, on a file
made to give the published 2017 figures, in Excel and Word, its usage errors and its place in the export.

The counts and sentences on tiny frames are in test_malgrupp.py; here is the command around them."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from openpyxl.chart import BarChart

from .conftest import ROOT, assert_golden
from .test_arsredovisning import config_without
from .test_docx import style_name
from .test_docx_cli import pdf_text
from .test_excel import convert_to_pdf
from .test_export import export, project  # noqa: F401 (project: the fixture)

CONFIG = ROOT / "finsam.toml"
NBSP = "\u00a0"
PART = "## Målgruppen och antalet deltagare\n"


def test_sample_2017_golden_and_the_same_figures_as_the_annual_reports_part(run) -> None:
    result = run("malgrupp", "2017", "--config", CONFIG)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith("# Målgruppen och antalet deltagare 2017\n")
    assert_golden("malgrupp_2017.md", result.stdout)

    annual = run("arsredovisning", "2017", "--config", CONFIG).stdout
    part = annual.split(PART, 1)[1].split("\n## ", 1)[0]  # up to the next part
    assert result.stdout.split(PART, 1)[1] == part  # one build: the annual report's part is this report's section


def test_a_year_the_data_covers_in_part_is_marked(run) -> None:
    result = run("malgrupp", "2018", "--config", CONFIG)
    assert result.exit_code == 0, result.stderr
    assert "> **Perioden är ofullständig: uppgifterna sträcker sig till och med 2018-10-31.**\n" in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["2010"], "Usage error: no participant data for 2010: the data covers 2011-01-01 to 2018-10-31\n"),
    (["2019"], "Usage error: no participant data for 2019: the data covers 2011-01-01 to 2018-10-31\n"),
])
def test_a_year_outside_the_data_is_a_usage_error_naming_the_dates(run, args: list[str], message: str) -> None:
    result = run("malgrupp", *args, "--config", CONFIG)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == message


def test_command_line_mistakes_are_usage_errors(run, tmp_path: Path) -> None:
    result = run("malgrupp", "17", "--config", CONFIG)
    assert result.exit_code == 2
    assert "Invalid value for 'ÅR': Input should be greater than or equal to 1900" in result.stderr
    result = run("malgrupp", "--config", CONFIG)
    assert result.exit_code == 2
    assert "Missing argument 'ÅR'" in result.stderr
    result = run("malgrupp", "2017", "--halvar", "--config", CONFIG)  # the section is yearly
    assert result.exit_code == 2
    assert "No such option: --halvar" in result.stderr
    result = run("malgrupp", "2017", "--config", config_without(tmp_path, "deltagare"))
    assert result.exit_code == 2
    assert result.stderr == ("Usage error: no deltagare file: give --deltagare FILE or set data.deltagare in "
                             "finsam.toml\n")


def test_small_counts_are_hidden(run) -> None:
    result = run("malgrupp", "2017", "--config", CONFIG, "--skydda", "10")
    assert result.exit_code == 0, result.stderr
    md = result.stdout
    assert "Skydd för små tal (minst 10 personer), granskat med linjärprogrammering: dolda celler 12 " in md
    assert "| \u2003Nynäshamns kommun | 11 | .. | .. | .. |" in md  # 5 women, 6 men
    assert "| Annan | 15 | .. | .. | 29 |" in md  # 8 from Tyresö, 6 from Nynäshamn
    assert f"| **Totalt** | 962 | 508 | 454 | 100{NBSP}% |" in md


# --- the published 2017 figures ------------------------------------------------------------------

HEADER = "Deltagar-ID;Insats;Kommun;Kön;Födelseår;Inskrivningsdatum;Avslutsdatum;Avslutsorsak;Remittent;Utbildningsnivå"


def _share(i: int, cuts: list[tuple[int, str]]) -> str:
    """The value of the i:th participant: the first cut above i."""
    return next(value for cut, value in cuts if i < cut)


def published_2017(folder: Path) -> Path:
    """A participant file and catalogue with the counts behind the published 2017 text: 634 new in 2017 (477 in
    2016, ended that year), 146/216/272 from Nynäshamn/Tyresö/Haninge, referrers Kommun 216, AF 171, self 102,
    ages 418/165/51, education stated by 399 (271/120/8), and 317 in the young insats (197 men) and 317 in
    Resursrådet (197 women)."""
    rows = [HEADER]
    for i in range(477):
        start = date(2016, 1, 1) + timedelta(days=i % 330)
        rows.append(f"F{i:04d};Ung i Tyresö;Haninge;Kvinna;1995;{start};2016-12-20;Arbete;AF Haninge;Gymnasial")
    for i in range(634):
        start = date(2017, 1, 1) + timedelta(days=i % 360)
        insats, sex = (("Ung i Tyresö", "Man" if i < 197 else "Kvinna") if i < 317
                       else ("Resursrådet", "Kvinna" if i < 317 + 197 else "Man"))
        kommun = _share(i, [(146, "Nynäshamn"), (362, "Tyresö"), (634, "Haninge")])
        remittent = _share((i * 7) % 634, [(216, "Haninge kommun"), (387, "AF Haninge"), (489, "Egen anmälan"),
                                           (569, "Vårdcentral"), (634, "Försäkringskassan")])
        born = _share((i * 11) % 634, [(418, "1997"), (583, "1982"), (634, "1962")])
        level = _share((i * 13) % 634, [(271, "Förgymnasial"), (391, "Gymnasial"), (399, "Eftergymnasial"),
                                        (634, "Okänd")])
        end = "2017-12-31;Studier" if i == 0 else ";"  # the data reaches the year's end: 2017 is whole
        rows.append(f"N{i:04d};{insats};{kommun};{sex};{born};{start};{end};{remittent};{level}")
    (folder / "deltagare.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    config = folder / "finsam.toml"
    config.write_text('[forbund]\nnamn = "Östra Södertörn"\n[data]\ndeltagare = "deltagare.csv"\n'
                      '[[insatser]]\nnamn = "Ung i Tyresö"\ngrupp = "Unga"\n'
                      '[[insatser]]\nnamn = "Resursrådet"\ngrupp = "Resursråd"\n', encoding="utf-8")
    return config


def test_the_published_2017_text_from_its_counts(run, tmp_path: Path) -> None:
    """domain.md's 1.3.1 text, as finsam words it: the municipalities largest first (the printed text goes
    from the smallest), "50 % kvinnor och 50 % män" for "helt jämn", the groups by name."""
    result = run("malgrupp", "2017", "--config", published_2017(tmp_path))
    assert result.exit_code == 0, result.stderr
    paragraphs = [p for p in result.stdout.split("\n\n") if p.startswith(("Totalt har", "66", "I insatserna", "Av de"))]
    assert paragraphs == [
        f"Totalt har 634 nya deltagare påbörjat en insats under 2017, vilket kan jämföras med 477 deltagare året "
        f"innan. 43{NBSP}% av deltagarna var från Haninge, 34{NBSP}% från Tyresö och 23{NBSP}% från Nynäshamn. "
        f"Kommunerna är den största remittenten (34{NBSP}%), följd av Arbetsförmedlingen (27{NBSP}%). 102 av de nya "
        f"deltagarna hade anmält sig själva, vilket motsvarar 16{NBSP}% av samtliga inskrivna.",
        f"66{NBSP}% av deltagarna återfinns i gruppen 16–24 år. 26{NBSP}% är mellan 25 och 49 år och 8{NBSP}% är "
        "mellan 50 och 64 år.",
        f"I insatserna totalt är könsfördelningen 50{NBSP}% kvinnor och 50{NBSP}% män. I gruppen Unga är fördelningen "
        f"38{NBSP}% kvinnor och 62{NBSP}% män. I gruppen Resursråd är fördelningen 62{NBSP}% kvinnor och 38{NBSP}% "
        "män.",
        f"Av de som uppgett utbildningsbakgrund (63{NBSP}%) har 68{NBSP}% grundskola som högsta utbildningsnivå, "
        f"medan 30{NBSP}% har slutfört gymnasiet och övriga 2{NBSP}% uppger eftergymnasial utbildning.",
    ]
    assert "Perioden är ofullständig" not in result.stdout


# --- Excel and Word ------------------------------------------------------------------------------


def test_workbook_values_formats_and_the_remittenter_chart(run, tmp_path: Path) -> None:
    out = tmp_path / "malgrupp.xlsx"
    result = run("malgrupp", "2017", "--config", CONFIG, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"Wrote {out}\n"
    wb = load_workbook(io.BytesIO(out.read_bytes()))
    assert wb.sheetnames == ["Målgruppen", "Om rapporten"]
    ws = wb["Målgruppen"]
    column = [c.value for c in ws["A"]]
    assert str(column[column.index("Målgruppen och antalet deltagare") + 1]).startswith("Totalt har 962 nya")

    def row(label: object, after: str) -> list:
        """The cells of the first row labelled `label` below the line `after` (a table's title)."""
        return list(ws[column.index(label, column.index(after)) + 1])

    haninge = row("Haninge", "Nya deltagare efter kommun")
    assert [c.value for c in haninge[:4]] == ["Haninge", 502, 268, 234]
    assert all(isinstance(c.value, int) and c.number_format.startswith("#,##0") for c in haninge[1:4])
    assert haninge[4].value == pytest.approx(502 / 962, abs=1e-15)  # exact, shown 52 %
    assert haninge[4].number_format.split(";")[0] == "0 %"
    new = row(2017, "Nya deltagare 2017 och 2016")
    assert [c.value for c in new[:2]] == [2017, 962] and new[0].number_format == "0"  # a year is a number
    total = row("Totalt", "Nya deltagare efter remittent och kommun")
    assert [c.value for c in total[:5]] == ["Totalt", 502, 299, 161, 962] and total[1].font.b

    charts = {c.title.tx.rich.p[0].r[0].t: c for c in ws._charts}
    assert list(charts) == ["Remittenter", "Kön per insatsgrupp"]
    chart = charts["Remittenter"]
    assert isinstance(chart, BarChart) and chart.type == "bar"
    first = column.index("Kommun", column.index("Nya deltagare efter remittent och kommun")) + 1
    last = first + 5  # six referrer groups; the total row is not plotted
    assert [s.val.numRef.f for s in chart.series] == [f"'Målgruppen'!${c}${first}:${c}${last}" for c in "BCD"]
    assert chart.series[0].cat.strRef.f == f"'Målgruppen'!$A${first}:$A${last}"
    facts = {r[0]: r[1] for r in wb["Om rapporten"].iter_rows(values_only=True) if r[0]}
    assert (facts["Rapport"], facts["Rapporttyp"], facts["Period"]) == ("Målgruppen och antalet deltagare 2017",
                                                                        "malgrupp", 2017)


def test_document_headings_tables_and_libreoffice(run, tmp_path: Path) -> None:
    out = tmp_path / "malgrupp.docx"
    assert run("malgrupp", "2017", "--config", CONFIG, "-o", out).exit_code == 0
    document = Document(io.BytesIO(out.read_bytes()))
    headings = [(style_name(p), p.text) for p in document.paragraphs if style_name(p).startswith("Heading")]
    assert headings[:3] == [("Heading 1", "Målgruppen och antalet deltagare 2017"),
                            ("Heading 2", "Målgruppen och antalet deltagare"),
                            ("Heading 3", "Nya deltagare 2017 och 2016")]
    kommun = next(t for t in document.tables if t.rows[0].cells[0].text == "Kommun")
    totals = kommun.rows[-1].cells
    assert [c.text for c in totals] == ["Totalt", "962", "508", "454", f"100{NBSP}%"]
    assert all(r.bold for c in totals for r in c.paragraphs[0].runs)
    assert len(document.inline_shapes) == 2  # the charts Remittenter and Kön per insatsgrupp, as pictures
    text = " ".join(pdf_text(convert_to_pdf(out, tmp_path)).split())
    for figure in ("Totalt har 962 nya deltagare", "1 028", "Nya deltagare efter remittent och kommun", "1 786"):
        assert figure in text, figure


# --- the export ----------------------------------------------------------------------------------


def test_export_makes_it_as_the_command_does(run, project: Path, tmp_path: Path) -> None:  # noqa: F811
    result = export(run, project, "2017", "--rapport", "malgrupp")
    assert result.exit_code == 0, result.stderr
    folder = project.parent / "ut" / "2017"
    assert sorted(p.name for p in folder.iterdir()) == ["malgrupp_2017.md", "malgrupp_2017.xlsx", "manifest.json"]
    alone = run("malgrupp", "2017", "--config", project / "finsam.toml")
    assert (folder / "malgrupp_2017.md").read_text(encoding="utf-8") == alone.stdout

    result = export(run, project, "2030", "--rapport", "malgrupp,bokslut")
    assert result.exit_code == 1
    assert "skipped malgrupp: no participant data for 2030: the data covers 2011-01-01 to 2018-10-31" in result.stderr
    result = export(run, project, "2017", "--halvar", "--rapport", "malgrupp")  # yearly: not in the half-year set
    assert result.exit_code == 1
    assert "no report can be made for 2017" in result.stderr


def test_export_skips_it_without_participant_data(run, project: Path) -> None:  # noqa: F811
    config = project / "finsam.toml"
    config.write_text("\n".join(line for line in config.read_text(encoding="utf-8").splitlines()
                                if not line.startswith("deltagare = ")), encoding="utf-8")
    result = export(run, project, "2017", "--rapport", "malgrupp,bokslut")
    assert result.exit_code == 0, result.stderr
    assert "skipped malgrupp: no participant data (data.deltagare)" in result.stderr
    assert not (project.parent / "ut" / "2017" / "malgrupp_2017.md").exists()
