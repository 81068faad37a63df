"""Suppression: hide the small counts, then hide more until the audit passes for every hidden quantity.

1. Primary: every count of 1..N−1 persons.
2. Derived: changes, percentages and averages whose counts include a hidden one (and only those).
3. Audit (`Auditor`). For each failing quantity, in key order:
   - if no amount of hiding could protect it (`Auditor.hopeless`: its range with every count hidden, by
     interval propagation, holds too few integers), leave its rows out at once, then its tables (one
     omission per linked group a round: it may settle its neighbours);
   - else hide one more shown count from a fact through it or through its linked group (`_candidates` gives
     the ranking: its own facts, then those of the hidden keys near it, then the rest of its group; within
     each, non-zero counts that are no sum's total before totals before zeros, nearest facts first, small
     values first, then by key, so the same input always gives the same result). Of the first TRIALS, the
     first whose hiding frees the quantity from the equalities among the hidden keys near it (an exact rank
     test, no solver) is taken, else the first. Every failing quantity gets its pick in the same round.
   Where no fact through its linked group has a count left to hide, leave its rows out, then its tables.
4. Repeat 2–3 until every hidden quantity keeps min(3, N−1) possible values.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from .audit import Audit, Auditor
from .system import Place, Role, System, derived_hidden

TRIALS = 6  # candidates tried per failing quantity before settling for the best-ranked one
NEAR = 2  # hidden keys this many facts from a failing one count as near it (a total pinned through its rows)
TRIAL_RADIUS = 2  # a candidate's trial sees the hidden keys this many facts from the failing one


@dataclass(frozen=True)
class AuditStats:
    """For the report's "Om rapporten": how much was hidden, and what checking it took."""

    hidden: int
    primary: int
    secondary: int
    derived: int
    omitted: int
    solves: int  # MILP solves over all audits, trials included
    rounds: int


@dataclass(frozen=True)
class Suppression:
    hidden: dict[str, Role]  # quantity and ratio keys a report prints as `..` (or leaves out: OMITTED)
    omitted_rows: tuple[Place, ...]
    omitted_tables: tuple[str, ...]
    unresolved: tuple[str, ...]  # keys still failing when nothing more could be hidden (expected empty)
    audit: Audit
    stats: AuditStats


def suppress(system: System, minimum: int) -> Suppression:
    """Which keys to hide so that every hidden count keeps at least min(3, minimum − 1) possible values."""
    auditor = Auditor(system, minimum)
    chosen: dict[str, Role] = {}
    if minimum >= 2:
        chosen = {q.key: Role.PRIMARY for q in system.quantities if q.count and 1 <= q.value < minimum}
    targets = {s.target for s in system.sums}
    rows: set[Place] = set()
    tables: set[str] = set()
    rounds = 0
    while True:
        hidden = _hidden(system, chosen, rows, tables)
        result = auditor.audit(hidden)
        rounds += 1
        failing = result.failing
        if not failing:
            break
        touched: set[str] = set()  # keys sharing a fact with this round's omissions: audited again first
        progress = False
        # Keys whose rows are still printed first: leaving out a small total's row can settle the parts that
        # it pins, where another omission of a part already left out would take the whole table.
        for key in sorted(failing, key=lambda k: (not _fresh(system.quantity(k).places, rows, tables), k)):
            hopeless = auditor.hopeless(hidden, key)
            if hopeless and key in touched:
                continue  # this round's omission near it may settle it
            if hopeless and _omit(system.quantity(key).places, rows, tables):
                touched |= _linked(auditor, hidden, key).keys()
                progress = True
                continue
            group = _linked(auditor, hidden, key)
            pick = _pick(auditor, hidden, key, group, _candidates(auditor, hidden, key, group, targets))
            if pick is not None:
                chosen[pick] = Role.SECONDARY
                progress = True
            elif key not in touched:
                progress |= _omit(system.quantity(key).places, rows, tables)
                touched |= group.keys()
        if not progress:
            break
    roles = list(hidden.values())
    stats = AuditStats(len(hidden), roles.count(Role.PRIMARY), roles.count(Role.SECONDARY),
                       roles.count(Role.DERIVED), roles.count(Role.OMITTED), auditor.solves, rounds)
    return Suppression(hidden, tuple(sorted(rows)), tuple(sorted(tables)), failing, result, stats)


