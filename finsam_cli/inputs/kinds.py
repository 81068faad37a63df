"""The rules that belong to one file kind, as hooks the generic loader (inputs/load.py) calls.

The loader reads, matches headers and parses every column the same way for every kind; what one
kind adds (columns that stand in for each other, rules across columns, what makes a file look like
that kind) is here, one entry per kind that has any.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .schema import FileKind, fold

if TYPE_CHECKING:
    import pandas as pd

    from .load import LoadOptions
    from .problems import Problems
    from .readers import RawTable

# (frame, raw, columns, options, problems, warnings) -> frame: the kind's rules across columns, after parsing.
Rules = Callable[["pd.DataFrame", "RawTable", dict[str, str], "LoadOptions", "Problems", list[str]], "pd.DataFrame"]


@dataclass(frozen=True)
class KindRules:
    # Files no report can be made without when empty (an empty list of explanations is fine).
    needs_rows: bool = False
    # (columns found, required columns missing) -> the missing columns to name, in order.
    missing: Callable[[Mapping[str, str], list[str]], list[str]] = lambda columns, missing: missing
    # (fields found with their headers, required fields, the file's headers) -> whether the file is this kind.
    complete: Callable[[Mapping[str, str], set[str], list[str]], bool] = \
        lambda found, required, headers: required <= set(found)
    # (field, columns found) -> parse a categorical column of the file as a category (distinct values once).
    as_category: Callable[[str, Mapping[str, str]], bool] = lambda name, columns: False
    # (field, columns found) -> a required field whose empty cells another column fills.
    derivable: Callable[[str, Mapping[str, str]], bool] = lambda name, columns: False
    rules: Rules | None = field(default=None)


# --- deltagare ---------------------------------------------------------------------------------

STINT_CATEGORIES = ("person", "insats", "kommun", "kon", "avslutsorsak", "remittent", "remittent_grupp",
                    "forsorjning_start", "forsorjning_slut", "forsorjning_uppfoljning", "utbildningsniva")


def _stint_missing(columns: Mapping[str, str], missing: list[str]) -> list[str]:
    """A person is a Deltagar-ID or a Personnummer; Kön comes from the Personnummer; an end needs its reason."""
    if "deltagar_id" not in columns and "personnummer" not in columns:
        missing = ["Deltagar-ID (or Personnummer)", *missing]
    if "personnummer" in columns and "kon" not in columns:
        missing = [m for m in missing if m != "Kön"]
    if "avslutsdatum" in columns and "avslutsorsak" not in columns:
        missing = [*missing, "Avslutsorsak"]
    return missing


def _stint_complete(found: Mapping[str, str], required: set[str], headers: list[str]) -> bool:
    needed = (required - {"kon"}) | ({"personnummer"} if "deltagar_id" not in found else set())
    return needed <= set(found)


def _stint_rules(frame: pd.DataFrame, raw: RawTable, columns: dict[str, str], options: LoadOptions,
                 problems: Problems, warnings: list[str]) -> pd.DataFrame:
    from .stints import stint_rules  # stints.py needs STINT_CATEGORIES from here

    return stint_rules(frame, raw, columns, options, problems, warnings)


DELTAGARE = KindRules(
    needs_rows=True, missing=_stint_missing, complete=_stint_complete,
    # Fått insats is only compared with "Nej", which a category answers the same way.
    as_category=lambda name, columns: name in (*STINT_CATEGORIES, "fatt_insats")
    and not (name == "kon" and "personnummer" in columns),
    derivable=lambda name, columns: name == "kon" and "personnummer" in columns,
    rules=_stint_rules)


# --- utfall ------------------------------------------------------------------------------------


def _outcome_rules(frame: pd.DataFrame, raw: RawTable, columns: dict[str, str], options: LoadOptions,
                   problems: Problems, warnings: list[str]) -> pd.DataFrame:
    """Aggregated outcome has År, transactions have Datum (År then comes from it)."""
    if "datum" in frame:
        derived = frame["datum"].dt.year.astype("float64")
        frame["ar"] = frame["ar"].fillna(derived) if "ar" in frame else derived
    header = columns.get("ar") or columns["datum"]
    problems.add_rows(frame["ar"].isna() & (frame.get("datum", frame["ar"]).isna()), header, None,
                      "the row has neither År nor Datum")
    return frame


def _year_or_date_missing(columns: Mapping[str, str], missing: list[str]) -> list[str]:
    return missing if {"ar", "datum"} & set(columns) else ["År or Datum", *missing]


def _year_or_date_complete(found: Mapping[str, str], required: set[str], headers: list[str]) -> bool:
    return required <= set(found) and bool({"ar", "datum"} & set(found))


def _outcome_missing(columns: Mapping[str, str], missing: list[str]) -> list[str]:
    """A ledger (a Konto column) gives the post from the account and objects."""
    missing = _year_or_date_missing(columns, missing)
    return [m for m in missing if m != "Post"] if "konto" in columns else missing


UTFALL = KindRules(
    needs_rows=True, missing=_outcome_missing, complete=_year_or_date_complete,
    derivable=lambda name, columns: name == "post" and "konto" in columns,
    rules=_outcome_rules)


# --- enkat -------------------------------------------------------------------------------------


def _survey_rules(frame: pd.DataFrame, raw: RawTable, columns: dict[str, str], options: LoadOptions,
                  problems: Problems, warnings: list[str]) -> pd.DataFrame:
    """År from Datum, each row needs one of them (as for the outcome); every other column is a question."""
    from .enkat import survey_rules  # it builds on the loader

    frame = _outcome_rules(frame, raw, columns, options, problems, warnings)
    return survey_rules(frame, raw, columns, options.answers, problems, warnings)


ENKAT = KindRules(missing=_year_or_date_missing, complete=_year_or_date_complete, rules=_survey_rules)


# --- prognos -----------------------------------------------------------------------------------


def _prognos_missing(columns: Mapping[str, str], missing: list[str]) -> list[str]:
    return [*missing, *(header for name, header in (("post", "Post"), ("prognos", "Prognos")) if name not in columns)]


def _prognos_complete(found: Mapping[str, str], required: set[str], headers: list[str]) -> bool:
    """A Post and a Prognos, and no Belopp: a file with an amount beside its forecast is a budget or outcome."""
    return "post" in found and "prognos" in found and fold("Belopp") not in {fold(h) for h in headers}


def _prognos_rules(frame: pd.DataFrame, raw: RawTable, columns: dict[str, str], options: LoadOptions,
                   problems: Problems, warnings: list[str]) -> pd.DataFrame:
    """A forecast names its line; a row without a forecast is none (left out)."""
    from .parse import present

    problems.add_rows(~present(raw.frame[columns["post"]]) & frame["prognos"].notna(), columns["post"], None,
                      "required value is empty")
    if "ar" not in frame:
        frame["ar"] = float("nan")
    return frame.loc[frame["prognos"].notna(), ["ar", "post", "prognos"]]


PROGNOS = KindRules(missing=_prognos_missing, complete=_prognos_complete, rules=_prognos_rules)


RULES: dict[FileKind, KindRules] = {
    FileKind.DELTAGARE: DELTAGARE,
    FileKind.UTFALL: UTFALL,
    FileKind.PROGNOS: PROGNOS,
    FileKind.ENKAT: ENKAT,
    FileKind.BUDGET: KindRules(needs_rows=True),
    FileKind.BEFOLKNING: KindRules(needs_rows=True),
}
GENERIC = KindRules()


def rules_for(kind: FileKind) -> KindRules:
    return RULES.get(kind, GENERIC)
