"""One export run: lock, fingerprint, render everything in memory, then replace files, manifest last.

All or nothing: every report is rendered to bytes before any file is touched, so bad data
or a bug leaves the previous set and its manifest as they were. The new files are then
staged as temporary files beside their targets (written and fsynced; a full disk fails
here, and the temporaries are removed) and only then renamed over the old ones, one
`os.replace` each. Every target is checked first (a folder or device in a report's place
stops the run before anything is replaced). The old manifest is removed before the first
rename and the new one written last, so a run killed between them leaves a set without a
manifest: `export --kontrollera` and the next run see it as incomplete, and the next run repairs it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__, clock
from ..collection import kept
from ..errors import ConfigError, DataError, Problem, UsageError
from ..inputs.schema import FileKind
from .atomic import TEMP_PREFIX, stage, write_atomic
from .formats import FORMATS
from .lock import export_lock
from .manifest import (
    FileEntry,
    InputEntry,
    Manifest,
    ManifestUnreadableError,
    Skipped,
    describe_file,
    differences,
    fingerprint,
    manifest_name,
    read_manifest,
)
from .pipeline import describe_error
from .plan import SAFE_NAME, Job, Plan, default_year, plan_jobs

if TYPE_CHECKING:
    from ..inputs.session import Session
    from ..reports.model import Report

log = logging.getLogger("finsam.export")


# Called after each file is rendered: (files done, files in all, file name).
ProgressFn = Callable[[int, int, str], None]


@dataclass(frozen=True)
class ExportRequest:
    config: Path | None = None
    overrides: dict[FileKind, Path | None] = field(default_factory=dict)
    target: Path | None = None  # None: export.katalog in the config
    year: int | None = None  # None: plan.default_year (the latest year the data covers in full)
    formats: tuple[str, ...] | None = None  # None: export.format in the config
    reports: tuple[str, ...] | None = None  # None: export.rapporter in the config; empty: every report
    halvar: bool = False
    tkr: bool = False
    skydda: int | None = None  # None: export.skydda, else sekretess.minsta_antal
    templates: Path | None = None  # None: mallar in the config
    force: bool = False


@dataclass
class ExportResult:
    year: int
    folder: Path
    manifest: Path
    halvar: bool = False
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    nothing_to_do: bool = False
    seconds: float = 0.0


@dataclass
class _State:
    """How far a run got, so that a failure can say truthfully what it left behind."""

    year: int | None = None
    replaced: int = 0
    to_replace: int = 0
    created: Path | None = None  # the target folder, when this run made it (a failed run removes it again)


def parse_formats(text: str) -> tuple[str, ...]:
    """`md,xlsx` -> ("md", "xlsx"); unknown formats are a usage error."""
    chosen: list[str] = []
    for part in text.replace(";", ",").split(","):
        fmt = part.strip().lower()
        if not fmt:
            continue
        if fmt not in FORMATS:
            raise UsageError(f"--format {text}: unknown format {fmt!r}; use {', '.join(FORMATS)}, e.g. md,xlsx")
        if fmt not in chosen:
            chosen.append(fmt)
    if not chosen:
        raise UsageError(f"--format: give {', '.join(FORMATS)}, e.g. md,xlsx")
    return tuple(chosen)


def parse_reports(text: str) -> tuple[str, ...]:
    """`maluppfyllelse,bokslut` -> ("maluppfyllelse", "bokslut"); an unknown report is a usage error."""
    from ..reports.registry import unknown_commands

    chosen = tuple(dict.fromkeys(p.strip().lower() for p in text.replace(";", ",").split(",") if p.strip()))
    why = unknown_commands(chosen) if chosen else "give one or more reports, e.g. maluppfyllelse,budget-avvikelse"
    if why is not None:
        raise UsageError(f"--rapport {text}: {why}")
    return chosen


def run_export(request: ExportRequest, progress: ProgressFn | None = None) -> ExportResult:
    """Export every report; log one line per file and a summary. Raises on failure (after logging why)."""
    start = time.monotonic()
    state = _State()
    try:
        return _run(request, progress, state, start)
    except BaseException as exc:
        lines = describe_error(exc)
        log.error("%s", lines[0])
        for line in lines[1:]:
            log.error("%s", line)
        what = f"export {state.year}" if state.year is not None else "export"
        seconds = time.monotonic() - start
        if state.replaced:
            log.error("%s failed after %.1f s: %d of %d files were replaced before the failure; the set has no "
                      "manifest now (incomplete), and the next run will repair it", what, seconds,
                      state.replaced, state.to_replace)
        else:
            log.error("%s failed after %.1f s: nothing was replaced", what, seconds)
            _remove_if_empty(state.created)
        raise


def _run(request: ExportRequest, progress: ProgressFn | None, state: _State, start: float) -> ExportResult:
    from ..inputs.session import open_session

    started = clock.now()
    session = open_session(request.config, request.overrides)
    for warning in session.config_warnings():
        log.warning("%s", warning)
    config = session.config
    target = request.target or config.export.katalog
    if target is None:
        raise UsageError("no target folder: give --till DIR or set katalog under [export] in finsam.toml")
    formats = request.formats or tuple(dict.fromkeys(config.export.format))
    reports = request.reports if request.reports is not None else tuple(dict.fromkeys(config.export.rapporter))
    skydda = next(v for v in (request.skydda, config.export.skydda, config.sekretess.minsta_antal, 0)
                  if v is not None)
    templates = request.templates or config.mallar
    state.created = _prepare_target(target)

    with export_lock(target):
        if request.year is not None:
            year = request.year
        else:
            year, why = default_year(session, request.halvar)
            log.info("%s", why)
        state.year = year
        folder = target / str(year)  # made only once every report is rendered: a failure leaves no empty one
        _remove_leftover_temporaries(folder, year)
        manifest_path = folder / manifest_name(request.halvar)
        result = ExportResult(year, folder, manifest_path, request.halvar)

        inputs = _describe_inputs(session, templates)
        parameters: dict[str, Any] = {"year": year, "halvar": request.halvar, "formats": list(formats),
                                      "tkr": request.tkr, "skydda": skydda}
        if reports:  # a chosen set is another set: exporting every report again is not "nothing to do"
            parameters["rapporter"] = list(reports)
        print_ = fingerprint(inputs, __version__, parameters)
        old = _previous(manifest_path)
        if old is None and folder.is_dir() and any(SAFE_NAME.match(p.name) for p in folder.iterdir()):
            log.info("%s/ has reports but no %s: the previous export did not finish; completing the set", year,
                     manifest_path.name)
        if old is not None and old.fingerprint == print_ and not request.force:
            changed = differences(old, folder)
            if not changed:
                result.nothing_to_do = True
                result.unchanged = [f.name for f in old.files]
                result.skipped = list(old.skipped)
                log.info("nothing to do: the inputs, the configuration and finsam %s are unchanged since the "
                         "export of %s", __version__, old.finished)
                return _finish(result, start)
            log.info("the inputs are unchanged, but %s: exporting again", "; ".join(changed))

        plan = plan_jobs(session, year, halvar=request.halvar, tkr=request.tkr, reports=reports, skydda=skydda)
        for skip in plan.skipped:
            log.info("skipped %s: %s", skip.report, skip.reason)
        if not plan.jobs:  # an empty set with a manifest would look like a successful export
            raise DataError(f"no report can be made for {year}: "
                            + "; ".join(f"{s.report}: {s.reason}" for s in plan.skipped))
        result.skipped = [Skipped(report=s.report, reason=s.reason) for s in plan.skipped]
        rendered = _render_all(plan, formats, skydda, templates, progress)
        for name in rendered:
            _check_inside(folder, name)

        folder.mkdir(exist_ok=True)
        _check_targets(folder, [*rendered, manifest_path.name])
        _replace_files(folder, rendered, request.force, result, state, manifest_path)
        finished = clock.now()
        manifest = Manifest(
            finsam=__version__, year=year, halvar=request.halvar, parameters=parameters, fingerprint=print_,
            started=_stamp(started), finished=_stamp(finished), inputs=inputs,
            files=[_file_entry(name, job, data) for name, (job, data) in rendered.items()],
            skipped=result.skipped)
        write_atomic(manifest_path, manifest.to_bytes())
        _remove_dropped(folder, old, rendered, result)
        return _finish(result, start)


# --- steps ---------------------------------------------------------------------------------------------


def _prepare_target(target: Path) -> Path | None:
    """Create the target folder (and its parents); the folder made, if it was. Whether a share is mounted
    is the scheduler's to check (systemd RequiresMountsFor=, or `mountpoint -q` in cron): see the README."""
    if target.is_dir():
        return None
    if target.exists():
        raise DataError(f"{target}: the target is not a folder")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataError(f"{target}: cannot create the target folder ({exc.strerror})") from None
    return target


