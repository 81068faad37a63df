"""An export's rendering on two processes (publish/split.py): the same results in the same order as one
process, whatever the forked child does (works, fails, sends a failure, hangs)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from finsam_cli.publish import split

from . import test_export

project = test_export.project  # the fixture: a copy of the checkout's config and sample data
PARENT = os.getpid()
TASKS = list(range(9))


@pytest.fixture(autouse=True)
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    """The child is forked whatever this machine has (Linux: the only place split forks)."""
    monkeypatch.setattr(split, "_two_cores", lambda: True)


def in_child() -> bool:
    return os.getpid() != PARENT


def where(task: int) -> tuple[int, bool]:
    return task * task, in_child()


def test_both_processes_render_and_the_order_is_the_tasks() -> None:
    done = split.render_split(TASKS, where, cost=lambda t: t, prepare=lambda: None)
    assert [value for value, _ in done] == [t * t for t in TASKS]
    by_child = [t for t, (_, child) in zip(TASKS, done, strict=True) if child]
    assert by_child == [1, 3, 5, 7]  # largest first, alternating: 8 here, 7 there, 6 here, …


def test_a_child_that_fails_has_its_share_rendered_here() -> None:
    def render(task: int) -> tuple[int, bool]:
        if in_child():
            raise RuntimeError("only in the child")
        return where(task)

    done = split.render_split(TASKS, render, cost=lambda t: t, prepare=lambda: None)
    assert done == [(t * t, False) for t in TASKS]


def test_a_failure_the_child_meets_is_met_again_here_with_its_own_traceback() -> None:
    def render(task: int) -> int | Exception:
        return ValueError(f"task {task}") if task == 7 else task

    done = split.render_split(TASKS, render, cost=lambda t: t, prepare=lambda: None)
    assert [d if isinstance(d, int) else str(d) for d in done] == [0, 1, 2, 3, 4, 5, 6, "task 7", 8]


def test_a_child_that_hangs_is_stopped_and_its_share_rendered_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(split, "PATIENCE_S", 0.5)

    def render(task: int) -> tuple[int, bool]:
        if in_child():
            time.sleep(600)
        return where(task)

    started = time.monotonic()
    done = split.render_split(TASKS, render, cost=lambda t: t, prepare=lambda: None)
    assert done == [(t * t, False) for t in TASKS]
    assert time.monotonic() - started < 30


def test_one_task_or_one_core_stays_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    assert split.render_split([3], where, cost=lambda t: t, prepare=lambda: None) == [(9, False)]
    monkeypatch.setattr(split, "_two_cores", lambda: False)
    assert split.render_split(TASKS, where, cost=lambda t: t, prepare=lambda: None) == \
        [(t * t, False) for t in TASKS]


def test_an_export_writes_the_same_bytes_on_two_processes_as_on_one(run, project: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    two = test_export.export(run, project, "2017", "--format", "md,xlsx")
    assert two.exit_code == 0, two.output
    both = {p.name: p.read_bytes() for p in (project.parent / "ut" / "2017").iterdir() if p.suffix != ".json"}
    monkeypatch.setattr(split, "_two_cores", lambda: False)
    one = test_export.export(run, project, "2017", "--format", "md,xlsx", "--tvinga")
    assert one.exit_code == 0, one.output
    alone = {p.name: p.read_bytes() for p in (project.parent / "ut" / "2017").iterdir() if p.suffix != ".json"}
    assert len(both) == len(test_export.FILES_2017) and both == alone
