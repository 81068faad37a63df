"""`finsam arsredovisning`: every part of the sample's 2017 report in the published order (golden Markdown), the
half-year report, left-out parts listed, usage errors, the workbook read back, and the fee/ESF table's shape and
sums against the plan-2014 figures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from finsam_cli.reports.arsredovisning.fees import FeeYears, fee_table
from finsam_cli.reports.model import Kind, Style

from .conftest import ROOT, assert_golden

CONFIG = ROOT / "finsam.toml"
PARTS = ["Målgruppen och antalet deltagare", "Bilaga 1: Måluppfyllelse för individinriktade insatser",
         "Sammanställning av enkätfrågor", "Resultaträkning, balansräkning, kassaflödesanalys och noter",
         "Tilläggsuppgifter: Sammanställning av utfall och budget", "Medlemsavgifter och ESF-medel per år"]
NBSP = "\u00a0"


def parts_of(markdown: str) -> list[str]:
    return re.findall(r"^## (.+)$", markdown, flags=re.MULTILINE)


def config_without(tmp_path: Path, *keys: str) -> Path:
    """The checkout's finsam.toml with absolute data paths and without the given [data] keys."""
    lines = [line for line in CONFIG.read_text(encoding="utf-8").splitlines()
             if not any(line.startswith(f"{k} = ") for k in keys)]
    text = "\n".join(lines).replace('"sample_data/', f'"{ROOT.as_posix()}/sample_data/')
    path = tmp_path / "finsam.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_sample_2017_makes_every_part_in_order(run) -> None:
    result = run("arsredovisning", "2017", "--config", CONFIG)
    assert result.exit_code == 0, result.stderr
    assert parts_of(result.stdout) == PARTS  # nothing left out
    assert_golden("arsredovisning_2017.md", result.stdout)


def test_sample_2017_holds_the_published_figures(run) -> None:
    out = run("arsredovisning", "2017", "--config", CONFIG).stdout
    assert f"| **Resultat** | 958{NBSP}554 |" in out  # budget-avvikelse's result row
    assert "| Deltagare | 249 |" in out  # Ung i Tyresö's participants in Bilaga 1
    fees = out[out.index("## Medlemsavgifter och ESF-medel per år"):]
    assert f"| **Summa** | 18{NBSP}064{NBSP}870 | 18{NBSP}064{NBSP}868 |" in fees
    assert f"| ESF-medel | 2{NBSP}812{NBSP}659 | 8{NBSP}063{NBSP}855 |" in fees


def test_half_year_leaves_out_the_yearly_parts_and_says_why(run) -> None:
    result = run("arsredovisning", "2017", "--halvar", "--config", CONFIG)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# Halvårsrapport jan–juni 2017: sifferdelen\n")
    assert parts_of(result.stdout) == [PARTS[1], PARTS[2], PARTS[4], "Delar som inte ingår"]
    left = result.stdout[result.stdout.index("## Delar som inte ingår"):]
    for part in (PARTS[0], PARTS[3], PARTS[5]):
        assert f"{part}: görs bara för helår." in left


def test_missing_accounts_and_survey_are_listed_as_left_out(run, tmp_path: Path) -> None:
    config = config_without(tmp_path, "sie", "enkat")
    result = run("arsredovisning", "2017", "--config", config)
    assert result.exit_code == 0, result.stderr
    assert parts_of(result.stdout) == [PARTS[0], PARTS[1], PARTS[4], "Delar som inte ingår"]
    left = result.stdout[result.stdout.index("## Delar som inte ingår"):]
    # The report is Swedish, reasons too (stderr and the export's log say them in English).
    assert "Sammanställning av enkätfrågor: underlag saknas (data.enkat i finsam.toml)." in left
    assert ("Resultaträkning, balansräkning, kassaflödesanalys och noter: bokföring saknas (data.sie i "
            "finsam.toml).") in left
    # Without accounts the fees come from [medlemsavgifter.total], which has 2019 only.
    assert ("Medlemsavgifter och ESF-medel per år: inga medlemsavgifter för 2017 eller tidigare: "
            "\\[medlemsavgifter.total\\] har inget år med befolkning den 1 november året före.") in left


