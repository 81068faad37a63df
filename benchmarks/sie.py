"""SIE benchmark: read an SIE4 file of 1 000 000 #TRANS lines and sum it per post, against raw pandas
(engine="pyarrow") reading a CSV of the same transactions.

    python benchmarks/sie.py [--lines N] [--runs N] [--json FILE]

The data are generated, seeded, into benchmarks/data/ when missing: a closed year of vouchers with
2–5 transactions each, objects per post in dimension 6 (some also in dimension 1), transaction
dates and texts on some lines, CP437 with CRLF as accounting systems write it. Timings are in this
one process, after a warm-up, interleaved round by round; a timing is the median of the rounds.
The finsam side is `read_sie` (strict: structure, amounts, dates, balanced vouchers, accounts in
#KONTO) plus `sie_outcome` (the outcome per post, checked against #RES): the file is mapped and read
by the compiled pass (numba, two threads; numba's import and the loading of the cached pass happen in
the warm-up, as `import pandas` does for the baseline). The baseline is `pd.read_csv(engine="pyarrow")`
of the same transactions, which uses both cores too. Both sides' CPU time is printed beside the wall
time: on a shared machine the ratio of the wall times moves with the load.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
SEED = 20240101
LIMIT = 2.0  # the target: at most twice the raw pandas read

sys.path.insert(0, str(ROOT))


def paths(lines: int) -> tuple[Path, Path]:
    size = f"{lines // 1_000_000}M" if lines % 1_000_000 == 0 else f"{lines // 1000}k"
    return DATA / f"sie_{size}.se", DATA / f"sie_{size}.csv"


POSTS = ["Resursrådet", "SE-vägen (innan MIA)", "Ung i Nynäs", "Ung i Tyresö", "Ungdomsteamet i Haninge",
         "MIA - Projektgemensamt", "MIA Östra Södertörn", "Informationsinsatser", "Styrelse", "Kansli"]
ACCOUNTS = {3010: "Medlemsavgifter", 3990: "EU-medel", 4010: "Köpta tjänster", 5010: "Lokalhyra",
            6110: "Kontorsmateriel", 7010: "Löner", 7510: "Arbetsgivaravgifter", 8410: "Bankavgifter"}
BANK = 1930


def generate(lines: int, sie_path: Path, csv_path: Path) -> None:
    """The SIE file and the CSV of the same transactions (Verifikation;Datum;Konto;Projekt;Belopp;Text)."""
    from finsam_cli.inputs.sie.tokens import format_ore, format_record

    rnd = random.Random(SEED)
    out = [format_record("#FLAGGA", ["0"]), format_record("#FORMAT", ["PC8"]), format_record("#SIETYP", ["4"]),
           format_record("#FNAMN", ["Benchmarkförbundet"]), format_record("#RAR", ["0", "20170101", "20171231"]),
           format_record("#DIM", ["1", "Kostnadsställe"]), format_record("#DIM", ["6", "Projekt"]),
           format_record("#KONTO", [BANK, "Bank"]), format_record("#KONTO", [2099, "Eget kapital"])]
    out += [format_record("#KONTO", [a, name]) for a, name in ACCOUNTS.items()]
    out += [format_record("#OBJEKT", ["6", f"P{i}", name]) for i, name in enumerate(POSTS)]
    out += [format_record("#OBJEKT", ["1", "K1", "Kansliet"])]
    rows = ["Verifikation;Datum;Konto;Projekt;Belopp;Text"]
    result: dict[int, int] = {}
    written = number = 0
    accounts = list(ACCOUNTS)
    while written < lines:
        number += 1
        day = f"2017{rnd.randint(1, 12):02d}{rnd.randint(1, 28):02d}"
        out += [format_record("#VER", ["A", number, day, f"Verifikation {number}", day]), "{"]
        total = 0
        for _ in range(rnd.randint(1, 4)):
            account = rnd.choice(accounts)
            ore = rnd.randint(1, 5_000_000) * (-1 if account < 4000 else 1)
            total += ore
            post = rnd.randrange(len(POSTS))
            objects = ["6", f"P{post}"] if rnd.random() < 0.8 else ["1", "K1", "6", f"P{post}"]
            extra = [day, f"Rad {written} åäö"] if rnd.random() < 0.3 else []
            out.append(format_record("#TRANS", [account, objects, format_ore(ore), *extra]))
            rows.append(f"A{number};{day};{account};P{post};{format_ore(ore)};{extra[1] if extra else ''}")
            result[account] = result.get(account, 0) + ore
            written += 1
        out.append(format_record("#TRANS", [BANK, [], format_ore(-total)]))
        rows.append(f"A{number};{day};{BANK};;{format_ore(-total)};")
        written += 1
        out.append("}")
    out += [format_record("#RES", ["0", a, format_ore(v)]) for a, v in sorted(result.items())]
    DATA.mkdir(parents=True, exist_ok=True)
    for path, text, encoding, newline in ((sie_path, out, "cp437", "\r\n"), (csv_path, rows, "utf-8", "\n")):
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_bytes((newline.join(text) + newline).encode(encoding))
        tmp.replace(path)


def finsam(sie_path: Path) -> int:
    from finsam_cli.inputs.sie import read_sie, sie_outcome

    outcome = sie_outcome(read_sie(sie_path), 2017)
    return len(outcome.frame)


def baseline(csv_path: Path) -> int:
    import pandas as pd

    return len(pd.read_csv(csv_path, sep=";", engine="pyarrow"))


def _load() -> list[float] | None:
    """The machine's load average: the ratio is only as good as it (a shared machine)."""
    return [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000, help="#TRANS lines (default 1 000 000)")
    parser.add_argument("--runs", type=int, default=5, help="timed rounds (default 5)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    sie_path, csv_path = paths(args.lines)
    if not (sie_path.is_file() and csv_path.is_file()):
        started = time.perf_counter()
        print(f"generating {sie_path.name} and {csv_path.name} ({args.lines:,} #TRANS lines) …", flush=True)
        generate(args.lines, sie_path, csv_path)
        print(f"  done in {time.perf_counter() - started:.1f} s", flush=True)
    timings: dict[str, list[float]] = {"sie read + sum per post": [], "baseline csv (pyarrow)": []}
    cpu: dict[str, list[float]] = {name: [] for name in timings}
    work = {"sie read + sum per post": lambda: finsam(sie_path), "baseline csv (pyarrow)": lambda: baseline(csv_path)}
    load_start = _load()
    for warm_up in work.values():  # warm-up: imports, page cache
        warm_up()
    for _ in range(args.runs):
        for name, run in work.items():
            started, cpu_started = time.perf_counter(), time.process_time()
            run()
            timings[name].append(time.perf_counter() - started)
            cpu[name].append(time.process_time() - cpu_started)
    medians = {name: statistics.median(times) for name, times in timings.items()}
    cpu_medians = {name: statistics.median(times) for name, times in cpu.items()}
    ratio = medians["sie read + sum per post"] / medians["baseline csv (pyarrow)"]
    print(f"\nSIE, {args.lines:,} #TRANS lines ({sie_path.stat().st_size / 2**20:.0f} MiB), median of {args.runs} runs")
    for name, times in timings.items():
        print(f"  {name:<26} {medians[name]:>6.2f} s   (min {min(times):.2f}, max {max(times):.2f}; "
              f"cpu {cpu_medians[name]:.2f} s)")
    verdict = "met" if ratio <= LIMIT else "NOT MET"
    print(f"  {'ratio sie ÷ csv':<26} {ratio:>6.2f}     target ≤ {LIMIT:g}: {verdict}")
    load = {"start": load_start, "end": _load()}
    print(f"  load average (1, 5, 15 min) {load['start']} at the start, {load['end']} at the end")
    if args.json:
        args.json.write_text(json.dumps({"lines": args.lines, "runs_s": timings, "median_s": medians,
                                         "cpu_median_s": cpu_medians, "ratio": round(ratio, 3), "limit": LIMIT,
                                         "met": ratio <= LIMIT,
                                         "load_average": load}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
