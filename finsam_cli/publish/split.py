"""An export's files rendered on two processes: half here, half in a forked child that sends back bytes.

The reports are built and protected once, in this process; rendering them (openpyxl, jinja) is pure
Python and holds the GIL, so a second core helps only as a second process. A fork shares the built
reports without copying or pickling them. Where there is no fork (not Linux) or one core, or the child
fails in any way, this process renders the child's share itself, so the files, their order and any
error are exactly those of rendering everything here.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import sys
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

PATIENCE_S = 60.0  # at least this long for the child's share (or ten times this process's own share)
T = TypeVar("T")
R = TypeVar("R")


def _two_cores() -> bool:
    return sys.platform == "linux" and len(os.sched_getaffinity(0)) > 1


def render_split(tasks: Sequence[T], render: Callable[[T], R], cost: Callable[[T], int],
                 prepare: Callable[[], None]) -> list[R]:
    """`render` of every task, in the tasks' order. `render` returns a failure rather than raise it (so the
    caller meets the first one in the tasks' order); `cost` balances the two shares; `prepare` runs before the
    fork (imports both processes need, so neither pays them twice)."""
    if len(tasks) < 2 or not _two_cores():
        return [render(t) for t in tasks]
    prepare()
    by_cost = sorted(range(len(tasks)), key=lambda i: -cost(tasks[i]))
    theirs = set(by_cost[1::2])  # largest first, alternating: about half the work each
    mine = [i for i in range(len(tasks)) if i not in theirs]
    theirs_in_order = [i for i in range(len(tasks)) if i in theirs]
    results: dict[int, R] = {}
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: render its share, send the bytes, and leave without running the parent's exit
        try:
            os.close(reader)
            try:
                done = [render(tasks[i]) for i in theirs_in_order]
                # A failure is met again by the parent, with its own traceback: nothing is sent.
                payload = b"" if any(isinstance(r, BaseException) for r in done) else pickle.dumps(done)
            except BaseException:  # noqa: BLE001 - as above: the parent renders this share again
                payload = b""
            with os.fdopen(writer, "wb") as out:
                out.write(payload)
        finally:
            os._exit(0)  # whatever happened: the child never goes on as a second export
    os.close(writer)
    started = time.monotonic()
    try:
        for i in mine:
            results[i] = render(tasks[i])
    finally:
        payload = _receive(reader, pid, patience=max(PATIENCE_S, 10 * (time.monotonic() - started)))
    sent = _unpickled(payload, len(theirs_in_order))
    for position, i in enumerate(theirs_in_order):
        results[i] = sent[position] if sent is not None else render(tasks[i])
    return [results[i] for i in range(len(tasks))]


def _receive(reader: int, pid: int, patience: float) -> bytes:
    """What the child sends; b"" if it sends nothing within `patience` seconds (it is then stopped: a
    scheduled export must never hang on it)."""
    chunks: list[bytes] = []
    deadline = time.monotonic() + patience
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([reader], [], [], left)[0]:
                os.kill(pid, signal.SIGKILL)
                chunks = []
                break
            chunk = os.read(reader, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(reader)
        os.waitpid(pid, 0)
    return b"".join(chunks)


def _unpickled(payload: bytes, expected: int) -> list | None:
    """The child's results, or None when it sent none (it failed, or was stopped)."""
    if not payload:
        return None
    try:
        sent = pickle.loads(payload)  # noqa: S301 - our own child's bytes, through a pipe only it holds
    except Exception:  # noqa: BLE001 - a cut-off payload: render the share here instead
        return None
    return sent if isinstance(sent, list) and len(sent) == expected else None
