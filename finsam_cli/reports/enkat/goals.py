"""Survey goals of an insats (`[insatser.mal.ÅR.enkat]`): each question's share positive against its goal."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ...errors import ConfigError
from ...inputs.enkat import questions
from ...inputs.problems import suggestion
from ...slugs import slugify
from ..model import Period, PeriodKind
from .summary import QuestionResult, insats_slugs, tally


@dataclass(frozen=True)
class SurveyGoal:
    question: str
    goal: float  # percent, as configured
    result: QuestionResult  # the insats's answers in the period (all its respondent groups)

    @property
    def met(self) -> bool | None:
        """Met when the share as shown (whole percent, half up) reaches the goal; None without answers."""
        percent = self.result.percent
        return None if percent is None else percent >= self.goal


def survey_goals(frame: pd.DataFrame, period: Period, insats: str, goals: dict[str, float],
                 file: str) -> list[SurveyGoal]:
    """Each goal's question answered by the insats's rows in the period (the insats matched by its slug)."""
    asked = questions(frame)
    for question in goals:
        if question not in asked:
            raise ConfigError(f"insatser.mal.{period.year}.enkat: {file} has no question {question!r}"
                              + suggestion(question, asked))
    dates = frame["datum"] if "datum" in frame else pd.Series(pd.NaT, index=frame.index)
    in_period = (frame["ar"] == period.year) & ((period.kind is PeriodKind.YEAR) | (dates <= pd.Timestamp(period.end)))
    answered, positive = tally(frame.loc[in_period & (insats_slugs(frame) == slugify(insats)), list(goals)])
    return [SurveyGoal(q, goal, QuestionResult(q, int(answered[q]), int(positive[q]))) for q, goal in goals.items()]
