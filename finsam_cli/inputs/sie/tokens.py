"""The SIE record syntax: one record per line, fields separated by spaces or tabs.

A field may be quoted (it must be when it holds spaces), with `\\"` for a quote inside; `{…}`
holds an object list. `format_record` is the inverse of `split_record`, for tests and for the
sample-data generator.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

Field = str | tuple[str, ...]  # a plain field, or the fields of an object list `{dim "id" …}`


class SieSyntaxError(ValueError):
    """A line that does not follow the record syntax; the reader turns it into a located DataError."""


_TOKEN = re.compile(r'[ \t]*(?:"((?:[^"\\]|\\.)*)"|([{}])|([^ \t"{}]+)|("))')
_UNESCAPE = re.compile(r'\\(["\\])')
_NEEDS_QUOTES = re.compile(r'[ \t"{}\\]|^$|^#')


def split_record(line: str) -> tuple[str, list[Field]]:
    """`#TRANS 3010 {6 "P 1"} -100.00` -> ("#TRANS", ["3010", ("6", "P 1"), "-100.00"]).

    The tag is the first field as written; an empty line gives ("", []).
    """
    fields: list[Field] = []
    inner: list[str] | None = None
    pos, end = 0, len(line.rstrip(" \t\r\n"))
    while pos < end:
        match = _TOKEN.match(line, pos, end)
        if match is None:  # only trailing blanks are left
            break
        quoted, brace, bare, stray = match.groups()
        pos = match.end()
        if stray is not None:
            raise SieSyntaxError("a quoted field has no closing quote")
        if brace == "{":
            if inner is not None:
                raise SieSyntaxError("an object list opens inside another")
            inner = []
            continue
        if brace == "}":
            if inner is None:
                raise SieSyntaxError("a '}' closes no object list")
            fields.append(tuple(inner))
            inner = None
            continue
        text = _UNESCAPE.sub(r"\1", quoted) if quoted is not None else bare
        assert text is not None
        (fields if inner is None else inner).append(text)
    if inner is not None:
        raise SieSyntaxError("an object list has no closing '}'")
    if not fields:
        return "", []
    tag = fields[0]
    return (tag if isinstance(tag, str) else "{"), fields[1:]


def quote(text: str) -> str:
    if "\n" in text or "\r" in text:
        raise ValueError("an SIE field cannot hold a line break")
    if not _NEEDS_QUOTES.search(text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def format_record(tag: str, fields: Sequence[str | int | Sequence[str | int]]) -> str:
    """The inverse of `split_record`: `format_record("#TRANS", [3010, ["6", "P 1"], "-100.00"])`."""
    parts = [tag]
    for value in fields:
        if isinstance(value, str | int):
            parts.append(quote(str(value)))
        else:
            parts.append("{" + " ".join(quote(str(v)) for v in value) + "}")
    return " ".join(parts)


_AMOUNT = re.compile(r"([-+]?)(\d*)(?:\.(\d*))?")


def parse_ore(text: str) -> int:
    """`-1234.5` -> -123450 öre, exactly (no float). Raises SieSyntaxError naming what is wrong."""
    match = _AMOUNT.fullmatch(text)
    if match is None or not (match.group(2) or match.group(3)):
        raise SieSyntaxError(f"amount {text!r} is not a number")
    sign, whole, decimals = match.group(1), match.group(2) or "0", match.group(3) or ""
    if len(decimals) > 2:
        raise SieSyntaxError(f"amount {text!r} has {len(decimals)} decimals (at most two)")
    ore = int(whole) * 100 + int(decimals.ljust(2, "0"))
    return -ore if sign == "-" else ore


def format_ore(ore: int) -> str:
    """-123450 -> `-1234.50`, as SIE writes amounts."""
    whole, rest = divmod(abs(ore), 100)
    return f"{'-' if ore < 0 else ''}{whole}.{rest:02d}"


def parse_date(text: str) -> date:
    """`20170131` -> date(2017, 1, 31)."""
    if len(text) != 8 or not text.isdigit():
        raise SieSyntaxError(f"date {text!r} is not YYYYMMDD")
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise SieSyntaxError(f"date {text!r} does not exist") from None


def parse_yyyymmdd(text: str) -> int:
    """`20170131` -> 20170131. Only the shape is checked here: whether the date exists is checked for
    all vouchers and transactions at once (reader), the same for the vectorised path and this one."""
    if len(text) != 8 or not text.isdigit():
        raise SieSyntaxError(f"date {text!r} is not YYYYMMDD")
    if not int(text):
        raise SieSyntaxError(f"date {text!r} does not exist")
    return int(text)


def parse_int(text: str, what: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise SieSyntaxError(f"{what} {text!r} is not a whole number") from None


def object_pairs(fields: tuple[str, ...]) -> tuple[tuple[int, str], ...]:
    """The object list `{1 "100" 6 "P1"}` -> ((1, "100"), (6, "P1"))."""
    if len(fields) % 2:
        raise SieSyntaxError("an object list must hold dimension and object pairs")
    return tuple((parse_int(fields[i], "dimension"), fields[i + 1]) for i in range(0, len(fields), 2))
