"""Bounded work per request: a time limit checked between chunks of trials.

`montecarlo.run(check=...)` calls its check after every chunk with the trials
done so far; a check may raise to stop the run there (cooperative: numpy is
never interrupted mid-chunk). `Deadline` is the time limit; the app's check
also reads its session state there, which is where Streamlit stops a script
whose session was closed or rerun.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

Check = Callable[[int, int], None]
"""A between-chunks callback: (trials done, trials asked); raises to stop."""


class RunSizeError(ValueError):
    """A run above the rows × trials limit (`montecarlo.MAX_ROW_TRIALS`).

    Attributes:
        rows, trials: what was asked; limit: the row-trials allowed per run;
        fits: the most trials that fit for these rows.
    """

    def __init__(self, rows: int, trials: int, limit: int) -> None:
        self.rows, self.trials, self.limit = rows, trials, limit
        self.fits = max(1, limit // max(rows, 1))
        super().__init__(
            f"{rows:,} rows × {trials:,} trials is above the limit of "
            f"{limit:,} row-trials per run: use at most {self.fits:,} trials "
            "for this selection, or a smaller selection"
        )


class RunTimeoutError(ValueError):
    """A run stopped at its time limit, between two chunks of trials.

    Attributes:
        seconds: the limit.
        done: trials finished when it stopped.
        trials: trials asked for.
    """

    def __init__(self, seconds: float, done: int, trials: int) -> None:
        self.seconds = seconds
        self.done = done
        self.trials = trials
        super().__init__(
            f"the simulation took longer than {seconds:g} s and was stopped after "
            f"{done:,} of {trials:,} trials: use at most {self.fits:,} trials, "
            "or a smaller selection"
        )

    @property
    def fits(self) -> int:
        """Trials that fit in the limit (those done, in hundreds when ≥ 100).

        >>> RunTimeoutError(60, 1_234, 2_000).fits, RunTimeoutError(60, 8, 2_000).fits
        (1200, 8)
        """
        return self.done // 100 * 100 if self.done >= 100 else max(self.done, 1)


@dataclass
class Deadline:
    """A `Check` raising `RunTimeoutError` once `seconds` have passed.

    `seconds` ≤ 0 means no limit. The clock starts when the Deadline is made,
    so one Deadline shared by a baseline and a scenario run bounds both.

    >>> ticks = iter([0.0, 1.0, 9.0])
    >>> d = Deadline(5.0, clock=lambda: next(ticks))
    >>> d(8, 64)
    >>> d(16, 64)
    Traceback (most recent call last):
    ...
    src.engine.work_limits.RunTimeoutError: the simulation took longer than 5 s ...
    """

    seconds: float
    clock: Callable[[], float] = time.monotonic
    start: float = field(init=False)

    def __post_init__(self) -> None:
        self.start = self.clock()

    def __call__(self, done: int, trials: int) -> None:
        """Raise `RunTimeoutError` when the limit has passed."""
        if self.seconds > 0 and self.clock() - self.start > self.seconds:
            raise RunTimeoutError(self.seconds, done, trials)


class Stages:
    """One `Check` shared by the runs of an analysis (a tornado, assumption runs).

    Passed as the `check` of each of `runs` runs of the same trials, it counts
    the work done over all of them (a run starts when its trials done go back
    down) and calls `check` with each run's own progress. When `check` raises
    `RunTimeoutError`, it is raised again in the units a user can act on: the
    trials per run that would have fitted, (trials done over all runs) / runs.

    >>> d = Deadline(5.0, clock=iter([0.0, 1.0, 2.0, 9.0]).__next__)
    >>> stages = Stages(d, runs=4)
    >>> stages(100, 100); stages(100, 100)  # two runs of 100 trials done
    >>> stages(60, 100)
    Traceback (most recent call last):
    ...
    src.engine.work_limits.RunTimeoutError: ... stopped after 65 of 100 trials: ...
    """

    def __init__(self, check: Check, runs: int) -> None:
        self.check, self.runs = check, max(runs, 1)
        self.before = 0  # trials of the runs finished
        self.last = 0  # trials done in the current run

    def __call__(self, done: int, trials: int) -> None:
        """Count the progress of the current run, then check."""
        if done <= self.last:  # a new run
            self.before += self.last
        self.last = done
        try:
            self.check(done, trials)
        except RunTimeoutError as exc:
            per_run = (self.before + done) // self.runs
            raise RunTimeoutError(exc.seconds, per_run, trials) from None