def test_fees_from_the_configured_totals_when_there_are_no_accounts(run, tmp_path: Path) -> None:
    config = config_without(tmp_path, "sie")
    text = config.read_text(encoding="utf-8").replace("2019 = 16416000", "2016 = 18000000\n2017 = 18064868")
    config.write_text(text, encoding="utf-8")
    out = run("arsredovisning", "2017", "--config", config).stdout
    fees = out[out.index("## Medlemsavgifter och ESF-medel per år"):]
    assert "### Medlemsavgifter och ESF-medel 2016–2017" in fees
    assert f"| Försäkringskassan och Arbetsförmedlingen | 9{NBSP}000{NBSP}000 | 9{NBSP}032{NBSP}434 |" in fees
    # 2016 in whole thousands; 2017's total is not one, so it is split to the krona
    assert f"| **Summa** | 18{NBSP}000{NBSP}000 | 18{NBSP}064{NBSP}868 |" in fees
    assert f"| ESF-medel | 2{NBSP}616{NBSP}669 | 8{NBSP}063{NBSP}855 |" in fees  # the financing file


@pytest.mark.parametrize(("args", "message"), [
    (["2030"], "Usage error: no part of the annual report can be made for 2030: no participant data for 2030: "
               "the data covers 2011-01-01 to 2018-10-31; enkat.xlsx: no survey answers in 2030 (years in the file: "
               "2016, 2017); bokforing.se does not hold 2030; it holds 2016, 2017; no budget for 2030 in the budget "
               "file\n"),
])
def test_a_year_outside_every_input_is_a_usage_error(run, args: list[str], message: str) -> None:
    result = run("arsredovisning", *args, "--config", CONFIG)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == message


def test_a_year_out_of_range_is_refused_by_the_parser(run) -> None:
    result = run("arsredovisning", "17", "--config", CONFIG)
    assert result.exit_code == 2
    assert "Invalid value for 'ÅR': Input should be greater than or equal to 1900" in result.stderr


def test_workbook_has_the_parts_and_real_numbers(run, tmp_path: Path) -> None:
    out = tmp_path / "arsredovisning.xlsx"
    result = run("arsredovisning", "2017", "--config", CONFIG, "-o", out)
    assert result.exit_code == 0, result.stderr
    wb = load_workbook(out)
    assert wb.sheetnames == ["Målgruppen", "Bilaga 1 Måluppfyllelse", "Enkätfrågor", "Bokslut", "Utfall och budget",
                             "Medlemsavgifter", "Om rapporten"]  # a sheet per part
    bilaga = [r[0] for r in wb["Bilaga 1 Måluppfyllelse"].iter_rows(values_only=True)]
    assert bilaga.index(PARTS[1]) < bilaga.index("Ung i Tyresö") < bilaga.index("Sammanställning")
    ws = wb["Medlemsavgifter"]
    rows = {r[0]: r[1:] for r in ws.iter_rows(values_only=True) if r and isinstance(r[0], str)}
    assert rows["Medlem"][:2] == ("2016", "2017")
    assert rows["Summa"][:2] == (18064870, 18064868)
    assert rows["ESF-medel"][:2] == (2812659, 8063855)
    summa = next(c for c in ws["A"] if c.value == "Summa")
    assert ws.cell(summa.row, 2).font.b and ws.cell(summa.row, 2).number_format != "General"


def test_fee_table_shape_and_sums_as_the_2014_plan() -> None:
    years = (2010, 2011, 2012, 2013)
    published = {
        "FK och AF": (9_500_000, 9_500_000, 9_000_000, 9_000_000),
        "SLL": (4_750_000, 4_750_000, 4_500_000, 4_500_000),
        "Haninge": (2_916_779, 2_503_250, 2_374_467, 2_383_204),
        "Tyresö": (1_142_654, 1_401_250, 1_321_902, 1_317_973),
        "Nynäshamn": (690_567, 845_500, 803_631, 798_823),
    }
    esf = (2_760_091, 3_799_380, 7_634_568, 8_500_000)
    table = fee_table(FeeYears(years, {m: dict(zip(years, v, strict=True)) for m, v in published.items()},
                               dict(zip(years, esf, strict=True))))
    assert [c.label for c in table.columns] == ["Medlem", "2010", "2011", "2012", "2013"]
    assert all(c.kind is Kind.AMOUNT for c in table.columns[1:])
    assert [r.cells[0] for r in table.rows] == [*published, "Summa", "ESF-medel"]
    assert table.row("Summa").cells[1:] == (19_000_000, 19_000_000, 18_000_000, 18_000_000)
    assert table.row("Summa").style is Style.TOTAL
    assert table.row("ESF-medel").cells[1:] == esf
    assert table.title == "Medlemsavgifter och ESF-medel 2010–2013"


ENGLISH = re.compile(r"\b(no|not|the|does|holds|file|for|in|and)\b")  # data.sie is a key


