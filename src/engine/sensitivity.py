"""What moves a result, and whether a scenario's conclusion depends on assumptions.

* `sensitivity`: one-at-a-time swings of a metric's P50 (a tornado chart):
  each lever by ± half its size, each parameter with a plausible range between
  its low and high (`Calibration.ranges`).
* `assumption_ranges`: a scenario's difference from its baseline re-run with the
  same draws at the low and at the high value of each key assumption (queue
  share, utilisation, ramp-up, descope elasticity, stretch cost), one at a time;
  `robustness` says per metric whether the sign of the change holds under every
  plausible assumption, or which assumptions can flip it.

Results are tidy tables with the inputs as columns (no structure in labels).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from src.engine.calibration import Calibration, load_calibration
from src.engine.metrics import METRICS
from src.engine.montecarlo import compare, run
from src.engine.scenario import LEVER_RANGES, Lever, Scenario
from src.engine.work_limits import Check, Stages

SWING_COLUMNS = (
    "factor_kind", "lever_kind", "target", "parameter", "setting",
    "metric", "base", "low", "high", "swing",
)  # fmt: skip
DEFAULT_SWING_LEVERS = (Lever("budget", -20.0), Lever("capacity", 20.0))


def _target(lever: Lever) -> str:
    """The lever's target values ("" for the whole portfolio)."""
    keys = ("sectors", "regions", "countries", "agencies")
    parts = [", ".join(getattr(lever, k)) for k in keys if getattr(lever, k)]
    if lever.projects:
        parts.append(f"{len(lever.projects)} project(s)")
    return "; ".join(parts)


def _swing_levers(scenario: Scenario) -> list[tuple[Lever, Scenario, Scenario, str]]:
    out = []
    levers = scenario.levers or DEFAULT_SWING_LEVERS
    for i, lv in enumerate(levers):
        lo_hi = LEVER_RANGES[lv.kind][:2]
        size = abs(lv.change) if lv.change else 20.0

        def variant(ch: float, i: int = i, lv: Lever = lv, lo_hi=lo_hi):
            ch = float(np.clip(ch, *lo_hi))
            new = dataclasses.replace(lv, change=ch)
            base = list(scenario.levers) if scenario.levers else [new]
            base[i if scenario.levers else 0] = new
            return scenario.with_changes(levers=tuple(base)), ch

        (lo, lo_ch), (hi, hi_ch) = (
            variant(lv.change - size / 2),
            variant(lv.change + size / 2),
        )
        out.append((lv, lo, hi, f"{lo_ch:g} / {hi_ch:g}"))
    return out


def sensitivity(
    portfolio: pd.DataFrame,
    scenario: Scenario,
    *,
    as_of: date,
    calibration: Calibration | None = None,
    metric: str = "on_time_rate",
    trials: int | None = 200,
    seed: int | None = None,
    check: Check | None = None,
    **kwargs,
) -> pd.DataFrame:
    """One-at-a-time swings of the P50 of `metric` (for a tornado chart).

    Levers are moved by ± half their size (clipped to the valid range; without
    levers, budget −20% ± 10 and capacity +20% ± 10 on the whole portfolio) and
    every parameter with a range between its low and high values. All runs share
    the seed (common random numbers). `check` bounds the runs together (a
    `work_limits.Stages`: one time limit for the whole analysis).

    Returns:
        `SWING_COLUMNS`: factor_kind ("lever" / "parameter"), lever_kind (budget,
        capacity, risk; "" for parameters), target (the lever's target values,
        "" for the whole portfolio or a parameter), parameter (dotted name, ""
        for levers), setting ("low / high"), metric, base, low, high, swing
        (|high − low|); sorted by swing, largest first.
    """
    if metric not in METRICS:
        msg = f"unknown metric {metric!r}; choose from {list(METRICS)}"
        raise ValueError(msg)
    cal = calibration if calibration is not None else load_calibration()
    swings, ranges = _swing_levers(scenario), cal.ranges()
    opts = {"as_of": as_of, "trials": trials, "seed": seed, "row_quantiles": False}
    opts |= kwargs | _staged(check, 1 + 2 * len(swings) + 2 * len(ranges))

    def p50(scen: Scenario, c: Calibration) -> float:
        return run(portfolio, scen, calibration=c, **opts).headline(metric)

    base = p50(scenario, cal)
    out = []
    for lv, lo, hi, setting in swings:
        out.append(
            ("lever", lv.kind, _target(lv), "", setting, p50(lo, cal), p50(hi, cal))
        )
    for name, (lo_v, hi_v) in ranges.items():
        key = name.replace(".", "__")
        low = p50(scenario, cal.with_values(**{key: lo_v}))
        high = p50(scenario, cal.with_values(**{key: hi_v}))
        out.append(("parameter", "", "", name, f"{lo_v:g} / {hi_v:g}", low, high))
    cols = ["factor_kind", "lever_kind", "target", "parameter", "setting"]
    df = pd.DataFrame(out, columns=[*cols, "low", "high"])
    df.insert(5, "metric", metric)
    df.insert(6, "base", base)
    df["swing"] = (df["high"] - df["low"]).abs()
    return df.sort_values("swing", ascending=False, ignore_index=True)


