"""Calibration file: deterministic, documented, and reproduces the ADB data."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from src.engine.calibration import CALIBRATION_FILE, GROUPS, load_calibration
from src.engine.calibration.adb import build
from src.portfolio.paths import RAW_DIR

ADB = RAW_DIR / "reference" / "adb_ied_aer2024_approved_1991_2008.csv"
SECTOR = {
    "TRA": "Infrastructure & transport", "ICT": "Infrastructure & transport",
    "ENE": "Energy", "WUS": "Water & sanitation", "EDU": "Education",
    "HLT": "Health", "PSM": "Governance & peace", "FIN": "Other", "IND": "Other",
    "MUL": "Other", "ANR": "Agriculture & food systems",
}  # fmt: skip
ENV = (
    "Water-based natural resources management",
    "Land-based natural resources management",
    "Forestry",
    "Rural flood protection",
)


def _adb_ratios() -> pd.DataFrame:
    """Independent reading of the ADB CSV: duration ratio per sector group."""
    d = pd.read_csv(ADB, dtype=str, keep_default_na=False)
    d = d[(d["Modality"] == "Project") & d["AER Ratings Tag"].isin(["1", "1,9", "11"])]
    app = pd.to_datetime(d["Approval date"])
    plan = (pd.to_datetime(d["Closing date (estimate) CTL"]) - app).dt.days
    act = (pd.to_datetime(d["Closing date (actual) (CTL)"]) - app).dt.days
    group = d["Primary Sector (PCS 2014)"].map(SECTOR)
    env = d["Primary Subsector (PCS 2014)"].isin(ENV) & (
        d["Primary Sector (PCS 2014)"] == "ANR"
    )
    group = group.where(~env, "Environment & climate")
    out = pd.DataFrame({"group": group, "planned": plan / 30.4375, "ratio": act / plan})
    return out[(out["planned"] > 0) & (out["ratio"] > 0)]


def test_the_file_is_what_the_fit_produces():
    on_disk = json.loads(CALIBRATION_FILE.read_text(encoding="utf-8"))
    assert json.loads(json.dumps(build(), sort_keys=True)) == on_disk


def test_every_parameter_has_value_unit_description_and_source():
    cal = load_calibration()
    for name, entry in cal.params.items():
        for key in ("value", "unit", "description", "source"):
            assert entry[key] not in (None, ""), (name, key)
    labelled = [n for n, e in cal.params.items() if "assumption" in e["source"]]
    for name in ("capacity.ramp_months", "capacity.queue_share", "capacity.rho0"):
        assert name in labelled


def test_insignificant_country_effects_are_kept_neutral():
    cal = load_calibration()
    for key, slope in (
        ("ge_effect", "context.ge_slope"),
        ("inform_effect", "context.inform_slope"),
    ):
        est = cal.fit[key]
        if abs(est["slope"]) < 1.96 * est["se"]:
            assert cal.value(slope) == 0.0


def _group_sizes() -> pd.Series:
    return _adb_ratios()["group"].value_counts()


FITTED = [g for g in GROUPS[:-1] if _group_sizes().get(g, 0) >= 20]
POOLED = [g for g in GROUPS if _group_sizes().get(g, 0) < 20]


def test_small_groups_use_the_pooled_noise():
    cal = load_calibration()
    assert "Governance & peace" in POOLED
    assert "Humanitarian response" in POOLED
    pooled = GROUPS.index("Not reported")  # no ADB records: pooled by definition
    for name in ("schedule.sigma_lo", "schedule.sigma_hi"):
        values = cal.by_group(name)
        for group in POOLED:
            assert values[GROUPS.index(group)] == values[pooled], (group, name)


@pytest.mark.parametrize("group", FITTED)
def test_fitted_distribution_reproduces_median_and_p90_ratio(group):
    data = _adb_ratios()
    part = data[data["group"] == group]
    cal = load_calibration()
    i = GROUPS.index(group)
    b = cal.value("schedule.b")
    d = np.clip(
        part["planned"].to_numpy(), cal.value("schedule.planned_min_months"), None
    )
    d = np.minimum(d, cal.value("schedule.planned_max_months"))
    mu = (
        cal.by_group("schedule.a")[i]
        + cal.by_group("schedule.shift")[i]
        + (b - 1) * np.log(d)
    )
    z = np.random.default_rng(0).standard_normal((2000, len(d)))
    lo, hi = cal.by_group("schedule.sigma_lo")[i], cal.by_group("schedule.sigma_hi")[i]
    ratio = np.exp(mu + np.where(z > 0, z * hi, z * lo))
    for q in (0.5, 0.9):
        model, observed = np.quantile(ratio, q), np.quantile(part["ratio"], q)
        assert model == pytest.approx(observed, rel=0.05), (group, q)
