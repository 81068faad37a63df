"""Issue 15, the output side: where finsam writes and what leaves it.

`-o` (stdout, devices, FIFOs, symlinks, unwritable targets), a failing --logg, a folder in a
report's place, the manifest as the mark of a whole set (`export --kontrollera`), escape
sequences in file names, and --debug before the subcommand.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from finsam_cli.publish import pipeline
from finsam_cli.publish import run as runmod

from . import test_export

project = test_export.project  # the fixture: a copy of the checkout's config and sample data
REPORT = ["maluppfyllelse", "2017", "--insats", "ung-i-tyreso"]


def report(run, project: Path, *args: str | Path):
    return run(*REPORT, "--config", project / "finsam.toml", *args)


def export(run, project: Path, *args: str | Path):
    return run("export", "2017", "--format", "md", "--config", project / "finsam.toml",
               "--till", project.parent / "ut", *args)


# --- -o ----------------------------------------------------------------------------------------------


def test_o_dash_writes_markdown_to_stdout(run, project: Path) -> None:
    plain = report(run, project)
    dashed = report(run, project, "-o", "-")
    assert dashed.exit_code == 0, dashed.output
    assert dashed.stdout == plain.stdout and dashed.stdout.startswith("# ")
    assert not Path("-").exists()


def test_o_dash_writes_a_binary_format_to_a_pipe_but_not_to_a_terminal(run, project: Path, monkeypatch) -> None:
    piped = report(run, project, "-o", "-", "--format", "xlsx")
    assert piped.exit_code == 0, piped.output
    assert piped.stdout_bytes[:4] == b"PK\x03\x04"
    from finsam_cli.cli import streams

    monkeypatch.setattr(streams, "stdout_is_terminal", lambda: True)
    shown = report(run, project, "-o", "-", "--format", "xlsx")
    assert shown.exit_code == 2
    assert "-o -: xlsx is binary and stdout is a terminal" in shown.stderr
    assert shown.stdout == ""


@pytest.mark.parametrize("args", [REPORT, ["--version"]], ids=["report", "version"])
def test_a_reader_that_stops_early_ends_finsam_quietly(project: Path, args: list[str]) -> None:
    """`finsam … | head`: the pipe's reader is gone before finsam writes; no message, no traceback, exit 1."""
    command = [sys.executable, "-m", "finsam_cli", *args]
    if args == REPORT:
        command += ["--config", str(project / "finsam.toml")]
    env = {**os.environ, "PYTHONWARNINGS": "default"}
    reader, writer = os.pipe()
    os.close(reader)  # the reader has stopped before anything is written
    with subprocess.Popen(command, stdout=writer, stderr=subprocess.PIPE, env=env) as proc:
        os.close(writer)
        _, stderr = proc.communicate(timeout=120)
    assert stderr.decode() == ""
    assert proc.returncode == 1


BAD_DATE = "Personnummer;Insats;Inskrivningsdatum\n19900101-1234;Ung i Tyresö;2017-13-45\n"


@pytest.mark.parametrize(("args", "code", "stdout", "stderr"), [
    (["--version"], 0, "finsam 0.1.0\n", ""),
    (["maluppfyllelse", "2030", "--insats", "ung-i-tyreso", "--config", "{config}"], 2, "",
     "Usage error: no participant data for 2030: the data covers 2011-01-01 to 2018-10-31\n"),
    (["validera", "--typ", "deltagare", "{bad}"], 1, "ERROR  bad.csv (deltagare): 2 problems", ""),
], ids=["ok", "usage", "data"])
def test_the_process_ends_with_the_commands_exit_code_after_atexit_and_flushed_streams(
        project: Path, tmp_path: Path, args: list[str], code: int, stdout: str, stderr: str) -> None:
    """`main` ends the process itself (no interpreter teardown): the exit code is the command's, what was
    printed arrives whole, and the atexit handlers still run, their output flushed too."""
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD_DATE, encoding="utf-8")
    script = ("import atexit, sys\n"
              "atexit.register(lambda: sys.stdout.write('[atexit]'))\n"
              "from finsam_cli.cli.app import main\n"
              "sys.argv[0] = 'finsam'\n"
              "main()\n"
              "raise AssertionError('main returned')\n")
    argv = [a.format(config=project / "finsam.toml", bad=bad) for a in args]
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1"}
    env.pop("PYTHONUNBUFFERED", None)  # buffered, as a cron job's or a pipe's stdout is
    done = subprocess.run([sys.executable, "-c", script, *argv], capture_output=True, text=True, encoding="utf-8",
                          env=env, timeout=120, check=False)
    assert done.returncode == code, done.stderr
    assert done.stdout.startswith(stdout) and done.stdout.endswith("[atexit]")
    assert done.stdout == stdout + "[atexit]" or code == 1  # validera's table follows its first line
    assert done.stderr == stderr


