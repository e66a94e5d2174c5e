"""Public engine API: `run`, `compare`, `combine` (swings: `src.engine.sensitivity`).

Random numbers come in blocks of 8 trials, each from its own child of
`SeedSequence(seed)`, so a trial's draws depend only on the seed and its index:
results do not depend on the chunk size, and a baseline and a scenario run with
the same seed use identical draws (common random numbers).
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd

from src.engine.calibration import GROUPS, Calibration, load_calibration
from src.engine.cells import (
    DEFAULT_GROUP_BY,
    canonical_position,
    cell_order,
    group_index,
)
from src.engine.chunk import Draws, run_parts
from src.engine.inputs import Rows, prepare, validate_portfolio
from src.engine.kernel import Kernel, build_parts
from src.engine.metrics import (
    CELL_SUMS,
    Comparison,
    SimulationResult,
    summarise,
    trial_deltas,
)
from src.engine.results import TrialSums, assemble, run_info
from src.engine.scenario import Scenario
from src.engine.work_limits import Check, RunSizeError

BLOCK = 8  # trials per random-number stream
ROW_TRIALS = 256  # trials used for the per-row P10/P50/P90 (the first ones)
# Row-trials per chunk when chunk_size is 0 (auto): small enough that a chunk's
# float32 temporaries stay in the L2 cache (one block of 8 trials for 10k rows).
CHUNK_ELEMENTS = 131_072
# Larger portfolios are simulated in row slices of about this many rows (cut at
# cell boundaries; fixed, so results do not depend on the chunk size either).
SLICE_ROWS = CHUNK_ELEMENTS // BLOCK
# Bounded work per request: rows × trials of one run (100,000 rows × 2,000 trials,
# about 15 s and 1 GB on one core of this machine; the bundled data at 2,000
# trials is 2M; a 1.1M-row dataset at 2,000 trials, 2.2 billion, is refused).
MAX_ROW_TRIALS = 200_000_000


def check_run_size(rows: int, trials: int) -> None:
    """Refuse a run above MAX_ROW_TRIALS, saying how many trials would fit.

    >>> check_run_size(1_000_000, 2_000)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    src.engine.work_limits.RunSizeError: 1,000,000 rows × 2,000 trials ... 200 ...
    """
    if rows * trials > MAX_ROW_TRIALS:
        raise RunSizeError(rows, trials, MAX_ROW_TRIALS)


def _draw(seed: int, first_block: int, n_blocks: int, shapes: list[tuple[int, ...]]):
    """Standard normals (float32) for `n_blocks` blocks, one stream per block."""
    out = [np.empty((n_blocks * BLOCK, *s), dtype=np.float32) for s in shapes]
    for b in range(n_blocks):
        # Same stream as SeedSequence(seed).spawn(...)[first_block + b].
        rng = np.random.default_rng(
            np.random.SeedSequence(seed, spawn_key=(first_block + b,))
        )
        for arr in out:
            rng.standard_normal(dtype=np.float32, out=arr[b * BLOCK : (b + 1) * BLOCK])
    return out


def run(
    portfolio: pd.DataFrame,
    scenario: Scenario,
    *,
    as_of: date,
    calibration: Calibration | None = None,
    trials: int | None = None,
    seed: int | None = None,
    chunk_size: int = 0,
    group_by: tuple[str, ...] = DEFAULT_GROUP_BY,
    on_time_tolerance_months: float | None = None,
    row_quantiles: bool = True,
    check: Check | None = None,
) -> SimulationResult:
    """Simulate the portfolio under a scenario.

    Args:
        portfolio: canonical portfolio table (src.portfolio.schema columns).
        scenario: levers and settings; `trials`/`seed` override its values.
        as_of: the data date; remaining time and horizon start here.
        calibration: model parameters (default: the bundled calibration file).
        trials: number of Monte Carlo trials.
        seed: root seed.
        chunk_size: trials per chunk (rounded up to a multiple of 8); 0 picks
            about 131,000 row-trials per chunk (portfolios over 16,384 rows also
            run in row slices). Results do not depend on it.
        group_by: columns for the per-group metrics.
        on_time_tolerance_months: months after the planned end still counted as
            on time (default: the calibration's reporting convention, 6).
        row_quantiles: compute per-row P10/P50/P90 delay and duration ratio,
            from the first 256 trials (enough for a per-project table; keeps
            memory at rows × 256 float32).
        check: called after each chunk with (trials done, trials); it may
            raise to stop the run there (a `work_limits.Deadline`, or the
            app's session check), so no run outlives its limit or its session
            by more than one chunk.

    Returns:
        A `SimulationResult`.

    Raises:
        RunTimeoutError: `check` is a `Deadline` and the time ran out.
    """
    validate_portfolio(portfolio)
    cal = calibration if calibration is not None else load_calibration()
    trials = scenario.trials if trials is None else int(trials)
    seed = scenario.seed if seed is None else int(seed)
    if trials < 1 or seed < 0:
        msg = f"trials must be ≥ 1 and seed ≥ 0, got {trials} and {seed}"
        raise ValueError(msg)
    check_run_size(len(portfolio), trials)
    tol = cal.value("defaults.on_time_tolerance_months")
    if on_time_tolerance_months is not None:
        tol = float(on_time_tolerance_months)
    order, starts = cell_order(portfolio, tuple(group_by))
    frame = portfolio.iloc[order].reset_index(drop=True)
    rows = prepare(frame, scenario, as_of=as_of, calibration=cal)
    parts = build_parts(
        rows,
        cal=cal,
        policy=scenario.budget_policy,
        starts=starts,
        quarters=math.ceil(scenario.horizon_months / 3),
        max_rows=SLICE_ROWS,
    )
    meta, gperm, gstarts = group_index(frame, rows, tuple(group_by), starts)
    sums = _simulate(
        parts,
        rows,
        # Random numbers are drawn per row in a canonical order (by project and
        # country, not by group_by or input order) and gathered into the cell
        # order, so a result depends only on the rows, the scenario, seed, trials.
        draw_pos=canonical_position(frame),
        groups=(gperm, gstarts),
        seed=seed,
        trials=trials,
        chunk_size=chunk_size,
        tolerance=tol,
        row_quantiles=row_quantiles,
        check=check,
    )
    info = run_info(
        scenario, rows, seed=seed, trials=trials, as_of=as_of.isoformat(), tolerance=tol
    )
    return assemble(frame, order, rows, sums, meta, info)


def _simulate(
    parts: list[tuple[int, int, Kernel]],
    rows: Rows,
    *,
    draw_pos: np.ndarray,
    groups: tuple[np.ndarray, np.ndarray],
    seed: int,
    trials: int,
    chunk_size: int,
    tolerance: float,
    row_quantiles: bool,
    check: Check | None = None,
) -> TrialSums:
    """Run the kernel chunk by chunk and accumulate the per-trial sums.

    Cell sums are reduced chunk by chunk to the portfolio and to the groups
    (`groups` = (cell permutation, group starts) of `cells.group_index`): no
    trials × cells array is kept.
    """
    n = rows.n
    quarters = parts[0][2].quarters
    gperm, gstarts = groups
    blocks_total = math.ceil(trials / BLOCK)
    if chunk_size > 0:
        per_chunk = math.ceil(chunk_size / BLOCK)
    else:
        per_chunk = max(1, CHUNK_ELEMENTS // (n * BLOCK))
    padded = blocks_total * BLOCK
    totals = np.empty((padded, len(CELL_SUMS)))
    gsums = np.empty((padded, len(gstarts), len(CELL_SUMS)))
    median = np.empty(padded)
    spend = np.empty((padded, quarters))
    row_trials = min(trials, ROW_TRIALS)
    # Row durations of the first trials, stored row-major (rows, trials) so
    # that the per-row sort runs along contiguous memory.
    months = np.empty((n, row_trials), dtype=np.float32) if row_quantiles else None
    shapes = [(rows.n_countries,), (len(GROUPS),), (n,), (n,)]
    for b0 in range(0, blocks_total, per_chunk):
        nb = min(per_chunk, blocks_total - b0)
        zc, zs, ed, ec = _draw(seed, b0, nb, shapes)
        ed, ec = np.take(ed, draw_pos, axis=1), np.take(ec, draw_pos, axis=1)
        sl = slice(b0 * BLOCK, (b0 + nb) * BLOCK)
        out = run_parts(
            parts,
            Draws(zc, zs, ed, ec),
            tolerance=tolerance,
            keep_months=months is not None and sl.start < row_trials,
        )
        cells = out["cells"]  # (trials, sums, cells)
        totals[sl] = cells.sum(axis=2)
        if len(gstarts):
            grouped = np.add.reduceat(np.take(cells, gperm, axis=2), gstarts, axis=2)
            gsums[sl] = grouped.transpose(0, 2, 1)
        median[sl], spend[sl] = out["median_delay"], out["spend"]
        if months is not None and sl.start < row_trials:
            take = min(row_trials, sl.stop) - sl.start
            months[:, sl.start : sl.start + take] = out["months"][:take].T
        if check is not None:
            check(min(sl.stop, trials), trials)
    return TrialSums(
        totals=totals[:trials],
        groups=gsums[:trials],
        median_delay=median[:trials],
        spend=spend[:trials],
        months=months,
    )


def compare(
    portfolio: pd.DataFrame,
    baseline: Scenario,
    scenario: Scenario,
    *,
    as_of: date,
    calibration: Calibration | None = None,
    trials: int | None = None,
    seed: int | None = None,
    **kwargs,
) -> Comparison:
    """Baseline vs scenario with common random numbers (the baseline's seed).

    Extra keyword arguments go to `run`. Differences are taken trial by trial.
    """
    trials = baseline.trials if trials is None else trials
    seed = baseline.seed if seed is None else seed
    common = {
        "as_of": as_of,
        "calibration": calibration,
        "trials": trials,
        "seed": seed,
    }
    base = run(portfolio, baseline, **common, **kwargs)
    scen = run(portfolio, scenario, **common, **kwargs)
    return combine(base, scen)


def combine(baseline: SimulationResult, scenario: SimulationResult) -> Comparison:
    """A Comparison from two runs made with the same seed and trials (CRN).

    `compare` uses it; a UI can also cache the baseline and scenario runs
    separately and combine them.
    """
    if baseline.info.get("seed") != scenario.info.get("seed") or len(
        baseline.trials
    ) != len(scenario.trials):
        msg = "baseline and scenario must share seed and trial count to be compared"
        raise ValueError(msg)
    deltas = trial_deltas(baseline.trials, scenario.trials)
    years = [c for c in baseline.trials.columns if c.startswith("delivery_y")]
    delivery = pd.DataFrame(
        [
            {"year": int(c[len("delivery_y") :])}
            | summarise(scenario.trials[c].to_numpy() - baseline.trials[c].to_numpy())
            for c in years
        ]
    )
    return Comparison(baseline, scenario, deltas, delivery)
