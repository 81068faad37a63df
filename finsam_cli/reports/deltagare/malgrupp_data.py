"""The figures of "Målgruppen och antalet deltagare" (annual report 1.3.1), across the association.

New participants are stints started in the year (Felregistrering is gone on load), as goal
attainment counts them; the breakdowns by municipality, referrer, age and education are of
those. Sex per insats group counts the participants active in the year, with the anonymous
participants (who count in totals by sex and nowhere else). Every count is one vectorised pass
of the shared stint metrics.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd

from ...config import Config, Insats
from ...inputs.schema import Kon, RemittentGrupp, Utbildningsniva
from .insatser import unit_column, with_anonyma
from .stint_metrics import MISSING, add_anonymous, age_band, by_sex, flows, in_period, year_period

ALL = "Alla"
OTHER_GROUP = "Övriga insatser"
SEXES = (Kon.KVINNA.value, Kon.MAN.value)
STATED_EDUCATION = (Utbildningsniva.FORGYMNASIAL.value, Utbildningsniva.GYMNASIAL.value,
                    Utbildningsniva.EFTERGYMNASIAL.value)


@dataclass(frozen=True)
class MalgruppFigures:
    """Counts with Kvinna/Man columns; every frame's rows are in the order the report shows them."""

    year: int
    new: int  # stints started in the year
    new_before: int  # stints started the year before
    kommun: pd.DataFrame  # index: municipality
    remittent: pd.DataFrame  # index: (group, fine value)
    remittent_kommun: pd.DataFrame  # index: referrer group; columns: municipalities (both in the orders above)
    alder: pd.DataFrame  # index: age band
    utbildning: pd.DataFrame  # index: education level (stated ones first, then Okänd/Uppgift saknas)
    kon_grupp: pd.DataFrame  # index: insats group; active participants in the year, anonymous included
    groups_of: dict[str, list[str]]  # insats group -> its insatser, for the notes

    @property
    def self_referred(self) -> int:
        groups = self.remittent.index.get_level_values(0)
        return int(self.remittent[groups == RemittentGrupp.EGEN_ANMALAN.value].to_numpy().sum())

    @property
    def education_stated(self) -> pd.DataFrame:
        return self.utbildning[self.utbildning.index.isin(STATED_EDUCATION)]


def compute(stints: pd.DataFrame, anonyma: pd.DataFrame | None, config: Config, year: int) -> MalgruppFigures:
    anon, known = with_anonyma(stints, anonyma, config)
    groups_of: dict[str, list[str]] = {}
    for insats in known:
        groups_of.setdefault(insats.grupp or OTHER_GROUP, []).append(insats.namn)
    if OTHER_GROUP in groups_of:  # the catch-all group last
        groups_of[OTHER_GROUP] = groups_of.pop(OTHER_GROUP)
    group_of = {i.key: i.grupp or OTHER_GROUP for i in known}

    frame = stints.assign(alla=pd.Categorical([ALL] * len(stints)))
    this, last = year_period(year), year_period(year - 1)
    new = frame[in_period(frame["inskrivningsdatum"], this).to_numpy()]
    new = new.assign(alder=age_band(new["inskrivningsdatum"], new["fodelsear"], config.malgrupp.bands))
    new["kon"] = new["kon"].astype(pd.CategoricalDtype(list(SEXES)))
    kon_grupp = active_by_sex(stints, anon, known, group_of, list(groups_of), year)

    kommun = _largest_first(_overall(new, "kommun"))
    remittent = _largest_first(_nonzero(by_sex(new, "remittent", "remittent_grupp")), levels=[0])
    by_kommun = by_sex(new, "remittent_grupp", "kommun").sum(axis=1).unstack(0, fill_value=0)
    groups = list(dict.fromkeys(remittent.index.get_level_values(0)))
    return MalgruppFigures(
        year=year, new=len(new),
        new_before=int(in_period(frame["inskrivningsdatum"], last).sum()),
        kommun=kommun, remittent=remittent,
        remittent_kommun=by_kommun.reindex(index=groups, columns=[k for k in kommun.index if k in by_kommun.columns],
                                           fill_value=0).astype(np.int64),
        alder=_nonzero(_overall(new, "alder"), keep=[b for b, _, _ in config.malgrupp.bands]),
        utbildning=_education(_overall(new, "utbildningsniva")),
        kon_grupp=kon_grupp.astype(np.int64),
        groups_of={g: names for g, names in groups_of.items() if g in kon_grupp.index},
    )


