"""`finsam budget-avvikelse`: the published 2017 table, held-out-style files, and the rules one by one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from finsam_cli.errors import DataError, UsageError
from finsam_cli.render.numbers import plain
from finsam_cli.reports.ekonomi import budget_data as bd
from finsam_cli.reports.ekonomi.budget_avvikelse import AvvikelseRequest, BudgetInputs, build
from finsam_cli.reports.model import Style, Table

from .conftest import DATA, ROOT, assert_golden
from .data.budget.make_fixtures import FINANSIERING_2017, PUBLISHED_2017

FIXTURES = DATA / "budget"
CONFIG = ROOT / "finsam.toml"
MINUS = "\u2212"
NBSP = "\u00a0"

PUBLISHED_TOTALS = {
    "Summa insatser": (21_960_173, 16_178_868, 5_781_305),
    "Summa styrelse och kansli": (3_202_917, 3_490_000, -287_083),
    "Totalt": (25_163_090, 19_668_868, 5_494_222),
}


def kr(value: int) -> str:
    """How the Markdown writes an amount: `−970 966` with no-break spaces."""
    text = f"{abs(value):,}".replace(",", NBSP)
    return (MINUS if value < 0 else "") + text


# --- frames for the unit tests -------------------------------------------------------------


def budget_frame(rows: list[tuple]) -> pd.DataFrame:
    """(År, Post, Grupp, Belopp[, Period[, Prognos]]) -> the loader's canonical frame."""
    full = [(*r, *([None] * (6 - len(r)))) for r in rows]
    frame = pd.DataFrame(full, columns=["ar", "post", "grupp", "belopp", "period", "prognos"])
    frame["ar"] = frame["ar"].astype("float64")
    frame["belopp"] = frame["belopp"].astype("float64")
    frame["prognos"] = frame["prognos"].astype("float64")
    return frame


def tx_frame(rows: list[tuple[str, str, float]], grupp: list[str | None] | None = None) -> pd.DataFrame:
    """(Datum, Post, Belopp) transactions -> the loader's canonical frame (År derived from Datum)."""
    frame = pd.DataFrame(rows, columns=["datum", "post", "belopp"])
    frame["datum"] = pd.to_datetime(frame["datum"], format="ISO8601")
    frame["ar"] = frame["datum"].dt.year.astype("float64")
    frame["belopp"] = frame["belopp"].astype("float64")
    if grupp is not None:
        frame["grupp"] = grupp
    return frame


def main_table(result) -> Table:
    return result.sections[0].tables[0]


def labels(table: Table) -> list[str]:
    return [str(r.cells[0]) for r in table.rows]


SMALL_BUDGET = [
    (2017, "Insats A", "Insatser", 100_000),
    (2017, "Insats B", "Insatser", 50_000),
    (2017, "Kansli", "Styrelse och kansli", 40_000),
    (2017, "Medlemsavgifter", "Intäkter", 200_000),
    (2017, "Finansiella intäkter/kostnader", "Finansiella poster", -1_000),
    (2016, "Insats C", "Insatser", 10_000),
]


# --- the published 2017 table ---------------------------------------------------------------


@pytest.fixture(scope="module")
def report_2017():
    from finsam_cli.inputs.session import open_session
    from finsam_cli.reports.ekonomi.budget_avvikelse_entry import BUDGET_AVVIKELSE, BudgetAvvikelseParams

    return BUDGET_AVVIKELSE.build(open_session(CONFIG), BudgetAvvikelseParams(2017))


def test_sample_2017_reproduces_every_published_line(report_2017) -> None:
    table = report_2017.table("budget-utfall")
    for post, _, outcome, budget in PUBLISHED_2017:
        assert table.value(post, "Utfall") == outcome, post
        assert table.value(post, "Budget") == (budget or 0), post
        assert table.value(post, "Avvikelse") == outcome - (budget or 0), post
    for label, (outcome, budget, deviation) in PUBLISHED_TOTALS.items():
        row = table.row(label)
        assert list(row.cells[1:4]) == [outcome, budget, deviation], label
        assert row.style in (Style.SUBTOTAL, Style.TOTAL)
    assert table.value("Resultat", "Utfall") == 958_554
    assert table.value("Resultat", "Budget") == 18_064_868 - 19_668_868
    assert table.value("Resultat", "Avvikelse") == 958_554 - (18_064_868 - 19_668_868)
    assert report_2017.unit == "kr"