@pytest.mark.parametrize(("args", "removed", "expected"), [
    (["2018"], (), ["Sammanställning av enkätfrågor: enkat.xlsx: inga enkätsvar 2018 (år i filen: 2016, 2017).",
                    "Resultaträkning, balansräkning, kassaflödesanalys och noter: bokforing.se innehåller inte 2018; "
                    "den innehåller 2016, 2017.",
                    "Medlemsavgifter och ESF-medel per år: bokforing.se innehåller inte 2018; den innehåller 2016, "
                    "2017."]),
    (["2011"], ("sie",), ["Sammanställning av enkätfrågor: enkat.xlsx: inga enkätsvar 2011 (år i filen: 2016, 2017).",
                          "Resultaträkning, balansräkning, kassaflödesanalys och noter: bokföring saknas (data.sie i "
                          "finsam.toml).",
                          "Tilläggsuppgifter: Sammanställning av utfall och budget: budgetfilen har ingen budget för "
                          "2011.",
                          "Medlemsavgifter och ESF-medel per år: inga medlemsavgifter för 2011 eller tidigare: "
                          "\\[medlemsavgifter.total\\] har inget år med befolkning den 1 november året före."]),
    (["2017", "--halvar"], ("utfall", "sie", "enkat"), [
        "Målgruppen och antalet deltagare: görs bara för helår.",
        "Sammanställning av enkätfrågor: underlag saknas (data.enkat i finsam.toml).",
        "Resultaträkning, balansräkning, kassaflödesanalys och noter: görs bara för helår.",
        "Tilläggsuppgifter: Sammanställning av utfall och budget: underlag saknas (data.utfall i finsam.toml).",
        "Medlemsavgifter och ESF-medel per år: görs bara för helår."]),
    (["2018"], ("deltagare", "anonyma", "enkat"), [
        "Målgruppen och antalet deltagare: underlag saknas (data.deltagare i finsam.toml).",
        "Bilaga 1: Måluppfyllelse för individinriktade insatser: underlag saknas (data.deltagare i finsam.toml).",
        "Sammanställning av enkätfrågor: underlag saknas (data.enkat i finsam.toml).",
        "Resultaträkning, balansräkning, kassaflödesanalys och noter: bokforing.se innehåller inte 2018; den "
        "innehåller 2016, 2017.",
        "Medlemsavgifter och ESF-medel per år: bokforing.se innehåller inte 2018; den innehåller 2016, 2017."]),
])
def test_parts_left_out_are_listed_with_swedish_reasons(run, tmp_path: Path, args: list[str],
                                                        removed: tuple[str, ...], expected: list[str]) -> None:
    result = run("arsredovisning", *args, "--config", config_without(tmp_path, *removed))
    assert result.exit_code == 0, result.stderr
    left = [p for p in result.stdout.split("## Delar som inte ingår\n")[1].split("\n\n") if p.strip()]
    assert [p.strip() for p in left] == expected
    assert not any(ENGLISH.search(p.split(": ", 1)[1]) for p in expected)


def test_a_year_outside_the_participant_data_leaves_out_its_parts_in_swedish(run, tmp_path: Path) -> None:
    result = run("arsredovisning", "2019", "--config", config_without(tmp_path, "sie"))
    assert result.exit_code == 0, result.stderr  # the fees of 2019 come from [medlemsavgifter.total]
    assert parts_of(result.stdout) == [PARTS[5], "Delar som inte ingår"]
    left = result.stdout.split("## Delar som inte ingår\n")[1]
    for part in PARTS[:2]:
        assert (f"{part}: deltagaruppgifter saknas för 2019: uppgifterna omfattar 2011-01-01 till och med "
                "2018-10-31.") in left


def test_a_year_without_new_participants_has_its_target_group_part(run, tmp_path: Path) -> None:
    sample = (ROOT / "sample_data" / "deltagare.csv").read_text(encoding="utf-8-sig").splitlines()
    kept = [line for line in sample if not line.split(";")[5].startswith("2017-")]  # nobody starts in 2017
    assert len(kept) < len(sample)
    deltagare = tmp_path / "deltagare.csv"
    deltagare.write_text("\n".join(kept) + "\n", encoding="utf-8")
    config = config_without(tmp_path, "sie", "enkat", "anonyma")
    config.write_text(config.read_text(encoding="utf-8").replace(
        f'"{(ROOT / "sample_data" / "deltagare.csv").as_posix()}"', f'"{deltagare.as_posix()}"'), encoding="utf-8")
    out = tmp_path / "arsredovisning.xlsx"
    result = run("arsredovisning", "2017", "--config", config, "-o", out)
    assert result.exit_code == 0, result.stderr
    cells = [c for row in load_workbook(out)["Målgruppen"].iter_rows(values_only=True) for c in row if c]
    assert any(str(c).startswith("Totalt har 0 nya deltagare påbörjat en insats under 2017") for c in cells)
