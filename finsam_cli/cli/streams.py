"""The terminal exit: stdout and stderr pass one filter while a command runs.

Every line finsam prints (reports, messages, warnings, log lines, `validera`, a --debug traceback,
click's usage errors) has its personnummer redacted here, and its control characters escaped, all
but colour sequences: typer draws help and usage errors in colour on a terminal. finsam's own
messages are passed through `errors.shown` before they get here, which escapes colours too. Rich
consoles that draw tables or a progress bar get the unfiltered stream (`unfiltered`) and filter
their texts themselves.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from ..errors import escape_controls, redact_personnummer


class FilteredStream:
    """A text stream that redacts and escapes each write. Bytes are refused (no `buffer`), so click
    writes text here instead of going round the filter."""

    def __init__(self, inner: TextIO) -> None:
        self.inner = inner

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError("a filtered stream takes text")
        self.inner.write(escape_controls(redact_personnummer(text), keep_colours=True))
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
