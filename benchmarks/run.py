"""finsam's performance benchmark: `make bench` (or `python benchmarks/run.py [--quick]`).

Generates seeded participant exports into benchmarks/data/ when they are missing (CSV with
100 000 and 1 000 000 stints, xlsx with 100 000; sample_data/generate.py, about 15 insatser
over 2009-2023), then times whole processes: every command once to warm up, then N rounds in
which every command runs once (interleaved, so that background load hits finsam and its
baselines alike). A timing is the median wall-clock time of the rounds; peak RSS and CPU time
come from GNU time (/usr/bin/time) or, without it, the kernel's accounting of each child
(`os.wait4`). Prints a table of medians and ratios and writes benchmarks/results.json.

What is compared:
  finsam maluppfyllelse   every insats, with history, written to a file, vs benchmarks/baseline.py
                          (raw pandas: read, parse two dates, count per insats and year)
  finsam validera         the same file, vs the same baseline
  finsam --help           vs `python -c "import typer"`
  finsam export           the sample data's whole 2017 export (every report, every insats, every table)
                          with --skydda 5, vs the same export without protection: what the LP-audited
                          protection costs
  finsam export ÅR        on the bundled sample data (the checkout's finsam.toml), md and xlsx, --tvinga,
                          vs `finsam maluppfyllelse ÅR -o x.xlsx` on the same data: issue 12's target is
                          for the reports the export made then (--rapport maluppfyllelse, budget-avvikelse,
                          budget-jamforelse, medlemsavgifter: every insats, the summary, the budget
                          reports); the whole export (every report since added) is a line of its own,
                          measured without a limit
  finsam maluppfyllelse   one insats (--insats ung-i-tyreso) on the sample data, Markdown to stdout,
                          vs `python -c "import pandas"`: finsam's fixed costs (typer, pydantic,
                          the template) over the import every pandas program pays
  SIE read + sum          an SIE4 file of 1 000 000 #TRANS lines read and summed per post, vs pandas
                          (pyarrow engine) reading a CSV of the same transactions: benchmarks/sie.py,
                          in its own process, its ratio a row of the targets table (at most 2×)
"""

from __future__ import annotations

import argparse
import compileall
import functools
import importlib.util
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
RESULTS = HERE / "results.json"

SEED = 20240101
FIRST_YEAR, LAST_YEAR = 2009, 2023  # about 15 insatser over 15 years (the generator's catalogue)
CONFIG_TEXT = '[forbund]\nnamn = "Benchmarkförbundet"\n'  # no [[insatser]]: every insats in the data counts
SAMPLE_YEAR = "2017"  # the sample data's full year with budget, outcome and goals
# The reports `export` made when issue 12 set its target; later reports are measured by their own benchmarks.
ISSUE_12_REPORTS = "maluppfyllelse,budget-avvikelse,budget-jamforelse,medlemsavgifter"

SIE_ROUNDS = 21  # at least this many rounds for benchmarks/sie.py
# (label, numerator, denominator, limit): the ratio of two median times, or of peak RSS (rss:<timing>);
# a limit of None: measured and shown, without a target.
TARGETS: list[tuple[str, str, str, float | None]] = [
    ("1M CSV: report ÷ raw pandas", "report csv 1M", "baseline csv 1M", 1.5),
    ("1M CSV: validera ÷ raw pandas", "validera csv 1M", "baseline csv 1M", 1.3),
    ("100k xlsx: report ÷ raw calamine", "report xlsx 100k", "baseline xlsx 100k", 1.3),
    ("finsam --help ÷ import typer", "finsam --help", "import typer", 3.0),
    ("peak RSS 1M report ÷ raw pandas", "rss:report csv 1M", "rss:baseline csv 1M", 2.5),
    ("sample: export ÷ maluppfyllelse xlsx", "export sample", "report xlsx sample", 1.5),
    ("sample: full export ÷ maluppfyllelse xlsx", "export sample all", "report xlsx sample", None),
    ("sample: one insats ÷ import pandas", "report insats sample", "import pandas", 1.5),
]
# (label, minuend, subtrahend, limit): a difference of two median times, in seconds.
DIFFERENCES = [
    ("sample export: --skydda 5 − without", "export sample skydda 5", "export sample all", 1.0),
]
QUICK_TARGETS: list[tuple[str, str, str, float | None]] = [
    ("100k CSV: report ÷ raw pandas", "report csv 100k", "baseline csv 100k", 1.5),
    ("100k CSV: validera ÷ raw pandas", "validera csv 100k", "baseline csv 100k", 1.3),
    ("finsam --help ÷ import typer", "finsam --help", "import typer", 3.0),
    ("peak RSS 100k report ÷ raw pandas", "rss:report csv 100k", "rss:baseline csv 100k", 2.5),
    ("sample: export ÷ maluppfyllelse xlsx", "export sample", "report xlsx sample", 1.5),
    ("sample: full export ÷ maluppfyllelse xlsx", "export sample all", "report xlsx sample", None),
    ("sample: one insats ÷ import pandas", "report insats sample", "import pandas", 1.5),
]


