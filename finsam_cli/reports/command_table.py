"""The README's command table, generated from the registry so a new report changes the README only by
regeneration: `make readme` rewrites the block between the markers, `tests/test_registry.py` checks it."""

from __future__ import annotations

import sys
from pathlib import Path

from .registry import REPORTS

BEGIN = "<!-- commands: generated from finsam_cli/reports/registry.py by `make readme` -->"
END = "<!-- /commands -->"

# The commands that are not reports: (command, for whom, what it does).
TOOLS = (
    ("export", "a cron job", "every report, Markdown and Excel, onto a shared drive, atomically"),
    ("validera", "everyone", "checks input files against the data contract"),
    ("init", "everyone", "writes a commented starter `finsam.toml`"),
)


def command_table() -> str:
    """The table's lines between the markers: one row per report in the registry's order, then the tools."""
    rows = [(r.command, r.audience, r.summary) for r in REPORTS] + list(TOOLS)
    lines = ["| Command | For | What it makes |", "|---|---|---|"]
    lines += [f"| `finsam {command}` | {audience} | {summary} |" for command, audience, summary in rows]
    return "\n".join(lines)


def with_table(readme: str) -> str:
    """The README text with the block between the markers replaced by the generated table."""
    head, begin, rest = readme.partition(BEGIN)
    _, end, tail = rest.partition(END)
    if not begin or not end:
        raise ValueError(f"the README lacks the markers {BEGIN!r} … {END!r}")
    return f"{head}{BEGIN}\n{command_table()}\n{END}{tail}"


def main(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(with_table(text), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "README.md"))
