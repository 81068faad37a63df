"""Where a report's numbers came from: input files with checksums and row counts."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

SAMPLE_MARKER = "EXEMPELDATA"


@dataclass(frozen=True)
class InputFile:
    role: str
    name: str
    path: Path
    sha256: str
    rows: int
    modified: datetime  # UTC, whole seconds

    @property
    def is_example(self) -> bool:
        """Inputs lying beside an EXEMPELDATA marker are the bundled, invented data."""
        return (self.path.parent / SAMPLE_MARKER).is_file()


def sha256_of(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def describe_input(path: Path, role: str, rows: int) -> InputFile:
    modified = datetime.fromtimestamp(int(path.stat().st_mtime), tz=UTC)
    return InputFile(role, path.name, path, sha256_of(path), rows, modified)
