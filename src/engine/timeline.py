"""Per-row dates: planned and elapsed months, progress, finished rows, truncation.

Months are calendar months of 30.4375 days, counted from the row's start.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from src.engine.calibration import Calibration
from src.portfolio import schema as S

MONTH_DAYS = 30.4375


def _months(delta: pd.Series) -> np.ndarray:
    return (delta.dt.total_seconds() / 86400.0 / MONTH_DAYS).to_numpy(float)


def planned_and_elapsed(
    portfolio: pd.DataFrame, as_of: date, cal: Calibration
) -> tuple[np.ndarray, np.ndarray]:
    """Planned months D and elapsed months E, filling missing dates.

    A missing planned end takes the portfolio's median planned duration (or the
    calibration fallback); a missing start is the end minus that duration, or
    the data date when both are missing (assumption, see docs/MODEL.md).
    """
    start = pd.to_datetime(portfolio[S.COL_START], errors="coerce")
    end = pd.to_datetime(portfolio[S.COL_END], errors="coerce")
    known = _months(end - start)
    ok = np.isfinite(known) & (known > 0)
    typical = (
        float(np.median(known[ok]))
        if ok.any()
        else cal.value("defaults.planned_months_fallback")
    )
    asof = pd.Timestamp(as_of)
    both_missing = start.isna() & end.isna()
    start = start.where(~both_missing, asof)
    start = start.fillna(end - pd.Timedelta(days=typical * MONTH_DAYS))
    planned = np.where(np.isfinite(known) & (known > 0), known, typical)
    planned = np.where(end.notna() & start.notna() & ~ok, 1.0, planned)
    elapsed = _months(asof - start)
    return np.maximum(planned, 1.0), elapsed


def progress(
    budget: np.ndarray, spent: np.ndarray, elapsed: np.ndarray, planned: np.ndarray
) -> np.ndarray:
    """Spend share of the budget; elapsed share of the plan where the budget is 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        by_spend = np.where(budget > 0, spent / budget, np.nan)
    by_time = np.clip(elapsed / planned, 0.0, 1.0)
    return np.clip(np.where(np.isfinite(by_spend), by_spend, by_time), 0.0, 1.0)


FINISHED_STATUSES = ("Closed", "Cancelled", "4", "5")
FINALISATION_STATUSES = ("Finalisation", "3")


def finished_rows(
    portfolio: pd.DataFrame, as_of: date, planned: np.ndarray, elapsed: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Rows whose outcome is already known, and their actual months.

    Finished: status closed or cancelled (IATI 4, 5); finalisation (3) with an
    actual end; or any actual end on or before the data date. Their actual
    duration runs from the start to the actual end; a closed or cancelled row
    without an actual end is taken to have ended at its planned end, or at the
    data date if that is earlier (documented in docs/MODEL.md). An actual end
    after the data date is a plan, not a fact, and is ignored.

    Returns:
        (finished, actual months from start to end; NaN for other rows).
    """
    n = len(portfolio)
    status = (
        portfolio[S.COL_STATUS].fillna("").astype(str).to_numpy()
        if S.COL_STATUS in portfolio.columns
        else np.full(n, "")
    )
    if S.COL_END_ACTUAL in portfolio.columns:
        end = pd.to_datetime(portfolio[S.COL_END_ACTUAL], errors="coerce")
        asof = pd.Timestamp(as_of)
        past = (end.notna() & (end <= asof)).to_numpy()
        end_m = _months(end - asof)  # months from the data date (≤ 0 when past)
    else:
        past = np.zeros(n, dtype=bool)
        end_m = np.full(n, np.nan)
    closed = np.isin(status, FINISHED_STATUSES)
    final = np.isin(status, FINALISATION_STATUSES) & past
    finished = closed | final | past
    # Without a (past) actual end: the planned end, or the data date if earlier.
    to_end = np.where(past, end_m, np.minimum(planned - elapsed, 0.0))
    actual = np.where(finished, elapsed + to_end, np.nan)
    return finished, actual


def truncation(
    mu: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    planned: np.ndarray,
    elapsed: np.ndarray,
    active: np.ndarray,
) -> np.ndarray:
    """Standard-normal threshold a running row's draw must exceed (else -inf).

    A project still running at the data date has actual months > elapsed
    months, i.e. log ratio > log(E / D). Rows where that excludes less than
    1e-6 of the distribution keep -inf (no conditioning needed).
    """
    from scipy.special import ndtr

    z0 = np.full(len(mu), -np.inf)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.log(np.maximum(elapsed, 1e-9) / planned) - mu
        scale = np.where(t > 0, hi, lo)
        z = np.where(scale > 0, t / scale, np.where(t > 0, np.inf, -np.inf))
    need = active & (elapsed > 0) & (ndtr(z) > 1e-6)
    z0[need] = np.minimum(z[need], 8.0)  # beyond 8 SD: the row is at its end
    return z0
