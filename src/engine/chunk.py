"""The Monte Carlo hot loop: one chunk of trials × all rows, vectorised, float32.

Arrays are (trials, rows). Spend by quarter comes from closed-form S-curve
coefficients (`src.engine.spend`), so memory is O(trials × rows) per chunk,
never trials × rows × months.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from src.engine.kernel import Kernel
from src.engine.metrics import CELL_SUMS
from src.engine.queue import congestion, ramp_capacity
from src.engine.row_arrays import RowArrays
from src.engine.spend import quarterly_spend

F32 = np.float32
Z90 = 1.2815516


@dataclass(frozen=True)
class Draws:
    """Standard normals of one chunk, float32, trials first.

    Attributes:
        country: (trials, countries) country shocks. sector: (trials, sector
            groups) sector shocks. duration, cost: (trials, rows) the rows' own
            noise, in cell order; `run_chunk` overwrites them (scratch).
    """

    country: np.ndarray
    sector: np.ndarray
    duration: np.ndarray
    cost: np.ndarray

    def rows(self, lo: int, hi: int) -> Draws:
        """The draws of rows lo:hi (views; the shared shocks are all kept)."""
        return Draws(
            self.country, self.sector, self.duration[:, lo:hi], self.cost[:, lo:hi]
        )


def run_parts(
    parts: list[tuple[int, int, Kernel]],
    draws: Draws,
    *,
    tolerance: float,
    keep_months: bool = True,
) -> dict[str, np.ndarray]:
    """`run_chunk` over the row slices of `build_parts`, combined.

    Spend is the sum of the slices' spend (float64); the median delay is taken
    over all rows. "months" is None unless `keep_months`.
    """
    if len(parts) == 1:
        out = run_chunk(parts[0][2], draws, tolerance=tolerance)
        if not keep_months:
            out["months"] = None
        return out
    outs = [
        run_chunk(k, draws.rows(lo, hi), tolerance=tolerance, median=False)
        for lo, hi, k in parts
    ]
    spend = outs[0]["spend"]
    for o in outs[1:]:
        spend += o["spend"]
    return {
        "cells": np.concatenate([o["cells"] for o in outs], axis=2),
        "median_delay": _median(np.concatenate([o["delay"] for o in outs], axis=1)),
        "spend": spend,
        "months": (
            np.concatenate([o["months"] for o in outs], axis=1) if keep_months else None
        ),
    }


def _ramp_mult(k: Kernel, mref: np.ndarray) -> np.ndarray:
    """Queue multiplier of the ramp rows given their months before the queue."""
    q = k.ramp
    cap = ramp_capacity(mref, q.cap_change, k.params.ramp_months)
    return congestion(
        cap,
        rho0w=q.rho0w,
        kappa=q.kappa,
        stretch=q.stretch,
        rho0=k.params.rho0,
        rho_cap=k.params.rho_cap,
        overload=q.overload,
    )


def run_chunk(
    k: Kernel, draws: Draws, *, tolerance: float, median: bool = True
) -> dict[str, np.ndarray]:
    """Simulate one chunk; returns per-trial cell sums, spend and row durations.

    With `median=False`, "delay" (trials, active rows) replaces "median_delay".

    The rows' noise arrays of `draws` are overwritten (scratch space).

    Returns:
        {"cells": (trials, len(CELL_SUMS), cells) float64,
         "median_delay": (trials,), "spend": (trials, quarters) cumulative USD,
         "months": (trials, rows) float32 months from the data date to completion}
    """
    f, p = k.arrays, k.params
    any_cancel, any_cut = k.any_cancel, k.any_cut
    # Duration: shared country and sector shocks plus the row's own noise.
    # The shared part is formed once per unit (country × sector group) and
    # gathered, instead of two gathers over all rows.
    z = draws.duration
    z *= F32(np.sqrt(1 - p.country_share - p.sector_share))
    shared = draws.country[:, k.unit_country] * F32(np.sqrt(p.country_share))
    shared += draws.sector[:, k.unit_group] * F32(np.sqrt(p.sector_share))
    z += np.repeat(shared[:, k.unit_runs[0]], k.unit_runs[1], axis=1)
    if k.trunc.size:
        _condition_on_running(z, k)
    # Split normal: z·(σ_hi if z > 0 else σ_lo) = z·mid + |z|·half.
    total = np.abs(z)
    total *= f.half
    total += z * f.mid
    total += f.mu
    np.exp(total, out=total)
    total *= f.planned
    months = total - f.elapsed
    np.maximum(months, total * f.min_left, out=months)
    # Queue. `extra` (months added by the queue, charged as delay cost) is
    # formed on the rows it can touch: all rows for the constant multipliers,
    # the ramp rows only for the rest.
    extra = extra_ramp = None
    if k.qconst is not None:
        mref = months
        months = months * k.qconst
        extra = months - mref
        np.maximum(extra, 0, out=extra)
        extra *= F32(p.delay_cost_per_month)
    if k.ramp.idx.size:
        runs = k.ramp.runs
        if runs is not None:
            g = np.concatenate([months[:, a:b] for a, b in runs], axis=1)
        else:
            g = np.take(months, k.ramp.idx, axis=1)
        new = g * _ramp_mult(k, g)
        extra_ramp = np.subtract(new, g, out=g)
        np.maximum(extra_ramp, 0, out=extra_ramp)
        extra_ramp *= F32(p.delay_cost_per_month)
        if runs is not None:
            o = 0
            for a, b in runs:
                months[:, a:b] = new[:, o : o + b - a]
                o += b - a
        else:
            months[:, k.ramp.idx] = new
    if any_cancel:
        months *= f.active

    # Cost: Gaussian copula with the duration draw, heavy tail for some groups.
    zc = draws.cost
    zc *= F32(np.sqrt(1 - p.cost_rho**2))
    zc += z * F32(p.cost_rho)
    cost = zc
    cost *= f.cost_sig
    cost += f.cost_mu
    if k.tail.size:
        zt = np.maximum(
            (cost[:, k.tail] - f.cost_mu[k.tail]) / f.cost_sig_safe[k.tail], F32(Z90)
        )
        h = (zt * zt - F32(Z90 * Z90)) / 2 + np.log(zt / F32(Z90))
        cost[:, k.tail] += f.cost_xi[k.tail] * h
    np.exp(cost, out=cost)
    np.minimum(cost, F32(p.cost_cap_ratio), out=cost)
    if any_cut:
        # Descoping: the cut is softened where the work costs less than planned.
        scope = np.minimum(cost, 1)
        np.divide(f.funding, scope, out=scope)
        if p.descope_elasticity == 1:
            np.minimum(scope, f.scope_up, out=scope)
            np.copyto(scope, f.scope_up, where=f.uncut)
        else:
            scope = _scope_eps(scope, f, p.descope_elasticity)
        if any_cancel:
            scope *= f.active
    else:
        scope = np.broadcast_to(f.scope_up * f.active, cost.shape)
    if extra is not None:
        cost += extra
    if extra_ramp is not None:
        if k.ramp.runs is not None:
            o = 0
            for a, b in k.ramp.runs:
                cost[:, a:b] += extra_ramp[:, o : o + b - a]
                o += b - a
        else:
            cost[:, k.ramp.idx] += extra_ramp
    ctc = cost
    ctc *= scope
    ctc *= f.remaining
    full = None
    if k.any_stop:
        months, ctc, scope, full = _stop(f, months, ctc, scope)
    delay = months + f.overrun_base
    cells = _cell_sums(k, delay=delay, ctc=ctc, scope=scope, tolerance=tolerance)
    spend = quarterly_spend(
        months, ctc, k1=f.k1, k2=f.k2, k3=f.k3, quarters=k.quarters, full=full
    )
    if any_cancel:
        delay = delay[:, f.active > 0]
    out = {"cells": cells, "spend": spend, "months": months}
    if median:
        out["median_delay"] = _median(delay)
    else:
        out["delay"] = delay
    return out


def _stop(
    f: RowArrays, months: np.ndarray, ctc: np.ndarray, scope: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Close the rows of an "end" lever at their stop month (docs/MODEL.md).

    A row simulated to finish after its stop spends, and delivers, only the
    share of its remaining S-curve that falls before the stop:
    q = k1·x + k2·x² + k3·x³ with x = stop / months (1 for rows finishing
    earlier). Its completion becomes the stop.

    Returns:
        (months, cost to complete spent, scope delivered, (the full months and
        cost to complete, for the spend curve up to the stop)).
    """
    x = np.minimum(f.stop / np.maximum(months, F32(1e-3)), F32(1))
    q = ((f.k3 * x + f.k2) * x + f.k1) * x
    np.clip(q, 0, 1, out=q)
    full = (months, ctc.copy())
    ctc *= q
    return np.minimum(months, f.stop), ctc, scope * q, full


