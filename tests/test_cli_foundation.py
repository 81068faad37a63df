"""The CLI skeleton: help, version, exit codes and the exact wording of errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .conftest import DATA, ROOT, SAMPLE


def test_help_lists_every_command(run) -> None:
    result = run("--help")
    assert result.exit_code == 0
    for command in ("maluppfyllelse", "budget-avvikelse", "budget-jamforelse", "medlemsavgifter", "export",
                    "validera", "init"):
        assert command in result.stdout


def test_version(run) -> None:
    from finsam_cli import __version__

    result = run("--version")
    assert (result.exit_code, result.stdout) == (0, f"finsam {__version__}\n")


def test_help_does_not_import_pandas_or_openpyxl() -> None:
    code = ("import sys; from finsam_cli.cli.app import app; from typer.testing import CliRunner; "
            "CliRunner().invoke(app, ['--help']); "
            "print(sorted(m for m in ('pandas', 'openpyxl', 'numpy', 'jinja2', 'docx', 'matplotlib') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_validera_ok_with_row_counts(run) -> None:
    result = run("validera", DATA / "deltagare_utf8_bom.csv", DATA / "budget_amount_forms.csv")
    assert result.exit_code == 0
    assert result.stdout == ("OK  deltagare_utf8_bom.csv (deltagare): 3 rows\n"
                             "OK  budget_amount_forms.csv (budget): 6 rows\n")


def test_validera_lists_problems_and_exits_1(run) -> None:
    result = run("validera", DATA / "end_before_start.csv")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == "ERROR  end_before_start.csv (deltagare): 1 problem"
    assert "4     Avslutsdatum   2014-12-31   Avslutsdatum is before Inskrivningsdatum" in result.stdout
    assert "Traceback" not in result.output


def test_validera_stops_listing_after_50(run, tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    path.write_text("Deltagar-ID;Insats;Kön;Inskrivningsdatum\n" + "".join(
        f"P{i};X;Okänt;2017-01-01\n" for i in range(70)), encoding="utf-8")
    result = run("validera", path)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == "ERROR  many.csv (deltagare): 70 problems"
    assert result.stdout.splitlines()[-1] == "… and 20 more problems"


def test_validera_with_explicit_type(run) -> None:
    result = run("validera", "--typ", "budget", DATA / "deltagare_utf8_bom.csv")
    assert result.exit_code == 1
    assert "required column is missing" in result.stdout


def test_validera_every_bad_file_exits_1_without_traceback(run) -> None:
    for name in ("empty.csv", "binary.csv", "corrupt.xlsx", "truncated.xlsx", "ragged.csv", "missing_column.csv",
                 "bad_date.csv", "end_before_start.csv", "unknown_category.csv"):
        result = run("validera", DATA / name)
        assert result.exit_code == 1, name
        assert name in result.stdout
        assert "Traceback" not in result.output


def test_validera_sample_data_is_ok(run) -> None:
    files = sorted(p for p in SAMPLE.iterdir() if p.suffix in (".csv", ".xlsx"))
    assert len(files) >= 7
    result = run("validera", *files)
    assert result.exit_code == 0, result.stdout
    assert all(line.startswith("OK  ") for line in result.stdout.splitlines())


def test_usage_error_exits_2(run) -> None:
    result = run("validera", "--typ", "nonsense", DATA / "empty.csv")
    assert result.exit_code == 2
    assert "Invalid value for '--typ'" in result.stderr and "'nonsense' is not one of 'deltagare'" in result.stderr
    assert result.stdout == ""


def test_missing_config_file_is_exit_1(run) -> None:
    result = run("validera", "--config", "nowhere.toml", DATA / "empty.csv")
    assert result.exit_code == 1
    assert result.stderr == "Error: nowhere.toml: config file not found\n"


def test_invalid_config_is_explained(run, tmp_path: Path) -> None:
    bad = tmp_path / "finsam.toml"
    bad.write_text('[troskel]\nforklaring = "mycket"\n[[insatser]]\nnamn = "A"\nslug = "Ä B"\nokand = 1\n',
                   encoding="utf-8")
    result = run("validera", DATA / "deltagare_utf8_bom.csv")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {Path('finsam.toml')}: invalid configuration",
        "  insatser.0.slug: Value error, slug must be lower-case letters, digits and '-', e.g. 'a-b' (got 'Ä B')",
        "  insatser.0.okand: Extra inputs are not permitted (got 1)",
        "  troskel.forklaring: Input should be a valid number, unable to parse string as a number (got 'mycket')",
    ]


def test_config_is_found_through_env_then_cwd(run, tmp_path: Path, monkeypatch) -> None:
    from finsam_cli.config import find_config_path

    assert find_config_path(None) is None
    (tmp_path / "finsam.toml").write_text("", encoding="utf-8")
    assert find_config_path(None) == Path("finsam.toml")
    monkeypatch.setenv("FINSAM_CONFIG", str(ROOT / "finsam.toml"))
    assert find_config_path(None) == ROOT / "finsam.toml"


def test_repo_config_is_valid_and_points_at_sample_data() -> None:
    from finsam_cli.config import parse_config

    config = parse_config(ROOT / "finsam.toml")
    assert config.data.deltagare == SAMPLE / "deltagare.csv"
    assert config.forbund.namn == "Samordningsförbundet Östra Södertörn"
    assert {i.key for i in config.insatser} >= {"ung-i-tyreso", "ungdomsteamet-i-haninge", "ung-i-nynas"}


def test_init_writes_a_valid_starter_and_refuses_to_overwrite(run, tmp_path: Path) -> None:
    result = run("init")
    assert result.exit_code == 0
    assert result.stdout == "Wrote finsam.toml. Fill in the association's name, data files and insatser.\n"
    assert "[forbund]" in (tmp_path / "finsam.toml").read_text(encoding="utf-8")
    again = run("init")
    assert again.exit_code == 2
    assert again.stderr == "Usage error: finsam.toml already exists; use --force to overwrite it\n"


def test_internal_error_has_no_traceback_unless_debug(run, monkeypatch) -> None:
    from finsam_cli.inputs import check

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(check, "check_file", boom)
    result = run("validera", DATA / "empty.csv")
    assert result.exit_code == 1
    assert result.stderr == ("Internal error (RuntimeError); this is a bug in finsam. "
                             "Run again with --debug for the traceback.\n")
    debug = run("validera", "--debug", DATA / "empty.csv")
    assert "Traceback" in debug.stderr and debug.exit_code == 1


BAD_STINT_FILES = {
    "empty.csv": "Error: empty.csv: the file is empty",
    "binary.csv": "Error: binary.csv: row 3: contains NUL bytes",
    "corrupt.xlsx": "Error: corrupt.xlsx: the xlsx file is corrupt",
    "truncated.xlsx": "Error: truncated.xlsx: the xlsx file is corrupt or truncated",
    "ragged.csv": "Error: ragged.csv: row 3: has 12 fields where the header has 10",
    "missing_column.csv": "  missing_column.csv, row 1, column 'Inskrivningsdatum': required column is missing",
    "bad_date.csv": "  bad_date.csv, row 3, column 'Inskrivningsdatum': value '2017-02-30': ",
    "end_before_start.csv": "  end_before_start.csv, row 4, column 'Avslutsdatum': value '2014-12-31': "
                            "Avslutsdatum is before Inskrivningsdatum",
    "unknown_category.csv": "  unknown_category.csv, row 2, column 'Avslutsorsak': value 'Arbte': ",
}


def test_a_report_on_a_bad_file_exits_1_names_the_place_and_writes_nothing(run, tmp_path: Path) -> None:
    for name, expected in BAD_STINT_FILES.items():
        out = tmp_path / f"{name}.md"
        result = run("maluppfyllelse", "2017", "--deltagare", DATA / name, "-o", out)
        assert result.exit_code == 1, name
        assert any(line.startswith(expected) for line in result.stderr.splitlines()), result.stderr
        assert "Traceback" not in result.output
        assert result.stdout == ""
        assert not out.exists() and not list(tmp_path.glob(".finsam-tmp-*"))


def test_debug_traceback_never_shows_a_personnummer(run, monkeypatch) -> None:
    from finsam_cli.inputs import check

    def boom(*args, **kwargs):
        raise RuntimeError("row with 19900101-0017 and 199001010017")

    monkeypatch.setattr(check, "check_file", boom)
    result = run("validera", "--debug", DATA / "empty.csv")
    assert result.exit_code == 1
    assert "Traceback" in result.stderr and "RuntimeError: row with [personnummer] and [personnummer]" in result.stderr
    assert "0017" not in result.output


def test_every_command_and_option_has_help_text() -> None:
    from typer.main import get_command

    from finsam_cli.cli.app import app

    group = get_command(app)
    commands = group.commands  # type: ignore[attr-defined]
    assert set(commands) == {"maluppfyllelse", "malgrupp", "budget-avvikelse", "budget-jamforelse", "medlemsavgifter",
                             "enkat", "uppfoljning", "bokslut", "arsredovisning", "export", "validera", "init"}
    for name, command in commands.items():
        assert command.help, name
        for param in command.params:
            assert getattr(param, "help", None), f"{name} {param.name}"
