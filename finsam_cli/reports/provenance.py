"""Provenance for a report: the files it was built from, its parameters, finsam's version and the time."""

from __future__ import annotations

from .. import __version__, clock
from ..inputs.view import Inputs
from .model import Provenance


def provenance(inputs: Inputs, parameters: dict[str, str]) -> Provenance:
    """The report's own inputs (the file kinds its registry entry reads), not everything the session loaded."""
    return Provenance(inputs=inputs.sources(), parameters=parameters, version=__version__, generated=clock.now())
