"""A plain `pip install` of the wheel into a fresh virtualenv works from any directory.

Slow (builds a wheel, makes a venv); it runs in `make test` all the same.
"""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT, SAMPLE

pytestmark = pytest.mark.slow


def sh(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, check=True)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("wheel")
    sh(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", base / "dist", ROOT)
    [wheel] = list((base / "dist").glob("finsam-*.whl"))
    assert "finsam_cli/templates/_macros.md.j2" in zipfile.ZipFile(wheel).namelist()
    env = base / "venv"
    # Reuse this interpreter's installed dependencies; the point is finsam's own packaging.
    venv.create(env, with_pip=True, system_site_packages=False)
    site = next((env / "lib").glob("python3*/site-packages"))
    deps = [p for p in sys.path if p.endswith("site-packages")]
    (site / "_finsam_test_deps.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")
    sh(env / "bin" / "python", "-m", "pip", "install", "--no-deps", "--quiet", wheel)
    return env / "bin"


def test_installed_finsam_runs_help_and_a_report_elsewhere(installed: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    help_out = sh(installed / "finsam", "--help", cwd=elsewhere)
    assert "maluppfyllelse" in help_out.stdout
    origin = sh(installed / "python", "-c", "import finsam_cli; print(finsam_cli.__file__)", cwd=elsewhere)
    assert not origin.stdout.startswith(str(ROOT / "finsam_cli")), "ran the checkout, not the wheel"
    report = sh(installed / "finsam", "maluppfyllelse", "2017", "--insats", "ung-i-tyreso",
                "--config", ROOT / "finsam.toml", cwd=elsewhere)
    assert "# Måluppfyllelse" in report.stdout
    assert "Exempeldata" in report.stdout
    assert SAMPLE.exists()