def _remove_if_empty(folder: Path | None) -> None:
    """A target folder this run made, left empty by a failure: gone again, so a failed run writes nothing."""
    if folder is None:
        return
    with contextlib.suppress(OSError):  # not empty (another process wrote there), or already gone
        folder.rmdir()


def _remove_leftover_temporaries(folder: Path, year: int) -> None:
    """Temporary files of a run that was killed mid-write (we hold the lock, so none is in use)."""
    for path in sorted(folder.glob(f"{TEMP_PREFIX}*")):
        if path.is_file():
            path.unlink(missing_ok=True)
            log.info("removed %s/%s, left over from an interrupted export", year, path.name)


def _describe_inputs(session: Session, templates: Path | None) -> list[InputEntry]:
    """Every file that can change the reports, with its SHA-256: data, config and templates."""
    entries: list[InputEntry] = []
    files: list[tuple[str, Path]] = [(kind.value, path) for kind, path in sorted(session.paths.items())]
    if session.sie_path is not None:  # the accounts, which the session does not load as a FileKind
        files.append(("sie", session.sie_path))
    for role, path in files:
        if not path.is_file():
            raise DataError(f"{path}: {role} file not found (configured in data.{role} or given as --{role})")
        entries.append(describe_file(path, role))
    if session.config.source is not None:
        entries.append(describe_file(session.config.source, "config"))
    if templates is not None:
        if not templates.is_dir():
            raise ConfigError(f"mallar: {templates} is not a folder")
        entries.extend(describe_file(path, "mall", path.relative_to(templates).as_posix())
                       for path in sorted(p for p in templates.rglob("*") if p.is_file()))
    return entries


