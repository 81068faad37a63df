"""The participant export's rules across columns: the person (Deltagar-ID or a pseudonymised
Personnummer), dates, birth years, duplicates, referrer groups, and the categories reports count by."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from ..config import Profile
from .kinds import STINT_CATEGORIES
from .load import LoadOptions, _unique_map, holds_personnummer_digits
from .parse import per_distinct, present
from .problems import Problems
from .readers import RawTable
from .schema import REMITTENT_STEMS, Avslutsorsak, JaNej, RemittentGrupp, fold


def remittent_group(values: pd.Series, profile: Profile) -> tuple[pd.Series, list[str]]:
    """Place fine referrer values in groups; returns the groups and the unplaced values."""
    overrides = {fold(k): v.value for k, v in profile.remittent.items()}
    unplaced: list[str] = []

    def convert(text: str) -> tuple[str | None, bool]:
        if not text:
            return None, True
        key = fold(text)
        if key in overrides:
            return overrides[key], True
        words = [fold(w) for w in re.split(r"[\s/,.()-]+", text) if w]
        for group, stems in REMITTENT_STEMS.items():
            if key == fold(group.value) or any(w.startswith(s) for w in words for s in stems):
                return group.value, True
        unplaced.append(text)
        return RemittentGrupp.ANNAN.value, True

    # From a categorical (the stints' remittent) the groups come as the categorical they end as.
    groups, _ = _unique_map(values, convert, as_category=isinstance(values.dtype, pd.CategoricalDtype))
    return groups, sorted(unplaced)


def stint_rules(frame: pd.DataFrame, raw: RawTable, columns: dict[str, str], options: LoadOptions,
                 problems: Problems, warnings: list[str]) -> pd.DataFrame:
    person = frame.get("deltagar_id")
    pnr_invalid = pd.Series(False, index=frame.index)
    if person is not None:
        person = _hash_personnummer_ids(person, options, warnings, problems.file)
    if "personnummer" in columns:
        from .pseudonym import pseudonymise  # here: a file of Deltagar-IDs alone never needs it

        key = _key(options, warnings)
        pnr_text = _personnummer_text(raw.frame[columns["personnummer"]])
        # Only ASCII digits make a personnummer; other scripts' digits are invalid, not a crash.
        pnr_text = pnr_text.mask(pnr_text.str.contains(r"[^\x00-\x7f]", regex=True).fillna(False), "ogiltigt")
        pn = pseudonymise(pnr_text, key.secret, options.today)
        pnr_invalid = pn.invalid
        problems.add_rows(pn.invalid, columns["personnummer"], None,
                          "not a valid personnummer (format or check digit); value not shown")
        person = pn.key.fillna(person if person is not None else pd.NA)
        for name, derived in (("fodelsear", pn.birth_year), ("kon", pn.sex)):
            if name in frame:
                frame[name] = frame[name].fillna(derived)
            else:
                frame[name] = derived
    assert person is not None
    frame["person"] = person
    has_person = frame["person"].notna()  # the loader made blank ids missing; keys are never blank
    if "deltagar_id" in columns:
        problems.add_rows(~has_person & frame["deltagar_id"].isna(), columns["deltagar_id"], None,
                          "no Deltagar-ID or Personnummer on this row")
    if "personnummer" in columns:
        problems.add_rows(frame["kon"].isna() & ~pnr_invalid, columns.get("kon", columns["personnummer"]), None,
                          "Kön is empty and cannot be derived without a valid Personnummer")

    start, end = frame["inskrivningsdatum"], frame.get("avslutsdatum")
    today = pd.Timestamp(options.today)
    h_start = columns["inskrivningsdatum"]
    _add_date_rows(problems, start > today, h_start, start, "date is in the future")
    if end is not None:
        h_end = columns["avslutsdatum"]
        _add_date_rows(problems, end > today, h_end, end, "date is in the future")
        _add_date_rows(problems, end < start, h_end, end, "Avslutsdatum is before Inskrivningsdatum")
        reason = frame.get("avslutsorsak")
        h_reason = columns["avslutsorsak"]
        if reason is not None:
            has_end, has_reason = present(raw.frame[h_end]), present(raw.frame[h_reason])
            problems.add_rows(has_end & ~has_reason, h_reason, None,
                              "Avslutsorsak is required when Avslutsdatum is set")
            problems.add_rows(~has_end & has_reason, h_reason, raw.frame[h_reason],
                              "Avslutsorsak is given but Avslutsdatum is empty")
    else:
        frame["avslutsdatum"] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    if "avslutsorsak" not in frame:
        frame["avslutsorsak"] = None
    if "fodelsear" in frame:
        age = start.dt.year - frame["fodelsear"]
        header = columns.get("fodelsear", columns.get("personnummer"))
        implausible = frame["fodelsear"].notna() & start.notna() & ~age.between(10, 100)
        problems.add_rows(implausible, header, _int_text(frame["fodelsear"][implausible]),
                          "implausible birth year: age at start must be 10–100")
    frame["person"] = _category(frame["person"])  # as _finish_stints makes it; hashed once, here
    _duplicates(frame, columns, problems)

    if "remittent" in frame:
        groups, unplaced = remittent_group(frame["remittent"], options.profile)
        frame["remittent_grupp"] = groups
        if unplaced:
            shown = ", ".join(repr(u) for u in unplaced[:10]) + (" …" if len(unplaced) > 10 else "")
            warnings.append(f"{problems.file}: {len(unplaced)} Remittent value(s) could not be placed in a "
                            f"group and count as 'Annan': {shown}; map them in [profiler.<profil>.remittent]")
    fatt = frame.get("fatt_insats")
    frame["fatt_insats"] = True if fatt is None else (fatt != JaNej.NEJ.value)
    return _finish_stints(frame)


def _personnummer_text(values: pd.Series) -> pd.Series:
    """The column as text; a number cell (xlsx) is written out whole, with the leading zeros Excel drops.

    A 10-digit personnummer of someone born 2000–2009 starts with 0, which a number cell loses
    (0101011234 becomes 101011234). Only real number cells are padded: typed text is left as it is,
    so a digit missing by mistake is not made into someone else's number.
    """
    text = values.astype("string")
    if values.dtype != object:
        return text
    numbers = values.map(type).isin((int, float)).to_numpy()
    if not numbers.any():
        return text
    whole = pd.to_numeric(values[numbers], errors="coerce").astype("float64")
    plausible = whole.between(1, 10**12 - 1) & (whole == np.floor(whole))
    padded = whole[plausible].astype("int64").astype("string").str.zfill(10)
    return text.mask(plausible.reindex(values.index, fill_value=False), padded.reindex(values.index))


def _key(options: LoadOptions, warnings: list[str]) -> Any:
    from .pseudonym import load_key

    key = load_key(options.key_file)
    if key.created_at is not None:
        warnings.append(f"created a new pseudonym key file at {key.created_at} (readable only by you); "
                        "copy it to every machine that must give the same keys")
    return key


_PNR_ID = re.compile(r"(?:[0-9]{2})?[0-9]{6}[-+]?[0-9]{4}")
_PNR_LINE = re.compile(r"^\s*(?:[0-9]{2})?[0-9]{6}[-+]?[0-9]{4}\s*$", re.MULTILINE)


def _hash_personnummer_ids(ids: pd.Series, options: LoadOptions, warnings: list[str], file: str) -> pd.Series:
    """A Deltagar-ID that is a personnummer is replaced by the same keyed hash the Personnummer column gets."""
    import hashlib
    import hmac

    if not holds_personnummer_digits(ids.cat.categories if isinstance(ids.dtype, pd.CategoricalDtype) else ids):
        return ids
    codes, uniques = pd.factorize(ids)
    if not _PNR_LINE.search("\n".join(str(u) for u in uniques)):  # one C-level scan for the usual case
        return ids
    looks = np.array([bool(_PNR_ID.fullmatch(str(u).strip())) for u in uniques] + [False], dtype=bool)
    if not looks.any():
        return ids
    from .pseudonym import pseudonymise

    key = _key(options, warnings)
    candidates = pd.Series([str(u).strip() for u in uniques], dtype="string").where(looks[:-1])
    pn = pseudonymise(candidates, key.secret, options.today)
    hashed = [
        k if isinstance(k, str) else hmac.new(key.secret, f"id:{u}".encode(), hashlib.sha256).hexdigest()[:20]
        for k, u in zip(pn.key.astype(object).where(pn.key.notna(), None), uniques, strict=True)
    ]
    replaced = np.array([*hashed, None], dtype=object)[codes]
    hit = looks[codes]
    warnings.append(f"{file}: {int(hit.sum())} Deltagar-ID value(s) are personnummer; they are replaced by "
                    "keyed hashes on load")
    return ids.astype(object).mask(pd.Series(hit, index=ids.index), pd.Series(replaced, index=ids.index))


def _int_text(values: pd.Series) -> pd.Series:
    """`values.astype("Int64").astype("string")`, converted once per distinct value."""
    return per_distinct(values, lambda u: u.astype("Int64").astype("string"))


def _add_date_rows(problems: Problems, mask: pd.Series, header: str, dates: pd.Series, message: str) -> None:
    """One problem per row of `mask`, showing its date (each mask is compared once, over a million rows)."""
    problems.add_rows(mask, header, _formatted(dates[mask]), message)


def _formatted(dates: pd.Series) -> pd.Series:
    # Callers pass only the rows they report; still, each distinct date is formatted once.
    return per_distinct(dates, lambda u: u.dt.strftime("%Y-%m-%d"))


def _duplicates(frame: pd.DataFrame, columns: dict[str, str], problems: Problems) -> None:
    """Stints that repeat (person, Insats, Inskrivningsdatum); the key is one integer per row, hashed once.

    Only the stints of persons with more than one stint can repeat: the rest (most of a large export)
    are left out before the keys are made and hashed.
    """
    person, persons = _codes(frame["person"])
    usable = person >= 0
    usable &= np.bincount(person[usable], minlength=max(persons, 1))[np.maximum(person, 0)] > 1
    rows = np.flatnonzero(usable)
    key = person[rows].astype(np.int64)
    known = np.ones(len(rows), dtype=bool)
    for name in ("insats", "inskrivningsdatum"):
        codes, distinct = _codes(frame[name].iloc[rows])
        known &= codes >= 0
        key = key * max(distinct, 1) + codes  # below 2**63 for up to a million of each
    keys = pd.Series(key[known], index=frame.index[rows[known]])
    dup = keys.duplicated(keep="first")
    if not dup.any():
        return
    first_row = pd.Series(keys.index, index=keys.index).groupby(keys.to_numpy(), sort=False).transform("first")
    header = columns.get("deltagar_id") or columns["personnummer"]
    mask = pd.Series(False, index=frame.index)
    mask.loc[dup[dup].index] = True
    problems.add_rows(mask, header, None, _duplicate_message, detail=first_row.reindex(frame.index))


def _codes(values: pd.Series) -> tuple[np.ndarray, int]:
    """Each row's code (-1: missing) and the number of distinct values."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(), len(values.cat.categories)
    codes, distinct = pd.factorize(values)
    return codes, len(distinct)


