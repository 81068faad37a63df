"""`finsam enkat ÅR`: the survey summary (share of positive answers per question and respondent group)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..options import ConfigOpt, DebugOpt, FormatOpt, MallarOpt, OutputOpt


def enkat(
    ar: Annotated[int, typer.Argument(help="The year, e.g. 2017.", metavar="ÅR", min=1900, max=2100,
                                      show_default=False)],
    svar: Annotated[Path | None, typer.Option(
        "--svar", help="Survey answers, CSV or xlsx: Enkät;Datum (or År);Insats;Kön; one column per question "
                       "(default: data.enkat in the config).", show_default=False)] = None,
    halvar: Annotated[bool, typer.Option("--halvar", help="Only answers from January–June of ÅR.")] = False,
    insats: Annotated[list[str] | None, typer.Option(
        "--insats", help="Only answers naming this insats (its name or slug); repeat for several.",
        show_default=False)] = None,
    skydda: Annotated[int | None, typer.Option(
        "--skydda", help="Hide a share based on fewer than N answers (default: sekretess.minsta_antal).",
        show_default=False, min=0, metavar="N")] = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    mallar: MallarOpt = None,
    config: ConfigOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Per respondent group: its answers and each question's share positive; then per insats and by sex."""
    from ...inputs.schema import FileKind
    from ...inputs.session import open_session
    from ...reports.registry import ENKAT, EnkatParams
    from ._report import finish

    session = open_session(config, {FileKind.ENKAT: svar})
    params = EnkatParams(ar, halvar, tuple(insats or ()), skydda)
    finish(ENKAT, params, session, fmt, output, mallar)
