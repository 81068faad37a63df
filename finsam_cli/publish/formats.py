"""The output formats, defined once (the CLI's --format, the config's export.format, the pipeline)."""

from __future__ import annotations

from typing import Literal, get_args

Format = Literal["md", "xlsx", "docx"]
FORMATS: tuple[Format, ...] = get_args(Format)
# Formats written as bytes to a file (Markdown alone can go to stdout).
BINARY: tuple[Format, ...] = ("xlsx", "docx")
# Config and export default: the formats made before the Word renderer came.
DEFAULT: tuple[Format, ...] = ("md", "xlsx")
