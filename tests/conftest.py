"""Deterministic test environment: fixed time, width, no colour, a fixed pseudonym key."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property and fuzz tests: the same cases on every run and machine, and no wall-clock deadline
# (a loaded CI machine must not turn a slow example into a failure).
settings.register_profile("finsam", derandomize=True, deadline=None, database=None)
settings.load_profile("finsam")

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SAMPLE = ROOT / "sample_data"
GOLDEN = Path(__file__).resolve().parent / "golden"
FIXED_EPOCH = "1764028800"  # 2025-11-25 00:00 UTC

os.environ.update({"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb", "SOURCE_DATE_EPOCH": FIXED_EPOCH,
                   "FINSAM_PSEUDONYM_NYCKEL": "test-key-not-secret-0123456789"})
os.environ.pop("FINSAM_CONFIG", None)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Each test runs in an empty folder (no ./finsam.toml) with its own config home."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config-home"))


@pytest.fixture
def run():
    """Invoke the CLI like a user; returns the result with separate stdout/stderr."""
    from typer.testing import CliRunner

    from finsam_cli.cli.app import app

    runner = CliRunner()

    def invoke(*args: str, **kwargs):
        return runner.invoke(app, [str(a) for a in args], **kwargs)

    return invoke


def assert_golden(name: str, text: str) -> None:
    """Compare with tests/golden/NAME; FINSAM_UPDATE_GOLDEN=1 (make test-update) rewrites it."""
    path = GOLDEN / name
    if os.environ.get("FINSAM_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"golden file {name} missing: run make test-update"
    assert text == path.read_text(encoding="utf-8")