def _previous(path: Path) -> Manifest | None:
    try:
        return read_manifest(path)
    except ManifestUnreadableError as exc:
        log.warning("%s; writing every file again", exc)
        return None


def _render_all(plan: Plan, formats: tuple[str, ...], skydda: int, templates: Path | None,
                progress: ProgressFn | None) -> dict[str, tuple[Job, bytes]]:
    """Every file's bytes, in memory; the first failure stops the run before anything is written.

    The reports are protected together, so that no file prints a value another one hides."""
    from .pipeline import protect_set

    reports = protect_set([_build(plan, job, formats) for job in plan.jobs], skydda)
    with kept():  # the inputs and reports, while openpyxl's many small objects come and go
        return _render_reports(plan, reports, formats, templates, progress)


def _render_reports(plan: Plan, reports: list[Report], formats: tuple[str, ...], templates: Path | None,
                    progress: ProgressFn | None) -> dict[str, tuple[Job, bytes]]:
    from .pipeline import prepare_renderers, render_formats
    from .split import render_split

    def attempt(report: Report) -> list[bytes] | Exception:
        try:
            return render_formats(report, formats, templates)
        except Exception as exc:  # noqa: BLE001 - raised below, in the reports' order
            return exc

    rendered = render_split(reports, attempt, cost=_cells, prepare=lambda: prepare_renderers(formats))
    total = len(plan.jobs) * len(formats)
    out: dict[str, tuple[Job, bytes]] = {}
    for job, files in zip(plan.jobs, rendered, strict=True):
        names = [job.filename(fmt) for fmt in formats]
        try:
            if isinstance(files, Exception):
                raise files
            for name, data in zip(names, files, strict=True):
                if name in out:
                    raise RuntimeError(f"two reports would be written as {name}")
                out[name] = (job, data)
                if progress is not None:
                    progress(len(out), total, name)
        except BaseException:
            log.error("could not make %s/%s", plan.year, names[0].rsplit(".", 1)[0])
            raise
    return out


def _cells(report: Report) -> int:
    """About how much rendering a report takes: its tables' cells."""
    return sum(len(t.rows) * len(t.columns) for s in report.sections for t in s.tables)


