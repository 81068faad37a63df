"""Provenance for a report made in a session."""

from __future__ import annotations

from .. import __version__, clock
from ..inputs.session import Session
from .model import Provenance


def provenance(session: Session, parameters: dict[str, str]) -> Provenance:
    return Provenance(inputs=session.inputs(), parameters=parameters, version=__version__,
                      generated=clock.now())
