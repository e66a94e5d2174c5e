"""The Monte Carlo kernel: one chunk of trials × all rows, vectorised, float32.

Arrays are (trials, rows). Nothing here is indexed by month: spend by quarter is
accumulated from closed-form S-curve coefficients binned by completion quarter,
so memory is O(trials × rows) per chunk, never trials × rows × months.
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass

import numpy as np

from src.engine.calibration import Calibration
from src.engine.inputs import Rows
from src.engine.metrics import CELL_SUMS

F32 = np.float32
Z90 = 1.2815516


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
        k1, k2, k3: row factors of the spend cubic (see `_spend`).
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


@dataclass(frozen=True, slots=True)
class RampRows:
    """Rows with a capacity gain (the ramp-up depends on the draw).

    Attributes:
        idx: row indices. runs: (start, stop) slices covering `idx` when they
            are fewer than `MAX_RUNS`, else None (gathered with `np.take`).
        cap_change: capacity change (> 0), float32. rho0w: ρ0 × workload
            ratio, float32. kappa: congestion share, float32. stretch: duration
            multiplier of the stretch policy, float32.
        overload: whether a row's utilisation can reach the cap.
    """

    idx: np.ndarray
    runs: list[tuple[int, int]] | None
    cap_change: np.ndarray
    rho0w: np.ndarray
    kappa: np.ndarray
    stretch: np.ndarray
    overload: bool


@dataclass(frozen=True)
class Kernel:
    """Row inputs in float32 plus the column subsets that need extra work.

    Attributes:
        rows: the float64 inputs (for deterministic totals).
        unit_country, unit_group: country and sector group of each unit, to
            form the shared shocks once per unit.
        unit_runs: runs of rows sharing a unit (unit, length): shared shocks
            are repeated, not gathered.
        starts: first row index of each cell (rows are sorted by cell).
        affected: rows whose duration a lever can change (capacity, workload,
            stretch); other rows keep the reference-class duration exactly.
        tail: rows with a heavy cost tail.
        quarters: number of quarters in the horizon.
        stretch: per-row duration multiplier of the stretch policy.
        avail: funding available for the remaining work, USD.
        arrays, cells, params: float32 row inputs, per-cell totals, scalars.
        qconst: queue multiplier of the rows where it is constant over trials
            (capacity cuts, workload, stretch; 1 elsewhere), or None.
        ramp: rows with a capacity gain (the ramp depends on the draw).
        any_cut, any_cancel: whether any row of the whole portfolio is cut or
            cancelled (a row slice takes the same branches as the whole, so
            slicing changes no formula).
        trunc, trunc_f0: running rows whose draw is conditioned on not having
            ended before the data date, and the probability mass below their
            threshold (float64).
    """

    rows: Rows
    unit_country: np.ndarray
    unit_group: np.ndarray
    unit_runs: tuple[np.ndarray, np.ndarray]
    starts: np.ndarray
    affected: np.ndarray
    tail: np.ndarray
    quarters: int
    stretch: np.ndarray
    avail: np.ndarray
    arrays: RowArrays
    cells: CellTotals
    params: KernelParams
    qconst: np.ndarray | None
    ramp: RampRows
    any_cut: bool
    any_cancel: bool
    trunc: np.ndarray
    trunc_f0: np.ndarray


def _policy_rows(rows: Rows, policy: str) -> tuple[np.ndarray, np.ndarray]:
    """Rows stretched by the stretch policy, and rows whose scope is cut."""
    stretch_rows = (policy == "stretch") & (rows.funding < 1.0) & ~rows.cancelled
    return stretch_rows, (rows.funding < 1.0) & ~stretch_rows


def _row_arrays(
    rows: Rows, *, cut: np.ndarray, avail: np.ndarray, eps: float
) -> RowArrays:
    """The float32 row inputs of `run_chunk`."""
    # S-curve τ0 = G⁻¹(p) and the row factors of the spend cubic (see _spend).
    a = 0.5 - np.sin(np.arcsin(np.clip(1 - 2 * rows.progress, -1, 1)) / 3)
    wq = 1.0 / np.maximum(1 - rows.progress, 1e-6)
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
        "k1": wq * 6 * a * (1 - a) * (1 - a),
        "k2": wq * 3 * (1 - 2 * a) * (1 - a) ** 2,
        "k3": wq * -2 * (1 - a) ** 3,
    }
    return RowArrays(
        **{k: np.ascontiguousarray(v, dtype=F32) for k, v in values.items()},
        cut=cut,
        uncut=~cut,
    )


def _cell_totals(rows: Rows, starts: np.ndarray, eps: float) -> CellTotals:
    """Deterministic per-cell totals (float64)."""
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


def _units(rows: Rows) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Country and sector group of each unit, and the runs of rows per unit."""
    unit_start = np.flatnonzero(np.r_[True, rows.unit[1:] != rows.unit[:-1]])
    unit_runs = (rows.unit[unit_start], np.diff(np.r_[unit_start, rows.n]))
    n_units = int(rows.unit.max()) + 1 if rows.n else 0
    unit_country = np.zeros(n_units, dtype=np.intp)
    unit_group = np.zeros(n_units, dtype=np.intp)
    unit_country[rows.unit] = rows.country
    unit_group[rows.unit] = rows.group
    return unit_country, unit_group, unit_runs


