"""`finsam export [ÅR]`: every report for a year into a folder, safely, for a scheduled job."""

from __future__ import annotations

import logging  # stdlib, already loaded by typer: costs --help nothing
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ..options import (
    AnonymaOpt,
    BefolkningOpt,
    BudgetOpt,
    ConfigOpt,
    DebugOpt,
    DeltagareOpt,
    FinansieringOpt,
    ForklaringarOpt,
    MallarOpt,
    SkyddaOpt,
    TkrOpt,
    UtfallOpt,
    debug_on,
)

LOGGER = "finsam.export"


def export(
    ar: Annotated[int | None, typer.Argument(
        help="The year to export (default: the latest year the participant data covers in full, with --halvar "
             "the latest first half; without participant data, the latest year of the outcome (SIE: the latest "
             "whole #RAR year), else the budget, else the survey answers. The log says which and why).",
        metavar="ÅR", min=1900, max=2100,
        show_default=False)] = None,
    till: Annotated[Path | None, typer.Option(
        "--till", help="Target folder; the reports go into DIR/ÅR/ (default: export.katalog in finsam.toml).",
        metavar="DIR", file_okay=False, show_default=False)] = None,
    fmt: Annotated[str | None, typer.Option(
        "--format", help="Formats, comma-separated: md, xlsx, docx, e.g. md,xlsx (default: export.format in "
                         "finsam.toml, else md,xlsx).", metavar="FORMAT[,FORMAT]", show_default=False)] = None,
    halvar: Annotated[bool, typer.Option(
        "--halvar", help="The half-year reports (January–June); file names end in _halvar.")] = False,
    rapport: Annotated[str | None, typer.Option(
        "--rapport", help="Only these reports, comma-separated, e.g. maluppfyllelse,budget-avvikelse (default: "
                          "export.rapporter in finsam.toml, else every report).", metavar="RAPPORT[,RAPPORT]",
        show_default=False)] = None,
    deltagare: DeltagareOpt = None,
    anonyma: AnonymaOpt = None,
    budget: BudgetOpt = None,
    utfall: UtfallOpt = None,
    finansiering: FinansieringOpt = None,
    forklaringar: ForklaringarOpt = None,
    befolkning: BefolkningOpt = None,
    tkr: TkrOpt = False,
    skydda: SkyddaOpt = None,
    mallar: MallarOpt = None,
    tvinga: Annotated[bool, typer.Option(
        "--tvinga", help="Write every file even when nothing has changed since the last export.")] = False,
    kontrollera: Annotated[Path | None, typer.Option(
        "--kontrollera", help="Only check an exported set against its manifest (exit 0 when every file matches, "
                              "1 naming each missing or changed file); exports nothing.",
        metavar="DIR/ÅR", file_okay=False, show_default=False)] = None,
    logg: Annotated[Path | None, typer.Option(
        "--logg", help="Append the log to this file instead of stderr (errors still go to stderr too).",
        metavar="FILE", dir_okay=False, show_default=False)] = None,
    config: ConfigOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Export every report for a year into DIR/ÅR/, all or nothing, with a manifest.

    Each file is written whole or not at all; if any report fails, no file is replaced.
    Nothing is rewritten when the inputs, the configuration and finsam are unchanged.
    Exit codes: 0 done (or nothing to do), 1 data or input problem (or no report can be made), 2 usage
    error (a bad option or year), 3 another export is running.
    """
    from ...collection import loading_for_good

    with loading_for_good("finsam_cli.publish.run"):
        from ...errors import FinsamError
        from ...inputs.schema import FileKind
        from ...publish.run import ExportRequest, parse_formats, parse_reports, run_export

    if kontrollera is not None:
        _check_set(kontrollera)
        return

    request = ExportRequest(
        config=config,
        overrides={FileKind.DELTAGARE: deltagare, FileKind.ANONYMA: anonyma, FileKind.BUDGET: budget,
                   FileKind.UTFALL: utfall, FileKind.FINANSIERING: finansiering,
                   FileKind.FORKLARINGAR: forklaringar, FileKind.BEFOLKNING: befolkning},
        target=till, year=ar, formats=parse_formats(fmt) if fmt is not None else None, halvar=halvar,
        reports=parse_reports(rapport) if rapport is not None else None,
        tkr=tkr, skydda=skydda, templates=mallar, force=tvinga)

    logger = logging.getLogger(LOGGER)
    output = _Output(logger, logg, interactive=sys.stderr.isatty())
    try:
        with output:
            run_export(request, output.progress)
    except FinsamError as exc:
        if debug or debug_on():
            raise
        raise typer.Exit(exc.exit_code) from None  # the reason is in the log already
    except Exception:
        if debug or debug_on():
            raise
        raise typer.Exit(1) from None


def _check_set(folder: Path) -> None:
    """`--kontrollera DIR/ÅR`: every manifest in the folder against the files; exit 1 naming each difference."""
    from ...publish.manifest import verify_set

    lines, ok = verify_set(folder)
    for line in lines:
        typer.echo(line, err=not ok)
    if not ok:
        raise typer.Exit(1)


class _Formatter(logging.Formatter):
    """`2025-11-25T00:00:00Z wrote 2017/…`: finsam's clock (so SOURCE_DATE_EPOCH holds), in UTC."""

    def format(self, record: logging.LogRecord) -> str:
        from ... import clock
        from ...errors import shown

        stamp = clock.now().strftime("%Y-%m-%dT%H:%M:%SZ")
        prefix = {logging.ERROR: "error: ", logging.WARNING: "warning: "}.get(record.levelno, "")
        return shown(f"{stamp} {prefix}{record.getMessage()}")  # the log's exit: terminal, --logg and cron's mail


class _Output:
    """Where the log goes: plain lines to stderr (or --logg); on a terminal, a rich progress bar too.

    Without a terminal there are no colours, bars or prompts: one line per event, nothing else.
    """

    def __init__(self, logger: logging.Logger, log_file: Path | None, interactive: bool) -> None:
        self.logger = logger
        self.log_file = log_file
        self.interactive = interactive
        self.handlers: list[logging.Handler] = []
        # Opened now, so that a log file that cannot be opened is a usage error before anything runs.
        self.file_handler = _file_handler(log_file) if log_file is not None else None
        self.bar: Any = None
        self.task: Any = None
        self.saved: tuple[int, bool] = (logging.NOTSET, True)

    def __enter__(self) -> _Output:
        formatter = _Formatter()
        console: Any = None
        if self.interactive:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            from ..streams import unfiltered

            console = Console(file=unfiltered(sys.stderr))  # draws the bar itself; log lines come filtered
            self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                TimeElapsedColumn(), console=console, transient=True)
            self.bar.start()
            self.task = self.bar.add_task("reading the data", total=None)
        terminal_level = logging.INFO
        if self.file_handler is not None:
            self._add(self.file_handler, formatter, logging.INFO)
            if not self.interactive:
                terminal_level = logging.WARNING  # a scheduled job's mail shows stderr: failures go there too
        handler = _ConsoleHandler(console) if console is not None else logging.StreamHandler(sys.stderr)
        self._add(handler, formatter, terminal_level)
        self.saved = (self.logger.level, self.logger.propagate)
        self.logger.setLevel(logging.INFO)
        self.logger.propagate = False
        return self

    def _add(self, handler: logging.Handler, formatter: logging.Formatter, level: int) -> None:
        handler.setFormatter(formatter)
        handler.setLevel(level)
        self.logger.addHandler(handler)
        self.handlers.append(handler)

    def progress(self, done: int, total: int, name: str) -> None:
        if self.bar is not None:
            self.bar.update(self.task, completed=done, total=total, description=name)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
        if self.file_handler is not None and self.file_handler not in self.handlers:
            self.file_handler.close()
        for handler in self.handlers:
            self.logger.removeHandler(handler)
            handler.close()
        self.logger.setLevel(self.saved[0])
        self.logger.propagate = self.saved[1]