# --- data ------------------------------------------------------------------------------


def _generator():
    spec = importlib.util.spec_from_file_location("finsam_sample_generate", ROOT / "sample_data" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def csv_path(n: int) -> Path:
    return DATA / f"deltagare_{n}.csv"


def xlsx_path(n: int) -> Path:
    return DATA / f"deltagare_{n}.xlsx"


def ensure_data(csv_sizes: list[int], xlsx_sizes: list[int]) -> Path:
    """Write missing data files (seeded: the same bytes every time) and the config; returns the config."""
    DATA.mkdir(parents=True, exist_ok=True)
    config = DATA / "finsam.toml"
    if not config.is_file() or config.read_text(encoding="utf-8") != CONFIG_TEXT:
        config.write_text(CONFIG_TEXT, encoding="utf-8")
    needed = [(n, csv_path(n)) for n in csv_sizes if not csv_path(n).is_file()]
    needed += [(n, xlsx_path(n)) for n in xlsx_sizes if not xlsx_path(n).is_file()]
    if not needed:
        return config
    generate = _generator()
    for n, path in needed:
        started = time.perf_counter()
        print(f"generating {path.relative_to(ROOT)} ({n:,} stints) …", flush=True)
        frame = generate.generate_participants(n, seed=SEED, first_year=FIRST_YEAR, last_year=LAST_YEAR)
        tmp = path.with_suffix(path.suffix + ".tmp")
        if path.suffix == ".csv":
            # The contract's most common form: ;-separated UTF-8 (here without BOM, LF).
            frame.to_csv(tmp, sep=";", index=False, encoding="utf-8")
        else:
            _write_xlsx(frame, tmp)
        tmp.replace(path)
        print(f"  done in {time.perf_counter() - started:.1f} s", flush=True)
    return config


def _write_xlsx(frame, path: Path) -> None:
    """As Excel writes an export: real date cells and numbers, text elsewhere."""
    import datetime as dt

    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Deltagare")
    columns = list(frame.columns)
    dates = {i for i, c in enumerate(columns) if c.endswith("datum")}
    numbers = {i for i, c in enumerate(columns) if c == "Födelseår"}
    sheet.append(columns)
    for row in frame.itertuples(index=False, name=None):
        out: list[object] = []
        for i, value in enumerate(row):
            if value == "":
                out.append(None)
            elif i in dates:
                out.append(dt.datetime.strptime(value, "%Y-%m-%d"))  # noqa: DTZ007 - Excel dates have no time zone
            elif i in numbers:
                out.append(int(value))
            else:
                out.append(value)
        sheet.append(out)
    book.save(path)


# --- running ---------------------------------------------------------------------------


@dataclass
class Timing:
    name: str
    argv: list[str]
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    rss_kib: list[int] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    cwd: Path = DATA  # the sample-data timings run in the checkout, where its finsam.toml is

    @property
    def wall(self) -> float:
        return statistics.median(self.walls) if self.walls else float("nan")

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpus) if self.cpus else float("nan")

    @property
    def rss_mib(self) -> float:
        return max(self.rss_kib) / 1024 if any(self.rss_kib) else float("nan")


GNU_TIME = Path("/usr/bin/time")


