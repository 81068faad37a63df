"""Personnummer: validated, turned into a keyed hash on load, and then forgotten.

The hash is HMAC-SHA256 over the 12-digit form, so `YYMMDD-XXXX` and `YYYYMMDDXXXX`
for the same person give the same key. The secret comes from $FINSAM_PSEUDONYM_NYCKEL,
a key file named in the config, or a key file created on first use (mode 0600).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ConfigError

KEY_ENV = "FINSAM_PSEUDONYM_NYCKEL"
_PNR = r"(?P<century>[0-9]{2})?(?P<body>[0-9]{6})(?P<sep>[-+]?)(?P<tail>[0-9]{4})"  # ASCII digits only


@dataclass(frozen=True)
class PseudonymKey:
    secret: bytes
    created_at: Path | None = None  # set when this run created the key file


def default_key_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "finsam" / "pseudonym.key"


def load_key(key_file: Path | None) -> PseudonymKey:
    env = os.environ.get(KEY_ENV)
    if env:
        return PseudonymKey(env.encode("utf-8"))
    path = key_file or default_key_path()
    if path.is_file():
        secret = path.read_bytes().strip()
        if len(secret) < 16:
            raise ConfigError(f"{path}: the pseudonym key file is too short (at least 16 characters)")
        return PseudonymKey(secret)
    if key_file is not None:
        raise ConfigError(f"{path}: pseudonym key file not found")
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    secret = secrets.token_hex(32).encode()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(secret + b"\n")
    return PseudonymKey(secret, created_at=path)


@dataclass
class Pseudonymised:
    key: pd.Series  # hex hash, or <NA> where the number was invalid
    birth_year: pd.Series  # float, NaN where invalid
    sex: pd.Series  # "Kvinna"/"Man"/<NA>
    invalid: pd.Series  # bool: present but malformed or wrong check digit


def pseudonymise(values: pd.Series, secret: bytes, today: date) -> Pseudonymised:
    """Validate and hash a personnummer column, vectorised over its unique values."""
    text = values.astype("string").str.strip().fillna("")
    codes, uniques = pd.factorize(text)
    parts = pd.Series(uniques, dtype="string").str.fullmatch(_PNR)
    extracted = pd.Series(uniques, dtype="string").str.extract(_PNR)
    body = extracted["body"].fillna("000000")
    tail = extracted["tail"].fillna("0000")
    ten = (body + tail).to_numpy(dtype=str)
    valid = parts.fillna(False).to_numpy(dtype=bool) & _luhn_ok(ten) & _date_ok(body)
    century = _century(extracted, today)
    twelve = np.where(valid, century + ten, "")
    keys = np.array([
        hmac.new(secret, t.encode(), hashlib.sha256).hexdigest()[:20] if t else "" for t in twelve
    ], dtype=object)
    year = pd.to_numeric(pd.Series(century).str.cat(pd.Series(ten).str[:2]), errors="coerce")
    sex = np.where(pd.Series(ten).str[8].astype(int) % 2 == 1, "Man", "Kvinna")
    empty = np.asarray(uniques == "", dtype=bool)
    idx = codes

    def take(arr: np.ndarray, missing: object) -> pd.Series:
        out = pd.Series(arr[idx], index=values.index)
        return out.where(valid[idx], missing)

    return Pseudonymised(
        key=take(keys, pd.NA).astype("string"),
        birth_year=take(year.to_numpy(dtype=float), np.nan).astype("float64"),
        sex=take(sex.astype(object), pd.NA).astype("string"),
        invalid=pd.Series(~valid[idx] & ~empty[idx], index=values.index),
    )


def _luhn_ok(ten: np.ndarray) -> np.ndarray:
    if len(ten) == 0:
        return np.zeros(0, dtype=bool)
    digits = np.frombuffer("".join(ten).encode("ascii"), dtype=np.uint8).reshape(-1, 10) - 48
    doubled = digits * np.array([2, 1, 2, 1, 2, 1, 2, 1, 2, 1])
    total = (doubled // 10 + doubled % 10).sum(axis=1)
    return np.asarray(total % 10 == 0)


def _date_ok(body: pd.Series) -> np.ndarray:
    month = pd.to_numeric(body.str[2:4], errors="coerce")
    day = pd.to_numeric(body.str[4:6], errors="coerce")
    # Samordningsnummer add 60 to the day.
    day = day.where(day <= 60, day - 60)
    return np.asarray(month.between(1, 12) & day.between(1, 31), dtype=bool)


def _century(extracted: pd.DataFrame, today: date) -> np.ndarray:
    """Century for 10-digit forms: the latest that is not in the future; '+' means 100+ years."""
    given = extracted["century"]
    yy = pd.to_numeric(extracted["body"].str[:2], errors="coerce").fillna(0).astype(int)
    this = today.year % 100
    base = np.where(yy <= this, today.year // 100, today.year // 100 - 1)
    base = np.where(extracted["sep"].fillna("") == "+", base - 1, base)
    inferred = pd.Series(base.astype(str))
    return np.asarray(given.fillna(inferred).astype(str).to_numpy(dtype=str))