def _cell_sums(
    k: Kernel,
    *,
    delay: np.ndarray,
    ctc: np.ndarray,
    scope: np.ndarray,
    tolerance: float,
) -> np.ndarray:
    """Per-trial sums of each cell, (trials, len(CELL_SUMS), cells) float64.

    `delay`, `ctc` (cost to complete) and `scope` are (trials, rows); finished
    and cancelled rows count as the metrics define (see `metrics.per_trial`).
    """
    f, starts = k.arrays, k.starts
    any_cancel = k.any_cancel
    scratch = np.empty_like(delay)  # scratch for the products below
    on_time = delay <= F32(tolerance)
    sums = {"on_time": np.add.reduceat(on_time, starts, axis=1, dtype=np.float32)}
    if any_cancel:
        sums["on_time"] -= np.add.reduceat(
            on_time & (f.active == 0),
            starts,
            axis=1,
            dtype=np.float32,
        )
        sums["delay"] = np.add.reduceat(delay * f.active, starts, axis=1)
    else:
        sums["delay"] = np.add.reduceat(delay, starts, axis=1)
    spent = k.cells.spent
    sums["cost_at_completion"] = np.add.reduceat(ctc, starts, axis=1) + spent
    shape = sums["on_time"].shape
    if k.any_cut or any_cancel or k.any_stop:
        tmp = np.multiply(scope, f.remaining, out=scratch)
        sums["planned_cost"] = np.add.reduceat(tmp, starts, axis=1) + spent
        np.multiply(scope, f.budget_left, out=tmp)
        value = np.add.reduceat(tmp, starts, axis=1)
        sums["value"] = value + k.cells.budget_progress
    else:
        sums["planned_cost"] = np.broadcast_to(k.cells.planned_cost, shape)
        sums["value"] = np.broadcast_to(k.cells.value, shape)
    gap = np.subtract(ctc, f.avail, out=scratch)
    np.maximum(gap, 0, out=gap)
    sums["gap"] = np.add.reduceat(gap, starts, axis=1)
    cells = np.empty((shape[0], len(CELL_SUMS), shape[1]))
    for i, name in enumerate(CELL_SUMS):
        cells[:, i] = sums[name]
    return cells


