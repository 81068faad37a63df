"""Unit tests of the stint metrics on hand-built canonical frames, edges first."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from finsam_cli.config import DEFAULT_GROUPS
from finsam_cli.reports.deltagare import stint_metrics
from finsam_cli.reports.deltagare.stint_metrics import (
    MISSING,
    OTHER_AGE,
    Bins,
    Period,
    add_anonymous,
    age_band,
    by_sex,
    distinct_persons,
    flows,
    followed_up,
    followup_due,
    group_membership,
    half_year_period,
    history_periods,
    in_period,
    mentions,
    unique_persons,
    year_period,
)

CANONICAL = ["person", "insats", "kommun", "kon", "fodelsear", "inskrivningsdatum", "avslutsdatum", "avslutsorsak",
             "remittent", "remittent_grupp", "forsorjning_start", "forsorjning_slut", "forsorjning_uppfoljning",
             "utbildningsniva", "fatt_insats"]
CATEGORIES = ("person", "insats", "kommun", "kon", "avslutsorsak", "remittent", "remittent_grupp",
              "forsorjning_start", "forsorjning_slut", "forsorjning_uppfoljning", "utbildningsniva")


def stint(person: str = "P1", start: str = "2017-03-01", end: str | None = None, reason: str | None = None,
          insats: str = "Ung i Tyresö", kon: str = "Kvinna", **extra: object) -> dict:
    """One stint row in the canonical frame's shape; an end without a reason ends in Annat."""
    row: dict[str, object] = {"person": person, "insats": insats, "kon": kon, "inskrivningsdatum": start,
                              "avslutsdatum": end, "avslutsorsak": reason or ("Annat" if end else None),
                              "fatt_insats": True, "fodelsear": 1998.0, "kommun": "Tyresö", "remittent": "AF Tyresö",
                              "remittent_grupp": "Arbetsförmedlingen", "utbildningsniva": "Gymnasial",
                              "forsorjning_start": "", "forsorjning_slut": "", "forsorjning_uppfoljning": ""}
    row.update(extra)
    return row


def frame_of(rows: list[dict]) -> pd.DataFrame:
    """A canonical participant frame as the loader returns it (index = Excel row numbers)."""
    df = pd.DataFrame(rows, columns=CANONICAL, index=range(2, len(rows) + 2))
    for name in ("inskrivningsdatum", "avslutsdatum"):
        df[name] = pd.to_datetime(df[name]).astype("datetime64[ns]")
    df["fodelsear"] = df["fodelsear"].astype(float)
    df["fatt_insats"] = df["fatt_insats"].astype(bool)
    for name in CATEGORIES:
        df[name] = df[name].astype("category")
    df["kon"] = pd.Categorical(df["kon"], categories=["Kvinna", "Man"])
    return df


def counts(df: pd.DataFrame, periods: list[Period]) -> pd.DataFrame:
    """Flow counts per period (summed over insats and sex), indexed by period label."""
    f = flows(df, periods, ["insats", "kon"]).groupby(level="bin").sum()
    f.index = [p.label for p in periods]
    return f


def cells(frame: pd.DataFrame | pd.Series, label: str, columns: list[str] | None = None) -> list:
    """One row's values (pandas' stubs cannot tell that `.loc[label, columns]` of a table is a row)."""
    picked = frame.loc[label] if columns is None else frame.loc[label, columns]
    assert isinstance(picked, pd.Series)
    return picked.tolist()


Y2016, Y2017 = year_period(2016), year_period(2017)


# --- periods and bins ------------------------------------------------------------------


def test_periods_and_labels():
    assert (Y2017.first, Y2017.last, Y2017.label) == (date(2017, 1, 1), date(2017, 12, 31), "2017")
    assert Y2017.whole_year and Y2017.year == 2017
    h = half_year_period(2014)
    assert (h.first, h.last, h.label) == (date(2014, 1, 1), date(2014, 6, 30), "jan–juni 2014")
    assert not h.whole_year and h.year == 2014
    assert [p.label for p in history_periods(2011, h)] == ["2011", "2012", "2013", "jan–juni 2014"]
    assert [p.label for p in history_periods(2017, Y2017)] == ["2017"]


def test_bins_place_first_and_last_days_and_nat():
    bins = Bins.of([Y2016, Y2017])
    moments = pd.to_datetime(pd.Series(["2016-01-01", "2016-12-31", "2017-01-01", "2017-12-31", "2018-01-01",
                                        "2015-12-31", None]))
    assert bins.containing(moments).tolist() == [0, 0, 1, 1, -1, -1, -1]


