"""Project risk level from country risk, capacity and schedule slippage.

The formula's weights and thresholds live in data/risk_formula.json (a labelled
assumption); this module only applies them, vectorised over the table.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from src.portfolio import paths
from src.portfolio.schema import COL_ELAPSED, COL_GE, COL_INFORM, COL_SLIPPAGE


@cache
def risk_formula(path: Path = paths.RISK_FORMULA_FILE) -> dict[str, Any]:
    """The formula's parameters as documented in the JSON file."""
    spec = json.loads(path.read_text(encoding="utf-8"))
    weights = sum(c["weight"] for c in spec["components"].values())
    if abs(weights - 1.0) > 1e-9:
        msg = f"{path.name}: component weights sum to {weights}, not 1"
        raise ValueError(msg)
    return spec


def risk_components(df: pd.DataFrame) -> pd.DataFrame:
    """The three scaled components (0-1) per row, missing values made neutral.

    Returns:
        DataFrame with columns country_risk, capacity_gap, schedule_slippage.
    """
    comp = risk_formula()["components"]
    country = (df[COL_INFORM] / 10.0).clip(0, 1)
    capacity = ((2.5 - df[COL_GE]) / 5.0).clip(0, 1)
    slippage = df[COL_SLIPPAGE].clip(0, 1)
    return pd.DataFrame(
        {
            "country_risk": country.fillna(comp["country_risk"]["missing"]),
            "capacity_gap": capacity.fillna(comp["capacity_gap"]["missing"]),
            "schedule_slippage": slippage.fillna(comp["schedule_slippage"]["missing"]),
        },
        index=df.index,
    )


def risk_score(df: pd.DataFrame) -> pd.Series:
    """Weighted risk score in [0, 1] per row."""
    comp = risk_formula()["components"]
    parts = risk_components(df)
    total = sum(parts[name] * spec["weight"] for name, spec in comp.items())
    return total.astype(float)


def risk_level(score: pd.Series) -> pd.Series:
    """Map scores to Low / Medium / High / Very high with the documented cut-offs.

    >>> risk_level(pd.Series([0.1, 0.4, 0.5, 0.9])).tolist()
    ['Low', 'Medium', 'High', 'Very high']
    """
    levels = risk_formula()["levels"]
    bounds = [lv["below"] for lv in levels]
    names = np.array([lv["level"] for lv in levels], dtype=object)
    idx = np.searchsorted(np.asarray(bounds), score.to_numpy(), side="right")
    idx = np.minimum(idx, len(names) - 1)
    return pd.Series(names[idx], index=score.index, dtype="str")


def slippage(elapsed: pd.Series, delivery: pd.Series) -> pd.Series:
    """Time elapsed ahead of spend: max(0, elapsed - delivery); NaN if unknown."""
    return (elapsed - delivery).clip(lower=0)


__all__ = ["COL_ELAPSED", "risk_components", "risk_level", "risk_score", "slippage"]
