"""Drivers and assumption runs are bounded like the main runs (issue 16).

A tornado or an assumption check is many runs; one check (`work_limits.Stages`)
bounds them together. A fake clock stands in for time: no timing asserts.
"""

from __future__ import annotations

import pytest

from src.engine.calibration import load_calibration
from src.engine.examples import AS_OF, portfolio
from src.engine.scenario import Lever, Scenario
from src.engine.sensitivity import assumption_ranges, sensitivity
from src.engine.work_limits import Deadline, RunTimeoutError

SCENARIO = Scenario(levers=(Lever("budget", -20),), trials=16)


def _deadline(checks_in_time: int) -> Deadline:
    """A 60 s limit that passes after `checks_in_time` checks."""
    ticks = iter([0.0] + [0.0] * checks_in_time + [100.0] * 1_000)
    return Deadline(60.0, clock=lambda: next(ticks))


def test_a_tornado_past_its_time_limit_stops_naming_the_trials_per_run_that_fit():
    # 16 trials in chunks of 8: two checks per run. Four checks (two runs) in
    # time, stopped at the 5th: 2 × 16 + 8 = 40 trials over 1 + 2 × 1 lever
    # + 2 × (parameters with a range) runs.
    runs = 1 + 2 + 2 * len(load_calibration().ranges())
    with pytest.raises(RunTimeoutError) as stop:
        sensitivity(
            portfolio(),
            SCENARIO,
            as_of=AS_OF,
            trials=16,
            chunk_size=8,
            check=_deadline(4),
        )
    assert (stop.value.seconds, stop.value.trials) == (60.0, 16)
    assert stop.value.done == 40 // runs
    assert f"stopped after {40 // runs} of 16 trials" in str(stop.value)


def test_assumption_runs_past_their_time_limit_stop_the_same_way():
    # A baseline and a scenario per setting: as fitted, then low and high of
    # each key assumption. Six checks in time (three runs), stopped at the 7th.
    runs = 2 * (1 + 2 * len(load_calibration().ranges(key_only=True)))
    with pytest.raises(RunTimeoutError) as stop:
        assumption_ranges(
            portfolio(), SCENARIO, as_of=AS_OF, trials=16, chunk_size=8,
            check=_deadline(6),
        )  # fmt: skip
    assert stop.value.done == (3 * 16 + 8) // runs
    assert stop.value.fits == max((3 * 16 + 8) // runs, 1)


def test_without_a_check_the_analyses_run_unbounded_as_before():
    swings = sensitivity(portfolio(), SCENARIO, as_of=AS_OF, trials=16)
    assert len(swings) == 1 + len(load_calibration().ranges())
