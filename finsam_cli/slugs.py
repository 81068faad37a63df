"""Safe slugs: names from data become file names and option values."""

from __future__ import annotations

import re
import unicodedata

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """`Ung i Tyresö` -> `ung-i-tyreso`. Only [a-z0-9-], so no path can be formed."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    return slug[:80].rstrip("-") or "namnlos"
