"""The committed sample_data/ is exactly what sample_data/generate.py writes, so goldens cannot drift from it."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from .conftest import SAMPLE


def test_committed_sample_data_equals_the_generator_output(tmp_path: Path, capsys: pytest.CaptureFixture,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    spec = importlib.util.spec_from_file_location("sample_generate", SAMPLE / "generate.py")
    assert spec is not None and spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, generate)  # its dataclasses look themselves up there
    spec.loader.exec_module(generate)
    out = tmp_path / "generated"
    out.mkdir()
    generate.main([str(out)])
    assert "Publicerade nyckeltal kontrollerade: OK" in capsys.readouterr().out

    written = sorted(p.name for p in out.iterdir())
    committed = sorted(p.name for p in SAMPLE.iterdir() if p.is_file() and p.name != "generate.py")
    assert written == committed, "sample_data/ and the generator's files differ: run make sample-data"
    changed = [name for name in written if (out / name).read_bytes() != (SAMPLE / name).read_bytes()]
    assert not changed, f"sample_data/ differs from what generate.py writes: {changed}; run make sample-data"
