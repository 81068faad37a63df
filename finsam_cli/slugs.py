"""Safe slugs: names from data become file names and option values."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from .errors import redact_personnummer

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=4096)  # a report's keys slugify the same few names thousands of times
def slugify(text: str) -> str:
    """`Ung i Tyresö` -> `ung-i-tyreso`. Only [a-z0-9-], so no path can be formed; a personnummer in the
    name becomes `personnummer`, as everywhere else a file name leaves finsam."""
    ascii_text = unicodedata.normalize("NFKD", redact_personnummer(text)).encode("ascii", "ignore").decode()
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > MAX_LENGTH:  # cut, with a suffix of the whole: names alike in their first 80 stay apart
        slug = f"{slug[:MAX_LENGTH - 9].rstrip('-')}-{short_hash(slug)}"
    return slug or "namnlos"


MAX_LENGTH = 80


def short_hash(text: str) -> str:
    """Eight stable hex digits for a text: a suffix that tells apart names whose slugs collide."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
