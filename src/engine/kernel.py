"""Kernel build: the per-run precomputation `run_chunk` needs, and row slices.

`build_kernel` turns the float64 `Rows` into float32 row arrays, per-cell
totals, the queue's constant multipliers and ramp rows, and the rows to
condition on still running; `build_parts` cuts large portfolios into row
slices at cell starts. The hot loop is `src.engine.chunk.run_chunk`.
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass

import numpy as np

from src.engine.calibration import Calibration
from src.engine.inputs import Rows
from src.engine.queue import congestion
from src.engine.row_arrays import (
    CellTotals,
    KernelParams,
    RowArrays,
    cell_totals,
    row_arrays,
)

F32 = np.float32


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
        any_cut, any_cancel, any_stop: whether any row of the whole portfolio
            is cut, cancelled or closed by an "end" lever (a row slice takes the
            same branches as the whole, so slicing changes no formula).
        trunc, trunc_f0: running rows whose draw is conditioned on not having
            ended before the data date, and the probability mass below their
            threshold (float64); trunc_keep = 1 − trunc_f0.
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
    any_stop: bool
    trunc: np.ndarray
    trunc_f0: np.ndarray
    trunc_keep: np.ndarray


def _policy_rows(rows: Rows, policy: str) -> tuple[np.ndarray, np.ndarray]:
    """Rows stretched by the stretch policy, and rows whose scope is cut."""
    stretch_rows = (policy == "stretch") & (rows.funding < 1.0) & ~rows.cancelled
    return stretch_rows, (rows.funding < 1.0) & ~stretch_rows


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
    flags: tuple[bool, bool, bool] | None = None,
) -> Kernel:
    """Precompute float32 row arrays and scalar parameters for `run_chunk`.

    `flags` (any cut, cancelled, stopped) override the rows' own (row slices).
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
    f0 = ndtr(rows.trunc_z[trunc])
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
        arrays=row_arrays(rows, cut=cut, avail=avail, eps=eps),
        cells=cell_totals(rows, starts, eps),
        params=params,
        qconst=qconst,
        ramp=ramp,
        any_cut=bool(cut.any()) if flags is None else flags[0],
        any_cancel=bool(rows.cancelled.any()) if flags is None else flags[1],
        any_stop=bool(np.isfinite(rows.stop).any()) if flags is None else flags[2],
        trunc=trunc,
        trunc_f0=f0,
        trunc_keep=1.0 - f0,
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
    flags = (
        bool(_policy_rows(rows, policy)[1].any()),
        bool(rows.cancelled.any()),
        bool(np.isfinite(rows.stop).any()),
    )
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


MAX_RUNS = 64  # ramp rows are gathered by slices when in at most this many runs


def _queue_inputs(
    rows: Rows, params: KernelParams, affected: np.ndarray, stretch: np.ndarray
) -> tuple[np.ndarray | None, RampRows]:
    """Split the queue rows into constant-multiplier rows and ramp rows.

    Rows without a capacity gain have a multiplier that is constant over
    trials: it is computed here once, by the same `congestion` the ramp rows
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
        qconst[const] = congestion(
            cap,
            rho0w=F32(params.rho0) * rows.workload_ratio[const].astype(F32),
            kappa=rows.kappa[const].astype(F32),
            stretch=stretch[const].astype(F32),
            rho0=params.rho0,
            rho_cap=params.rho_cap,
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