def active_by_sex(stints: pd.DataFrame, anonyma: pd.DataFrame, known: list[Insats], label_of: dict[str, str],
                  order: list[str], year: int) -> pd.DataFrame:
    """Participants active in the year by sex (Kvinna, Man), anonymous ones included, per label.

    `label_of` gives each insats (by key) its label: its group, or its own name; rows follow `order`,
    and labels without anyone are left out.
    """
    period = year_period(year)
    frame = stints.assign(_label=_labels(stints["insats"], known, label_of, order))
    frame["kon"] = frame["kon"].astype(pd.CategoricalDtype(list(SEXES)))
    anon = anonyma.assign(_label=_labels(anonyma["insats"].astype("string"), known, label_of, order),
                          ar=pd.to_numeric(anonyma["ar"], errors="coerce"))
    active = add_anonymous(flows(frame, [period], ["_label", "kon"]), anon, [period], "_label")
    table = active["deltagare"].xs(0, level="bin").unstack("kon").reindex(columns=list(SEXES), fill_value=0)
    table = table.reindex(order)  # unstack sorts by name
    table.index.name = None
    return table[table.sum(axis=1) > 0].astype(np.int64)


def _labels(names: pd.Series, known: list[Insats], label_of: dict[str, str], order: list[str]) -> pd.Series:
    """Each row's label (see `active_by_sex`) as a categorical in `order`."""
    keys = [i.key for i in known]
    unit = unit_column(names, known, keys)
    table = np.array([*(order.index(label_of[k]) for k in keys), -1], dtype=np.int64)  # -1: no insats
    codes = table[unit.cat.codes.to_numpy()]
    return pd.Series(pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(order)), index=names.index)


def _overall(stints: pd.DataFrame, column: str) -> pd.DataFrame:
    """Kvinna/Man counts per value of `column` across the association (no rows when nobody is counted)."""
    counts = by_sex(stints, column, "alla")
    if counts.empty:
        return pd.DataFrame({sex: pd.Series(dtype=np.int64) for sex in SEXES}, index=pd.Index([], name=column))
    return cast(pd.DataFrame, counts.xs(ALL))


def _largest_first(counts: pd.DataFrame, levels: list[int | str] | None = None) -> pd.DataFrame:
    """Rows by size, largest first, ties by name; a missing value last. With `levels`, within each group
    (the first index level), the groups themselves by size."""
    total = counts.sum(axis=1)
    value = counts.index.get_level_values(-1).astype(str)
    keys = pd.DataFrame({"missing": value == MISSING, "total": -total.to_numpy(), "name": value},
                        index=counts.index)
    by = ["missing", "total", "name"]
    if levels is not None:
        group = counts.index.get_level_values(0).astype(str)
        keys.insert(0, "group", group)
        keys.insert(0, "group_total", -total.groupby(group).transform("sum").to_numpy())
        by = ["group_total", "group", *by]
    return counts.loc[keys.sort_values(by, kind="stable").index]


def _nonzero(counts: pd.DataFrame, keep: list[str] = []) -> pd.DataFrame:  # noqa: B006 (never mutated)
    """Rows that count someone, and the `keep` rows always."""
    return counts[(counts.sum(axis=1) > 0) | counts.index.isin(keep)]


def _education(counts: pd.DataFrame) -> pd.DataFrame:
    """The stated levels in their order, then Okänd and missing as they occur."""
    rest = [v for v in counts.index if v not in STATED_EDUCATION]
    return counts.reindex([*STATED_EDUCATION, *rest], fill_value=0)
