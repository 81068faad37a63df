"""The survey answers file kind: its question columns and answer scale.

The fixed columns (Enkät, Insats, Datum/År, Kön) are the schema's `EnkatRow` and go through
the loader like any file kind. Every other column is a question, headed by its full text;
its answers become small integers, found once per distinct answer:

    1 positive, 0 negative, -1 not an answer (Vet ej, Ej aktuellt), missing for a blank cell.
"""

from __future__ import annotations

from functools import partial

import pandas as pd

from ..config import Svarsskala
from .load import map_category
from .parse import present
from .problems import Problems, suggestion
from .readers import RawTable
from .schema import FileKind, fields_of, fold

POSITIVE, NEGATIVE, NOT_AN_ANSWER = 1, 0, -1
FIXED_COLUMNS = frozenset(f.name for f in fields_of(FileKind.ENKAT))
_CODES = {"positiva": POSITIVE, "ej_svar": NOT_AN_ANSWER, "negativa": NEGATIVE}


def questions(frame: pd.DataFrame) -> list[str]:
    """The question columns of a loaded survey frame, in the file's order."""
    return [c for c in frame.columns if c not in FIXED_COLUMNS]


def answer_table(scale: Svarsskala) -> dict[str, str]:
    """Folded answer -> the name of its list (positiva, ej_svar, negativa)."""
    return {fold(answer): name for name, answers in zip(_CODES, scale.lists(), strict=True) for answer in answers}


def survey_rules(frame: pd.DataFrame, raw: RawTable, columns: dict[str, str], scale: Svarsskala,
                 problems: Problems, warnings: list[str]) -> pd.DataFrame:
    """Add the question columns to the loaded fixed columns, answers coded; unknown answers are problems."""
    table = answer_table(scale)
    matched = set(columns.values())
    coded: dict[str, pd.Series] = {}
    for header in raw.frame.columns:
        if header in matched:
            continue
        values = raw.frame[header]
        if not header or header.startswith("Unnamed: "):
            problems.add_rows(present(values), header or None, values,
                              "a column without a header holds answers; head it with the question's text")
            continue
        lists, ok = map_category(values, table)
        problems.add_rows(~ok, header, values, partial(_unknown_answer, scale=scale))
        coded[header] = lists.map(_CODES).astype("Int8")
        if not present(values).any():
            warnings.append(f"{problems.file}: the question {header!r} has no answers at all")
    return pd.concat([frame, pd.DataFrame(coded, index=frame.index)], axis=1)


def _unknown_answer(raw: object, *, scale: Svarsskala) -> str:
    positive, not_an_answer, negative = scale.lists()
    known = [*positive, *not_an_answer, *negative]
    return (f"unknown answer (positive: {', '.join(positive)}; not an answer: {', '.join([*not_an_answer, 'blank'])}; "
            f"negative: {', '.join(negative)}); list it under [enkat.svar] in finsam.toml"
            + suggestion(raw, known))
