"""The README's examples are real: every ```console block is run and compared with its output.

Rules for a console block: a line `$ COMMAND` is typed, the lines up to the next `$` line are what it
prints (stdout and stderr as a terminal shows them, trailing spaces ignored). A line that is only `…`
stands for any run of lines, none included. A block that starts with `$ finsam init` runs in an empty
folder; every other block runs in a folder that looks like the checkout (its `finsam.toml`, which points
at `sample_data/`, and `sample_data/` and `tests/` linked in), so a command may write files there.
Besides `finsam`, a block may use `head -N FILE`. The time is fixed (conftest), so "Skapad 2025-11-25" holds.
"""

from __future__ import annotations

import glob
import re
import shlex
import tomllib
import types
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

from finsam_cli.config import Config, parse_config

from .conftest import ROOT

README = ROOT / "README.md"
ELLIPSIS = "…"


def blocks(language: str) -> list[tuple[int, list[str]]]:
    """(line number, lines) of every fenced block of this language in the README."""
    found: list[tuple[int, list[str]]] = []
    current: list[str] | None = None
    start = 0
    for number, line in enumerate(README.read_text(encoding="utf-8").splitlines(), 1):
        if current is None and line == f"```{language}":
            current, start = [], number
        elif current is not None and line == "```":
            found.append((start, current))
            current = None
        elif current is not None:
            current.append(line)
    return found


def commands(lines: list[str]) -> list[tuple[str, list[str]]]:
    """The block as (command, expected output lines)."""
    assert lines and lines[0].startswith("$ "), "a console block starts with a $ line"
    steps: list[tuple[str, list[str]]] = []
    for line in lines:
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            steps[-1][1].append(line)
    return [(command, drop_trailing_blanks(out)) for command, out in steps]


def drop_trailing_blanks(lines: list[str]) -> list[str]:
    lines = [line.rstrip() for line in lines]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def matches(expected: list[str], actual: list[str]) -> bool:
    """True when ACTUAL is EXPECTED with each `…` line standing for any run of lines."""
    pattern = "".join(".*" if line == ELLIPSIS else re.escape(line + "\n") for line in expected)
    return re.fullmatch(pattern, "".join(line + "\n" for line in actual), re.DOTALL) is not None


def test_elision_rule() -> None:
    assert matches(["a", ELLIPSIS, "d"], ["a", "b", "c", "d"])
    assert matches(["a", ELLIPSIS, "b"], ["a", "b"])
    assert matches([ELLIPSIS, "c", ELLIPSIS], ["a", "b", "c", "d"])
    assert not matches(["a", "c"], ["a", "b", "c"])
    assert not matches(["a", ELLIPSIS], ["b", "a"])
    assert not matches(["a"], ["a", "b"])


def execute(run, command: str, cwd: Path) -> list[str]:
    words = shlex.split(command)
    if words[0] == "head":
        count = int(words[1].removeprefix("-"))
        return (cwd / words[2]).read_text(encoding="utf-8").splitlines()[:count]
    assert words[0] == "finsam", f"a README example may run finsam or head, not {words[0]}"
    args = [a for w in words[1:] for a in (sorted(glob.glob(w, root_dir=cwd)) if "*" in w else [w])]
    result = run(*args)
    assert not result.exception or isinstance(result.exception, SystemExit), result.exception
    return drop_trailing_blanks(result.output.splitlines())


CONSOLE = blocks("console")


@pytest.mark.parametrize(("start", "lines"), CONSOLE, ids=[f"README.md:{s}" for s, _ in CONSOLE])
def test_console_example_matches_real_output(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             start: int, lines: list[str]) -> None:
    steps = commands(lines)
    cwd = tmp_path / "checkout"
    cwd.mkdir()
    if steps[0][0] != "finsam init":
        for name in ("finsam.toml", "sample_data", "tests"):
            (cwd / name).symlink_to(ROOT / name)
    monkeypatch.chdir(cwd)
    for command, expected in steps:
        actual = execute(run, command, cwd)
        assert matches(expected, actual), (f"README.md:{start}: `{command}` printed:\n" + "\n".join(actual))


def test_every_command_has_a_console_example() -> None:
    from finsam_cli.cli.app import app

    shown = {shlex.split(line)[2] for _, lines in CONSOLE for line in lines if line.startswith("$ finsam ")}
    names = {c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands}
    assert names <= shown, f"commands without a console example in the README: {sorted(names - shown)}"


# -- the full configuration ----------------------------------------------------------------------------
def full_configuration() -> str:
    [text] = [lines for _, lines in blocks("toml") if lines[0] == "[forbund]"]
    return "\n".join(text) + "\n"


def keys_of(model: type[BaseModel], prefix: str = "") -> set[str]:
    """Every setting of a config model, dotted (mappings keyed by the user's own names stop there)."""
    found = set()
    for name, field in model.model_fields.items():
        found.add(prefix + name)
        annotation = field.annotation
        args = typing.get_args(annotation) if isinstance(annotation, types.UnionType) else (annotation,)
        for arg in args:
            inner = typing.get_args(arg)[0] if typing.get_origin(arg) is list else arg
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                found |= keys_of(inner, f"{prefix}{name}.")
    return found


def test_the_full_configuration_is_valid(tmp_path: Path) -> None:
    """The README's full configuration is a separate example (not this checkout's finsam.toml): it must load."""
    path = tmp_path / "finsam.toml"
    path.write_text(full_configuration(), encoding="utf-8")
    config = parse_config(path)
    assert config.forbund.namn == "Samordningsförbundet Östra Södertörn"
    assert config.insatser[0].mal[2017].andel_arbete_studier == 65


def test_the_full_configuration_shows_every_setting() -> None:
    text = full_configuration()
    written = set()

    def walk(table: dict, prefix: str) -> None:
        for key, value in table.items():
            written.add(prefix + key)
            if isinstance(value, dict):
                walk(value, f"{prefix}{key}.")
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                for item in value:
                    walk(item, f"{prefix}{key}.")

    walk(tomllib.loads(text), "")
    commented = set(re.findall(r"^# (\w+) =", text, re.MULTILINE))
    settings = keys_of(Config) - {"source"}  # where the file was read from: set by finsam, not by the user
    missing = {k for k in settings if k not in written and k.rsplit(".", 1)[-1] not in commented}
    assert not missing, f"settings the README's full configuration does not show: {sorted(missing)}"
