"""`finsam init`: write a commented starter finsam.toml."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..options import DebugOpt


def init(
    path: Annotated[Path, typer.Argument(help="Where to write the config.", metavar="PATH", dir_okay=False)] \
        = Path("finsam.toml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    debug: DebugOpt = False,
) -> None:
    """Write a commented starter finsam.toml to fill in."""
    from ...config import parse_config
    from ...errors import UsageError
    from ...publish.atomic import write_atomic
    from ...starter import STARTER_CONFIG

    if path.exists() and not force:
        raise UsageError(f"{path} already exists; use --force to overwrite it")
    write_atomic(path, STARTER_CONFIG.encode("utf-8"))
    parse_config(path)  # the starter must always be valid
    typer.echo(f"Wrote {path}. Fill in the association's name, data files and insatser.")
