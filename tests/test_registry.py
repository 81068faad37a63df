"""The report registry is the one list of reports: the CLI, the export and the README follow it."""

from __future__ import annotations

import re

from finsam_cli.cli.app import app
from finsam_cli.inputs.schema import FileKind
from finsam_cli.reports.registry import REPORTS

from .conftest import ROOT

ROW = re.compile(r"^\| `finsam ([a-z-]+)` \| ([^|]+) \| ([^|]+) \|$")


def test_the_readme_command_table_matches_the_registry() -> None:
    rows = {m[1]: (m[2].strip(), m[3].strip())
            for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines() if (m := ROW.match(line))}
    for report in REPORTS:
        assert rows.get(report.command) == (report.audience, report.summary), report.command
    reports = [c for c in rows if c in {r.command for r in REPORTS}]
    assert reports == [r.command for r in REPORTS]  # in the registry's order


def test_every_report_is_a_command_with_a_template_and_known_inputs() -> None:
    commands = {c.name for c in app.registered_commands}
    kinds = {k.value for k in FileKind}
    for report in REPORTS:
        assert report.command in commands
        assert (ROOT / "templates" / f"{report.name}.md.j2").is_file()
        assert set(report.required) | set(report.optional) <= kinds, report.command
        assert report.params.__dataclass_params__.frozen  # type: ignore[attr-defined]
