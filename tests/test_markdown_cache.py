"""finsam's own templates are compiled once and kept; a cache that cannot be written changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import FileSystemBytecodeCache

from finsam_cli.render import markdown


def test_the_package_templates_are_cached_and_a_users_are_not(tmp_path: Path) -> None:
    assert isinstance(markdown.environment().bytecode_cache, FileSystemBytecodeCache)
    (tmp_path / "mallar").mkdir()
    assert markdown.environment(tmp_path / "mallar").bytecode_cache is None


def test_a_cached_template_renders_as_a_compiled_one(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    cache = markdown._QuietCache(str(tmp_path))
    monkeypatch.setattr(markdown, "_compiled_cache", lambda: cache)
    first = markdown.environment().get_template("maluppfyllelse.md.j2")
    assert len(list(tmp_path.iterdir())) >= 1  # written on first use
    again = markdown.environment().get_template("maluppfyllelse.md.j2")  # read back from the cache
    assert again.root_render_func.__code__.co_code == first.root_render_func.__code__.co_code


def test_a_cache_that_cannot_be_written_is_quiet(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    cache = markdown._QuietCache(str(tmp_path / "missing"))  # no such folder: writing fails
    monkeypatch.setattr(markdown, "_compiled_cache", lambda: cache)
    assert markdown.environment().get_template("enkat.md.j2").render is not None


def test_the_cache_file_names_carry_finsams_version_and_options() -> None:
    cache = markdown._compiled_cache()
    assert cache is not None
    assert cache.pattern.startswith(f"finsam-{markdown.__version__}-")
