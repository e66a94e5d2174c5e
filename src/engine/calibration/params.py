"""Turn the ADB fit into calibration entries, adding literature values and assumptions.

Each entry is {"value", "unit", "description", "source"}; sources are "ADB fit"
(the records in data/raw/reference), a numbered reference of
shared/research/model-evidence.md, or "assumption" (no published value found).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

ADB = (
    "ADB fit: IED AER 2024 success-rates database, sovereign projects approved "
    "1991-2008 (data/raw/reference/adb_ied_aer2024_approved_1991_2008.csv)"
)
ASSUMPTION = "assumption (no published value found; tunable, shown as such in the UI)"
LIT_SHOCKS = (
    "literature: Denizer, Kaufmann & Kraay [14]; Bulman, Kolkma & Kraay [15] "
    "(country characteristics explain 10-25% of outcomes)"
)
LIT_TAIL = (
    "assumption informed by Flyvbjerg et al. [1][4][7] and Sovacool et al. [11] "
    "(fat cost tails in large transport, dams and power)"
)
LIT_DELAY_COST = "literature: Cantarelli et al. [2][3] (+5 pp cost per extra year)"
LIT_QUEUE = "literature: Kingman G/G/1 approximation [30] (utilisation knee 0.7-0.8)"
LIT_RAMP = "assumption informed by Abdel-Hamid; Brooks's law [31] (3-6 months)"
HEAVY_TAIL = ("Infrastructure & transport", "Energy")
ROUND = 6


def _r(x: float) -> float:
    return round(float(x), ROUND)


def _entry(value: Any, unit: str, description: str, source: str) -> dict[str, Any]:
    if isinstance(value, dict):
        value = {k: _r(v) for k, v in value.items()}
    else:
        value = _r(value)
    return {"value": value, "unit": unit, "description": description, "source": source}


def _per_group(fit: dict[str, Any], key: str) -> dict[str, float]:
    out = {g: v[key] for g, v in fit["groups"].items() if v["n"] >= 20}
    return out | {"pooled": fit["pooled"][key]}


def _schedule(fit: dict[str, Any]) -> dict[str, dict[str, Any]]:
    g = fit["groups"]
    ln_m = "log(months)"
    return {
        "schedule.a": _entry(
            {k: v["a"] for k, v in g.items()} | {"pooled": fit["pooled"]["a"]},
            ln_m,
            "Intercept a_g of log(actual months) = a_g + b·log(planned months); "
            "'pooled' (mean weighted by records) for groups without ADB records",
            ADB,
        ),
        "schedule.b": _entry(
            fit["b"],
            "1",
            "Slope b on log(planned months), shared by groups "
            f"(SE {fit['b_se']:.3f}, n {fit['n']}, R² {fit['r2']:.3f}); b < 1 "
            "means long projects are padded",
            ADB,
        ),  # fmt: skip
        "schedule.shift": _entry(
            _per_group(fit, "shift"),
            ln_m,
            "Median of the group's residuals (moves the median of the noise to 0)",
            ADB,
        ),  # fmt: skip
        "schedule.sigma_lo": _entry(
            _per_group(fit, "sigma_lo"),
            ln_m,
            "Split-normal noise scale below the median: (P50 - P10 residual) / 1.2816; "
            "groups with fewer than 20 ADB records use 'pooled'",
            ADB,
        ),  # fmt: skip
        "schedule.sigma_hi": _entry(
            _per_group(fit, "sigma_hi"),
            ln_m,
            "Split-normal noise scale above the median: (P90 - P50 residual) / 1.2816",
            ADB,
        ),  # fmt: skip
        "schedule.mu_offset": _entry(
            0.0,
            ln_m,
            "Global shift of the log duration (0 = as fitted; used by the "
            "sensitivity analysis at ± 2 SE of the intercept)",
            "model convention",
        ),  # fmt: skip
    }


def _cost(fit: dict[str, Any]) -> dict[str, dict[str, Any]]:
    c = fit["cost"]
    tail = dict.fromkeys(HEAVY_TAIL, 0.2) | {"pooled": 0.0}
    return {
        "cost.mu": _entry(
            {k: v["mu"] for k, v in c.items()},
            "log(ratio)",
            "Median log of actual / appraisal project cost (negative: ADB projects "
            "tend to under-run)",
            ADB,
        ),  # fmt: skip
        "cost.sigma": _entry(
            {k: v["sigma"] for k, v in c.items()},
            "log(ratio)",
            "Robust scale of the log cost ratio: (P84 - P16) / 2",
            ADB,
        ),  # fmt: skip
        "cost.tail_xi": _entry(
            tail,
            "1",
            "Pareto-like tail above the cost P90: log ratio grows by "
            "ξ·(−log tail probability); ξ = 1/α, α = 5 for large infrastructure and "
            "energy, 0 (plain log-normal) elsewhere",
            LIT_TAIL,
        ),  # fmt: skip
        "cost.rho_duration": _entry(
            fit["rho"],
            "1",
            "Correlation of log cost ratio and log duration ratio "
            "(Gaussian copula); cost ratios clipped to 0.2-5 for the estimate",
            ADB,
        ),  # fmt: skip
        "cost.delay_pp_per_year": _entry(
            0.05,
            "share of remaining budget per year",
            "Extra cost per extra year of implementation caused by a lever "
            "(stretch-out or congestion)",
            LIT_DELAY_COST,
        ),  # fmt: skip
        "cost.cap_ratio": _entry(
            10.0,
            "ratio",
            "Upper cap on a drawn cost ratio (keeps results finite)",
            ASSUMPTION,
        ),  # fmt: skip
    }


def _context(fit: dict[str, Any]) -> dict[str, dict[str, Any]]:
    ge, inf = fit["ge"], fit["inform"]
    ge_sig = abs(ge["slope"]) > 1.96 * ge["se"]
    inf_sig = abs(inf["slope"]) > 1.96 * inf["se"]
    return {
        "shocks.country_share": _entry(
            fit["icc_country"],
            "share of variance",
            "Share of the log-duration noise variance common to all rows in a "
            "country (ADB intraclass correlation of residuals by country; inside "
            "the 10-25% range of [14][15])",
            ADB + "; " + LIT_SHOCKS,
        ),  # fmt: skip
        "shocks.sector_share": _entry(
            0.05,
            "share of variance",
            "Share of the noise variance common to all rows of a sector group "
            "(sector-year shock)",
            ASSUMPTION + "; bounded by " + LIT_SHOCKS,
        ),  # fmt: skip
        "context.ge_slope": _entry(
            ge["slope"] if ge_sig else 0.0,
            "log(months) per GE point",
            f"Effect of WGI Government Effectiveness on log duration. ADB estimate "
            f"{ge['slope']:+.4f} (SE {ge['se']:.4f}, n {ge['n']}, joined on country "
            "and approval year): "
            + ("significant, used" if ge_sig else "not significant, kept neutral (0)"),
            ADB,
        ),
        "context.inform_slope": _entry(
            inf["slope"] if inf_sig else 0.0,
            "log(months) per INFORM point",
            f"Effect of INFORM risk on log duration. INFORM exists for 2020 only, "
            f"so this is a cross-section: ADB estimate {inf['slope']:+.4f} (SE "
            f"{inf['se']:.4f}, n {inf['n']}): "
            + ("significant, used" if inf_sig else "not significant, kept neutral (0)"),
            ADB,
        ),
        "context.risk_shock_per_point": _entry(
            inf["slope"] if inf_sig else 0.02,
            "log(months) per INFORM point",
            "Shift of log duration per INFORM point added by a risk lever. The ADB "
            "data show no significant effect, so the value is the research note's "
            "modest default (+0.02…0.05 per SD of weakness, INFORM SD ≈ 1.8)",
            "assumption, evidence weak (model-evidence.md §2.3)",
        ),  # fmt: skip
        "context.neutral_inform": _entry(
            3.7,
            "INFORM points",
            "Used where a row's INFORM risk is missing "
            "(median of INFORM 2020 over countries)",
            "INFORM 2020 median",
        ),  # fmt: skip
        "context.neutral_ge": _entry(
            0.0,
            "GE points",
            "Used where a row's WGI GE is missing (world mean)",
            "WGI definition (standardised, mean 0)",
        ),  # fmt: skip
    }


def _capacity() -> dict[str, dict[str, Any]]:
    return {
        "capacity.rho0": _entry(0.8, "utilisation", "Baseline utilisation of "
            "implementing units (country × sector group)",
            ASSUMPTION + "; " + LIT_QUEUE),
        "capacity.rho_cap": _entry(0.95, "utilisation", "Utilisation at which the "
            "queue factor ρ/(1−ρ) is capped; above 1 work is throughput-limited",
            "research note model-evidence.md §1.5"),
        "capacity.rho_abs": _entry(0.9, "utilisation", "Highest utilisation at "
            "which a unit can absorb extra budget (absorptive capacity)", ASSUMPTION),
        "capacity.queue_share": _entry(1 / 3, "share of median delay", "Share of "
            "the baseline median delay caused by congestion (sets κ)",
            ASSUMPTION + "; research note §1.5 suggests a third to a half"),
        "capacity.ramp_months": _entry(4.5, "months", "Months for new capacity to "
            "reach full productivity (linear ramp)", LIT_RAMP),
        "capacity.floor": _entry(0.05, "share of baseline", "Lowest capacity after "
            "a cut (a −100% cut stalls units without dividing by zero)", ASSUMPTION),
    }  # fmt: skip


def _budget(records: pd.DataFrame) -> dict[str, dict[str, Any]]:
    return {
        "budget.descope_elasticity": _entry(1.0, "1", "Outputs ∝ funding^ε when a "
            "cut is absorbed by descoping", ASSUMPTION + "; research note §1.6"),
        "budget.stretch_min_funding": _entry(0.2, "share of remaining budget",
            "Below this funding share a stretched project is suspended (treated "
            "as cancelled)", ASSUMPTION),
        "defaults.planned_months_fallback": _entry(
            float(records["planned_m"].median()), "months", "Planned duration "
            "assumed when a row has no planned end and the portfolio has no other "
            "row with one (median ADB planned duration); otherwise the portfolio "
            "median is used", ADB),
        "schedule.planned_min_months": _entry(
            float(records["planned_m"].quantile(0.05)), "months", "Shortest "
            "planned duration the fit is applied to (ADB P5); shorter rows take "
            "the ratio at this duration instead of extrapolating the log fit",
            ADB),
        "schedule.planned_max_months": _entry(
            float(records["planned_m"].quantile(0.95)), "months", "Longest "
            "planned duration the fit is applied to (ADB P95)", ADB),
        "defaults.on_time_tolerance_months": _entry(6.0, "months", "A row is on "
            "time if it completes within this many months after its planned end "
            "(ADB: 23% on time at 6 months, 7% at 0)",
            "reporting convention; model-evidence.md §2.2"),
    }  # fmt: skip


# Plausible low / high values of the parameters that are not fitted (or only
# loosely), with where the range comes from. The scenario page re-runs a
# scenario at each end, one at a time, to show whether a conclusion depends on
# them; the drivers chart swings them too.
RANGES: dict[str, tuple[float, float, str]] = {
    "capacity.rho0": (0.7, 0.9, "Kingman knee of waiting time at 0.7-0.8 [30]; "
        "practitioner simulations put it at 0.6-0.7"),
    "capacity.queue_share": (0.2, 0.5, "research note §1.5: congestion explains a "
        "third to a half of the delay; 0.2 as a low reading (assumption)"),
    "capacity.ramp_months": (3.0, 6.0, "Brooks's law / Abdel-Hamid [31]: new staff "
        "need 3-6 months"),
    "budget.descope_elasticity": (0.8, 1.2, "assumption: ±20% around proportional "
        "descoping (no published value found)"),
    "cost.delay_pp_per_year": (0.03, 0.07, "Cantarelli et al. [3] (+5 pp per "
        "year); ±2 pp as the plausible spread (assumption)"),
    "shocks.country_share": (0.10, 0.25, "Denizer et al. [14], Bulman et al. [15]: "
        "country characteristics explain 10-25% of outcomes"),
    "cost.rho_duration": (0.1, 0.3, "ADB fit 0.17; research note §3: 0.2-0.26"),
    "schedule.mu_offset": (-0.05, 0.05, "about ± 2 standard errors of the ADB "
        "intercepts (log months)"),
}  # fmt: skip
# The assumptions a scenario's conclusion is checked against (issue: queue
# share, utilisation, ramp-up, descope elasticity, stretch cost).
KEY_ASSUMPTIONS: tuple[str, ...] = (
    "capacity.queue_share",
    "capacity.rho0",
    "capacity.ramp_months",
    "budget.descope_elasticity",
    "cost.delay_pp_per_year",
)


def assemble(fit: dict[str, Any], records: pd.DataFrame) -> dict[str, Any]:
    """The calibration file: parameters plus fit diagnostics."""
    params = (
        _schedule(fit) | _cost(fit) | _context(fit) | _capacity() | _budget(records)
    )
    for name, (low, high, source) in RANGES.items():
        params[name] |= {"low": low, "high": high, "range_source": source}
        params[name]["key_assumption"] = name in KEY_ASSUMPTIONS
    diag = {
        "records": int(fit["n"]),
        "records_by_group": {g: int(v["n"]) for g, v in fit["groups"].items()},
        "b": _r(fit["b"]),
        "b_se": _r(fit["b_se"]),
        "r2_log_actual": _r(fit["r2"]),
        "residual_sd": _r(fit["sigma"]),
        "ge_effect": {k: _r(v) for k, v in fit["ge"].items()},
        "inform_effect": {k: _r(v) for k, v in fit["inform"].items()},
        "icc_country": _r(fit["icc_country"]),
        "cost_records": int(fit["cost"]["pooled"]["n"]),
        "cost_p90_ratio": {g: _r(v["p90_ratio"]) for g, v in fit["cost"].items()},
        "sector_mapping": "ADB PCS 2014 primary sector → group: TRA, ICT → "
        "Infrastructure & transport; ENE → Energy; WUS → Water & sanitation; ANR → "
        "Agriculture & food systems, except subsectors water-/land-based natural "
        "resources management, forestry, rural flood protection → Environment & "
        "climate; EDU → Education; HLT → Health; PSM → Governance & peace; FIN, "
        "IND, MUL → Other. No ADB records for Humanitarian response and Not "
        "reported: they use pooled values.",
        "selection": "Modality 'Project', AER tags 1, '1,9', 11 (one row per "
        "project); approval → original and actual closing date",
    }
    return {"schema_version": 1, "parameters": params, "fit": diag}
