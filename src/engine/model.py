"""Per-row model inputs: remaining work and funding, reference class, levers.

`prepare` turns the portfolio table, a scenario and the calibration into flat
numpy arrays (one entry per row, all deterministic); the Monte Carlo kernel in
`kernel.py` only adds the random draws. Months are calendar months of 30.4375
days; money is USD.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from src.engine.calibration import GROUPS, Calibration
from src.engine.scenario import Lever, Scenario
from src.portfolio import schema as S

MONTH_DAYS = 30.4375
NEEDED = (S.COL_PROJECT_ID, S.COL_COUNTRY, S.COL_SECTOR_GROUP, S.COL_START, S.COL_END)
NEEDED_MONEY = (S.COL_BUDGET, S.COL_SPENT)


@dataclass(frozen=True)
class Rows:
    """Deterministic per-row inputs (float64 unless noted), rows in input order.

    Attributes:
        n: number of rows.
        budget: B, USD. spent: S, USD (may exceed B). remaining: R = max(B − S, 0).
        planned: D, planned duration in months (≥ 1). elapsed: E, months from
            start to the data date (negative if the row starts later).
        progress: p in [0, 1], physical progress proxy (spend share; elapsed
            share where the budget is 0).
        group: sector-group index into `GROUPS` (int). country: country index
            (int). unit: implementing-unit index, country × sector group (int).
        mu, sig_lo, sig_hi: log-duration-ratio location and split-normal scales.
        cost_mu, cost_sig, cost_xi: log cost ratio body and tail.
        kappa: share of the remaining duration that is congestion at baseline.
        funding: φ, scenario funding factor on the remaining budget.
        cancelled: bool, cancelled (or suspended) by the budget policy.
        scope_cap: share of remaining scope fundable before cost draws (≥ 0).
        workload_ratio: unit workload, scenario ÷ baseline.
        cap_change: capacity change as a fraction (−1…2).
        unabsorbed: USD of a budget increase the unit cannot absorb.
    """

    n: int
    budget: np.ndarray
    spent: np.ndarray
    remaining: np.ndarray
    planned: np.ndarray
    elapsed: np.ndarray
    progress: np.ndarray
    group: np.ndarray
    country: np.ndarray
    unit: np.ndarray
    n_countries: int
    mu: np.ndarray
    sig_lo: np.ndarray
    sig_hi: np.ndarray
    cost_mu: np.ndarray
    cost_sig: np.ndarray
    cost_xi: np.ndarray
    kappa: np.ndarray
    funding: np.ndarray
    cancelled: np.ndarray
    workload_ratio: np.ndarray
    cap_change: np.ndarray
    unabsorbed: np.ndarray


def validate_portfolio(portfolio: pd.DataFrame) -> None:
    """Raise ValueError with a clear message if the table cannot be simulated."""
    if not isinstance(portfolio, pd.DataFrame):
        msg = "portfolio must be a pandas DataFrame"
        raise ValueError(msg)
    missing = [c for c in (*NEEDED, *NEEDED_MONEY) if c not in portfolio.columns]
    if missing:
        msg = f"portfolio lacks column(s) {missing}"
        raise ValueError(msg)
    if portfolio.empty:
        msg = "portfolio has no rows"
        raise ValueError(msg)
    for col in NEEDED_MONEY:
        raw = portfolio[col]
        values = pd.to_numeric(raw, errors="coerce")
        bad = int((values.isna() & raw.notna()).sum())
        if bad:
            msg = f"column {col!r}: {bad} row(s) are not numbers"
            raise ValueError(msg)


def _months(delta: pd.Series) -> np.ndarray:
    return (delta.dt.total_seconds() / 86400.0 / MONTH_DAYS).to_numpy(float)


def _dates(
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


def _progress(budget: np.ndarray, spent: np.ndarray, elapsed: np.ndarray, planned):
    with np.errstate(divide="ignore", invalid="ignore"):
        by_spend = np.where(budget > 0, spent / budget, np.nan)
    by_time = np.clip(elapsed / planned, 0.0, 1.0)
    return np.clip(np.where(np.isfinite(by_spend), by_spend, by_time), 0.0, 1.0)


def lever_mask(portfolio: pd.DataFrame, lever: Lever) -> np.ndarray:
    """Boolean mask of the rows a lever targets (all filters must match)."""
    mask = np.ones(len(portfolio), dtype=bool)
    for key, col in (
        ("sectors", S.COL_SECTOR_GROUP),
        ("regions", S.COL_REGION),
        ("countries", S.COL_COUNTRY),
        ("agencies", S.COL_AGENCY),
    ):
        values = getattr(lever, key)
        if not values:
            continue
        if col not in portfolio.columns:
            msg = f"lever targets {key} but the portfolio has no {col!r} column"
            raise ValueError(msg)
        mask &= portfolio[col].astype(str).isin(values).to_numpy()
    return mask


def _codes(values: pd.Series) -> tuple[np.ndarray, int]:
    codes, uniques = pd.factorize(values.astype(str).fillna(""), sort=True)
    return codes.astype(np.int64), len(uniques)


def _context(portfolio: pd.DataFrame, cal: Calibration) -> np.ndarray:
    """Country-context shift of log duration (neutral where data are missing)."""
    shift = np.zeros(len(portfolio))
    for col, slope, neutral in (
        (S.COL_GE, "context.ge_slope", "context.neutral_ge"),
        (S.COL_INFORM, "context.inform_slope", "context.neutral_inform"),
    ):
        beta = cal.value(slope)
        if beta == 0.0 or col not in portfolio.columns:
            continue
        x = pd.to_numeric(portfolio[col], errors="coerce").to_numpy(float)
        ref = cal.value(neutral)
        shift += beta * (np.where(np.isfinite(x), x, ref) - ref)
    return shift


def _cancel(
    mask: np.ndarray, cut: float, remaining: np.ndarray, progress, done: np.ndarray
) -> np.ndarray:
    """Rows cancelled to absorb a cut of `cut` × remaining budget in `mask`.

    The least advanced rows go first (ties: larger remaining budget first);
    larger cuts cancel a superset of rows.
    """
    idx = np.flatnonzero(mask & ~done)
    target = cut * remaining[mask].sum()
    if idx.size == 0 or target <= 0:
        return np.zeros_like(mask)
    order = idx[np.lexsort((-remaining[idx], progress[idx]))]
    before = np.cumsum(remaining[order]) - remaining[order]
    out = np.zeros_like(mask)
    out[order[before < target - 1e-9]] = True
    return out


def prepare(
    portfolio: pd.DataFrame,
    scenario: Scenario,
    *,
    as_of: date,
    calibration: Calibration,
) -> Rows:
    """Flat per-row inputs for the Monte Carlo (see `Rows`)."""
    validate_portfolio(portfolio)
    cal = calibration
    # Missing money is read as 0 (no budget / nothing spent yet); negative values
    # (net budget revisions in IATI) are read as 0 too.
    budget = pd.to_numeric(portfolio[S.COL_BUDGET]).fillna(0.0).to_numpy(float)
    spent = pd.to_numeric(portfolio[S.COL_SPENT]).fillna(0.0).to_numpy(float)
    budget, spent = np.maximum(budget, 0.0), np.maximum(spent, 0.0)
    planned, elapsed = _dates(portfolio, as_of, cal)
    progress = _progress(budget, spent, elapsed, planned)
    remaining = np.maximum(budget - spent, 0.0)
    gmap = {g: i for i, g in enumerate(GROUPS)}
    group = portfolio[S.COL_SECTOR_GROUP].map(gmap).fillna(len(GROUPS) - 1)
    group = group.to_numpy(np.int64)
    country, n_countries = _codes(portfolio[S.COL_COUNTRY])
    unit = country * len(GROUPS) + group
    _, unit = np.unique(unit, return_inverse=True)

    risk = np.zeros(len(portfolio))
    funding = np.ones(len(portfolio))
    cap = np.ones(len(portfolio))
    cancelled = np.zeros(len(portfolio), dtype=bool)
    policy = scenario.budget_policy
    for lever in scenario.levers:
        mask = lever_mask(portfolio, lever)
        if lever.kind == "risk":
            risk[mask] += lever.change
        elif lever.kind == "capacity":
            cap[mask] *= 1.0 + lever.change / 100.0
        elif policy == "cancel" and lever.change < 0:
            cut = -lever.change / 100.0
            cancelled |= _cancel(mask, cut, remaining, progress, cancelled)
        else:
            funding[mask] *= 1.0 + lever.change / 100.0
    if policy == "stretch":
        cancelled |= funding < cal.value("budget.stretch_min_funding")

    b = cal.value("schedule.b")
    lo_d, hi_d = (
        cal.value("schedule.planned_min_months"),
        cal.value("schedule.planned_max_months"),
    )
    logd = np.log(np.clip(planned, lo_d, hi_d))
    mu = (
        cal.by_group("schedule.a")[group]
        + cal.by_group("schedule.shift")[group]
        + cal.value("schedule.mu_offset")
        + (b - 1.0) * logd
        + _context(portfolio, cal)
        + cal.value("context.risk_shock_per_point") * risk
    )
    kappa = cal.value("capacity.queue_share") * np.maximum(0.0, 1.0 - np.exp(-mu))
    cap_change = np.maximum(cap, cal.value("capacity.floor")) - 1.0

    # Absorptive capacity: an increase is spent only up to the unit's headroom.
    rho0 = cal.value("capacity.rho0")
    headroom = np.maximum(
        0.0, cal.value("capacity.rho_abs") * (1 + cap_change) / rho0 - 1
    )
    extra = np.minimum(np.maximum(funding - 1.0, 0.0), headroom)
    unabsorbed = remaining * np.maximum(funding - 1.0 - extra, 0.0)
    funding = np.where(funding > 1.0, 1.0 + extra, funding)
    work = np.where(cancelled, 0.0, remaining * funding)
    w_unit = np.bincount(unit, weights=work) / np.maximum(
        np.bincount(unit, weights=remaining), 1e-9
    )
    w_unit = np.where(np.bincount(unit, weights=remaining) > 0, w_unit, 1.0)

    return Rows(
        n=len(portfolio),
        budget=budget,
        spent=spent,
        remaining=remaining,
        planned=planned,
        elapsed=elapsed,
        progress=progress,
        group=group,
        country=country,
        unit=unit,
        n_countries=n_countries,
        mu=mu,
        sig_lo=cal.by_group("schedule.sigma_lo")[group],
        sig_hi=cal.by_group("schedule.sigma_hi")[group],
        cost_mu=cal.by_group("cost.mu")[group],
        cost_sig=cal.by_group("cost.sigma")[group],
        cost_xi=cal.by_group("cost.tail_xi")[group],
        kappa=kappa,
        funding=funding,
        cancelled=cancelled,
        workload_ratio=w_unit[unit],
        cap_change=cap_change,
        unabsorbed=unabsorbed,
    )
