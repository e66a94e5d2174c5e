"""Engine benchmark: wall time, peak memory and the random-number "floor" ratio.

Run: `python benchmarks/bench_engine.py [--rows 10000 100000] [--trials 1000]`.
Synthetic portfolios are resampled from the bundled one (src.portfolio.synth;
falls back to the engine's hand-made example when the bundle is unavailable).
One core: thread pools are limited to 1 before numpy is imported.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from src.engine.montecarlo import BLOCK, run  # noqa: E402
from src.engine.scenario import BASELINE, Lever  # noqa: E402


def portfolio(rows: int) -> tuple[pd.DataFrame, date]:
    """A synthetic portfolio of `rows` rows and its data date."""
    try:
        from src.portfolio.load import load_bundled_portfolio
        from src.portfolio.synth import synthesize

        real, meta = load_bundled_portfolio()
        return synthesize(real, projects=rows, seed=1), date.fromisoformat(meta.as_of)
    except Exception:  # noqa: BLE001 - the bundle is optional for a benchmark
        from src.engine.examples import AS_OF
        from src.engine.examples import portfolio as example

        return example(rows, seed=1), AS_OF


def floor_seconds(rows: int, countries: int, trials: int) -> float:
    """Time numpy needs just to draw the engine's random numbers (same blocks)."""
    t0 = time.perf_counter()
    buf = [np.empty((BLOCK, n), np.float32) for n in (countries, 11, rows, rows)]
    for b in range(-(-trials // BLOCK)):
        rng = np.random.default_rng(np.random.SeedSequence(1, spawn_key=(b,)))
        for arr in buf:
            rng.standard_normal(dtype=np.float32, out=arr)
    return time.perf_counter() - t0


def bench(rows: int, trials: int, repeats: int) -> dict[str, float]:
    """Time `run` and the floor (median of `repeats`, after one warm-up), memory."""
    df, as_of = portfolio(rows)
    scen = BASELINE.with_changes(
        trials=trials,
        levers=(
            Lever("budget", -20, sectors=("Health",)),
            Lever("capacity", 15, regions=("Sub-Saharan Africa",)),
        ),
    )
    run(df, scen, as_of=as_of, trials=min(trials, 64))  # warm-up (imports, caches)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        run(df, scen, as_of=as_of)
        times.append(time.perf_counter() - t0)
    floors = [
        floor_seconds(rows, df["country_iso3"].nunique(), trials)
        for _ in range(repeats)
    ]
    tracemalloc.start()
    run(df, scen, as_of=as_of)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "rows": rows,
        "trials": trials,
        "seconds": float(np.median(times)),
        "seconds_range": (min(times), max(times)),
        "floor_seconds": float(np.median(floors)),
        "floor_range": (min(floors), max(floors)),
        "ratio": float(np.median(times) / np.median(floors)),
        "peak_tracemalloc_mb": peak / 2**20,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--trials", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(
        f"numpy {np.__version__}, one thread; median of {args.repeats} runs "
        "[min–max]; ratio = engine median ÷ floor median, measured in this run"
    )
    for rows in args.rows:
        r = bench(rows, args.trials, args.repeats)
        (t_lo, t_hi), (f_lo, f_hi) = r["seconds_range"], r["floor_range"]
        print(
            f"{r['rows']:>7,} rows × {r['trials']:,} trials: {r['seconds']:.3f} s "
            f"[{t_lo:.3f}–{t_hi:.3f}] (floor {r['floor_seconds']:.3f} s "
            f"[{f_lo:.3f}–{f_hi:.3f}], ratio {r['ratio']:.2f}); peak "
            f"tracemalloc {r['peak_tracemalloc_mb']:.0f} MB, max RSS so far "
            f"{r['max_rss_mb']:.0f} MB"
        )


if __name__ == "__main__":
    main()
