"""Render a report to Markdown with its Jinja template (user templates first)."""

from __future__ import annotations

import re
from contextlib import suppress
from functools import lru_cache
from hashlib import sha256
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from jinja2.bccache import Bucket

from .. import __version__
from ..errors import UsageError
from ..reports.model import Cell, Kind, Report, Text
from .numbers import format_cell, format_number, plain

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
# Control characters and bidi overrides (which can make text read differently from what it is) go;
# every kind of line break becomes a space, so a cell stays on its row.
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"\s*[\r\n\x0b\x0c\x85\u2028\u2029]+\s*")


def escape(text: object) -> str:
    """Make any text safe inside a Markdown table cell: no raw HTML, no broken rows."""
    s = _INVISIBLE.sub("", plain(text) if isinstance(text, Text) else str(text))
    s = _MD_SPECIAL.sub(r"\\\1", s)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _LINE_BREAKS.sub(" ", s)
    return "\\" + s if s.startswith("#") else s  # not a heading when it opens a line


def cell(value: Cell, kind: str = "text") -> str:
    return escape(format_cell(value, Kind(kind)))


def package_templates() -> Path:
    """Templates ship inside the wheel; in a checkout they are the top-level templates/."""
    here = Path(__file__).resolve().parent.parent
    installed = here / "templates"
    return installed if installed.is_dir() else here.parent / "templates"


OPTIONS: dict[str, Any] = {"autoescape": False, "trim_blocks": True, "lstrip_blocks": True,
                           "keep_trailing_newline": True}


class _QuietCache(FileSystemBytecodeCache):
    """A cache that cannot be written (a full or read-only disk) only means compiling the next time too."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        with suppress(OSError):
            super().dump_bytecode(bucket)


@lru_cache(maxsize=1)
def _compiled_cache() -> FileSystemBytecodeCache | None:
    """The package templates' compiled code, kept in Jinja's per-user folder under the temp directory (it
    checks the folder is private): compiling them costs more than rendering a one-insats report. Jinja
    keys an entry by the template's file and checks its source and the Python version; finsam's version
    and the environment's options are in the file name, so a changed finsam never reads stale code."""
    tag = sha256(repr(sorted(OPTIONS.items())).encode()).hexdigest()[:12]
    try:
        return _QuietCache(pattern=f"finsam-{__version__}-{tag}-%s.cache")
    except (OSError, RuntimeError):  # no usable temp directory: compile every time
        return None


def environment(user_dir: Path | None = None) -> Environment:
    """The templates' environment, one per folder for the process: each template is compiled once (an
    export renders many reports of a kind); Jinja recompiles a template whose file has changed."""
    if user_dir is not None and not user_dir.is_dir():
        raise UsageError(f"--mallar: {user_dir} is not a folder")
    # Only finsam's own templates are cached: a person's own templates are compiled where they are.
    return _environment(user_dir, _compiled_cache() if user_dir is None else None)


@lru_cache(maxsize=8)
def _environment(user_dir: Path | None, bytecode_cache: FileSystemBytecodeCache | None) -> Environment:
    loaders = []
    if user_dir is not None:
        loaders.append(FileSystemLoader(str(user_dir)))
    loaders.append(FileSystemLoader(str(package_templates())))
    env = Environment(loader=ChoiceLoader(loaders), undefined=StrictUndefined, bytecode_cache=bytecode_cache,
                      **OPTIONS)
    env.filters["cell"] = cell
    env.filters["md"] = escape
    env.filters["tal"] = lambda v, d=0: format_number(v, d)
    return env


def render_markdown(report: Report, user_dir: Path | None = None) -> str:
    template = environment(user_dir).get_template(f"{report.kind}.md.j2")
    text = template.render(report=report, p=report.provenance)
    return re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n"
