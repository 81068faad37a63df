"""What a command works with: the config, the input paths (options override it) and loaded data."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import clock
from ..config import Config, load_config
from ..errors import DataError, MissingInput
from .accounts import holds_sie, load_sie
from .load import Loaded, LoadOptions, load
from .schema import FileKind
from .view import Inputs

if TYPE_CHECKING:
    from .sie.model import SieFile


@dataclass
class Session:
    config: Config
    paths: dict[FileKind, Path]
    sie_path: Path | None = None  # [data] sie: the accounts as an SIE4 export
    _loaded: dict[FileKind, Loaded] = field(default_factory=dict)
    _sie: dict[Path, Loaded] = field(default_factory=dict)  # SIE files read, by path: each read once
    # Results shared by the reports of one session (an export's per-insats reports), keyed by what they
    # depend on besides the loaded data, e.g. ("maluppfyllelse", year, half_year).
    memo: dict[object, object] = field(default_factory=dict)
    # What a report's builder wants the person running it to know (not a warning), e.g. the year it chose.
    notices: list[str] = field(default_factory=list)

    @property
    def options(self) -> LoadOptions:
        return LoadOptions(profile=self.config.profile(), today=clock.today(),
                           key_file=self.config.pseudonymisering.nyckelfil, limits=self.config.granser,
                           answers=self.config.enkat.svar)

    def has(self, kind: FileKind) -> bool:
        return kind in self.paths

    def load(self, kind: FileKind) -> Loaded:
        if kind not in self._loaded:
            path = self.paths.get(kind)
            if path is None:
                raise MissingInput(kind.value)
            if not path.exists():
                raise DataError(f"{path}: {kind.value} file not found ({self._origin(kind, path)})")
            self._loaded[kind] = self._load_sie(path, kind) if kind is FileKind.UTFALL and holds_sie(path) \
                else load(path, kind, self.options)
        return self._loaded[kind]

    def load_sie(self, given: Path | None = None) -> SieFile:
        """The accounts: `given` (a command's option), else `[data] sie`, else an outcome file that is SIE.
        The one way a report reads an SIE file; each file is read once per session."""
        path = given or self.sie_path
        if path is None:
            utfall = self.paths.get(FileKind.UTFALL)
            if utfall is None or not holds_sie(utfall):
                raise MissingInput("sie")
            path = utfall
        sie = self._load_sie(path, None).sie
        assert sie is not None
        return sie

    def _load_sie(self, path: Path, kind: FileKind | None) -> Loaded:
        if path not in self._sie:
            self._sie[path] = load_sie(path, kind, self.config.granser)
        return self._sie[path]

    def _origin(self, kind: FileKind, path: Path) -> str:
        """Where a path came from, so a missing file can be fixed where it was named."""
        if getattr(self.config.data, kind.value) == path:
            return f"data.{kind.value} in {self.config.source.name if self.config.source else 'the config'}"
        return f"given as --{kind.value}"

    def load_optional(self, kind: FileKind) -> Loaded | None:
        return self.load(kind) if self.has(kind) else None

    def inputs_for(self, kinds: Sequence[str], required: Collection[str]) -> Inputs:
        """Load the files of these kinds (the required ones must be given) into what a report is built from,
        in the order of `kinds`: a report lists the same inputs whatever else the session loaded first."""
        for kind in kinds:
            if kind in required:
                self.load(FileKind(kind))
            else:
                self.load_optional(FileKind(kind))
        found = (FileKind(kind) for kind in kinds)
        files = {kind: self._loaded[kind] for kind in found if kind in self._loaded}
        return Inputs(self.config, files, self.memo, self.notices)

    def warnings(self) -> list[str]:
        return self.config_warnings() + [w for loaded in self._loaded.values() for w in loaded.warnings]

    def config_warnings(self) -> list[str]:
        from ..starter import PLACEHOLDER_NAME

        found = []
        if self.config.forbund.namn == PLACEHOLDER_NAME:
            found.append(f'[forbund] namn is still the placeholder "{PLACEHOLDER_NAME}", and reports carry it: '
                         "write the association's name in finsam.toml")
        ungrouped = self.config.ungrouped_sources()
        if ungrouped:
            found.append(f"[forsorjning]: no group covers {', '.join(ungrouped)}; participants with "
                         f"{'it' if len(ungrouped) == 1 else 'them'} are left out of the sources-of-support tables")
        return found


def open_session(config_path: Path | None, overrides: dict[FileKind, Path | None] | None = None) -> Session:
    config = load_config(config_path)
    paths = {kind: getattr(config.data, kind.value) for kind in FileKind}
    paths.update({kind: path for kind, path in (overrides or {}).items() if path is not None})
    if paths[FileKind.UTFALL] is None:
        paths[FileKind.UTFALL] = config.data.sie  # without an outcome file, the accounts are the outcome
    return Session(config, {k: p for k, p in paths.items() if p is not None}, sie_path=config.data.sie)
