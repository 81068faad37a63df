"""What a report is built from: the loaded files of the kinds it reads, and the configuration.

The session resolves the paths and loads each file once; a report's build takes this view and
loads nothing, so it is a function of its inputs and parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import MissingInput

if TYPE_CHECKING:
    import pandas as pd

    from ..config import Config
    from .load import Loaded
    from .provenance import InputFile
    from .schema import FileKind


@dataclass(frozen=True)
class Inputs:
    config: Config
    files: Mapping[FileKind, Loaded]  # in the order the session loaded them
    # Results shared by the reports built from one session (an export's per-insats reports), keyed by
    # what they depend on besides the files, e.g. ("maluppfyllelse", year, half_year).
    memo: dict[object, object] = field(default_factory=dict, compare=False)
    # What a report's build wants the person running it to know (not a warning), e.g. the year it chose;
    # the session's list, so the command prints it.
    notices: list[str] = field(default_factory=list, compare=False)

    def loaded(self, kind: FileKind) -> Loaded | None:
        return self.files.get(kind)

    def frame(self, kind: FileKind) -> pd.DataFrame:
        loaded = self.files.get(kind)
        if loaded is None:
            raise MissingInput(kind.value)
        return loaded.frame

    def optional(self, kind: FileKind) -> pd.DataFrame | None:
        loaded = self.files.get(kind)
        return loaded.frame if loaded is not None else None

    def name(self, kind: FileKind) -> str:
        """The file's name as reports quote it, or the kind when there is none."""
        loaded = self.files.get(kind)
        return loaded.source.name if loaded is not None else kind.value

    def sources(self) -> tuple[InputFile, ...]:
        return tuple(loaded.source for loaded in self.files.values())
