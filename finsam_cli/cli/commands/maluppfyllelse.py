"""`finsam maluppfyllelse`: participants, exits and goals per insats for a year or half-year."""

from __future__ import annotations

from typing import Annotated

import typer

from ..options import (
    AnonymaOpt,
    ConfigOpt,
    DebugOpt,
    DeltagareOpt,
    FormatOpt,
    MallarOpt,
    OutputOpt,
    SkyddaOpt,
)


def maluppfyllelse(
    ar: Annotated[int | None, typer.Argument(
        metavar="ÅR", help="The year to report (default: the latest year the participant data covers in full).",
        show_default=False, min=1900, max=2100)] = None,
    insats: Annotated[list[str] | None, typer.Option(
        "--insats", metavar="SLUG_OR_NAME", show_default=False,
        help="An insats by slug (ung-i-tyreso) or name; repeat for several (default: all, followed by a summary).")]
        = None,
    halvar: Annotated[bool, typer.Option(
        "--halvar", help="Report 1 January – 30 June of the year instead of the whole year.")] = False,
    deltagare: DeltagareOpt = None,
    anonyma: AnonymaOpt = None,
    config: ConfigOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    mallar: MallarOpt = None,
    skydda: SkyddaOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Goal attainment per insats: participants, exits to work or studies, goals and history.

    Also the sources of support before and after, and breakdowns of the new participants. A year the
    participant data does not cover is refused; a year it covers in part is marked, its goals not judged."""
    from ...inputs.schema import FileKind
    from ...inputs.session import open_session
    from ...reports.registry import MALUPPFYLLELSE, MaluppfyllelseParams
    from ._report import finish

    session = open_session(config, {FileKind.DELTAGARE: deltagare, FileKind.ANONYMA: anonyma})
    params = MaluppfyllelseParams(year=ar, half_year=halvar, insatser=tuple(insats or ()))
    finish(MALUPPFYLLELSE, params, session, fmt, output, mallar, minimum=skydda)