def assumption_ranges(
    portfolio: pd.DataFrame,
    scenario: Scenario,
    *,
    as_of: date,
    calibration: Calibration | None = None,
    trials: int | None = None,
    check: Check | None = None,
    **kwargs,
) -> pd.DataFrame:
    """The scenario's change from baseline at each end of each key assumption.

    Baseline and scenario are re-run with the same draws (the scenario's seed)
    at the low and at the high value of one assumption at a time; `check`
    bounds all these runs together (as in `sensitivity`).

    Returns:
        Tidy rows: parameter ("" for the calibration as it is), setting
        ("as fitted" / "low" / "high"), value, metric, delta_p50, delta_p10,
        delta_p90 (the P10–P90 of the trial-by-trial change).
    """
    cal = calibration if calibration is not None else load_calibration()
    runs = [("", "as fitted", float("nan"), cal)]
    for name, (lo, hi) in cal.ranges(key_only=True).items():
        key = name.replace(".", "__")
        runs.append((name, "low", lo, cal.with_values(**{key: lo})))
        runs.append((name, "high", hi, cal.with_values(**{key: hi})))
    opts = {"as_of": as_of, "trials": trials, "row_quantiles": False} | kwargs
    opts |= _staged(check, 2 * len(runs))  # a baseline and a scenario each
    rows = []
    for name, setting, value, c in runs:
        comp = compare(portfolio, scenario.baseline(), scenario, calibration=c, **opts)
        for rec in comp.deltas.itertuples():
            rows.append(
                {
                    "parameter": name,
                    "setting": setting,
                    "value": value,
                    "metric": rec.metric,
                    "delta_p50": rec.p50,
                    "delta_p10": rec.p10,
                    "delta_p90": rec.p90,
                }
            )
    return pd.DataFrame(rows)


def _staged(check: Check | None, runs: int) -> dict[str, Check]:
    """The `check` keyword of each of `runs` runs bounded together ({} if none)."""
    return {} if check is None else {"check": Stages(check, runs)}


@dataclass(frozen=True)
class Robustness:
    """Whether one metric's change keeps its direction under the assumptions.

    Attributes:
        metric: the metric.
        delta: P50 of the change with the calibration as it is.
        low, high: the smallest and largest P50 change over the assumption runs.
        holds: the sign of the change is the same in every run (and not zero).
        flipped_by: assumptions whose low or high value changes the sign.
        luck: P10–P90 of the change over trials (as fitted).
    """

    metric: str
    delta: float
    low: float
    high: float
    holds: bool
    flipped_by: tuple[str, ...]
    luck: tuple[float, float]


def robustness(ranges: pd.DataFrame, *, tolerance: float = 1e-9) -> list[Robustness]:
    """Per metric: range of the change over assumptions and whether it holds.

    >>> df = pd.DataFrame({"parameter": ["", "a", "a"], "setting":
    ...     ["as fitted", "low", "high"], "value": [0, 1, 2], "metric": "m",
    ...     "delta_p50": [1.0, 0.5, -0.2], "delta_p10": 0.0, "delta_p90": 2.0})
    >>> r = robustness(df)[0]
    >>> (r.holds, r.flipped_by, r.low, r.high)
    (False, ('a',), -0.2, 1.0)
    """
    out = []
    for metric, part in ranges.groupby("metric", sort=False):
        fitted = part[part["setting"] == "as fitted"].iloc[0]
        delta = float(fitted["delta_p50"])
        sign = np.sign(delta) if abs(delta) > tolerance else 0.0
        d = part["delta_p50"].to_numpy(float)
        signs = np.where(np.abs(d) > tolerance, np.sign(d), 0.0)
        flips = part[(signs != sign) & (part["parameter"] != "")]
        out.append(
            Robustness(
                metric=str(metric),
                delta=delta,
                low=float(part["delta_p50"].min()),
                high=float(part["delta_p50"].max()),
                holds=bool(sign != 0 and (signs == sign).all()),
                flipped_by=tuple(dict.fromkeys(flips["parameter"])),
                luck=(float(fitted["delta_p10"]), float(fitted["delta_p90"])),
            )
        )
    return out
