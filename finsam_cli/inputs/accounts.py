"""The accounts as an SIE4 export, loaded once per session whichever setting names it.

An outcome file (`--utfall`, `[data] utfall`) is SIE when its content says so (`#FLAGGA` or
`#SIETYP` among the first records), whatever its name; `[data] sie` names the accounts directly.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import DataError
from .load import Loaded
from .provenance import describe_input
from .schema import FileKind
from .sie.encoding import HEAD_BYTES, is_sie
from .sie.reader import read_sie


def holds_sie(path: Path) -> bool:
    """Whether the file's first bytes are an SIE file's (an unreadable file is left to the table reader)."""
    try:
        with path.open("rb") as handle:
            return is_sie(handle.read(HEAD_BYTES))
    except OSError:
        return False


def load_sie(path: Path, kind: FileKind | None = None) -> Loaded:
    """Read an SIE file as a loaded input: its frame the transactions, `sie` what the file holds."""
    if not path.is_file():
        raise DataError(f"{path.name}: file not found")
    sie = read_sie(path)
    role = kind.value if kind is not None else "sie"
    return Loaded(kind or FileKind.UTFALL, sie.transactions, describe_input(path, role, len(sie.transactions)),
                  sie=sie)


def outcome_years(loaded: Loaded) -> list[int]:
    """The years an outcome covers, whatever its kind: an SIE file's financial years (#RAR, by the
    calendar year they start in), else the years of the table's rows."""
    if loaded.sie is not None:
        return loaded.sie.year_starts
    return sorted({int(y) for y in loaded.frame["ar"].dropna()})
