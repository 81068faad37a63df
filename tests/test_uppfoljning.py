"""finsam uppfoljning: the figures for Uppföljning Finsam, on the sample data and on tiny files."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook

from .conftest import ROOT

CONFIG = ROOT / "finsam.toml"
NBSP = "\u00a0"


def n(text: str) -> str:
    return text.replace(" ", NBSP)


def table(markdown: str, title: str) -> list[list[str]]:
    """The rows of the Markdown table under `### title`, as cell texts (bold marks removed)."""
    lines = markdown.split(f"### {title}\n", 1)[1].strip("\n").split("\n\n", 1)[0].splitlines()
    return [[c.strip().strip("*") for c in line.strip("|").split("|")] for line in lines[2:]]


def test_sample_2017_registration_figures(run) -> None:
    result = run("uppfoljning", "2017", "--config", CONFIG)
    assert result.exit_code == 0, result.stderr
    md = result.stdout
    assert md.startswith("# Underlag till Uppföljning Finsam 2017\n")
    assert "exakta fältlista är inte publicerad" in md
    assert table(md, "Eget kapital 2017") == [
        ["Eget kapital 31 december 2016", n("6 073 244")], ["Årets resultat 2017", n("958 554")],
        ["Eget kapital 31 december 2017", n("7 031 798")]]  # the published Not 6
    assert table(md, "Administrativa kostnader 2017") == [
        ["Styrelse", n("240 000"), n("185 108")], ["Kansli", n("3 250 000"), n("3 017 809")],
        ["Summa styrelse och kansli", n("3 490 000"), n("3 202 917")]]
    allocated = table(md, "Tilldelade medel 2017")
    assert allocated[-1] == ["Totalt", n("18 064 868")]
    assert sum(int(r[1].replace(NBSP, "")) for r in allocated[:-1]) == 18_064_868
    insatser = {r[0]: r[1:] for r in table(md, "Insatser 2017: budget, utfall och budgeterat antal deltagare")}
    assert insatser["Ung i Tyresö"] == ["Individinriktad", "Nej", n("1 804 000"), n("1 479 666"), "250"]
    assert insatser["MIA Östra Södertörn"][:2] == ["Individinriktad", "Ja"]  # ESF money in the financing file
    assert insatser["MIA Östra Södertörn"][3] == n("10 474 574")  # its three budget lines, gross
    assert insatser["Informationsinsatser"][:2] == ["Strukturövergripande", "Nej"]
    assert table(md, "Deltagare i strukturövergripande insatser 2017") == [["Informationsinsatser", "180"]]
    by_sex = {r[0]: r[1:] for r in table(md, "Deltagare i individinriktade insatser fördelat på kön 2017")}
    assert by_sex["Ung i Tyresö"] == ["114", "135", "249"]  # the published 249 participants
    assert by_sex["Ungdomsteamet i Haninge"][2] == "260"
    assert "Informationsinsatser" not in by_sex
    assert "SE-vägen (innan MIA)" in md  # a budget line of no catalogue insats is named


def test_workbook_has_one_sheet_in_the_registration_order(run, tmp_path: Path) -> None:
    out = tmp_path / "uppfoljning.xlsx"
    assert run("uppfoljning", "2017", "--config", CONFIG, "-o", out).exit_code == 0
    wb = load_workbook(io.BytesIO(out.read_bytes()))
    assert wb.sheetnames == ["Uppföljning Finsam", "Om rapporten"]
    wanted = ["Tilldelade medel 2017", "Eget kapital 2017", "Administrativa kostnader 2017",
                          "Insatser 2017: budget, utfall och budgeterat antal deltagare",
                          "Deltagare i strukturövergripande insatser 2017",
                          "Deltagare i individinriktade insatser fördelat på kön 2017"]
    column = [c.value for c in wb["Uppföljning Finsam"]["A"]]
    assert [column.index(title) for title in wanted] == sorted(column.index(title) for title in wanted)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def tiny(tmp_path: Path, toml_extra: str = "") -> Path:
    write(tmp_path / "deltagare.csv", "Deltagar-ID;Insats;Kön;Inskrivningsdatum;Avslutsdatum;Avslutsorsak\n"
          "A1;Teamet;Kvinna;2019-02-01;;\nA2;Teamet;Man;2018-05-01;2019-03-01;Arbete\nA3;Teamet;Man;2017-01-01;"
          "2018-01-01;Studier\n")
    write(tmp_path / "budget.csv", "År;Post;Grupp;Belopp\n2019;Teamet;Insatser;500 000\n2019;Kansli;Styrelse och "
          "kansli;100 000\n2019;Medlemsavgifter;Intäkter;700 000\n2018;Teamet;Insatser;400 000\n")
    write(tmp_path / "utfall.csv", "År;Post;Belopp\n2019;Teamet;450 000\n2019;Kansli;90 000\n"
          "2019;Medlemsavgifter;700 000\n2018;Teamet;380 000\n2018;Medlemsavgifter;600 000\n")
    return write(tmp_path / "finsam.toml", '[forbund]\nnamn = "Testförbundet"\n[data]\ndeltagare = "deltagare.csv"\n'
                 'budget = "budget.csv"\nutfall = "utfall.csv"\n[[insatser]]\nnamn = "Teamet"\n' + toml_extra)


def test_without_accounts_or_known_equity_the_results_are_summed_and_labelled(run, tmp_path: Path) -> None:
    result = run("uppfoljning", "2019", "--config", tiny(tmp_path))
    assert result.exit_code == 0, result.stderr
    md = result.stdout
    assert table(md, "Eget kapital 2019") == [["Årets resultat 2018", n("220 000")],
                                              ["Årets resultat 2019", n("160 000")],
                                              ["Summa av årens resultat 2018–2019", n("380 000")]]
    assert "Eget kapital från tiden före 2018 ingår inte" in md
    assert table(md, "Tilldelade medel 2019") == [["Medlemsavgifter totalt", n("700 000")]]
    assert "Utan befolkningsfil" in md
    assert table(md, "Deltagare i individinriktade insatser fördelat på kön 2019") == [
        ["Teamet", "1", "1", "2"], ["Totalt", "1", "1", "2"]]
    assert "strukturövergripande insatser 2019" not in md


def test_a_missing_outcome_year_for_the_equity_is_a_usage_error(run, tmp_path: Path) -> None:
    config = tiny(tmp_path, "[uppfoljning.eget_kapital]\n2016 = 1000000\n")
    result = run("uppfoljning", "2019", "--config", config)
    assert result.exit_code == 2
    assert "no outcome for 2017, needed for the equity at the end of 2019" in result.stderr


def test_a_year_without_budget_is_a_usage_error(run, tmp_path: Path) -> None:
    result = run("uppfoljning", "2017", "--config", tiny(tmp_path))  # the participant data covers 2017
    assert result.exit_code == 2
    assert "budget.csv: no budget for 2017 (budget years in the file: 2018, 2019)" in result.stderr