DAYS = st.dates(date(1995, 1, 1), date(2025, 12, 31))


@given(days=st.lists(st.one_of(DAYS, st.none()), min_size=1, max_size=40),
       ends=st.lists(st.one_of(DAYS, st.none()), min_size=40, max_size=40),
       first_year=st.integers(2000, 2020), years=st.integers(1, 5), half=st.booleans())
def test_bin_lookups_agree_with_searching_the_periods(days, ends, first_year, years, half):
    last = half_year_period(first_year + years) if half else year_period(first_year + years)
    periods = history_periods(first_year, last)
    bins = Bins.of(periods)
    start = pd.Series(pd.to_datetime(days))
    end = pd.Series(pd.to_datetime(ends[:len(days)]))
    starts = np.array([np.datetime64(p.first, "ns") for p in periods])
    stops = np.array([np.datetime64(p.last, "ns") + np.timedelta64(1, "D") for p in periods])
    values = start.to_numpy()
    idx = np.searchsorted(starts, values, side="right") - 1
    expected = [int(i) if not np.isnat(v) and i >= 0 and v < stops[i] else -1 for i, v in zip(idx, values, strict=True)]
    assert bins.containing(start).tolist() == expected
    first, last_bin = bins.active(start, end)
    for s, e, f, la in zip(start, end, first, last_bin, strict=True):
        active = [i for i, p in enumerate(periods) if pd.notna(s) and s <= pd.Timestamp(p.last)
                  and (pd.isna(e) or e >= pd.Timestamp(p.first))]
        assert (list(range(f, la + 1)) if f <= la else []) == active


def test_bins_must_not_overlap():
    with pytest.raises(ValueError, match="must not overlap"):
        Bins.of([Y2017, half_year_period(2017)])


# --- flows -------------------------------------------------------------------------------


def test_stint_ending_on_1_january_is_active_and_ended_that_year():
    df = frame_of([stint(start="2016-03-01", end="2017-01-01", reason="Arbete")])
    c = counts(df, [Y2016, Y2017])
    assert cells(c, "2016", ["deltagare", "nya", "avslutade"]) == [1, 1, 0]
    assert cells(c, "2017", ["deltagare", "nya", "avslutade", "arbete"]) == [1, 0, 1, 1]
    assert c.loc["2017", "dagar"] == (pd.Timestamp("2017-01-01") - pd.Timestamp("2016-03-01")).days


def test_stint_starting_on_31_december_is_new_that_year_and_active_the_next():
    df = frame_of([stint(start="2016-12-31")])
    c = counts(df, [Y2016, Y2017])
    assert cells(c, "2016", ["deltagare", "nya"]) == [1, 1]
    assert cells(c, "2017", ["deltagare", "nya", "avslutade"]) == [1, 0, 0]


def test_stint_ended_before_the_period_or_started_after_it_is_not_counted():
    df = frame_of([stint(start="2015-02-01", end="2016-12-31"), stint("P2", start="2018-01-01")])
    c = counts(df, [Y2017])
    assert cells(c, "2017", ["deltagare", "nya", "avslutade"]) == [0, 0, 0]


def test_one_person_with_two_stints_counts_twice_as_stints_once_as_person():
    df = frame_of([stint("P1", start="2017-01-10", end="2017-03-01", reason="Okänd"),
                   stint("P1", start="2017-05-01", end="2017-11-30", reason="Studier")])
    c = counts(df, [Y2017])
    assert cells(c, "2017", ["deltagare", "nya", "avslutade", "studier", "okand"]) == [2, 2, 2, 1, 1]
    df["enhet"] = df["insats"]
    assert unique_persons(df, [Y2017], "enhet").tolist() == [1]
    assert distinct_persons(df, [Y2017]) == 1


def test_half_year_cut():
    h = half_year_period(2014)
    df = frame_of([
        stint("A", start="2014-06-30"),  # new on the last day
        stint("B", start="2014-07-01"),  # after the cut: nothing
        stint("C", start="2013-05-01", end="2014-06-30", reason="Arbete"),  # ended on the last day
        stint("D", start="2013-05-01", end="2014-07-01", reason="Arbete"),  # active, but ended after the cut
        stint("E", start="2013-05-01", end="2013-12-31"),  # ended before
    ])
    c = counts(df, [h])
    assert cells(c, "jan–juni 2014", ["deltagare", "nya", "avslutade", "arbete"]) == [3, 1, 1, 1]