def test_sample_2017_order_groups_subtotals_and_result(report_2017) -> None:
    rows = labels(report_2017.table("budget-utfall"))
    assert rows.index("Summa insatser") < rows.index("Styrelse") < rows.index("Summa styrelse och kansli")
    assert rows.index("Summa styrelse och kansli") < rows.index("Totalt") < rows.index("Medlemsavgifter")
    assert rows.index("Övriga intäkter (ESF)") < rows.index("Finansiella intäkter/kostnader")
    assert rows[-1] == "Resultat"
    # Lines with outcome but no budget keep their group: they sit inside Insatser.
    for post in ("Esters entreprenörsprogram", "Seminarier", "Pilotprojekt Klara skolan"):
        assert rows.index(post) < rows.index("Summa insatser")


def test_sample_2017_percent_is_a_fraction_and_empty_without_budget(report_2017) -> None:
    table = report_2017.table("budget-utfall")
    assert table.value("Resursrådet", "% av budget") == pytest.approx(1_499_034 / 2_470_000)
    assert table.value("Esters entreprenörsprogram", "% av budget") is None
    assert table.value("Resultat", "% av budget") is None


def test_sample_2017_gross_and_net(report_2017) -> None:
    table = report_2017.table("brutto-netto")
    assert [c.label for c in table.columns] == ["Post", "Utfall brutto", "ESF-medel", "Verkligt utfall", "Budget",
                                                "Verklig avvikelse"]
    assert table.value("MIA Östra Södertörn", "Verkligt utfall") == 5_728_345 - 3_490_311
    assert table.value("MIA Östra Södertörn", "Verklig avvikelse") == -752_966
    assert table.value("MIA – Projektgemensamt", "Verklig avvikelse") == -8_855
    assert table.value("MIA Östra Södertörn, egenfinansiering", "Verklig avvikelse") == 96_540 - 268_000
    assert table.value("Totalt", "ESF-medel") == sum(v for _, v in FINANSIERING_2017)


def test_sample_2017_states_sign_convention_and_check(report_2017) -> None:
    notes = " ".join(map(plain, report_2017.table("budget-utfall").notes))
    assert "Avvikelse = utfall − budget" in notes
    assert "positiv avvikelse att mer har förbrukats än budgeterat" in notes
    assert ("Kontroll: intäkter − kostnader + finansiella poster = resultat; utfall 26\u00a0128\u00a0723\u00a0kr − "
            "25\u00a0163\u00a0090\u00a0kr + (−7\u00a0079\u00a0kr) = 958\u00a0554\u00a0kr") in notes


def test_sample_2017_explanations(report_2017) -> None:
    explained = report_2017.table("forklaringar")
    assert explained.value("Resursrådet", "Avvikelse") == -970_966
    assert "vakanta tjänster" in str(explained.value("Resursrådet", "Förklaring"))
    missing = labels(report_2017.table("saknar-forklaring"))
    # The sample leaves these two deliberately unexplained.
    assert {"SE-vägen (innan MIA)", "Informationsinsatser"} <= set(missing)
    assert "Resursrådet" not in missing and "Frukostmöte" not in missing


def test_cli_2017_markdown_shows_published_rows(run) -> None:
    result = run("budget-avvikelse", "2017", "--config", CONFIG)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    for post, _, outcome, budget in PUBLISHED_2017:
        b = budget or 0
        assert f"| {post} | {kr(outcome)} | {kr(b)} | {kr(outcome - b)} |" in out, post
    assert f"| **Summa insatser** | {kr(21_960_173)} | {kr(16_178_868)} | {kr(5_781_305)} |" in out
    assert f"| **Totalt** | {kr(25_163_090)} | {kr(19_668_868)} | {kr(5_494_222)} |" in out
    assert f"| **Resultat** | {kr(958_554)} |" in out
    assert "| Post | Utfall | Budget | Avvikelse | % av budget |" in out
    assert "Belopp i kr" in out


