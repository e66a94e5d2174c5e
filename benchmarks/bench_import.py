"""Benchmark the import path on a synthetic IATI file (default 100,000 activities).

Writes the file as benchmarks/bench_iati_parse.py does (real bundled activities
resampled with new identifiers), then measures in fresh child processes (each
peak RSS is its own):

* parser: the plain streaming parser loop (`iter_activities`, activities
  discarded), the baseline every other run is compared with;
* list: the import as it was before streaming (every activity parsed into a list,
  then `build_portfolio`), for comparison (skip it with --no-list);
* import: what the data page and `python -m src.cli import` run: `import_files`
  (streaming parse, validate, merge, build the canonical table) and
  `save_dataset` (Parquet into SQLite in a temporary data folder).

Prints activities/s, the ratio to the parser loop and the peak RSS of each child.

Usage:
    python benchmarks/bench_import.py [--activities N] [--seed S] [--no-list]
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


def _worker(mode: str, path: str) -> dict[str, float]:
    rss_before = _max_rss_mb()
    start = time.perf_counter()
    if mode == "parser":
        from src.iati.model import ParseReport
        from src.iati.parser import iter_activities

        parse_report = ParseReport()
        n = sum(1 for _ in iter_activities(path, report=parse_report))
        return {
            "activities": n,
            "import_seconds": time.perf_counter() - start,
            "rss_before_mb": rss_before,
            "max_rss_mb": _max_rss_mb(),
        }
    if mode == "list":
        from src.iati.parser import parse_file
        from src.portfolio.build import build_portfolio

        acts, parse_report = parse_file(path)
        table, build_report, _ = build_portfolio(acts)
        return {
            "activities": len(acts),
            "rows": len(table),
            "problems": len(parse_report.problems) + len(build_report.problems),
            "import_seconds": time.perf_counter() - start,
            "rss_before_mb": rss_before,
            "max_rss_mb": _max_rss_mb(),
        }
    from src.portfolio.imports import import_files
    from src.portfolio.schema import PortfolioMeta
    from src.store.datasets import save_dataset

    report = import_files([path])
    validated = time.perf_counter() - start
    rss_import = _max_rss_mb()
    meta = PortfolioMeta(report.as_of.isoformat(), report.fingerprint(), "bench")
    save_dataset(
        "bench",
        report.table,
        meta,
        provenance=report.provenance(),
        report=report.to_dataset_report(),
    )
    total = time.perf_counter() - start
    return {
        "activities": report.accepted,
        "rows": len(report.table),
        "problems": len(report.problems),
        "import_seconds": validated,
        "total_seconds": total,
        "rss_before_mb": rss_before,
        "import_rss_mb": rss_import,
        "max_rss_mb": _max_rss_mb(),
    }


def _child(mode: str, path: Path, env: dict[str, str]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--worker", mode, str(path)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    """Write the file, run the children, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--no-list", action="store_true", help="skip the list run")
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(_worker(*args.worker)))
        return
    with tempfile.TemporaryDirectory(prefix="bench_import_") as tmp:
        path = Path(tmp) / f"synthetic_{args.activities}.xml"
        write_synthetic(path, args.activities, args.seed)
        size_mb = path.stat().st_size / 2**20
        env = {**os.environ, "APP_DATA_DIR": tmp, "APP_MAX_UPLOAD_MB": "100000"}
        env.pop("APP_DATABASE_URL", None)
        modes = ["parser", "import"] if args.no_list else ["parser", "list", "import"]
        results = {mode: _child(mode, path, env) for mode in modes}
        db_mb = (Path(tmp) / "app.db").stat().st_size / 2**20
    base = results["parser"]
    print(f"file: {size_mb:,.1f} MiB, {args.activities:,} SYNTHETIC activities")
    print(
        f"{'run':<8}{'seconds':>9}{'act/s':>9}{'MiB/s':>7}{'x parser':>10}"
        f"{'peak RSS MiB':>14}{'x parser':>10}{'at start MiB':>14}"
    )
    for mode, res in results.items():
        secs = res["import_seconds"]
        rss = res.get("import_rss_mb", res["max_rss_mb"])
        print(
            f"{mode:<8}{secs:>9.1f}{res['activities'] / secs:>9,.0f}"
            f"{size_mb / secs:>7.1f}{secs / base['import_seconds']:>10.2f}"
            f"{rss:>14,.0f}{rss / base['max_rss_mb']:>10.2f}"
            f"{res['rss_before_mb']:>14,.0f}"
        )
    res = results["import"]
    n = res["activities"]
    print(
        f"\nimport: {n:,} accepted, {res['rows']:,} rows, "
        f"{res['problems']:,} problems reported"
    )
    print(
        f"import + save to the store: {res['total_seconds']:.1f} s "
        f"({n / res['total_seconds']:,.0f} activities/s); store file {db_mb:,.1f} MiB; "
        f"peak RSS with the save {res['max_rss_mb']:,.0f} MiB"
    )
    print(
        "peak RSS is each child's VmHWM (import: before the save); 'at start' is "
        "before the run, so pandas and the app modules load within the run"
    )


if __name__ == "__main__":
    main()