def test_exit_reasons_by_sex_and_with_insats():
    df = frame_of([
        stint("A", start="2016-01-01", end="2017-02-01", reason="Arbete", kon="Man"),
        stint("B", start="2016-01-01", end="2017-02-01", reason="Arbete", kon="Kvinna", fatt_insats=False),
        stint("C", start="2017-01-01", end="2017-02-01", reason="Studier", kon="Kvinna"),
        stint("D", start="2017-01-01", end="2017-02-01", reason="Arbetsförberedande insats", kon="Man"),
        stint("E", start="2017-01-01", end="2017-02-01", reason="Okänd", kon="Man"),
        stint("F", start="2017-01-01", kon="Man", fatt_insats=False),
    ])
    f = flows(df, [Y2017], ["insats", "kon"]).xs(0, level="bin").droplevel("insats")
    assert cells(f, "Kvinna", ["deltagare", "avslutade", "arbete", "studier"]) == [2, 2, 1, 1]
    assert cells(f, "Man", ["deltagare", "avslutade", "arbete", "arbetsforberedande", "okand", "annat"]) == \
        [4, 3, 1, 1, 1, 0]
    assert cells(f, "Kvinna", ["deltagare_med_insats", "avslutade_med_insats", "arbete_med_insats",
                               "studier_med_insats"]) == [1, 1, 0, 1]
    assert cells(f, "Man", ["deltagare_med_insats", "avslutade_med_insats", "arbetsforberedande_med_insats"]) \
        == [3, 3, 1]


def test_flows_index_every_combination_in_category_order():
    df = frame_of([stint(insats="Ö-insatsen"), stint("P2", insats="A-insatsen")])
    df["insats"] = df["insats"].cat.reorder_categories(["Ö-insatsen", "A-insatsen"])
    f = flows(df, [Y2016, Y2017], ["insats", "kon"])
    assert list(f.index.get_level_values("insats").unique()) == ["Ö-insatsen", "A-insatsen"]
    assert len(f) == 2 * 2 * 2
    assert f.loc[("Ö-insatsen", "Kvinna", 1), "deltagare"] == 1
    assert f.loc[("Ö-insatsen", "Man", 1), "deltagare"] == 0


def test_ongoing_stint_is_active_in_every_later_period():
    df = frame_of([stint(start="2015-06-01")])
    c = counts(df, [year_period(y) for y in (2014, 2015, 2016, 2017)])
    assert c["deltagare"].tolist() == [0, 1, 1, 1]


def test_flows_match_the_definition_row_by_row():
    """The vectorised counts equal the contract's definitions applied to each stint."""
    rng = np.random.default_rng(7)
    n = 3000
    start = pd.Timestamp("2010-01-01") + pd.to_timedelta(rng.integers(0, 9 * 365, n), unit="D")
    end = start + pd.to_timedelta(rng.integers(0, 800, n), unit="D")
    ends = pd.Series(end).where(rng.random(n) < 0.8)
    reasons = np.array(["Arbete", "Studier", "Arbetsförberedande insats", "Annat", "Okänd"])
    rows = [stint(f"P{i % 900}", start=str(s.date()), end=None if pd.isna(e) else str(e.date()),
                  reason=None if pd.isna(e) else reasons[i % 5], insats=["X", "Y", "Z"][i % 3],
                  kon=["Kvinna", "Man"][i % 2], fatt_insats=bool(i % 7))
            for i, (s, e) in enumerate(zip(start, ends, strict=True))]
    df = frame_of(rows)
    periods = [year_period(y) for y in range(2010, 2018)] + [half_year_period(2018)]
    got = flows(df, periods, ["insats", "kon"])
    for i, p in enumerate(periods):
        first, last = pd.Timestamp(p.first), pd.Timestamp(p.last)
        active = (df["inskrivningsdatum"] <= last) & (df["avslutsdatum"].isna() | (df["avslutsdatum"] >= first))
        new = df["inskrivningsdatum"].between(first, last)
        ended = df["avslutsdatum"].between(first, last)
        for insats, kon in df[["insats", "kon"]].drop_duplicates().itertuples(index=False, name=None):
            row = got.xs((insats, kon, i))
            sel = (df["insats"] == insats) & (df["kon"] == kon)
            assert row["deltagare"] == (active & sel).sum()
            assert row["deltagare_med_insats"] == (active & sel & df["fatt_insats"]).sum()
            assert row["nya"] == (new & sel).sum()
            assert row["avslutade"] == (ended & sel).sum()
            assert row["arbete"] == (ended & sel & (df["avslutsorsak"] == "Arbete")).sum()
            assert row["studier_med_insats"] == (ended & sel & (df["avslutsorsak"] == "Studier")
                                                 & df["fatt_insats"]).sum()
            days = (df["avslutsdatum"] - df["inskrivningsdatum"]).dt.days[ended & sel].sum()
            assert row["dagar"] == days
    df["enhet"] = df["insats"]
    persons = unique_persons(df, periods, "enhet")
    for insats in ("X", "Y", "Z"):
        sel = df["insats"] == insats
        active = df["avslutsdatum"].isna() | (df["avslutsdatum"] >= pd.Timestamp("2010-01-01"))
        assert persons[insats] == df.loc[sel & active, "person"].nunique()


