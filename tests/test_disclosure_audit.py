"""The disclosure audit engine: the six recoveries of issue 14 closed, and a brute-force attacker that
finds no hidden cell with fewer than min(3, N−1) possible values.

The attacker here shares no code with the engine: it searches integer fillings of the hidden keys by bound
propagation and branching (no linear programming), within the bounds the reader knows.
"""

from __future__ import annotations

import random
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from finsam_cli.disclosure.audit import Auditor, needed
from finsam_cli.disclosure.suppress import suppress
from finsam_cli.disclosure.system import Place, Quantity, Ratio, Role, Sum, System, derived_hidden

# --- the attacker ---------------------------------------------------------------------------------


def reader_bounds(system: System, hidden: dict[str, Role], minimum: int, cap: int) -> dict[str, tuple[int, int]]:
    out = {}
    for q in system.quantities:
        if q.key not in hidden:
            continue
        low = -cap if q.lower is None else q.lower
        high = cap if q.upper is None else min(q.upper, cap)
        if hidden[q.key] is Role.PRIMARY:
            low, high = max(low, 1), min(high, minimum - 1)
        out[q.key] = (low, high)
    return out


def feasible(system: System, hidden: dict[str, Role], domains: dict[str, tuple[int, int]]) -> bool:
    """Whether some integer filling within `domains` agrees with every sum and every shown ratio."""
    shown = {q.key: q.value for q in system.quantities if q.key not in hidden}
    sums = []
    for s in system.sums:
        terms: dict[str, int] = {s.target: 1}  # Σ c·x = 0
        for part in s.parts:
            terms[part] = terms.get(part, 0) - 1
        sums.append({k: c for k, c in terms.items() if c})
    ratios = [r for r in system.ratios if r.key not in hidden]

    def propagate(dom: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]] | None:
        dom = dict(dom)
        changed = True
        while changed:
            changed = False
            for terms in sums:
                for key, c in terms.items():
                    if key not in dom:
                        continue
                    low = high = 0  # bounds of −Σ_{others} d·x, which equals c·x
                    for other, d in terms.items():
                        if other != key:
                            lo, hi = (shown[other], shown[other]) if other not in dom else dom[other]
                            low, high = low - max(d * lo, d * hi), high - min(d * lo, d * hi)
                    lo_k, hi_k = (low, high) if c > 0 else (-high, -low)
                    lo_k, hi_k = -((-lo_k) // abs(c)), hi_k // abs(c)  # ceil, floor
                    new = (max(dom[key][0], lo_k), min(dom[key][1], hi_k))
                    if new[0] > new[1]:
                        return None
                    if new != dom[key]:
                        dom[key], changed = new, True
        return dom

    def ratios_hold(dom: dict[str, tuple[int, int]]) -> bool:
        for r in ratios:
            vals = [shown.get(k) if k not in dom or dom[k][0] != dom[k][1] else dom[k][0]
                    for k in (r.numerator, r.denominator)]
            if all(v is not None for v in vals) and not r.holds(vals[0], vals[1]):  # type: ignore[arg-type]
                return False
        return True

    def search(dom: dict[str, tuple[int, int]]) -> bool:
        narrowed = propagate(dom)
        if narrowed is None or not ratios_hold(narrowed):
            return False
        open_ = [k for k, (lo, hi) in narrowed.items() if lo < hi]
        if not open_:
            return True
        key = min(open_, key=lambda k: (narrowed[k][1] - narrowed[k][0], k))
        lo, hi = narrowed[key]
        return any(search({**narrowed, key: (v, v)}) for v in range(lo, hi + 1))

    return search(domains)


def possible_values(system: System, hidden: dict[str, Role], minimum: int, key: str, window: int = 4,
                    enough: int | None = None) -> set[int]:
    """The values of `key` near its true value that some consistent filling gives (a lower bound on the truth),
    nearest first; with `enough`, stop once that many are found."""
    cap = 2 * max(abs(q.value) for q in system.quantities) + 10  # a smaller search space: still a lower bound
    domains = reader_bounds(system, hidden, minimum, cap)
    true = system.values[key]
    low, high = domains[key]
    found: set[int] = set()
    for v in sorted(range(max(low, true - window), min(high, true + window) + 1), key=lambda v: (abs(v - true), v)):
        if feasible(system, hidden, {**domains, key: (v, v)}):
            found.add(v)
            if enough is not None and len(found) >= enough:
                break
    return found


def assert_protected(system: System, hidden: dict[str, Role], minimum: int, only: Role | None = None) -> None:
    need = needed(minimum)
    for key in sorted(k for k, role in hidden.items() if k in system.values and only in (None, role)):
        values = possible_values(system, hidden, minimum, key, enough=need)
        assert len(values) >= need, (key, sorted(values))


def recovered(system: System, hidden: dict[str, Role], minimum: int) -> dict[str, set[int]]:
    """Hidden keys the attacker narrows to fewer than min(3, N−1) values (those values)."""
    out = {}
    for key in sorted(k for k in hidden if k in system.values):
        values = possible_values(system, hidden, minimum, key, window=10)
        if len(values) < needed(minimum):
            out[key] = values
    return out


def q(key: str, value: int, **kw: object) -> Quantity:
    return Quantity(key, value, **kw)  # type: ignore[arg-type]


P, S = Role.PRIMARY, Role.SECONDARY


# --- the six recoveries of issue 14 ------------------------------------------------------------------


def history_system() -> System:
    """1. The year's history row (and the summary across insatser) shows Avslutade 63; the other insats 60."""
    return System(
        (q("arbf/avslutade/totalt", 3), q("arbf/avslutade/kvinnor", 3), q("arbf/avslutade/man", 0),
         q("ung/avslutade/totalt", 60), q("ung/avslutade/kvinnor", 26), q("ung/avslutade/man", 34),
         q("alla/2017/avslutade/totalt", 63), q("alla/2017/avslutade/kvinnor", 29), q("alla/2017/avslutade/man", 34)),
        (Sum("arbf/avslutade/totalt", ("arbf/avslutade/kvinnor", "arbf/avslutade/man")),
         Sum("ung/avslutade/totalt", ("ung/avslutade/kvinnor", "ung/avslutade/man")),
         Sum("alla/2017/avslutade/totalt", ("alla/2017/avslutade/kvinnor", "alla/2017/avslutade/man")),
         Sum("alla/2017/avslutade/totalt", ("arbf/avslutade/totalt", "ung/avslutade/totalt")),
         Sum("alla/2017/avslutade/kvinnor", ("arbf/avslutade/kvinnor", "ung/avslutade/kvinnor")),
         Sum("alla/2017/avslutade/man", ("arbf/avslutade/man", "ung/avslutade/man"))))


def percent_system() -> System:
    """2. "95 %" of 63 to work/studies with 60 shown; "31 %" of 51 exits to arbetsförberedande insats."""
    return System(
        (q("a/avslutade", 63), q("a/arbete-studier", 60), q("a/okand", 3),
         q("b/avslutade", 51), q("b/arbf", 16), q("b/arbete", 32), q("b/okand", 3)),
        (Sum("a/avslutade", ("a/arbete-studier", "a/okand")), Sum("b/avslutade", ("b/arbf", "b/arbete", "b/okand"))),
        (Ratio("a/andel-arbete-studier", "a/arbete-studier", "a/avslutade", Fraction(95, 100)),
         Ratio("b/andel-arbf", "b/arbf", "b/avslutade", Fraction(31, 100))))


def change_system() -> System:
    """3. `Försörjningsstöd | 27 | .. | −24` with "89 % färre" in a note; `Lön/CSN | 0 | .. | +44`."""
    quantities, sums = [], []
    for row, before, after in (("fs", 27, 3), ("lon", 0, 44), ("ann", 20, 9)):
        quantities += [q(f"{row}/fore", before), q(f"{row}/efter", after),
                       q(f"{row}/forandring", after - before, lower=None, count=False,
                         derived_from=(f"{row}/fore", f"{row}/efter"))]
        sums.append(Sum(f"{row}/efter", (f"{row}/fore", f"{row}/forandring")))
    quantities += [q("summa/fore", 47), q("summa/efter", 56)]
    sums += [Sum(f"summa/{w}", tuple(f"{row}/{w}" for row in ("fs", "lon", "ann"))) for w in ("fore", "efter")]
    return System(tuple(quantities), tuple(sums),
        (Ratio("fs/andel-farre", "fs/forandring", "fs/fore", Fraction(-89, 100)),))


REMITTENTS = ("af-haninge", "fk", "soc", "vard", "annan")
MEN = (30, 12, 8, 6, 7)


def remittent_system() -> System:
    """4. Five hidden Kvinnor under a shown total of 5 (every other row 0): each must be 1, so AF Haninge's men 30."""
    quantities = [q("ovriga/kvinnor", 0), q("ovriga/man", 4), q("ovriga/totalt", 4)]
    sums = [Sum("ovriga/totalt", ("ovriga/kvinnor", "ovriga/man"))]
    for name, men in zip(REMITTENTS, MEN, strict=True):
        quantities += [q(f"{name}/kvinnor", 1, places=(Place("remittent", name),)), q(f"{name}/man", men),
                       q(f"{name}/totalt", 1 + men)]
        sums.append(Sum(f"{name}/totalt", (f"{name}/kvinnor", f"{name}/man")))
    rows = (*REMITTENTS, "ovriga")
    quantities += [q("totalt/kvinnor", 5), q("totalt/man", sum(MEN) + 4), q("totalt/totalt", sum(MEN) + 9)]
    sums += [Sum(f"totalt/{c}", tuple(f"{r}/{c}" for r in rows)) for c in ("kvinnor", "man", "totalt")]
    return System(tuple(quantities), tuple(sums))


def readme_system() -> System:
    """5. `finsam maluppfyllelse 2017 --insats ung-i-nynas --skydda 5`: `Hel sjukpenning | .. | .. | −3`."""
    return System(
        (q("hs/fore", 4), q("hs/efter", 1), q("hs/forandring", -3, lower=None, count=False,
                                                derived_from=("hs/fore", "hs/efter")),
         q("lon/fore", 9), q("lon/efter", 15), q("lon/forandring", 6, lower=None, count=False,
                                                  derived_from=("lon/fore", "lon/efter")),
         q("summa/fore", 13), q("summa/efter", 16)),
        (Sum("hs/efter", ("hs/fore", "hs/forandring")), Sum("lon/efter", ("lon/fore", "lon/forandring")),
         Sum("summa/fore", ("hs/fore", "lon/fore")), Sum("summa/efter", ("hs/efter", "lon/efter"))))


def assert_closed(system: System, today: dict[str, Role], minimum: int, leaked: dict[str, int]) -> None:
    """Today's hidden set gives `leaked` away exactly (attacker and auditor agree); the new one gives nothing."""
    found = recovered(system, today, minimum)
    assert {k: v for k, v in found.items() if k in leaked} == {k: {v} for k, v in leaked.items()}
    assert set(leaked) <= set(Auditor(system, minimum).audit(today).failing)
    result = suppress(system, minimum)
    assert result.audit.failing == () and result.unresolved == ()
    assert_protected(system, result.hidden, minimum, only=Role.PRIMARY)  # the attacker is slow on wide totals


def test_history_row_and_summary_no_longer_give_the_hidden_exits_away() -> None:
    today = {"arbf/avslutade/totalt": P, "arbf/avslutade/kvinnor": P}  # Män 0 printed elsewhere
    assert_closed(history_system(), today, 5, {"arbf/avslutade/totalt": 3, "arbf/avslutade/kvinnor": 3})


def test_percentages_no_longer_pin_their_counts() -> None:
    today = {"a/okand": P, "a/avslutade": S, "b/okand": P, "b/arbf": S}  # the percentages stayed
    assert_closed(percent_system(), today, 5, {"a/avslutade": 63, "a/okand": 3, "b/arbf": 16, "b/okand": 3})
    result = suppress(percent_system(), 5)
    assert result.hidden["a/andel-arbete-studier"] is Role.DERIVED
    assert result.hidden["b/andel-arbf"] is Role.DERIVED


def test_change_column_and_its_note_hide_with_the_count() -> None:
    today = {"fs/efter": P, "lon/efter": S}  # changes and "89 % färre" stayed
    assert_closed(change_system(), today, 5, {"fs/efter": 3, "lon/efter": 44})
    hidden = suppress(change_system(), 5).hidden
    assert hidden["fs/forandring"] is Role.DERIVED and hidden["fs/andel-farre"] is Role.DERIVED
    assert all(hidden.get(f"{k}/forandring") is Role.DERIVED for k in ("fs", "lon", "ann") if f"{k}/efter" in hidden)


def test_shown_zeros_and_the_lower_bound_of_one_no_longer_pin_the_remittents() -> None:
    system = remittent_system()
    today = {**{f"{r}/kvinnor": P for r in REMITTENTS}, "af-haninge/man": S, "fk/man": S}
    assert_closed(system, today, 5, {**{f"{r}/kvinnor": 1 for r in REMITTENTS}, "af-haninge/man": 30, "fk/man": 12})


def test_readme_example_change_no_longer_pins_the_hidden_pair() -> None:
    today = {"hs/fore": P, "hs/efter": P, "lon/fore": S, "lon/efter": S}
    assert_closed(readme_system(), today, 5, {"hs/fore": 4, "hs/efter": 1})
    assert suppress(readme_system(), 5).hidden["hs/forandring"] is Role.DERIVED


def test_a_key_is_hidden_everywhere_or_nowhere_and_shown_counts_keep_their_percentages() -> None:
    """6. A note quoting a printed 6 keeps it (one key, one status); shares of shown counts stay shown."""
    system = System(
        (q("fs/efter", 6, places=(Place("forsorjning", "Försörjningsstöd"), Place("noter", "fs"))),
         q("fs/fore", 27), q("kv/avslutade", 12), q("kv/arbete", 6), q("kv/ovrigt", 6),
         q("man/avslutade", 9), q("man/arbete", 2), q("man/ovrigt", 7)),
        (Sum("kv/avslutade", ("kv/arbete", "kv/ovrigt")), Sum("man/avslutade", ("man/arbete", "man/ovrigt"))),
        (Ratio("kv/andel", "kv/arbete", "kv/avslutade", Fraction(50, 100)),
         Ratio("man/andel", "man/arbete", "man/avslutade", Fraction(22, 100))))
    hidden = suppress(system, 5).hidden
    assert "fs/efter" not in hidden and "kv/andel" not in hidden and "kv/arbete" not in hidden
    assert hidden["man/arbete"] is Role.PRIMARY and hidden["man/andel"] is Role.DERIVED
    assert derived_hidden(system, {"kv/avslutade"}) == {"kv/andel": Role.DERIVED}


# --- the auditor's own facts --------------------------------------------------------------------------


def test_rounded_ratio_bounds_follow_half_up() -> None:
    r = Ratio("r", "a", "b", Fraction(31, 100))
    assert [a for a in range(52) if r.holds(a, 51)] == [16]
    half = Ratio("h", "a", "b", Fraction(1, 1), step=Fraction(1, 1))  # 1 = round(x), x = a/b
    assert half.holds(1, 2) and not half.holds(3, 2)  # 0,5 rounds up to 1; 1,5 to 2
    negative = Ratio("n", "a", "b", Fraction(-89, 100))
    assert [a for a in range(-27, 1) if negative.holds(a, 27)] == [-24]


def test_parity_gap_counted_as_values_not_interval_width() -> None:
    """s = 2x + y shown as 6: y in 1..4 looks like four values, but only the even ones fit."""
    system = System((q("x", 2), q("y", 2), q("s", 6)), (Sum("s", ("x", "x", "y")),))
    hidden = {"y": P, "x": S}
    audit = Auditor(system, 5).audit(hidden, exact_bounds=True)
    assert audit.cells["y"].values == (2, 4) and (audit.cells["y"].low, audit.cells["y"].high) == (2, 4)
    assert audit.failing == ("x", "y")
    assert possible_values(system, hidden, 5, "y") == {2, 4}


def test_exact_bounds_are_the_smallest_and_largest_value() -> None:
    system = history_system()
    hidden = {"arbf/avslutade/totalt": P, "arbf/avslutade/kvinnor": P, "ung/avslutade/totalt": S,
              "ung/avslutade/kvinnor": S, "alla/2017/avslutade/totalt": S, "alla/2017/avslutade/kvinnor": S}
    cell = Auditor(system, 5).audit(hidden, exact_bounds=True).cells["arbf/avslutade/kvinnor"]
    assert (cell.low, cell.high) == (1, 4) and len(cell.values) >= 3


# --- hypothesis: random small tables against the brute-force attacker ----------------------------------


def table_system(counts: list[list[int]]) -> System:
    """A table with a total column and a total row (keys r{i}/c{j}, r{i}/t, t/c{j}, t/t)."""
    n_rows, n_cols = len(counts), len(counts[0])
    quantities, sums = [], []
    for i, row in enumerate(counts):
        here = (Place("tabell", f"r{i}"),)
        quantities += [q(f"r{i}/c{j}", v, places=here) for j, v in enumerate(row)]
        quantities.append(q(f"r{i}/t", sum(row), places=here))
        sums.append(Sum(f"r{i}/t", tuple(f"r{i}/c{j}" for j in range(n_cols))))
    for j in range(n_cols):
        quantities.append(q(f"t/c{j}", sum(row[j] for row in counts), places=(Place("tabell", "t"),)))
        sums.append(Sum(f"t/c{j}", tuple(f"r{i}/c{j}" for i in range(n_rows))))
    quantities.append(q("t/t", sum(map(sum, counts)), places=(Place("tabell", "t"),)))
    sums += [Sum("t/t", tuple(f"r{i}/t" for i in range(n_rows))), Sum("t/t", tuple(f"t/c{j}" for j in range(n_cols)))]
    return System(tuple(quantities), tuple(sums))


small_counts = st.integers(0, 9).flatmap(lambda top: st.integers(0, top))  # small values more often
tables = st.integers(2, 4).flatmap(lambda r: st.integers(2, 3).flatmap(
    lambda c: st.lists(st.lists(small_counts, min_size=c, max_size=c), min_size=r, max_size=r)))


@settings(max_examples=60, deadline=None)
@given(counts=tables, minimum=st.integers(3, 5))
def test_no_hidden_cell_of_a_small_table_has_too_few_values(counts: list[list[int]], minimum: int) -> None:
    system = table_system(counts)
    result = suppress(system, minimum)
    assert result.unresolved == () and result.audit.failing == ()
    primary = {k for k, v in system.values.items() if 1 <= v < minimum}
    assert {k for k, role in result.hidden.items() if role is Role.PRIMARY} <= primary
    assert all(result.hidden.get(k) in (Role.PRIMARY, Role.OMITTED) for k in primary)  # a row may be left out
    assert_protected(system, result.hidden, minimum)


@settings(max_examples=25, deadline=None)
@given(counts=tables, minimum=st.integers(3, 5))
def test_same_input_gives_the_same_hidden_set(counts: list[list[int]], minimum: int) -> None:
    first = suppress(table_system(counts), minimum)
    again = suppress(table_system(counts), minimum)
    assert list(first.hidden.items()) == list(again.hidden.items()) and first.stats == again.stats


# --- a whole export set -------------------------------------------------------------------------------


def export_system(insatser: int, seed: int = 7, small: float = 0.3) -> System:
    """An export-sized system: per insats a gender × measure table with exits, a remittent table with totals and
    a welfare table with changes; a summary across insatser whose totals are also the history row of the year."""
    rng = random.Random(seed)
    quantities: list[Quantity] = []
    sums: list[Sum] = []
    ratios: list[Ratio] = []

    def count(share: float = small) -> int:  # a small count (0..4) with probability `share`
        return rng.randint(0, 4) if rng.random() < share else rng.randint(5, 60)

    for i in range(insatser):
        p = f"i{i}"
        for g in ("kvinnor", "man"):
            exits = {e: count() for e in ("arbete", "studier", "annat", "okand")}
            quantities += [q(f"{p}/{g}/{e}", v) for e, v in exits.items()]
            quantities += [q(f"{p}/{g}/avslutade", sum(exits.values())), q(f"{p}/{g}/deltagare", count(0.1) + 60)]
            sums.append(Sum(f"{p}/{g}/avslutade", tuple(f"{p}/{g}/{e}" for e in exits)))
            if sum(exits.values()):
                share = Fraction(exits["arbete"], sum(exits.values()))
                ratios.append(Ratio(f"{p}/{g}/andel-arbete", f"{p}/{g}/arbete", f"{p}/{g}/avslutade",
                                    Fraction(round(share * 100 + Fraction(1, 10**9)), 100)))
        for m in ("arbete", "studier", "annat", "okand", "avslutade", "deltagare"):
            total = sum(x.value for x in quantities if x.key in (f"{p}/kvinnor/{m}", f"{p}/man/{m}"))
            quantities.append(q(f"{p}/totalt/{m}", total))
            sums.append(Sum(f"{p}/totalt/{m}", (f"{p}/kvinnor/{m}", f"{p}/man/{m}")))
        rem = [[count(0.5) for _ in range(2)] for _ in range(6)]
        for r, row in enumerate(rem):
            quantities += [q(f"{p}/rem{r}/{c}", v) for c, v in zip(("kv", "man"), row, strict=True)]
            quantities.append(q(f"{p}/rem{r}/tot", sum(row)))
            sums.append(Sum(f"{p}/rem{r}/tot", (f"{p}/rem{r}/kv", f"{p}/rem{r}/man")))
        for c, col in enumerate(("kv", "man", "tot")):
            quantities.append(q(f"{p}/rem/{col}", sum(row[c] if c < 2 else sum(row) for row in rem)))
            sums.append(Sum(f"{p}/rem/{col}", tuple(f"{p}/rem{r}/{col}" for r in range(6))))
        before_total = after_total = 0
        for s in range(5):
            before, after = count(), count()
            before_total, after_total = before_total + before, after_total + after
            quantities += [q(f"{p}/fs{s}/fore", before), q(f"{p}/fs{s}/efter", after),
                           q(f"{p}/fs{s}/forandring", after - before, lower=None, count=False,
                             derived_from=(f"{p}/fs{s}/fore", f"{p}/fs{s}/efter"))]
            sums.append(Sum(f"{p}/fs{s}/efter", (f"{p}/fs{s}/fore", f"{p}/fs{s}/forandring")))
        quantities += [q(f"{p}/fs/fore", before_total), q(f"{p}/fs/efter", after_total)]
        sums += [Sum(f"{p}/fs/{w}", tuple(f"{p}/fs{s}/{w}" for s in range(5))) for w in ("fore", "efter")]
    values = {x.key: x.value for x in quantities}
    for g in ("kvinnor", "man", "totalt"):
        for m in ("avslutade", "deltagare"):
            keys = tuple(f"i{i}/{g}/{m}" for i in range(insatser))
            quantities.append(q(f"alla/{g}/{m}", sum(values[k] for k in keys)))
            sums.append(Sum(f"alla/{g}/{m}", keys))
    return System(tuple(quantities), tuple(sums), tuple(ratios))


def test_an_export_sized_system_passes_its_own_audit_and_spot_checks_by_brute_force() -> None:
    system = export_system(3)
    result = suppress(system, 5)
    assert result.unresolved == () and result.audit.failing == ()
    assert result.stats.primary == sum(1 for x in system.quantities if x.count and 1 <= x.value < 5)
    assert result.stats.hidden == len(result.hidden)
    # The attacker on one insats' welfare table (its own component).
    for key in sorted(k for k in result.hidden if k.startswith("i0/fs") and k in system.values)[:6]:
        assert len(possible_values(system, result.hidden, 5, key, enough=3)) >= 3, key


# --- what hiding more cannot help, and exact rank tests -------------------------------------------------


def referrer_group() -> System:
    """Region 4 = Öppen psykiatri 3 + Vårdcentral 1, each split Kvinnor + Män (1 + 2, 1 + 0), under a shown
    total of 57 = Region + Kommun 53 (the Ung i Nynäs referrer table's shape)."""
    values = {"op/k": 1, "op/m": 2, "op/t": 3, "vc/k": 1, "vc/m": 0, "vc/t": 1, "reg/k": 2, "reg/m": 2, "reg/t": 4,
              "kommun/t": 53, "alla/t": 57}
    sums = [Sum(f"{r}/t", (f"{r}/k", f"{r}/m")) for r in ("op", "vc", "reg")]
    sums += [Sum(f"reg/{c}", (f"op/{c}", f"vc/{c}")) for c in ("k", "m", "t")]
    sums.append(Sum("alla/t", ("reg/t", "kommun/t")))
    return System(tuple(q(k, v, places=(Place("remittent", k.split("/")[0]),)) for k, v in values.items()),
                  tuple(sums))


def test_a_total_pinned_by_its_small_parts_is_hopeless_however_much_is_hidden() -> None:
    """Region ≥ 1 + 1 + 1 (its parts' small Kvinnor and Män) and ≤ 4: at most {3, 4}, whatever else is hidden, so
    only leaving rows out helps. A large count beside it is not hopeless."""
    system = referrer_group()
    auditor = Auditor(system, 5)
    hidden = {k: P for k, v in system.values.items() if 1 <= v < 5}
    assert auditor.hopeless(hidden, "reg/t")
    assert not auditor.hopeless({**hidden, "kommun/t": S}, "kommun/t")
    result = suppress(system, 5)
    assert result.audit.failing == () and result.omitted_rows  # rows left out, not the whole group hidden
    assert "alla/t" not in result.hidden  # the shown total stays shown


def test_pinned_reads_the_reduced_rows() -> None:
    from finsam_cli.disclosure.linear import nullspace, pinned

    rows = [{0: 1, 1: -1, 2: -1}, {1: 1, 3: -1}]  # x0 = x1 + x2, x1 = x3
    assert not pinned(rows, 0) and not pinned(rows, 3)
    assert pinned([*rows, {2: 1}, {3: 1}], 0)  # x2 and x3 fixed fix x0
    for extra in ([], [{2: 1}], [{2: 1}, {3: 1}]):  # the same answer as the null space gives
        basis = nullspace([*rows, *extra], 4)
        assert [pinned([*rows, *extra], c) for c in range(4)] == [all(c not in d for d in basis) for c in range(4)]