@functools.cache
def _gnu_time() -> bool:
    """GNU time is there and understands -f (macOS's BSD time does not)."""
    if not (GNU_TIME.is_file() and os.access(GNU_TIME, os.X_OK)):
        return False
    probe = subprocess.run([str(GNU_TIME), "-f", "%M", sys.executable, "-c", "pass"], capture_output=True,
                           check=False)
    return probe.returncode == 0


def run_once(timing: Timing, record: bool) -> None:
    """Run one whole process and record its wall time, CPU time and peak RSS.

    With GNU time (/usr/bin/time) the child is forked from that small program; without it,
    from this process, whose own (small: no pandas here) memory then sets a floor on RSS.
    """
    import tempfile

    use_time = _gnu_time()
    with tempfile.TemporaryDirectory() as tmp, open(os.devnull, "wb") as devnull, \
            open(Path(tmp) / "stderr", "w+b") as err:
        stats = Path(tmp) / "time"
        argv = [str(GNU_TIME), "-f", "%M %U %S", "-o", str(stats), *timing.argv] if use_time else timing.argv
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=devnull, stderr=err, cwd=timing.cwd)
        if hasattr(os, "wait4"):
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - started
            proc.returncode = os.waitstatus_to_exitcode(status)
        else:  # Windows: times only
            proc.wait()
            wall = time.perf_counter() - started
            usage = None
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
        if use_time:
            fields = stats.read_text().split()[-3:]  # a failing command adds a line before the numbers
            rss_kib, cpu = int(fields[0]), float(fields[1]) + float(fields[2])
        elif usage is not None:
            # ru_maxrss is KiB on Linux, bytes on macOS.
            rss_kib = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
            cpu = usage.ru_utime + usage.ru_stime
        else:
            rss_kib, cpu = 0, float("nan")
    if proc.returncode != 0:
        timing.failures.append(f"exit {proc.returncode}: {stderr.strip()[-400:]}")
        return
    if record:
        timing.walls.append(wall)
        timing.cpus.append(cpu)
        timing.rss_kib.append(rss_kib)


def finsam_exe() -> list[str]:
    exe = Path(sys.executable).with_name("finsam")
    if exe.is_file():
        return [str(exe)]
    found = shutil.which("finsam")
    if found:
        return [found]
    return [sys.executable, "-m", "finsam_cli"]


def build_timings(config: Path, csv_sizes: list[int], xlsx_sizes: list[int]) -> list[Timing]:
    finsam = finsam_exe()
    py = sys.executable
    out = DATA / "out"
    out.mkdir(exist_ok=True)
    timings = [
        Timing("finsam --help", [*finsam, "--help"]),
        Timing("import typer", [py, "-c", "import typer"]),
        Timing("import pandas", [py, "-c", "import pandas"]),
        Timing("export sample", [*finsam, "export", SAMPLE_YEAR, "--tvinga", "--rapport", ISSUE_12_REPORTS,
                                 "--till", str(out / "export-issue-12")], cwd=ROOT),
        Timing("report xlsx sample", [*finsam, "maluppfyllelse", SAMPLE_YEAR, "-o", str(out / "sample.xlsx")],
               cwd=ROOT),
        Timing("report insats sample", [*finsam, "maluppfyllelse", SAMPLE_YEAR, "--insats", "ung-i-tyreso"],
               cwd=ROOT),
    ]
    inputs = [("csv", n, csv_path(n)) for n in csv_sizes] + [("xlsx", n, xlsx_path(n)) for n in xlsx_sizes]
    for fmt, n, path in inputs:
        tag = f"{fmt} {_size(n)}"
        timings += [
            Timing(f"report {tag}", [*finsam, "maluppfyllelse", "--deltagare", str(path), "--config", str(config),
                                     "-o", str(out / f"maluppfyllelse_{fmt}_{n}.md")]),
            Timing(f"validera {tag}", [*finsam, "validera", "--config", str(config), str(path)]),
            Timing(f"baseline {tag}", [py, str(HERE / "baseline.py"), str(path)]),
        ]
    sample = [*finsam, "export", SAMPLE_YEAR, "--config", str(ROOT / "finsam.toml"), "--tvinga"]
    timings += [Timing("export sample all", [*sample, "--till", str(out / "export"), "--skydda", "0"]),
                Timing("export sample skydda 5", [*sample, "--till", str(out / "export-skydda"), "--skydda", "5"])]
    return timings


