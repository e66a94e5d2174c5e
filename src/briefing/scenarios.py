"""Scenario results for the pack, as plain data (so slides need no engine objects).

`ScenarioResult` holds what a results slide shows: baseline and scenario
P10/P50/P90 per metric, delivery per year for the fan chart, and the run
settings. `run_scenario` fills it from the engine (`src.engine.montecarlo.compare`)
with the baseline and the scenario sharing their random draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from src.i18n import translate
from src.presentation.metrics import METRIC_KINDS, format_metric

# metric -> how its values read ("share", "months", "pct", "usd"), display order.
METRIC_COLUMNS = (
    "metric",
    "baseline_p10",
    "baseline_p50",
    "baseline_p90",
    "scenario_p10",
    "scenario_p50",
    "scenario_p90",
    "delta_p50",
)


@dataclass(frozen=True)
class ScenarioResult:
    """One scenario against the baseline, ready for a slide.

    Attributes:
        name: the scenario's display name.
        metrics: one row per metric with columns METRIC_COLUMNS (raw numbers;
            `delta_p50` is the P50 of the trial-by-trial difference).
        delivery: columns series ("baseline" / "scenario"), year, p10, p50, p90
            (USD spent in each year of the horizon).
        info: run settings: trials, seed, horizon_months, budget_policy, levers
            (list of short English lever descriptions).
    """

    name: str
    metrics: pd.DataFrame
    delivery: pd.DataFrame
    info: dict[str, Any] = field(default_factory=dict)


def from_comparison(comparison: Any, name: str) -> ScenarioResult:
    """A ScenarioResult from an engine `Comparison` (src.engine.metrics)."""
    base = comparison.baseline.portfolio.set_index("metric")
    scen = comparison.scenario.portfolio.set_index("metric")
    deltas = comparison.deltas.set_index("metric")
    rows = []
    for metric in METRIC_KINDS:
        if metric not in base.index:
            continue
        rows.append(
            {
                "metric": metric,
                **{f"baseline_{q}": float(base.loc[metric, q]) for q in _Q},
                **{f"scenario_{q}": float(scen.loc[metric, q]) for q in _Q},
                "delta_p50": float(deltas.loc[metric, "p50"]),
            }
        )
    delivery = pd.concat(
        [
            comparison.baseline.delivery.assign(series="baseline"),
            comparison.scenario.delivery.assign(series="scenario"),
        ],
        ignore_index=True,
    )[["series", "year", "p10", "p50", "p90"]]
    info = comparison.scenario.info
    return ScenarioResult(
        name=name,
        metrics=pd.DataFrame(rows, columns=list(METRIC_COLUMNS)),
        delivery=delivery,
        info={
            "trials": info.get("trials"),
            "seed": info.get("seed"),
            "horizon_months": info.get("horizon_months"),
            "budget_policy": info.get("budget_policy"),
            "levers": list(info.get("levers", [])),
        },
    )


_Q = ("p10", "p50", "p90")


def run_scenario(
    selection: pd.DataFrame,
    scenario: Any,
    *,
    as_of: str,
    trials: int | None = None,
    filters: Any = None,
) -> ScenarioResult:
    """Simulate `scenario` and its baseline on the selected rows.

    Args:
        selection: the filtered portfolio (canonical columns).
        scenario: a src.engine.scenario.Scenario.
        as_of: the data date (ISO).
        trials: override the scenario's number of trials.
        filters: the `FilterSpec` that made `selection`; when the scenario was
            saved on other filters, `info["saved_filters"]` records them so the
            slide can say it is re-run on this selection.

    Returns:
        The ScenarioResult; the baseline uses the scenario's horizon, trials,
        seed and budget policy with no levers (common random numbers).
    """
    from src.engine.montecarlo import compare
    from src.engine.scenario import LEVER_UNITS
    from src.portfolio.filters import FilterSpec

    comparison = compare(
        selection,
        scenario.baseline(),
        scenario,
        as_of=date.fromisoformat(as_of[:10]),
        trials=trials,
        row_quantiles=False,
        group_by=(),
    )
    result = from_comparison(comparison, scenario.name)
    levers = [
        f"{lv.kind} {lv.change:+g}"
        f"{'' if lv.kind == 'risk' else LEVER_UNITS.get(lv.kind, '%')} "
        f"({lv.target_label()})"
        for lv in scenario.levers
    ]
    info = {**result.info, "levers": levers}
    saved = getattr(scenario, "filters", None)
    if saved and FilterSpec.from_dict(saved) != (filters or FilterSpec()):
        info["saved_filters"] = dict(saved)
    return ScenarioResult(result.name, result.metrics, result.delivery, info)


def as_scenario(stored: Any, name: str) -> Any:
    """A Scenario from what the store returns (Scenario, dict or JSON text)."""
    from src.engine.scenario import Scenario

    if isinstance(stored, Scenario):
        return stored
    if isinstance(stored, dict):
        return Scenario.from_dict(stored)
    if isinstance(stored, str | bytes):
        return Scenario.from_json(
            stored if isinstance(stored, str) else stored.decode()
        )
    msg = f"scenario {name!r}: unexpected stored value {type(stored).__name__}"
    raise ValueError(msg)


def summary_sentence(result: ScenarioResult, lang: str) -> str:
    """One plain-language sentence on the scenario's effect (P50 with P10–P90)."""
    m = result.metrics.set_index("metric")

    def fmt(metric: str, column: str) -> str:
        if metric not in m.index:
            return "–"
        return format_metric(metric, float(m.loc[metric, column]), lang)

    gap = "funding_gap_usd"
    return translate(
        "brief.summary",
        lang,
        name=result.name,
        on_time=fmt("on_time_rate", "scenario_p50"),
        low=fmt("on_time_rate", "scenario_p10"),
        high=fmt("on_time_rate", "scenario_p90"),
        on_time_base=fmt("on_time_rate", "baseline_p50"),
        scope=fmt("delivered_scope_share", "scenario_p50"),
        gap=fmt(gap, "scenario_p50"),
        gap_base=fmt(gap, "baseline_p50"),
    )
