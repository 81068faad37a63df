"""Provenance for a report made in a session."""

from __future__ import annotations

from .. import __version__, clock
from ..inputs.session import Session
from .model import Provenance
from .registry import ReportType


def provenance(session: Session, parameters: dict[str, str], kind: ReportType) -> Provenance:
    """The report's own inputs (the file kinds its registry entry names), not everything the session loaded."""
    return Provenance(inputs=session.inputs((*kind.required, *kind.optional)), parameters=parameters,
                      version=__version__, generated=clock.now())
