"""The compiled survey of a part of a large SIE file counts what a plain numpy count finds.

kernel.survey counts the lines (LF bytes), the `#T` and `#V` pairs (the room for the #TRANS and
#VER columns) and what encoding.detect_encoding weighs, in vectorised chunks: the nasty inputs are
the edges of a range, of a chunk and of a vector.
"""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam_cli.inputs.sie import kernel, scan
from finsam_cli.inputs.sie.encoding import CP437_LETTERS, CP1252_LETTERS, detect_encoding, letter_counts

SIE = Path(__file__).resolve().parent / "data" / "sie"
# Bytes that matter to the survey (LF, '#', T, V, letters of both encodings, other non-ASCII) and one that does not.
ALPHABET = b"\n#TV" + CP437_LETTERS[:2] + CP1252_LETTERS[:2] + b"\x80\xffa"


def expected(data: bytes, pos: int, stop: int) -> tuple[int, list[int], list[int]]:
    """Lines, (#T, #V) and (non-ASCII, CP437 letters, cp1252 letters) in [pos, stop), counted by numpy."""
    part = np.frombuffer(data, dtype=np.uint8)[pos:stop]
    pairs = part[:-1] == ord("#")
    values = np.bincount(part, minlength=256)
    return (int((part == ord("\n")).sum()),
            [int((pairs & (part[1:] == ord("T"))).sum()), int((pairs & (part[1:] == ord("V"))).sum())],
            [int(values[0x80:].sum()), int(values[list(CP437_LETTERS)].sum()), int(values[list(CP1252_LETTERS)].sum())])


def surveyed(data: bytes, pos: int, stop: int) -> tuple[int, list[int], list[int]]:
    """survey's counts, the first of `counts` (non-zero when a byte is non-ASCII) as numpy's would be."""
    counts, tags = np.zeros(3, dtype=np.int64), np.zeros(2, dtype=np.int64)
    lines = kernel.survey(np.frombuffer(data, dtype=np.uint8), pos, stop, counts, tags)
    return int(lines), tags.tolist(), counts.tolist()


def assert_counts(data: bytes, pos: int = 0, stop: int | None = None) -> None:
    stop = len(data) if stop is None else stop
    lines, tags, (non_ascii, cp437, cp1252) = surveyed(data, pos, stop)
    want_lines, want_tags, (want_non_ascii, want_cp437, want_cp1252) = expected(data, pos, stop)
    assert (lines, tags, cp437, cp1252) == (want_lines, want_tags, want_cp437, want_cp1252), (pos, stop)
    assert (non_ascii > 0) == (want_non_ascii > 0), (pos, stop)


def test_the_edges_of_a_range_count_as_numpy_counts() -> None:
    assert_counts(b"")
    assert_counts(b"#")  # '#' alone, and as the last byte
    assert_counts(b"#TRANS 1 {} 1.00\n#VER A 1 20170101\n#")
    assert_counts(b"no line feed at all #T #V")
    assert_counts(b"a\n#TRANS x \x86\x84\x94")  # non-ASCII at the very end
    assert_counts(b"\xe5")
    assert_counts(b"\n\n\n")
    data = b"#TRANS 1\n#VER A\n"
    for cut in range(len(data) + 1):  # halves cut anywhere, a pair across the cut counted in neither
        assert_counts(data, 0, cut)
        assert_counts(data, cut)
        assert_counts(data, cut, cut)


def test_every_length_round_a_vector_counts_as_numpy_counts() -> None:
    line = b"#TRANS 7010 {6 P7} 157.41 20170701 \"Rad \x86\x84\x94\"\r\n#VER A 15 20170701 \"\xe5\"\r\n"
    for length in range(1, 3 * 64 + 2):  # not multiples of 8 or 64, from each start within a word
        data = (line * (length // len(line) + 1))[:length]
        for pos in range(min(9, length)):
            assert_counts(data, pos)


def test_pairs_and_letters_across_the_chunks_count_as_numpy_counts() -> None:
    chunk = kernel.CHUNK
    data = bytearray(b"a" * (3 * chunk + 7))
    for edge in (chunk, 2 * chunk, 3 * chunk):  # a pair across each chunk's end, letters at both sides
        data[edge - 1:edge + 1] = b"#T"
        data[edge - 2], data[edge + 1] = 0x86, 0xE5
    data[chunk + 5:chunk + 7] = b"#V"
    data[-1] = ord("#")
    rng = np.random.default_rng(16)
    noisy = bytes(rng.choice(np.frombuffer(ALPHABET, dtype=np.uint8), size=2 * chunk + 3))
    for sample in (bytes(data), noisy):
        assert_counts(sample)
        assert_counts(sample, 1, len(sample) - 1)
        assert_counts(sample, chunk - 1)
        assert_counts(sample, 0, chunk + 1)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300).map(lambda raw: bytes(ALPHABET[b % len(ALPHABET)] for b in raw)),
       st.integers(0, 300), st.integers(0, 300))
def test_any_range_of_any_bytes_counts_as_numpy_counts(data: bytes, a: int, b: int) -> None:
    pos, stop = sorted((min(a, len(data)), min(b, len(data))))
    assert_counts(data, pos, stop)


def test_letter_counts_count_the_letters_of_each_encoding() -> None:
    data = b"#FNAMN \"Int\x84kter \xe5\xe4\" \xc3\xa4\n"
    assert letter_counts(data) == (5, 1, 2)  # \x84; \xe5 \xe4 (\xc3\xa4, UTF-8 'ä', is neither)
    assert letter_counts(b"#FLAGGA 0\n") == (0, 0, 0)


def test_the_compiled_pass_finds_the_encoding_the_tokenizer_finds() -> None:
    for name in ("good.se", "enc_cp1252.se", "enc_utf8.se"):
        data = (SIE / name).read_bytes()
        with mock.patch.object(scan, "FAST_FROM", 0):
            assert scan.read_lines(data)[3] == detect_encoding(data), name
    found = {detect_encoding((SIE / name).read_bytes()) for name in ("good.se", "enc_cp1252.se", "enc_utf8.se")}
    assert found == {"cp437", "cp1252", "utf-8"}
