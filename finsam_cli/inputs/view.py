"""What a report is built from: the loaded files of the kinds it reads, and the configuration.

The session resolves the paths and loads each file once; a report's build takes this view and
loads nothing, so it is a function of its inputs and parameters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Protocol

from ..errors import MissingInput

if TYPE_CHECKING:
    import pandas as pd

    from ..config import Config
    from .load import Loaded
    from .provenance import InputFile
    from .schema import FileKind


class Sources(Protocol):
    """What a report's requirements and the accounts reader ask: a session, or an Inputs view."""

    @property
    def config(self) -> Config: ...

    @property
    def memo(self) -> dict[object, object]: ...

    def has(self, kind: FileKind) -> bool: ...

    def load(self, kind: FileKind) -> Loaded: ...


@dataclass(frozen=True)
class Inputs:
    config: Config
    files: Mapping[FileKind, Loaded]  # in the order the report reads them (its kinds)
    # Results shared by the reports built from one session (an export's per-insats reports), keyed by
    # what they depend on besides the files, e.g. ("maluppfyllelse", year, half_year).
    memo: dict[object, object] = field(default_factory=dict, compare=False)
    # What a report's build wants the person running it to know (not a warning), e.g. the year it chose;
    # the session's list, so the command prints it.
    notices: list[str] = field(default_factory=list, compare=False)

    def only(self, kinds: Sequence[str]) -> Inputs:
        """The view of these kinds, in this view's order: a part of a composite report sees its own files."""
        wanted = set(kinds)
        return replace(self, files={k: v for k, v in self.files.items() if k.value in wanted})

    def loaded(self, kind: FileKind) -> Loaded | None:
        return self.files.get(kind)

    def has(self, kind: FileKind) -> bool:
        return kind in self.files

    def load(self, kind: FileKind) -> Loaded:
        """The loaded file, as `Session.load` gives it, so a report's requirements can be asked of either."""
        loaded = self.files.get(kind)
        if loaded is None:
            raise MissingInput(kind.value)
        return loaded

    def frame(self, kind: FileKind) -> pd.DataFrame:
        return self.load(kind).frame

    def optional(self, kind: FileKind) -> pd.DataFrame | None:
        loaded = self.files.get(kind)
        return loaded.frame if loaded is not None else None

    def name(self, kind: FileKind) -> str:
        """The file's name as reports quote it, or the kind when there is none."""
        loaded = self.files.get(kind)
        return loaded.source.name if loaded is not None else kind.value

    def sources(self) -> tuple[InputFile, ...]:
        return tuple(loaded.source for loaded in self.files.values())
