"""Property tests (hypothesis): monotone levers, finite results at the extremes."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from src.engine.examples import AS_OF, portfolio
from src.engine.montecarlo import run
from src.engine.scenario import BASELINE, BUDGET_POLICIES, Lever

PORTFOLIO = portfolio(30, seed=7)
BASE = BASELINE.with_changes(trials=32, horizon_months=24)
PCT = st.floats(min_value=-100, max_value=200, allow_nan=False)
TARGETS = st.sampled_from(
    [{}, {"regions": ("South Asia",)}, {"countries": ("MLI", "KEN")}]
)


def _trials(levers, policy="descope"):
    scen = BASE.with_changes(levers=tuple(levers), budget_policy=policy)
    return run(PORTFOLIO, scen, as_of=AS_OF, row_quantiles=False).trials


@settings(max_examples=12, deadline=None)
@given(a=PCT, b=PCT, target=TARGETS)
def test_more_capacity_never_lowers_on_time_nor_raises_mean_delay(a, b, target):
    lo, hi = sorted((a, b))
    t_lo = _trials([Lever("capacity", lo, **target)])
    t_hi = _trials([Lever("capacity", hi, **target)])
    assert (t_hi["on_time_rate"] >= t_lo["on_time_rate"] - 1e-9).all()
    assert (t_hi["mean_delay_months"] <= t_lo["mean_delay_months"] + 1e-4).all()


@settings(max_examples=12, deadline=None)
@given(
    a=st.floats(0, 100), b=st.floats(0, 100), policy=st.sampled_from(BUDGET_POLICIES)
)
def test_a_larger_budget_cut_never_raises_delivered_scope(a, b, policy):
    small, large = sorted((a, b))
    t_small = _trials([Lever("budget", -small)], policy)
    t_large = _trials([Lever("budget", -large)], policy)
    assert (
        t_large["delivered_scope_share"] <= t_small["delivered_scope_share"] + 1e-6
    ).all()


@settings(max_examples=10, deadline=None)
@given(
    budget=st.sampled_from([-100.0, 200.0]),
    capacity=st.sampled_from([-100.0, 200.0]),
    risk=st.sampled_from([0.0, 5.0]),
    policy=st.sampled_from(BUDGET_POLICIES),
)
def test_extreme_valid_levers_give_finite_in_bounds_results(
    budget, capacity, risk, policy
):
    scen = BASE.with_changes(
        budget_policy=policy,
        levers=(
            Lever("budget", budget),
            Lever("capacity", capacity, regions=("South Asia",)),
            Lever("risk", risk, countries=("MLI",)),
        ),
    )
    res = run(PORTFOLIO, scen, as_of=AS_OF)
    t = res.trials
    assert t["on_time_rate"].between(0, 1).all()
    assert t["delivered_scope_share"].between(0, 3).all()
    assert (t["funding_gap_usd"] >= 0).all()
    assert np.isfinite(t[["cost_overrun_pct", "delivered_value_usd"]]).all(axis=None)
    # Stretching a -100% cut leaves no funding, below budget.stretch_min_funding:
    # every row is suspended and the mean delay is undefined in every trial.
    suspended = budget == -100 and policy == "stretch"
    assert (res.info["cancelled_rows"] == len(PORTFOLIO)) == suspended
    assert np.isfinite(t["mean_delay_months"]).tolist() == [not suspended] * len(t)
    assert np.isfinite(res.delivery[["p10", "p50", "p90"]].to_numpy()).all()
    assert (res.delivery["p10"] >= -1e-3).all()