def _pick(auditor: Auditor, hidden: dict[str, Role], key: str, group: dict[str, int],
          candidates: Iterator[str]) -> str | None:
    """The first of the leading candidates whose hiding frees `key` from the equalities; else the first.

    The test sees only the hidden keys near `key` (the others count as shown): stricter than the whole group, so
    a candidate it accepts does free `key`, and a large group costs no more than a small one."""
    near = {k for k, d in group.items() if d <= TRIAL_RADIUS}
    first = None
    for candidate in islice(candidates, TRIALS):
        first = first or candidate
        more = {**hidden, candidate: Role.SECONDARY}
        freed = derived_hidden(auditor.system, {candidate}) if candidate in auditor.system.dependents else {}
        more.update(freed)
        if not auditor.pinned(more, near | {candidate} | (freed.keys() & auditor.quantities.keys()), key):
            return candidate
    return first


def _hidden(system: System, chosen: dict[str, Role], rows: set[Place], tables: set[str]) -> dict[str, Role]:
    hidden = dict(chosen)
    for q in system.quantities:
        if q.places and all(p in rows or p.table in tables for p in q.places):
            hidden[q.key] = Role.OMITTED
    hidden.update(derived_hidden(system, set(hidden)))
    return dict(sorted(hidden.items()))


def _facts_through(auditor: Auditor, hidden: dict[str, Role], key: str) -> list[int]:
    return [i for i in auditor.touching.get(key, []) if auditor.facts[i][0] not in hidden]


def _neighbours(auditor: Auditor, hidden: dict[str, Role], key: str) -> set[str]:
    """`key` and the keys in the facts through it."""
    return {key} | {k for i in _facts_through(auditor, hidden, key) for k, _ in auditor.facts[i][1].coefs}


def _linked(auditor: Auditor, hidden: dict[str, Role], key: str) -> dict[str, int]:
    """The hidden keys linked to `key` through facts (its component in the audit), `key` included, each with its
    distance from `key` in facts (breadth first)."""
    group, todo = {key: 0}, deque([key])
    while todo:
        near = todo.popleft()
        for i in _facts_through(auditor, hidden, near):
            for other, _ in auditor.facts[i][1].coefs:
                if other in hidden and other not in group:
                    group[other] = group[near] + 1
                    todo.append(other)
    return group


def _candidates(auditor: Auditor, hidden: dict[str, Role], key: str, group: dict[str, int],
                targets: set[str]) -> Iterator[str]:
    """Shown counts that could be hidden for `key`, best first. Ranked by where (its own facts, then those of the
    hidden keys near it, then its whole group's) crossed with what (non-zero counts that are no sum's total, then
    totals, then zeros): own non-totals, own totals, near non-totals, own zeros, near totals, near zeros, then the
    group's in the same order; within each, the facts through the hidden keys nearest `key` first (what pins a
    quantity is near it), then the fact with fewest hidden keys, the smallest value first."""
    seen: set[str] = set()
    own = {key: 0}
    near = {k: d for k, d in group.items() if d <= NEAR}
    for tier, through in ((0, own), (1, own), (0, near), (2, own), (1, near), (2, near), (0, group), (1, group),
                          (2, group)):
        distance: dict[int, int] = {}
        for k, d in through.items():
            for i in _facts_through(auditor, hidden, k):
                distance[i] = min(d, distance.get(i, d))
        facts = sorted(distance, key=lambda i: (distance[i], sum(k in hidden for k, _ in auditor.facts[i][1].coefs),
                                                 i))
        for i in facts:
            shown = [k for k, _ in auditor.facts[i][1].coefs if k not in hidden and k not in seen
                     and _hideable(auditor, k) and _tier(auditor, k, targets) == tier]
            shown.sort(key=lambda k: (abs(auditor.values[k]), k))
            yield from shown
            seen.update(shown)


def _tier(auditor: Auditor, key: str, targets: set[str]) -> int:
    return 2 if auditor.values[key] == 0 else int(key in targets)


def _hideable(auditor: Auditor, key: str) -> bool:
    q = auditor.quantities[key]
    return q.count and not q.derived_from


def _fresh(places: tuple[Place, ...], rows: set[Place], tables: set[str]) -> bool:
    return any(p not in rows and p.table not in tables for p in places)


def _omit(places: tuple[Place, ...], rows: set[Place], tables: set[str]) -> bool:
    """Leave out the rows where a quantity is printed; where they are out already, its tables."""
    fresh = [p for p in places if p not in rows and p.table not in tables]
    if fresh:
        rows.update(fresh)
        return True
    more = {p.table for p in places} - tables
    tables.update(more)
    return bool(more)
