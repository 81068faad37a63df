"""Målgruppen och antalet deltagare: exact counts on tiny frames, and the text the report prints."""

from __future__ import annotations

import pandas as pd

from finsam_cli.config import Config
from finsam_cli.render.numbers import plain
from finsam_cli.reports.deltagare.malgrupp import malgrupp_section
from finsam_cli.reports.deltagare.malgrupp_data import compute
from finsam_cli.reports.model import Style
from tests.test_stint_metrics import frame_of, stint

NBSP = "\u00a0"


def config(**extra: object) -> Config:
    return Config.model_validate({
        "insatser": [{"namn": "Ung i Tyresö", "grupp": "Unga"}, {"namn": "Ung i Nynäs", "grupp": "Unga"},
                     {"namn": "Resursrådet", "grupp": "Resursråd"}, {"namn": "Samrehab"}],
        **extra})


def rows() -> list[dict]:
    """Eight new stints in 2017 (P6 twice), two in 2016 (one still ongoing)."""
    return [
        stint("P1", "2017-02-01", kommun="Tyresö", remittent="AF Tyresö", remittent_grupp="Arbetsförmedlingen",
              fodelsear=2000.0, utbildningsniva="Förgymnasial"),
        stint("P2", "2017-03-01", kon="Man", kommun="Tyresö", remittent="Egen anmälan",
              remittent_grupp="Egen anmälan", fodelsear=1999.0, utbildningsniva="Gymnasial"),
        stint("P3", "2017-04-01", insats="Ung i Nynäs", kon="Man", kommun="Nynäshamn", remittent="Nynäshamns kommun",
              remittent_grupp="Kommun", fodelsear=1995.0, utbildningsniva="Okänd"),
        stint("P4", "2017-05-01", insats="Resursrådet", kommun="Haninge", remittent="Haninge kommun",
              remittent_grupp="Kommun", fodelsear=1980.0, utbildningsniva="Eftergymnasial"),
        stint("P5", "2017-06-01", insats="Resursrådet", kommun="Haninge", remittent="Vårdcentral",
              remittent_grupp="Region", fodelsear=1960.0, utbildningsniva="Förgymnasial"),
        stint("P6", "2017-07-01", insats="Resursrådet", kon="Man", kommun="Haninge", remittent="Haninge kommun",
              remittent_grupp="Kommun", fodelsear=1970.0, utbildningsniva=None),
        stint("P6", "2017-08-01", insats="Samrehab", kon="Man", kommun="Haninge", remittent="Egen anmälan",
              remittent_grupp="Egen anmälan", fodelsear=1970.0, utbildningsniva="Gymnasial"),
        stint("P7", "2017-09-01", kommun="Tyresö", remittent="AF Tyresö", remittent_grupp="Arbetsförmedlingen",
              fodelsear=1940.0, utbildningsniva="Förgymnasial"),
        stint("P8", "2016-03-01", "2016-09-01", "Arbete"),
        stint("P9", "2016-05-01", kon="Man"),  # ongoing: active in 2017, not new
    ]


def test_counts_of_new_participants_and_their_breakdowns() -> None:
    fig = compute(frame_of(rows()), None, config(), 2017)
    assert (fig.new, fig.new_before) == (8, 2)
    assert fig.kommun.to_dict("index") == {"Haninge": {"Kvinna": 2, "Man": 2}, "Tyresö": {"Kvinna": 2, "Man": 1},
                                           "Nynäshamn": {"Kvinna": 0, "Man": 1}}
    assert list(fig.kommun.index) == ["Haninge", "Tyresö", "Nynäshamn"]  # largest first
    groups = fig.remittent.groupby(level=0, sort=False, observed=True).sum().sum(axis=1)
    assert groups.to_dict() == {"Kommun": 3, "Arbetsförmedlingen": 2, "Egen anmälan": 2, "Region": 1}
    assert list(groups.index) == ["Kommun", "Arbetsförmedlingen", "Egen anmälan", "Region"]  # ties by name
    assert fig.self_referred == 2
    assert fig.remittent_kommun.loc["Kommun"].to_dict() == {"Haninge": 2, "Tyresö": 0, "Nynäshamn": 1}
    assert list(fig.remittent_kommun.index) == list(groups.index)
    ages = fig.alder.sum(axis=1).to_dict()
    assert ages == {"16–24": 3, "25–49": 3, "50–64": 1, "Övriga åldrar": 1}  # P6 twice: two new stints
    assert fig.utbildning.sum(axis=1).to_dict() == {"Förgymnasial": 3, "Gymnasial": 2, "Eftergymnasial": 1,
                                                    "Okänd": 1, "Uppgift saknas": 1}
    assert int(fig.education_stated.to_numpy().sum()) == 6


