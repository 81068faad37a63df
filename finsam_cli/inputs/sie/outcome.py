"""The outcome (utfall) from an SIE file: the result accounts' transactions of a report year, per post.

The account class decides group and sign: 3xxx revenue (credit, shown positive), 4xxx–7xxx costs
(shown as they are), 8000–8499 financial items net as income (credit positive, a bank fee is
negative), 8700–8799 extraordinary items, likewise. 8990–8999, the year-end result, are left out;
any other result account is an error naming it. Amounts stay in öre until shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np
import pandas as pd

from ...errors import DataError, ParameterError, Problem, UsageError
from .checks import kronor, year_transactions
from .model import SieFile, object_column

REVENUE, COST, FINANCIAL, EXTRAORDINARY = "revenue", "cost", "financial", "extraordinary"
CREDIT_SHOWN_POSITIVE = {REVENUE, FINANCIAL, EXTRAORDINARY}
YEAR_END_RESULT = range(8990, 10000)  # closing entries; 9000+ is outside the chart and caught below
POST_DIMENSIONS = (6, 1)  # Projekt when the file uses it, else Kostnadsställe

AccountPosts = Mapping[int | tuple[int, int], str]  # an account, or an inclusive range, -> post


def account_class(account: int) -> str | None:
    """The outcome class of a result account; None for a balance account or the year-end result."""
    if account < 3000 or 8990 <= account <= 8999:
        return None
    if account < 4000:
        return REVENUE
    if account < 8000:
        return COST
    if account < 8500:
        return FINANCIAL
    if 8700 <= account < 8800:
        return EXTRAORDINARY
    raise ValueError(account)


@dataclass(frozen=True)
class SieOutcome:
    frame: pd.DataFrame  # Post, Klass (revenue/cost/financial/extraordinary), ore (int64), Belopp (kronor)
    start: date
    end: date
    dimension: int | None  # the post dimension used, None when no transaction has an object in it
    revenues: int  # öre, as shown (positive)
    costs: int
    financial: int
    extraordinary: int
    res_checked: bool = False  # the result was found equal to the file's own #RES for the year

    @property
    def result(self) -> int:
        """Revenues − costs + financial items (+ extraordinary items), in öre."""
        return self.revenues - self.costs + self.financial + self.extraordinary


def sie_outcome(sie: SieFile, year: int, *, half: bool = False, until: date | None = None,
                dimension: int | None = None, posts: AccountPosts | None = None) -> SieOutcome:
    """Outcome per post for the financial year that starts in `year` (found through #RAR).

    `half` keeps the first six months, `until` the transactions up to that date (by transaction
    date). The post of a transaction is its object's name in `dimension` (default 6 when the file
    uses it, else 1), else `posts` (account or range -> post), else the account's name.
    For a whole year, the result must equal the file's own #RES for the result accounts.
    """
    index = sie.year_index(year)
    if index is None:
        held = ", ".join(str(y) for y in sie.year_starts)
        raise UsageError(f"{sie.file} holds no financial year {year} (#RAR): it holds {held or 'no years'}")
    start, end = sie.years[index]
    tx = year_transactions(sie, index)
    if tx.empty and not sie.transactions.empty:
        raise UsageError(f"{sie.file} has no vouchers in {year} ({start.isoformat()}–{end.isoformat()}); "
                         f"its vouchers are dated {_voucher_span(sie)}")
    last = end
    if half:
        last = min(last, _six_months_on(start) - timedelta(days=1))
    if until is not None:
        if until < start:
            raise ParameterError(f"{{param:till}} {until.isoformat()} is before {year} starts ({start.isoformat()})")
        last = min(last, until)
    if last != end:
        tx = tx[tx["date"].to_numpy() <= np.datetime64(last)]

    # Integer codes throughout: a million rows, a few dozen posts.
    account_codes, accounts = pd.factorize(tx["account"].to_numpy())
    klass = _classes(sie, tx, account_codes, accounts.tolist())[account_codes]
    kept = klass >= 0  # the others (balance accounts, the year-end result) fall in group -1, dropped below
    used = _post_dimension(tx, dimension, kept)
    post, names = _posts(sie, tx, account_codes, accounts.tolist(), used, posts)
    shown = tx["amount_ore"].to_numpy() * SHOWN_SIGN[klass]
    # (post, class) in order of first appearance
    groups, keys = pd.factorize(np.where(kept, post * len(CLASSES) + klass, -1))
    sums = np.zeros(len(keys), dtype=np.int64)
    np.add.at(sums, groups, shown)
    if not kept.all():
        sums, keys = sums[keys >= 0], keys[keys >= 0]
    frame = pd.DataFrame({"Post": pd.Series([names[k // len(CLASSES)] for k in keys.tolist()], dtype=object),
                          "Klass": pd.Series([CLASSES[k % len(CLASSES)] for k in keys.tolist()], dtype=object),
                          "ore": sums})
    frame["Belopp"] = frame["ore"] / 100
    totals = frame.groupby("Klass")["ore"].sum()
    revenues, costs, financial, extraordinary = (int(totals.get(k, 0)) for k in (REVENUE, COST, FINANCIAL,
                                                                                 EXTRAORDINARY))
    outcome = SieOutcome(frame, start, last, used, revenues, costs, financial, extraordinary)
    if last == end and _check_against_res(sie, index, year, outcome):
        return replace(outcome, res_checked=True)
    return outcome


def _six_months_on(start: date) -> date:
    month = start.month + 6
    return date(start.year + (month - 1) // 12, (month - 1) % 12 + 1, start.day)


def _voucher_span(sie: SieFile) -> str:
    dates = sie.vouchers["date"]
    return f"{dates.min():%Y-%m-%d}–{dates.max():%Y-%m-%d}"


def _classes(sie: SieFile, tx: pd.DataFrame, codes: np.ndarray, accounts: list[int]) -> np.ndarray:
    """The class (index into CLASSES, -1 where it is no outcome) per distinct account; an account
    outside the chart is an error naming the first transaction on it."""
    table: list[str | None] = []
    bad = []
    for account in accounts:
        try:
            table.append(account_class(account))
        except ValueError:
            bad.append(account)
            table.append(None)
    if bad:
        lines = tx["line"].to_numpy()
        problems = [Problem(sie.file, f"#TRANS: account {a} ({sie.accounts.get(a, 'not in #KONTO')}) is in no "
                            "outcome group: 3000–3999 revenue, 4000–7999 costs, 8000–8499 financial items, "
                            "8700–8799 extraordinary items, 8990–8999 year-end result",
                            row=int(lines[np.argmax(codes == accounts.index(a))])) for a in sorted(bad)]
        raise DataError(f"{sie.file}: {len(bad)} account(s) in no outcome group", problems)
    return np.array([-1 if k is None else CLASSES.index(k) for k in table], dtype=np.int8)


CLASSES = sorted({REVENUE, COST, FINANCIAL, EXTRAORDINARY})
SHOWN_SIGN = np.array([-1 if k in CREDIT_SHOWN_POSITIVE else 1 for k in CLASSES], dtype=np.int64)  # per class


def _post_dimension(tx: pd.DataFrame, dimension: int | None, kept: np.ndarray) -> int | None:
    """The dimension asked for, else the first of POST_DIMENSIONS that a `kept` row has an object in."""
    if dimension is not None:
        return dimension
    for candidate in POST_DIMENSIONS:
        column = object_column(candidate)
        if column in tx and ((tx[column].cat.codes.to_numpy() >= 0) & kept).any():
            return candidate
    return None


def _posts(sie: SieFile, tx: pd.DataFrame, codes: np.ndarray, accounts: list[int], dimension: int | None,
           posts: AccountPosts | None) -> tuple[np.ndarray, list[str]]:
    """The post per transaction, as codes into the names returned (a million rows, a few dozen posts)."""
    by_account = [_account_post(sie, a, posts) for a in accounts]
    column = object_column(dimension) if dimension is not None else None
    by_object: list[str] = []
    if column is not None and column in tx:
        by_object = [sie.objects.get((dimension, o), o) for o in tx[column].cat.categories]  # type: ignore[arg-type]
    names = list(dict.fromkeys(by_object + by_account))
    where = {n: i for i, n in enumerate(names)}
    post = np.array([where[n] for n in by_account], dtype=np.int32)[codes]
    if by_object:
        # A row without an object has code -1, which reads the -1 appended: the account's post stays.
        mapped = np.array([*(where[n] for n in by_object), -1], dtype=np.int32)[tx[column].cat.codes.to_numpy()]
        post = np.where(mapped >= 0, mapped, post)
    return post, names


def _account_post(sie: SieFile, account: int, posts: AccountPosts | None) -> str:
    return mapped_post(account, posts) or sie.accounts.get(account, f"Konto {account}")


def mapped_post(account: int, posts: AccountPosts | None) -> str | None:
    """The post `[bokforing.konton]` gives an account: the account itself, else the first range holding it."""
    if posts:
        if account in posts:
            return posts[account]
        for key, post in posts.items():
            if isinstance(key, tuple) and key[0] <= account <= key[1]:
                return post
    return None


def _check_against_res(sie: SieFile, index: int, year: int, outcome: SieOutcome) -> bool:
    """The result must equal −(#RES of the result accounts), without the year-end result 8990–8999."""
    res = [(a, v) for (y, a), v in sie.res.items() if y == index and a >= 3000 and a not in YEAR_END_RESULT]
    if not res:
        return False
    expected = -sum(v for _, v in res)
    if expected != outcome.result:
        raise DataError(
            f"{sie.file}: the {year} result from the transactions, {kronor(outcome.result)} (revenues "
            f"{kronor(outcome.revenues)} − costs {kronor(outcome.costs)} + financial items "
            f"{kronor(outcome.financial)} + extraordinary items {kronor(outcome.extraordinary)}), differs from the "
            f"file's own #RES, {kronor(expected)}")
    return True
