"""manifest.json: what an export wrote, from which inputs, and the fingerprint that says "nothing to do".

The fingerprint covers everything that decides the reports' content: each input file's
SHA-256, the config file's, the templates', the finsam version and the export's parameters.
It does not cover the clock, so an unchanged export is recognised on the next run.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from ..errors import redact_personnummer
from ..inputs.provenance import sha256_of

MANIFEST = "manifest.json"
MANIFEST_HALVAR = "manifest_halvar.json"
FORMAT_VERSION = 1


def manifest_name(halvar: bool) -> str:
    """Full-year and half-year sets share the year's folder; each has its own manifest."""
    return MANIFEST_HALVAR if halvar else MANIFEST


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class InputEntry(_Model):
    role: str  # deltagare, budget, ..., config, mall
    name: str  # file name only: the manifest lies on a share, local paths stay private
    sha256: str
    size: int


class FileEntry(_Model):
    name: str
    report: str
    format: str
    subject: str | None = None
    sha256: str
    size: int


class Skipped(_Model):
    report: str
    reason: str


class Manifest(_Model):
    manifest: int = FORMAT_VERSION
    finsam: str
    year: int
    halvar: bool
    parameters: dict[str, Any]
    fingerprint: str
    started: str
    finished: str
    inputs: list[InputEntry]
    files: list[FileEntry]
    skipped: list[Skipped] = []

    def to_bytes(self) -> bytes:
        """The manifest's exit: names, subjects and reasons redacted (checksums are hex, left alone)."""
        return (json.dumps(_redacted(self.model_dump()), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


_CHECKSUMS = frozenset({"sha256", "fingerprint"})


def _redacted(value: Any, key: str | None = None) -> Any:
    if isinstance(value, str):
        return value if key in _CHECKSUMS else redact_personnummer(value)
    if isinstance(value, dict):
        return {k: _redacted(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_redacted(v) for v in value]
    return value


class ManifestUnreadableError(Exception):
    """The manifest exists but cannot be used (damaged, or written by an incompatible finsam)."""


def read_manifest(path: Path) -> Manifest | None:
    """The manifest at `path`; None when there is none; ManifestUnreadableError when it is damaged."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        return Manifest.model_validate_json(raw)
    except ValidationError as exc:
        raise ManifestUnreadableError(f"{path.name} cannot be read ({exc.error_count()} problem(s))") from None


def describe_file(path: Path, role: str, name: str | None = None) -> InputEntry:
    return InputEntry(role=role, name=name or path.name, sha256=sha256_of(path), size=path.stat().st_size)


def fingerprint(inputs: list[InputEntry], version: str, parameters: dict[str, Any]) -> str:
    """One SHA-256 over what decides the export's content (never the time)."""
    payload = {
        "manifest": FORMAT_VERSION,
        "finsam": version,
        "inputs": sorted([i.role, i.name, i.sha256] for i in inputs),
        "parameters": parameters,
    }
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def differences(manifest: Manifest, folder: Path) -> list[str]:
    """Files the manifest lists that are missing or changed on disk (someone edited or deleted them)."""
    out = []
    for entry in manifest.files:
        path = folder / entry.name
        if not path.is_file():
            out.append(f"{entry.name} is missing")
        elif path.stat().st_size != entry.size or sha256_of(path) != entry.sha256:
            out.append(f"{entry.name} was changed")
    return out


def verify_set(folder: Path) -> tuple[list[str], bool]:
    """`export --kontrollera`: each manifest in the year's folder against the files it lists.

    Returns the lines to show and whether the set is whole. No manifest means no finished export:
    an export removes the manifest before its first rename and writes it last.
    """
    found = [p for p in (folder / MANIFEST, folder / MANIFEST_HALVAR) if p.is_file()]
    if not found:
        return [f"{folder}: no {MANIFEST}: an export was interrupted while replacing files, or none was made "
                "here; run the export again"], False
    lines: list[str] = []
    ok = True
    for path in found:
        try:
            manifest = read_manifest(path)
        except ManifestUnreadableError as exc:
            lines.append(f"{folder}: {exc}")
            ok = False
            continue
        assert manifest is not None  # the file exists
        problems = differences(manifest, folder)
        ok = ok and not problems
        lines += [f"{folder}: {p}" for p in problems] or [
            f"{folder}: OK, {len(manifest.files)} files match {path.name} (export of {manifest.finished})"]
    return lines, ok