def test_cli_2017_tkr_gives_the_published_net_deviations(run) -> None:
    result = run("budget-avvikelse", "2017", "--config", CONFIG, "--tkr")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Belopp i tkr" in out
    assert f"| MIA Östra Södertörn | 5{NBSP}728 | 3{NBSP}490 | 2{NBSP}238 | 2{NBSP}991 | {MINUS}753 |" in out
    assert f"| MIA – Projektgemensamt | 4{NBSP}256 | 4{NBSP}180 | 76 | 85 | {MINUS}9 |" in out
    assert "| **Resultat** | 959 |" in out


def test_tkr_divides_in_the_core() -> None:
    inputs = BudgetInputs(budget_frame(SMALL_BUDGET), tx_frame([("2017-05-01", "Insats A", 123_456.0)]))
    table = main_table(build(inputs, AvvikelseRequest(2017, tkr=True)))
    assert table.value("Insats A", "Utfall") == pytest.approx(123.456)
    assert table.value("Insats A", "Budget") == pytest.approx(100.0)


# --- files written by someone else ------------------------------------------------------------


@pytest.mark.parametrize("utfall", ["utfall_2017_bom.csv", "utfall_2017_cp1252.csv", "utfall_2017_aggregerat.csv"])
def test_held_out_style_files_reproduce_the_published_table(run, utfall: str) -> None:
    result = run("budget-avvikelse", "2017", "--budget", FIXTURES / "budget_2017_cp1252.csv",
                 "--utfall", FIXTURES / utfall, "--finansiering", FIXTURES / "finansiering_2017.csv",
                 "--forklaringar", FIXTURES / "forklaringar_2017_bom.csv")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    for post, _, outcome, budget in PUBLISHED_2017:
        b = budget or 0
        assert f"| {post} | {kr(outcome)} | {kr(b)} | {kr(outcome - b)} |" in out, post
    for label, (outcome, budget, deviation) in PUBLISHED_TOTALS.items():
        assert f"| **{label}** | {kr(outcome)} | {kr(budget)} | {kr(deviation)} |" in out, label
    assert f"| **Resultat** | {kr(958_554)} |" in out
    assert f"| MIA Östra Södertörn | {kr(5_728_345)} | {kr(3_490_311)} | {kr(2_238_034)} | {kr(2_991_000)} | " \
           f"{kr(-752_966)} |" in out
    assert f"| MIA – Projektgemensamt | {kr(4_256_357)} | {kr(4_180_212)} | {kr(76_145)} | {kr(85_000)} | " \
           f"{kr(-8_855)} |" in out
    assert "### Förklaring till avvikelser" in out and "### Avvikelser som saknar förklaring" in out


# --- lines, groups and periods ----------------------------------------------------------------


def test_line_only_in_budget_and_line_only_in_outcome() -> None:
    inputs = BudgetInputs(budget_frame(SMALL_BUDGET), tx_frame([
        ("2017-03-01", "Insats A", 90_000.0), ("2017-03-01", "Ny insats", 5_000.0),
    ]))
    table = main_table(build(inputs, AvvikelseRequest(2017)))
    assert list(table.row("Insats B").cells[1:4]) == [0, 50_000, -50_000]  # budget only: outcome 0
    assert list(table.row("Ny insats").cells[1:5]) == [5_000, 0, 5_000, None]  # outcome only: budget 0, empty %
    assert labels(table).index("Ny insats") < labels(table).index("Summa insatser")
    assert "Insats C" not in labels(table)  # 2016's line is not a 2017 line


def test_outcome_only_line_takes_its_group_from_the_outcome_or_another_year() -> None:
    outcome = tx_frame([("2017-02-01", "Insats C", 1_000.0), ("2017-02-01", "Revision", 2_000.0),
                        ("2017-02-01", "Okänd post", 3_000.0)],
                       grupp=[None, "Styrelse och kansli", None])
    result = build(BudgetInputs(budget_frame(SMALL_BUDGET), outcome), AvvikelseRequest(2017))
    rows = labels(main_table(result))
    assert rows.index("Insats C") < rows.index("Summa insatser")  # from the 2016 budget
    assert rows.index("Summa insatser") < rows.index("Revision") < rows.index("Summa styrelse och kansli")
    assert rows.index("Okänd post") < rows.index("Summa insatser")  # no group anywhere: the first cost group
    notes = " ".join(map(plain, main_table(result).notes))
    assert "Insats C (Insatser)" in notes and "Okänd post under Insatser" in notes


