"""Small hand-made example portfolios for tests, docs and demos."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from src.engine.calibration import GROUPS, Calibration, load_calibration
from src.portfolio import schema as S

AS_OF = date(2022, 1, 1)


def three_projects() -> pd.DataFrame:
    """A: on track; B: behind (25% spent at half time); C: starts in a year."""
    return pd.DataFrame(
        {
            S.COL_PROJECT_ID: ["A", "B", "C"],
            S.COL_TITLE: ["On track", "Behind", "Not started"],
            S.COL_COUNTRY: ["KEN", "MLI", "NPL"],
            S.COL_REGION: ["Sub-Saharan Africa", "Sub-Saharan Africa", "South Asia"],
            S.COL_SECTOR_GROUP: ["Health", "Education", "Energy"],
            S.COL_AGENCY: ["UNOPS", "UNOPS", "UNDP"],
            S.COL_START: pd.to_datetime(["2020-01-01", "2020-01-01", "2023-01-01"]),
            S.COL_END: pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-01"]),
            S.COL_BUDGET: [1_000_000.0, 2_000_000.0, 500_000.0],
            S.COL_SPENT: [500_000.0, 500_000.0, 0.0],
            S.COL_INFORM: [5.0, np.nan, 4.0],
            S.COL_GE: [-0.5, -1.0, np.nan],
        }
    )


def portfolio(n: int = 40, seed: int = 3) -> pd.DataFrame:
    """A reproducible mixed portfolio of n rows (zero budgets, overspends, NaT)."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2018-01-01") + pd.to_timedelta(rng.integers(0, 1800, n), "D")
    length = pd.to_timedelta(rng.integers(180, 2500, n), "D")
    budget = rng.lognormal(13, 1.2, n).round(0)
    budget[::13] = 0.0
    spent = budget * rng.uniform(0, 1.2, n)
    spent[::13] = rng.uniform(0, 1e5, len(spent[::13]))
    end = pd.Series(start + length)
    end[::11] = pd.NaT
    return pd.DataFrame(
        {
            S.COL_PROJECT_ID: [f"P{i:03d}" for i in range(n)],
            S.COL_TITLE: [f"Project {i}" for i in range(n)],
            S.COL_COUNTRY: rng.choice(["KEN", "MLI", "NER", "AFG", "HTI"], n),
            S.COL_REGION: rng.choice(["Sub-Saharan Africa", "South Asia"], n),
            S.COL_SECTOR_GROUP: rng.choice(np.array(GROUPS), n),
            S.COL_AGENCY: rng.choice(["UNOPS", "UNDP"], n),
            S.COL_START: start,
            S.COL_END: end,
            S.COL_BUDGET: budget,
            S.COL_SPENT: spent,
            S.COL_INFORM: rng.uniform(2, 8, n),
            S.COL_GE: rng.uniform(-2, 1, n),
        }
    )


def unit_calibration():
    """Zero variance, ratio 1 and cost ratio 1: the deterministic plan.

    Only the long class is kept (its ratio is set to 1 for every planned
    duration), so every row follows its plan.
    """
    cal = load_calibration().deterministic()
    zero = dict.fromkeys(GROUPS, 0.0) | {"pooled": 0.0}
    cal = cal.with_values(
        schedule__a=zero, schedule__shift=zero, schedule__b=1.0, cost__mu=zero
    )
    return Calibration(params=cal.params, fit=cal.fit)
