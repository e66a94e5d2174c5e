"""Issue 16 item 3: a run is checked between chunks, stops at its time limit
and when its session asks it to (cooperative cancellation)."""

from __future__ import annotations

import pytest

from src.engine.examples import AS_OF, portfolio
from src.engine.montecarlo import run
from src.engine.scenario import BASELINE
from src.engine.work_limits import Deadline, RunTimeoutError

SMALL = BASELINE.with_changes(trials=64)


def test_the_check_runs_after_every_chunk_with_the_trials_done():
    calls: list[tuple[int, int]] = []
    run(
        portfolio(), SMALL, as_of=AS_OF, chunk_size=16, check=lambda *a: calls.append(a)
    )
    assert calls == [(16, 64), (32, 64), (48, 64), (64, 64)]
    calls.clear()
    run(
        portfolio(),
        SMALL.with_changes(trials=20),
        as_of=AS_OF,
        chunk_size=16,
        check=lambda *a: calls.append(a),
    )
    assert calls == [(16, 20), (20, 20)]  # the last chunk is padded to 24


class SessionClosed(Exception):
    """Stands for Streamlit's StopException at a yield point."""


def test_a_check_that_raises_stops_the_run_at_that_chunk():
    calls: list[int] = []

    def session(done: int, trials: int) -> None:
        calls.append(done)
        if done >= 32:
            raise SessionClosed

    with pytest.raises(SessionClosed):
        run(portfolio(), SMALL, as_of=AS_OF, chunk_size=16, check=session)
    assert calls == [16, 32]  # no chunk computed after the stop


def test_a_run_past_its_deadline_is_refused_with_what_would_fit():
    ticks = iter([0.0, 1.0, 2.0, 61.0, 62.0])
    deadline = Deadline(60.0, clock=lambda: next(ticks))
    with pytest.raises(RunTimeoutError) as caught:
        run(portfolio(), SMALL, as_of=AS_OF, chunk_size=16, check=deadline)
    assert (caught.value.done, caught.value.trials) == (48, 64)
    assert caught.value.fits == 48
    assert "use at most 48 trials, or a smaller selection" in str(caught.value)
    assert run(portfolio(), SMALL, as_of=AS_OF, check=Deadline(0)).trials.shape[0] == 64