def test_new_group_in_the_outcome_comes_after_the_budget_groups() -> None:
    outcome = tx_frame([("2017-02-01", "Utvärdering", 1_000.0)], grupp=["Utvärdering och analys"])
    rows = labels(main_table(build(BudgetInputs(budget_frame(SMALL_BUDGET), outcome), AvvikelseRequest(2017))))
    assert rows.index("Summa styrelse och kansli") < rows.index("Utvärdering") < rows.index(
        "Summa utvärdering och analys") < rows.index("Totalt")


def test_transactions_on_31_december_and_1_january() -> None:
    outcome = tx_frame([
        ("2016-12-31", "Insats A", 1_000.0), ("2017-01-01", "Insats A", 20.0), ("2017-12-31", "Insats A", 300.0),
        ("2018-01-01", "Insats A", 4_000.0), ("2017-12-31 15:30:00", "Insats B", 5.0),
    ])
    table = main_table(build(BudgetInputs(budget_frame(SMALL_BUDGET), outcome), AvvikelseRequest(2017)))
    assert table.value("Insats A", "Utfall") == 320
    assert table.value("Insats B", "Utfall") == 5


def test_cut_off_date_gives_an_interim_closing() -> None:
    outcome = tx_frame([("2017-08-31", "Insats A", 100.0), ("2017-09-01", "Insats A", 20.0),
                        ("2017-03-01", "Kansli", 7.0)])
    result = build(BudgetInputs(budget_frame(SMALL_BUDGET), outcome), AvvikelseRequest(2017, till=date(2017, 8, 31)))
    table = main_table(result)
    assert table.value("Insats A", "Utfall") == 100
    assert table.value("Insats A", "Budget") == 100_000  # compared with the annual budget, as stated
    assert result.period.label == "2017-01-01–2017-08-31"
    assert "Delårsbokslut" in result.title
    assert any("31 augusti 2017" in plain(n) for n in table.notes)


def test_negative_financial_items_enter_the_result_with_their_sign() -> None:
    outcome = tx_frame([("2017-01-10", "Insats A", 100_000.0), ("2017-01-10", "Kansli", 40_000.0),
                        ("2017-01-10", "Medlemsavgifter", 200_000.0),
                        ("2017-06-10", "Finansiella intäkter/kostnader", -1_234.56),
                        ("2017-07-10", "Finansiella intäkter/kostnader", 234.56)])
    table = main_table(build(BudgetInputs(budget_frame(SMALL_BUDGET), outcome), AvvikelseRequest(2017)))
    assert table.value("Finansiella intäkter/kostnader", "Utfall") == -1_000
    assert table.value("Resultat", "Utfall") == 200_000 - 1_000 - 140_000
    assert table.value("Resultat", "Budget") == 200_000 - 1_000 - 190_000
    assert table.value("Resultat", "Avvikelse") == 59_000 - 9_000


def test_sums_are_exact_in_ore() -> None:
    outcome = tx_frame([("2017-02-01", "Insats A", 0.1)] * 10 + [("2017-02-01", "Insats B", 1_499_034.35),
                                                                  ("2017-02-02", "Insats B", 0.65)])
    table = main_table(build(BudgetInputs(budget_frame(SMALL_BUDGET), outcome), AvvikelseRequest(2017)))
    assert table.value("Insats A", "Utfall") == 1
    assert table.value("Insats B", "Utfall") == 1_499_035
    assert table.value("Summa insatser", "Utfall") == 1_499_036


def test_the_check_says_the_lines_add_up_and_fails_loudly_otherwise() -> None:
    lines = bd.Lines(pd.DataFrame({"key": ["a"], "post": ["A"], "grupp": ["Insatser"], "klass": [bd.COST],
                                   "utfall": pd.array([150], dtype="int64")}), ["utfall"])
    assert "1,50" in plain(bd.check_totals(lines, {"utfall": 150}, {"utfall": "utfall"}))
    with pytest.raises(DataError):
        bd.check_totals(lines, {"utfall": 151}, {"utfall": "utfall"})


