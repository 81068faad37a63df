"""Turn a report into bytes in the asked format and put them where they belong."""

from __future__ import annotations

from pathlib import Path

from ..errors import UsageError
from ..publish.atomic import write_atomic
from ..reports.model import Report

FORMATS = ("md", "xlsx")
_SUFFIX_FORMAT = {".md": "md", ".markdown": "md", ".txt": "md", ".xlsx": "xlsx"}


def choose_format(fmt: str | None, output: Path | None) -> str:
    by_suffix = _SUFFIX_FORMAT.get(output.suffix.lower()) if output is not None else None
    if output is not None and by_suffix is None and fmt is None:
        raise UsageError(f"-o {output}: cannot tell the format from the suffix; use .md or .xlsx, or --format")
    if fmt is not None and by_suffix is not None and fmt != by_suffix:
        raise UsageError(f"--format {fmt} does not match the suffix of -o {output}")
    chosen = fmt or by_suffix or "md"
    if chosen == "xlsx" and output is None:
        raise UsageError("xlsx output needs a file: give -o REPORT.xlsx")
    return chosen


def render(report: Report, fmt: str, templates: Path | None = None) -> bytes:
    if fmt == "xlsx":
        from .excel import render_xlsx

        return render_xlsx(report)
    from .markdown import render_markdown

    return render_markdown(report, templates).encode("utf-8")


def emit(report: Report, fmt: str | None, output: Path | None, templates: Path | None = None) -> str | None:
    """Write to `output` (atomically), or return Markdown text for stdout."""
    chosen = choose_format(fmt, output)
    data = render(report, chosen, templates)
    if output is None:
        return data.decode("utf-8")
    write_atomic(output, data)
    return None