def build_kernel(
    rows: Rows,
    *,
    cal: Calibration,
    policy: str,
    starts: np.ndarray,
    quarters: int,
    flags: tuple[bool, bool] | None = None,
) -> Kernel:
    """Precompute float32 row arrays and scalar parameters for `run_chunk`.

    `flags` (any cut, any cancelled) override the rows' own (for row slices).
    """
    from scipy.special import ndtr

    params = KernelParams.from_calibration(cal)
    eps = params.descope_elasticity
    stretch_rows, cut = _policy_rows(rows, policy)
    stretch = np.where(stretch_rows, 1.0 / np.maximum(rows.funding, 1e-9), 1.0)
    avail = rows.remaining * np.where(stretch_rows, 1.0, rows.funding)
    affected = np.flatnonzero(
        (rows.cap_change != 0.0) | (rows.workload_ratio != 1.0) | (stretch != 1.0)
    )
    qconst, ramp = _queue_inputs(rows, params, affected, stretch)
    unit_country, unit_group, unit_runs = _units(rows)
    trunc = np.flatnonzero(np.isfinite(rows.trunc_z))
    return Kernel(
        rows=rows,
        unit_country=unit_country,
        unit_group=unit_group,
        unit_runs=unit_runs,
        starts=starts,
        affected=affected,
        tail=np.flatnonzero(rows.cost_xi > 0),
        quarters=quarters,
        stretch=stretch,
        avail=avail,
        arrays=_row_arrays(rows, cut=cut, avail=avail, eps=eps),
        cells=_cell_totals(rows, starts, eps),
        params=params,
        qconst=qconst,
        ramp=ramp,
        any_cut=bool(cut.any()) if flags is None else flags[0],
        any_cancel=bool(rows.cancelled.any()) if flags is None else flags[1],
        trunc=trunc,
        trunc_f0=ndtr(rows.trunc_z[trunc]),
    )


def build_parts(
    rows: Rows,
    *,
    cal: Calibration,
    policy: str,
    starts: np.ndarray,
    quarters: int,
    max_rows: int,
) -> list[tuple[int, int, Kernel]]:
    """Kernels for row slices of about `max_rows` rows, cut at cell starts.

    Large portfolios are simulated slice by slice so that a chunk's float32
    temporaries stay in the processor cache. Every per-row quantity is
    row-local and a cell lies in one slice, so cell sums are unchanged; the
    slicing depends on the rows only (not on the trial chunks).
    """
    flags = (bool(_policy_rows(rows, policy)[1].any()), bool(rows.cancelled.any()))
    bounds = [0]
    while bounds[-1] < rows.n:
        i = np.searchsorted(starts, bounds[-1] + max_rows)
        bounds.append(int(starts[i]) if i < len(starts) else rows.n)
    if len(bounds) == 2:
        k = build_kernel(rows, cal=cal, policy=policy, starts=starts, quarters=quarters)
        return [(0, rows.n, k)]
    parts = []
    for lo, hi in itertools.pairwise(bounds):
        sub = dataclasses.replace(
            rows,
            n=hi - lo,
            **{
                f.name: getattr(rows, f.name)[lo:hi]
                for f in dataclasses.fields(rows)
                if isinstance(getattr(rows, f.name), np.ndarray)
            },
        )
        sub_starts = starts[(starts >= lo) & (starts < hi)] - lo
        k = build_kernel(
            sub,
            cal=cal,
            policy=policy,
            starts=sub_starts,
            quarters=quarters,
            flags=flags,
        )
        parts.append((lo, hi, k))
    return parts


