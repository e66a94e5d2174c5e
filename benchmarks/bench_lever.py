"""A lever move on the bundled data, server-side: what the Scenarios page computes.

Run: `python benchmarks/bench_lever.py [--repeats 5]`. A lever move re-runs the
scenario (200 trials, the page's default) on the bundled portfolio and builds the
summary sentence's numbers; the baseline run is cached by the page, so it is the
figure measured alongside for the ratio. Target: under 1 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from src.engine.montecarlo import combine, run  # noqa: E402
from src.engine.narrative import change_summary  # noqa: E402
from src.engine.scenario import BASELINE, Lever  # noqa: E402
from src.portfolio.load import load_bundled_portfolio  # noqa: E402

TRIALS = 200  # the Scenarios page's default (src/widgets/scenario_editor.py)


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    df, meta = load_bundled_portfolio()
    as_of = date.fromisoformat(meta.as_of)
    base_scen = BASELINE.with_changes(trials=TRIALS)
    base = run(df, base_scen, as_of=as_of)
    base_times, move_times = [], []
    for i in range(args.repeats):
        start = time.perf_counter()
        run(df, base_scen, as_of=as_of)
        base_times.append(time.perf_counter() - start)
        lever = Lever("budget", -20 - i, sectors=("Health",))
        scen = base_scen.with_changes(levers=(lever,))
        start = time.perf_counter()
        comp = combine(base, run(df, scen, as_of=as_of))
        change_summary(df, scen, comp)
        move_times.append(time.perf_counter() - start)
    b, m = statistics.median(base_times), statistics.median(move_times)
    n = len(df)
    print(f"bundled portfolio, {n:,} rows × {TRIALS} trials, median of {args.repeats}")
    lo_b, hi_b = min(base_times), max(base_times)
    lo_m, hi_m = min(move_times), max(move_times)
    print(f"  baseline run: {b:.3f} s [{lo_b:.3f}–{hi_b:.3f}]")
    print(
        f"  lever move (run + summary): {m:.3f} s [{lo_m:.3f}–{hi_m:.3f}], "
        f"×{m / b:.2f} the baseline run"
    )
    print(f"  target < 1 s: {'met' if m < 1 else 'NOT met'}")


if __name__ == "__main__":
    main()
