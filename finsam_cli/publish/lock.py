"""One export at a time per target folder: an exclusive lock file, with stale-lock takeover.

The lock is `DIR/.finsam-export.lock`, created with O_CREAT|O_EXCL and holding JSON
{pid, host, started, token}. It is stale when its process is gone (same host) or when it
is older than STALE_AFTER (any host: a share may be written from several machines).
"""

from __future__ import annotations

import json
import logging
import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ..errors import LockHeldError

LOCK_NAME = ".finsam-export.lock"
STALE_AFTER = timedelta(hours=6)
# A lock file that is empty or unreadable is a crash between create and write, unless it is this new.
UNREADABLE_GRACE = timedelta(minutes=1)

log = logging.getLogger("finsam.export")


@dataclass(frozen=True)
class Holder:
    """Who holds a lock, as read from the lock file (fields may be missing in a damaged file)."""

    raw: bytes
    pid: int | None
    host: str | None
    started: datetime | None
    modified: datetime

    def describe(self) -> str:
        parts = [f"pid {self.pid}" if self.pid is not None else "unknown pid"]
        if self.host and self.host != socket.gethostname():
            parts[0] += f" on {self.host}"
        when = self.started or self.modified
        parts.append(f"started {when:%Y-%m-%dT%H:%M:%SZ}")
        return ", ".join(parts)


def _wall_now() -> datetime:
    # Real time, not clock.now(): staleness is about the machine's clock, even when
    # SOURCE_DATE_EPOCH fixes the time written into reports.
    return datetime.now(tz=UTC).replace(microsecond=0)


def read_holder(path: Path) -> Holder | None:
    """The lock's holder, or None when the lock file has gone."""
    try:
        raw = path.read_bytes()
        modified = datetime.fromtimestamp(int(path.stat().st_mtime), tz=UTC)
    except FileNotFoundError:
        return None
    pid: int | None = None
    host: str | None = None
    started: datetime | None = None
    try:
        info = json.loads(raw.decode("utf-8"))
        if isinstance(info, dict):
            pid = info["pid"] if isinstance(info.get("pid"), int) else None
            host = info["host"] if isinstance(info.get("host"), str) else None
            started = datetime.fromisoformat(info["started"]) if isinstance(info.get("started"), str) else None
    except (UnicodeDecodeError, ValueError):
        pass
    return Holder(raw, pid, host, started, modified)


def _alive(pid: int) -> bool:
    if os.name == "nt":
        return True  # os.kill(pid, 0) would send CTRL_C there: leave it to the lock's age
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    except OSError:
        return True  # cannot tell (e.g. odd platforms): assume alive, age decides
    return True


def stale_reason(holder: Holder, now: datetime | None = None) -> str | None:
    """Why the lock may be taken over, or None while it is held by a live export."""
    now = now or _wall_now()
    if holder.pid is None or holder.started is None:
        if now - holder.modified >= UNREADABLE_GRACE:
            return "the lock file is damaged (a crash while it was being written)"
        return None
    if holder.host == socket.gethostname() and not _alive(holder.pid):
        return f"process {holder.pid} is no longer running"
    if now - holder.started >= STALE_AFTER:
        hours = STALE_AFTER.total_seconds() / 3600
        return f"it is older than {hours:g} hours"
    return None


@dataclass(frozen=True)
class Lock:
    path: Path
    token: str

    def release(self) -> None:
        """Remove the lock file, but only while it is still ours (never another run's lock)."""
        holder = read_holder(self.path)
        if holder is None:
            return
        try:
            token = json.loads(holder.raw.decode("utf-8")).get("token")
        except (UnicodeDecodeError, ValueError, AttributeError):
            return
        if token == self.token:
            self.path.unlink(missing_ok=True)


def _take_over(path: Path, holder: Holder) -> bool:
    """Move a stale lock aside; False when it changed meanwhile (someone else got there first)."""
    aside = path.with_name(f"{LOCK_NAME}.stale-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        os.replace(path, aside)
    except FileNotFoundError:
        return False
    try:
        if aside.read_bytes() == holder.raw:
            return True
        # We moved a fresh lock another run just took: put it back unless yet another appeared.
        with suppress(OSError):  # FileExistsError, or a share without hard links
            os.link(aside, path)
        return False
    finally:
        aside.unlink(missing_ok=True)


def acquire(directory: Path, attempts: int = 3) -> Lock:
    """Take the export lock in `directory`, taking over a stale one; LockHeldError when it is held."""
    path = directory / LOCK_NAME
    for _ in range(attempts):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            holder = read_holder(path)
            if holder is None:
                continue  # released between our attempt and the read: try again
            reason = stale_reason(holder)
            if reason is None:
                raise LockHeldError(f"another export is running ({holder.describe()}); lock file {path}. "
                                    "Try again when it has finished.") from None
            if _take_over(path, holder):
                log.warning("took over a stale lock (%s): %s", holder.describe(), reason)
            continue
        token = uuid.uuid4().hex
        info = {"pid": os.getpid(), "host": socket.gethostname(),
                "started": _wall_now().isoformat(), "token": token}
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(info, handle)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return Lock(path, token)
    raise LockHeldError(f"could not take the export lock {path}: other exports keep taking it")


@contextmanager
def export_lock(directory: Path) -> Iterator[Lock]:
    lock = acquire(directory)
    try:
        yield lock
    finally:
        lock.release()
