"""What a command works with: the config, the input paths (options override it) and loaded data."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .. import clock
from ..config import Config, load_config
from ..errors import MissingInput
from .load import Loaded, LoadOptions, load
from .schema import FileKind
from .view import Inputs


@dataclass
class Session:
    config: Config
    paths: dict[FileKind, Path]
    _loaded: dict[FileKind, Loaded] = field(default_factory=dict)
    # Results shared by the reports of one session (an export's per-insats reports), keyed by what they
    # depend on besides the loaded data, e.g. ("maluppfyllelse", year, half_year).
    memo: dict[object, object] = field(default_factory=dict)

    @property
    def options(self) -> LoadOptions:
        return LoadOptions(profile=self.config.profile(), today=clock.today(),
                           key_file=self.config.pseudonymisering.nyckelfil, limits=self.config.granser)

    def has(self, kind: FileKind) -> bool:
        return kind in self.paths

    def load(self, kind: FileKind) -> Loaded:
        if kind not in self._loaded:
            path = self.paths.get(kind)
            if path is None:
                raise MissingInput(kind.value)
            self._loaded[kind] = load(path, kind, self.options)
        return self._loaded[kind]

    def load_optional(self, kind: FileKind) -> Loaded | None:
        return self.load(kind) if self.has(kind) else None

    def inputs_for(self, kinds: Sequence[str], required: Collection[str]) -> Inputs:
        """Load the files of these kinds (the required ones must be given) into what a report is built from."""
        wanted = {FileKind(kind) for kind in kinds}
        for kind in kinds:
            if kind in required:
                self.load(FileKind(kind))
            else:
                self.load_optional(FileKind(kind))
        files = {kind: loaded for kind, loaded in self._loaded.items() if kind in wanted}
        return Inputs(self.config, files, self.memo)

    def warnings(self) -> list[str]:
        return [w for loaded in self._loaded.values() for w in loaded.warnings]


def open_session(config_path: Path | None, overrides: dict[FileKind, Path | None] | None = None) -> Session:
    config = load_config(config_path)
    paths = {kind: getattr(config.data, kind.value) for kind in FileKind}
    for kind, path in (overrides or {}).items():
        if path is not None:
            paths[kind] = path
    return Session(config, {k: p for k, p in paths.items() if p is not None})