# --- anonymous participants ------------------------------------------------------------


def test_anonymous_add_to_participants_by_sex_in_whole_years_only():
    df = frame_of([stint(start="2017-02-01")])
    df["enhet"] = df["insats"]
    periods = [Y2016, Y2017]
    anon = pd.DataFrame({"enhet": pd.Categorical(["Ung i Tyresö", "Ung i Tyresö"], categories=["Ung i Tyresö"]),
                         "ar": [2017.0, 2015.0], "kvinnor": [3.0, 9.0], "man": [2.0, 9.0]})
    base = flows(df, periods, ["enhet", "kon"])
    f = add_anonymous(base, anon, periods, "enhet")
    assert f.loc[("Ung i Tyresö", "Kvinna", 1), "deltagare"] == 1 + 3
    assert f.loc[("Ung i Tyresö", "Man", 1), "deltagare"] == 2
    assert f.loc[("Ung i Tyresö", "Kvinna", 0), "deltagare"] == 0
    assert (f.drop(columns="deltagare") == base.drop(columns="deltagare")).all().all()  # nothing else
    half = [half_year_period(2017)]
    assert add_anonymous(flows(df, half, ["enhet", "kon"]), anon, half, "enhet")["deltagare"].sum() == 1


# --- sources of support -------------------------------------------------------------------


def test_group_membership_counts_a_group_once_and_several_groups_per_cell():
    values = pd.Series(pd.Categorical(["Lön, Studiemedel", "Försörjningsstöd, Sjukpenning", "", None,
                                       "A-kassa, Aktivitetsstöd, Försörjningsstöd"]))
    m = group_membership(values, DEFAULT_GROUPS)
    assert list(m.columns) == list(DEFAULT_GROUPS)
    assert m.sum().to_dict() == {"Lön/CSN": 1, "A-kassa/aktivitetsstöd": 1, "Sjukersättning/Aktivitetsersättning": 0,
                                 "Hel sjukpenning": 1, "Partiell sjukpenning": 0, "Rehab-ersättning": 0,
                                 "Försörjningsstöd": 2, "Annat": 0}
    assert m.sum(axis=1).tolist() == [1, 2, 0, 0, 2]


def test_followed_up_means_sources_were_recorded():
    values = pd.Series(pd.Categorical(["Lön", "", None, " "]))
    assert followed_up(values).tolist() == [True, False, False, False]
    assert followed_up(pd.Series(["Lön", None])).tolist() == [True, False]


def test_follow_up_window_is_start_plus_twelve_months():
    start = pd.Series(pd.to_datetime(["2016-01-01", "2016-12-31", "2017-01-01", "2015-12-31", "2016-02-29",
                                      "2016-06-30", "2016-07-01"]))
    assert followup_due(start, Y2017).tolist() == [True, True, False, False, True, True, True]
    assert followup_due(start, half_year_period(2017)).tolist() == [True, False, False, False, True, True, False]


def test_mentions_per_insats_with_n():
    df = frame_of([
        stint("A", forsorjning_start="Försörjningsstöd, Sjukpenning", forsorjning_uppfoljning="Lön, Studiemedel"),
        stint("B", forsorjning_start="Försörjningsstöd", forsorjning_uppfoljning="Försörjningsstöd"),
        stint("C", insats="Annan insats", forsorjning_start="Försörjningsstöd", forsorjning_uppfoljning="Lön"),
    ])
    m = mentions(df, "forsorjning_start", "forsorjning_uppfoljning", DEFAULT_GROUPS, "insats")
    tyreso = m.xs("Ung i Tyresö", level="insats")
    assert cells(tyreso, "Försörjningsstöd", ["fore", "efter", "n"]) == [2, 1, 2]
    assert cells(tyreso, "Lön/CSN", ["fore", "efter"]) == [0, 1]
    assert cells(tyreso, "Hel sjukpenning", ["fore", "efter"]) == [1, 0]
    assert cells(m.xs("Annan insats", level="insats"), "Lön/CSN", ["fore", "efter", "n"]) == [0, 1, 1]


