"""Fit the long reference class on the ADB records and write the calibration file.

Run `python -m src.engine.calibration`; the output is deterministic (no randomness,
sorted keys, rounded values). Records: ADB IED AER 2024 success-rates database,
sovereign operations approved 1991-2008, modality "Project", one row per rated
unit (AER tags 1, "1,9" and 11; tag 0 rows are the individual loans/grants of a
project and would double count it). Durations run from approval to closing.
"""

from __future__ import annotations

import json
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pandas as pd

from src.engine.calibration import CALIBRATION_FILE, GROUPS
from src.engine.calibration import params as P
from src.portfolio.paths import INDICATOR_DIR, RAW_DIR
from src.portfolio.reference import WGI_LEGACY_CODES

ADB_FILE = RAW_DIR / "reference" / "adb_ied_aer2024_approved_1991_2008.csv"
WGI_FILE = INDICATOR_DIR / "wgi_worldwide_governance_indicators_1996_2023.csv"
INFORM_FILE = INDICATOR_DIR / "inform_gri_2020_v040.csv"
MONTH_DAYS = 30.4375
Z90 = 1.2815515655446004  # standard normal 90th percentile
MIN_GROUP_N = 20  # groups with fewer records use the pooled noise parameters
RATED_TAGS = ("1", "1,9", "11")
_PS = (0.1, 0.5, 0.9)
_Z_GRID = np.array([NormalDist().inv_cdf((k + 0.5) / 400) for k in range(400)])

# ADB country codes that differ from ISO 3166 alpha-3 (regional rows are dropped).
ADB_TO_ISO3 = {
    "BAN": "BGD", "BHU": "BTN", "CAM": "KHM", "COO": "COK", "FIJ": "FJI",
    "INO": "IDN", "MAL": "MYS", "MLD": "MDV", "MON": "MNG", "NEP": "NPL",
    "PHI": "PHL", "PRC": "CHN", "RMI": "MHL", "SAM": "WSM", "SOL": "SLB",
    "SRI": "LKA", "TAJ": "TJK", "TIM": "TLS", "VIE": "VNM",
}  # fmt: skip
# ADB primary sector (PCS 2014) → our sector group. Natural-resource and flood
# subsectors of ANR go to Environment & climate (see ENV_SUBSECTORS).
SECTOR_MAP = {
    "TRA": "Infrastructure & transport",
    "ICT": "Infrastructure & transport",
    "ENE": "Energy",
    "WUS": "Water & sanitation",
    "ANR": "Agriculture & food systems",
    "EDU": "Education",
    "HLT": "Health",
    "PSM": "Governance & peace",
    "FIN": "Other",
    "IND": "Other",
    "MUL": "Other",
}
ENV_SUBSECTORS = (
    "Water-based natural resources management",
    "Land-based natural resources management",
    "Forestry",
    "Rural flood protection",
)


def read_adb_projects(path: Path = ADB_FILE) -> pd.DataFrame:
    """ADB project records with planned/actual months, cost ratio, group, ISO3.

    Returns:
        One row per project: iso3, year, group, planned_m, actual_m, ratio,
        cost_ratio (NaN when either cost is missing or not positive).
    """
    d = pd.read_csv(path, dtype=str, keep_default_na=False)
    d = d[(d["Modality"] == "Project") & d["AER Ratings Tag"].isin(RATED_TAGS)]
    approval = pd.to_datetime(d["Approval date"], errors="coerce")
    planned = pd.to_datetime(d["Closing date (estimate) CTL"], errors="coerce")
    actual = pd.to_datetime(d["Closing date (actual) (CTL)"], errors="coerce")
    sector = d["Primary Sector (PCS 2014)"].str.strip()
    group = sector.map(SECTOR_MAP)
    env = (sector == "ANR") & d["Primary Subsector (PCS 2014)"].isin(ENV_SUBSECTORS)
    group = group.where(~env, "Environment & climate")
    app_cost = pd.to_numeric(d["Proj Cost, app(USD mil)"], errors="coerce")
    act_cost = pd.to_numeric(d["Proj Cost, act(USD mil)"], errors="coerce")
    cost_ratio = (act_cost / app_cost).where((app_cost > 0) & (act_cost > 0))
    code = d["Country Code"].str.strip()
    out = pd.DataFrame(
        {
            "iso3": code.replace(ADB_TO_ISO3).where(~code.str.startswith("REG"), ""),
            "year": approval.dt.year.astype("float64"),
            "group": group,
            "planned_m": (planned - approval).dt.days / MONTH_DAYS,
            "actual_m": (actual - approval).dt.days / MONTH_DAYS,
            "cost_ratio": cost_ratio,
        }
    )
    out = out.dropna(subset=["year", "group", "planned_m", "actual_m"])
    out = out[(out["planned_m"] > 0) & (out["actual_m"] > 0)].copy()
    out["ratio"] = out["actual_m"] / out["planned_m"]
    return out.reset_index(drop=True)


