"""The test helpers that guard CI: golden files are only rewritten on request, never under CI=true, and a test
needing LibreOffice skips on a developer's machine without it but fails in CI."""

from __future__ import annotations

from pathlib import Path

import pytest

from . import conftest
from .conftest import assert_golden, office, update_golden


@pytest.mark.parametrize("value", ["", "0"])
def test_zero_or_empty_compares_golden_files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str) -> None:
    monkeypatch.setenv("FINSAM_UPDATE_GOLDEN", value)
    monkeypatch.setattr(conftest, "GOLDEN", tmp_path)
    (tmp_path / "x.md").write_text("old\n", encoding="utf-8")
    assert not update_golden()
    with pytest.raises(AssertionError):
        assert_golden("x.md", "new\n")
    assert (tmp_path / "x.md").read_text(encoding="utf-8") == "old\n"


def test_one_rewrites_golden_files_outside_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FINSAM_UPDATE_GOLDEN", "1")
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(conftest, "GOLDEN", tmp_path)
    assert_golden("x.md", "new\n")
    assert (tmp_path / "x.md").read_text(encoding="utf-8") == "new\n"


@pytest.mark.parametrize(("ci", "update"), [("true", "1"), ("", "yes")])
def test_an_update_request_in_ci_or_a_bad_value_is_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                             ci: str, update: str) -> None:
    monkeypatch.setenv("CI", ci)
    monkeypatch.setenv("FINSAM_UPDATE_GOLDEN", update)
    monkeypatch.setattr(conftest, "GOLDEN", tmp_path)
    with pytest.raises(pytest.fail.Exception, match="FINSAM_UPDATE_GOLDEN"):
        assert_golden("x.md", "new\n")
    assert not (tmp_path / "x.md").exists()


@pytest.mark.parametrize(("ci", "outcome"), [("true", pytest.fail.Exception), ("", pytest.skip.Exception)])
def test_missing_libreoffice_fails_in_ci_and_skips_elsewhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                             ci: str, outcome: type[BaseException]) -> None:
    monkeypatch.setenv("CI", ci)
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no soffice, no libreoffice
    with pytest.raises(outcome, match="LibreOffice is not installed"):
        office()