def _build(plan: Plan, job: Job, formats: tuple[str, ...]) -> Report:
    try:
        return job.build()
    except UsageError as exc:
        # Asked of one report by the export, a "usage" problem is a problem with the data.
        log.error("could not make %s/%s", plan.year, job.filename(formats[0]).rsplit(".", 1)[0])
        raise DataError(str(exc)) from exc
    except BaseException:
        log.error("could not make %s/%s", plan.year, job.filename(formats[0]).rsplit(".", 1)[0])
        raise


def _check_inside(folder: Path, name: str) -> None:
    """Defence in depth: a name is one safe path component that resolves inside the year's folder."""
    path = (folder / name).resolve()
    if not SAFE_NAME.match(name) or path.parent != folder.resolve():
        raise RuntimeError(f"refusing to write {name!r} outside {folder}")


def _check_targets(folder: Path, names: list[str]) -> None:
    """Every name the run will write is free or a regular file, checked before anything is replaced."""
    blocked = []
    for name in names:
        try:
            mode = (folder / name).lstat().st_mode
        except FileNotFoundError:
            continue
        if not stat.S_ISREG(mode):
            blocked.append(name)
    if blocked:
        raise DataError(f"{folder}: {len(blocked)} report file name(s) are taken by something that is not a file "
                        "(a folder, link or device); move it away and run again. Nothing was replaced.",
                        [Problem(f"{folder.name}/{name}", "not a regular file") for name in blocked])


def _replace_files(folder: Path, rendered: dict[str, tuple[Job, bytes]], force: bool, result: ExportResult,
                   state: _State, manifest_path: Path) -> None:
    """Stage every changed file beside its target, remove the old manifest (the set is now incomplete),
    then rename each over the old one."""
    staged: list[tuple[Path, Path, int]] = []
    try:
        for name, (_job, data) in rendered.items():
            path = folder / name
            if not force and _same_bytes(path, data):
                result.unchanged.append(name)
                continue
            staged.append((stage(folder, data), path, len(data)))
    except BaseException:
        for tmp, _path, _size in staged:
            tmp.unlink(missing_ok=True)
        raise
    state.to_replace = len(staged)
    try:
        if staged:
            manifest_path.unlink(missing_ok=True)
            _fsync_folder(folder)  # durable before the first rename: a crash after it leaves no stale manifest
        for tmp, path, size in staged:
            os.replace(tmp, path)
            state.replaced += 1
            result.written.append(path.name)
            log.info("wrote %s/%s (%s bytes)", result.year, path.name, _thousands(size))
    except BaseException:
        for tmp, _path, _size in staged[state.replaced:]:
            tmp.unlink(missing_ok=True)
        raise
    for name in result.unchanged:
        log.info("unchanged %s/%s", result.year, name)
    _fsync_folder(folder)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _fsync_folder(folder: Path) -> None:
    """Make the renames durable where the platform allows it (not on Windows or some shares)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove_dropped(folder: Path, old: Manifest | None, rendered: dict[str, tuple[Job, bytes]],
                    result: ExportResult) -> None:
    """Files of the previous set this run no longer makes (an insats left the catalogue, a format was
    dropped). Only names the old manifest lists, and only safe names: never anything else in the folder."""
    if old is None:
        return
    for entry in old.files:
        if entry.name in rendered or not SAFE_NAME.match(entry.name):
            continue
        path = folder / entry.name
        if path.is_file():
            path.unlink()
            result.removed.append(entry.name)
            log.info("removed %s/%s (no longer exported)", result.year, entry.name)


def _file_entry(name: str, job: Job, data: bytes) -> FileEntry:
    import hashlib

    return FileEntry(name=name, report=job.report, format=name.rsplit(".", 1)[1], subject=job.subject,
                     sha256=hashlib.sha256(data).hexdigest(), size=len(data))


def _finish(result: ExportResult, start: float) -> ExportResult:
    result.seconds = time.monotonic() - start
    parts = [f"{len(result.written)} files written", f"{len(result.unchanged)} unchanged"]
    if result.removed:
        parts.append(f"{len(result.removed)} removed")
    label = f"export {result.year}{' halvår' if result.halvar else ''}"
    log.info("%s: %s, %.1f s", label, ", ".join(parts), result.seconds)
    return result


def _stamp(moment: Any) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", " ")
