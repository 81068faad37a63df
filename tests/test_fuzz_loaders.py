"""Fuzzing the loaders: whatever the bytes, loading ends in data or in a DataError naming the file.

Random bytes, mutated real exports (a few thousand cases: this is the one `make test` runs at
length), random CSV dialects and encodings, and random typed xlsx cells, through `load()` for
every file kind and through `finsam validera`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finsam_cli.errors import PERSONNUMMER_LIKE, ConfigError, DataError
from finsam_cli.inputs.check import check_file
from finsam_cli.inputs.load import LoadOptions, load
from finsam_cli.inputs.schema import FileKind, fields_of

from .conftest import DATA

OPTIONS = LoadOptions(today=dt.date(2025, 11, 25))
KINDS = st.sampled_from(list(FileKind))


def fuzz(examples: int) -> settings:
    """Deterministic runs (the same cases every time, so a failure reproduces), no per-case deadline."""
    return settings(max_examples=examples, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
SEEDS = sorted(p for p in DATA.iterdir() if p.is_file() and p.suffix in (".csv", ".tsv", ".xlsx"))
SEED_BYTES = {p.name: p.read_bytes() for p in SEEDS}


def outcome(path: Path, kind: FileKind) -> pd.DataFrame | DataError | ConfigError:
    """Load; only finsam's own errors may come out, and they name the file and carry no personnummer."""
    try:
        return load(path, kind, OPTIONS).frame
    except (DataError, ConfigError) as exc:
        text = str(exc)
        assert path.name in text, text
        problems = getattr(exc, "problems", [])
        for shown in [text, *(str(p) for p in problems)]:
            assert not PERSONNUMMER_LIKE.search(shown), shown
        for p in problems:
            assert p.file == path.name
            assert p.row is None or p.row >= 1
        return exc


def write(tmp_path: Path, data: bytes, suffix: str) -> Path:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    return path


# --- random bytes ------------------------------------------------------------------------------


@fuzz(1000)
@given(data=st.binary(max_size=600), kind=KINDS, suffix=st.sampled_from([".csv", ".xlsx", ".tsv", ".txt"]))
def test_random_bytes(tmp_path: Path, data: bytes, kind: FileKind, suffix: str) -> None:
    outcome(write(tmp_path, data, suffix), kind)


@fuzz(60)
@given(tail=st.binary(max_size=300), kind=KINDS)
def test_random_bytes_behind_a_zip_header(tmp_path: Path, tail: bytes, kind: FileKind) -> None:
    outcome(write(tmp_path, b"PK\x03\x04" + tail, ".xlsx"), kind)


# --- mutated real exports: the long run ----------------------------------------------------------

MUTATIONS = st.lists(st.tuples(
    st.sampled_from(["flip", "insert", "delete", "duplicate", "truncate", "swap_delimiter", "nul", "quote"]),
    st.integers(0, 10_000), st.binary(min_size=1, max_size=8)), min_size=1, max_size=4)


def mutate(data: bytes, steps: list[tuple[str, int, bytes]]) -> bytes:
    buf = bytearray(data)
    for op, at, payload in steps:
        if not buf:
            buf.extend(payload)
            continue
        i = at % len(buf)
        if op == "flip":
            buf[i] ^= payload[0] or 1
        elif op == "insert":
            buf[i:i] = payload
        elif op == "delete":
            del buf[i:i + len(payload) * 3]
        elif op == "duplicate":
            start = buf.rfind(b"\n", 0, i) + 1
            end = buf.find(b"\n", i)
            line = buf[start:end + 1 if end >= 0 else len(buf)]
            buf[start:start] = line
        elif op == "truncate":
            del buf[i:]
        elif op == "swap_delimiter":
            buf = bytearray(bytes(buf).replace(b";", b",") if payload[0] % 2 else bytes(buf).replace(b";", b"\t"))
        elif op == "nul":
            buf[i:i] = b"\x00"
        elif op == "quote":
            buf[i:i] = b'"'
    return bytes(buf)


@fuzz(2000)
@given(seed=st.sampled_from(sorted(SEED_BYTES)), steps=MUTATIONS, kind=KINDS)
def test_mutated_exports_a_few_thousand_cases(tmp_path: Path, seed: str, steps: list[tuple[str, int, bytes]],
                                              kind: FileKind) -> None:
    """Damage real files in small ways; run as any kind. The run `make test` relies on for robustness."""
    suffix = Path(seed).suffix
    outcome(write(tmp_path, mutate(SEED_BYTES[seed], steps), suffix), kind)


# --- random CSV dialects, encodings and cells ---------------------------------------------------

CELL_TOKENS = [*"0123456789 ,.;-+:/åäöÅÄÖéüaAxX\"'\t\n\r\u00a0\u2212\u202f=@|<>\\",
               "Kvinna", "Man", "Arbete", "Studier", "2017-01-05", "20170105", "1 499 034", "−970 966", "1999", "Ja",
               "Nej", "Försörjningsstöd", "121212-1212", "19121212+1212", "\u0661\u0669\u0669\u0660", "nan", "inf",
               "1e400", "2100-12-31", "Felregistrering", "Ung i Tyresö"]
