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
from src.engine.calibration.records import PUBLISHER_KINDS
from src.engine.reference import class_labels, outside_fitted_range, row_classes
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


def _truncation(
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


def lever_mask(portfolio: pd.DataFrame, lever: Lever) -> np.ndarray:
    """Boolean mask of the rows a lever targets (all filters must match)."""
    mask = np.ones(len(portfolio), dtype=bool)
    for key, col in _TARGET_COLUMNS:
        values = getattr(lever, key)
        if not values:
            continue
        if col not in portfolio.columns:
            msg = f"lever targets {key} but the portfolio has no {col!r} column"
            raise ValueError(msg)
        mask &= portfolio[col].astype(str).isin(values).to_numpy()
    return mask


_TARGET_COLUMNS = (
    ("sectors", S.COL_SECTOR_GROUP),
    ("regions", S.COL_REGION),
    ("countries", S.COL_COUNTRY),
    ("agencies", S.COL_AGENCY),
)


def absent_targets(portfolio: pd.DataFrame, lever: Lever) -> dict[str, list[str]]:
    """Target values of a lever that no row of the portfolio has, by field."""
    out = {}
    for key, col in _TARGET_COLUMNS:
        values = getattr(lever, key)
        if values and col in portfolio.columns:
            present = set(portfolio[col].astype(str))
            missing = [v for v in values if v not in present]
            if missing:
                out[key] = missing
    return out


def check_targets(portfolio: pd.DataFrame, scenario: Scenario) -> None:
    """Refuse a lever whose target is not in the portfolio (an error naming it).

    A lever on an unknown sector, country, region or agency would otherwise
    silently change nothing, or, once its target is dropped, everything.
    """
    for i, lever in enumerate(scenario.levers, start=1):
        missing = absent_targets(portfolio, lever)
        if missing:
            named = "; ".join(f"{k} {v}" for k, v in missing.items())
            msg = f"lever {i} targets {named}, which no row of the portfolio has"
            raise ValueError(msg)


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
    check_targets(portfolio, scenario)
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

    finished, actual = finished_rows(portfolio, as_of, planned, elapsed)
    active = ~finished
    # A finished row spends nothing more and has made all its progress.
    remaining = np.where(finished, 0.0, remaining)
    progress = np.where(finished, 1.0, progress)

    risk = np.zeros(len(portfolio))
    funding = np.ones(len(portfolio))
    cap = np.ones(len(portfolio))
    cancelled = np.zeros(len(portfolio), dtype=bool)
    policy = scenario.budget_policy
    on_finished = []
    for lever in scenario.levers:
        mask = lever_mask(portfolio, lever)
        on_finished.append((int((mask & finished).sum()), int(mask.sum())))
        mask &= active  # what has happened stays happened
        if lever.kind == "risk":
            risk[mask] += lever.change
        elif lever.kind == "capacity":
            cap[mask] *= 1.0 + lever.change / 100.0
        elif policy == "cancel" and lever.change < 0:
            cut = -lever.change / 100.0
            done = cancelled | finished
            cancelled |= _cancel(mask, cut, remaining, progress, done)
        else:
            funding[mask] *= 1.0 + lever.change / 100.0
    if policy == "stretch":
        cancelled |= active & (funding < cal.value("budget.stretch_min_funding"))

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
    sig_lo, sig_hi = dist.lo, dist.hi
    # Finished rows: the reported outcome, with no noise.
    mu = np.where(finished, np.log(np.maximum(actual, 1e-3) / planned), mu)
    sig_lo = np.where(finished, 0.0, sig_lo)
    sig_hi = np.where(finished, 0.0, sig_hi)
    trunc_z = _truncation(mu, sig_lo, sig_hi, planned, elapsed, active & ~cancelled)
    kappa = cal.value("capacity.queue_share") * np.maximum(0.0, 1.0 - np.exp(-mu))
    kappa = np.where(finished, 0.0, kappa)
    cap_change = np.where(
        finished, 0.0, np.maximum(cap, cal.value("capacity.floor")) - 1.0
    )

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
    workload = np.where(finished, 1.0, w_unit[unit])

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
        sig_lo=sig_lo,
        sig_hi=sig_hi,
        cost_mu=cal.by_group("cost.mu")[group],
        cost_sig=cal.by_group("cost.sigma")[group],
        cost_xi=cal.by_group("cost.tail_xi")[group],
        kappa=kappa,
        funding=funding,
        cancelled=cancelled,
        workload_ratio=workload,
        cap_change=cap_change,
        unabsorbed=unabsorbed,
        finished=finished,
        actual=actual,
        short_weight=weight,
        reference_class=class_labels(weight, finished),
        trunc_z=trunc_z,
        extrapolated=active & outside_fitted_range(cal, planned, weight),
        lever_rows_finished=tuple(on_finished),
    )