def run_parts(
    parts: list[tuple[int, int, Kernel]],
    *,
    z_country: np.ndarray,
    z_sector: np.ndarray,
    e_dur: np.ndarray,
    e_cost: np.ndarray,
    tolerance: float,
    keep_months: bool = True,
) -> dict[str, np.ndarray]:
    """`run_chunk` over the row slices of `build_parts`, combined.

    Spend is the sum of the slices' spend (float64); the median delay is taken
    over all rows. "months" is None unless `keep_months`.
    """
    kw = {"z_country": z_country, "z_sector": z_sector, "tolerance": tolerance}
    if len(parts) == 1:
        out = run_chunk(parts[0][2], e_dur=e_dur, e_cost=e_cost, **kw)
        if not keep_months:
            out["months"] = None
        return out
    outs = [
        run_chunk(k, e_dur=e_dur[:, lo:hi], e_cost=e_cost[:, lo:hi], median=False, **kw)
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


MAX_RUNS = 64  # ramp rows are gathered by slices when in at most this many runs


def _queue_inputs(
    rows: Rows, params: KernelParams, affected: np.ndarray, stretch: np.ndarray
) -> tuple[np.ndarray | None, RampRows]:
    """Split the queue rows into constant-multiplier rows and ramp rows.

    Rows without a capacity gain have a multiplier that is constant over
    trials: it is computed here once, by the same `_congestion` the ramp rows
    use trial by trial.

    Returns:
        (qconst: per-row multiplier, 1 outside the constant rows, or None when
        there are none; the ramp rows).
    """
    c = rows.cap_change[affected]
    const = affected[c <= 0]
    ramp = affected[c > 0]
    qconst = None
    if const.size:
        qconst = np.ones(rows.n, dtype=F32)
        # Capacity cuts are immediate (no ramp).
        cap = 1 + rows.cap_change[const].astype(F32)
        qconst[const] = _congestion(
            cap,
            rho0w=F32(params.rho0) * rows.workload_ratio[const].astype(F32),
            kappa=rows.kappa[const].astype(F32),
            stretch=stretch[const].astype(F32),
            params=params,
            overload=True,
        )
    runs = None
    if ramp.size:
        cut = np.flatnonzero(np.diff(ramp) != 1) + 1
        if len(cut) < MAX_RUNS:
            runs = [(int(a[0]), int(a[-1]) + 1) for a in np.split(ramp, cut) if a.size]
    rho0w = F32(params.rho0) * rows.workload_ratio[ramp].astype(F32)
    return qconst, RampRows(
        idx=ramp,
        runs=runs,
        cap_change=rows.cap_change[ramp].astype(F32),
        rho0w=rho0w,
        kappa=rows.kappa[ramp].astype(F32),
        stretch=stretch[ramp].astype(F32),
        # A gain keeps ρ' ≤ ρ0·w: below the cap, the overload factor is 1.
        overload=bool((rho0w >= F32(params.rho_cap)).any()),
    )


def _ramp_capacity(mref: np.ndarray, gain: np.ndarray, tau: float) -> np.ndarray:
    """Mean capacity over the remaining months `mref` when a gain ramps in.

    The gain grows linearly over τ months: 1 + k·(1 − τ / (2M)) if M ≥ τ,
    else 1 + k·M / (2τ) (a new float32 array).

    >>> m = np.array([[2.25, 9.0]], dtype=F32)
    >>> _ramp_capacity(m, np.array([1.0, 1.0], dtype=F32), 4.5).tolist()
    [[1.25, 1.75]]
    """
    tau = F32(tau)
    ramp = np.maximum(mref, tau)
    ramp *= 2
    np.divide(tau, ramp, out=ramp)
    np.subtract(1, ramp, out=ramp)
    np.divide(mref, 2 * tau, out=ramp, where=mref < tau)
    ramp *= gain
    ramp += 1
    return ramp


def _congestion(
    cap: np.ndarray,
    *,
    rho0w: np.ndarray,
    kappa: np.ndarray,
    stretch: np.ndarray,
    params: KernelParams,
    overload: bool,
) -> np.ndarray:
    """Duration multiplier from congestion and throughput (float32).

    ρ' = ρ0·w / cap, Q = [1 + κ (f(min(ρ', ρ_cap)) / f(ρ0) − 1)] ·
    max(1, ρ' / ρ_cap) with f(ρ) = ρ / (1 − ρ), times the stretch multiplier
    (docs/MODEL.md, Capacity). `cap` is overwritten. Steps that cannot change
    the result are skipped: the overload factor unless `overload` (no ρ' can
    reach the cap), × 1 when no row stretches.

    >>> p = KernelParams(0, 0, 0, 10, 0, 0.8, 0.95, 4.5, 1)
    >>> one = np.ones(1, dtype=F32)
    >>> kw = {"rho0w": 0.8 * one, "stretch": one, "params": p, "overload": True}
    >>> def q(cap):  # rounded, as float64
    ...     return _congestion(cap * one, kappa=one, **kw).astype(float).round(4)
    >>> q(1.0).tolist(), q(2.0).tolist()  # ρ' = ρ0, then f(0.4) / f(0.8)
    ([1.0], [0.1667])
    """
    rho = np.divide(rho0w, cap, out=cap)
    rc = F32(params.rho_cap)
    f0 = params.rho0 / (1 - params.rho0)
    qq = np.minimum(rho, rc) if overload else rho
    mult = 1 - qq
    np.divide(qq, mult, out=mult)
    mult /= F32(f0)
    mult -= 1
    mult *= kappa
    mult += 1
    if overload:
        mult *= np.maximum(1, rho / rc)
    if (stretch != 1).any():
        mult *= stretch
    return mult


def _ramp_mult(k: Kernel, mref: np.ndarray) -> np.ndarray:
    """Queue multiplier of the ramp rows given their months before the queue."""
    q = k.ramp
    cap = _ramp_capacity(mref, q.cap_change, k.params.ramp_months)
    return _congestion(
        cap,
        rho0w=q.rho0w,
        kappa=q.kappa,
        stretch=q.stretch,
        params=k.params,
        overload=q.overload,
    )


def run_chunk(
    k: Kernel,
    *,
    z_country: np.ndarray,
    z_sector: np.ndarray,
    e_dur: np.ndarray,
    e_cost: np.ndarray,
    tolerance: float,
    median: bool = True,
) -> dict[str, np.ndarray]:
    """Simulate one chunk; returns per-trial cell sums, spend and row durations.

    With `median=False`, "delay" (trials, active rows) replaces "median_delay".

    The noise arrays are overwritten (they are scratch space).

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
    z = e_dur
    z *= F32(np.sqrt(1 - p.country_share - p.sector_share))
    shared = z_country[:, k.unit_country] * F32(np.sqrt(p.country_share))
    shared += z_sector[:, k.unit_group] * F32(np.sqrt(p.sector_share))
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
    zc = e_cost
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
    delay = months + f.overrun_base
    scratch = np.empty_like(delay)  # scratch for the products below
    starts = k.starts
    on_time = delay <= F32(tolerance)
    sums = [np.add.reduceat(on_time, starts, axis=1, dtype=np.float32)]
    if any_cancel:
        sums[0] -= np.add.reduceat(
            on_time & (f.active == 0),
            starts,
            axis=1,
            dtype=np.float32,
        )
        sums.append(np.add.reduceat(delay * f.active, starts, axis=1))
    else:
        sums.append(np.add.reduceat(delay, starts, axis=1))
    sums.append(np.add.reduceat(ctc, starts, axis=1) + k.cells.spent)
    if any_cut or any_cancel:
        tmp = np.multiply(scope, f.remaining, out=scratch)
        sums.append(np.add.reduceat(tmp, starts, axis=1) + k.cells.spent)
        np.multiply(scope, f.budget_left, out=tmp)
        sums.append(np.add.reduceat(tmp, starts, axis=1) + k.cells.budget_progress)
    else:
        sums.append(np.broadcast_to(k.cells.planned_cost, sums[0].shape))
        sums.append(np.broadcast_to(k.cells.value, sums[0].shape))
    gap = np.subtract(ctc, f.avail, out=scratch)
    np.maximum(gap, 0, out=gap)
    sums.append(np.add.reduceat(gap, starts, axis=1))
    cells = np.empty((len(sums[0]), len(CELL_SUMS), sums[0].shape[1]))
    for i, x in enumerate(sums):
        cells[:, i] = x
    spend = _spend(k, months, ctc)
    if any_cancel:
        delay = delay[:, f.active > 0]
    out = {"cells": cells, "spend": spend, "months": months}
    if median:
        out["median_delay"] = _median(delay)
    else:
        out["delay"] = delay
    return out


def _condition_on_running(z: np.ndarray, k: Kernel) -> None:
    """Redraw, in place, the rows still running as if from T > elapsed.

    z' = Φ⁻¹(F0 + (1 − F0) Φ(z)) maps a standard normal to the same normal
    truncated below its threshold (probability F0), keeping the rank of every
    draw, so shared shocks stay shared and common random numbers stay common.
    """
    from scipy.special import ndtr, ndtri

    u = ndtr(z[:, k.trunc].astype(np.float64))
    u *= 1.0 - k.trunc_f0
    u += k.trunc_f0
    np.minimum(u, 1.0 - 1e-12, out=u)
    z[:, k.trunc] = ndtri(u)


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


def _spend(k: Kernel, months: np.ndarray, ctc: np.ndarray) -> np.ndarray:
    """Cumulative spend at each quarter end (trials, quarters), USD.

    Each row spends its cost to complete along the smoothstep S-curve
    G(τ) = 3τ² − 2τ³ of its whole life, continued from its current progress p
    (τ0 = G⁻¹(p)) to its simulated completion. The cumulative spend is a cubic
    in t until completion, so rows are binned by completion quarter and the
    cubic coefficients summed per bin.
    """
    f, nq = k.arrays, k.quarters
    # With r = 1/M the cubic's coefficients are CTC·k1·r, CTC·k2·r², CTC·k3·r³,
    # where k1..k3 depend on the row only (precomputed in build_kernel).
    r = np.maximum(months, F32(1e-3))
    np.reciprocal(r, out=r)
    u = ctc * r
    c1 = u * f.k1
    u *= r
    c2 = u * f.k2
    u *= r
    u *= f.k3
    nb = nq + 2
    j = months / F32(3)
    np.ceil(j, out=j)
    np.clip(j, 0, nq + 1, out=j)  # finished rows end before the data date
    # Offsets of each trial's bins, added in float32 (exact: integers below
    # 2**24, as trials × bins ≤ 100,000 × 42).
    j += np.arange(0, len(months) * nb, nb, dtype=F32)[:, None]
    j = j.astype(np.intp).ravel()
    size = len(months) * nb
    done, b1, b2, b3 = (
        np.bincount(j, x.ravel(), size).reshape(-1, nb) for x in (ctc, c1, c2, u)
    )
    # At quarter end t_q rows ending in bins ≤ q+1 are finished (their CTC is
    # spent); rows in later bins are on their cubic: Σ b1·t + b2·t² + b3·t³.
    t = 3.0 * np.arange(1, nq + 1)
    later = slice(2, nb)
    tail = [np.cumsum(b[:, ::-1], axis=1)[:, ::-1][:, later] for b in (b1, b2, b3)]
    ended = np.cumsum(done, axis=1)[:, 1 : nq + 1]
    return ended + t * (tail[0] + t * (tail[1] + t * tail[2]))