CELL_TEXT = st.lists(st.sampled_from(CELL_TOKENS), max_size=4).map("".join)


@st.composite
def csv_files(draw: st.DrawFn) -> tuple[bytes, FileKind]:
    kind = draw(KINDS)
    known = [f.col.header for f in fields_of(kind)]
    headers = draw(st.lists(st.sampled_from([*known, "Extra", "", "Kön", "År"]), min_size=1, max_size=9))
    rows = draw(st.lists(st.lists(CELL_TEXT, min_size=len(headers), max_size=len(headers) + 1), max_size=8))
    sep = draw(st.sampled_from([";", ",", "\t", "|"]))
    newline = draw(st.sampled_from(["\r\n", "\n", "\r"]))
    quoting = draw(st.booleans())

    def cell(text: str) -> str:
        if quoting or any(ch in text for ch in (sep, '"', "\n", "\r")):
            return '"' + text.replace('"', '""') + '"'
        return text

    title = draw(st.sampled_from(["", "Deltagarexport;;\r\n", "\r\n\r\n"]))
    text = title + newline.join(sep.join(cell(c) for c in line) for line in [headers, *rows]) + newline
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    return text.encode(encoding, errors="replace"), kind


@fuzz(500)
@given(case=csv_files())
def test_random_csv_dialects_encodings_and_cells(tmp_path: Path, case: tuple[bytes, FileKind]) -> None:
    data, kind = case
    path = write(tmp_path, data, ".csv")
    result = outcome(path, kind)
    if isinstance(result, pd.DataFrame):
        assert result.index.is_unique and all(isinstance(i, int) for i in result.index)
        assert "personnummer" not in result.columns
    check = check_file(path, None, OPTIONS)  # the validera path guesses the kind: it must not raise either
    assert check.ok or check.message or check.problems


# --- random xlsx cells ----------------------------------------------------------------------------

XLSX_CELL = st.one_of(
    st.none(), st.booleans(), st.integers(-10**15, 10**15), st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(9999, 12, 31)), CELL_TEXT,
    st.sampled_from(["=1/0", "=A1", "#N/A", "#DIV/0!", "=HYPERLINK(\"x\")", "2017-01-05", "Kvinna", "Ung i Tyresö"]))


@st.composite
def xlsx_files(draw: st.DrawFn) -> tuple[bytes, FileKind]:
    kind = draw(KINDS)
    known = [f.col.header for f in fields_of(kind)]
    headers = draw(st.lists(st.sampled_from([*known, "Extra"]), min_size=1, max_size=8))
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for _ in range(draw(st.integers(0, 2))):
        ws.append([draw(XLSX_CELL)])
    ws.append(headers)
    for _ in range(draw(st.integers(0, 6))):
        ws.append([draw(XLSX_CELL) for _ in headers])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), kind


@fuzz(150)
@given(case=xlsx_files())
def test_random_xlsx_cells(tmp_path: Path, case: tuple[bytes, FileKind]) -> None:
    data, kind = case
    outcome(write(tmp_path, data, ".xlsx"), kind)


# --- the command line on random input ------------------------------------------------------------


@fuzz(80)
@given(data=st.one_of(st.binary(max_size=300), csv_files().map(lambda case: case[0])),
       suffix=st.sampled_from([".csv", ".xlsx"]), debug=st.booleans())
def test_validera_on_random_input_never_shows_a_traceback(run, tmp_path: Path, data: bytes, suffix: str,
                                                          debug: bool) -> None:
    path = write(tmp_path, data, suffix)
    result = run("validera", *(["--debug"] if debug else []), path)
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    assert "Internal error" not in result.output
    if result.exit_code == 1:
        assert path.name in result.output


# --- names derived from data, and markdown cells ----------------------------------------------------

WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


@settings(max_examples=500, deadline=None)
@given(name=st.text(max_size=300))
def test_slugs_from_any_insats_name_are_safe_file_names(name: str) -> None:
    from finsam_cli.slugs import slugify

    slug = slugify(name)
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug), slug
    assert ".." not in slug and not WINDOWS_FORBIDDEN.search(slug)
    assert 1 <= len(slug) <= 80


@settings(max_examples=500, deadline=None)
@given(text=st.text(max_size=80))
def test_markdown_escape_keeps_a_cell_in_its_cell(text: str) -> None:
    from finsam_cli.render.markdown import escape

    out = escape(text)
    assert "\n" not in out and "\r" not in out
    assert "<" not in out and ">" not in out
    assert not re.search(r"(?<!\\)(?:\\\\)*\|", out)  # every | is escaped
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029\u202a-\u202e\u2066-\u2069]", out)


def test_fuzz_seeds_are_the_foundation_corpus() -> None:
    assert len(SEEDS) >= 15
    with pytest.raises(DataError):
        load(DATA / "empty.csv", FileKind.DELTAGARE, OPTIONS)
