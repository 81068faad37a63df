"""The disclosure auditor: how many values can each hidden quantity still take, given everything published?

The reader's knowledge is the `System` with the hidden keys unknown: shown quantities (zeros included) are
fixed; a primary hidden count is in 1..N−1 (the footnote says so; assuming the reader even knows which cells
are primary only makes the audit stricter); a secondary, derived or omitted one keeps its own bounds (≥ 0 for
a count, none for a change, and any published upper bound); every sum is an equality; every shown ratio
bounds its counts by its rounding. A hidden quantity passes when it can take at least min(3, N−1) integer
values.

Guarantee. A pass is certified exactly: each value counted comes from a whole integer filling of every
hidden quantity that satisfies every published fact, checked in integer arithmetic. Such fillings are
found without a solver where possible (the true values, moved along integer directions the equalities
leave free; then a depth-first search with interval propagation for a value near the true one) and
otherwise by HiGHS (`scipy.optimize.milp`), whose solutions are rounded and checked the same way. A
failure is proven exactly when the equalities pin the quantity (it lies in no free direction) or when
interval propagation (which encloses every value any filling gives it) leaves it too few integers; else
it rests on HiGHS's optimum or infeasibility, so a solver tolerance can only make the audit fail a cell
that would pass (more hiding), never pass one that leaks. Values are searched within ±CAP.

Not covered: a reader who also knows the suppression algorithm and reasons about why a cell was chosen.

Speed: the quantities split into independent components (hidden keys linked by a fact that holds two or
more of them); each is audited once per distinct hidden set and cached across suppression rounds.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise

from .linear import nullspace
from .linear import pinned as is_pinned
from .system import Role, System

CAP = 1_000_000  # values are searched in −CAP..CAP: a filling found inside is a filling
MAX_PAIRED = 40  # free directions combined in pairs before the solver is asked
MAX_POINTS = 60  # fillings found by moves that are moved on from once more
SEARCH_NODES = 200  # nodes a search for one filling may visit before the solver is asked
SEARCH_REACH = 3  # values this far from a quantity's true value are searched for before the solver is asked
PROPAGATION_PASSES = 20  # sums re-examined per sum, at most, when bounding what hiding could achieve


def needed(minimum: int) -> int:
    """How many values a hidden count must keep under threshold N = `minimum`: min(3, N − 1)."""
    return max(1, min(3, minimum - 1))


@dataclass(frozen=True)
class Fact:
    """Σ coef·value = rhs (`equal`) or ≤ rhs, over keys."""

    coefs: tuple[tuple[str, int], ...]
    rhs: int
    equal: bool


@dataclass(frozen=True)
class CellAudit:
    key: str
    role: Role
    values: tuple[int, ...]  # distinct values a reader cannot rule out, each witnessed by a checked filling
    low: int | None = None  # the smallest and largest value a reader can derive, where solved
    high: int | None = None


@dataclass(frozen=True)
class Audit:
    need: int
    cells: dict[str, CellAudit]
    solves: int  # MILP solves this audit made (cached components cost none)
    components: int

    @property
    def failing(self) -> tuple[str, ...]:
        return tuple(sorted(k for k, c in self.cells.items() if len(c.values) < self.need))


def propagate(ranges: list[tuple[int, int]], rows: list[tuple[dict[int, int], int, bool]],
              by_var: list[list[int]], passes: int) -> list[tuple[int, int]]:
    """The ranges tightened by interval propagation through the rows (Σ c·x = rhs, or ≤ rhs): each still holds
    every value its variable takes in any solution. Stops after `passes` looks per row, which keeps that true."""
    ranges = list(ranges)
    todo, queued = deque(range(len(rows))), set(range(len(rows)))
    budget = passes * len(rows)
    while todo and budget:
        budget -= 1
        r = todo.popleft()
        queued.discard(r)
        coefs, rhs, equal = rows[r]
        low = high = rhs  # Σ c·x = rhs (or ≤): rhs minus the others' largest and smallest sums
        for i, c in coefs.items():
            lo, hi = ranges[i]
            low, high = low - max(c * lo, c * hi), high - min(c * lo, c * hi)
        for i, c in coefs.items():
            lo, hi = ranges[i]
            rest_low = low + max(c * lo, c * hi) if equal else None  # c·x ≥ rest_low only for an equality
            rest_high = high + min(c * lo, c * hi)  # c·x ≤ rest_high
            if c > 0:
                new = (lo if rest_low is None else max(lo, -(-rest_low // c)), min(hi, rest_high // c))
            else:
                new = (max(lo, -(rest_high // -c)), hi if rest_low is None else min(hi, -rest_low // -c))
            if new != (lo, hi):
                ranges[i] = new
                for other in by_var[i]:
                    if other not in queued:
                        todo.append(other)
                        queued.add(other)
    return ranges


@dataclass
class _Component:
    keys: list[str]
    lower: list[int]
    upper: list[int]
    start: list[int]
    rows: list[tuple[dict[int, int], int, bool]]  # over local indexes
    solves: int = 0
    seen: list[set[int]] = field(default_factory=list)
    by_var: list[list[int]] = field(default_factory=list)  # the rows each local index appears in

    def __post_init__(self) -> None:
        self.by_var = [[] for _ in self.keys]
        for r, (coefs, _, _) in enumerate(self.rows):
            for i in coefs:
                self.by_var[i].append(r)

    @cached_property
    def enclosure(self) -> list[tuple[int, int]]:
        """Each quantity's range by propagation: it holds every value the quantity takes in any filling."""
        return propagate(list(zip(self.lower, self.upper, strict=True)), self.rows, self.by_var, PROPAGATION_PASSES)

    def search(self, i: int, value: int) -> list[int] | None:
        """A checked filling with quantity `i` at `value`, by depth-first search with propagation (no solver),
        trying each quantity's true value first; None when none is found within SEARCH_NODES nodes."""
        first = list(self.enclosure)
        first[i] = (value, value)
        stack = [first]
        for _ in range(SEARCH_NODES):
            if not stack:
                return None
            ranges = propagate(stack.pop(), self.rows, self.by_var, PROPAGATION_PASSES)
            if any(lo > hi for lo, hi in ranges):
                continue
            open_ = [j for j, (lo, hi) in enumerate(ranges) if lo < hi]
            if not open_:
                p = [lo for lo, _ in ranges]
                if self.feasible(p):
                    return p
                continue
            j = min(open_, key=lambda j: ranges[j][1] - ranges[j][0])
            lo, hi = ranges[j]
            v = min(max(self.start[j], lo), hi)
            # the last pushed, x = v, is tried first
            stack.extend([*ranges[:j], part, *ranges[j + 1:]] for part in ((v + 1, hi), (lo, v - 1), (v, v))
                         if part[0] <= part[1])
        return None

    def feasible(self, p: list[int]) -> bool:
        if any(not lo <= v <= hi for v, lo, hi in zip(p, self.lower, self.upper, strict=True)):
            return False
        return all(self._holds(coefs, rhs, equal, p.__getitem__) for coefs, rhs, equal in self.rows)

    def moved(self, delta: dict[int, int]) -> bool:
        """Whether the true values changed by `delta` (sparse) still satisfy every fact; checks only what it touches."""
        for i, v in delta.items():
            if not self.lower[i] <= self.start[i] + v <= self.upper[i]:
                return False
        rows = {r for i in delta for r in self.by_var[i]}
        return all(self._holds(*self.rows[r], lambda i: self.start[i] + delta.get(i, 0)) for r in sorted(rows))

    @staticmethod
    def _holds(coefs: dict[int, int], rhs: int, equal: bool, value: Callable[[int], int]) -> bool:
        total = sum(c * value(i) for i, c in coefs.items())
        return total == rhs if equal else total <= rhs

    def record(self, p: list[int] | None) -> None:
        if p is not None:
            for i, v in enumerate(p):
                self.seen[i].add(v)

    def record_delta(self, delta: dict[int, int]) -> None:
        for i, v in delta.items():
            self.seen[i].add(self.start[i] + v)

    def solve(self, objective: list[float], lower: list[int], upper: list[int]) -> list[int] | None:
        """A checked integer filling minimising `objective` within the given bounds, or None."""
        import numpy as np  # only when a solve is needed: most audits find their fillings without one
        from scipy.optimize import Bounds, LinearConstraint, milp

        self.solves += 1
        n = len(self.keys)
        matrix = np.zeros((len(self.rows), n))
        lb = np.empty(len(self.rows))
        ub = np.empty(len(self.rows))
        for r, (coefs, rhs, equal) in enumerate(self.rows):
            for i, c in coefs.items():
                matrix[r, i] = c
            lb[r] = rhs if equal else -np.inf
            ub[r] = rhs
        constraints = [LinearConstraint(matrix, lb, ub)] if self.rows else []
        result = milp(np.array(objective, dtype=float), integrality=np.ones(n), bounds=Bounds(lower, upper),
                      constraints=constraints)
        if result.x is None:
            return None
        p = [round(v) for v in result.x]
        return p if self.feasible(p) else None


