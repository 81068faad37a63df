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


# Digests by (file, inode, size, mtime): an export hashes each input once, for its manifest and for
# the reports' provenance, and a changed file (new inode, size or mtime) is hashed again.
_DIGESTS: dict[tuple[str, int, int, int], str] = {}


def sha256_of(path: Path) -> str:
    info = path.stat()
    key = (str(path.resolve()), info.st_ino, info.st_size, info.st_mtime_ns)
    if key not in _DIGESTS:
        with path.open("rb") as handle:
            _DIGESTS[key] = hashlib.file_digest(handle, "sha256").hexdigest()
    return _DIGESTS[key]


def describe_input(path: Path, role: str, rows: int) -> InputFile:
    modified = datetime.fromtimestamp(int(path.stat().st_mtime), tz=UTC)
    return InputFile(role, path.name, path, sha256_of(path), rows, modified)
