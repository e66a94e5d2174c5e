"""National context trends: series a country moves on, never attributed to projects.

The UNDP Human Development Index (via Our World in Data, data/SOURCES.md) per
country and year. Shown beside the results ladder as context: a change in it
is not the effect of the projects in the portfolio.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from src.portfolio import paths

HDI_FILE = paths.INDICATOR_DIR / "owid_undp_hdi_1990_2023.csv"


@cache
def _hdi(path: Path = HDI_FILE) -> pd.DataFrame:
    df = pd.read_csv(path, dtype={"Code": str}, keep_default_na=False)
    value = pd.to_numeric(df["Human Development Index"], errors="coerce")
    out = pd.DataFrame({"iso3": df["Code"], "year": df["Year"], "value": value})
    # OWID aggregates ("World", regions) have no ISO code or an OWID_ one.
    keep = (out["iso3"].str.len() == 3) & out["value"].notna()
    return out[keep].reset_index(drop=True)


def hdi_trend(iso3: str, path: Path = HDI_FILE) -> pd.DataFrame:
    """The country's HDI by year (0–1), oldest first; empty when not covered.

    Returns:
        year (int), value (float).
    """
    df = _hdi(path)
    return (
        df.loc[df["iso3"] == iso3, ["year", "value"]]
        .sort_values("year")
        .reset_index(drop=True)
    )