def test_o_onto_a_device_or_fifo_is_a_usage_error_and_leaves_it_alone(run, project: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    targets = [fifo]
    if os.geteuid() == 0:  # a null device of our own, never the system's /dev/null
        device = tmp_path / "null.md"
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        targets.append(device)
    for target in targets:
        before = os.lstat(target).st_mode
        result = report(run, project, "-o", target)
        assert result.exit_code == 2, result.output
        assert f"-o {target}: not a regular file (a device, FIFO or socket)" in result.stderr
        assert os.lstat(target).st_mode == before


def test_o_through_a_symlink_writes_the_file_it_points_to_and_keeps_the_link(run, project: Path,
                                                                              tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    dangling = tmp_path / "dangling.md"
    dangling.symlink_to(tmp_path / "new.md")
    for target, written in ((link, real), (dangling, tmp_path / "new.md")):
        result = report(run, project, "-o", target)
        assert result.exit_code == 0, result.output
        assert target.is_symlink()
        assert written.read_text(encoding="utf-8").startswith("# ")
    assert not list(tmp_path.glob(".finsam-tmp-*"))


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EACCES])
def test_an_unwritable_target_says_cannot_write_and_exits_1(run, project: Path, tmp_path: Path, monkeypatch,
                                                            code: int) -> None:
    def refuse(path: Path, data: bytes) -> None:
        raise OSError(code, os.strerror(code), str(path))

    monkeypatch.setattr(pipeline, "write_atomic", refuse)
    target = tmp_path / "r.xlsx"
    result = report(run, project, "-o", target)
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot write: {os.strerror(code)} ({target})\n"


# --- --logg ------------------------------------------------------------------------------------------


