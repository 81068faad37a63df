"""`validera`: check files against the data contract without making a report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError, Problem
from .accounts import holds_sie
from .load import LoadOptions, any_header_score, guess_kind, header_score, load_raw
from .problems import safe_text
from .readers import read_raw
from .schema import FileKind


@dataclass
class FileCheck:
    path: Path
    kind: FileKind | str | None  # a FileKind, SIE, or "prognos" (the forecast, read by budget-avvikelse itself)
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    total: int = 0
    warnings: list[str] = field(default_factory=list)
    message: str | None = None  # a problem with the file as a whole
    sheet: str | None = None  # the xlsx sheet read, fit for a terminal (see safe_text)

    @property
    def ok(self) -> bool:
        return self.total == 0 and self.message is None


SIE = "sie"  # the accounts as an SIE4 export: checked for consistency (validate_sie)


def check_file(path: Path, kind: FileKind | str | None, options: LoadOptions) -> FileCheck:
    if kind == SIE or (kind in (None, FileKind.UTFALL) and holds_sie(path)):
        return check_sie(path)
    assert kind is None or isinstance(kind, FileKind)
    raw = None
    try:
        score = header_score(kind, options.profile) if kind else any_header_score(options.profile)
        raw = read_raw(path, score, sheet=options.sheet, limits=options.limits)
        if kind is None:
            kind = guess_kind(raw, options.profile)
            if kind is None:
                headers = ", ".join(repr(h) for h in list(raw.frame.columns)[:10])
                return FileCheck(path, None, message=f"{path.name}: cannot tell what kind of file this is "
                                 f"(headers: {headers}); give --typ")
        loaded = load_raw(raw, kind, options)
    except DataError as exc:
        return failed(path, kind, exc, _shown(raw.sheet) if raw else None)
    return FileCheck(path, kind, rows=len(loaded.frame), warnings=loaded.warnings,
                     sheet=_shown(loaded.sheet))


def failed(path: Path, kind: str | None, exc: DataError, sheet: str | None = None) -> FileCheck:
    """A file that did not load: its problems row by row, or what is wrong with it as a whole."""
    if exc.problems:
        return FileCheck(path, kind, problems=exc.problems, total=exc.total, sheet=sheet)
    return FileCheck(path, kind, message=str(exc))


def check_sie(path: Path) -> FileCheck:
    """Read an SIE file leniently and name every inconsistency: vouchers that do not balance, accounts
    and objects used but not declared, #IB + transactions ≠ #UB, transactions ≠ #RES."""
    from .sie import read_sie, validate_sie

    try:
        sie = read_sie(path, strict=False)
    except DataError as exc:
        return failed(path, SIE, exc)
    problems = validate_sie(sie)
    return FileCheck(path, SIE, rows=len(sie.transactions), problems=problems, total=len(problems))


def _shown(sheet: str | None) -> str | None:
    return None if sheet is None else safe_text(sheet)
