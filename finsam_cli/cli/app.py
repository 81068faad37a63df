"""The `finsam` command line: one Typer app, one place that maps errors to exit codes.

Only typer, the registry and the command modules load here; the report commands are made from the
registry (report_command.py), so a new report needs no edit here. pandas and friends load inside commands,
so `finsam --help` stays fast.
"""

from __future__ import annotations

import atexit
import os
import sys
import traceback
from typing import Annotated, Any, NoReturn

import typer
from typer import _click as click  # typer vendors click since 0.29
from typer.core import TyperGroup

from .. import __version__
from ..errors import FinsamError, MissingInput, ParameterError, shown
from ..publish.pipeline import describe_error
from ..reports.registry import REPORTS
from .commands import export, init, validera
from .help import PlainCommand, PlainHelp
from .options import DEBUG_KEY, FLAGS, INPUT_FLAGS, DebugOpt
from .report_command import report_command
from .streams import filtered_streams

EXIT_DATA = 1


def report_error(exc: BaseException, debug: bool) -> int:
    """Print what went wrong for a person, and return the exit code (stderr is filtered: see streams.py)."""
    if debug:
        sys.stderr.write("".join(traceback.format_exception(exc)))
    if isinstance(exc, MissingInput):  # the library names the file kind; here it is a flag
        flag = INPUT_FLAGS.get(exc.kind, f"--{exc.kind}")
        typer.echo(f"Usage error: no {exc.kind} file: give {flag} FILE or set data.{exc.kind} in "
                   "finsam.toml", err=True)
        return exc.exit_code
    if isinstance(exc, FinsamError):
        prefix = "Usage error" if exc.exit_code == 2 else "Error"
        # The library names parameters; here they are the flags that set them.
        text = exc.worded(FLAGS) if isinstance(exc, ParameterError) else "\n".join(describe_error(exc))
        typer.echo(shown(f"{prefix}: {text}"), err=True)
        return exc.exit_code
    typer.echo(f"Internal error ({type(exc).__name__}); this is a bug in finsam. "
               "Run again with --debug for the traceback.", err=True)
    return EXIT_DATA


class FinsamGroup(PlainHelp, TyperGroup):
    def main(self, *args: Any, **kwargs: Any) -> Any:
        # The one terminal exit: everything printed from here on, click's usage errors included,
        # passes `errors.shown` (cli/streams.py).
        with filtered_streams():
            return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.exceptions.TyperException, typer.Exit, typer.Abort, BrokenPipeError):
            # Usage errors and deliberate exits keep typer's handling; so does a reader that went away
            # (`finsam … | head`): click then ends quietly with exit 1, as for `finsam --version | head`.
            raise
        except Exception as exc:  # noqa: BLE001 - the one place any error becomes a message and an exit code
            ctx.exit(report_error(exc, bool(ctx.meta.get(DEBUG_KEY))))


app = typer.Typer(
    cls=FinsamGroup,
    name="finsam",
    help="Reports for a samordningsförbund (Finsam) from its participant and accounting exports.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"finsam {__version__}")
        raise typer.Exit


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.",
                                          callback=_version, is_eager=True)] = False,
    debug: DebugOpt = False,
) -> None:
    """Reports for a samordningsförbund (Finsam) from its participant and accounting exports."""


for _report in REPORTS:  # each report's command is made from its registry entry
    app.command(_report.command, cls=PlainCommand)(report_command(_report))
app.command("export", cls=PlainCommand)(export.export)
app.command("validera", cls=PlainCommand)(validera.validera)
app.command("init", cls=PlainCommand)(init.init)


def main() -> None:
    # Typer builds every command's parameters before it runs one; with the command named first (the usual
    # `finsam maluppfyllelse 2017 …`), only that one is built. Anything else (--help, --version, a typo) sees all.
    named = [c for c in app.registered_commands if len(sys.argv) > 1 and c.name == sys.argv[1]]
    if named:
        app.registered_commands = named
    # numpy's OpenBLAS starts a thread per core as it loads, which spin while pandas loads: 0.1 s of CPU and
    # about 14 ms of a one-insats report (measured). finsam multiplies no matrices; a user's setting stands.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    try:
        app()  # it ends by raising SystemExit with the exit code
    except SystemExit as exc:
        end_process(exc.code)


def end_process(code: object) -> NoReturn:
    """Exit with `code` as sys.exit does, without the interpreter's teardown of every module and object
    that pandas, pydantic and the report made: 20–60 ms of a one-insats report (measured). A command
    has closed what it writes before it returns (atomic writes, the log); the atexit handlers still
    run, and the standard streams are flushed here."""
    status = code if isinstance(code, int) else 0 if code is None else 1
    if not isinstance(code, int | None):  # sys.exit("message")
        sys.stderr.write(f"{code}\n")
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # the reader went away (`finsam … | head`), or the stream is closed
            status = status or EXIT_DATA
    os._exit(status)
