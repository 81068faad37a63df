"""The accounts as an SIE4 export, loaded once per session whichever setting names it.

An outcome file (`--utfall`, `[data] utfall`) is SIE when its content says so (`#FLAGGA` or
`#SIETYP` among the first records), whatever its name; `[data] sie` names the accounts directly.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Granser
from .load import Loaded
from .provenance import describe_input
from .readers import check_input_file
from .schema import FileKind

if TYPE_CHECKING:  # the SIE reader loads when an SIE file is read, not for every command
    import pandas as pd

    from .sie.model import SieFile


def holds_sie(path: Path) -> bool:
    """Whether the file's first bytes are an SIE file's. Only a regular file is opened (a pipe would
    block); anything else, or an unreadable file, is left to the table reader to refuse."""
    from .sie.encoding import HEAD_BYTES, is_sie

    if not path.is_file():
        return False
    try:
        with path.open("rb") as handle:
            return is_sie(handle.read(HEAD_BYTES))
    except OSError:
        return False


def load_sie(path: Path, kind: FileKind | None, limits: Granser) -> Loaded:
    """Read an SIE file as a loaded input: its frame the transactions, `sie` what the file holds."""
    from .sie.reader import read_sie

    check_input_file(path, limits)
    sie = read_sie(path)
    role = kind.value if kind is not None else "sie"
    return Loaded(kind or FileKind.UTFALL, sie.transactions, describe_input(path, role, len(sie.transactions)),
                  sie=sie)


def outcome_years(frame: pd.DataFrame, sie: SieFile | None) -> list[int]:
    """The years an outcome covers, whatever its kind: an SIE file's financial years (#RAR, by the
    calendar year they start in), else the years of the table's rows (`Loaded.frame`, `Loaded.sie`)."""
    if sie is not None:
        return sie.year_starts
    return sorted({int(y) for y in frame["ar"].dropna()})