def _condition_on_running(z: np.ndarray, k: Kernel) -> None:
    """Redraw, in place, the rows still running as if from T > elapsed.

    z' = Φ⁻¹(F0 + (1 − F0) Φ(z)) maps a standard normal to the same normal
    truncated below its threshold (probability F0), keeping the rank of every
    draw, so shared shocks stay shared and common random numbers stay common.
    """
    from scipy.special import ndtr, ndtri

    sub = np.take(z, k.trunc, axis=1)
    # Φ in float64 on the float32 draws (cast chunk by chunk, no float64 copy),
    # and Φ⁻¹ written back rounded to float32, as an assignment would round it.
    u = ndtr(sub, dtype=np.float64)
    u *= k.trunc_keep
    u += k.trunc_f0
    np.minimum(u, 1.0 - 1e-12, out=u)
    ndtri(u, out=sub, casting="same_kind")
    z[:, k.trunc] = sub


def _median(x: np.ndarray) -> np.ndarray:
    """Row-wise median, sorting in place (x is scratch).

    numpy's SIMD sort of float32 rows is several times faster than
    `partition` (introselect) here; the middle values are the same.
    """
    n = x.shape[1]
    if n == 0:
        return np.full(len(x), np.nan)
    kth = [n // 2] if n % 2 else [n // 2 - 1, n // 2]
    x.sort(axis=1)
    return x[:, kth].astype(np.float64).mean(axis=1)


def _scope_eps(scope: np.ndarray, f: RowArrays, eps: float) -> np.ndarray:
    """Scope delivered with a descope elasticity ε ≠ 1 (see docs/MODEL.md).

    Cut rows deliver min(1, φ / min(cost ratio, 1))^ε (`scope` holds the ratio),
    the others their uncut scope.
    """
    base = np.where(f.cut, np.minimum(scope, 1), 1)
    return np.where(f.cut, base ** F32(eps), f.scope_up)