def test_renamed_lines_merge_the_outcome_under_the_budget_name() -> None:
    budget = budget_frame([(2018, "MIA (inkl. projektgemensamt)", "Insatser", 3_000_000)])
    outcome = tx_frame([("2018-02-01", "MIA – Projektgemensamt", 100.0), ("2018-02-01", "MIA Östra Södertörn", 200.0)])
    request = AvvikelseRequest(2018, mapping={"MIA (inkl. projektgemensamt)": ["MIA – Projektgemensamt",
                                                                              "MIA Östra Södertörn"]})
    table = main_table(build(BudgetInputs(budget, outcome), request))
    assert table.value("MIA (inkl. projektgemensamt)", "Utfall") == 300
    assert "MIA Östra Södertörn" not in labels(table)
    assert any("radmappning" in plain(n) for n in table.notes)


def test_names_match_across_files_regardless_of_case_and_spaces() -> None:
    outcome = tx_frame([("2017-02-01", "insats  a", 10.0)])
    table = main_table(build(BudgetInputs(budget_frame(SMALL_BUDGET), outcome), AvvikelseRequest(2017)))
    assert table.value("Insats A", "Utfall") == 10


# --- explanations -----------------------------------------------------------------------------


def explanation_sections(outcome_a: float, explained: list[str], threshold: float = 100_000):
    budget = budget_frame([(2017, "Insats A", "Insatser", 200_000), (2017, "Insats B", "Insatser", 200_000)])
    outcome = tx_frame([("2017-02-01", "Insats A", outcome_a), ("2017-02-01", "Insats B", 200_000.0)])
    fork = pd.DataFrame({"ar": [2017.0] * len(explained), "post": explained,
                         "forklaring": [f"Förklaring {p}" for p in explained]})
    result = build(BudgetInputs(budget, outcome, forklaringar=fork), AvvikelseRequest(2017, threshold_kr=threshold))
    return result.sections[-1]


def test_threshold_for_explanations_is_inclusive() -> None:
    at = explanation_sections(300_000.0, [])
    assert at.tables and at.tables[0].key == "saknar-forklaring"
    assert labels(at.tables[0]) == ["Insats A"]
    below = explanation_sections(299_999.99, [])
    assert not below.tables
    assert any("Alla avvikelser på 100" in plain(p) for p in below.paragraphs)
    negative = explanation_sections(100_000.0, [])
    assert labels(negative.tables[0]) == ["Insats A"]


def test_explained_deviation_is_listed_not_flagged_and_threshold_is_configurable() -> None:
    section = explanation_sections(300_000.0, ["Insats A"])
    assert [t.key for t in section.tables] == ["forklaringar"]
    assert section.tables[0].value("Insats A", "Förklaring") == "Förklaring Insats A"
    assert section.tables[0].value("Insats A", "Avvikelse") == 100_000
    higher = explanation_sections(300_000.0, [], threshold=150_000)
    assert not any(t.key == "saknar-forklaring" for t in higher.tables)


def test_threshold_from_the_config(run, tmp_path: Path) -> None:
    config = tmp_path / "finsam.toml"
    config.write_text('[troskel]\nforklaring = 1000000\n', encoding="utf-8")
    result = run("budget-avvikelse", "2017", "--config", config, "--budget", FIXTURES / "budget_2017_cp1252.csv",
                 "--utfall", FIXTURES / "utfall_2017_aggregerat.csv")
    assert result.exit_code == 0, result.stderr
    missing = result.stdout.split("### Avvikelser som saknar förklaring")[1]
    assert "| Resursrådet |" not in missing  # −970 966 is below 1 000 000
    assert "| Överskjutande medel – nya insatser |" in missing
    assert f"1{NBSP}000{NBSP}000{NBSP}kr eller mer" in missing


# --- half-year ----------------------------------------------------------------------------------


