"""The output formats, defined once (the CLI's --format, the config's export.format, the pipeline)."""

from __future__ import annotations

from typing import Literal, get_args

Format = Literal["md", "xlsx"]
FORMATS: tuple[Format, ...] = get_args(Format)
