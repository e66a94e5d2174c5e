"""Numbers behind the plain-language summary of a scenario (no wording here).

The UI turns a `ChangeSummary` into a translated sentence such as "Cutting Health
budgets by 20% delays 14 of 38 projects by a median 5 months and leaves US$12M of
planned outputs undelivered (range 9–16M)". Keeping the arithmetic here makes the
sentence testable against the engine's own results.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from src.engine.levers import lever_mask
from src.engine.metrics import Comparison
from src.engine.scenario import Scenario
from src.portfolio import schema as S

# A row counts as "delayed by the scenario" when its median delay grows by more
# than this many months (half a month: below the resolution users care about).
DELAY_THRESHOLD_MONTHS = 0.5


@dataclass(frozen=True)
class ChangeSummary:
    """What a scenario changes, in numbers.

    Attributes:
        targeted: running projects (distinct ids) touched by at least one lever
            (finished projects are never changed by a lever).
        delayed: of those, projects whose median delay grows by more than
            DELAY_THRESHOLD_MONTHS.
        median_extra_delay: median growth of the median delay among the delayed
            projects (months; 0 when none).
        advanced: of the targeted, projects whose median delay shrinks by more
            than DELAY_THRESHOLD_MONTHS (an improvement).
        median_time_saved: median shrinkage among them (months, positive).
        value_change_p50/p10/p90: change in budget-weighted delivered value (USD;
            negative = planned outputs not delivered), P50 and P10–P90 of the
            per-trial difference.
        on_time_change: change in the on-time rate (P50 of the difference).
    """

    targeted: int
    delayed: int
    median_extra_delay: float
    advanced: int
    median_time_saved: float
    value_change_p50: float
    value_change_p10: float
    value_change_p90: float
    on_time_change: float


def targeted_rows(portfolio: pd.DataFrame, scenario: Scenario) -> np.ndarray:
    """Rows touched by any lever (all rows when the scenario has none)."""
    if not scenario.levers:
        return np.zeros(len(portfolio), dtype=bool)
    mask = np.zeros(len(portfolio), dtype=bool)
    for lever in scenario.levers:
        mask |= lever_mask(portfolio, lever)
    return mask


def change_summary(
    portfolio: pd.DataFrame, scenario: Scenario, comparison: Comparison
) -> ChangeSummary:
    """Summarise a comparison run on `portfolio` for the scenario's levers."""
    mask = targeted_rows(portfolio, scenario)
    rows = comparison.scenario.rows
    if "finished" in rows.columns:
        mask &= ~rows["finished"].to_numpy(bool)
    base = comparison.baseline.rows["delay_p50"].to_numpy()
    scen = rows["delay_p50"].to_numpy()
    extra = scen - base
    delayed = mask & (extra > DELAY_THRESHOLD_MONTHS)
    advanced = mask & (extra < -DELAY_THRESHOLD_MONTHS)
    ids = portfolio[S.COL_PROJECT_ID].to_numpy()
    deltas = comparison.deltas.set_index("metric")
    value = deltas.loc["delivered_value_usd"]
    return ChangeSummary(
        targeted=len(set(ids[mask])),
        delayed=len(set(ids[delayed])),
        median_extra_delay=float(np.median(extra[delayed])) if delayed.any() else 0.0,
        advanced=len(set(ids[advanced])),
        median_time_saved=(
            float(-np.median(extra[advanced])) if advanced.any() else 0.0
        ),
        value_change_p50=float(value["p50"]),
        value_change_p10=float(value["p10"]),
        value_change_p90=float(value["p90"]),
        on_time_change=float(deltas.loc["on_time_rate", "p50"]),
    )
