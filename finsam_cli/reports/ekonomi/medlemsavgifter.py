"""`medlemsavgifter`: split the members' fee as the law and the statutes say.

Försäkringskassan and Arbetsförmedlingen together pay 50 %, the region 25 % and the
municipalities 25 %, split by their population on 1 November of the year before. The
parts are rounded by the largest-remainder method, so they add up exactly to the total.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

import pandas as pd

from ...config import Medlemsavgifter
from ...errors import DataError, ParameterError
from ...inputs.schema import FileKind, fold
from ...inputs.view import Inputs
from ...rounding import format_number
from ..model import Column, Kind, Period, Report, Row, Section, Style, Table, Text, TextLike, Value
from ..provenance import provenance
from .budget_data import join_sv
from .medlemsavgifter_entry import MedlemsavgifterParams

KIND = "medlemsavgifter"
STATE_SHARE = Fraction(1, 2)
REGION_SHARE = Fraction(1, 4)
MUNICIPAL_SHARE = Fraction(1, 4)
ROUNDINGS = (1, 1000)


def largest_remainder(total_units: int, shares: Sequence[Fraction]) -> list[int]:
    """Whole units per share, adding up to `total_units` exactly.

    Each part gets the whole units of its exact quota; the units left over go one each
    to the largest remainders (ties: the larger share, then the earlier part).
    """
    if sum(shares) != 1:
        raise ValueError("shares must add up to 1")
    quotas = [total_units * s for s in shares]
    parts = [q.numerator // q.denominator for q in quotas]
    left = total_units - sum(parts)
    order = sorted(range(len(shares)), key=lambda i: (-(quotas[i] - parts[i]), -shares[i], i))
    for i in order[:left]:
        parts[i] += 1
    return parts


@dataclass(frozen=True)
class Part:
    name: str
    share: Fraction
    amount: int  # kronor
    population: int | None = None


def population_on(befolkning: pd.DataFrame, day: date, members: Sequence[str], file: str) -> dict[str, int]:
    """Population per member municipality on `day`; every member must have exactly one figure."""
    on_day = befolkning[befolkning["datum"] == pd.Timestamp(day)]
    by_key: dict[str, list[tuple[str, int]]] = {}
    for kommun, count in zip(on_day["kommun"], on_day["invanare"], strict=True):
        by_key.setdefault(fold(kommun), []).append((str(kommun), int(count)))
    wanted = list(members) or list(dict.fromkeys(str(k) for k in on_day["kommun"]))
    if not wanted:
        dates = sorted({d.date().isoformat() for d in befolkning["datum"].dropna()})
        raise DataError(f"{file}: no population on {day.isoformat()} (dates in the file: "
                        f"{', '.join(dates) or 'none'})")
    out: dict[str, int] = {}
    for member in wanted:
        found = by_key.get(fold(member), [])
        if not found:
            dates = sorted({d.date().isoformat() for k, d in zip(befolkning["kommun"], befolkning["datum"],
                                                                   strict=True) if fold(k) == fold(member)})
            known = f"dates for {member} in the file: {', '.join(dates)}" if dates else f"{member} is not in the file"
            raise DataError(f"{file}: no population on {day.isoformat()} for {member} ({known})")
        if len(found) > 1:
            raise DataError(f"{file}: {len(found)} population figures on {day.isoformat()} for {member}; "
                            "give one per municipality and date")
        if found[0][1] < 0:
            raise DataError(f"{file}: negative population on {day.isoformat()} for {member}")
        out[member] = found[0][1]
    if sum(out.values()) == 0:
        raise DataError(f"{file}: the population on {day.isoformat()} is 0 for every member municipality")
    return out


def split_fee(total: int, rounding: int, populations: dict[str, int], names: Medlemsavgifter) -> list[Part]:
    """The parts in kronor, each a multiple of `rounding`, adding up to `total`."""
    if rounding not in ROUNDINGS:
        raise ParameterError(f"{{param:rounding}} {rounding}: use 1 (kronor) or 1000 (thousands)")
    if total <= 0:
        raise ParameterError(f"{{param:total}} {total}: the total fee must be a positive amount in kronor")
    if total % rounding:
        raise ParameterError(f"{{param:total}} {format_number(total)}: not a whole number of thousands; "
                             "round the total or use {param:rounding} 1")
    population = sum(populations.values())
    shares = [STATE_SHARE, REGION_SHARE] + [MUNICIPAL_SHARE * Fraction(n, population) for n in populations.values()]
    units = largest_remainder(total // rounding, shares)
    names_ = [names.statlig, names.region, *populations]
    counts: list[int | None] = [None, None, *populations.values()]
    return [Part(n, s, u * rounding, c) for n, s, u, c in zip(names_, shares, units, counts, strict=True)]


def medlemsavgifter_report(inputs: Inputs, params: MedlemsavgifterParams) -> Report:
    config = inputs.config
    year, total, rounding, tkr = params.year, params.total, params.rounding, params.tkr
    fees = config.medlemsavgifter
    if total is None:
        total = fees.total.get(year)
        if total is None:
            raise ParameterError(f"no total fee for {year}: give {{param:total}} BELOPP or set "
                                 f"[medlemsavgifter.total] {year} = … in finsam.toml")
    day = date(year - 1, 11, 1)
    populations = population_on(inputs.frame(FileKind.BEFOLKNING), day, fees.kommuner,
                                inputs.name(FileKind.BEFOLKNING))
    parts = split_fee(total, rounding, populations, fees)
    unit = "tkr" if tkr else "kr"
    sections = build(year, total, rounding, parts, day, unit)
    parameters = {"år": str(year), "total": str(total), "avrundning": str(rounding), "enhet": unit}
    return Report(kind=KIND, title=f"Medlemsavgifter {year}", association=config.forbund.namn,
                  period=Period.whole_year(year),
                  provenance=provenance(inputs, parameters), sections=sections, unit=unit)


def _amount(kronor: int, unit: str) -> int | float:
    if unit == "tkr":
        return kronor // 1000 if kronor % 1000 == 0 else kronor / 1000
    return kronor


def build(year: int, total: int, rounding: int, parts: list[Part], day: date, unit: str) -> list[Section]:
    """The fee table and the population table behind it: pure."""
    rows = [Row([p.name, float(p.share), _amount(p.amount, unit)]) for p in parts]
    rows.append(Row(["Totalt", 1.0, _amount(sum(p.amount for p in parts), unit)], Style.TOTAL))
    state, region, municipal = parts[0], parts[1], parts[2:]
    day_text = f"{day.day} november {day.year}"
    rounding_text = "hela kronor" if rounding == 1 else "hela tusental kronor"
    notes: list[TextLike] = [
        f"Fördelning enligt lagen om finansiell samordning och förbundsordningen: {state.name} betalar "
        f"tillsammans 50 %, {region.name} 25 % och kommunerna 25 %, fördelat efter folkmängden den {day_text}.",
        Text(f"Beloppen är avrundade till {rounding_text} med största-restmetoden, så att delarna summerar exakt "
             "till totalen ", Value(total, Kind.AMOUNT), "\u00a0kr. Andel är den exakta andelen före avrundning."),
    ]
    fee = Table(key="medlemsavgifter", title=f"Fördelning av medlemsavgifterna {year}",
                columns=[Column("Medlem"), Column("Andel", Kind.SHARE), Column("Belopp", Kind.AMOUNT)],
                rows=rows, notes=notes)
    people = sum(p.population or 0 for p in municipal)
    pop_rows = [Row([p.name, p.population, (p.population or 0) / people]) for p in municipal]
    pop_rows.append(Row(["Totalt", people, 1.0], Style.TOTAL))
    pop = Table(key="befolkning", title=f"Folkmängd den {day_text}",
                columns=[Column("Kommun"), Column("Invånare", Kind.COUNT),
                         Column("Andel av kommunernas del", Kind.SHARE)],
                rows=pop_rows,
                notes=[Text("Kommunernas del (", Value(sum(p.amount for p in municipal), Kind.AMOUNT),
                            f"\u00a0kr) fördelas mellan {join_sv([p.name for p in municipal])} efter invånarantal.")])
    return [Section("Medlemsavgifter", [fee, pop])]
