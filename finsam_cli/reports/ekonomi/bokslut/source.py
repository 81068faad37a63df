"""The accounts `bokslut` reads: an SIE4 export or a saldolista (CSV/xlsx), told apart by their content.

The file is `--sie`, else `[data] sie`. Until the session loads the accounts itself (a FileKind), this is the one
place that reads them for the statements; it memoises per session (the session's and its Inputs views' shared
memo), so an export reads the file once.
"""

from __future__ import annotations

from pathlib import Path

from ....config import Config
from ....errors import DataError, MissingInput
from ....inputs.provenance import InputFile, describe_input
from ....inputs.readers import check_input_file, read_raw
from ....inputs.sie import is_sie, parse_sie
from ....inputs.view import Sources
from .saldolista import COLUMNS, read_saldolista
from .trial_balance import TrialBalance, from_sie, year_index

ROLE = "sie"


def accounts_path(session: Sources, given: Path | None) -> Path:
    path = given or session.config.data.sie
    if path is None:
        raise MissingInput(ROLE)
    return path


def _saldolista_score(headers: list[str]) -> int:
    wanted = {" ".join(c.split()).casefold() for c in COLUMNS}
    return sum(" ".join(h.split()).casefold() in wanted for h in headers)


def _read(path: Path, year: int, config: Config) -> tuple[TrialBalance, InputFile]:
    check_input_file(path, config.granser)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(f"{path.name}: cannot be read ({exc.strerror})") from None
    if is_sie(data):
        sie = parse_sie(data, path.name)
        return from_sie(sie, year_index(sie, year)), describe_input(path, ROLE, data.count(b"\n"))
    raw = read_raw(path, _saldolista_score, limits=config.granser)
    return read_saldolista(raw.frame, year, path.name), describe_input(path, ROLE, len(raw.frame))


def load_accounts(session: Sources, year: int, given: Path | None = None) -> tuple[TrialBalance, InputFile]:
    """Year `year` and the year before from the accounts file, with the file's provenance."""
    path = accounts_path(session, given)
    key = ("bokslut-accounts", path, year)
    if key not in session.memo:
        session.memo[key] = _read(path, year, session.config)
    found: tuple[TrialBalance, InputFile] = session.memo[key]  # type: ignore[assignment]
    return found