def _size(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k"


# --- reporting -------------------------------------------------------------------------


def value_of(key: str, by_name: dict[str, Timing]) -> float:
    if key.startswith("rss:"):
        return by_name[key[4:]].rss_mib
    return by_name[key].wall


def environment() -> dict[str, object]:
    # Versions from the metadata: importing pandas here would grow this process, and with it
    # the RSS floor of children forked from it.
    from importlib.metadata import PackageNotFoundError, version

    def installed(name: str) -> str | None:
        try:
            return version(name)
        except PackageNotFoundError:
            return None

    arrow = installed("pyarrow")
    return {
        "machine": platform.machine(),
        "system": f"{platform.system()} {platform.release()}",
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "pandas": installed("pandas"),
        "pyarrow": arrow,
        "finsam": installed("finsam") or _source_version(),
        "baseline_csv_engine": "pyarrow" if arrow else "c",
        "rss_from": "GNU time" if _gnu_time() else "wait4",
    }


def _load() -> list[float] | None:
    return [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None


def _source_version() -> str | None:
    import re

    match = re.search(r'__version__\s*=\s*"([^"]+)"', (ROOT / "finsam_cli" / "__init__.py").read_text("utf-8"))
    return match.group(1) if match else None


def print_table(timings: list[Timing], targets: list[tuple[str, str, str, float | None]], runs: int,
                sie: dict | None = None) -> list[dict]:
    print()
    print(f"{'command':<22} {'median s':>9} {'min s':>7} {'max s':>7} {'cpu s':>7} {'peak RSS MiB':>13}")
    for t in timings:
        if t.walls:
            print(f"{t.name:<22} {t.wall:>9.2f} {min(t.walls):>7.2f} {max(t.walls):>7.2f} {t.cpu:>7.2f} "
                  f"{t.rss_mib:>13.0f}")
        else:
            print(f"{t.name:<22} {'failed':>9}  {t.failures[0] if t.failures else ''}")
    print()
    print(f"{'target (median of ' + str(runs) + ' runs)':<42} {'ratio':>7} {'target':>7}  result")
    by_name = {t.name: t for t in timings}
    rows = []
    for label, num, den, target in targets:
        ratio = value_of(num, by_name) / value_of(den, by_name)
        if target is None:
            print(f"{label:<42} {ratio:>7.2f} {'—':>7}  measured (no target)")
            rows.append({"target": label, "numerator": num, "denominator": den, "ratio": round(ratio, 3),
                         "limit": None, "met": None})
            continue
        ok = ratio <= target
        verdict = "met" if ok else ("no data" if math.isnan(ratio) else "NOT MET")
        print(f"{label:<42} {ratio:>7.2f} {'≤ ' + format(target, 'g'):>7}  {verdict}")
        rows.append({"target": label, "numerator": num, "denominator": den, "ratio": round(ratio, 3),
                     "limit": target, "met": bool(ok)})
    if sie is not None:  # measured in its own process by benchmarks/sie.py, in-process medians
        label = f"{_size(sie['lines'])} SIE: read + sum ÷ raw pandas"
        verdict = "met" if sie["met"] else "NOT MET"
        print(f"{label:<42} {sie['ratio']:>7.2f} {'≤ ' + format(sie['limit'], 'g'):>7}  {verdict}")
        rows.append({"target": label, "numerator": "sie read + sum per post", "denominator": "baseline csv (pyarrow)",
                     "ratio": sie["ratio"], "limit": sie["limit"], "met": sie["met"]})
    for label, minuend, subtrahend, limit in DIFFERENCES:
        if minuend in by_name and subtrahend in by_name:
            diff = value_of(minuend, by_name) - value_of(subtrahend, by_name)
            ok = diff <= limit
            verdict = "met" if ok else ("no data" if math.isnan(diff) else "NOT MET")
            print(f"{label:<42} {diff:>6.2f}s {'≤ ' + format(limit, 'g') + 's':>7}  {verdict}")
            rows.append({"target": label, "minuend": minuend, "subtrahend": subtrahend, "difference_s": round(diff, 3),
                         "limit_s": limit, "met": bool(ok)})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100k CSV only and 3 runs, for development")
    parser.add_argument("--runs", type=int, default=None, help="timed runs per command (default 5; 3 with --quick)")
    parser.add_argument("--only", default=None, help="run only timings whose name contains this text")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the JSON results")
    args = parser.parse_args(argv)
    runs = args.runs or (3 if args.quick else 5)
    csv_sizes, xlsx_sizes = ([100_000], []) if args.quick else ([100_000, 1_000_000], [100_000])
    timings = build_timings(ensure_data([], []), csv_sizes, xlsx_sizes)
    if args.only:
        timings = [t for t in timings if args.only in t.name]
        # Only the data the chosen timings read (`--only "export sample"` needs none generated).
        csv_sizes = [n for n in csv_sizes if any(t.name.endswith(f"csv {_size(n)}") for t in timings)]
        xlsx_sizes = [n for n in xlsx_sizes if any(t.name.endswith(f"xlsx {_size(n)}") for t in timings)]
    ensure_data(csv_sizes, xlsx_sizes)
    env = environment()
    print(f"finsam benchmark: {runs} timed runs after 1 warm-up, {env['cpus']} CPUs, Python {env['python']}, "
          f"pandas {env['pandas']}, pyarrow {env['pyarrow'] or 'not installed'}", flush=True)
    started = time.perf_counter()
    load_start = _load()
    # finsam's bytecode, as installing the wheel writes it: with PYTHONDONTWRITEBYTECODE set (as on these
    # machines) an editable install would compile every finsam module from source in every timed run.
    compileall.compile_dir(ROOT / "finsam_cli", quiet=1)
    for t in timings:
        print(f"  warm-up: {t.name}", flush=True)
        run_once(t, record=False)
    for i in range(runs):
        print(f"  round {i + 1}/{runs}", flush=True)
        for t in timings:
            if not t.failures:
                run_once(t, record=True)
    sie = None
    if not args.only or "sie" in args.only:  # the SIE reader, in its own process (benchmarks/sie.py)
        sie_json = DATA / "sie_results.json"
        # Its rounds are in-process and cheap (about 0.2 s a pair), and single rounds spike with the
        # kernel's page faults on a 49 MiB file: the median of more rounds is the steadier figure.
        sie_runs = max(runs, SIE_ROUNDS)
        subprocess.run([sys.executable, str(HERE / "sie.py"), "--runs", str(sie_runs), "--json", str(sie_json)]
                       + (["--lines", "100000"] if args.quick else []), check=True)
        sie = json.loads(sie_json.read_text(encoding="utf-8"))
    targets = QUICK_TARGETS if args.quick else TARGETS
    names = {t.name for t in timings}
    targets = [x for x in targets if x[1].removeprefix("rss:") in names and x[2].removeprefix("rss:") in names]
    rows = print_table(timings, targets, runs, sie)
    load_end = _load()
    print(f"load average (1, 5, 15 min) at the start {load_start}, at the end {load_end}; "
          f"{env['cpus']} CPUs")
    result = {
        "when": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "command": "python benchmarks/run.py" + (" --quick" if args.quick else ""),
        "runs": runs,
        "environment": env,
        "timings": {t.name: {"argv": [Path(a).name if os.sep in a else a for a in t.argv],
                             "median_s": round(t.wall, 3), "runs_s": [round(w, 3) for w in t.walls],
                             "median_cpu_s": round(t.cpu, 3), "peak_rss_mib": round(t.rss_mib, 1),
                             "failures": t.failures} for t in timings},
        "targets": rows,
        "elapsed_s": round(time.perf_counter() - started, 1),
        # The machine's load average (1, 5, 15 min) before and after: the ratios are only as good as it.
        "load_average": {"start": load_start, "end": load_end},
    }
    if sie is not None:
        result["sie"] = sie
    args.output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwrote {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}")
    return 1 if any(t.failures for t in timings) else 0


if __name__ == "__main__":
    sys.exit(main())
