"""The survey summary, computed: per respondent group, its answers and each question's share positive.

Pure computation on the loaded survey frame (see `finsam_cli.inputs.enkat` for the coding of
answers). Shares are rounded half up, in integers: 6 of 7 is 86 %, 17 of 32 (53.125 %) is 53 %.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from ...errors import ParameterError, Reason, UsageError
from ...inputs.enkat import NOT_AN_ANSWER, POSITIVE, questions
from ...inputs.parse import per_distinct
from ...inputs.schema import Kon
from ...slugs import slugify
from ..ekonomi.budget_data import years_in
from ..model import Period, PeriodKind

SEX_LABELS = {Kon.KVINNA.value: "kvinnor", Kon.MAN.value: "män"}


@dataclass(frozen=True)
class QuestionResult:
    question: str
    answers: int  # without Vet ej, Ej aktuellt and blank
    positive: int

    @property
    def share(self) -> float | None:
        return self.positive / self.answers if self.answers else None

    @property
    def percent(self) -> int | None:
        """The share in whole percent, rounded half up (exactly, in integers)."""
        return (200 * self.positive + self.answers) // (2 * self.answers) if self.answers else None


@dataclass(frozen=True)
class GroupResult:
    group: str  # the Enkät value
    respondents: int  # answered questionnaires (rows)
    questions: tuple[QuestionResult, ...]  # those the group's rows answer at all, in the file's order
    insats: str | None = None
    kon: str | None = None

    @property
    def label(self) -> str:
        """`Deltagare`, `Deltagare – Case Manager`, `Deltagare, kvinnor`."""
        label = self.group if self.insats is None else f"{self.group} – {self.insats}"
        return label if self.kon is None else f"{label}, {SEX_LABELS[self.kon]}"


@dataclass(frozen=True)
class LeftOut:
    """An insats left out of a group by the minimum number of answers."""

    group: str
    insats: str
    answers: int


@dataclass(frozen=True)
class SurveySummary:
    period: Period
    minimum: int  # answers an insats needs in the period to count in its group
    groups: tuple[GroupResult, ...]
    per_insats: tuple[GroupResult, ...]
    by_sex: tuple[GroupResult, ...]
    left_out: tuple[LeftOut, ...]


def summarise(frame: pd.DataFrame, period: Period, *, minimum: int, file: str,
              insatser: Sequence[str] = ()) -> SurveySummary:
    """The summary of the answers in `period`; `insatser` (if given) keeps only rows naming one of them."""
    rows = _in_period(frame, period, file)
    if insatser:
        rows = _of_insatser(rows, insatser, file, period)
    counted, left_out = _minimum_rule(rows, minimum)
    asked = questions(frame)
    groups, per_insats, by_sex = [], [], []
    for group, sub in counted.groupby("enkat", sort=False):
        groups.append(_result(sub, asked, str(group)))
        for insats, part in sub.groupby("insats", sort=False):
            per_insats.append(_result(part, asked, str(group), insats=str(insats)))
        if "kon" in sub:
            for kon in SEX_LABELS:
                part = sub[sub["kon"] == kon]
                if len(part):
                    by_sex.append(_result(part, asked, str(group), kon=kon))
    return SurveySummary(period, minimum, tuple(groups), tuple(per_insats), tuple(by_sex), tuple(left_out))


def missing_period(frame: pd.DataFrame, period: Period, file: str) -> str | None:
    """Why the file gives no summary for the period (for an export to skip it), or None when it does."""
    try:
        _in_period(frame, period, file)
    except UsageError as exc:
        return Reason.of(exc)
    return None


def _in_period(frame: pd.DataFrame, period: Period, file: str) -> pd.DataFrame:
    in_year = frame[frame["ar"] == period.year]
    if in_year.empty:
        held = years_in(frame["ar"])
        raise UsageError(f"{file}: no survey answers in {period.year} (years in the file: {held})",
                         sv=f"{file}: inga enkätsvar {period.year} (år i filen: {held})")
    if period.kind is PeriodKind.YEAR:
        return in_year
    dates = in_year["datum"] if "datum" in in_year else pd.Series(pd.NaT, index=in_year.index)
    if dates.isna().any():
        undated = int(dates.isna().sum())
        raise UsageError(f"{file}: {undated} answer(s) in {period.year} have a year but no "
                         f"Datum, so they cannot be placed in January–{period.end:%B}",
                         sv=f"{file}: {undated} svar {period.year} har år men inget datum och kan inte placeras "
                            f"i {period.label}")
    rows = in_year[(dates >= pd.Timestamp(period.start)) & (dates <= pd.Timestamp(period.end))]
    if rows.empty:
        span = f"{period.start.isoformat()} to {period.end.isoformat()}"
        raise UsageError(f"{file}: no survey answers from {span}", sv=f"{file}: inga enkätsvar {period.label}")
    return rows


def _of_insatser(rows: pd.DataFrame, insatser: Sequence[str], file: str, period: Period) -> pd.DataFrame:
    """The rows of the insatser asked for, each given by its name or slug (`case-manager`)."""
    names = _insats_names(rows)
    slugs = insats_slugs(rows)
    unknown = [name for name in insatser if not (slugs == slugify(name)).any()]
    if unknown:
        known = ", ".join(sorted({str(n) for n in names.dropna().unique()})) or "none"
        raise ParameterError(f"{{param:insatser}} {unknown[0]!r}: {file} has no answers for it in {period.year} "
                             f"(insatser with answers: {known})")
    return rows[slugs.isin({slugify(name) for name in insatser}) & names.notna()]


def _insats_names(rows: pd.DataFrame) -> pd.Series:
    return rows["insats"] if "insats" in rows else pd.Series(pd.NA, index=rows.index, dtype="string")


def insats_slugs(rows: pd.DataFrame) -> pd.Series:
    """Each row's insats as a slug (`Case Manager` -> `case-manager`), '' where none; once per distinct name."""
    return per_distinct(_insats_names(rows).fillna(""), lambda u: u.map(slugify))


def _minimum_rule(rows: pd.DataFrame, minimum: int) -> tuple[pd.DataFrame, list[LeftOut]]:
    """Leave out, in each group whose rows name an insats, the insatser with fewer than `minimum` answers."""
    if "insats" not in rows:
        return rows, []
    sizes = rows.groupby(["enkat", "insats"], sort=False).size()
    small = sizes[sizes < minimum]
    if small.empty:
        return rows, []
    pairs = pd.MultiIndex.from_frame(rows[["enkat", "insats"]])
    keep = ~pairs.isin(small.index)
    left_out = [LeftOut(str(group), str(insats), int(n)) for (group, insats), n in zip(small.index, small, strict=True)]
    return rows[keep], left_out


def tally(codes: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Per question column: its number of answers (without the non-answers) and of positive answers."""
    return (codes > NOT_AN_ANSWER).sum(), (codes == POSITIVE).sum()


def _result(rows: pd.DataFrame, asked: list[str], group: str, *, insats: str | None = None,
            kon: str | None = None) -> GroupResult:
    codes = rows[asked]
    touched = codes.notna().any()  # a question the group's rows left wholly blank is not theirs
    answered, positive = tally(codes)
    results = tuple(QuestionResult(q, int(answered[q]), int(positive[q])) for q in asked if touched[q])
    return GroupResult(group, len(rows), results, insats=insats, kon=kon)
