"""Public engine API: `run`, `compare`, `combine` (swings: `src.engine.sensitivity`).

Random numbers come in blocks of 8 trials, each from its own child of
`SeedSequence(seed)`, so a trial's draws depend only on the seed and its index:
results do not depend on the chunk size, and a baseline and a scenario run with
the same seed use identical draws (common random numbers).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from src.engine.calibration import GROUPS, Calibration, load_calibration
from src.engine.inputs import Rows, prepare, validate_portfolio
from src.engine.kernel import build_parts, run_parts
from src.engine.metrics import (
    CELL_SUMS,
    METRICS,
    Comparison,
    SimulationResult,
    per_trial,
    sorted_quantiles,
    summarise,
    trial_deltas,
)
from src.engine.scenario import Scenario
from src.portfolio import schema as S

BLOCK = 8  # trials per random-number stream
ROW_TRIALS = 256  # trials used for the per-row P10/P50/P90 (the first ones)
# Row-trials per chunk when chunk_size is 0 (auto): small enough that a chunk's
# float32 temporaries stay in the L2 cache (one block of 8 trials for 10k rows).
CHUNK_ELEMENTS = 131_072
# Larger portfolios are simulated in row slices of about this many rows (cut at
# cell boundaries; fixed, so results do not depend on the chunk size either).
SLICE_ROWS = CHUNK_ELEMENTS // BLOCK
DEFAULT_GROUP_BY = (S.COL_SECTOR_GROUP, S.COL_REGION, S.COL_COUNTRY)


def _cells(portfolio: pd.DataFrame, group_by: tuple[str, ...]):
    """Sort order putting rows of one cell together, and cell starts.

    Cells are the combinations of the default grouping columns present in the
    table (sector group, region, country) and any other `group_by` column, so a
    run grouped by any subset of the defaults (or not at all) sums the same
    cells in the same order and gives identical portfolio figures. Within a
    cell, rows are in canonical order (project id, country, input position).
    """
    missing = [c for c in group_by if c not in portfolio.columns]
    if missing:
        msg = f"group_by column(s) {missing} are not in the portfolio"
        raise ValueError(msg)
    key = [c for c in DEFAULT_GROUP_BY if c in portfolio.columns]
    key += [c for c in group_by if c not in key]
    codes = [
        pd.factorize(portfolio[c].astype(str).fillna(""), sort=True)[0] for c in key
    ]
    tie = [
        pd.factorize(portfolio[c].astype(str).fillna(""), sort=True)[0]
        for c in (S.COL_PROJECT_ID, S.COL_COUNTRY)
        if c in portfolio.columns
    ]
    order = np.lexsort([np.arange(len(portfolio)), *tie[::-1], *codes[::-1]])
    if not codes:
        return order, np.array([0])
    k = np.stack([c[order] for c in codes], axis=1)
    change = np.any(k[1:] != k[:-1], axis=1)
    return order, np.concatenate([[0], np.flatnonzero(change) + 1])


@dataclass(frozen=True)
class GroupMeta:
    """The groups of one group_by column.

    Attributes:
        column: the column. labels: group labels (object array, sorted).
        rows: rows per group. active: rows not cancelled per group (float).
        budget: budget per group (USD).
    """

    column: str
    labels: np.ndarray
    rows: np.ndarray
    active: np.ndarray
    budget: np.ndarray


def _group_index(
    frame: pd.DataFrame,
    rows: Rows,
    group_by: tuple[str, ...],
    starts: np.ndarray,
) -> tuple[list[GroupMeta], np.ndarray, np.ndarray]:
    """Groups of every group_by column, as segments of a permutation of cells.

    Returns:
        (meta, perm, gstarts): meta is one `GroupMeta` per column;
        `np.add.reduceat(cell_sums[:, perm], gstarts, axis=1)` gives the sums
        of every group of every column, in meta order.
    """
    cell_of_row = np.repeat(np.arange(len(starts)), np.diff([*starts, rows.n]))
    active = (~rows.cancelled).astype(float)
    meta, perms, gstarts = [], [], []
    offset = 0
    for col in group_by:
        labels = frame[col].astype(str).fillna("").to_numpy()
        codes, uniq = pd.factorize(labels[starts], sort=True)
        perm = np.argsort(codes, kind="stable")
        gstarts.append(offset + np.searchsorted(codes[perm], np.arange(len(uniq))))
        perms.append(perm)
        offset += len(perm)
        rcode = codes[cell_of_row]
        meta.append(
            GroupMeta(
                column=col,
                labels=np.asarray(uniq, dtype=object),
                rows=np.bincount(rcode, minlength=len(uniq)),
                active=np.bincount(rcode, active, len(uniq)),
                budget=np.bincount(rcode, rows.budget, len(uniq)),
            )
        )
    if not meta:
        return meta, np.zeros(0, np.intp), np.zeros(0, np.intp)
    return meta, np.concatenate(perms), np.concatenate(gstarts)


def _canonical_position(frame: pd.DataFrame) -> np.ndarray:
    """Rank of each row in the canonical order (project id, country, position).

    >>> f = pd.DataFrame({S.COL_PROJECT_ID: ["b", "a"], S.COL_COUNTRY: ["X", "Y"]})
    >>> _canonical_position(f).tolist()
    [1, 0]
    """
    keys = [
        frame[c].astype(str).fillna("").to_numpy()
        for c in (S.COL_PROJECT_ID, S.COL_COUNTRY)
        if c in frame.columns
    ]
    order = np.lexsort([np.arange(len(frame)), *keys[::-1]])
    pos = np.empty(len(frame), dtype=np.intp)
    pos[order] = np.arange(len(frame))
    return pos


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

    Returns:
        A `SimulationResult`.
    """
    validate_portfolio(portfolio)
    cal = calibration if calibration is not None else load_calibration()
    trials = scenario.trials if trials is None else int(trials)
    seed = scenario.seed if seed is None else int(seed)
    if trials < 1 or seed < 0:
        msg = f"trials must be ≥ 1 and seed ≥ 0, got {trials} and {seed}"
        raise ValueError(msg)
    tol = (
        cal.value("defaults.on_time_tolerance_months")
        if on_time_tolerance_months is None
        else float(on_time_tolerance_months)
    )
    order, starts = _cells(portfolio, tuple(group_by))
    frame = portfolio.iloc[order].reset_index(drop=True)
    # Random numbers are drawn per row in a canonical order (by project and
    # country, not by group_by or input order) and gathered into the cell
    # order, so a result depends only on the rows, the scenario, seed, trials.
    draw_pos = _canonical_position(frame)
    rows = prepare(frame, scenario, as_of=as_of, calibration=cal)
    quarters = math.ceil(scenario.horizon_months / 3)
    n = rows.n
    parts = build_parts(
        rows,
        cal=cal,
        policy=scenario.budget_policy,
        starts=starts,
        quarters=quarters,
        max_rows=SLICE_ROWS,
    )
    blocks_total = math.ceil(trials / BLOCK)
    if chunk_size > 0:
        per_chunk = math.ceil(chunk_size / BLOCK)
    else:
        per_chunk = max(1, CHUNK_ELEMENTS // (n * BLOCK))
    padded = blocks_total * BLOCK
    meta, gperm, gstarts = _group_index(frame, rows, tuple(group_by), starts)
    # Per-trial sums over the whole portfolio and over each group (cell sums
    # are reduced chunk by chunk: no trials × cells array is kept).
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
            z_country=zc,
            z_sector=zs,
            e_dur=ed,
            e_cost=ec,
            tolerance=tol,
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
    totals, gsums = totals[:trials], gsums[:trials]
    median, spend = median[:trials], spend[:trials]
    info = {
        "scenario": scenario.name,
        "token": scenario.to_token(),
        "seed": seed,
        "trials": trials,
        "as_of": as_of.isoformat(),
        "horizon_months": scenario.horizon_months,
        "budget_policy": scenario.budget_policy,
        "on_time_tolerance_months": tol,
        "rows": n,
        "cancelled_rows": int(rows.cancelled.sum()),
        "finished_rows": int(rows.finished.sum()),
        "extrapolated_rows": int(rows.extrapolated.sum()),
        "reference": scenario.reference,
        "reference_rows": {
            c: int((rows.reference_class == c).sum())
            for c in ("short", "blend", "long", "own", "reported")
        },
        "levers_on_finished": [
            {"lever": i, "finished": f, "targeted": t}
            for i, (f, t) in enumerate(rows.lever_rows_finished, start=1)
            if f
        ],
        "unabsorbed_budget_usd": float(rows.unabsorbed.sum()),
    }
    return _assemble(
        frame, order, rows, totals, gsums, meta, median, spend, months, info
    )


def _assemble(frame, order, rows, totals, gsums, meta, median, spend, months, info):
    active = ~rows.cancelled
    tot = per_trial(
        totals,
        n_rows=rows.n,
        n_active=float(active.sum()),
        budget=float(rows.budget.sum()),
    )
    tot["median_delay_months"] = median
    trials_df = pd.DataFrame({m: tot[m] for m in METRICS})
    quarterly = np.diff(spend, axis=1, prepend=0.0)
    nq = quarterly.shape[1]
    years = [quarterly[:, q : q + 4].sum(axis=1) for q in range(0, nq, 4)]
    for y, v in enumerate(years, start=1):
        trials_df[f"delivery_y{y}"] = v
    portfolio = pd.DataFrame(
        [
            {"metric": m, "label": lab, "unit": unit, **summarise(tot[m])}
            for m, (lab, unit) in METRICS.items()
        ]
    )
    delivery = pd.DataFrame(
        [
            {"year": y, "start_month": 12 * (y - 1), "end_month": min(12 * y, 3 * nq)}
            | summarise(v)
            for y, v in enumerate(years, start=1)
        ]
    )
    qdf = pd.DataFrame(
        [
            {"quarter": q + 1, "end_month": 3 * (q + 1)} | summarise(quarterly[:, q])
            for q in range(nq)
        ]
    )
    groups = _groups(gsums, meta)
    row_df = _rows(frame, order, rows, months)
    return SimulationResult(portfolio, groups, row_df, delivery, qdf, trials_df, info)


def _groups(gsums: np.ndarray, meta: list[GroupMeta]) -> pd.DataFrame:
    """Tidy per-group summaries, built as one array and one DataFrame.

    Args:
        gsums: (trials, groups, len(CELL_SUMS)) per-trial sums of every group of
            every group_by column (see `_group_index`).
        meta: one `GroupMeta` per group_by column.
    """
    cols = ["dimension", "group", "rows", "budget_usd", "metric"]
    cols += ["p10", "p50", "p90", "mean"]
    if not meta:
        return pd.DataFrame(columns=cols)
    n_rows = np.concatenate([m.rows for m in meta])
    budget = np.concatenate([m.budget for m in meta])
    n_act = np.concatenate([m.active for m in meta])
    per = per_trial(gsums, n_rows=n_rows, n_active=n_act, budget=budget)
    names = list(per)
    values = np.stack(list(per.values()))  # (metrics, trials, groups)
    # NaN only where a group has no active rows or no budget (all trials)
    mean = values.mean(axis=1).ravel()
    # Sort along contiguous memory: (metrics × groups, trials).
    values = np.ascontiguousarray(values.transpose(0, 2, 1)).reshape(-1, len(values[0]))
    values.sort(axis=1)
    q = sorted_quantiles(values.T)
    k = len(names)
    out = pd.DataFrame(
        {
            "dimension": np.tile(
                np.concatenate(
                    [np.full(len(m.labels), m.column, dtype=object) for m in meta]
                ),
                k,
            ),
            "group": np.tile(np.concatenate([m.labels for m in meta]), k),
            "rows": np.tile(n_rows, k),
            "budget_usd": np.tile(budget, k),
            "metric": np.repeat(np.array(names, dtype=object), len(n_rows)),
            "p10": q[0],
            "p50": q[1],
            "p90": q[2],
            "mean": mean,
        }
    )
    order = {k: i for i, k in enumerate(METRICS)}
    return out.sort_values(
        ["dimension", "group", "metric"],
        key=lambda x: x.map(order) if x.name == "metric" else x,
        ignore_index=True,
        kind="stable",
    )


def _rows(frame, order, rows, months) -> pd.DataFrame:
    df = pd.DataFrame(
        {
            S.COL_PROJECT_ID: frame[S.COL_PROJECT_ID].to_numpy(),
            S.COL_COUNTRY: frame[S.COL_COUNTRY].to_numpy(),
            S.COL_SECTOR_GROUP: frame[S.COL_SECTOR_GROUP].to_numpy(),
            "planned_months": rows.planned,
            "cancelled": rows.cancelled,
            "finished": rows.finished,
            "reference_class": rows.reference_class,
            "short_class_weight": rows.short_weight,
        }
    )
    if months is not None:
        months.sort(axis=1)  # scratch (rows, trials): sorted, then interpolated
        q = sorted_quantiles(months.T).astype(float)
        q[:, rows.cancelled] = np.nan
        for name, v in zip(("p10", "p50", "p90"), q, strict=True):
            df[f"delay_{name}"] = rows.elapsed + v - rows.planned
            df[f"ratio_{name}"] = (rows.elapsed + v) / rows.planned
        df["completion_p50_months"] = q[1]
    inverse = np.empty_like(order)
    inverse[order] = np.arange(len(order))
    return df.iloc[inverse].reset_index(drop=True)


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
