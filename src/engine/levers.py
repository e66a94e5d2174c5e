"""Scenario levers on the rows: targeting, budget policy, absorptive capacity.

Levers skip finished rows (what has happened stays happened); see
docs/MODEL.md, "Budget", "Capacity" and "End without successor, extend".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from src.engine.calibration import Calibration
from src.engine.scenario import Lever, Scenario
from src.portfolio import schema as S

TARGET_COLUMNS = (
    ("sectors", S.COL_SECTOR_GROUP),
    ("regions", S.COL_REGION),
    ("countries", S.COL_COUNTRY),
    ("agencies", S.COL_AGENCY),
    ("projects", S.COL_PROJECT_ID),
)


def absent_targets(portfolio: pd.DataFrame, lever: Lever) -> dict[str, list[str]]:
    """Target values of a lever that no row of the portfolio has, by field."""
    out = {}
    for key, col in TARGET_COLUMNS:
        values = getattr(lever, key)
        if values and col in portfolio.columns:
            present = set(portfolio[col].astype(str))
            missing = [v for v in values if v not in present]
            if missing:
                out[key] = missing
    return out


class TargetMissingError(ValueError):
    """A lever targets values no row of the portfolio has.

    Attributes:
        lever: its position (from 1); missing: target kind -> absent values.
    """

    def __init__(self, lever: int, missing: dict[str, list[str]]) -> None:
        self.lever, self.missing = lever, missing
        named = "; ".join(f"{k} {v}" for k, v in missing.items())
        super().__init__(
            f"lever {lever} targets {named}, which no row of the portfolio has"
        )


def check_targets(portfolio: pd.DataFrame, scenario: Scenario) -> None:
    """Refuse a lever whose target is not in the portfolio (an error naming it).

    A lever on an unknown sector, country, region or agency would otherwise
    silently change nothing, or, once its target is dropped, everything.
    """
    for i, lever in enumerate(scenario.levers, start=1):
        missing = absent_targets(portfolio, lever)
        if missing:
            raise TargetMissingError(i, missing)


def lever_mask(portfolio: pd.DataFrame, lever: Lever) -> np.ndarray:
    """Boolean mask of the rows a lever targets (all filters must match)."""
    mask = np.ones(len(portfolio), dtype=bool)
    for key, col in TARGET_COLUMNS:
        values = getattr(lever, key)
        if not values:
            continue
        if col not in portfolio.columns:
            msg = f"lever targets {key} but the portfolio has no {col!r} column"
            raise ValueError(msg)
        mask &= portfolio[col].astype(str).isin(values).to_numpy()
    return mask


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


def extension_months(
    portfolio: pd.DataFrame, scenario: Scenario, *, finished: np.ndarray
) -> np.ndarray:
    """Months of funded extension per row (the "extend" levers, summed).

    The engine then simulates an extended row as if it had been planned that
    way: planned duration D + N and budget B·(1 + N / D) (`inputs.prepare`).
    Finished rows get 0.
    """
    months = np.zeros(len(portfolio))
    for lever in scenario.levers:
        if lever.kind == "extend":
            months[lever_mask(portfolio, lever) & ~finished] += lever.change
    return months


@dataclass(frozen=True)
class LeverEffects:
    """What the levers do to each row, before absorptive capacity.

    Attributes:
        risk: added INFORM risk points. funding: φ, product of the budget
            changes. capacity: product of the capacity changes (1 = none).
        cancelled: bool, cancelled or suspended by the budget policy.
        stop: months after the data date at which an "end" lever closes the
            row (its planned end plus the lever's months, at least 0); inf for
            rows no "end" lever targets.
        on_finished: per lever, (targeted rows that are finished, targeted).
    """

    risk: np.ndarray
    funding: np.ndarray
    capacity: np.ndarray
    cancelled: np.ndarray
    stop: np.ndarray
    on_finished: tuple[tuple[int, int], ...]


def apply_levers(
    portfolio: pd.DataFrame,
    scenario: Scenario,
    *,
    finished: np.ndarray,
    remaining: np.ndarray,
    progress: np.ndarray,
    to_end: np.ndarray,
    cal: Calibration,
) -> LeverEffects:
    """Apply the scenario's levers, in order, to the rows that are not finished.

    `to_end` is the months from the data date to each row's planned end
    (negative when it is past).
    """
    n = len(portfolio)
    active = ~finished
    risk = np.zeros(n)
    funding = np.ones(n)
    cap = np.ones(n)
    cancelled = np.zeros(n, dtype=bool)
    stop = np.full(n, np.inf)
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
        elif lever.kind == "end":
            end = np.maximum(to_end[mask], 0.0) + lever.change
            stop[mask] = np.minimum(stop[mask], end)
        elif lever.kind == "extend":
            continue  # applied to the plan before the levers (extension_months)
        elif policy == "cancel" and lever.change < 0:
            cut = -lever.change / 100.0
            done = cancelled | finished
            cancelled |= _cancel(mask, cut, remaining, progress, done)
        else:
            funding[mask] *= 1.0 + lever.change / 100.0
    if policy == "stretch":
        cancelled |= active & (funding < cal.value("budget.stretch_min_funding"))
    return LeverEffects(risk, funding, cap, cancelled, stop, tuple(on_finished))


@dataclass(frozen=True)
class Absorption:
    """Capacity change, funding after absorptive capacity, unit workload.

    Attributes:
        cap_change: capacity change as a fraction (floored; 0 when finished).
        funding: φ with increases capped at the unit's headroom.
        unabsorbed: USD of an increase the unit cannot absorb.
        workload: unit workload, scenario ÷ baseline (1 for finished rows).
    """

    cap_change: np.ndarray
    funding: np.ndarray
    unabsorbed: np.ndarray
    workload: np.ndarray


def absorb(
    lev: LeverEffects,
    *,
    remaining: np.ndarray,
    finished: np.ndarray,
    unit: np.ndarray,
    cal: Calibration,
) -> Absorption:
    """An increase is spent only up to the unit's headroom; workload per unit."""
    cap_change = np.where(
        finished, 0.0, np.maximum(lev.capacity, cal.value("capacity.floor")) - 1.0
    )
    rho0 = cal.value("capacity.rho0")
    headroom = np.maximum(
        0.0, cal.value("capacity.rho_abs") * (1 + cap_change) / rho0 - 1
    )
    funding = lev.funding
    extra = np.minimum(np.maximum(funding - 1.0, 0.0), headroom)
    unabsorbed = remaining * np.maximum(funding - 1.0 - extra, 0.0)
    funding = np.where(funding > 1.0, 1.0 + extra, funding)
    work = np.where(lev.cancelled, 0.0, remaining * funding)
    w_unit = np.bincount(unit, weights=work) / np.maximum(
        np.bincount(unit, weights=remaining), 1e-9
    )
    w_unit = np.where(np.bincount(unit, weights=remaining) > 0, w_unit, 1.0)
    workload = np.where(finished, 1.0, w_unit[unit])
    return Absorption(cap_change, funding, unabsorbed, workload)
