"""The måluppfyllelse report built from hand-made frames: published figures, goals, tables, insats choice."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd
import pytest

from finsam_cli.config import Config
from finsam_cli.errors import UsageError
from finsam_cli.render.markdown import render_markdown
from finsam_cli.render.numbers import plain
from finsam_cli.reports.deltagare.maluppfyllelse import Request, build_report
from finsam_cli.reports.model import Column, Kind, Provenance, Report, Style
from finsam_cli.reports.sheets import sheet_names
from tests.test_stint_metrics import frame_of, stint

TYRESO = "Ung i Tyresö"
NYNAS = "Ung i Nynäs"
EXITS_2017 = ["Arbete"] * 71 + ["Studier"] * 45 + ["Arbetsförberedande insats"] * 20 + ["Annat"] * 19 + ["Okänd"] * 10


def _day(d: date) -> str:
    return d.isoformat()


def tyreso_2017_rows() -> list[dict]:
    """Stints giving Ung i Tyresö's published 2017 figures: 249 deltagare, 133 nya, 165 avslutade,
    71 to work and 45 to studies (70 %); plus stints that must not count in 2017."""
    rows = []
    for i in range(249):
        carried = i < 116  # open since 2016: 116 + 133 new = 249
        if carried:
            start = date(2016, 3, 1) + timedelta(days=i)
            end: date | None = date(2017, 1, 1) + timedelta(days=i)  # the first ends on 1 January
        else:
            start = date(2017, 1, 1) + timedelta(days=2 * (i - 116))
            end = start + timedelta(days=60) if i < 165 else None
        if i == 248:
            start = date(2017, 12, 31)  # starts on the last day
        rows.append(stint(f"T{i:03d}", start=_day(start), end=_day(end) if end else None,
                          reason=EXITS_2017[i] if i < 165 else None, insats=TYRESO,
                          kon="Kvinna" if i % 2 else "Man", fodelsear=1996.0 + i % 5,
                          remittent=["AF Tyresö", "Egen anmälan", "Tyresö kommun"][i % 3],
                          forsorjning_start="Försörjningsstöd" if i % 4 == 0 else "Aktivitetsstöd",
                          forsorjning_slut="Lön" if i < 71 else ("Studiemedel" if i < 116 else "")))
    # A person with a second stint, already counted above: it ended in 2016.
    rows.append(stint("T000", start="2015-05-01", end="2016-12-31", reason="Annat", insats=TYRESO))
    # Not in 2017: ended in 2016, starts in 2018.
    rows.append(stint("T900", start="2016-02-01", end="2016-11-30", reason="Arbete", insats=TYRESO))
    rows.append(stint("T901", start="2018-01-01", insats=TYRESO))
    return rows


def provenance() -> Provenance:
    return Provenance(inputs=[], parameters={}, version="test", generated=datetime(2025, 11, 25))


def config(**insatser: dict) -> Config:
    return Config.model_validate({"forbund": {"namn": "Samordningsförbundet Test"},
                                  "insatser": [{"namn": k, **v} for k, v in insatser.items()]})


TYRESO_GOALS: dict[str, Any] = {"slug": "ung-i-tyreso", "mal": {2017: {"deltagare": 250, "nya_deltagare": 120,
                                                        "andel_arbete_studier": 65}}}


# The data must cover a period to the end for its goals to be judged (issue 13): a stint of an insats no
# test selects, started after the year, makes the fixtures cover 2017 in full.
LATER = stint("LATER", start="2018-01-01", insats="Nedlagd insats")


def report(rows: list[dict], request: Request, cfg: Config | None = None,
           anonyma: pd.DataFrame | None = None) -> Report:
    return build_report(frame_of(rows), anonyma, cfg or config(), request, provenance())


# --- the published 2017 figures -------------------------------------------------------------


def test_published_2017_figures_for_ung_i_tyreso():
    r = report(tyreso_2017_rows(), Request(2017, insatser=("ung-i-tyreso",)), config(**{TYRESO: TYRESO_GOALS}))
    t = r.table("ung-i-tyreso.deltagare-och-avslut")
    assert t.title == "Deltagare och avslut 2017"
    assert [c.label for c in t.columns] == ["Mått", "Totalt", "Kvinnor", "Män"]
    assert [row.cells[0] for row in t.rows] == [
        "Deltagare", "Nya deltagare", "Avslutade", "Till arbete", "Till studier", "Arbete/studier",
        "Arbetsförberedande insats", "Annat", "Okänd", "Andel till arbete (%)", "Andel till studier (%)",
        "Andel arbete/studier (%)", "Genomsnittlig inskrivningstid (månader)"]
    totals = {row.cells[0]: row.cells[1] for row in t.rows}
    assert (totals["Deltagare"], totals["Nya deltagare"], totals["Avslutade"]) == (249, 133, 165)
    assert (totals["Till arbete"], totals["Till studier"], totals["Arbete/studier"]) == (71, 45, 116)
    assert (totals["Arbetsförberedande insats"], totals["Annat"], totals["Okänd"]) == (20, 19, 10)
    assert totals["Andel arbete/studier (%)"] == pytest.approx(116 / 165)
    assert totals["Andel till arbete (%)"] == pytest.approx(71 / 165)
    assert t.row("Andel till studier (%)").kind is Kind.PERCENT
    assert t.row("Genomsnittlig inskrivningstid (månader)").kind is Kind.DECIMAL
    for row in t.rows[:9]:
        total, women, men = row.cells[1:4]
        assert isinstance(women, int | float) and isinstance(men, int | float)
        assert total == women + men  # Totalt = Kvinnor + Män
    md = render_markdown(r)
    for line in ("| Deltagare | 249 |", "| Nya deltagare | 133 |", "| Avslutade | 165 |", "| Till arbete | 71 |",
                 "| Till studier | 45 |", "| Arbete/studier | 116 |", "| Andel arbete/studier (%) | 70\u00a0% |"):
        assert line in md


def test_mean_enrolment_months_over_the_ended_stints():
    rows = [stint("A", start="2017-01-01", end="2017-07-02"), stint("B", start="2017-01-01", end="2017-01-01"),
            stint("C", start="2016-01-01")]
    t = report(rows, Request(2017)).table("ung-i-tyreso.deltagare-och-avslut")
    days = (182 + 0) / 2
    assert t.value("Genomsnittlig inskrivningstid (månader)", "Totalt") == pytest.approx(days / (365.25 / 12))


def test_goals_table_with_targets_results_and_verdicts():
    r = report(tyreso_2017_rows(), Request(2017), config(**{TYRESO: TYRESO_GOALS}))
    t = r.table("ung-i-tyreso.mal")
    assert t.title == "Mål och resultat"
    assert [c.label for c in t.columns] == ["Mål", "Målvärde", "Resultat", "Uppfyllt"]
    assert [list(row.cells) for row in t.rows] == [
        ["Deltagare", 250, 249, "Nej"], ["Nya deltagare", 120, 133, "Ja"],
        ["Andel till arbete/studier", 0.65, pytest.approx(116 / 165), "Ja"]]
    assert [row.kind for row in t.rows] == [None, None, Kind.PERCENT]
    assert "Andel till arbete/studier: 116 av 165 avslutade." in [plain(n) for n in t.notes]
    md = render_markdown(r)
    assert "| Andel till arbete/studier | 65\u00a0% | 70\u00a0% | Ja |" in md


def test_share_goal_is_judged_at_the_shown_precision():
    rows = [stint(f"P{i}", start="2017-01-01", end="2017-02-01", reason="Arbete" if i < 129 else "Annat")
            for i in range(200)] + [LATER]  # 64,5 % shows as 65 %
    goals = {TYRESO: {"mal": {2017: {"andel_arbete": 65, "andel_studier": 1}}}}
    t = report(rows, Request(2017), config(**goals)).table("ung-i-tyreso.mal")
    assert t.value("Andel till arbete", "Uppfyllt") == "Ja"
    assert t.value("Andel till studier", "Uppfyllt") == "Nej"


def test_no_goals_gives_no_goal_table_but_says_so():
    r = report(tyreso_2017_rows(), Request(2017))
    assert "ung-i-tyreso.mal" not in [t.key for t in r.tables()]
    assert [plain(p) for p in r.sections[0].paragraphs] == ["Inga mål för 2017 finns i konfigurationen."]


def test_half_year_count_goals_are_not_yet_failed():
    rows = [stint("A", start="2017-02-01"), LATER]
    goals = {TYRESO: {"mal": {2017: {"deltagare": 2, "nya_deltagare": 1}}}}
    t = report(rows, Request(2017, half_year=True), config(**goals)).table("ung-i-tyreso.mal")
    assert [row.cells[3] for row in t.rows] == ["Ej ännu", "Ja"]


# --- the denominator per insats ----------------------------------------------------------------


def test_shares_over_exits_with_insats_when_configured():
    rows = [stint("A", start="2017-01-01", end="2017-03-01", reason="Arbete"),
            stint("B", start="2017-01-01", end="2017-03-01", reason="Annat"),
            stint("C", start="2017-01-01", end="2017-03-01", reason="Annat", fatt_insats=False),
            stint("D", start="2017-01-01", end="2017-03-01", reason="Studier", fatt_insats=False),
            stint("E", start="2017-01-01", fatt_insats=False), LATER]
    goals = {"namnare": "med_insats", "mal": {2017: {"deltagare_med_insats": 2, "andel_arbete_studier": 50}}}
    r = report(rows, Request(2017), config(**{TYRESO: goals}))
    t = r.table("ung-i-tyreso.deltagare-och-avslut")
    assert t.value("Avslutade", "Totalt") == 4
    assert t.value("Andel arbete/studier (%)", "Totalt") == pytest.approx(1 / 2)  # A of A, B
    assert any("fått insats" in plain(n) for n in t.notes)
    g = r.table("ung-i-tyreso.mal")
    assert list(g.row("Deltagare med insats").cells[1:]) == [2, 2, "Ja"]
    assert list(g.row("Andel till arbete/studier").cells[2:]) == [pytest.approx(0.5), "Ja"]
    h = r.table("ung-i-tyreso.historik")
    assert h.value(2017, "Procent") == pytest.approx(0.5)


# --- anonymous participants ------------------------------------------------------------------------


def test_anonymous_participants_add_to_deltagare_by_sex_and_nothing_else():
    rows = [stint("A", start="2017-01-01", end="2017-03-01", reason="Arbete", kon="Kvinna")]
    anon = pd.DataFrame({"insats": ["ung i tyreso", "Ung i Tyresö", "Ung i Tyresö"], "ar": [2017.0, 2016.0, 2017.0],
                         "kvinnor": [2.0, 5.0, 1.0], "man": [3.0, 5.0, 0.0]})
    r = report(rows, Request(2017), anonyma=anon)
    t = r.table("ung-i-tyreso.deltagare-och-avslut")
    assert list(t.row("Deltagare").cells[1:]) == [7, 4, 3]
    assert list(t.row("Nya deltagare").cells[1:]) == [1, 1, 0]
    assert list(t.row("Avslutade").cells[1:]) == [1, 1, 0]
    assert t.value("Andel arbete/studier (%)", "Totalt") == 1.0
    assert any("6 anonyma" in plain(n) for n in t.notes)
    h = r.table("ung-i-tyreso.historik")
    assert [list(row.cells[:3]) for row in h.rows] == [[2016, 10, 0], [2017, 7, 1], ["2016–2017", 17, 1]]
    assert "Unika personer 2016–2017: 1." in plain(h.notes[0])
    half = report(rows, Request(2017, half_year=True), anonyma=anon).table("ung-i-tyreso.deltagare-och-avslut")
    assert list(half.row("Deltagare").cells[1:]) == [1, 1, 0]
    assert any("ingår inte i halvårets" in plain(n) for n in half.notes)


# --- history --------------------------------------------------------------------------------------


def test_history_from_the_first_year_with_a_total_row_and_unique_persons():
    rows = [stint("A", start="2015-03-01", end="2017-02-01", reason="Arbete"),
            stint("B", start="2016-03-01", end="2016-05-01", reason="Studier"),
            stint("B", start="2016-08-01", end="2016-09-01", reason="Annat"),
            stint("C", start="2017-01-01", end="2017-12-31", reason="Annat"),
            stint("D", start="2017-06-01", insats=NYNAS)]
    r = report(rows, Request(2017, insatser=("ung-i-tyreso",)))
    h = r.table("ung-i-tyreso.historik")
    assert [c.label for c in h.columns] == ["År", "Deltagare", "Nya deltagare", "Avslutade", "Till arbete",
                                            "Till studier", "Arbete/studier", "Procent"]
    assert [list(row.cells) for row in h.rows] == [
        [2015, 1, 1, 0, 0, 0, 0, None],
        [2016, 3, 2, 2, 0, 1, 1, 0.5],
        [2017, 2, 1, 2, 1, 0, 1, 0.5],
        ["2015–2017", 6, 4, 4, 1, 1, 2, 0.5]]
    assert h.rows[-1].style is Style.TOTAL
    assert plain(h.notes[0]).startswith("Unika personer 2015–2017: 3.")
    assert h.chart is not None and h.chart.type == "column" and h.chart.series == (7,) and h.chart.line is None


def test_history_draws_the_share_goal_as_a_line_on_the_same_axes():
    rows = [stint("A", start="2016-03-01", end="2016-05-01", reason="Arbete"),
            stint("B", start="2017-01-01", end="2017-02-01", reason="Annat")]
    goals = {"mal": {2017: {"andel_arbete_studier": 65}}}
    h = report(rows, Request(2017), config(**{TYRESO: goals})).table("ung-i-tyreso.historik")
    assert h.columns[-1] == Column("Mål", Kind.PERCENT)
    assert [row.cells[-1] for row in h.rows] == [None, pytest.approx(0.65), None]  # no goal for 2016 or the total
    assert h.chart is not None and h.chart.series == (7,) and h.chart.line == 8


def test_history_total_percent_is_recomputed_from_the_sums():
    rows = [stint(f"A{i}", start="2016-01-01", end="2016-02-01", reason="Arbete" if i < 1 else "Annat")
            for i in range(4)]  # 2016: 1 of 4
    rows += [stint("B", start="2017-01-01", end="2017-02-01", reason="Arbete")]  # 2017: 1 of 1
    h = report(rows, Request(2017)).table("ung-i-tyreso.historik")
    assert h.value("2016–2017", "Procent") == pytest.approx(2 / 5)  # not the mean of 25 % and 100 %


def test_half_year_history_ends_with_the_half_year():
    rows = [stint("A", start="2013-03-01", end="2014-03-01", reason="Arbete"),
            stint("B", start="2014-08-01", end="2014-09-01", reason="Studier")]
    r = report(rows, Request(2014, half_year=True))
    assert r.period.label == "jan–juni 2014"
    h = r.table("ung-i-tyreso.historik")
    assert [list(row.cells[:4]) for row in h.rows] == [[2013, 1, 1, 0], ["jan–juni 2014", 1, 0, 1],
                                                 ["2013–2014", 2, 1, 1]]
    assert r.table("ung-i-tyreso.deltagare-och-avslut").title == "Deltagare och avslut jan–juni 2014"


# --- sources of support -------------------------------------------------------------------------------


def test_sources_at_start_and_end_count_a_group_once_per_stint():
    rows = [stint("A", start="2017-01-01", end="2017-05-01", forsorjning_start="Försörjningsstöd, Sjukpenning",
                  forsorjning_slut="Lön, Studiemedel"),
            stint("B", start="2017-01-01", end="2017-05-01", forsorjning_start="Försörjningsstöd",
                  forsorjning_slut="Försörjningsstöd"),
            stint("C", start="2017-01-01", forsorjning_start="Försörjningsstöd")]  # not ended: not counted
    r = report(rows, Request(2017))
    t = r.table("ung-i-tyreso.forsorjning-avslut")
    assert [c.label for c in t.columns] == ["Försörjningskälla", "Vid inskrivning", "Vid avslut", "Förändring"]
    assert [row.cells[0] for row in t.rows] == list(Config().forsorjning)
    assert list(t.row("Försörjningsstöd").cells[1:]) == [2, 1, -1]
    assert list(t.row("Lön/CSN").cells[1:]) == [0, 1, 1]
    assert list(t.row("Hel sjukpenning").cells[1:]) == [1, 0, -1]
    assert plain(t.notes[0]).startswith("n = 2 deltagare som avslutades under 2017.")
    assert "50\u00a0% färre med försörjningsstöd (2 vid inskrivning, 1 vid avslut)." in [plain(n) for n in t.notes]
    assert t.chart is not None and t.chart.type == "bar" and t.chart.series == (1, 2)
    md = render_markdown(r)
    assert "| Lön/CSN | 0 | 1 | +1 |" in md
    assert "| Försörjningsstöd | 2 | 1 | \u22121 |" in md


def published_followup_rows() -> list[dict]:
    """145 stints followed up in 2017 with the published Resursråd table (92 → 49 with försörjningsstöd)."""
    table = {"A-kassa": (9, 15), "Annat": (7, 19), "Försörjningsstöd": (92, 49), "Sjukersättning": (9, 10),
             "Sjukpenning": (32, 27), "Lön": (2, 23), "Rehabiliteringsersättning": (0, 2)}
    before = [s for s, (b, _) in table.items() for _ in range(b)]  # 151 mentions: 6 persons have two
    after = [s for s, (_, a) in table.items() for _ in range(a)]  # 145
    starts = [before[i] for i in range(145)]
    for j, extra in enumerate(before[145:]):
        starts[j] = f"{starts[j]}, {extra}" if extra != starts[j] else starts[j]
    assert len(before) == 151 and len(after) == 145
    return [stint(f"R{i:03d}", start=_day(date(2016, 1, 1) + timedelta(days=i * 2)), insats="Resursrådet",
                  forsorjning_start=starts[i], forsorjning_uppfoljning=after[i]) for i in range(145)]


def test_published_followup_one_year_after_and_the_change_in_forsorjningsstod():
    rows = published_followup_rows()
    rows += [stint("X1", start="2016-06-01", insats="Resursrådet", forsorjning_start="Försörjningsstöd"),  # none
             stint("X2", start="2017-01-01", insats="Resursrådet", forsorjning_start="Försörjningsstöd",
                   forsorjning_uppfoljning="Lön"), LATER]  # due 2018
    goals = {"slug": "resursradet", "mal": {2017: {"minskning_forsorjningsstod": 30}}}
    r = report(rows, Request(2017), config(Resursrådet=goals))
    t = r.table("resursradet.forsorjning-uppfoljning")
    assert t.title == "Försörjningskällor vid inskrivning och ett år efter"
    assert [c.label for c in t.columns] == ["Försörjningskälla", "Vid inskrivning", "Ett år efter", "Förändring"]
    got = {row.cells[0]: list(row.cells[1:]) for row in t.rows}
    assert got["Försörjningsstöd"] == [92, 49, -43]
    assert got["A-kassa/aktivitetsstöd"] == [9, 15, 6]
    assert got["Lön/CSN"] == [2, 23, 21]
    assert got["Rehab-ersättning"] == [0, 2, 2]
    assert plain(t.notes[0]).startswith("n = 145 deltagare som följts upp")
    assert "47\u00a0% färre med försörjningsstöd (92 vid inskrivning, 49 ett år efter)." in [plain(n) for n in t.notes]
    g = r.table("resursradet.mal")
    assert list(g.row("Minskning av försörjningsstöd ett år efter inskrivning").cells[1:]) == [
        0.3, pytest.approx(43 / 92), "Ja"]


def test_more_with_forsorjningsstod_says_fler():
    rows = [stint("A", start="2017-01-01", end="2017-03-01", forsorjning_start="Lön",
                  forsorjning_slut="Försörjningsstöd"),
            stint("B", start="2017-01-01", end="2017-03-01", forsorjning_start="Försörjningsstöd",
                  forsorjning_slut="Försörjningsstöd")]
    t = report(rows, Request(2017)).table("ung-i-tyreso.forsorjning-avslut")
    assert "100\u00a0% fler med försörjningsstöd (1 vid inskrivning, 2 vid avslut)." in [plain(n) for n in t.notes]


def test_no_followups_means_no_followup_table():
    r = report([stint("A", start="2017-01-01", end="2017-03-01")], Request(2017))
    assert "ung-i-tyreso.forsorjning-uppfoljning" not in [t.key for t in r.tables()]
    assert any("Ingen deltagare har uppföljning" in plain(n) for n in r.table("ung-i-tyreso.forsorjning-avslut").notes)


# --- breakdowns of new participants ----------------------------------------------------------------------


def test_breakdowns_of_new_participants_by_sex_with_shares():
    rows = [stint("A", start="2017-01-01", remittent="AF Tyresö", fodelsear=2000.0, kommun="Tyresö",
                  utbildningsniva="Förgymnasial"),
            stint("B", start="2017-02-01", remittent="AF Tyresö", kon="Man", fodelsear=1980.0, kommun="Haninge"),
            stint("C", start="2017-03-01", remittent="Öppen psykiatri", fodelsear=1960.0, utbildningsniva=None,
                  remittent_grupp="Region"),
            stint("D", start="2017-04-01", remittent=None, kon="Man", fodelsear=None, remittent_grupp=None),
            stint("E", start="2016-04-01", remittent="Egen anmälan")]  # not new in 2017
    r = report(rows, Request(2017))
    rem = r.table("ung-i-tyreso.remittent")
    assert rem.title == "Nya deltagare efter remittent"
    assert [c.label for c in rem.columns] == ["Remittent", "Totalt", "Kvinnor", "Män", "Andel (%)"]
    indent = "\u00a0" * 3
    assert [list(row.cells) for row in rem.rows] == [  # the referrer groups, each with its referrers beneath
        ["Arbetsförmedlingen", 2, 1, 1, 0.5], [f"{indent}AF Tyresö", 2, 1, 1, 0.5],
        ["Region", 1, 1, 0, 0.25], [f"{indent}Öppen psykiatri", 1, 1, 0, 0.25],
        ["Uppgift saknas", 1, 0, 1, 0.25], ["Totalt", 4, 2, 2, 1.0]]
    assert [row.style for row in rem.rows] == [Style.SUBTOTAL, Style.NORMAL] * 2 + [Style.SUBTOTAL, Style.TOTAL]
    age = r.table("ung-i-tyreso.aldersgrupp")
    assert [list(row.cells[:2]) for row in age.rows] == [["16–24", 1], ["25–49", 1], ["50–64", 1], ["Övriga åldrar", 0],
                                                   ["Uppgift saknas", 1], ["Totalt", 4]]
    edu = r.table("ung-i-tyreso.utbildningsniva")
    assert [list(row.cells[:2]) for row in edu.rows] == [["Förgymnasial", 1], ["Gymnasial", 2], ["Eftergymnasial", 0],
                                                   ["Okänd", 0], ["Uppgift saknas", 1], ["Totalt", 4]]
    kommun = r.table("ung-i-tyreso.kommun")
    assert [list(row.cells[:4]) for row in kommun.rows] == [["Tyresö", 3, 2, 1], ["Haninge", 1, 0, 1],
                                                         ["Totalt", 4, 2, 2]]


# --- choosing insatser, year and summary ---------------------------------------------------------------


def test_insats_by_slug_or_name_ignoring_case_and_swedish_letters():
    rows = [stint("A", start="2017-01-01"), stint("B", start="2017-01-01", insats=NYNAS)]
    for name in ("ung-i-tyreso", "UNG I TYRESO", "ung i tyresö", "Ung i Tyresö"):
        r = report(rows, Request(2017, insatser=(name,)))
        assert r.subject == TYRESO and [s.title for s in r.sections] == [TYRESO]


def test_unknown_insats_lists_the_known_ones():
    rows = [stint("A", start="2017-01-01"), stint("B", start="2017-01-01", insats=NYNAS)]
    with pytest.raises(UsageError) as err:
        report(rows, Request(2017, insatser=("ung-i-haninge",)), config(Samrehab={}))
    text = str(err.value)
    assert "ung-i-haninge" in text
    for known in ("samrehab", "ung-i-tyreso  (Ung i Tyresö)", "ung-i-nynas  (Ung i Nynäs)"):
        assert known in text


def test_data_names_join_their_catalogue_entry():
    rows = [stint("A", start="2017-01-01", insats="Resursrådet Haninge / Nynäshamn"), LATER]
    cfg = config(**{"Resursrådet Haninge/Nynäshamn": {"slug": "resursradet", "mal": {2017: {"deltagare": 1}}}})
    r = report(rows, Request(2017, insatser=("resursradet",)), cfg)
    assert r.subject == "Resursrådet Haninge/Nynäshamn"
    assert list(r.table("resursradet.mal").row("Deltagare").cells[1:]) == [1, 1, "Ja"]
    assert sheet_names(r.sections)[0] == "Resursrådet Haninge-Nynäshamn"


def test_default_year_is_the_latest_year_the_data_covers_in_full():
    rows = [stint("A", start="2015-01-01", end="2016-05-01"), stint("B", start="2014-01-01")]
    assert report(rows, Request()).period.label == "2015"  # the data ends on 2016-05-01
    assert report(rows, Request(half_year=True)).period.label == "jan–juni 2015"
    rows.append(stint("C", start="2016-07-01"))
    assert report(rows, Request(half_year=True)).period.label == "jan–juni 2016"


def test_all_insatser_then_a_summary_counting_stints():
    rows = [
        *tyreso_2017_rows(),
        stint("N1", start="2017-01-01", end="2017-06-01", reason="Arbete", insats=NYNAS),
        stint("T001", start="2017-01-01", end="2017-06-01", reason="Annat", insats=NYNAS),  # also in Tyresö
        stint("OLD", start="2012-01-01", end="2012-06-01", insats="Nedlagd insats")]  # inactive in 2017
    cfg = config(**{TYRESO: TYRESO_GOALS, NYNAS: {"mal": {2017: {"andel_arbete_studier": 65}}},
                    "Samrehab": {}})
    r = report(rows, Request(2017), cfg)
    assert r.subject == "Alla insatser"
    assert [s.title for s in r.sections] == [TYRESO, NYNAS, "Sammanställning"]
    s = r.table("sammanstallning")
    assert [c.label for c in s.columns] == ["Insats", "Deltagare", "Nya deltagare", "Avslutade", "Arbete/studier",
                                            "Andel (%)", "Mål (%)", "Uppfyllda mål"]
    assert list(s.row(TYRESO).cells) == [TYRESO, 249, 133, 165, 116, pytest.approx(116 / 165), 0.65, "2 av 3"]
    assert list(s.row(NYNAS).cells) == [NYNAS, 2, 2, 2, 1, 0.5, 0.65, "0 av 1"]
    total = s.row("Totalt")
    assert total.style is Style.TOTAL
    assert list(total.cells) == ["Totalt", 251, 135, 167, 117, pytest.approx(117 / 167), None, ""]
    assert "inte unika personer" in plain(s.notes[0])
    assert "Unika personer med registrering under perioden: 250." in plain(s.notes[0])


def test_several_named_insatser_get_a_summary_too():
    rows = [stint("A", start="2017-01-01"), stint("B", start="2017-01-01", insats=NYNAS)]
    r = report(rows, Request(2017, insatser=("ung-i-nynas", "ung-i-tyreso", "Ung i Nynäs")))
    assert [s.title for s in r.sections] == [NYNAS, TYRESO, "Sammanställning"]
    assert r.subject == "Ung i Nynäs, Ung i Tyresö"


def test_a_named_insats_without_activity_is_still_reported():
    rows = [stint("A", start="2012-01-01", end="2012-02-01"), stint("B", start="2017-01-01", insats=NYNAS)]
    r = report(rows, Request(2017, insatser=("ung-i-tyreso",)))
    assert r.table("ung-i-tyreso.deltagare-och-avslut").value("Deltagare", "Totalt") == 0


def test_a_catalogue_insats_without_any_data_is_reported_with_zeros():
    r = report([stint("A", start="2017-01-01")], Request(2017, insatser=("samrehab",)), config(Samrehab={}))
    assert list(r.table("samrehab.deltagare-och-avslut").row("Deltagare").cells[1:]) == [0, 0, 0]
    assert [row.cells[0] for row in r.table("samrehab.historik").rows] == [2017]


def test_a_year_without_any_activity_is_a_usage_error():
    with pytest.raises(UsageError, match=r"^no participant data for 2030: the data covers 2017-01-01 to 2017-02-01$"):
        report([stint("A", start="2017-01-01", end="2017-02-01")], Request(2030))
    with pytest.raises(UsageError, match="no insats has participants in 2017"):
        report([stint("A", start="2015-01-01", end="2015-02-01"), LATER], Request(2017, insatser=()))


def test_report_metadata_and_sheet_names():
    name = "Ett mycket långt insatsnamn: med [konstiga] tecken?"
    rows = [stint("A", start="2017-01-01", insats=name), stint("B", start="2017-01-01", insats=name + " två")]
    r = report(rows, Request(2017))
    assert (r.kind, r.title, r.association, r.period.label) == ("maluppfyllelse", "Måluppfyllelse",
                                                          "Samordningsförbundet Test", "2017")
    sheets = sheet_names(r.sections)
    assert sheets == ("Ett mycket långt insatsnamn med", "Ett mycket långt insatsnamn (2)", "Sammanställning")
    assert r.provenance.parameters == {"år": "2017", "halvår": "nej", "insatser": "alla"}
    assert all(t.protect for t in r.tables())
    keys = [t.key for t in r.tables()]
    assert len(keys) == len(set(keys))


def test_markdown_cells_are_escaped():
    rows = [stint("A", start="2017-01-01", insats="Ung | *i* Tyresö", remittent="AF <b>|</b>")]
    md = render_markdown(report(rows, Request(2017)))
    assert "## Ung \\| \\*i\\* Tyresö" in md
    assert "| \u00a0\u00a0\u00a0AF &lt;b&gt;\\|&lt;/b&gt; | 1 |" in md


def test_data_with_only_felregistrering_is_a_usage_error_not_a_crash(run, tmp_path):
    path = tmp_path / "fel.csv"
    path.write_text("Deltagar-ID;Insats;Kön;Inskrivningsdatum;Avslutsdatum;Avslutsorsak\n"
                    "P1;X;Man;2017-01-01;2017-02-01;Felregistrering\n", encoding="utf-8")
    for args in (("2017",), ()):
        result = run("maluppfyllelse", *args, "--deltagare", path)
        assert result.exit_code == 2
        assert result.stderr == ("Usage error: the participant data has no stints for these insatser; "
                                 "nothing to report\n")


LONG = ("Samverkansinsats för unga vuxna i Haninge, Nynäshamn och Tyresö med arbetslivsinriktad "
        "rehabilitering, delprojekt")


def test_insatser_sharing_their_first_80_characters_stay_apart():
    rows = [stint(f"{part}{i}", start="2017-01-01", insats=f"{LONG} {part}") for part in "AB" for i in range(10)]
    r = report(rows, Request(2017))
    assert [s.title for s in r.sections] == [f"{LONG} A", f"{LONG} B", "Sammanställning"]
    s = r.table("sammanstallning")
    assert s.row(f"{LONG} A").cells[1] == 10 and s.row(f"{LONG} B").cells[1] == 10
    keys = [t.key.split(".")[0] for t in r.tables() if t.key.endswith(".deltagare-och-avslut")]
    assert len(set(keys)) == 2 and all(len(k) <= 80 for k in keys)


def test_names_differing_only_in_case_accents_and_spacing_are_one_insats_others_are_two():
    rows = [stint("A", start="2017-01-01", insats="Ung i Tyresö"),
            stint("B", start="2017-01-01", insats="UNG I  TYRESO"),
            stint("C", start="2017-01-01", insats="Insats 1/2"), stint("D", start="2017-01-01", insats="Insats 1-2")]
    r = report(rows, Request(2017))
    assert [s.title for s in r.sections] == ["Insats 1-2", "Insats 1/2", "Ung i Tyresö", "Sammanställning"]
    s = r.table("sammanstallning")
    assert [s.row(n).cells[1] for n in ("Insats 1-2", "Insats 1/2", "Ung i Tyresö")] == [1, 1, 2]
