"""Which insatser exist: the config's catalogue plus every name found in the data.

An insats is named on the command line by its slug or display name, ignoring case,
spacing and å/ä/ö; a name in the data joins its catalogue entry the same way, so
`Resursrådet Haninge / Nynäshamn` in an export still gets the catalogue's goals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ...config import Config, Insats
from ...errors import UsageError
from ...inputs.schema import FileKind, fold
from ...inputs.session import Session
from ...slugs import slugify


def _names_of(insats: Insats) -> set[str]:
    return {fold(insats.namn), fold(insats.key)}


def find(known: Sequence[Insats], name: str) -> Insats | None:
    wanted, slug = fold(name), slugify(name)
    return next((i for i in known if wanted in _names_of(i) or slug == i.key), None)


def known_insatser(config: Config, names: Iterable[str]) -> list[Insats]:
    """The catalogue in its order, then insatser only found in the data, by name."""
    known = list(config.insatser)
    extra: dict[str, Insats] = {}
    for name in names:
        text = str(name).strip()
        if text and find(known, text) is None and fold(text) not in extra:
            extra[fold(text)] = Insats(namn=text)
    taken = {i.key for i in known}
    for insats in sorted(extra.values(), key=lambda i: fold(i.namn)):
        if insats.key not in taken:  # two spellings that only differ in punctuation: one insats
            known.append(insats)
            taken.add(insats.key)
    return known


def select(known: Sequence[Insats], wanted: Sequence[str]) -> list[Insats]:
    """The insatser asked for, in the order asked, each once; unknown names are a usage error."""
    chosen: list[Insats] = []
    for name in wanted:
        insats = find(known, name)
        if insats is None:
            listing = "\n".join(f"  {i.key}  ({i.namn})" for i in known) or "  (none: no data and no catalogue)"
            raise UsageError(f"--insats {name!r}: no such insats. Known insatser:\n{listing}")
        if insats not in chosen:
            chosen.append(insats)
    return chosen


def unit_column(names: pd.Series, known: Sequence[Insats], keys: Sequence[str]) -> pd.Series:
    """Each row's insats as a categorical of `keys` (slugs); rows of other insatser become missing."""
    values = names if isinstance(names.dtype, pd.CategoricalDtype) else names.astype("string").astype("category")
    position = {key: i for i, key in enumerate(keys)}
    lookup = []
    for category in values.cat.categories:
        insats = find(known, str(category))
        lookup.append(position.get(insats.key, -1) if insats is not None else -1)
    table = np.array([*lookup, -1], dtype=np.int64)  # code -1 (missing name) picks the last entry
    codes = table[values.cat.codes.to_numpy()]
    return pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(list(keys))), index=names.index)


def export_insatser(session: Session) -> list[Insats]:
    """The insatser an export makes a report for: the catalogue; without one, every insats in the data
    (spellings of one name count once)."""
    if session.config.insatser:
        return list(session.config.insatser)
    names = list(session.load(FileKind.DELTAGARE).frame["insats"].dropna().astype(str).unique())
    anonyma = session.load_optional(FileKind.ANONYMA)
    if anonyma is not None:
        names += list(anonyma.frame["insats"].dropna().astype(str).unique())
    return known_insatser(session.config, names)
