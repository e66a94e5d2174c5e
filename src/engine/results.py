"""Result assembly: per-trial sums and row durations into tidy DataFrames."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from src.engine.cells import GroupMeta
from src.engine.inputs import Rows
from src.engine.metrics import (
    METRICS,
    SimulationResult,
    per_trial,
    sorted_quantiles,
    summarise,
)
from src.engine.scenario import Scenario
from src.portfolio import schema as S


@dataclass(frozen=True)
class TrialSums:
    """What the chunk loop accumulates, per trial (trials first).

    Attributes:
        totals: (trials, len(CELL_SUMS)) portfolio sums.
        groups: (trials, groups, len(CELL_SUMS)) sums per group of every
            group_by column, in `GroupMeta` order.
        median_delay: (trials,) median delay of the active rows.
        spend: (trials, quarters) cumulative spend, USD.
        months: (rows, row trials) float32 months to completion of the first
            trials, or None (no per-row quantiles).
    """

    totals: np.ndarray
    groups: np.ndarray
    median_delay: np.ndarray
    spend: np.ndarray
    months: np.ndarray | None


def run_info(
    scenario: Scenario,
    rows: Rows,
    *,
    seed: int,
    trials: int,
    as_of: str,
    tolerance: float,
) -> dict[str, Any]:
    """The `info` dict of a run: settings and row counts (JSON-ready)."""
    return {
        "scenario": scenario.name,
        "token": scenario.to_token(),
        "seed": seed,
        "trials": trials,
        "as_of": as_of,
        "horizon_months": scenario.horizon_months,
        "budget_policy": scenario.budget_policy,
        "on_time_tolerance_months": tolerance,
        "rows": rows.n,
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


def assemble(
    frame: pd.DataFrame,
    order: np.ndarray,
    rows: Rows,
    sums: TrialSums,
    meta: list[GroupMeta],
    info: dict[str, Any],
) -> SimulationResult:
    """The `SimulationResult` of a run (rows back in input order)."""
    totals, gsums, median, spend, months = (
        sums.totals,
        sums.groups,
        sums.median_delay,
        sums.spend,
        sums.months,
    )
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
            every group_by column (see `cells.group_index`).
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


def _rows(
    frame: pd.DataFrame, order: np.ndarray, rows: Rows, months: np.ndarray | None
) -> pd.DataFrame:
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