def _duplicate_message(first_row: Any) -> str:
    return f"the same stint (person, Insats, Inskrivningsdatum) is already on row {int(first_row)}"


def _category(values: pd.Series) -> pd.Series:
    """`values.astype("category")`; for text, the same categories and codes in about half the time."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values  # what astype gives, without copying the codes
    if not isinstance(values.dtype, pd.StringDtype):
        return values.astype("category")
    codes, uniques = pd.factorize(values, sort=True)
    return pd.Series(pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(uniques), validate=False),
                     index=values.index, name=values.name)


def _finish_stints(frame: pd.DataFrame) -> pd.DataFrame:
    for name in ("kommun", "remittent", "remittent_grupp", "utbildningsniva",
                 "forsorjning_start", "forsorjning_slut", "forsorjning_uppfoljning"):
        if name not in frame:
            frame[name] = None
    if "fodelsear" not in frame:
        frame["fodelsear"] = np.nan  # optional column: reports see "unknown age", not a missing column
    for name in STINT_CATEGORIES:
        frame[name] = _category(frame[name])
    frame = frame.drop(columns=[c for c in ("deltagar_id", "personnummer") if c in frame])
    return frame[frame["avslutsorsak"] != Avslutsorsak.FELREGISTRERING.value]  # a new frame: no .copy()
