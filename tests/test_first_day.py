"""Issue 13 part 6: help, configuration and messages as a new user meets them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from finsam_cli.reports.registry import REPORTS
from finsam_cli.starter import PLACEHOLDER_NAME, STARTER_CONFIG
from tests.conftest import ROOT, SAMPLE

COMMANDS = ["maluppfyllelse", "budget-avvikelse", "budget-jamforelse", "medlemsavgifter", "uppfoljning", "export",
            "validera", "init"]


@pytest.mark.parametrize("command", [[], *([c] for c in COMMANDS)])
def test_help_shows_plain_metavars(run, command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "<bool>" not in result.stdout
    assert "<list[" not in result.stdout
    assert not re.search(r"\{[A-ZÅÄÖ]+\}", result.stdout), result.stdout


def test_required_and_repeated_arguments_read_as_their_names(run) -> None:
    assert "Usage: finsam budget-avvikelse [OPTIONS] ÅR" in run("budget-avvikelse", "--help").stdout
    validera = run("validera", "--help").stdout
    assert "Usage: finsam validera [OPTIONS] FILE..." in validera
    assert re.search(r"│ \*\s+FILE\s+Files to check", validera), validera


def test_command_summaries_have_no_stray_line_break(run) -> None:
    listing = run("--help").stdout
    row = next(line for line in listing.splitlines() if "│ maluppfyllelse" in line)
    following = listing.splitlines()[listing.splitlines().index(row) + 1]
    assert row.rstrip(" │").endswith("goals and") and following.strip(" │").startswith("history.")


def test_export_help_lists_every_exit_code(run) -> None:
    text = " ".join(run("export", "--help").stdout.split())
    assert "Exit codes: 0 done (or nothing to do), 1 data or input problem (or no report can be made), 2 usage" \
        in text
    assert "3 another export is running" in text


def test_shell_completion_is_enabled_and_documented(run) -> None:
    listing = run("--help").stdout
    assert "--install-completion" in listing and "--show-completion" in listing
    shown = run("--show-completion", "bash")
    assert shown.exit_code == 0 and "_finsam_completion" in shown.stdout
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "finsam --install-completion" in readme


def test_prognos_columns_are_spelled_one_way() -> None:
    from finsam_cli.cli import options

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sources = {"help": Path(options.__file__).read_text(encoding="utf-8"), "starter": STARTER_CONFIG,
               "README": readme}
    for name, text in sources.items():
        lines = [line for line in text.splitlines() if "prognos" in line.lower() and "År;Post;" in line]
        assert lines, name
        assert all("År;Post;Prognos" in line for line in lines), (name, lines)


def test_config_paths_expand_the_home_folder_and_missing_files_name_their_key(run, tmp_path: Path,
                                                                               monkeypatch) -> None:
    home = tmp_path / "home"
    (home / "data").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    config = tmp_path / "finsam.toml"
    config.write_text('[forbund]\nnamn = "Samordningsförbundet Test"\n[data]\ndeltagare = "~/data/deltagare.csv"\n',
                      encoding="utf-8")
    missing = run("maluppfyllelse", "2017")
    assert missing.exit_code == 1
    assert missing.stderr == (f"Error: {home}/data/deltagare.csv: deltagare file not found "
                              "(data.deltagare in finsam.toml)\n")
    given = run("maluppfyllelse", "2017", "--deltagare", "x.csv")
    assert given.stderr == "Error: x.csv: deltagare file not found (given as --deltagare)\n"
    (home / "data" / "deltagare.csv").write_bytes((SAMPLE / "deltagare.csv").read_bytes())
    found = run("maluppfyllelse", "2017", "--insats", "ung-i-tyreso")
    assert found.exit_code == 0, found.stderr
    assert "deltagare.csv (6\u00a0951 rader)" in found.stdout


def test_the_placeholder_name_warns_on_every_run_until_changed(run, tmp_path: Path) -> None:
    assert f'namn = "{PLACEHOLDER_NAME}"' in STARTER_CONFIG
    assert run("init").exit_code == 0
    warning = (f'warning: [forbund] namn is still the placeholder "{PLACEHOLDER_NAME}", and reports carry it: '
               "write the association's name in finsam.toml\n")
    args = ["maluppfyllelse", "2017", "--insats", "ung-i-tyreso", "--deltagare", SAMPLE / "deltagare.csv"]
    for _ in range(2):
        result = run(*args)
        assert result.exit_code == 0
        assert result.stderr == warning
    config = tmp_path / "finsam.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(PLACEHOLDER_NAME, "Samordningsförbundet Test"),
                      encoding="utf-8")
    assert run(*args).stderr == ""


def test_one_row_is_one_rad(run, tmp_path: Path) -> None:
    lines = (SAMPLE / "deltagare.csv").read_text(encoding="utf-8").splitlines()
    first = next(line for line in lines[1:] if ";Ung i Tyresö;" in line and ";2017-" in line)
    one = tmp_path / "en.csv"
    one.write_text(f"{lines[0]}\n{first}\n", encoding="utf-8")
    result = run("maluppfyllelse", first.split(";")[5][:4], "--deltagare", one)
    assert result.exit_code == 0, result.stderr
    assert "en.csv (1 rad)" in result.stdout


def _one_stint(tmp_path: Path, change: tuple[str, str]) -> Path:
    lines = (SAMPLE / "deltagare.csv").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "d.csv"
    path.write_text(f"{lines[0]}\n{lines[2].replace(*change)}\n", encoding="utf-8")
    return path


def test_a_bad_date_points_to_the_accepted_formats(run, tmp_path: Path) -> None:
    result = run("validera", _one_stint(tmp_path, ("2011-01-01", "1 jan 2011")))
    assert result.exit_code == 1
    text = " ".join(result.stdout.split())
    assert ("not a valid date (invalid character in year); accepted: YYYY-MM-DD (2017-03-01), YYYYMMDD, YYYY/MM/DD, or "
            "an Excel date cell") in text


def test_a_bad_avslutsorsak_lists_the_accepted_values_and_the_profile_mapping(run, tmp_path: Path) -> None:
    result = run("validera", _one_stint(tmp_path, (";Arbete;", ";Jobb;")))
    assert result.exit_code == 1
    text = " ".join(result.stdout.split())
    assert ("'Arbete', 'Studier', 'Arbetsförberedande insats', 'Annat', 'Okänd' or 'Felregistrering'; or map your "
            "code to one of them under [profiler.*.varden.avslutsorsak] in finsam.toml") in text


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "checkout"
    folder.mkdir()
    (folder / "sample_data").symlink_to(SAMPLE)
    (folder / "finsam.toml").write_text((ROOT / "finsam.toml").read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def test_missing_optional_inputs_are_named_with_what_they_leave_out(run, project: Path, monkeypatch) -> None:
    monkeypatch.chdir(project)
    config = project / "finsam.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("\nfinansiering = ", "\n# finansiering = ").replace("\nforklaringar = ",
                                                                                         "\n# forklaringar = "),
                      encoding="utf-8")
    result = run("budget-avvikelse", "2017")
    assert result.exit_code == 0, result.stderr
    assert ("Underlag saknas för extern finansiering (data.finansiering i finsam.toml): rapporten visar "
            "därför inte brutto och netto.") in result.stdout
    assert ("Underlag saknas för förklaringar (data.forklaringar i finsam.toml): ingen avvikelse har därför "
            "någon förklaring.") in result.stdout
    assert "Underlag saknas" not in run("budget-avvikelse", "2017", "--finansiering", SAMPLE / "finansiering.csv",
                                        "--forklaringar", SAMPLE / "forklaringar.csv").stdout


def test_revenue_lines_need_no_explanation_unless_troskel_says_so(run, project: Path, monkeypatch) -> None:
    monkeypatch.chdir(project)
    missing = run("budget-avvikelse", "2017").stdout.split("### Avvikelser som saknar förklaring")[1]
    assert "Övriga intäkter (ESF)" not in missing
    assert "Intäktsposter behöver ingen förklaring (troskel.intakter)." in missing
    config = project / "finsam.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("intakter = false", "intakter = true"),
                      encoding="utf-8")
    missing = run("budget-avvikelse", "2017").stdout.split("### Avvikelser som saknar förklaring")[1]
    assert "| Övriga intäkter (ESF) | 8\u00a0063\u00a0855 |" in missing
    assert "Intäktsposter" not in missing


def test_a_forsorjning_table_extends_the_default_grouping() -> None:
    from finsam_cli.config import DEFAULT_GROUPS, Config
    from finsam_cli.inputs.schema import Forsorjning

    partial = Config.model_validate({"forsorjning": {"Lön/CSN": ["Lön", "Studiemedel"], "Arbete": ["Annat"]}})
    assert list(partial.forsorjning) == [*DEFAULT_GROUPS, "Arbete"]
    assert partial.forsorjning["Annat"] == [Forsorjning.INGEN_ERSATTNING]  # Annat moved to the new group
    assert partial.ungrouped_sources() == []
    whole = Config.model_validate({"forsorjning": {"ersatt": True, "Lön/CSN": ["Lön", "Studiemedel"]}})
    assert list(whole.forsorjning) == ["Lön/CSN"]
    assert "Försörjningsstöd" in whole.ungrouped_sources()


def test_the_readme_configuration_keeps_every_support_group(run, project: Path, monkeypatch) -> None:
    from tests.test_readme import full_configuration

    monkeypatch.chdir(project)
    (project / "finsam.toml").write_text(full_configuration(), encoding="utf-8")
    result = run("maluppfyllelse", "2017", "--insats", "ung-i-tyreso", "--deltagare", SAMPLE / "deltagare.csv")
    assert result.exit_code == 0, result.stderr
    table = result.stdout.split("### Försörjningskällor vid inskrivning och avslut")[1].split("###")[0]
    assert "| Försörjningsstöd |" in table and "| Hel sjukpenning |" in table
    assert "färre med försörjningsstöd" in result.stdout


def test_a_source_no_group_covers_is_a_warning(run, tmp_path: Path) -> None:
    config = ('[forbund]\nnamn = "Samordningsförbundet Test"\n'
              '[forsorjning]\nersatt = true\n"Lön/CSN" = ["Lön", "Studiemedel"]\n')
    (tmp_path / "finsam.toml").write_text(config, encoding="utf-8")
    result = run("maluppfyllelse", "2017", "--insats", "ung-i-tyreso", "--deltagare", SAMPLE / "deltagare.csv")
    assert result.exit_code == 0
    assert result.stderr.startswith("warning: [forsorjning]: no group covers A-kassa, Aktivitetsstöd, ")
    assert "are left out of the sources-of-support tables" in result.stderr


def test_validera_knows_prognos_by_typ_and_by_its_headers(run, tmp_path: Path) -> None:
    good = tmp_path / "framtid.csv"
    good.write_text("År;Post;Prognos\n2018;Kansli;1 200 000\n2018;Ung i Tyresö;900 000\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("År;Post;Prognos\n2018;Kansli;mycket\n", encoding="utf-8")
    assert "prognos" in run("validera", "--help").stdout
    guessed = run("validera", good)
    assert (guessed.exit_code, guessed.stdout) == (0, "OK  framtid.csv (prognos): 2 rows\n")
    assert run("validera", "--typ", "prognos", good).stdout == "OK  framtid.csv (prognos): 2 rows\n"
    failed = run("validera", bad)
    assert failed.exit_code == 1
    # worded as the loader words a bad amount in any file (prognos is a file kind)
    assert "ERROR  bad.csv (prognos): 1 problem" in failed.stdout
    assert "Prognos   mycket   Input should be a valid number" in failed.stdout
    budget = run("validera", SAMPLE / "budget.csv", SAMPLE / "utfall.csv")
    assert "budget.csv (budget)" in budget.stdout and "utfall.csv (utfall)" in budget.stdout


@pytest.mark.parametrize("command", ["maluppfyllelse", "export", "uppfoljning", "arsredovisning", "validera"])
def test_command_descriptions_wrap_to_the_terminal_without_stray_line_breaks(run, command: str) -> None:
    help_text = run(command, "--help").stdout.splitlines()
    described = help_text[help_text.index(next(line for line in help_text if "Usage:" in line)) + 2:
                          help_text.index(next(line for line in help_text if line.startswith("╭")))]
    paragraphs = "\n".join(line.rstrip() for line in described).strip().split("\n\n")
    for paragraph in paragraphs:
        *filled, _last = paragraph.splitlines()
        # a line is broken only where the next word would not fit (COLUMNS=100 in conftest)
        assert all(len(line) > 80 for line in filled), paragraph


@pytest.mark.parametrize("command", [*(r.command for r in REPORTS), "export", "validera", "init"])
def test_every_value_shows_a_plain_metavar(run, command: str) -> None:
    shown = run(command, "--help").stdout
    assert not re.search(r"<\w[^>]*>|INT RANGE|\{", shown), shown  # `PATH`, `N`, `md|xlsx`: no <path>, {ÅR}
