"""One export at a time: a concurrent run is refused at once (exit 3); a stale lock is taken over."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from finsam_cli.errors import LockHeldError
from finsam_cli.publish.lock import LOCK_NAME, acquire, read_holder, stale_reason

from .conftest import ROOT


def export(run, target: Path, *args: str):
    return run("export", "2017", "--format", "md", "--config", ROOT / "finsam.toml", "--till", target, *args)


def write_lock(target: Path, pid: int, host: str, started: datetime) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    path = target / LOCK_NAME
    path.write_text(json.dumps({"pid": pid, "host": host, "started": started.isoformat(), "token": "theirs"}),
                    encoding="utf-8")
    return path


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def now() -> datetime:
    return datetime.now(tz=UTC).replace(microsecond=0)


def test_a_concurrent_export_is_refused_at_once(run, tmp_path: Path) -> None:
    target = tmp_path / "ut"
    started = now()
    lock = write_lock(target, os.getpid(), socket.gethostname(), started)  # alive: this very process
    held = lock.read_bytes()

    begin = time.monotonic()
    result = export(run, target)
    assert time.monotonic() - begin < 5  # no waiting
    assert result.exit_code == 3
    lines = result.stderr.splitlines()
    assert lines[0] == (f"2025-11-25T00:00:00Z error: another export is running (pid {os.getpid()}, started "
                        f"{started:%Y-%m-%dT%H:%M:%SZ}); lock file {lock}. Try again when it has finished.")
    assert sorted(p.name for p in target.iterdir()) == [LOCK_NAME]  # nothing written
    assert lock.read_bytes() == held  # and the other run's lock left alone


def test_an_export_holding_the_lock_blocks_another_until_it_releases(run, tmp_path: Path) -> None:
    target = tmp_path / "ut"
    target.mkdir()
    lock = acquire(target)
    assert export(run, target).exit_code == 3
    lock.release()
    assert not (target / LOCK_NAME).exists()
    result = export(run, target)
    assert result.exit_code == 0, result.stderr
    assert not (target / LOCK_NAME).exists()


def test_a_lock_of_a_crashed_run_is_taken_over(run, tmp_path: Path) -> None:
    target = tmp_path / "ut"
    pid = dead_pid()
    write_lock(target, pid, socket.gethostname(), now())
    result = export(run, target)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0].startswith(
        f"2025-11-25T00:00:00Z warning: took over a stale lock (pid {pid}, started ")
    assert f"process {pid} is no longer running" in result.stderr
    assert (target / "2017" / "manifest.json").is_file()
    assert sorted(p.name for p in target.iterdir()) == ["2017"]  # our lock released, the stale one gone


def test_an_old_lock_from_another_machine_is_taken_over(run, tmp_path: Path) -> None:
    target = tmp_path / "ut"
    write_lock(target, 1, "another-host", now() - timedelta(hours=7))
    result = export(run, target)
    assert result.exit_code == 0, result.stderr
    assert "took over a stale lock (pid 1 on another-host" in result.stderr
    assert "it is older than 6 hours" in result.stderr


def test_a_recent_lock_from_another_machine_is_respected(run, tmp_path: Path) -> None:
    target = tmp_path / "ut"
    write_lock(target, 1, "another-host", now() - timedelta(minutes=5))
    result = export(run, target)
    assert result.exit_code == 3
    assert "another export is running (pid 1 on another-host, started" in result.stderr


def test_a_damaged_lock_is_taken_over_once_it_is_old(run, tmp_path: Path) -> None:
    target = tmp_path / "ut"
    target.mkdir()
    lock = target / LOCK_NAME
    lock.write_bytes(b"")  # a crash between creating the lock and writing it
    assert export(run, target).exit_code == 3  # could be a run that is writing it right now
    old = time.time() - 120
    os.utime(lock, (old, old))
    result = export(run, target)
    assert result.exit_code == 0, result.stderr
    assert "the lock file is damaged" in result.stderr


def test_stale_reason() -> None:
    here = socket.gethostname()
    live = {"pid": os.getpid(), "host": here, "started": now().isoformat()}
    assert _reason(live) is None
    assert _reason({**live, "pid": dead_pid()}) is not None
    assert _reason({**live, "started": (now() - timedelta(hours=6, minutes=1)).isoformat()}) is not None


def _reason(info: dict) -> str | None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / LOCK_NAME
        path.write_text(json.dumps(info), encoding="utf-8")
        holder = read_holder(path)
        assert holder is not None
        return stale_reason(holder)


def test_release_never_removes_another_runs_lock(tmp_path: Path) -> None:
    lock = acquire(tmp_path)
    with pytest.raises(LockHeldError):
        acquire(tmp_path)
    (tmp_path / LOCK_NAME).write_text(json.dumps({"pid": 1, "host": "x", "started": now().isoformat(),
                                                  "token": "someone-else"}), encoding="utf-8")
    lock.release()
    assert (tmp_path / LOCK_NAME).exists()