class _ConsoleHandler(logging.Handler):
    """Log lines printed above the progress bar, as plain text (no markup, no highlighting)."""

    def __init__(self, console: Any) -> None:
        super().__init__()
        self.console = console

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.console.print(self.format(record), markup=False, highlight=False, soft_wrap=True)
        except Exception:  # noqa: BLE001 - logging.Handler.emit's contract: any failure goes to handleError
            self.handleError(record)


class _LogFile(logging.FileHandler):
    """--logg: a log that cannot be written (full disk, share gone) gives one warning on stderr, then
    stays quiet; never logging's `--- Logging error ---` traceback, never a changed exit code."""

    failed = False

    def emit(self, record: logging.LogRecord) -> None:
        if not self.failed:
            super().emit(record)

    def handleError(self, record: logging.LogRecord | None) -> None:
        if self.failed:
            return
        self.failed = True
        exc = sys.exc_info()[1]
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        sys.stderr.write(f"warning: --logg {self.baseFilename}: cannot write the log ({reason}); the rest of "
                         "this run's log is not written there\n")

    def close(self) -> None:
        try:
            super().close()
        except OSError:  # the last flush hit the same full disk
            self.handleError(None)


def _file_handler(path: Path) -> logging.Handler:
    from ...errors import UsageError

    try:
        return _LogFile(path, mode="a", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"--logg {path}: cannot open the log file ({exc.strerror})") from None