HALF_BUDGET = [
    (2018, "Insats A", "Insatser", 100_000, "Helår", 150_000),
    (2018, "Insats B", "Insatser", 50_001, "Helår"),
    (2018, "Insats B", "Insatser", 40_000, "Halvår"),
    (2018, "Kansli", "Styrelse och kansli", 60_000, "Helår"),
    (2018, "Medlemsavgifter", "Intäkter", 300_000, "Helår"),
]
HALF_OUTCOME = [("2018-01-05", "Insats A", 30_000.0), ("2018-06-30", "Insats B", 20_000.0),
                ("2018-07-01", "Insats B", 99_999.0), ("2018-03-01", "Kansli", 25_000.5),
                ("2018-02-01", "Medlemsavgifter", 150_000.0)]


def test_half_year_periodises_and_uses_explicit_half_year_rows() -> None:
    result = build(BudgetInputs(budget_frame(HALF_BUDGET), tx_frame(HALF_OUTCOME)), AvvikelseRequest(2018, True))
    table = main_table(result)
    assert [c.label for c in table.columns] == ["Post", "Utfall jan–juni", "Budget jan–juni", "Avvikelse",
                                                "Helårsbudget", "Prognos helår", "Prognos − budget"]
    assert list(table.row("Insats B").cells[1:5]) == [20_000, 40_000, -20_000, 50_001]  # explicit Halvår row
    assert table.value("Kansli", "Budget jan–juni") == 30_000  # 60 000 × 6/12
    assert table.value("Kansli", "Utfall jan–juni") == pytest.approx(25_000.5)
    notes = " ".join(map(plain, table.notes))
    assert "periodiserad budget (helårsbudgeten × 6/12) för Insats A, Kansli och Medlemsavgifter" in notes
    assert result.period.label == "jan–juni 2018" and result.title.startswith("Halvårsbokslut 2018")
    assert table.row("Resultat").cells[2] == 150_000 - (50_000 + 40_000 + 30_000)


def test_half_year_forecast_is_linear_unless_the_economist_gives_one() -> None:
    table = main_table(build(BudgetInputs(budget_frame(HALF_BUDGET), tx_frame(HALF_OUTCOME)),
                             AvvikelseRequest(2018, True)))
    assert table.value("Insats A", "Prognos helår") == 150_000  # the budget file's Prognos column
    assert table.value("Insats B", "Prognos helår") == 40_000  # 20 000 × 12/6
    assert table.value("Kansli", "Prognos helår") == 50_001
    assert table.value("Insats B", "Prognos − budget") == 40_000 - 50_001
    assert table.value("Summa insatser", "Prognos helår") == 190_000
    assert "utom för Insats A, där ekonomens prognos används" in " ".join(map(plain, table.notes))
    prognos = pd.DataFrame({"ar": [2018.0, float("nan")], "post": ["Insats B", "Kansli"], "prognos": [77_000.0, 1.0]})
    table = main_table(build(BudgetInputs(budget_frame(HALF_BUDGET), tx_frame(HALF_OUTCOME), prognos=prognos),
                             AvvikelseRequest(2018, True)))
    assert table.value("Insats B", "Prognos helår") == 77_000
    assert table.value("Kansli", "Prognos helår") == 1
    assert table.value("Insats A", "Prognos helår") == 150_000


def test_half_year_forecast_file_from_the_cli(run, tmp_path: Path) -> None:
    prognos = tmp_path / "prognos.csv"
    prognos.write_bytes("År;Post;Prognos\r\n2018;Kansli;3 100 000\r\n2018;Resursrådet;\r\n".encode("cp1252"))
    result = run("budget-avvikelse", "2018", "--halvar", "--config", CONFIG, "--prognos", prognos)
    assert result.exit_code == 0, result.stderr
    kansli = next(line for line in result.stdout.splitlines() if line.startswith("| Kansli |"))
    assert kansli.endswith(f"| 3{NBSP}300{NBSP}000 | 3{NBSP}100{NBSP}000 | {MINUS}200{NBSP}000 |")
    assert "prognos.csv (1 rad)" in result.stdout


