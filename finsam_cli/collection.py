"""Garbage collection around what a run keeps to its end.

A run loads pandas, pydantic and the config once and keeps its inputs and reports until it exits;
the collector walking them again and again frees nothing (about 0.1 s of an export of the sample).
Reference counting still frees everything else as before: only the cycle collector is spared.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def loading_for_good(module: str) -> Iterator[None]:
    """Imports whose objects live to the end (pandas, pydantic, the config's models), without collection.

    Collecting while they load frees nothing, and frozen afterwards they are not looked through again. Only
    the first load is frozen; a later command in the same process (tests) finds `module` loaded and freezes
    nothing.
    """
    first, collecting = module not in sys.modules, gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if first:
            gc.freeze()
        if collecting:
            gc.enable()


@contextmanager
def kept() -> Iterator[None]:
    """What exists now is kept until the block ends (an export's built reports while their files are
    rendered), and the block runs without collection: rendering makes many small objects that live until
    their workbook is written, and its garbage (a written workbook's cycles) is small and collected after.
    Unfrozen after, so a long-lived process (the tests) can still collect what was kept."""
    collecting = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
        gc.unfreeze()
