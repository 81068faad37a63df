"""The sample survey export: answers 2016–2017 that give the published 2017 survey table.

``write_survey(outdir)`` writes ``enkat.xlsx`` (a title row, a blank row, then the header),
byte-identically on every run; ``check_survey(outdir)`` re-reads it and recomputes the
published table from the cells, independently of finsam. Called by ``generate.py``.

Each group's questions are given as (positive answers, answers) so that the share, rounded
half up, is the published one. The one exception is the board's "85 %", which is 6 of 7
truncated: 6 of 7 rounds to 86 %. The rest of each group's rows answer Vet ej, Ej aktuellt
or leave the question blank. Answers that must not count are mixed in: 2016 answers, and
2017 participant answers from insatser with fewer than 10 answers.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import openpyxl
from openpyxl.writer.excel import ExcelWriter

SURVEY_FILE = "enkat.xlsx"
SURVEY_SEED = 20171232
YEAR = 2017
MINIMUM = 10
TITLE = "Enkätsvar 2016–2017, Samordningsförbundet Östra Södertörn (exempeldata)"
ZIP_STAMP = (2018, 10, 31, 0, 0, 0)

STRUKTURER = "Har ni strukturer för att initiera, upprätthålla och underhålla relationer mellan inblandade aktörer?"

# Group -> (its insatser in 2017 with their number of answers, or None; the questions as
# (text, positive, answers)). The column order of the file is the order questions first
# appear here, which keeps every group's questions in its published order.
GROUPS: dict[str, tuple[dict[str, int] | None, list[tuple[str, int, int]]]] = {
    "Deltagare": ({"Ungdomsteamet i Haninge": 17, "Case Manager": 12}, [
        ("Får du stöd på ett sätt som är till stor nytta för dig?", 25, 29),
        ("Är du med och bestämmer vilket stöd du ska få?", 20, 23),
        ("Får stödet ta den tid du behöver?", 24, 26),
        ("Har du en person eller ett team som du kan vända dig till med dina frågor och behov?", 29, 29),
        ("Har det stöd du fått hjälpt dig att hitta sätt att hantera din situation?", 17, 29),
        ("Känner du dig mer redo att kunna arbeta eller studera?", 16, 28),
        ("Tar personalen tillvara dina erfarenheter, kunskaper och synpunkter?", 23, 29),
    ]),
    "Personal i insatser": (None, [
        ("Får stödet som ni ger ta den tid som behövs?", 17, 20),
        ("Finns det en tillräcklig planering för vad som ska hända efter att detta stöd upphör?", 16, 20),
        ("Upplever du att de du samverkar med hos andra myndigheter lyssnar på dig?", 15, 18),
        ("Upplever du att de du samverkar med hos andra myndigheter vet vad du kan tillföra?", 19, 20),
        ("Tas erfarenheter, kunskaper och synpunkter från deltagare systematiskt tillvara?", 13, 19),
        ("Har ni rutiner för att samarbeta med andra aktörer i arbetet när det gäller insatser för deltagarna?",
         17, 18),
        (STRUKTURER, 18, 20),
        ("Omfattas det synsätt ni har angående människors resurser och möjligheter av alla i den samordnade "
         "insatsen?", 14, 18),
        ("Fungerar de olika arbetssätt ni har i den samordnade insatsen bra tillsammans?", 19, 20),
    ]),
    "Samverkande partners, chefsgrupper": (None, [
        (STRUKTURER, 15, 18),
        ("Har erfarenheter från er samverkan lett till att förebyggande insatser utvecklats?", 14, 17),
    ]),
    "Styrelsen": (None, [
        (STRUKTURER, 7, 7),
        ("Har ni en strategi för hur ni arbetar med uppföljning och utvärdering av de samordnade "
         "rehabiliteringsinsatserna?", 7, 7),
        ("Använder ni uppföljning och utvärdering som underlag för att utveckla de samordnade "
         "rehabiliteringsinsatserna?", 6, 7),  # published as 85 % (truncated)
    ]),
    "Uppföljande enkät, deltagare": (None, [
        ("När insatsen skulle påbörjas, var det tydligt vad målet med deltagande i insatsen var för dig?", 22, 32),
        ("Upplever du att tiden i insatsen bidragit till att ditt mående förbättrats?", 23, 32),
        ("Upplever du att du fått ökade kunskaper om vilka som är dina styrkor under tiden i insatsen?", 19, 32),
        ("Upplever du att du fått ökade kunskaper om vad som är dina begränsningar under tiden i insatsen?",
         21, 32),
        ("Upplever du att personalen lyssnar på dig?", 31, 32),
    ]),
}

# The published 2017 table (annual report 2017): group -> (answers, percent per question).
PUBLISHED: dict[str, tuple[int, list[int]]] = {
    "Deltagare": (29, [86, 87, 92, 100, 59, 57, 79]),
    "Samverkande partners, chefsgrupper": (18, [83, 82]),
    "Styrelsen": (7, [100, 100, 85]),
    "Personal i insatser": (20, [85, 80, 83, 95, 68, 94, 90, 78, 95]),
    "Uppföljande enkät, deltagare": (32, [69, 72, 59, 66, 97]),
}
TRUNCATED = ("Styrelsen", 2)  # the one published share that is truncated, not rounded

# Answers that must not count: participant answers in 2017 from insatser under the minimum,
# and answers from 2016 (group, insats or None, rows).
Rows = list[tuple[str, str | None, int]]
NOT_COUNTED_2017: Rows = [("Deltagare", "Ung i Nynäs", 6), ("Deltagare", "Ung i Tyresö", 8)]
ANSWERS_2016: Rows = [("Deltagare", "Case Manager", 14), ("Deltagare", "Ung i Nynäs", 11), ("Styrelsen", None, 6),
                      ("Personal i insatser", None, 9)]

# Answer words: participants and the follow-up use the NNS scale, the board Ja/Nej, staff and partners both.
SCALES = {
    "Deltagare": (("Helt och hållet", "Till mycket stor del", "Till stor del"),
                  ("Till viss del", "Till liten del", "Inte alls")),
    "Uppföljande enkät, deltagare": (("Helt och hållet", "Till mycket stor del", "Till stor del"),
                                     ("Till viss del", "Till liten del", "Inte alls")),
    "Styrelsen": (("Ja",), ("Nej",)),
    "Personal i insatser": (("Till stor del", "Ja", "Helt och hållet"), ("Till viss del", "Nej", "Inte alls")),
    "Samverkande partners, chefsgrupper": (("Ja", "Till stor del"), ("Nej", "Till liten del")),
}
NOT_AN_ANSWER = ("Vet ej", "Ej aktuellt", None)
POSITIVE_WORDS = {w for positive, _ in SCALES.values() for w in positive}
NEGATIVE_WORDS = {w for _, negative in SCALES.values() for w in negative}


def question_order() -> list[str]:
    return list(dict.fromkeys(q for _, items in GROUPS.values() for q, _, _ in items))


def _answers(rng: np.random.Generator, group: str, positive: int, answers: int, rows: int) -> list[str | None]:
    """`rows` answers to one question: `positive` positive of `answers`, the rest no answer; shuffled."""
    pos_words, neg_words = SCALES[group]
    cells: list[str | None] = [pos_words[i % len(pos_words)] for i in range(positive)]
    cells += [neg_words[i % len(neg_words)] for i in range(answers - positive)]
    cells += [NOT_AN_ANSWER[i % len(NOT_AN_ANSWER)] for i in range(rows - answers)]
    return [cells[i] for i in rng.permutation(rows)]


def _random_answers(rng: np.random.Generator, group: str, rows: int) -> list[list[str | None]]:
    """Answers of rows that must not count: anything on the scale."""
    pos_words, neg_words = SCALES[group]
    words = [*pos_words, *neg_words, "Vet ej"]
    return [[words[int(rng.integers(len(words)))] for _ in range(rows)] for _ in GROUPS[group][1]]


def _dates(rng: np.random.Generator, year: int, rows: int) -> list[datetime]:
    return [datetime(year, 1, 10) + timedelta(days=int(d)) for d in rng.integers(0, 340, size=rows)]


def survey_rows() -> list[list[object]]:
    """Every answer row: Enkät, Insats, Datum, Kön, then one answer per question column."""
    rng = np.random.default_rng(SURVEY_SEED)
    order = question_order()
    out: list[list[object]] = []

    def emit(group: str, insatser: list[str | None], year: int, answers: list[list[str | None]]) -> None:
        asked = [q for q, _, _ in GROUPS[group][1]]
        participants = group in ("Deltagare", "Uppföljande enkät, deltagare")
        sexes = rng.choice(["K", "M"], size=len(insatser)) if participants else [None] * len(insatser)
        for i, (insats, date, sex) in enumerate(zip(insatser, _dates(rng, year, len(insatser)), sexes, strict=True)):
            by_question = {q: answers[asked.index(q)][i] for q in asked}
            out.append([group, insats, date, None if sex is None else str(sex), *(by_question.get(q) for q in order)])

    for group, (insatser, items) in GROUPS.items():
        rows = sum(insatser.values()) if insatser else PUBLISHED[group][0]
        names: list[str | None] = [n for n, k in insatser.items() for _ in range(k)] if insatser else [None] * rows
        emit(group, names, YEAR, [_answers(rng, group, p, n, rows) for _, p, n in items])
    for group, insats, rows in NOT_COUNTED_2017:
        emit(group, [insats] * rows, YEAR, _random_answers(rng, group, rows))
    for group, insats, rows in ANSWERS_2016:
        emit(group, [insats] * rows, YEAR - 1, _random_answers(rng, group, rows))
    # The export lists each survey's answers as they came in, the surveys in the published order.
    rank = {group: i for i, group in enumerate(PUBLISHED)}
    return sorted(out, key=lambda r: (rank[str(r[0])], r[2]))


def survey_bytes() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Enkätsvar"
    ws.append([TITLE])
    ws.append([])
    ws.append(["Enkät", "Insats", "Datum", "Kön", *question_order()])
    for row in survey_rows():
        ws.append(row)
        ws.cell(ws.max_row, 3).number_format = "yyyy-mm-dd"
    wb.properties.creator = "Exempeldata"
    wb.properties.created = wb.properties.modified = datetime(*ZIP_STAMP)
    raw = io.BytesIO()
    # Not wb.save: it stamps the document with the wall clock. Every entry gets one fixed time.
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, ZIP_STAMP), src.read(info.filename), zipfile.ZIP_DEFLATED)
    return out.getvalue()


def write_survey(outdir: Path) -> None:
    (outdir / SURVEY_FILE).write_bytes(survey_bytes())


def check_survey(outdir: Path) -> int:
    """Recompute the published 2017 table from the written cells; AssertionError on a mismatch. Returns the rows."""
    wb = openpyxl.load_workbook(outdir / SURVEY_FILE, read_only=True)
    ws = wb.worksheets[0]
    cells = [list(r) for r in ws.iter_rows(values_only=True)]
    wb.close()
    assert cells[0][0] == TITLE and not any(cells[1]), "title row, then a blank row"
    header, rows = cells[2], cells[3:]
    in_year = [r for r in rows if isinstance(r[2], datetime) and r[2].year == YEAR]
    counts: dict[tuple[str, str], int] = {}
    for r in in_year:
        if r[1]:
            counts[(str(r[0]), str(r[1]))] = counts.get((str(r[0]), str(r[1])), 0) + 1
    counted = [r for r in in_year if not r[1] or counts[(str(r[0]), str(r[1]))] >= MINIMUM]
    for group, (total, published) in PUBLISHED.items():
        mine = [r for r in counted if r[0] == group]
        assert len(mine) == total, f"{group}: {len(mine)} answers, published {total}"
        for i, ((question, _, _), expected) in enumerate(zip(GROUPS[group][1], published, strict=True)):
            column = [r[header.index(question)] for r in mine]
            positive = sum(c in POSITIVE_WORDS for c in column)
            answers = positive + sum(c in NEGATIVE_WORDS for c in column)
            share = 100 * positive / answers
            got = int(share) if (group, i) == TRUNCATED else (200 * positive + answers) // (2 * answers)
            assert got == expected, f"{group}: {question}: {got} %, published {expected} %"
    left_out = {k: n for k, n in counts.items() if n < MINIMUM}
    assert left_out == {(g, i): n for g, i, n in NOT_COUNTED_2017}, f"left out: {left_out}"
    assert any(isinstance(r[2], datetime) and r[2].year == YEAR - 1 for r in rows), "2016 answers"
    return len(rows)
