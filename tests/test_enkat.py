"""The survey file kind and the survey summary: the published 2017 table, the minimum rule, bad input."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from finsam_cli.config import ConfigError, Svarsskala, parse_config
from finsam_cli.errors import DataError, UsageError
from finsam_cli.inputs.enkat import NEGATIVE, NOT_AN_ANSWER, POSITIVE, questions, survey_rules
from finsam_cli.inputs.load import LoadOptions, load
from finsam_cli.inputs.problems import Problems
from finsam_cli.inputs.readers import RawTable
from finsam_cli.inputs.schema import SURVEY_NEGATIVE, SURVEY_NOT_AN_ANSWER, SURVEY_POSITIVE, FileKind
from finsam_cli.reports.enkat.summary import LeftOut, QuestionResult, summarise
from finsam_cli.reports.model import Period

from .conftest import SAMPLE

# The annual report 2017, "Sammanställning av enkätfrågor": answers and share positive per question.
# The board's third share is published as 85 %: 6 of 7 truncated; rounded half up it is 86 %.
PUBLISHED_2017 = {
    "Deltagare": (29, [86, 87, 92, 100, 59, 57, 79]),
    "Samverkande partners, chefsgrupper": (18, [83, 82]),
    "Styrelsen": (7, [100, 100, 86]),
    "Personal i insatser": (20, [85, 80, 83, 95, 68, 94, 90, 78, 95]),
    "Uppföljande enkät, deltagare": (32, [69, 72, 59, 66, 97]),
}
STRUKTURER = "Har ni strukturer för att initiera, upprätthålla och underhålla relationer mellan inblandade aktörer?"


def _load(path: Path, scale: Svarsskala | None = None):
    return load(path, FileKind.ENKAT, LoadOptions(answers=scale or Svarsskala()))


def _csv(tmp_path: Path, text: str, name: str = "enkat.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the published table ------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_2017():
    loaded = load(SAMPLE / "enkat.xlsx", FileKind.ENKAT, LoadOptions())
    return loaded, summarise(loaded.frame, Period.whole_year(2017), minimum=10, file="enkat.xlsx")


def test_the_published_2017_table_comes_out_of_the_sample_xlsx(sample_2017) -> None:
    loaded, summary = sample_2017
    assert loaded.warnings == []
    got = {g.label: (g.respondents, [q.percent for q in g.questions]) for g in summary.groups}
    assert got == PUBLISHED_2017
    assert [g.label for g in summary.groups] == list(PUBLISHED_2017)  # the file's order of surveys


def test_questions_keep_the_files_order_and_shared_questions_count_per_group(sample_2017) -> None:
    _, summary = sample_2017
    by_group = {g.group: g for g in summary.groups}
    assert by_group["Styrelsen"].questions[0] == QuestionResult(STRUKTURER, 7, 7)
    assert [q.question for q in by_group["Personal i insatser"].questions].index(STRUKTURER) == 6
    deltagare = by_group["Deltagare"].questions
    assert [(q.positive, q.answers) for q in deltagare[:3]] == [(25, 29), (20, 23), (24, 26)]  # Vet ej left out


def test_insatser_under_ten_answers_and_2016_answers_do_not_count(sample_2017) -> None:
    _, summary = sample_2017
    assert summary.left_out == (LeftOut("Deltagare", "Ung i Nynäs", 6), LeftOut("Deltagare", "Ung i Tyresö", 8))
    assert [(g.label, g.respondents) for g in summary.per_insats] == [
        ("Deltagare – Ungdomsteamet i Haninge", 17), ("Deltagare – Case Manager", 12)]
    assert summary.period.year == 2017 and summary.minimum == 10


def test_by_sex_splits_the_groups_that_give_kon(sample_2017) -> None:
    _, summary = sample_2017
    sizes = {g.label: g.respondents for g in summary.by_sex}
    assert sizes["Deltagare, kvinnor"] + sizes["Deltagare, män"] == 29
    assert sizes["Uppföljande enkät, deltagare, kvinnor"] + sizes["Uppföljande enkät, deltagare, män"] == 32
    assert not any(label.startswith("Styrelsen") for label in sizes)


# --- rounding -------------------------------------------------------------------------------


def test_shares_round_half_up() -> None:
    assert QuestionResult("q", 7, 6).percent == 86  # published truncated as 85
    assert QuestionResult("q", 8, 1).percent == 13  # 12.5: banker's rounding would give 12
    assert QuestionResult("q", 32, 22).percent == 69  # 68.75
    assert QuestionResult("q", 0, 0).percent is None and QuestionResult("q", 0, 0).share is None


@given(answers=st.integers(1, 5000), data=st.data())
def test_percent_is_the_share_rounded_half_up(answers: int, data: st.DataObject) -> None:
    positive = data.draw(st.integers(0, answers))
    exact = (Decimal(100 * positive) / Decimal(answers)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert QuestionResult("q", answers, positive).percent == int(exact)


# --- the minimum rule, periods and filters ----------------------------------------------------


def _rows(*spec: tuple[str, str, int, str]) -> str:
    """CSV of answer rows: (group, insats, count, date)."""
    lines = ["Enkät;Insats;Datum;Kön;Fråga ett?;Fråga två?"]
    for group, insats, count, day in spec:
        lines += [f"{group};{insats};{day};{'K' if i % 2 else 'M'};{'Ja' if i % 3 else 'Nej'};"
                  for i in range(count)]
    return "\n".join(lines) + "\n"


def test_an_insats_under_the_minimum_is_left_out_of_its_group_only(tmp_path: Path) -> None:
    path = _csv(tmp_path, _rows(("Deltagare", "A", 10, "2017-02-01"), ("Deltagare", "B", 9, "2017-03-01"),
                                ("Personal", "B", 3, "2017-03-01"), ("Styrelsen", "", 2, "2017-04-01"),
                                ("Deltagare", "B", 5, "2016-03-01")))
    summary = summarise(_load(path).frame, Period.whole_year(2017), minimum=10, file=path.name)
    assert summary.left_out == (LeftOut("Deltagare", "B", 9), LeftOut("Personal", "B", 3))
    assert [(g.label, g.respondents) for g in summary.groups] == [("Deltagare", 10), ("Styrelsen", 2)]
    assert [q.question for q in summary.groups[0].questions] == ["Fråga ett?"]  # Fråga två? is blank throughout
    lower = summarise(_load(path).frame, Period.whole_year(2017), minimum=3, file=path.name)
    assert lower.left_out == () and [g.respondents for g in lower.groups] == [19, 3, 2]


def test_no_answers_in_the_year_is_a_usage_error_naming_the_years(tmp_path: Path) -> None:
    path = _csv(tmp_path, _rows(("Deltagare", "A", 2, "2016-02-01"), ("Deltagare", "A", 1, "2018-02-01")))
    with pytest.raises(UsageError, match=r"enkat.csv: no survey answers in 2017 \(years in the file: 2016, 2018\)"):
        summarise(_load(path).frame, Period.whole_year(2017), minimum=10, file=path.name)


def test_the_half_year_counts_january_to_june(tmp_path: Path) -> None:
    path = _csv(tmp_path, _rows(("Deltagare", "A", 10, "2017-06-30"), ("Deltagare", "A", 4, "2017-07-01")))
    summary = summarise(_load(path).frame, Period.half_year(2017), minimum=10, file=path.name)
    assert [g.respondents for g in summary.groups] == [10] and summary.period.end.isoformat() == "2017-06-30"
    year_only = _csv(tmp_path, "Enkät;År;Fråga?\nStyrelsen;2017;Ja\n", "ar.csv")
    with pytest.raises(UsageError, match=r"ar.csv: 1 answer\(s\) in 2017 have a year but no Datum"):
        summarise(_load(year_only).frame, Period.half_year(2017), minimum=10, file="ar.csv")


def test_insats_filter_keeps_those_insatser_and_names_the_known_ones(tmp_path: Path) -> None:
    path = _csv(tmp_path, _rows(("Deltagare", "A", 10, "2017-02-01"), ("Deltagare", "B", 12, "2017-03-01"),
                                ("Styrelsen", "", 2, "2017-04-01")))
    frame = _load(path).frame
    summary = summarise(frame, Period.whole_year(2017), minimum=10, file=path.name, insatser=["B"])
    assert [(g.label, g.respondents) for g in summary.groups] == [("Deltagare", 12)]
    sample = load(SAMPLE / "enkat.xlsx", FileKind.ENKAT, LoadOptions()).frame
    by_slug = summarise(sample, Period.whole_year(2017), minimum=10, file="enkat.xlsx", insatser=["case-manager"])
    assert [(g.label, g.respondents) for g in by_slug.groups] == [("Deltagare", 12)]
    with pytest.raises(UsageError, match=r"insatser 'C'.*insatser with answers: A, B"):
        summarise(frame, Period.whole_year(2017), minimum=10, file=path.name, insatser=["C"])


# --- the file kind ----------------------------------------------------------------------------


def test_answers_are_coded_and_the_fixed_columns_parsed(tmp_path: Path) -> None:
    path = _csv(tmp_path, "Enkätsvar 2017;;;\n;;;\nenkat;År;kon;Q1?;Q2?\n"
                          "Styrelsen;2017;k;helt och hållet;Vet ej\nStyrelsen;2017;;Inte alls;\n")
    frame = _load(path).frame
    assert questions(frame) == ["Q1?", "Q2?"]
    assert frame["Q1?"].tolist() == [POSITIVE, NEGATIVE]
    assert frame["Q2?"].tolist()[0] == NOT_AN_ANSWER and pd.isna(frame["Q2?"].tolist()[1])
    assert frame["kon"].tolist()[0] == "Kvinna" and frame["ar"].tolist() == [2017, 2017]


def test_datum_gives_the_year(tmp_path: Path) -> None:
    frame = _load(_csv(tmp_path, "Enkät;Datum;Q?\nStyrelsen;20171231;Ja\n")).frame
    assert frame["ar"].tolist() == [2017]


def test_a_question_without_any_answer_is_a_warning(tmp_path: Path) -> None:
    loaded = _load(_csv(tmp_path, "Enkät;År;Q1?;Tom fråga?\nStyrelsen;2017;Ja;\nStyrelsen;2017;Nej;\n"))
    assert loaded.warnings == ["enkat.csv: the question 'Tom fråga?' has no answers at all"]


def _problems(path: Path, scale: Svarsskala | None = None) -> list[str]:
    with pytest.raises(DataError) as caught:
        _load(path, scale)
    return [str(p) for p in caught.value.problems]


def test_an_unknown_answer_names_row_column_value_and_the_setting(tmp_path: Path) -> None:
    path = _csv(tmp_path, "Titel\nEnkät;År;Får du stöd?\nDeltagare;2017;Ja\nDeltagare;2017;Kanske\n")
    [problem] = _problems(path)
    assert problem.startswith("enkat.csv, row 4, column 'Får du stöd?': value 'Kanske': unknown answer (positive: ")
    assert "list it under [enkat.svar] in finsam.toml" in problem


def test_a_missing_enkat_column_is_named(tmp_path: Path) -> None:
    [problem] = _problems(_csv(tmp_path, "Insats;Datum;Q?\nA;2017-01-01;Ja\n"))
    assert problem == ("enkat.csv, row 1, column 'Enkät': required column is missing "
                       "(headers found: 'Insats', 'Datum', 'Q?')")


def test_a_missing_year_and_date_column_is_named(tmp_path: Path) -> None:
    [problem] = _problems(_csv(tmp_path, "Enkät;Insats;Q?\nDeltagare;A;Ja\n"))
    assert problem.startswith("enkat.csv, row 1, column 'År or Datum': required column is missing")


def test_dates_outside_any_year_are_named(tmp_path: Path) -> None:
    problems = _problems(_csv(tmp_path, "Enkät;Datum;Q?\nStyrelsen;2017-01-05;Ja\nStyrelsen;1850-01-01;Ja\n"
                                        "Styrelsen;;Ja\n"))
    assert problems[0].startswith("enkat.csv, row 3, column 'Datum': value '1850-01-01': ")
    assert "enkat.csv, row 4, column 'Datum': the row has neither År nor Datum" in problems


def test_answers_in_a_column_without_a_header_are_a_problem(tmp_path: Path) -> None:
    [problem] = _problems(_csv(tmp_path, "Enkät;År;Q?;\nStyrelsen;2017;Ja;Nej\n"))
    assert problem.startswith("enkat.csv, row 2, column 'Unnamed: 3': value 'Nej': a column without a header")


def test_bad_survey_input_exits_1_in_validera(run, tmp_path: Path) -> None:
    path = _csv(tmp_path, "Enkät;År;Q?\nStyrelsen;2017;Kanske\n")
    result = run("validera", path, "--typ", "enkat")
    assert result.exit_code == 1
    assert result.output.startswith("ERROR  enkat.csv (enkat): 1 problem\n")
    assert "\n2     Q?       Kanske   unknown answer (positive: Helt och hållet," in result.output
    guessed = run("validera", SAMPLE / "enkat.xlsx")
    assert guessed.exit_code == 0 and "enkat.xlsx (enkat, sheet 'Enkätsvar'): 160 rows" in guessed.output


# --- the answer scale -------------------------------------------------------------------------


def test_enkat_svar_extends_or_replaces_the_lists(tmp_path: Path) -> None:
    path = _csv(tmp_path, "Enkät;År;Q?\nStyrelsen;2017;Mycket nöjd\nStyrelsen;2017;Ja\n")
    extended = _load(path, Svarsskala(positiva=["Mycket nöjd"])).frame
    assert extended["Q?"].tolist() == [POSITIVE, POSITIVE]
    replaced = Svarsskala(positiva=["Mycket nöjd"], negativa=["Missnöjd"], ersatt=True)
    [problem] = _problems(path, replaced)
    assert "row 3" in problem and "value 'Ja'" in problem and "(positive: Mycket nöjd; not an answer: blank" in problem


def test_the_scale_is_read_from_finsam_toml_and_checked(tmp_path: Path) -> None:
    toml = tmp_path / "finsam.toml"
    toml.write_text('[data]\nenkat = "svar.xlsx"\n[enkat]\nminsta_antal_svar = 5\n'
                    '[enkat.svar]\nej_svar = ["Vill inte svara"]\n', encoding="utf-8")
    config = parse_config(toml)
    assert config.enkat.minsta_antal_svar == 5 and config.data.enkat == tmp_path / "svar.xlsx"
    assert config.enkat.svar.lists()[1] == (*SURVEY_NOT_AN_ANSWER, "Vill inte svara")
    toml.write_text('[enkat.svar]\nnegativa = ["ja"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="the answer 'ja' is in both positiva and negativa"):
        parse_config(toml)


KNOWN = [(a, POSITIVE) for a in SURVEY_POSITIVE] + [(a, NEGATIVE) for a in SURVEY_NEGATIVE] \
    + [(a, NOT_AN_ANSWER) for a in SURVEY_NOT_AN_ANSWER]


def _spelled(answer: str, draw: st.DataObject) -> str:
    """The answer as people type it: any case, spaces around."""
    cased = "".join(c.upper() if draw.draw(st.booleans()) else c.lower() for c in answer)
    return draw.draw(st.sampled_from(["", " ", "  "])) + cased + draw.draw(st.sampled_from(["", " "]))


def _coded(cells: list[str | None]) -> tuple[pd.Series, Problems]:
    raw = pd.DataFrame({"Enkät": ["Styrelsen"] * len(cells), "Fråga?": pd.array(cells, dtype=object)},
                       index=range(2, 2 + len(cells)))
    problems = Problems("enkat.csv")
    frame = survey_rules(pd.DataFrame(index=raw.index), RawTable(Path("enkat.csv"), raw, 1, "utf-8", ";"),
                         {"enkat": "Enkät"}, Svarsskala(), problems, [])
    return frame["Fråga?"], problems


@given(st.data())
def test_known_answers_in_any_spelling_get_their_code(data: st.DataObject) -> None:
    picks = data.draw(st.lists(st.sampled_from([*KNOWN, (None, None), ("", None)]), min_size=1, max_size=30))
    cells = [None if a is None else _spelled(a, data) for a, _ in picks]
    coded, problems = _coded(cells)
    assert problems.total == 0
    assert [None if pd.isna(c) else int(c) for c in coded] == [code for _, code in picks]


@given(st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=20))
def test_any_other_answer_is_a_problem_on_its_row(cells: list[str]) -> None:
    from finsam_cli.inputs.schema import fold

    known = {fold(a) for a, _ in KNOWN}
    coded, problems = _coded(list(cells))
    bad_rows = [row for row, cell in zip(coded.index, cells, strict=True) if cell.strip() and fold(cell) not in known]
    assert problems.total == len(bad_rows)
    assert [p.row for p in problems.items] == bad_rows
    assert all(p.column == "Fråga?" for p in problems.items)


# --- survey goals ------------------------------------------------------------------------------


def test_survey_goals_compare_the_insatss_share_with_the_goal(sample_2017) -> None:
    from finsam_cli.reports.enkat.goals import SurveyGoal, survey_goals

    loaded, _ = sample_2017
    tid = "Får stödet ta den tid du behöver?"
    nytta = "Får du stöd på ett sätt som är till stor nytta för dig?"
    goals = survey_goals(loaded.frame, Period.whole_year(2017), "ungdomsteamet i haninge", {tid: 94, nytta: 90},
                         "enkat.xlsx")
    assert goals == [SurveyGoal(tid, 94, QuestionResult(tid, 16, 15)),
                     SurveyGoal(nytta, 90, QuestionResult(nytta, 17, 15))]
    assert [g.met for g in goals] == [True, False]  # 15 of 16 is 93.75: shown as 94 %, the goal is met
    none = survey_goals(loaded.frame, Period.whole_year(2017), "Samrehab", {tid: 50}, "enkat.xlsx")
    assert none[0].result.answers == 0 and none[0].met is None
    with pytest.raises(ConfigError, match=r"insatser.mal.2017.enkat: enkat.xlsx has no question 'Får stödet ta "
                                          r"den tid du behöver'; did you mean 'Får stödet ta den tid du behöver\?'"):
        survey_goals(loaded.frame, Period.whole_year(2017), "Case Manager", {tid[:-1]: 50}, "enkat.xlsx")


def test_survey_goals_are_read_from_the_insatss_goals(tmp_path: Path) -> None:
    toml = tmp_path / "finsam.toml"
    toml.write_text('[[insatser]]\nnamn = "A"\n[insatser.mal.2017]\ndeltagare = 5\n'
                    '[insatser.mal.2017.enkat]\n"Får du stöd?" = 75\n', encoding="utf-8")
    assert parse_config(toml).insatser[0].mal[2017].enkat == {"Får du stöd?": 75}
    toml.write_text('[[insatser]]\nnamn = "A"\n[insatser.mal.2017.enkat]\n"Får du stöd?" = 175\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="less than or equal to 100"):
        parse_config(toml)
