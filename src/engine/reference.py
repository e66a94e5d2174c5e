"""Reference classes: the distribution of each project's duration ratio.

Two published classes, plus the user's own when fitted:

* **long** — ADB sovereign projects planned at 39–99 months (calibration
  parameters `schedule.*`, fitted by OLS with split-normal noise);
* **short** — 6–36-month grants and humanitarian projects from 69 IATI
  publishers (an AFT survival fit with censoring, `Calibration.classes["short"]`);
* **own** — the same survival fit on the organisation's closed projects.

The Monte Carlo kernel draws every row from a split normal in log ratio, so each
class's predictive distribution for a row is represented by the split normal with
the same P10, P50 and P90 (exact for the long class and a log-normal fit; for a
log-logistic or Weibull fit the tails beyond P10/P90 differ). Between 24 and 48
planned months the two published classes are blended smoothly: the weight of the
short class falls from 1 to 0 along a smoothstep in log planned months, and the
split-normal parameters are mixed with that weight, so a one-day change of plan
never jumps the result.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from src.engine.calibration import Calibration
from src.engine.calibration.records import covariate_frame
from src.engine.calibration.survival import AFTFit, std_cdf, std_quantile

Z90 = 1.2815515655446004
Z75 = 0.6744897501960817
BLEND_FROM_MONTHS = 24.0
BLEND_TO_MONTHS = 48.0
CLASS_LABELS = ("short", "blend", "long", "own", "reported")


@dataclass(frozen=True)
class SplitNormal:
    """log ratio = mu + z·(lo if z < 0 else hi), z standard normal (per row)."""

    mu: np.ndarray
    lo: np.ndarray
    hi: np.ndarray

    def log_quantile(self, p: float) -> np.ndarray:
        """Log of the p-quantile of the ratio."""
        z = float(std_quantile("lognormal", p))
        return self.mu + z * (self.hi if z > 0 else self.lo)

    def cdf(self, ratio: np.ndarray) -> np.ndarray:
        """P(ratio ≤ r) per row."""
        d = np.log(np.asarray(ratio, dtype=float)) - self.mu
        scale = np.where(d > 0, self.hi, self.lo)
        with np.errstate(divide="ignore", invalid="ignore"):
            u = np.where(scale > 0, d / scale, np.where(d >= 0, np.inf, -np.inf))
        return std_cdf("lognormal", u)


def short_weight(planned_months: np.ndarray) -> np.ndarray:
    """Weight of the short class: 1 up to 24 months, 0 from 48, smooth between.

    >>> [round(float(w), 3) for w in short_weight(np.array([12, 24, 33.94, 48, 60]))]
    [1.0, 1.0, 0.5, 0.0, 0.0]
    """
    lo, hi = np.log(BLEND_FROM_MONTHS), np.log(BLEND_TO_MONTHS)
    x = np.clip((np.log(np.asarray(planned_months, float)) - lo) / (hi - lo), 0, 1)
    return 1.0 - x * x * (3.0 - 2.0 * x)


def long_class(cal: Calibration, planned: np.ndarray, group: np.ndarray) -> SplitNormal:
    """The ADB class for rows with planned months and sector-group indices."""
    b = cal.value("schedule.b")
    lo_d = cal.value("schedule.planned_min_months")
    hi_d = cal.value("schedule.planned_max_months")
    mu = (
        cal.by_group("schedule.a")[group]
        + cal.by_group("schedule.shift")[group]
        + (b - 1.0) * np.log(np.clip(planned, lo_d, hi_d))
    )
    return SplitNormal(
        mu,
        cal.by_group("schedule.sigma_lo")[group],
        cal.by_group("schedule.sigma_hi")[group],
    )


def survival_class(
    entry: dict, covariates: pd.DataFrame, planned: np.ndarray
) -> SplitNormal:
    """A survival-fit class (short or own) as split normals matched at P10/50/90.

    Args:
        entry: the class entry of the calibration file (`fit`, `planned_range`,
            `kind_shares`).
        covariates: rows with humanitarian, kind and planned columns (see
            `records.covariate_frame`).
        planned: planned months per row (clipped to the class's range).
    """
    fit = AFTFit.from_dict(entry["fit"])
    lo_d, hi_d = entry["planned_range"]
    frame = covariates.assign(planned_m=np.clip(planned, lo_d, hi_d))
    x = covariate_frame(frame, entry.get("kind_shares"))
    q10, q50, q90 = (fit.log_quantile(x, p) for p in (0.1, 0.5, 0.9))
    return SplitNormal(q50, (q50 - q10) / Z90, (q90 - q50) / Z90)


def row_classes(
    cal: Calibration,
    *,
    planned: np.ndarray,
    group: np.ndarray,
    covariates: pd.DataFrame,
    use_own: bool = False,
) -> tuple[SplitNormal, np.ndarray]:
    """Each row's duration-ratio distribution and its short-class weight.

    With `use_own` (and an "own" class in the calibration) every row uses the
    user's own class (weight reported as NaN).
    """
    if use_own:
        if "own" not in cal.classes:
            msg = "no own reference class has been fitted for this dataset"
            raise ValueError(msg)
        own = survival_class(cal.classes["own"], covariates, planned)
        return own, np.full(len(planned), np.nan)
    long = long_class(cal, planned, group)
    if "short" not in cal.classes:
        return long, np.zeros(len(planned))
    short = survival_class(cal.classes["short"], covariates, planned)
    w = short_weight(planned)
    mix = SplitNormal(
        *(
            w * getattr(short, k) + (1 - w) * getattr(long, k)
            for k in ("mu", "lo", "hi")
        )
    )
    return mix, w


def class_labels(weight: np.ndarray, finished: np.ndarray) -> np.ndarray:
    """Class of each row: short, blend, long, own (weight NaN) or reported."""
    label = np.where(
        np.isnan(weight),
        "own",
        np.where(weight >= 1.0, "short", np.where(weight <= 0.0, "long", "blend")),
    )
    return np.where(finished, "reported", label).astype(object)


def outside_fitted_range(
    cal: Calibration, planned: np.ndarray, weight: np.ndarray
) -> np.ndarray:
    """Rows planned outside the durations their class was fitted on.

    Such rows take the ratio at the nearest fitted duration (no extrapolation
    of the slope), which is itself an extrapolation of the evidence. A blended
    row is extrapolated only when it is outside both classes' ranges.
    """
    lo_long = cal.value("schedule.planned_min_months")
    hi_long = cal.value("schedule.planned_max_months")
    if np.isnan(weight).all() and "own" in cal.classes:
        lo, hi = cal.classes["own"]["planned_range"]
        return (planned < lo) | (planned > hi)
    short = cal.classes.get("short")
    lo_s, hi_s = short["planned_range"] if short else (lo_long, hi_long)
    w = np.nan_to_num(weight)
    out_short = (planned < lo_s) | (planned > hi_s)
    out_long = (planned < lo_long) | (planned > hi_long)
    return np.where(w >= 1, out_short, np.where(w <= 0, out_long, out_short & out_long))
