"""Raw pandas baseline: what a competent analyst's one-off script does with the same export.

    python benchmarks/baseline.py FILE [--engine c|pyarrow]

Reads the whole file (CSV with the fastest engine available, xlsx with calamine), parses the
two date columns once, and counts per insats and year: participants (active in the year),
new, ended, ended to work, ended to studies. No validation, no header matching, no
pseudonymisation, no report: this is the floor finsam is measured against.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

Engine = Literal["c", "pyarrow"]


def best_csv_engine() -> Engine:
    return "pyarrow" if importlib.util.find_spec("pyarrow") else "c"


def read(path: Path, engine: Engine | None) -> pd.DataFrame:
    if path.suffix.lower() == ".xlsx":
        return pd.read_excel(path, engine="calamine", dtype=object)
    # dtype=str: no type inference (the counts need only text and dates), and no mixed-type chunks.
    return pd.read_csv(path, sep=";", encoding="utf-8", engine=engine or best_csv_engine(), dtype=str)


def counts(df: pd.DataFrame) -> pd.DataFrame:
    reason = df["Avslutsorsak"]
    valid = (reason != "Felregistrering").to_numpy(dtype=bool)  # registered by mistake: in no count
    start = pd.to_datetime(df["Inskrivningsdatum"], format="%Y-%m-%d", errors="coerce")
    end = pd.to_datetime(df["Avslutsdatum"], format="%Y-%m-%d", errors="coerce")
    start_year = start.dt.year.to_numpy(dtype="float64", na_value=np.nan)
    end_year = end.dt.year.to_numpy(dtype="float64", na_value=np.nan)
    first, last = int(np.nanmin(start_year)), int(np.nanmax(np.concatenate([start_year, end_year])))
    end_or_last = np.where(np.isnan(end_year), last, end_year)
    code, insatser = pd.factorize(df["Insats"], sort=True)
    to_work = (reason == "Arbete").to_numpy(dtype=bool)
    to_studies = (reason == "Studier").to_numpy(dtype=bool)
    n = len(insatser)
    rows = {}
    for year in range(first, last + 1):
        ended = valid & (end_year == year)
        rows[year] = {
            "deltagare": np.bincount(code, valid & (start_year <= year) & (end_or_last >= year), n),
            "nya": np.bincount(code, valid & (start_year == year), n),
            "avslutade": np.bincount(code, ended, n),
            "arbete": np.bincount(code, ended & to_work, n),
            "studier": np.bincount(code, ended & to_studies, n),
        }
    table = pd.concat({year: pd.DataFrame(cols, index=insatser) for year, cols in rows.items()}, names=["ar", "insats"])
    return table.astype("int64").swaplevel().sort_index()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", type=Path)
    parser.add_argument("--engine", choices=["c", "pyarrow"], default=None)
    parser.add_argument("--print", action="store_true", help="print the counts")
    args = parser.parse_args(argv)
    table = counts(read(args.file, args.engine))
    if args.print:
        print(table.to_string())
    else:
        sys.stdout.write(f"{len(table)} insats-years, {int(table['nya'].sum())} stints\n")


if __name__ == "__main__":
    main()