def test_sex_per_insats_group_counts_active_participants_and_anonymous_ones() -> None:
    anonyma = pd.DataFrame({"insats": ["Ung i Nynäs", "Samrehab", "Ung i Nynäs"], "ar": [2017, 2017, 2016],
                            "kvinnor": [2, 0, 9], "man": [1, 4, 9]})
    fig = compute(frame_of(rows()), anonyma, config(), 2017)
    assert fig.kon_grupp.to_dict("index") == {
        "Unga": {"Kvinna": 2 + 2, "Man": 3 + 1},  # P1, P7; P2, P3, P9 (ongoing); plus the anonymous of 2017
        "Resursråd": {"Kvinna": 2, "Man": 1},
        "Övriga insatser": {"Kvinna": 0, "Man": 1 + 4},
    }
    assert fig.groups_of["Unga"] == ["Ung i Tyresö", "Ung i Nynäs"]


def test_age_bands_are_configurable() -> None:
    fig = compute(frame_of(rows()), None, config(malgrupp={"aldersgrupper": [[16, 29], [30, 64]]}), 2017)
    assert fig.alder.sum(axis=1).to_dict() == {"16–29": 3, "30–64": 4, "Övriga åldrar": 1}


def test_tables_and_text_shaped_like_the_published_report() -> None:
    section = malgrupp_section(compute(frame_of(rows()), None, config(), 2017))
    text = [plain(p) for p in section.paragraphs]
    assert text[0] == (f"Totalt har 8 nya deltagare påbörjat en insats under 2017, vilket kan jämföras med 2 deltagare "
                       f"året innan. 50{NBSP}% av deltagarna var från Haninge, 38{NBSP}% från Tyresö och 13{NBSP}% "
                       f"från Nynäshamn. Kommunerna är den största remittenten (38{NBSP}%), följd av "
                       f"Arbetsförmedlingen (25{NBSP}%). 2 av de nya deltagarna hade anmält sig själva, vilket "
                       f"motsvarar 25{NBSP}% av samtliga inskrivna.")
    assert text[1] == (f"38{NBSP}% av deltagarna återfinns i gruppen 16–24 år. 38{NBSP}% är mellan 25 och 49 år och "
                       f"13{NBSP}% är mellan 50 och 64 år.")
    assert text[3] == (f"Av de som uppgett utbildningsbakgrund (75{NBSP}%) har 50{NBSP}% grundskola som högsta "
                       f"utbildningsnivå, medan 33{NBSP}% har slutfört gymnasiet och övriga 17{NBSP}% uppger "
                       "eftergymnasial utbildning.")
    referrers = next(t for t in section.tables if t.key == "malgrupp.remittent")
    labels = [(r.cells[0], r.style) for r in referrers.rows]
    assert labels[:3] == [("Kommun", Style.SUBTOTAL), ("\u2003Haninge kommun", Style.NORMAL),
                          ("\u2003Nynäshamns kommun", Style.NORMAL)]
    assert ("\u2003Egen anmälan", Style.NORMAL) not in labels  # a group that is its only value has no line beneath
    assert labels[-1] == ("Totalt", Style.TOTAL)
    assert referrers.value("Totalt", "Totalt") == 8 and referrers.protect
    education = next(t for t in section.tables if t.key == "malgrupp.utbildning")
    assert education.value("Uppgett utbildningsnivå", "Andel av alla") == 6 / 8
    assert education.value("Förgymnasial", "Andel av de som uppgett") == 3 / 6
    assert education.value("Okänd", "Andel av de som uppgett") is None


def test_a_year_without_new_participants_gives_zeros() -> None:
    fig = compute(frame_of(rows()), None, config(), 2018)  # P9 is still active; nobody started in 2018
    assert (fig.new, fig.new_before) == (0, 8)
    assert fig.kommun.empty and fig.remittent.empty and fig.alder.empty
    assert int(fig.utbildning.to_numpy().sum()) == 0
    assert fig.kon_grupp.to_dict("index")["Unga"] == {"Kvinna": 2, "Man": 3}  # active, not new
    section = malgrupp_section(fig)
    assert plain(section.paragraphs[0]) == ("Totalt har 0 nya deltagare påbörjat en insats under 2018, vilket kan "
                                            "jämföras med 8 deltagare året innan.")
    kommun = next(t for t in section.tables if t.key == "malgrupp.kommun")
    assert [r.cells for r in kommun.rows] == [("Totalt", 0, 0, 0, None)]
