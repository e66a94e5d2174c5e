"""The kernel's float32 row inputs, per-cell totals and scalar parameters.

Built once per run (and per row slice) from the float64 `Rows`; `run_chunk`
only reads them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from src.engine.calibration import Calibration
from src.engine.inputs import Rows
from src.engine.spend import spend_factors

F32 = np.float32


@dataclass(frozen=True, slots=True)
class RowArrays:
    """Per-row inputs of `run_chunk`, float32 unless noted (rows in cell order).

    Attributes:
        planned: D, planned months. elapsed: E, months from start to the data
            date. remaining: R, remaining budget (USD).
        mu: location of the log duration ratio; mid, half: (σ_hi ± σ_lo) / 2,
            so that z·(σ_hi if z > 0 else σ_lo) = z·mid + |z|·half.
        min_left: remaining months are at least this share of the simulated
            duration (1 − p); -inf for finished rows (their reported end).
        overrun_base: E − D (delay = months left + E − D).
        cost_mu, cost_sig, cost_xi: log cost ratio body and tail;
            cost_sig_safe: cost_sig floored at 1e-9 (divisor).
        avail: funding available for the remaining work (USD).
        funding: φ, funding factor of the remaining budget.
        scope_up: scope of a row whose budget is not cut (φ^ε above 1, else 1).
        active: 1 for rows not cancelled, else 0.
        budget_left: B·(1 − p), the value of the remaining scope (USD).
        k1, k2, k3: row factors of the spend cubic (`spend.spend_factors`).
        stop: months after the data date at which an "end" lever closes the
            row (inf: none).
        cut, uncut: bool, the row's scope is (not) cut by the budget policy.
    """

    planned: np.ndarray
    elapsed: np.ndarray
    remaining: np.ndarray
    mu: np.ndarray
    mid: np.ndarray
    half: np.ndarray
    min_left: np.ndarray
    overrun_base: np.ndarray
    cost_mu: np.ndarray
    cost_sig: np.ndarray
    cost_sig_safe: np.ndarray
    cost_xi: np.ndarray
    avail: np.ndarray
    funding: np.ndarray
    scope_up: np.ndarray
    active: np.ndarray
    budget_left: np.ndarray
    k1: np.ndarray
    k2: np.ndarray
    k3: np.ndarray
    stop: np.ndarray
    cut: np.ndarray
    uncut: np.ndarray


@dataclass(frozen=True, slots=True)
class CellTotals:
    """Deterministic per-cell totals (float64), added to the per-trial sums.

    Attributes:
        spent: Σ S. budget_progress: Σ B·p. planned_cost: Σ S + R·scope0 and
        value: Σ B·(p + (1 − p)·scope0), with scope0 the scope before cost
        draws (the sums used when no row is cut or cancelled).
    """

    spent: np.ndarray
    budget_progress: np.ndarray
    planned_cost: np.ndarray
    value: np.ndarray


@dataclass(frozen=True, slots=True)
class KernelParams:
    """Scalar model parameters the kernel reads (see docs/MODEL.md §3)."""

    country_share: float
    sector_share: float
    cost_rho: float
    cost_cap_ratio: float
    delay_cost_per_month: float
    rho0: float
    rho_cap: float
    ramp_months: float
    descope_elasticity: float

    @classmethod
    def from_calibration(cls, cal: Calibration) -> KernelParams:
        """The kernel's parameters from a calibration."""
        return cls(
            country_share=cal.value("shocks.country_share"),
            sector_share=cal.value("shocks.sector_share"),
            cost_rho=cal.value("cost.rho_duration"),
            cost_cap_ratio=cal.value("cost.cap_ratio"),
            delay_cost_per_month=cal.value("cost.delay_pp_per_year") / 12.0,
            rho0=cal.value("capacity.rho0"),
            rho_cap=cal.value("capacity.rho_cap"),
            ramp_months=cal.value("capacity.ramp_months"),
            descope_elasticity=cal.value("budget.descope_elasticity"),
        )


def row_arrays(
    rows: Rows, *, cut: np.ndarray, avail: np.ndarray, eps: float
) -> RowArrays:
    """The float32 row inputs of `run_chunk`.

    Args:
        rows: the float64 inputs.
        cut: rows whose scope the budget policy cuts.
        avail: funding available for the remaining work (USD).
        eps: descope elasticity.
    """
    k1, k2, k3 = spend_factors(rows.progress)
    values = {
        "planned": rows.planned,
        "elapsed": rows.elapsed,
        "remaining": rows.remaining,
        "mu": rows.mu,
        "mid": (rows.sig_hi + rows.sig_lo) / 2,
        "half": (rows.sig_hi - rows.sig_lo) / 2,
        # Remaining months are at least (1 − p) of the simulated duration; a
        # finished row has its reported end (negative months allowed).
        "min_left": np.where(rows.finished, -np.inf, 1.0 - rows.progress),
        "overrun_base": rows.elapsed - rows.planned,
        "cost_mu": rows.cost_mu,
        "cost_sig": rows.cost_sig,
        "cost_sig_safe": np.maximum(rows.cost_sig, 1e-9),
        "cost_xi": rows.cost_xi,
        "avail": avail,
        "funding": rows.funding,
        "scope_up": np.where(rows.funding > 1.0, rows.funding**eps, 1.0),
        "active": (~rows.cancelled).astype(float),
        "budget_left": rows.budget * (1.0 - rows.progress),
        "k1": k1,
        "k2": k2,
        "k3": k3,
        "stop": rows.stop,
    }
    return RowArrays(
        **{k: np.ascontiguousarray(v, dtype=F32) for k, v in values.items()},
        cut=cut,
        uncut=~cut,
    )


def cell_totals(rows: Rows, starts: np.ndarray, eps: float) -> CellTotals:
    """Deterministic per-cell totals (float64); cells start at `starts`."""
    scope0 = np.where(
        rows.cancelled, 0.0, np.where(rows.funding > 1, rows.funding**eps, 1)
    )
    return CellTotals(
        spent=np.add.reduceat(rows.spent, starts),
        budget_progress=np.add.reduceat(rows.budget * rows.progress, starts),
        planned_cost=np.add.reduceat(rows.spent + rows.remaining * scope0, starts),
        value=np.add.reduceat(
            rows.budget * (rows.progress + (1 - rows.progress) * scope0), starts
        ),
    )
