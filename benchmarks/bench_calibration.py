"""Calibration benchmark: the short-class fit and `validate`, against one bare fit.

Run: `python benchmarks/bench_calibration.py [--repeats 3]`. Prints the wall time
of (1) reading the IATI short-project file with our parser, (2) fitting the short
class (three distributions under three readings, plus Kaplan–Meier), (3) the
whole `validate` (ADB hold-out and three grouped 5-fold cross-validations), and
the baseline measured in the same run: one bare lifelines log-normal AFT fit on
the same records. Target: fit and validate each under 60 s on this machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from src.engine.calibration.records import design, read_reference_records  # noqa: E402
from src.engine.calibration.short import (  # noqa: E402
    COVARIATES,
    SOURCE_SHORT,
    class_entry,
)
from src.engine.calibration.validation import validate_all  # noqa: E402


def _time(work, repeats: int) -> tuple[float, float, float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), max(times)


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    records, excluded = read_reference_records()

    def bare() -> None:
        from lifelines import LogNormalAFTFitter

        data = design(records, "status", COVARIATES).astype(float)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            LogNormalAFTFitter().fit(data, duration_col="ratio", event_col="event")

    bare()  # warm-up: the first lifelines fit pays autograd's start-up
    rows = [
        ("read the IATI short-project file", lambda: read_reference_records()),
        ("one bare lifelines log-normal fit (baseline)", bare),
        (
            "short class: 3 distributions × 3 readings + KM",
            lambda: class_entry(records, excluded, source=SOURCE_SHORT),
        ),
        ("validate: ADB hold-out + 3 grouped 5-fold CVs", validate_all),
    ]
    results = {name: _time(work, args.repeats) for name, work in rows}
    floor = results[rows[1][0]][0]
    print(f"{len(records):,} records; median of {args.repeats} [min–max]; ratio to")
    print("the bare fit measured in this run")
    for name, (med, lo, hi) in results.items():
        print(f"  {name:<48} {med:7.2f} s [{lo:.2f}–{hi:.2f}]  ×{med / floor:5.1f}")
    for name in (rows[2][0], rows[3][0]):
        verdict = "met" if results[name][0] < 60 else "NOT met"
        print(f"  target < 60 s, {name}: {verdict}")


if __name__ == "__main__":
    main()
