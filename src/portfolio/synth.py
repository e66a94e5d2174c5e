"""Synthetic portfolios for benchmarks only (never shown as real data).

Rows are resampled from the real table: each synthetic project takes the country,
sector, agency, dates and risk context of one real row, and a budget, spend ratio
and start shift drawn independently from the real distributions. Titles say
"SYNTHETIC" and the source file is "synthetic" so nobody mistakes them for data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from src.portfolio import schema as S


def synthesize(real: pd.DataFrame, *, projects: int, seed: int = 0) -> pd.DataFrame:
    """A table of `projects` synthetic single-country rows with the real schema.

    Args:
        real: the real portfolio table to resample from.
        projects: number of rows to produce.
        seed: random seed (same seed, same table).
    """
    if projects < 1:
        msg = f"projects must be at least 1, got {projects}"
        raise ValueError(msg)
    rng = np.random.default_rng(seed)
    base = real[real[S.COL_BUDGET] > 0].reset_index(drop=True)
    pick = rng.integers(0, len(base), size=projects)
    out = base.iloc[pick].reset_index(drop=True).copy()
    budgets = base[S.COL_BUDGET].to_numpy()[rng.integers(0, len(base), projects)]
    ratio = (base[S.COL_SPENT] / base[S.COL_BUDGET]).clip(0, 2).to_numpy()
    ratios = ratio[rng.integers(0, len(base), projects)]
    shift = pd.to_timedelta(rng.integers(-365, 365, size=projects), unit="D")
    out[S.COL_PROJECT_ID] = [f"SYNTH-{i:07d}" for i in range(projects)]
    out[S.COL_TITLE] = [f"SYNTHETIC project {i}" for i in range(projects)]
    out[S.COL_SOURCE_FILE] = "synthetic"
    out[S.COL_COUNTRY_SHARE] = 1.0
    out[S.COL_BUDGET] = budgets
    out[S.COL_SPENT] = budgets * np.nan_to_num(ratios)
    for col in (S.COL_START, S.COL_END, S.COL_START_PLANNED, S.COL_END_PLANNED):
        out[col] = pd.to_datetime(out[col]) + shift
    # A little jitter keeps synthetic sites from stacking exactly on real ones.
    site = out[S.COL_PRECISION] == "site"
    out.loc[site, S.COL_LAT] += rng.normal(0, 0.2, int(site.sum()))
    out.loc[site, S.COL_LON] += rng.normal(0, 0.2, int(site.sum()))
    return out