def _wgi_ge() -> pd.DataFrame:
    w = pd.read_csv(WGI_FILE, encoding="utf-8-sig", dtype=str)
    w = w[w["indicator"] == "ge"]
    out = pd.DataFrame(
        {
            "iso3": w["code"].replace(WGI_LEGACY_CODES),
            "year": pd.to_numeric(w["year"]).astype("float64"),
            "ge": pd.to_numeric(w["estimate"], errors="coerce"),
        }
    )
    return out.dropna().sort_values("year")


def _inform() -> pd.DataFrame:
    i = pd.read_csv(INFORM_FILE, dtype=str, keep_default_na=False)
    risk = pd.to_numeric(i["INFORM RISK"], errors="coerce")
    return pd.DataFrame({"iso3": i["ISO3"].str.strip(), "inform": risk}).dropna()


def _ols(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Coefficients, standard errors and R² of y on x (x includes the constants)."""
    coef, *_ = np.linalg.lstsq(x, y, rcond=None)
    resid = y - x @ coef
    dof = len(y) - x.shape[1]
    s2 = float(resid @ resid) / dof
    cov = s2 * np.linalg.inv(x.T @ x)
    r2 = 1.0 - float(resid @ resid) / float(((y - y.mean()) ** 2).sum())
    return coef, np.sqrt(np.diag(cov)), r2


def _slope(x: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """Simple regression slope of y on x with its standard error and n."""
    coef, se, r2 = _ols(np.column_stack([np.ones_like(x), x]), y)
    return {"slope": float(coef[1]), "se": float(se[1]), "n": len(x), "r2": r2}


def _icc(resid: np.ndarray, cluster: np.ndarray) -> float:
    """One-way ANOVA intraclass correlation (share of variance between clusters)."""
    df = pd.DataFrame({"e": resid, "c": cluster})
    g = df.groupby("c")["e"]
    k, n = g.ngroups, len(df)
    sizes = g.size().to_numpy()
    msb = float((sizes * (g.mean() - df["e"].mean()) ** 2).sum()) / (k - 1)
    msw = float(((df["e"] - g.transform("mean")) ** 2).sum()) / (n - k)
    n0 = (n - float((sizes**2).sum()) / n) / (k - 1)
    return max(0.0, (msb - msw) / (msb + (n0 - 1) * msw))


def fit(records: pd.DataFrame) -> dict[str, object]:
    """Fit schedule, cost and context effects; returns the fitted numbers.

    Model: log(actual) = a_g + b·log(planned) + ε, ε split-normal per group
    (median shift, σ below and above the median from the residual P10/P90).
    """
    present = [g for g in GROUPS if g in set(records["group"])]
    grp = records["group"].to_numpy()
    dummies = np.column_stack([(grp == g).astype(float) for g in present])
    logp = np.log(records["planned_m"].to_numpy())
    y = np.log(records["actual_m"].to_numpy())
    coef, se, r2 = _ols(np.column_stack([dummies, logp]), y)
    b, b_se = float(coef[-1]), float(se[-1])
    resid = y - np.column_stack([dummies, logp]) @ coef
    groups: dict[str, dict[str, float]] = {}
    log_ratio = np.log(records["ratio"].to_numpy())
    # The engine holds planned durations to the ADB P5-P95 range (no
    # extrapolation); the noise is tuned with the same rule so the two agree.
    lo_d, hi_d = np.quantile(records["planned_m"], [0.05, 0.95])
    log_pc = np.log(np.clip(records["planned_m"].to_numpy(), lo_d, hi_d))
    for i, g in enumerate(present):
        m = grp == g
        fixed = coef[i] + (b - 1.0) * log_pc[m]
        groups[g] = _noise(resid[m], fixed, log_ratio[m])
        groups[g] |= {"a": float(coef[i]), "n": int(m.sum())}
    a_pooled = float(np.average(coef[:-1], weights=dummies.sum(axis=0)))
    fixed = a_pooled + (b - 1.0) * log_pc
    pooled = _noise(resid, fixed, log_ratio) | {"a": a_pooled, "n": len(resid)}
    cost = _fit_cost(records, present)
    ctx = _fit_context(records, resid)
    logc = np.log(records["cost_ratio"].clip(0.2, 5.0))
    ok = logc.notna().to_numpy()
    rho = float(np.corrcoef(np.log(records["ratio"].to_numpy()[ok]), logc[ok])[0, 1])
    return {
        "b": b, "b_se": b_se, "r2": r2, "n": len(records), "sigma": float(resid.std()),
        "groups": groups, "pooled": pooled, "cost": cost, "rho": rho, **ctx,
    }  # fmt: skip


def _noise(e: np.ndarray, fixed: np.ndarray, log_ratio: np.ndarray) -> dict[str, float]:
    """Split-normal noise that reproduces the group's P10/P50/P90 duration ratio.

    The model's ratio distribution is a mixture over the group's planned
    durations, so the noise is tuned on that mixture, not on the residuals alone.
    Starts from the residual quantiles, then matches the quantiles of the
    model's ratio distribution (deterministic normal-quantile grid) to the data
    by a few fixed-point steps.
    """
    q10, q50, q90 = np.quantile(e, [0.1, 0.5, 0.9])
    shift, lo, hi = float(q50), float((q50 - q10) / Z90), float((q90 - q50) / Z90)
    t10, t50, t90 = np.quantile(log_ratio, [0.1, 0.5, 0.9])
    z = _Z_GRID[:, None]
    for _ in range(50):
        eps = np.where(z > 0, z * hi, z * lo)
        m10, m50, m90 = np.quantile((fixed[None, :] + shift + eps).ravel(), _PS)
        shift += t50 - m50
        hi *= (t90 - t50) / (m90 - m50)
        lo *= (t50 - t10) / (m50 - m10)
    return {
        "shift": shift,
        "sigma": float(e.std(ddof=1)),
        "sigma_lo": lo,
        "sigma_hi": hi,
    }


def _fit_cost(records: pd.DataFrame, present: list[str]) -> dict[str, dict]:
    """Robust log-normal cost-ratio body per group (median, half P16-P84 width)."""
    c = records.dropna(subset=["cost_ratio"])
    out: dict[str, dict] = {}
    for g, part in [("pooled", c), *((g, c[c["group"] == g]) for g in present)]:
        logc = np.log(part["cost_ratio"].to_numpy())
        if len(logc) < MIN_GROUP_N:
            continue
        q16, q50, q84 = np.quantile(logc, [0.16, 0.5, 0.84])
        p90 = float(np.quantile(part["cost_ratio"], 0.9))
        out[g] = {"mu": float(q50), "sigma": float((q84 - q16) / 2), "n": len(logc)}
        out[g]["p90_ratio"] = p90
    return out


def _fit_context(records: pd.DataFrame, resid: np.ndarray) -> dict[str, object]:
    """GE (country × approval year) and INFORM 2020 (cross-section) effects."""
    r = records.assign(resid=resid)
    r = r[r["iso3"] != ""].sort_values("year")
    ge = _wgi_ge()
    # WGI starts in 1996 and is biennial until 2002: take the nearest year.
    j = pd.merge_asof(
        r, ge.rename(columns={"year": "wgi_year"}), left_on="year",
        right_on="wgi_year", by="iso3", direction="nearest",
    ).dropna(subset=["ge"])  # fmt: skip
    ge_fit = _slope(j["ge"].to_numpy(), j["resid"].to_numpy())
    inf = r.merge(_inform(), on="iso3", how="inner")
    inf_fit = _slope(inf["inform"].to_numpy(), inf["resid"].to_numpy())
    icc = _icc(r["resid"].to_numpy(), r["iso3"].to_numpy())
    return {"ge": ge_fit, "inform": inf_fit, "icc_country": icc}


def build(records: pd.DataFrame | None = None) -> dict[str, object]:
    """The calibration file contents (parameters, fit diagnostics, classes).

    The short class is fitted on the IATI short-project records
    (`src.engine.calibration.short`).
    """
    from src.engine.calibration.records import read_reference_records
    from src.engine.calibration.short import SOURCE_SHORT, class_entry

    records = read_adb_projects() if records is None else records
    out = P.assemble(fit(records), records)
    short, excluded = read_reference_records()
    out["classes"] = {"short": class_entry(short, excluded, source=SOURCE_SHORT)}
    return out


def write(path: Path = CALIBRATION_FILE) -> Path:
    """Fit and write the calibration JSON (sorted, rounded: deterministic)."""
    data = build()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", "utf-8")
    return path
