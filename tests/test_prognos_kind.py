"""The economist's forecast file is a file kind like the others: loaded by the session, checked by validera."""

from __future__ import annotations

from pathlib import Path

FORECAST = "År;Post;Prognos\r\n2018;Kansli;3 100 000\r\n2018;Resursrådet;\r\n"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("cp1252"))
    return path


def test_a_forecast_file_is_guessed_as_prognos(run, tmp_path: Path) -> None:
    result = run("validera", _write(tmp_path, "fil.csv", FORECAST))
    assert result.exit_code == 0, result.stdout
    assert result.stdout == "OK  fil.csv (prognos): 1 row\n"  # the row without a forecast is none


def test_validera_typ_prognos_names_a_bad_amount(run, tmp_path: Path) -> None:
    path = _write(tmp_path, "prognos.csv", "År;Post;Prognos\r\n2018;Kansli;tre miljoner\r\n")
    result = run("validera", "--typ", "prognos", path)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == "ERROR  prognos.csv (prognos): 1 problem"
    assert "Prognos" in result.stdout and "tre miljoner" in result.stdout


def test_a_forecast_without_its_line_is_a_problem(run, tmp_path: Path) -> None:
    path = _write(tmp_path, "prognos.csv", "År;Post;Prognos\r\n2018;;100\r\n")
    result = run("validera", "--typ", "prognos", path)
    assert result.exit_code == 1
    assert "required value is empty" in result.stdout


def test_a_forecast_file_needs_post_and_prognos(run, tmp_path: Path) -> None:
    result = run("validera", "--typ", "prognos", _write(tmp_path, "prognos.csv", "År;Post\r\n2018;Kansli\r\n"))
    assert result.exit_code == 1
    assert "Prognos" in result.stdout and "required column is missing" in result.stdout


def test_budget_and_outcome_files_are_not_taken_for_forecasts(run, tmp_path: Path) -> None:
    budget = _write(tmp_path, "a.csv", "År;Post;Grupp;Belopp;Prognos\r\n2018;Kansli;Kansli;100;90\r\n")
    outcome = _write(tmp_path, "b.csv", "År;Post;Belopp\r\n2018;Kansli;100\r\n")
    forecast_first = _write(tmp_path, "c.csv", "År;Post;Grupp;Prognos;Belopp\r\n2018;Kansli;Kansli;90;100\r\n")
    result = run("validera", budget, outcome, forecast_first)
    assert result.exit_code == 0, result.stdout
    assert result.stdout == "OK  a.csv (budget): 1 row\nOK  b.csv (utfall): 1 row\nOK  c.csv (budget): 1 row\n"


def test_a_forecast_headed_belopp_still_loads_when_named(run, tmp_path: Path) -> None:
    path = _write(tmp_path, "prognos.csv", "Post;Belopp\r\nKansli;5\r\n")
    result = run("validera", "--typ", "prognos", path)
    assert result.exit_code == 0, result.stdout
    assert result.stdout == "OK  prognos.csv (prognos): 1 row\n"
