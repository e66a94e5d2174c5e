"""Issue 10: finished projects stay finished, the short class, blending, CRN order."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from src.engine.calibration import load_calibration
from src.engine.chunk import Draws, run_chunk
from src.engine.examples import AS_OF, portfolio
from src.engine.inputs import prepare
from src.engine.kernel import build_kernel
from src.engine.montecarlo import _draw, compare, run
from src.engine.reference import row_classes, short_weight
from src.engine.scenario import BASELINE, Lever
from src.portfolio import schema as S

SMALL = BASELINE.with_changes(trials=64)
MONTH = 30.4375


def _with_outcomes() -> pd.DataFrame:
    """The example portfolio with three finished rows and one overdue row."""
    df = portfolio(40, seed=11)
    df[S.COL_STATUS] = "Implementation"
    df[S.COL_END_ACTUAL] = pd.NaT
    df[S.COL_START] = pd.Timestamp(AS_OF) - pd.Timedelta(days=900)
    df[S.COL_END] = pd.Timestamp(AS_OF) + pd.Timedelta(days=400)
    # P000: closed 10 months late, 3 months before the data date.
    df.loc[0, S.COL_END] = pd.Timestamp(AS_OF) - pd.Timedelta(days=13 * MONTH)
    df.loc[0, S.COL_END_ACTUAL] = pd.Timestamp(AS_OF) - pd.Timedelta(days=3 * MONTH)
    df.loc[0, S.COL_STATUS] = "Closed"
    # P001: implementation status but an actual end in the past: finished early.
    df.loc[1, S.COL_END_ACTUAL] = pd.Timestamp(AS_OF) - pd.Timedelta(days=60)
    # P002: cancelled without an actual end: ended at the data date (plan later).
    df.loc[2, S.COL_STATUS] = "Cancelled"
    # P003: planned to end 6 months ago, still implementing: late already.
    df.loc[3, S.COL_END] = pd.Timestamp(AS_OF) - pd.Timedelta(days=6 * MONTH)
    return df


def _months_all_trials(df: pd.DataFrame, scenario, trials: int = 64) -> np.ndarray:
    """Completion months (trials, rows) of every trial, in input row order."""
    cal = load_calibration()
    rows = prepare(df, scenario, as_of=AS_OF, calibration=cal)
    k = build_kernel(
        rows, cal=cal, policy=scenario.budget_policy, starts=np.array([0]), quarters=4
    )
    from src.engine.calibration import GROUPS

    zc, zs, ed, ec = _draw(
        1, 0, trials // 8, [(rows.n_countries,), (len(GROUPS),), (rows.n,), (rows.n,)]
    )
    out = run_chunk(k, Draws(zc, zs, ed, ec), tolerance=6.0)
    return out["months"].astype(float), rows


def test_a_closed_project_has_its_reported_delay_in_every_trial():
    df = _with_outcomes()
    months, rows = _months_all_trials(df, SMALL)
    delay = months + rows.elapsed - rows.planned
    # Reported: actual end 3 months before the data date, planned end 13 before.
    np.testing.assert_allclose(delay[:, 0], 10.0, atol=1e-3)
    # Actual end 60 days before the data date; planned end 400 days after.
    np.testing.assert_allclose(delay[:, 1], -(400 + 60) / MONTH, atol=1e-3)
    # Cancelled, no actual end, plan ends later: ended at the data date.
    np.testing.assert_allclose(delay[:, 2], -400 / MONTH, atol=1e-3)
    assert rows.finished[:3].all()
    assert not rows.finished[3:].any()
    assert list(rows.reference_class[:3]) == ["reported"] * 3


def test_a_running_overdue_project_never_finishes_before_the_data_date():
    months, rows = _months_all_trials(_with_outcomes(), SMALL)
    assert np.isfinite(rows.trunc_z[3])
    assert (months[:, 3] > 0).all()
    # It is late by at least the 6 months already elapsed past its plan.
    assert (months[:, 3] + rows.elapsed[3] - rows.planned[3] > 6.0 - 1e-3).all()


@pytest.mark.parametrize(
    "lever",
    [
        Lever("budget", -50),
        Lever("capacity", 80),
        Lever("capacity", -60),
        Lever("risk", 3),
    ],
)
@pytest.mark.parametrize("policy", ["descope", "stretch", "cancel"])
def test_finished_projects_are_unchanged_by_any_lever(lever, policy):
    df = _with_outcomes()
    base = SMALL.with_changes(budget_policy=policy)
    a, _ = _months_all_trials(df, base)
    b, rows = _months_all_trials(df, base.with_changes(levers=(lever,)))
    np.testing.assert_array_equal(a[:, :3], b[:, :3])
    assert not rows.cancelled[:3].any()


def test_a_lever_on_finished_projects_only_says_so_and_changes_nothing():
    df = _with_outcomes()
    lever = Lever("budget", -50, countries=(df.loc[0, S.COL_COUNTRY],))
    only = df[df[S.COL_COUNTRY] == df.loc[0, S.COL_COUNTRY]].index
    df.loc[only, S.COL_STATUS] = "Closed"
    c = compare(df, SMALL, SMALL.with_changes(levers=(lever,)), as_of=AS_OF)
    pd.testing.assert_frame_equal(c.baseline.trials, c.scenario.trials)
    assert c.scenario.info["levers_on_finished"] == [
        {"lever": 1, "finished": len(only), "targeted": len(only)}
    ]


def test_portfolio_metrics_do_not_depend_on_group_by_chunks_or_row_order():
    df = _with_outcomes()
    scen = SMALL.with_changes(levers=(Lever("budget", -30, sectors=("Health",)),))
    ref = run(df, scen, as_of=AS_OF)
    variants = [
        run(df, scen, as_of=AS_OF, group_by=()),
        run(df, scen, as_of=AS_OF, group_by=(S.COL_COUNTRY,), chunk_size=16),
        run(df.sample(frac=1.0, random_state=4), scen, as_of=AS_OF),
    ]
    for other in variants:
        pd.testing.assert_frame_equal(ref.portfolio, other.portfolio, check_exact=True)
        pd.testing.assert_frame_equal(ref.trials, other.trials, check_exact=True)


def test_short_weight_is_one_for_short_plans_zero_for_long_and_monotone():
    d = np.array([1.0, 12.0, 24.0, 30.0, 36.0, 42.0, 48.0, 90.0])
    w = short_weight(d)
    assert w[:3].tolist() == [1.0, 1.0, 1.0]
    assert w[-2:].tolist() == [0.0, 0.0]
    assert (np.diff(w) <= 0).all()


@settings(max_examples=60, deadline=None)
@given(
    planned=st.floats(min_value=1.0, max_value=120.0),
    group=st.integers(min_value=0, max_value=10),
    hum=st.booleans(),
)
def test_the_blend_is_continuous_in_planned_duration(planned, group, hum):
    cal = load_calibration()
    one_day = 1.0 / MONTH
    cov = pd.DataFrame(
        {
            "humanitarian": [hum, hum],
            "sector_group": ["Health"] * 2,
            "kind": ["unknown"] * 2,
        }
    )
    dist, _ = row_classes(
        cal,
        planned=np.array([planned, planned + one_day]),
        group=np.array([group, group]),
        covariates=cov,
    )
    # A day's change of plan moves the median log ratio by far less than 0.01
    # (the largest slope is the smoothstep's: 1.5 / log 2 per unit log months).
    bound = 1.5 / math.log(2.0) * 2.0 * (one_day / planned) + 1e-9
    for part in (dist.mu, dist.lo, dist.hi):
        assert abs(part[1] - part[0]) < bound


def test_the_deck_and_the_scenarios_page_give_the_same_figures():
    """The deck runs without groups or row quantiles; the page with both."""
    from src.briefing.scenarios import from_comparison, run_scenario
    from src.engine.montecarlo import combine
    from src.portfolio.filters import FilterSpec
    from src.portfolio.load import load_bundled_portfolio

    df, meta = load_bundled_portfolio()
    spec = FilterSpec(sectors=("Health",))
    selection = spec.apply(df).reset_index(drop=True)
    scen = BASELINE.with_changes(
        trials=200,
        name="Cut",
        levers=(Lever("budget", -20, regions=("Sub-Saharan Africa",)),),
    )
    deck = run_scenario(selection, scen, as_of=meta.as_of)
    as_of = pd.Timestamp(meta.as_of).date()
    page = from_comparison(
        combine(
            run(selection, scen.baseline(), as_of=as_of),
            run(selection, scen, as_of=as_of),
        ),
        "Cut",
    )
    pd.testing.assert_frame_equal(deck.metrics, page.metrics, check_exact=True)
    pd.testing.assert_frame_equal(deck.delivery, page.delivery, check_exact=True)


def test_a_cut_that_lowers_delivered_scope_holds_under_every_assumption():
    from src.engine.calibration.params import KEY_ASSUMPTIONS
    from src.engine.sensitivity import assumption_ranges, robustness

    df = _with_outcomes()
    scen = SMALL.with_changes(levers=(Lever("budget", -40),))
    ranges = assumption_ranges(df, scen, as_of=AS_OF, trials=32)
    # One run as fitted, then a low and a high run per key assumption.
    assert len(ranges) == (1 + 2 * len(KEY_ASSUMPTIONS)) * ranges["metric"].nunique()
    plain = compare(df, scen.baseline(), scen, as_of=AS_OF, trials=32)
    fitted = ranges[ranges["setting"] == "as fitted"].set_index("metric")
    pd.testing.assert_series_equal(
        fitted["delta_p50"], plain.deltas.set_index("metric")["p50"], check_names=False
    )
    by_metric = {r.metric: r for r in robustness(ranges)}
    scope = by_metric["delivered_scope_share"]
    assert scope.delta < 0
    assert scope.holds
    assert scope.flipped_by == ()
    assert scope.low <= scope.delta <= scope.high


def test_rows_planned_beyond_every_fitted_duration_are_flagged_as_extrapolated():
    cal = load_calibration()
    df = _with_outcomes()
    start = pd.Timestamp(AS_OF) - pd.Timedelta(days=100)
    df.loc[10, S.COL_START] = start
    df.loc[10, S.COL_END] = start + pd.Timedelta(days=150 * MONTH)  # 150 months
    rows = prepare(df, SMALL, as_of=AS_OF, calibration=cal)
    lo_short, _ = cal.classes["short"]["planned_range"]
    hi_long = cal.value("schedule.planned_max_months")
    expected = ~rows.finished & ((rows.planned < lo_short) | (rows.planned > hi_long))
    np.testing.assert_array_equal(rows.extrapolated, expected)
    assert rows.extrapolated[10]
    assert rows.extrapolated.sum() == 1


def test_the_project_table_class_is_the_class_the_engine_simulates_with():
    from src.engine.classes import reference_classes

    df = _with_outcomes()
    res = run(df, SMALL, as_of=AS_OF)
    np.testing.assert_array_equal(
        reference_classes(df, AS_OF), res.rows["reference_class"].to_numpy()
    )
