"""Benchmark the import path on a synthetic IATI file (default 100,000 activities).

Writes the file as benchmarks/bench_iati_parse.py does (real bundled activities
resampled with new identifiers), then in a fresh child process runs what the
data page and `python -m src.cli import` run: `import_files` (parse, validate,
merge, build the canonical table) and `save_dataset` (Parquet into SQLite in a
temporary data folder). Prints activities/s and the peak RSS of the child.

Usage:
    python benchmarks/bench_import.py [--activities N] [--seed S]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.bench_iati_parse import _max_rss_mb, write_synthetic  # noqa: E402


def _worker(path: str) -> dict[str, float]:
    from src.portfolio.imports import import_files
    from src.portfolio.schema import PortfolioMeta
    from src.store.datasets import save_dataset

    rss_before = _max_rss_mb()
    start = time.perf_counter()
    report = import_files([path])
    validated = time.perf_counter() - start
    meta = PortfolioMeta(report.as_of.isoformat(), report.fingerprint(), "bench")
    save_dataset(
        "bench",
        report.table,
        meta,
        provenance=report.provenance(),
        report=report.to_store_report(),
    )
    total = time.perf_counter() - start
    return {
        "activities": report.accepted,
        "rows": len(report.table),
        "problems": len(report.problems),
        "import_seconds": validated,
        "total_seconds": total,
        "rss_before_mb": rss_before,
        "max_rss_mb": _max_rss_mb(),
    }


def main() -> None:
    """Write the file, run the child, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(_worker(args.worker)))
        return
    with tempfile.TemporaryDirectory(prefix="bench_import_") as tmp:
        path = Path(tmp) / f"synthetic_{args.activities}.xml"
        write_synthetic(path, args.activities, args.seed)
        size_mb = path.stat().st_size / 2**20
        env = {**os.environ, "APP_DATA_DIR": tmp, "APP_MAX_UPLOAD_MB": "100000"}
        env.pop("APP_DATABASE_URL", None)
        out = subprocess.run(
            [sys.executable, __file__, "--worker", str(path)],
            check=True,
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
        )
        res = json.loads(out.stdout.strip().splitlines()[-1])
        db_mb = (Path(tmp) / "app.db").stat().st_size / 2**20
    n = res["activities"]
    print(f"file: {size_mb:,.1f} MiB, {args.activities:,} SYNTHETIC activities")
    print(
        f"import_files: {res['import_seconds']:.1f} s "
        f"({n / res['import_seconds']:,.0f} activities/s, "
        f"{size_mb / res['import_seconds']:.1f} MiB/s); {n:,} accepted, "
        f"{res['rows']:,} rows, {res['problems']:,} problems reported"
    )
    print(
        f"import + save to the store: {res['total_seconds']:.1f} s "
        f"({n / res['total_seconds']:,.0f} activities/s); store file {db_mb:,.1f} MiB"
    )
    print(
        f"peak RSS of the import process: {res['max_rss_mb']:,.0f} MiB "
        f"(after imports, before the run: {res['rss_before_mb']:,.0f} MiB)"
    )


if __name__ == "__main__":
    main()
