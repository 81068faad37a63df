"""The terminal exit: stdout and stderr pass one filter while a command runs.

Every line finsam prints (reports, messages, warnings, log lines, `validera`, a --debug traceback)
goes through `errors.shown`: personnummer redacted, control characters escaped. Rich consoles
that draw tables or a progress bar write their own escape sequences, so they get the unfiltered
stream (`unfiltered`) and filter their texts themselves.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from ..errors import shown


class FilteredStream:
    """A text stream that passes each write through `shown`. Bytes are refused (no `buffer`), so click
    writes text here instead of going round the filter."""

    def __init__(self, inner: TextIO) -> None:
        self.inner = inner

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError("a filtered stream takes text")
        self.inner.write(shown(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        if name == "buffer":
            raise AttributeError(name)
        return getattr(self.inner, name)


def unfiltered(stream: TextIO) -> TextIO:
    """The stream under the filter, for a writer that filters its own texts (rich) or writes bytes."""
    return stream.inner if isinstance(stream, FilteredStream) else stream


def stdout_is_terminal() -> bool:
    return unfiltered(sys.stdout).isatty()


@contextmanager
def filtered_streams() -> Iterator[None]:
    saved = sys.stdout, sys.stderr
    sys.stdout = FilteredStream(unfiltered(sys.stdout))
    sys.stderr = FilteredStream(unfiltered(sys.stderr))
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
