"""Issue 14's recoveries, at the report level: stints built so that the report shows the issue's situation, then
what a reader could work out of the protected report. Each reader below uses only what is printed (labels and
numbers), never the keys, so the same checks ran against the protection that came before."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import product
from pathlib import Path

from finsam_cli.disclosure.protect import protect
from finsam_cli.reports.deltagare.maluppfyllelse import Request
from finsam_cli.reports.model import SUPPRESSED, Cell, Report, Suppressed, Table, Text, Value, as_text
from finsam_cli.rounding import round_half_up
from tests.test_maluppfyllelse import config, report
from tests.test_stint_metrics import stint

N = 5
ROOT = Path(__file__).resolve().parents[1]
INSATS = "Ung i Tyresö"
SLUG = "ung-i-tyreso"


def _stints(spec: list[tuple[int, dict]], prefix: str = "P") -> list[dict]:
    """`count` stints per entry, each with its own person; entries give stint() keyword arguments."""
    rows: list[dict] = []
    for count, kwargs in spec:
        for _ in range(count):
            i = len(rows)
            args = {"start": (date(2017, 1, 2) + timedelta(days=i % 300)).isoformat(), **kwargs}
            rows.append(stint(f"{prefix}{i:04d}", **args))
    return rows


def _ended(reason: str, kon: str = "Kvinna", **extra: object) -> dict:
    return {"end": "2017-11-30", "reason": reason, "kon": kon, **extra}


def _known(t: Table, row: str, column: str) -> int | None:
    """A count as printed: None when `..` (or the row is left out)."""
    try:
        value = t.value(row, column)
    except StopIteration:
        return None
    return _count(value)


def _count(value: Cell) -> int | None:
    """A count cell: None when hidden."""
    if isinstance(value, Suppressed):
        return None
    assert isinstance(value, int | float), value
    return int(value)


def _all_values(r: Report) -> list[Value]:
    texts = [*r.notes, *(n for t in r.tables() for n in t.notes)]
    return [v for text in texts if isinstance(text, Text) for v in text.values()]


# --- 1. the history table against the main table ---------------------------------------------------


def _exit_rows() -> list[dict]:
    """63 exits: 60 to work (2 women, 58 men), 3 to arbetsförberedande (1 woman, 2 men)."""
    return _stints([(2, _ended("Arbete")), (1, _ended("Arbetsförberedande insats")), (58, _ended("Arbete", "Man")),
                    (2, _ended("Arbetsförberedande insats", "Man")), (40, {"start": "2016-05-01"})])


def test_1_the_history_row_of_the_year_does_not_give_back_a_hidden_exit() -> None:
    r = protect(report(_exit_rows(), Request(2017, insatser=(SLUG,))), N)
    main, history = r.table(f"{SLUG}.deltagare-och-avslut"), r.table(f"{SLUG}.historik")
    assert _known(main, "Arbetsförberedande insats", "Kvinnor") is None  # 3: hidden
    # A reader takes Avslutade and Arbete/studier from wherever either table prints them.
    avslutade = _known(main, "Avslutade", "Totalt") or _known(history, "2017", "Avslutade")
    arbete_studier = _known(main, "Arbete/studier", "Totalt") or _known(history, "2017", "Arbete/studier")
    rest = [_known(main, m, "Totalt") for m in ("Arbetsförberedande insats", "Annat", "Okänd")]
    known = [avslutade, arbete_studier, *rest]
    assert sum(v is None for v in known) != 1, "Avslutade − Arbete/studier − the others gives the hidden one"
    # One quantity, printed twice, is hidden in both places or in neither.
    assert (_known(main, "Avslutade", "Totalt") is None) == (_known(history, "2017", "Avslutade") is None)


# --- 2. percentages pin their counts -----------------------------------------------------------


def _candidates(percent: int, numerator: int | None, denominator: int | None) -> list[tuple[int, int]]:
    """The (numerator, denominator) pairs a reader cannot rule out for a printed percentage, one of them printed."""
    pairs = [(n, d) for d in range(1, 400) for n in range(d + 1)
             if (numerator is None or n == numerator) and (denominator is None or d == denominator)]
    return [(n, d) for n, d in pairs if round_half_up(n / d * 100) == percent]


def test_2_a_percentage_and_one_printed_count_do_not_pin_the_other() -> None:
    """"Andel till arbetsförberedande insats 5 %" of 63 avslutade: only 3 rounds to 5 %."""
    goals = {"slug": SLUG, "mal": {2017: {"andel_arbete_studier": 65, "andel_arbetsforberedande": 30}}}
    r = protect(report(_exit_rows(), Request(2017, insatser=(SLUG,)), config(**{INSATS: goals})), N)
    goals_table, main = r.table(f"{SLUG}.mal"), r.table(f"{SLUG}.deltagare-och-avslut")
    history = r.table(f"{SLUG}.historik")
    avslutade = _known(main, "Avslutade", "Totalt") or _known(history, "2017", "Avslutade")
    for label, numerator_row in (("Andel till arbete/studier", "Arbete/studier"),
                                 ("Andel till arbetsförberedande insats", "Arbetsförberedande insats")):
        share = goals_table.value(label, "Resultat")
        numerator = _known(main, numerator_row, "Totalt")
        if share is not SUPPRESSED and (numerator is None) != (avslutade is None):
            percent = int(round_half_up(float(share) * 100))  # type: ignore[arg-type]
            assert len(_candidates(percent, numerator, avslutade)) >= 3, f"{label} pins a hidden count"
    assert _known(main, "Arbetsförberedande insats", "Totalt") is None  # 3: the situation
    # The goals' notes ("60 av 63 avslutade") print a count exactly where the main table does.
    for note, numerator_row in zip(goals_table.notes, ("Arbete/studier", "Arbetsförberedande insats"), strict=False):
        assert [v.value for v in as_text(note).values()] == [main.value(numerator_row, "Totalt"),
                                                             main.value("Avslutade", "Totalt")]


# --- 3. the change column and the welfare note -------------------------------------------------------


def _welfare_rows() -> list[dict]:
    """27 with försörjningsstöd at the start, 3 at the end; 44 to wages from none."""
    return _stints([(3, _ended("Arbete", forsorjning_start="Försörjningsstöd", forsorjning_slut="Försörjningsstöd")),
                    (24, _ended("Arbete", forsorjning_start="Försörjningsstöd", forsorjning_slut="Lön")),
                    (20, _ended("Studier", forsorjning_start="Aktivitetsstöd", forsorjning_slut="Lön")),
                    (20, _ended("Annat", "Man", forsorjning_start="Aktivitetsstöd", forsorjning_slut="")),
                    (30, {"start": "2016-05-01"})])


def _sources(r: Report) -> Table:
    return r.table(f"{SLUG}.forsorjning-avslut")


def test_3_a_change_beside_a_hidden_count_is_hidden_and_the_note_with_it() -> None:
    r = protect(report(_welfare_rows(), Request(2017, insatser=(SLUG,))), N)
    t = _sources(r)
    for row in t.rows:
        fore, efter, change = row.cells[1:]
        hidden = [c is SUPPRESSED for c in (fore, efter, change)]
        assert sum(hidden) != 1, f"{row.cells[0]}: Vid avslut = Vid inskrivning + Förändring gives the hidden one"
    welfare = [n for n in t.notes if isinstance(n, Text) and "försörjningsstöd (" in "".join(
        p for p in n.parts if isinstance(p, str))]
    (note,) = welfare
    counts = [v.value for v in note.values() if v.kind.value == "count"]
    percent = [v.value for v in note.values() if v.kind.value == "percent"]
    if SUPPRESSED in counts:
        assert percent == [SUPPRESSED], "a percentage of a shown count gives back the hidden one"


# --- 4. zeros are shown, so a hidden count is at least 1 -------------------------------------------------


def _remittent_rows() -> list[dict]:
    """Five referrers with one woman each and many men, one with no women: Kvinnor total 5 + the rest."""
    spec = [(1, {"remittent": f"Remittent {i}"}) for i in range(5)]
    spec += [(31 - i, {"remittent": f"Remittent {i}", "kon": "Man"}) for i in range(5)]
    spec += [(20, {"remittent": "AF Tyresö", "kon": "Man"})]
    return _stints(spec)


def test_4_hidden_cells_under_a_shown_total_are_not_all_pinned_to_one() -> None:
    r = protect(report(_remittent_rows(), Request(2017, insatser=(SLUG,))), N)
    t = r.table(f"{SLUG}.remittent")
    for column in ("Totalt", "Kvinnor", "Män"):
        total = _known(t, "Totalt", column)
        cells = [row.cells[t.column(column)] for row in t.rows[:-1]]
        hidden = sum(c is SUPPRESSED for c in cells)
        if total is not None and hidden:
            rest = total - sum(_count(c) or 0 for c in cells)
            assert rest > hidden, f"{column}: {hidden} hidden cells of at least 1 share {rest}: each is pinned"


# --- 5. the README's example --------------------------------------------------------------------------------


def test_5_no_change_pins_a_hidden_pair() -> None:
    """`Hel sjukpenning | .. | .. | −3` with `..` < 5: only 4 and 1."""
    rows = _stints([(3, _ended("Arbete", forsorjning_start="Sjukpenning")),
                    (1, _ended("Arbete", forsorjning_start="Sjukpenning", forsorjning_slut="Sjukpenning")),
                    (40, _ended("Studier", "Man")), (30, {"start": "2016-05-01"})])
    t = _sources(protect(report(rows, Request(2017, insatser=(SLUG,))), N))
    for row in t.rows:
        fore, efter, change = row.cells[1:]
        if fore is SUPPRESSED and efter is SUPPRESSED and change is not SUPPRESSED:
            pairs = [(a, b) for a, b in product(range(N), repeat=2) if b - a == change and (a or b)]
            assert len(pairs) >= 3, f"{row.cells[0]}: {change} leaves {pairs}"


# --- 6. also seen ------------------------------------------------------------------------------------------------


def test_6a_a_note_prints_what_its_table_prints() -> None:
    """"(27 vid inskrivning, .. vid avslut)" must not hide a 6 the row above prints, nor print a hidden one."""
    rows = _stints([(6, _ended("Arbete", forsorjning_start="Försörjningsstöd", forsorjning_slut="Försörjningsstöd")),
                    (21, _ended("Arbete", forsorjning_start="Försörjningsstöd", forsorjning_slut="Lön")),
                    (2, _ended("Annat")), (6, _ended("Annat", "Man")),  # Annat: 2 women hidden, so 6 men too
                    (30, {"start": "2016-05-01"})])
    t = _sources(protect(report(rows, Request(2017, insatser=(SLUG,))), N))
    row = t.row("Försörjningsstöd")
    (note,) = [n for n in t.notes if isinstance(n, Text) and any(
        isinstance(p, str) and "vid avslut)" in p for p in n.parts)]
    counts = [v.value for v in note.values() if v.kind.value == "count"]
    assert counts == [row.cells[1], row.cells[2]]


def test_6b_shares_and_averages_are_hidden_only_with_their_counts() -> None:
    rows = _stints([(30, _ended("Arbete")), (30, _ended("Studier", "Man")), (2, _ended("Okänd", "Man")),
                    (3, {"start": "2016-05-01", "end": "2017-03-01", "reason": "Annat", "kon": "Man"}),
                    (30, {"start": "2016-05-01"})])
    t = protect(report(rows, Request(2017, insatser=(SLUG,))), N).table(f"{SLUG}.deltagare-och-avslut")
    for column in ("Kvinnor", "Män"):
        counts = {m: _known(t, m, column) for m in ("Avslutade", "Till arbete", "Till studier", "Arbete/studier")}
        for share, numerator in (("Andel till arbete (%)", "Till arbete"), ("Andel till studier (%)", "Till studier"),
                                 ("Andel arbete/studier (%)", "Arbete/studier")):
            shown = counts["Avslutade"] is not None and counts[numerator] is not None
            assert (t.value(share, column) is not SUPPRESSED) == shown, (share, column)
        average = t.value("Genomsnittlig inskrivningstid (månader)", column)
        assert (average is not SUPPRESSED) == (counts["Avslutade"] is not None), column


# --- the README's example, and Om rapporten --------------------------------------------------------------------


def _example(run):
    return run("maluppfyllelse", "2017", "--insats", "ung-i-nynas", "--skydda", "5", "--config", ROOT / "finsam.toml")


def test_readme_example_has_no_change_pinning_a_hidden_pair(run) -> None:
    result = _example(run)
    assert result.exit_code == 0
    for line in result.stdout.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 4 and cells[1] == cells[2] == ".." and cells[3] not in ("..", "Förändring"):
            raise AssertionError(f"a change beside two hidden counts: {line}")


def test_om_rapporten_states_the_audit_result(run) -> None:
    result = _example(run)
    (line,) = [line for line in result.stdout.splitlines() if "dolda celler" in line]
    audit = line.split("dolda celler", 1)[1]
    numbers = [int(n) for n in audit.replace("(", " ").replace(",", " ").split() if n.isdigit()]
    hidden, primary, secondary = numbers[:3]
    assert hidden == sum(numbers[1:]) and primary > 0 and secondary > 0  # … derived[, omitted]
    assert "primärt" in line and "sekundärt" in line and "härledda" in line



def test_a_value_hidden_in_one_export_file_is_printed_in_none() -> None:
    """The export's reports are protected together: each insats's report and the summary across insatser."""
    from finsam_cli.inputs.session import open_session
    from finsam_cli.publish.pipeline import protect_set
    from finsam_cli.publish.plan import plan_jobs

    session = open_session(ROOT / "finsam.toml")
    jobs = [j for j in plan_jobs(session, 2017).jobs if j.report.startswith("maluppfyllelse")]
    reports = protect_set([j.build() for j in jobs], N)
    summary = next(r for r in reports if r.subject == "Alla insatser").table("sammanstallning")
    compared = 0
    for r in reports:
        if r.subject == "Alla insatser":
            continue
        main = next(t for t in r.tables() if t.key.endswith(".deltagare-och-avslut"))
        for measure, column in (("Deltagare", "Deltagare"), ("Nya deltagare", "Nya deltagare"),
                                ("Avslutade", "Avslutade"), ("Arbete/studier", "Arbete/studier")):
            here, there = main.value(measure, "Totalt"), summary.value(str(r.subject), column)
            assert (here is SUPPRESSED) == (there is SUPPRESSED), (r.subject, measure)
            compared += here is SUPPRESSED
    assert compared > 0  # the sample hides some of them: the check is not vacuous
