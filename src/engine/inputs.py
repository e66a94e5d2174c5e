"""Per-row model inputs: remaining work and funding, reference class, levers.

`prepare` turns the portfolio table, a scenario and the calibration into flat
numpy arrays (one entry per row, all deterministic); the Monte Carlo kernel
(`kernel.py`, `chunk.py`) only adds the random draws. Dates are in
`timeline.py`, levers in `levers.py`. Money is USD.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from src.engine.calibration import GROUPS, Calibration
from src.engine.calibration.records import PUBLISHER_KINDS
from src.engine.levers import absorb, apply_levers, check_targets, extension_months
from src.engine.reference import class_labels, outside_fitted_range, row_classes
from src.engine.scenario import Scenario
from src.engine.timeline import (
    finished_rows,
    planned_and_elapsed,
    progress,
    truncation,
)
from src.portfolio import schema as S

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
        stop: months after the data date at which an "end" lever closes the
            row (inf: none); work left then is neither done nor paid.
        scope_cap: share of remaining scope fundable before cost draws (≥ 0).
        workload_ratio: unit workload, scenario ÷ baseline.
        cap_change: capacity change as a fraction (−1…2).
        unabsorbed: USD of a budget increase the unit cannot absorb.
        finished: bool, the row has ended (closed, cancelled, finalised with an
            actual end, or an actual end on or before the data date): its
            reported outcome is fixed (no noise, no spend, no lever).
        actual: months from start to the reported end for finished rows (NaN
            elsewhere).
        short_weight: weight of the short reference class (NaN: own class).
        reference_class: "short", "blend", "long", "own" or "reported".
        trunc_z: for active rows that could have ended before the data date
            under their reference class, the standard-normal threshold the draw
            must exceed (the project is still running); -inf elsewhere.
        lever_rows_finished: per lever, the number of targeted rows that are
            finished, and the number targeted (levers skip finished rows).
        extrapolated: running rows planned outside the durations their class
            was fitted on.
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
    stop: np.ndarray
    workload_ratio: np.ndarray
    cap_change: np.ndarray
    unabsorbed: np.ndarray
    finished: np.ndarray
    actual: np.ndarray
    short_weight: np.ndarray
    reference_class: np.ndarray
    trunc_z: np.ndarray
    extrapolated: np.ndarray
    lever_rows_finished: tuple[tuple[int, int], ...] = ()


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


def _covariates(portfolio: pd.DataFrame) -> pd.DataFrame:
    """Reference-class covariates of each row (humanitarian, publisher kind)."""
    n = len(portfolio)
    hum = (
        portfolio[S.COL_HUMANITARIAN].fillna(False).astype(bool).to_numpy()
        if S.COL_HUMANITARIAN in portfolio.columns
        else np.zeros(n, dtype=bool)
    )
    kind = (
        portfolio[S.COL_AGENCY_TYPE].fillna("").astype(str).map(PUBLISHER_KINDS)
        if S.COL_AGENCY_TYPE in portfolio.columns
        else pd.Series(None, index=portfolio.index, dtype=object)
    )
    return pd.DataFrame(
        {
            "humanitarian": hum,
            "sector_group": portfolio[S.COL_SECTOR_GROUP].astype(str).to_numpy(),
            "kind": kind.astype(object).where(kind.notna(), "unknown").to_numpy(),
        }
    )


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


def _money(portfolio: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Budget and spent (USD, float64).

    Missing money is read as 0 (no budget / nothing spent yet); negative values
    (net budget revisions in IATI) are read as 0 too.
    """
    budget = pd.to_numeric(portfolio[S.COL_BUDGET]).fillna(0.0).to_numpy(float)
    spent = pd.to_numeric(portfolio[S.COL_SPENT]).fillna(0.0).to_numpy(float)
    return np.maximum(budget, 0.0), np.maximum(spent, 0.0)


def _indices(portfolio: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, int, np.ndarray]:
    """Sector-group, country and unit (country × sector group) index of each row.

    Returns:
        (group, country, number of countries, unit).
    """
    gmap = {g: i for i, g in enumerate(GROUPS)}
    group = portfolio[S.COL_SECTOR_GROUP].map(gmap).fillna(len(GROUPS) - 1)
    group = group.to_numpy(np.int64)
    country, n_countries = _codes(portfolio[S.COL_COUNTRY])
    _, unit = np.unique(country * len(GROUPS) + group, return_inverse=True)
    return group, country, n_countries, unit


