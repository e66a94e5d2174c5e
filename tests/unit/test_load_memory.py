"""The load test's memory figures (benchmarks/load_memory.py) and its warm-up.

Expected values are worked out by hand from the samples given.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import math
import time

import pytest

from benchmarks import bench_load, load_memory


def test_slope_of_a_straight_line_is_its_rise_per_minute():
    """RSS 100 MiB at 0 s rising 1 MiB every 2 s: 30 MiB per minute."""
    points = [(2.0 * i, 100.0 + i) for i in range(31)]
    assert load_memory.slope_per_minute(points) == pytest.approx(30.0)


def test_slope_of_flat_noise_is_zero():
    """Alternating 200/202 MiB, symmetric about the middle: least squares gives 0.

    Samples at 0, 2, 4, 6 s: 200, 202, 202, 200 (mean t 3, mean y 201;
    sum (t-3)(y-201) = (-3)(-1) + (-1)(1) + (1)(1) + (3)(-1) = 0).
    """
    points = [(0.0, 200.0), (2.0, 202.0), (4.0, 202.0), (6.0, 200.0)]
    assert load_memory.slope_per_minute(points) == pytest.approx(0.0)


def test_slope_by_hand_on_three_uneven_samples():
    """(0 s, 10), (30 s, 13), (90 s, 16) MiB.

    mean t = 40, mean y = 13; sxx = 1600 + 100 + 2500 = 4200;
    sxy = (-40)(-3) + (-10)(0) + (50)(3) = 270; slope 270/4200 MiB/s
    = 60 * 270 / 4200 = 3.857… MiB/min.
    """
    points = [(0.0, 10.0), (30.0, 13.0), (90.0, 16.0)]
    assert load_memory.slope_per_minute(points) == pytest.approx(60 * 270 / 4200)


def test_slope_needs_two_distinct_times():
    assert math.isnan(load_memory.slope_per_minute([(5.0, 1.0)]))
    assert math.isnan(load_memory.slope_per_minute([(5.0, 1.0), (5.0, 2.0)]))


def test_summary_of_a_rise_that_levels_off():
    """3 minutes of samples every 20 s: 100, 110, 120 in the first minute, then 130.

    t = 0..160 s (9 samples): 100, 110, 120, 130 × 6. First minute (t < 60):
    100, 110, 120 -> 110; last minute (t > 100): t = 120, 140, 160 -> 130.
    Halves (4 | 5 samples): (100+110+120+130)/4 = 115 and 130.
    """
    ys = [100.0, 110.0, 120.0] + [130.0] * 6
    points = [(20.0 * i, y) for i, y in enumerate(ys)]
    s = load_memory.summary(points)
    assert (s.n, s.start, s.max, s.end) == (9, 100.0, 130.0, 130.0)
    assert s.first_half == pytest.approx(115.0)
    assert s.second_half == pytest.approx(130.0)
    assert s.first_minute == pytest.approx(110.0)
    assert s.last_minute == pytest.approx(130.0)
    assert s.growth == pytest.approx(20.0)
    assert s.minutes == pytest.approx(160 / 60)
    assert "slope +" in s.line(0)
    assert s.line(1).startswith("server 2 RSS MiB: start 100, max 130, end 130;")


def test_verdict_applies_the_criterion_to_ten_minutes_of_slope():
    rising = load_memory.summary([(0.0, 100.0), (60.0, 103.0)])  # 3 MiB/min
    assert load_memory.verdict(rising, 30.0).startswith("memory bounded")
    assert load_memory.verdict(rising, 29.0).startswith("memory GROWING")
    assert "+30.0 MiB" in load_memory.verdict(rising, 20.0)


def test_verdict_does_not_judge_a_window_under_a_minute():
    """A steep slope over 30 s (+60 MiB/min) is not called growth or bounded."""
    short = load_memory.summary([(0.0, 100.0), (30.0, 130.0)])
    assert short.slope == pytest.approx(60.0)
    said = load_memory.verdict(short, 20.0)
    assert said == "memory not judged: 0.5 min measured (at least 1 min)"


class _FakeUser:
    """Round 1: four instant steps and a slow last one; round 2: instant steps."""

    ERRORS = (RuntimeError,)

    def __init__(self, slow: float) -> None:
        self.slow, self.saved = slow, []

    async def __aenter__(self) -> _FakeUser:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    def steps(self, n: int) -> dict:
        async def instant() -> float:
            return 0.01

        async def slow() -> float:
            await asyncio.sleep(self.slow)
            return self.slow

        last = slow if n == 1 else instant
        return {**{step: instant for step in bench_load.STEPS[:4]}, "save": last}


def test_steps_started_in_the_warm_up_are_not_counted():
    """Round 1's steps all start before the warm-up ends (0.25 s), round 2's after.

    Round 1's save starts at about 0 s and lasts 0.5 s; round 2 starts at 0.5 s.
    So each step is counted once (round 2), with round 2's time 0.01 s.
    """
    args = argparse.Namespace(seed=1, ramp=0.0, think=(0.0, 0.0), rounds=2)
    stats = bench_load.Stats()
    now = time.monotonic()
    # In a thread of its own: a browser test before it in this worker may have
    # left an event loop running in the main thread (Playwright's sync API).
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(
            asyncio.run,
            bench_load.user_loop(_FakeUser(0.5), 0, stats, args, now + 0.25, now + 30),
        ).result(timeout=60)
    assert {step: stats.times[step] for step in bench_load.STEPS} == {
        step: [0.01] for step in bench_load.STEPS
    }