class Auditor:
    """Audits one system under changing hidden sets; components already audited are not solved again."""

    def __init__(self, system: System, minimum: int) -> None:
        self.system = system
        self.minimum = minimum
        self.need = needed(minimum)
        self.values = system.values
        self.quantities = {q.key: q for q in system.quantities}
        self.cap = max(CAP, 2 * max((abs(v) for v in self.values.values()), default=0))
        facts: list[tuple[str | None, Fact]] = []  # (the ratio a fact comes from, the fact)
        for s in system.sums:
            coefs: dict[str, int] = {s.target: 1}
            for part in s.parts:
                coefs[part] = coefs.get(part, 0) - 1
            facts.append((None, Fact(tuple(sorted(coefs.items())), 0, True)))
        for ratio in system.ratios:
            for a, b, c in ratio.inequalities():
                facts.append((ratio.key, Fact(((ratio.numerator, a), (ratio.denominator, b)), c, False)))
        self.facts = facts
        self.touching: dict[str, list[int]] = {}
        for index, (_, fact) in enumerate(facts):
            for key, _ in fact.coefs:
                self.touching.setdefault(key, []).append(index)
        self.cache: dict[tuple[object, ...], dict[str, CellAudit]] = {}
        self.solves = 0  # over every audit made
        # Values witnessed so far per key. A filling stays a filling when more is hidden (the new keys keep their
        # true values) and when a primary bound or a ratio is dropped, so while each audit only relaxes the last
        # one (as suppression does), witnesses carry over and the solver is not asked again.
        self.witnessed: dict[str, set[int]] = {}
        self.last: Mapping[str, Role] = {}
        self._pinned: dict[tuple[object, ...], bool] = {}  # `pinned` answers by the system asked about
        # The last hidden set asked about, its primary keys, and every quantity's range (`_loosest_ranges`).
        self._ranges: tuple[Mapping[str, Role], frozenset[str], dict[str, tuple[int, int]]] | None = None

    def bounds(self, key: str, role: Role) -> tuple[int, int]:
        q = self.quantities[key]
        lower = -self.cap if q.lower is None else q.lower
        upper = self.cap if q.upper is None else q.upper
        if role is Role.PRIMARY:
            lower, upper = max(lower, 1), min(upper, self.minimum - 1)
        return lower, upper

    def audit(self, hidden: Mapping[str, Role], *, exact_bounds: bool = False) -> Audit:
        """Every hidden quantity's possible values (ratio keys in `hidden` drop that ratio's facts).

        With `exact_bounds`, also the smallest and largest value of each (two MILP solves per cell).
        """
        if not all(k in hidden and (role is Role.PRIMARY or hidden[k] is role) for k, role in self.last.items()):
            self.witnessed = {}
        self.last = dict(hidden)
        unknown = sorted(k for k in hidden if k in self.quantities)
        active = [i for i, (ratio, _) in enumerate(self.facts) if ratio is None or ratio not in hidden]
        parent = {k: k for k in unknown}

        def find(k: str) -> str:
            while parent[k] != k:
                parent[k] = parent[parent[k]]
                k = parent[k]
            return k

        used: set[int] = set()
        for i in active:
            inside = [k for k, _ in self.facts[i][1].coefs if k in parent]
            if inside:
                used.add(i)
                for other in inside[1:]:
                    parent[find(other)] = find(inside[0])
        groups: dict[str, list[str]] = {}
        for k in unknown:
            groups.setdefault(find(k), []).append(k)
        cells: dict[str, CellAudit] = {}
        solves = 0
        for keys in groups.values():
            facts = sorted({i for k in keys for i in self.touching.get(k, []) if i in used})
            signature = (tuple((k, hidden[k]) for k in keys), tuple(facts), exact_bounds)
            if signature not in self.cache:
                component = self._component(keys, hidden, facts)
                self.cache[signature] = self._audit_component(component, hidden, exact_bounds)
                solves += component.solves
                self.solves += component.solves
            cells.update(self.cache[signature])
        return Audit(self.need, cells, solves, len(groups))

    def pinned(self, hidden: Mapping[str, Role], keys: set[str], key: str) -> bool:
        """Whether the equalities alone fix `key`, given the hidden set and its linked group `keys` (no solver)."""
        group = sorted(keys)
        index = {k: i for i, k in enumerate(group)}
        facts = sorted({i for k in group for i in self.touching.get(k, [])
                        if self.facts[i][1].equal and self.facts[i][0] not in hidden})
        signature = (key, tuple(group), tuple(facts))  # the equalities over these unknowns: the same answer
        if signature not in self._pinned:
            rows = [{index[k]: c for k, c in self.facts[f][1].coefs if k in index} for f in facts]
            self._pinned[signature] = is_pinned(rows, index[key])
        return self._pinned[signature]

    def hopeless(self, hidden: Mapping[str, Role], key: str) -> bool:
        """Whether `key` would keep fewer than the needed values however much more were hidden (no solver).

        Hiding more only relaxes the reader's system, and hiding every count relaxes it most: each count and
        change free within its bounds, every ratio dropped (it hides with its counts). Bounds propagated through
        that system's sums enclose every value a quantity could take in it; a key whose range holds too few
        integers can only be helped by leaving rows out.
        """
        lower, upper = self._loosest_ranges(hidden)[key]
        return upper - lower + 1 < self.need

    def _loosest_ranges(self, hidden: Mapping[str, Role]) -> dict[str, tuple[int, int]]:
        """Every quantity's range with every count hidden, by interval propagation through the sums (kept while
        the roles that bound a quantity, primary or not, stay the same)."""
        if self._ranges is not None and self._ranges[0] is hidden:
            return self._ranges[2]
        primary = frozenset(k for k, role in hidden.items() if role is Role.PRIMARY)
        if self._ranges is not None and self._ranges[1] == primary:
            self._ranges = (hidden, primary, self._ranges[2])
            return self._ranges[2]
        ranges: dict[str, tuple[int, int]] = {}
        for k, q in self.quantities.items():
            if k in primary:
                ranges[k] = self.bounds(k, Role.PRIMARY)
            elif q.count or q.derived_from:
                ranges[k] = self.bounds(k, Role.SECONDARY)
            else:
                ranges[k] = (q.value, q.value)
        keys = list(ranges)
        index = {k: i for i, k in enumerate(keys)}
        rows = [({index[k]: a for k, a in fact.coefs}, fact.rhs, True) for ratio, fact in self.facts
                if ratio is None and fact.equal]
        by_var: list[list[int]] = [[] for _ in keys]
        for r, (coefs, _, _) in enumerate(rows):
            for i in coefs:
                by_var[i].append(r)
        ranges = dict(zip(keys, propagate([ranges[k] for k in keys], rows, by_var, PROPAGATION_PASSES), strict=True))
        self._ranges = (hidden, primary, ranges)
        return ranges

    def _component(self, keys: list[str], hidden: Mapping[str, Role], facts: list[int]) -> _Component:
        index = {k: i for i, k in enumerate(keys)}
        rows: list[tuple[dict[int, int], int, bool]] = []
        for f in facts:
            fact = self.facts[f][1]
            coefs: dict[int, int] = {}
            rhs = fact.rhs
            for key, c in fact.coefs:
                if key in index:
                    coefs[index[key]] = c
                else:
                    rhs -= c * self.values[key]
            rows.append((coefs, rhs, fact.equal))
        limits = [self.bounds(k, hidden[k]) for k in keys]
        start = [self.values[k] for k in keys]
        return _Component(keys, [lo for lo, _ in limits], [hi for _, hi in limits], start, rows,
                          seen=[{v} | self.witnessed.get(k, set()) for k, v in zip(keys, start, strict=True)])

    def _audit_component(self, comp: _Component, hidden: Mapping[str, Role], exact: bool) -> dict[str, CellAudit]:
        directions = nullspace([coefs for coefs, _, equal in comp.rows if equal], len(comp.keys))
        free = {i for d in directions for i in d}
        # Free fillings first: the true values moved a step or two each way along each free direction, then
        # along sums and differences of two that share a quantity (one is often blocked by a count at its bound).
        sharing: dict[int, list[int]] = {}
        for j, d in enumerate(directions):
            for i in d:
                sharing.setdefault(i, []).append(j)
        moves = list(directions)
        for j, d in enumerate(directions):
            partners = sorted({o for i in d for o in sharing[i] if o > j})[:MAX_PAIRED]
            for o in partners:
                for s in (1, -1):
                    combined = {i: d.get(i, 0) + s * directions[o].get(i, 0) for i in d.keys() | directions[o].keys()}
                    moves.append({i: v for i, v in sorted(combined.items()) if v})
        points: list[dict[int, int]] = []
        for d in moves:
            if all(len(comp.seen[i]) >= self.need for i in d):
                continue
            for sign in (1, -1):
                for step in range(1, self.need):
                    delta = {i: sign * step * v for i, v in d.items()}
                    if not comp.moved(delta):
                        break
                    comp.record_delta(delta)
                    points.append(delta)
        # Then one step on from each filling found, for the quantities still short of values.
        for d in moves:
            if all(len(comp.seen[i]) >= self.need for i in d):
                continue
            for point in points[:MAX_POINTS]:
                for sign in (1, -1):
                    delta = {i: point.get(i, 0) + sign * d.get(i, 0) for i in point.keys() | d.keys()}
                    if comp.moved(delta):
                        comp.record_delta(delta)
        out: dict[str, CellAudit] = {}
        for i, key in enumerate(comp.keys):
            low = high = None
            pinned = i not in free
            if pinned:
                low = high = comp.start[i]
            elif exact or len(comp.seen[i]) < self.need:
                lo, hi = comp.enclosure[i]
                if not exact and hi - lo + 1 >= self.need:  # else it fails for certain: no solver needed
                    self._search(comp, i, lo, hi)
                if exact or (hi - lo + 1 >= self.need and len(comp.seen[i]) < self.need):
                    low, high = self._extremes(comp, i)
                    self._fill_gaps(comp, i, low, high)
            self.witnessed[key] = comp.seen[i]
            values = tuple(sorted(comp.seen[i])) if not pinned else (comp.start[i],)
            out[key] = CellAudit(key, hidden[key], values, low, high)
        return out

    def _search(self, comp: _Component, i: int, lo: int, hi: int) -> None:
        """Values of quantity `i` within its enclosure, nearest its true value first, witnessed by search."""
        start = comp.start[i]
        tries = sorted(range(max(lo, start - SEARCH_REACH), min(hi, start + SEARCH_REACH) + 1),
                       key=lambda v: (abs(v - start), v))
        for value in tries:
            if len(comp.seen[i]) >= self.need:
                return
            if value not in comp.seen[i]:
                comp.record(comp.search(i, value))

    def _extremes(self, comp: _Component, i: int) -> tuple[int | None, int | None]:
        objective = [0.0] * len(comp.keys)
        found: list[int | None] = []
        for sign in (1.0, -1.0):
            objective[i] = sign
            p = comp.solve(objective, comp.lower, comp.upper)
            comp.record(p)
            found.append(None if p is None else p[i])
        return found[0], found[1]

    def _fill_gaps(self, comp: _Component, i: int, low: int | None, high: int | None) -> None:
        """Look for values between the ones seen until enough are witnessed or no gap can hold one."""
        empty: set[tuple[int, int]] = set()
        zero = [0.0] * len(comp.keys)
        while len(comp.seen[i]) < self.need:
            inside = sorted(v for v in comp.seen[i] if (low is None or v >= low) and (high is None or v <= high))
            gap = next(((a, b) for a, b in pairwise(inside)
                        if b - a >= 2 and (a, b) not in empty), None)
            if gap is None:
                return
            lower, upper = list(comp.lower), list(comp.upper)
            lower[i], upper[i] = gap[0] + 1, gap[1] - 1
            p = comp.solve(zero, lower, upper)
            if p is None:
                empty.add(gap)
            comp.record(p)
