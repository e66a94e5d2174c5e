"""Summary numbers of a scenario, and combining cached runs (CRN)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from src.engine.montecarlo import combine, compare, run
from src.engine.narrative import DELAY_THRESHOLD_MONTHS, change_summary
from src.engine.scenario import BASELINE, Lever, Scenario
from src.portfolio import schema as S
from src.portfolio.load import load_bundled_portfolio


@pytest.fixture(scope="module")
def bundled():
    df, meta = load_bundled_portfolio()
    return df, date.fromisoformat(meta.as_of)


def test_combining_two_runs_equals_compare(bundled):
    df, as_of = bundled
    base = BASELINE.with_changes(trials=64)
    scen = base.with_changes(levers=(Lever("capacity", -30),))
    direct = compare(df, base, scen, as_of=as_of)
    combined = combine(run(df, base, as_of=as_of), run(df, scen, as_of=as_of))
    pd.testing.assert_frame_equal(direct.deltas, combined.deltas)
    pd.testing.assert_frame_equal(direct.delivery_deltas, combined.delivery_deltas)


def test_combining_runs_with_different_seeds_is_refused(bundled):
    df, as_of = bundled
    a = run(df, BASELINE.with_changes(trials=16), as_of=as_of)
    b = run(df, BASELINE.with_changes(trials=16, seed=1), as_of=as_of)
    with pytest.raises(ValueError, match="seed"):
        combine(a, b)


def test_change_summary_counts_the_targeted_and_delayed_projects(bundled):
    df, as_of = bundled
    scenario = Scenario(
        levers=(Lever("capacity", -50, sectors=("Health",)),),
        trials=64,
        budget_policy="stretch",
    )
    comp = compare(df, BASELINE.with_changes(trials=64), scenario, as_of=as_of)
    summary = change_summary(df, scenario, comp)
    running = ~comp.scenario.rows["finished"].to_numpy(bool)
    health = (df[S.COL_SECTOR_GROUP] == "Health").to_numpy() & running
    assert summary.targeted == df.loc[health, S.COL_PROJECT_ID].nunique()
    extra = (
        comp.scenario.rows["delay_p50"].to_numpy()
        - comp.baseline.rows["delay_p50"].to_numpy()
    )
    delayed = health & (extra > DELAY_THRESHOLD_MONTHS)
    assert summary.delayed == df.loc[delayed, S.COL_PROJECT_ID].nunique() > 0
    assert summary.median_extra_delay == pytest.approx(np.median(extra[delayed]))
    value = comp.deltas.set_index("metric").loc["delivered_value_usd"]
    assert summary.value_change_p50 == pytest.approx(value["p50"])


def test_no_lever_targets_nothing(bundled):
    df, as_of = bundled
    base = BASELINE.with_changes(trials=16)
    comp = compare(df, base, base, as_of=as_of)
    summary = change_summary(df, base, comp)
    assert summary.targeted == summary.delayed == 0
    assert summary.value_change_p50 == 0


def test_a_capacity_gain_is_reported_as_projects_brought_forward(bundled):
    df, as_of = bundled
    scenario = Scenario(levers=(Lever("capacity", 60, sectors=("Health",)),), trials=64)
    comp = compare(df, BASELINE.with_changes(trials=64), scenario, as_of=as_of)
    summary = change_summary(df, scenario, comp)
    extra = (
        comp.scenario.rows["delay_p50"].to_numpy()
        - comp.baseline.rows["delay_p50"].to_numpy()
    )
    running = ~comp.scenario.rows["finished"].to_numpy(bool)
    health = (df[S.COL_SECTOR_GROUP] == "Health").to_numpy() & running
    sooner = health & (extra < -DELAY_THRESHOLD_MONTHS)
    assert summary.advanced == df.loc[sooner, S.COL_PROJECT_ID].nunique() > 0
    assert summary.median_time_saved == pytest.approx(-np.median(extra[sooner]))
    assert summary.delayed == 0
