"""The short-project reference class (and a user's own class): survival fits.

`class_entry` fits the duration ratio of a set of records with censoring, under
every reading of "past the plan, no actual end" (see `records.READINGS`), and
returns the calibration entry the engine uses (the `APP_READING` fit) together
with the other readings and the Kaplan–Meier check.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from src.engine.calibration.records import (
    KIND_DUMMIES,
    READINGS,
    Excluded,
    covariate_frame,
    design,
)
from src.engine.calibration.survival import AFTFit, fit_aft, kaplan_meier

# The app reads a project past its plan with no actual end as ended when its
# status says finalisation/closed/cancelled, else as still running (censored).
# "censored" ignores the status and gives much longer durations (stale
# "implementation" statuses are read as real); "ended" is an upper bound of the
# end for projects that ended unreported. All three are in the calibration file.
APP_READING = "status"
COVARIATES: tuple[str, ...] = ("log_planned", "humanitarian", *KIND_DUMMIES)
SOURCE_SHORT = (
    "IATI fit: 1,357 activities from 69 publishers, D-Portal COVID-19 query "
    "results 2020-2021 (data/raw/reference/"
    "iati_dportal_covid2021_due_or_closed_activities.xml; data/SOURCES.md)"
)


def usable_covariates(
    records: pd.DataFrame, wanted: tuple[str, ...]
) -> tuple[str, ...]:
    """Covariates that vary in the records (a constant one cannot be fitted)."""
    x = covariate_frame(records)
    return tuple(c for c in wanted if x[c].nunique() > 1)


def kind_shares(records: pd.DataFrame) -> dict[str, float]:
    """Share of each publisher-kind dummy among records of known kind."""
    known = records[records["kind"] != "unknown"]
    if known.empty:
        return dict.fromkeys(KIND_DUMMIES, 0.0)
    x = covariate_frame(known)
    return {d: round(float(x[d].mean()), 6) for d in KIND_DUMMIES}


def fit_class(
    records: pd.DataFrame,
    reading: str = APP_READING,
    covariates: tuple[str, ...] = COVARIATES,
) -> AFTFit:
    """The AFT fit (lowest AIC of three) of `records` under `reading`."""
    cov = usable_covariates(records, covariates)
    return fit_aft(design(records, reading, cov), covariates=cov)


def class_entry(
    records: pd.DataFrame,
    excluded: Excluded,
    *,
    source: str,
    covariates: tuple[str, ...] = COVARIATES,
) -> dict[str, Any]:
    """Calibration entry of a survival reference class.

    Returns:
        {"fit": AFTFit dict (the app's reading), "reading", "readings": {reading:
        {"fit", "km_median_ratio", "km_share_late"}}, "planned_range": [P5, P95]
        months, "kind_shares", "records", "observed", "excluded": {...},
        "median_planned_months", "source"}.
    """
    readings = {}
    for reading in READINGS:
        fit = fit_class(records, reading, covariates)
        d = design(records, reading, ())
        km = kaplan_meier(d["ratio"].to_numpy(), d["event"].to_numpy())
        readings[reading] = {
            "fit": fit.to_dict(),
            "km_median_ratio": round(km.median(), 4),
            "km_share_late": round(float(km.at(1.0)), 4),
        }
    lo, hi = np.quantile(records["planned_m"], [0.05, 0.95])
    return {
        "fit": readings[APP_READING]["fit"],
        "reading": APP_READING,
        "readings": readings,
        "planned_range": [round(float(lo), 3), round(float(hi), 3)],
        "kind_shares": kind_shares(records),
        "records": len(records),
        "observed": int(records["observed"].sum()),
        "status_ended": int((records["status_ended"] & ~records["observed"]).sum()),
        "publishers": int(records["publisher"].nunique()),
        "median_planned_months": round(float(records["planned_m"].median()), 3),
        "excluded": {
            "no_planned_end": excluded.no_planned_end,
            "planned_under_half_a_month": excluded.planned_too_short,
            "end_before_start": excluded.end_before_start,
            "actual_end_within_a_tenth_of_the_plan": excluded.implausibly_early,
        },
        "source": source,
    }
