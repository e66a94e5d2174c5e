"""Benchmark: portfolio build from the bundled IATI files vs loading the cache.

Run: .venv/bin/python benchmarks/bench_build.py
Prints build time (parse + join + derive, no cache), cached Parquet load time,
their ratio, and peak Python memory of the build (tracemalloc).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

os.environ["APP_DATA_DIR"] = tempfile.mkdtemp(prefix="bench-build-")

from src.portfolio.load import build_from_files, load_bundled_portfolio  # noqa: E402
from src.portfolio.paths import bundled_iati_files  # noqa: E402


def timed(fn, repeat: int = 3) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    files = bundled_iati_files()
    size_mb = sum(f.stat().st_size for f in files) / 1e6
    build_s = timed(lambda: build_from_files(files))
    tracemalloc.start()
    df, *_ = build_from_files(files)
    peak_mb = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    load_bundled_portfolio(rebuild=True)  # write the cache
    cached_s = timed(load_bundled_portfolio, repeat=5)
    print(f"bundled IATI files       {len(files)} files, {size_mb:.1f} MB")
    print(f"rows / activities        {len(df):,} / {df['project_id'].nunique():,}")
    print(f"build (no cache)         {build_s:.3f} s   (target < 10 s)")
    print(f"build peak memory        {peak_mb:.0f} MB (tracemalloc)")
    print(f"load from Parquet cache  {cached_s * 1000:.1f} ms  (target < 1 s)")
    print(f"ratio build / cache      {build_s / cached_s:.1f}x")


if __name__ == "__main__":
    main()