def test_sample_2018_half_year(run) -> None:
    result = run("budget-avvikelse", "2018", "--halvar", "--config", CONFIG)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    header = ("| Post | Utfall jan–juni | Budget jan–juni | Avvikelse | Helårsbudget | Prognos helår "
              "| Prognos − budget |")
    assert header in out
    assert f"| Resursrådet | 1{NBSP}021{NBSP}927 | 1{NBSP}150{NBSP}000 |" in out
    assert "periodiserad" in out and "linjär" in out
    assert "## Brutto och netto" not in out  # financing is per year


# --- errors ---------------------------------------------------------------------------------------


def test_no_budget_for_the_year_is_a_usage_error(run) -> None:
    result = run("budget-avvikelse", "2030", "--config", CONFIG)
    assert result.exit_code == 2
    assert "no budget for 2030" in result.stderr and "2016, 2017, 2018" in result.stderr


def test_impossible_periods_are_usage_errors(run) -> None:
    both = run("budget-avvikelse", "2017", "--config", CONFIG, "--halvar", "--till", "2017-05-31")
    assert both.exit_code == 2 and "cannot be combined" in both.stderr
    other_year = run("budget-avvikelse", "2017", "--config", CONFIG, "--till", "2018-05-31")
    assert other_year.exit_code == 2 and "not in 2017" in other_year.stderr
    aggregated = run("budget-avvikelse", "2017", "--budget", FIXTURES / "budget_2017_cp1252.csv",
                     "--utfall", FIXTURES / "utfall_2017_aggregerat.csv", "--halvar")
    assert aggregated.exit_code == 2 and "use accounting transactions" in aggregated.stderr


def test_no_outcome_in_the_period_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="no outcome"):
        build(BudgetInputs(budget_frame(SMALL_BUDGET), tx_frame([("2016-05-01", "Insats A", 1.0)])),
              AvvikelseRequest(2017))


def test_a_line_in_two_groups_is_a_data_error() -> None:
    budget = budget_frame([(2017, "Insats A", "Insatser", 1), (2017, "Insats A", "Styrelse och kansli", 2)])
    with pytest.raises(DataError, match="more than one group"):
        build(BudgetInputs(budget, tx_frame([("2017-05-01", "Insats A", 1.0)])), AvvikelseRequest(2017))


# --- output ---------------------------------------------------------------------------------------


def test_main_table_has_a_chart_and_stable_keys(report_2017) -> None:
    table = report_2017.table("budget-utfall")
    assert table.chart is not None and table.chart.series == (1, 2) and table.chart.categories == 0
    assert [t.key for t in report_2017.tables()] == ["budget-utfall", "brutto-netto", "forklaringar",
                                                     "saknar-forklaring"]


def test_the_budget_chart_plots_the_cost_lines_only(report_2017) -> None:
    table = report_2017.table("budget-utfall")
    assert table.chart is not None
    plotted = [table.rows[i] for i in table.chart.plotted(table)]
    labels = [r.cells[0] for r in plotted]
    assert plotted and all(r.style is Style.NORMAL for r in plotted)  # no subtotals, no Totalt
    revenue = ("Medlemsavgifter", "Övriga intäkter")
    assert not [label for label in labels if any(w in str(label) for w in revenue)]
    # the cost lines are the normal rows above Totalt
    totalt = next(i for i, r in enumerate(table.rows) if r.cells[0] == "Totalt")
    assert labels == [r.cells[0] for r in table.rows[:totalt] if r.style is Style.NORMAL]


def test_excel_output(run, tmp_path: Path) -> None:
    pytest.importorskip("finsam_cli.render.excel")
    out = tmp_path / "budget.xlsx"
    result = run("budget-avvikelse", "2017", "--config", CONFIG, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes()[:2] == b"PK"


def test_golden_budget_avvikelse_2017(run) -> None:
    result = run("budget-avvikelse", "2017", "--config", CONFIG)
    assert result.exit_code == 0, result.stderr
    assert_golden("budget_avvikelse_2017.md", result.stdout)


def test_golden_budget_avvikelse_2018_halvar(run) -> None:
    result = run("budget-avvikelse", "2018", "--halvar", "--config", CONFIG)
    assert result.exit_code == 0, result.stderr
    assert_golden("budget_avvikelse_2018_halvar.md", result.stdout)
