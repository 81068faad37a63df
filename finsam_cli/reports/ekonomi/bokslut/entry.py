"""`finsam bokslut` declared: its parameters, what the export needs and makes, its `ReportType`.

Light: the build (report.py) and the accounts' reader load only when a report is built or the export plans.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ....errors import Reason
from ...contract import Job, ReportType
from ...parameters import option, year_argument

if TYPE_CHECKING:
    from ....inputs.session import Session
    from ....inputs.view import Sources


@dataclass(frozen=True)
class BokslutParams:
    year: int = field(metadata=year_argument("The fiscal year, e.g. 2017; the year before is shown beside it."))
    sie: Path | None = field(default=None, metadata=option(  # None: [data] sie
        "sie", "The accounts: an SIE4 export, or a saldolista CSV/xlsx (År;Konto;Kontonamn;Ingående balans;"
                 "Utgående balans;Resultat), told apart by content (overrides data.sie)."))


def _requirements(session: Sources, year: int, halvar: bool) -> list[str]:
    from ....errors import UsageError
    from .source import load_accounts

    if session.config.data.sie is None:
        return [Reason("no accounts (data.sie)", "bokföring saknas (data.sie i finsam.toml)")]
    try:
        load_accounts(session, year)
    except UsageError as exc:  # the file does not hold the year
        return [Reason.of(exc)]
    return []


def _jobs(session: Session, year: int, halvar: bool, tkr: bool) -> tuple[list[Job], list[str]]:
    return [Job(BOKSLUT.command, year, BokslutParams(year))], []


# The accounts file (SIE or saldolista) is not a FileKind yet: bokslut names no kinds and reads --sie or
# [data] sie through ekonomi/bokslut/source.py, memoised in the session's memo.
BOKSLUT = ReportType(
    name="bokslut", command="bokslut", audience="the economist",
    summary="Resultaträkning, Balansräkning, Kassaflödesanalys and Noter from the SIE4 export, this year beside "
            "last year, cross-checked",
    help="The financial statements of ÅR beside ÅR−1, checked against each other before anything is written.",
    required=(), optional=(), params=BokslutParams, _build="ekonomi.bokslut.report:bokslut_report",
    requirements=_requirements, jobs=_jobs)