def test_in_period_is_inclusive_of_both_ends():
    moments = pd.to_datetime(pd.Series(["2017-01-01", "2017-12-31", "2018-01-01", None]))
    assert in_period(moments, Y2017).tolist() == [True, True, False, False]


# --- breakdowns --------------------------------------------------------------------------------


def test_age_bands_by_age_in_the_start_year():
    births = pd.Series([2001.0, 1993.0, 1992.0, 1968.0, 1967.0, 1953.0, 1952.0, 2002.0, np.nan])
    start = pd.Series(pd.to_datetime(["2017-05-01"] * len(births)))
    assert age_band(start, births).astype(str).tolist() == [
        "16–24", "16–24", "25–49", "25–49", "50–64", "50–64", OTHER_AGE, OTHER_AGE, MISSING]


def test_by_sex_counts_values_and_missing():
    df = frame_of([stint("A", remittent="AF Tyresö"), stint("B", remittent="AF Tyresö", kon="Man"),
                   stint("C", remittent=None), stint("D", kommun="")])
    t = by_sex(df, "remittent", "insats").xs("Ung i Tyresö")
    assert cells(t, "AF Tyresö") == [2, 1]
    assert cells(t, MISSING) == [1, 0]
    k = by_sex(df, "kommun", "insats").xs("Ung i Tyresö")
    assert cells(k, MISSING) == [1, 0]


def test_by_sex_from_codes_is_the_groupby_frame(monkeypatch: pytest.MonkeyPatch):
    """The reports' case (a categorical group without gaps, both sexes) is counted from the codes; the frame,
    its index levels and its columns are the ones the groupby makes for the same data."""
    rng = np.random.default_rng(7)
    n = 60
    df = pd.DataFrame({
        "insats": pd.Categorical(rng.choice(["B", "A"], n), categories=["A", "B", "Unused"]),
        "remittent": pd.Categorical(rng.choice(["AF", " ", "FK", "Kommun"], n)),
        "kon": pd.Categorical(rng.choice(["Man", "Kvinna"], n), categories=["Kvinna", "Man"]),
    })
    fast = by_sex(df, "remittent", "insats")
    monkeypatch.setattr(stint_metrics, "_by_sex_counts", lambda *args: None)
    slow = by_sex(df, "remittent", "insats")
    pd.testing.assert_frame_equal(fast, slow, check_index_type=True, check_column_type=True)
    assert isinstance(fast.index, pd.MultiIndex) and isinstance(slow.index, pd.MultiIndex)
    for mine, theirs in zip(fast.index.levels, slow.index.levels, strict=True):
        pd.testing.assert_index_equal(mine, theirs, exact=True)
    assert int(fast.to_numpy().sum()) == n and MISSING in fast.index.get_level_values("remittent")


# --- Felregistrering, through the loader ------------------------------------------------------------


def test_felregistrering_is_dropped_by_the_loader_and_counts_nowhere(tmp_path: Path):
    from finsam_cli.inputs.load import LoadOptions, load
    from finsam_cli.inputs.schema import FileKind

    path = tmp_path / "deltagare.csv"
    path.write_text(
        "Deltagar-ID;Insats;Kön;Inskrivningsdatum;Avslutsdatum;Avslutsorsak\n"
        "P1;Ung i Tyresö;Kvinna;2017-02-01;2017-03-01;Felregistrering\n"
        "P2;Ung i Tyresö;Man;2017-02-01;2017-05-01;Arbete\n"
        "P3;Ung i Tyresö;Man;2017-02-01;2017-02-01;felregistrerad\n", encoding="utf-8")
    frame = load(path, FileKind.DELTAGARE, LoadOptions(today=date(2025, 1, 1))).frame
    assert frame["person"].astype(str).tolist() == ["P2"]
    c = counts(frame, [Y2017])
    assert cells(c, "2017", ["deltagare", "nya", "avslutade", "arbete", "annat"]) == [1, 1, 1, 1, 0]