def prepare(
    portfolio: pd.DataFrame,
    scenario: Scenario,
    *,
    as_of: date,
    calibration: Calibration,
) -> Rows:
    """Flat per-row inputs for the Monte Carlo (see `Rows`)."""
    validate_portfolio(portfolio)
    check_targets(portfolio, scenario)
    cal = calibration
    budget, spent = _money(portfolio)
    planned, elapsed = planned_and_elapsed(portfolio, as_of, cal)
    finished, actual = finished_rows(portfolio, as_of, planned, elapsed)
    # A funded extension of N months: planned as D + N with budget B·(1 + N/D).
    ext = extension_months(portfolio, scenario, finished=finished)
    budget = budget * (1.0 + ext / planned)
    planned = planned + ext
    done = progress(budget, spent, elapsed, planned)
    remaining = np.maximum(budget - spent, 0.0)
    group, country, n_countries, unit = _indices(portfolio)
    active = ~finished
    # A finished row spends nothing more and has made all its progress.
    remaining = np.where(finished, 0.0, remaining)
    done = np.where(finished, 1.0, done)
    lev = apply_levers(
        portfolio,
        scenario,
        finished=finished,
        remaining=remaining,
        progress=done,
        to_end=planned - elapsed,
        cal=cal,
    )
    mu, sig_lo, sig_hi, weight = _schedule(
        portfolio,
        scenario,
        cal,
        planned=planned,
        group=group,
        risk=lev.risk,
        finished=finished,
        actual=actual,
    )
    kappa = cal.value("capacity.queue_share") * np.maximum(0.0, 1.0 - np.exp(-mu))
    absorbed = absorb(lev, remaining=remaining, finished=finished, unit=unit, cal=cal)
    return Rows(
        n=len(portfolio),
        budget=budget,
        spent=spent,
        remaining=remaining,
        planned=planned,
        elapsed=elapsed,
        progress=done,
        group=group,
        country=country,
        unit=unit,
        n_countries=n_countries,
        mu=mu,
        sig_lo=sig_lo,
        sig_hi=sig_hi,
        cost_mu=cal.by_group("cost.mu")[group],
        cost_sig=cal.by_group("cost.sigma")[group],
        cost_xi=cal.by_group("cost.tail_xi")[group],
        kappa=np.where(finished, 0.0, kappa),
        funding=absorbed.funding,
        cancelled=lev.cancelled,
        stop=lev.stop,
        workload_ratio=absorbed.workload,
        cap_change=absorbed.cap_change,
        unabsorbed=absorbed.unabsorbed,
        finished=finished,
        actual=actual,
        short_weight=weight,
        reference_class=class_labels(weight, finished),
        trunc_z=truncation(
            mu, sig_lo, sig_hi, planned, elapsed, active & ~lev.cancelled
        ),
        extrapolated=active & outside_fitted_range(cal, planned, weight),
        lever_rows_finished=lev.on_finished,
    )


def _schedule(
    portfolio: pd.DataFrame,
    scenario: Scenario,
    cal: Calibration,
    *,
    planned: np.ndarray,
    group: np.ndarray,
    risk: np.ndarray,
    finished: np.ndarray,
    actual: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Log duration-ratio distribution of each row (split normal).

    Running rows follow their reference class; finished rows have their
    reported outcome (`actual`, months from start to the reported end), with
    no noise.

    Returns:
        (mu, sig_lo, sig_hi, short-class weight).
    """
    dist, weight = row_classes(
        cal,
        planned=planned,
        group=group,
        covariates=_covariates(portfolio),
        use_own=scenario.reference == "own",
    )
    mu = (
        dist.mu
        + cal.value("schedule.mu_offset")
        + _context(portfolio, cal)
        + cal.value("context.risk_shock_per_point") * risk
    )
    mu = np.where(finished, np.log(np.maximum(actual, 1e-3) / planned), mu)
    sig_lo = np.where(finished, 0.0, dist.lo)
    sig_hi = np.where(finished, 0.0, dist.hi)
    return mu, sig_lo, sig_hi, weight
