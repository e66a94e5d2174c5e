"""Currency conversion with the one declared exchange-rate table.

Rates are IMF annual averages, units of currency per 1 USD (data/SOURCES.md).
A value is divided by the rate of its value-date year. Years outside the table use
the nearest available year of that currency (and say so in `Conversion.reason`).
A currency that is not in the table is never treated as USD: `to_usd` returns
None and the caller reports it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from src.portfolio import paths

NO_CURRENCY = "no_currency"
NO_RATE = "no_rate"
NEAREST_YEAR = "nearest_year"


@dataclass(frozen=True)
class Conversion:
    """Result of one conversion.

    Attributes:
        usd: the value in USD, or None when the currency has no rate.
        rate_year: the year whose rate was used (None for USD or no rate).
        reason: "" when exact; else `NO_CURRENCY` or `NO_RATE` (usd is None) or
            `NEAREST_YEAR` (the rate of `rate_year` was used instead).
    """

    usd: float | None
    rate_year: int | None
    reason: str = ""


@cache
def rate_table(path: Path = paths.FX_FILE) -> dict[str, dict[int, float]]:
    """Currency -> {year: units per USD}."""
    df = pd.read_csv(path, dtype={"currency": str})
    table: dict[str, dict[int, float]] = {}
    for cur, year, rate in zip(
        df["currency"], df["year"], df["units_per_usd"], strict=True
    ):
        table.setdefault(cur, {})[int(year)] = float(rate)
    return table


def to_usd(amount: float, currency: str, year: int | None) -> Conversion:
    """Convert an amount to USD at the annual average rate of `year`.

    >>> to_usd(100.0, "USD", 2020).usd
    100.0
    >>> round(to_usd(92.48, "EUR", 2023).usd, 2)
    100.0
    >>> to_usd(5.0, "XYZ", 2020).usd is None
    True
    """
    code = (currency or "").upper()
    if code == "USD":
        return Conversion(float(amount), None)
    rates = rate_table().get(code)
    if not rates:
        return Conversion(None, None, NO_RATE if code else NO_CURRENCY)
    if year is not None and year in rates:
        return Conversion(float(amount) / rates[year], year)
    nearest = min(rates, key=lambda y: abs(y - (year or max(rates))))
    return Conversion(float(amount) / rates[nearest], nearest, NEAREST_YEAR)
