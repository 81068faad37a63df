"""Which insatser exist: the config's catalogue plus every name found in the data.

An insats is named on the command line by its slug or display name, ignoring case,
spacing and accents (å/ä/ö); a name in the data joins its catalogue entry the same way, so
`Resursrådet Haninge / Nynäshamn` in an export still gets the catalogue's goals. Names that
differ in anything else are different insatser; where their slugs collide, the later one's
slug gets a short suffix from its name.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ...config import Config, Insats
from ...errors import ParameterError
from ...inputs.schema import FileKind, fold
from ...inputs.session import Session
from ...slugs import MAX_LENGTH, short_hash, slugify


def identity(name: str) -> str:
    """What makes two names one insats: the name without case, accents and spacing."""
    decomposed = unicodedata.normalize("NFKD", str(name).lower())
    return "".join(ch for ch in decomposed if not ch.isspace() and not unicodedata.combining(ch))


def find(known: Sequence[Insats], name: str) -> Insats | None:
    """The insats of that name; else the one whose slug it is (or slugifies to)."""
    wanted = identity(name)
    found = next((i for i in known if identity(i.namn) == wanted), None)
    if found is None:
        found = next((i for i in known if i.key == name.strip()), None)
    if found is None:
        slug = slugify(name)
        found = next((i for i in known if i.key == slug), None)
    return found


def known_insatser(config: Config, names: Iterable[str]) -> list[Insats]:
    """The catalogue in its order, then insatser only found in the data, by name."""
    known = list(config.insatser)
    catalogue = {identity(i.namn) for i in known}
    extra: dict[str, Insats] = {}
    for name in names:
        text = str(name).strip()
        if text and identity(text) not in catalogue and identity(text) not in extra:
            extra[identity(text)] = Insats(namn=text)
    taken = {i.key for i in known}
    for key, named in sorted(extra.items(), key=lambda item: (fold(item[1].namn), item[0])):
        insats = named
        if named.key in taken:  # another name, the same slug: tell them apart by a suffix
            insats = Insats(namn=named.namn, slug=f"{named.key[:MAX_LENGTH - 9].rstrip('-')}-{short_hash(key)}")
        known.append(insats)
        taken.add(insats.key)
    return known


def with_anonyma(stints: pd.DataFrame, anonyma: pd.DataFrame | None,
                 config: Config) -> tuple[pd.DataFrame, list[Insats]]:
    """The anonymous counts (an empty frame when there are none) and the insatser of the catalogue and the data."""
    anon = anonyma if anonyma is not None else pd.DataFrame(columns=["insats", "ar", "kvinnor", "man"])
    names = [str(v) for v in (*stints["insats"].dropna().unique(), *anon["insats"].dropna().unique())]
    return anon, known_insatser(config, names)


def select(known: Sequence[Insats], wanted: Sequence[str]) -> list[Insats]:
    """The insatser asked for, in the order asked, each once; unknown names are a usage error."""
    chosen: list[Insats] = []
    for name in wanted:
        insats = find(known, name)
        if insats is None:
            listing = "\n".join(f"  {i.key}  ({i.namn})" for i in known) or "  (none: no data and no catalogue)"
            raise ParameterError(f"{{param:insatser}} {name!r}: no such insats. Known insatser:\n{listing}")
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
    if session.config.insatser:  # goal attainment is for the insatser with participants of their own
        return [i for i in session.config.insatser if i.inriktning == "individinriktad"]
    names = list(session.load(FileKind.DELTAGARE).frame["insats"].dropna().astype(str).unique())
    anonyma = session.load_optional(FileKind.ANONYMA)
    if anonyma is not None:
        names += list(anonyma.frame["insats"].dropna().astype(str).unique())
    return known_insatser(session.config, names)
