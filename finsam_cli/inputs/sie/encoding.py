"""Recognising an SIE file by its content, and finding the encoding it really uses.

SIE4 prescribes `#FORMAT PC8`, IBM PC 8-bit (CP437). Exports are sometimes written in cp1252
or UTF-8 under that header: read as CP437 they show `intΣkter` and `int├ñkter` for `intäkter`.
"""

from __future__ import annotations

import codecs
import mmap
import re
from collections.abc import Sequence

Data = bytes | mmap.mmap  # a large file is mapped rather than read (reader.read_sie)
HEAD_BYTES = 4096  # "near the top": the identifying records come first

_SIE_HEAD = re.compile(rb"^[ \t]*#(?:FLAGGA|SIETYP)[ \t]", re.MULTILINE)

# å ä ö Å Ä Ö (and é) in each single-byte encoding (kernel.survey counts them too).
CP437_LETTERS = bytes([0x86, 0x84, 0x94, 0x8F, 0x8E, 0x99, 0x82])
CP1252_LETTERS = bytes([0xE5, 0xE4, 0xF6, 0xC5, 0xC4, 0xD6, 0xE9])
_ASCII = bytes(range(128))


def is_sie(head: bytes) -> bool:
    """An SIE file has `#FLAGGA` or `#SIETYP` among its first records, whatever its name."""
    return _SIE_HEAD.search(head[:HEAD_BYTES].removeprefix(b"\xef\xbb\xbf")) is not None


def _is_utf8(data: Data) -> bool:
    """Whether the bytes decode as UTF-8. A failure is found in the first 64 KiB before the whole file
    is tried: a failed decode copies its input into the exception, 50 MB for a large export."""
    try:
        codecs.utf_8_decode(memoryview(data)[:1 << 16], "strict", False)  # not final: a cut character is fine
        codecs.utf_8_decode(memoryview(data), "strict", True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(data: Data, counts: Sequence[int] | None = None) -> str:
    """`cp437` as the format prescribes, unless the bytes show cp1252 or UTF-8 instead.

    Non-ASCII that decodes as UTF-8 is UTF-8 (CP437 letters are not valid UTF-8 sequences);
    otherwise the Swedish letters decide between CP437 and cp1252. `counts` (see letter_counts)
    saves a pass over the bytes when the caller has them.
    """
    if data[:3] == b"\xef\xbb\xbf":
        return "utf-8-sig"
    non_ascii, cp437, cp1252 = letter_counts(bytes(data)) if counts is None else counts
    if not non_ascii:
        return "cp437"
    if _is_utf8(data):
        return "utf-8"
    return "cp1252" if cp1252 > cp437 else "cp437"


def letter_counts(data: bytes) -> tuple[int, int, int]:
    """(non-zero when a byte is non-ASCII, how many bytes are CP437_LETTERS, how many CP1252_LETTERS)."""
    high = data.translate(None, _ASCII)  # the few non-ASCII bytes
    return len(high), sum(map(high.count, CP437_LETTERS)), sum(map(high.count, CP1252_LETTERS))
