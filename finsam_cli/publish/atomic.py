"""Write files so nobody ever sees half of one: temp file in the same folder, then os.replace."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

TEMP_PREFIX = ".finsam-tmp-"


def stage(folder: Path, data: bytes) -> Path:
    """Write `data` to a durable temporary file in `folder`, ready to be renamed into place."""
    fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=folder)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = stage(path.parent, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