def test_a_log_on_a_full_disk_warns_once_and_keeps_the_exit_code(run, project: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    result = export(run, project, "--logg", "/dev/full")
    assert result.exit_code == 0, result.output
    assert "Logging error" not in result.stderr and "Traceback" not in result.stderr
    warnings = [line for line in result.stderr.splitlines() if "cannot write the log" in line]
    assert warnings == ["warning: --logg /dev/full: cannot write the log (No space left on device); the rest of "
                        "this run's log is not written there"]
    assert (project.parent / "ut" / "2017" / "manifest.json").is_file()


# --- the export's targets and its manifest -----------------------------------------------------------


def test_a_folder_in_a_reports_place_stops_the_export_before_anything_is_replaced(run, project: Path) -> None:
    assert export(run, project).exit_code == 0
    year = project.parent / "ut" / "2017"
    blocked = year / "uppfoljning_2017.md"
    blocked.unlink()
    blocked.mkdir()
    before = {p.name: p.stat().st_mtime_ns for p in year.iterdir() if p.is_file()}
    result = export(run, project, "--tvinga")
    assert result.exit_code == 1
    assert "1 report file name(s) are taken by something that is not a file" in result.stderr
    assert "2017/uppfoljning_2017.md: not a regular file" in result.stderr
    assert "were replaced before the failure" not in result.stderr
    assert {p.name: p.stat().st_mtime_ns for p in year.iterdir() if p.is_file()} == before  # manifest too


def test_kontrollera_names_each_missing_or_changed_file(run, project: Path) -> None:
    assert export(run, project).exit_code == 0
    year = project.parent / "ut" / "2017"
    whole = run("export", "--kontrollera", year)
    assert whole.exit_code == 0, whole.output
    files = len(json.loads((year / "manifest.json").read_text(encoding="utf-8"))["files"])
    assert files >= 10
    assert whole.stdout.startswith(f"{year}: OK, {files} files match manifest.json (export of ")
    (year / "budget-avvikelse_2017.md").write_text("edited", encoding="utf-8")
    (year / "uppfoljning_2017.md").unlink()
    broken = run("export", "--kontrollera", year)
    assert broken.exit_code == 1
    assert broken.stderr.splitlines() == [f"{year}: budget-avvikelse_2017.md was changed",
                                          f"{year}: uppfoljning_2017.md is missing"]


def test_a_run_killed_during_the_renames_leaves_a_set_kontrollera_refuses(run, project: Path,
                                                                          monkeypatch) -> None:
    assert export(run, project).exit_code == 0
    year = project.parent / "ut" / "2017"
    real_replace = os.replace
    seen: list[str] = []

    def killed(src, dst):  # kill -9 after the first rename: nothing after it runs
        if str(dst).endswith(".md"):
            if seen:
                raise SystemExit(137)
            seen.append(str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(runmod.os, "replace", killed)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764115200")  # a day later: every file differs
    export(run, project, "--tvinga")
    monkeypatch.undo()
    assert len(seen) == 1 and not (year / "manifest.json").exists()  # removed before the first rename
    result = run("export", "--kontrollera", year)
    assert result.exit_code == 1
    assert "no manifest.json: an export was interrupted while replacing files" in result.stderr
    again = export(run, project)
    assert again.exit_code == 0 and "the previous export did not finish" in again.stderr
    assert run("export", "--kontrollera", year).exit_code == 0


# --- what the terminal shows -------------------------------------------------------------------------


def test_escape_sequences_in_file_names_are_shown_escaped(run, project: Path, tmp_path: Path) -> None:
    hostile = tmp_path / "del\x1b[2J\x1b]0;owned\x07\x1b[31mtagare.csv"
    hostile.write_text("Deltagar-ID;Insats;Kön;Inskrivningsdatum\nP1;X;Hen;2017-01-01\n", encoding="utf-8")
    terminal = {"color": True}  # as on a terminal: click strips nothing
    for result in (run("validera", hostile, **terminal), run(*REPORT, "--deltagare", hostile, **terminal),
                   run("export", "2017", "--till", project.parent / "ut", "--deltagare", hostile, **terminal)):
        assert result.exit_code == 1
        assert "\x1b" not in result.output and "\x07" not in result.output
        assert "del\\x1b[2J\\x1b]0;owned\\x07\\x1b[31mtagare.csv" in result.output, result.output


def test_debug_before_the_subcommand_shows_the_traceback_redacted(run, project: Path, tmp_path: Path) -> None:
    bad = tmp_path / "deltagare_19121212-1212.csv"
    bad.write_text("Deltagar-ID;Insats;Kön;Inskrivningsdatum\nP1;X;Hen;2017-01-01\n", encoding="utf-8")
    for command in ("export", "maluppfyllelse"):
        args = ["--till", project.parent / "ut"] if command == "export" else []
        result = run("--debug", command, "2017", "--deltagare", bad, *args)
        assert result.exit_code == 1
        assert "Traceback (most recent call last)" in result.stderr, result.stderr
        assert "1212" not in result.output and "deltagare_[personnummer].csv" in result.output


def test_a_usage_error_from_the_option_parser_is_filtered_too(run, tmp_path: Path) -> None:
    taken = tmp_path / "rapporter_19121212-1212\x1b[2J"
    taken.write_text("", encoding="utf-8")
    result = run("export", "2017", "--till", taken, color=True)
    assert result.exit_code == 2
    assert "rapporter_[personnummer]\\x1b[2J" in result.stderr, result.stderr
    assert "1212" not in result.stderr and "\x1b" not in result.stderr


def test_the_terminal_filter_keeps_typers_colours_but_escapes_everything_else() -> None:
    from finsam_cli.errors import escape_controls, shown

    coloured = "\x1b[1mUsage:\x1b[0m finsam \x1b[2J\x1b]52;c;Zm9v\x07 19121212-1212\r"
    assert escape_controls(coloured, keep_colours=True) == \
        "\x1b[1mUsage:\x1b[0m finsam \\x1b[2J\\x1b]52;c;Zm9v\\x07 19121212-1212\\x0d"
    assert shown(coloured) == "\\x1b[1mUsage:\\x1b[0m finsam \\x1b[2J\\x1b]52;c;Zm9v\\x07 [personnummer]\\x0d"
    assert shown("tab\tand\nnewline stay") == "tab\tand\nnewline stay"


@pytest.mark.parametrize(("given", "seen"), [(None, "1"), ("4", "4")], ids=["default", "the user's"])
def test_the_entry_point_keeps_openblas_to_one_thread_unless_told(given: str | None, seen: str) -> None:
    """numpy's OpenBLAS threads spin while pandas loads (0.1 s of CPU); finsam multiplies no matrices."""
    script = ("import atexit, os, sys\n"
              "atexit.register(lambda: sys.stdout.write(os.environ['OPENBLAS_NUM_THREADS'] + ' '"
              " + str('numpy' in sys.modules)))\n"
              "from finsam_cli.cli.app import main\n"
              "sys.argv = ['finsam', 'validera', '--typ', 'budget', 'sample_data/budget.csv']\n"
              "main()\n")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if given is not None:
        env["OPENBLAS_NUM_THREADS"] = given
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False,
                          cwd=Path(__file__).resolve().parent.parent, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith(f"{seen} True")  # numpy loaded after it was set
