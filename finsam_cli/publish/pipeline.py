"""The one production pipeline: build a report, protect it, render it, write it.

Every single-report command and the export go through here, so the protection policy, the
formats and the rendering live in one place.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..collection import loading_for_good
from ..errors import DataError, FinsamError, UsageError, redact_personnummer
from .atomic import write_atomic
from .formats import BINARY, Format
from .redact import redact_report

if TYPE_CHECKING:
    from ..inputs.session import Session
    from ..reports.contract import ReportType
    from ..reports.model import Report

LISTED_PROBLEMS = 50
STDOUT = Path("-")  # `-o -`: the report on stdout
_SUFFIX_FORMAT: dict[str, Format] = {".md": "md", ".markdown": "md", ".txt": "md", ".xlsx": "xlsx", ".docx": "docx"}


class WriteError(FinsamError):
    """The disk or share refused the output (read-only, full, gone): exit 1, never an internal error."""


def choose_format(fmt: str | None, output: Path | None) -> str:
    if output == STDOUT:
        return fmt or "md"
    by_suffix = _SUFFIX_FORMAT.get(output.suffix.lower()) if output is not None else None
    if output is not None and by_suffix is None and fmt is None:
        raise UsageError(f"-o {output}: cannot tell the format from the suffix; use .md, .xlsx or .docx, or --format")
    if fmt is not None and by_suffix is not None and fmt != by_suffix:
        raise UsageError(f"--format {fmt} does not match the suffix of -o {output}")
    chosen = fmt or by_suffix or "md"
    if chosen in BINARY and output is None:
        raise UsageError(f"{chosen} output needs a file: give -o REPORT.{chosen}")
    return chosen


def protect_set(reports: Sequence[Report], minimum: int) -> list[Report]:
    """Small-count protection with this minimum, over every report of a published set together (one report, or
    the files of an export): counts of 1..minimum−1 persons hidden, and others until the audit passes; below 2,
    none."""
    if minimum < 2:
        return list(reports)
    from ..disclosure.published import protect_all

    return protect_all(reports, minimum)


def produce(kind: ReportType, params: Any, session: Session, minimum: int | None = None) -> Report:
    """Build the report and protect it. `minimum` None: `[sekretess] minsta_antal` (0, off, by default)."""
    report = kind.build(session, params)
    return protect_set([report], session.config.sekretess.minsta_antal if minimum is None else minimum)[0]


def render(report: Report, fmt: str, templates: Path | None = None) -> bytes:
    """The file's bytes. The one file exit: every text of the report is redacted before any renderer
    sees it (names, config values, sheet names, document properties), and Markdown once more whole
    (templates)."""
    return render_formats(report, (fmt,), templates)[0]


def render_formats(report: Report, formats: Sequence[str], templates: Path | None = None) -> list[bytes]:
    """The report in each format, redacted once for all of them."""
    report = redact_report(report)
    return [_render_redacted(report, fmt, templates) for fmt in formats]


def prepare_renderers(formats: Sequence[str]) -> None:
    """Import the renderers of these formats now (before an export forks its second renderer)."""
    for fmt in formats:
        import_module({"xlsx": "..render.excel", "docx": "..render.docx"}.get(fmt, "..render.markdown"), __package__)


def _render_redacted(report: Report, fmt: str, templates: Path | None) -> bytes:
    if fmt == "xlsx":
        from ..render.excel import render_xlsx

        return render_xlsx(report)
    if fmt == "docx":
        from ..render.docx import render_docx

        return render_docx(report)
    with loading_for_good("finsam_cli.render.markdown"):  # jinja2 and the compiled templates stay loaded
        from ..render.markdown import render_markdown

    return redact_personnummer(render_markdown(report, templates)).encode("utf-8")


def emit(report: Report, fmt: str | None, output: Path | None,
         templates: Path | None = None) -> str | bytes | None:
    """Write to `output` (atomically), or return what goes to stdout: Markdown text, or a binary
    format's bytes for `-o -`."""
    chosen = choose_format(fmt, output)
    target = None if output is None or output == STDOUT else writable_target(output)
    data = render(report, chosen, templates)
    if target is None:
        return data if chosen in BINARY else data.decode("utf-8")
    try:
        write_atomic(target, data)
    except OSError as exc:
        raise WriteError(cannot_write(exc, output)) from None
    return None


def writable_target(output: Path) -> Path:
    """Where `-o` writes: a regular file or a new name. A symlink is written through (the file it points
    to is replaced; the link stays); a device, FIFO or folder is a usage error, never replaced."""
    target = output.resolve() if output.is_symlink() else output
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise WriteError(cannot_write(exc, output)) from None
    if not stat.S_ISREG(mode):
        what = "a folder" if stat.S_ISDIR(mode) else "not a regular file (a device, FIFO or socket)"
        raise UsageError(f"-o {output}: {what}; give the name of a file to write (or -o - for stdout)")
    return target


def cannot_write(exc: OSError, where: Path | str | None = None) -> str:
    """`cannot write: No space left on device (report.xlsx)`: the OS's reason and the file."""
    named = where if where is not None else exc.filename
    return f"cannot write: {exc.strerror or type(exc).__name__}" + (f" ({named})" if named else "")


def describe_error(exc: BaseException) -> list[str]:
    """Why something failed, for a person (the CLI and the export log); never a data value from an
    unexpected exception."""
    if isinstance(exc, DataError):
        lines = str(exc).splitlines() + [f"  {p}" for p in exc.problems[:LISTED_PROBLEMS]]
        shown = min(len(exc.problems), LISTED_PROBLEMS)
        if exc.total > shown:
            lines.append(f"  … and {exc.total - shown} more")
        return lines
    if isinstance(exc, FinsamError):
        return str(exc).splitlines() or [type(exc).__name__]
    if isinstance(exc, KeyboardInterrupt):
        return ["interrupted"]
    if isinstance(exc, OSError):  # the disk or share, not a bug: full, gone, no permission
        return [cannot_write(exc)]
    return [f"internal error ({type(exc).__name__}); this is a bug in finsam. "
            "Run again with --debug for the traceback."]
