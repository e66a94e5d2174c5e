"""Peak memory and time of the large hostile cases of issue 16, one child each.

Each case runs in a fresh child process (so its peak RSS, Linux's VmHWM, is
its own) under a wall-clock limit; the parent prints one line per case:

* sectors_cap: one IATI activity with 10,000 <sector> children (the cap);
* sectors_over: one activity with 1,000,000 <sector> children (100 x the cap,
  about 60 MB): the children past the cap are freed as they are read and the
  activity is skipped with a reason;
* csv: a CSV of APP_MAX_IMPORT_ROWS rows (500,000 by default, about 100 MB),
  read, validated and built into the canonical table (`import_files`); then,
  in another child, the same file read by plain `pandas.read_csv` (every
  cell as text), the baseline: the line "csv / read_csv" gives both ratios;
* csv_rejected: the same CSV with every row's budget "n/a" and its end date
  "9999-12-31" (two errors per row: the worst case of the column-wise check,
  which reads each flagged row on its own);
* xlsx: an .xlsx of --xlsx-rows rows (default 100,000; writing a larger
  workbook for the benchmark takes minutes), imported the same way;
* levers: a link with the most levers a scenario may hold (20), each on 15
  countries, parsed from its URL token and simulated on the bundled data;
* trials: a 2,000-trial baseline run on a SYNTHETIC 100,000-row portfolio,
  exactly at the rows x trials cap (200 million).

"start MiB" is the child's peak RSS after its imports, before the case; the
inputs are written by the parent (not counted in the child's time or memory).

Usage:
    python benchmarks/bench_memory.py [--only CASE ...] [--csv-rows N]
        [--xlsx-rows N] [--timeout S]
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

from benchmarks.bench_iati_parse import _max_rss_mb  # noqa: E402

CASES = (
    "sectors_cap", "sectors_over", "csv", "csv_rejected", "xlsx", "levers", "trials"
)  # fmt: skip


def write_sectors(path: Path, children: int) -> None:
    """One activity with `children` <sector> elements (streamed to disk)."""
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<iati-activities version="2.03"><iati-activity>'
        "<iati-identifier>XM-BENCH-1</iati-identifier>"
        "<title><narrative>Many sectors</narrative></title>"
        '<activity-status code="2"/><recipient-country code="KE"/>'
        '<activity-date type="1" iso-date="2020-01-01"/>'
        '<activity-date type="3" iso-date="2022-12-31"/>'
        '<budget><period-start iso-date="2020-01-01"/>'
        '<period-end iso-date="2020-12-31"/>'
        '<value currency="USD" value-date="2020-01-01">1000</value></budget>'
    )
    line = '<sector vocabulary="1" code="12220" percentage="1"/>\n'
    with path.open("w", encoding="utf-8") as out:
        out.write(head)
        for _ in range(children // 10_000):
            out.write(line * 10_000)
        out.write(line * (children % 10_000))
        out.write("</iati-activity></iati-activities>\n")


def tabular_frame(rows: int):  # noqa: ANN201 - a DataFrame
    """The import template's example row, `rows` times, with its own ids."""
    from src.portfolio import schema as S
    from src.portfolio.imports.template import template_frame

    one = template_frame()
    df = one.loc[one.index.repeat(rows)].reset_index(drop=True)
    df[S.COL_PROJECT_ID] = [f"XM-BENCH-{i}" for i in range(rows)]
    return df


def _worker(case: str, path: str) -> dict[str, float]:
    """Run one case in this (child) process; return its figures."""
    from src.engine.montecarlo import run
    from src.engine.scenario import BASELINE, Lever, Scenario
    from src.portfolio.imports import import_files
    from src.portfolio.load import load_bundled_portfolio

    df, meta = load_bundled_portfolio()
    start_rss = _max_rss_mb()
    start = time.perf_counter()
    out: dict[str, float] = {}
    if case == "read_csv":
        import pandas as pd

        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        out = {"rows": len(table)}
    elif case in ("sectors_cap", "sectors_over", "csv", "csv_rejected", "xlsx"):
        report = import_files([path])
        out = {"accepted": report.accepted, "problems": len(report.problems)}
    elif case == "levers":
        from datetime import date

        countries = sorted(df["country_iso3"].loc[df["country_iso3"] != ""].unique())
        levers = tuple(
            Lever("budget", -10, countries=tuple(countries[i : i + 15]))
            for i in range(0, 20 * 15, 15)
        )
        token = Scenario(levers=levers, trials=200).to_token()
        scenario = Scenario.from_token(token)
        result = run(df, scenario, as_of=date.fromisoformat(meta.as_of))
        out = {"levers": len(scenario.levers), "token_chars": len(token)}
        out["rows"] = len(result.rows)
    elif case == "trials":
        from datetime import date

        from src.portfolio.synth import synthesize

        big = synthesize(df, projects=100_000, seed=1)
        start = time.perf_counter()  # the synthetic table is not the case
        run(
            big,
            BASELINE.with_changes(trials=2_000),
            as_of=date.fromisoformat(meta.as_of),
        )
        out = {"rows": len(big), "trials": 2_000}
    out["seconds"] = time.perf_counter() - start
    out["start_mb"] = start_rss
    out["peak_mb"] = _max_rss_mb()
    return out


def _child(case: str, path: Path, env: dict[str, str], timeout: float) -> dict:
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--worker", case, str(path)],
            check=True,
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"over {timeout:g} s (stopped)"}
    except subprocess.CalledProcessError as exc:
        return {"error": (exc.stderr or "").strip().splitlines()[-1:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _inputs(case: str, tmp: Path, args: argparse.Namespace) -> tuple[Path, str]:
    """Write the case's input file; (path, description)."""
    if case == "sectors_cap":
        path = tmp / "sectors_cap.xml"
        write_sectors(path, 10_000)
        return path, "1 activity, 10,000 <sector>"
    if case == "sectors_over":
        path = tmp / "sectors_over.xml"
        write_sectors(path, 1_000_000)
        return path, "1 activity, 1,000,000 <sector>"
    if case == "csv":
        path = tmp / "big.csv"
        tabular_frame(args.csv_rows).to_csv(path, index=False)
        return path, f"{args.csv_rows:,} rows"
    if case == "csv_rejected":
        from src.portfolio import schema as S

        path = tmp / "rejected.csv"
        df = tabular_frame(args.csv_rows)
        df[S.COL_BUDGET], df[S.COL_END] = "n/a", "9999-12-31"
        df.to_csv(path, index=False)
        return path, f"{args.csv_rows:,} rows, 2 errors each"
    if case == "xlsx":
        path = tmp / "big.xlsx"
        tabular_frame(args.xlsx_rows).to_excel(path, index=False, engine="openpyxl")
        return path, f"{args.xlsx_rows:,} rows"
    if case == "levers":
        return tmp / "none", "20 levers x 15 countries, 200 trials, bundled data"
    return tmp / "none", "100,000 SYNTHETIC rows x 2,000 trials"


def main() -> None:
    """Write each input, run each case in its own child, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=CASES, default=list(CASES))
    parser.add_argument("--csv-rows", type=int, default=500_000)
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--timeout", type=float, default=600.0, help="per case, s")
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(_worker(*args.worker)))
        return
    print(f"{'case':<14}{'input':<52}{'MiB':>8}{'seconds':>9}{'peak MiB':>10}"
          f"{'start MiB':>11}  result")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="bench_memory_") as tmp:
        env = {**os.environ, "APP_DATA_DIR": tmp, "APP_MAX_UPLOAD_MB": "200"}
        env.pop("APP_DATABASE_URL", None)
        for case in args.only:
            path, what = _inputs(case, Path(tmp), args)
            size = path.stat().st_size / 2**20 if path.exists() else 0.0
            res = _child(case, path, env, args.timeout)
            _print(case, what, size, res)
            if case == "csv":
                base = _child("read_csv", path, env, args.timeout)
                _print(
                    "read_csv", "the same file, pandas.read_csv(dtype=str)", size, base
                )
                _print_ratio(res, base)
            path.unlink(missing_ok=True)


def _print(case: str, what: str, size: float, res: dict) -> None:
    if "error" in res:
        print(f"{case:<14}{what:<52}{size:>8.1f}  {res['error']}")
        return
    extra = {
        k: v for k, v in res.items() if k not in ("seconds", "peak_mb", "start_mb")
    }
    print(
        f"{case:<14}{what:<52}{size:>8.1f}{res['seconds']:>9.1f}"
        f"{res['peak_mb']:>10,.0f}{res['start_mb']:>11,.0f}  {extra}"
    )


def _print_ratio(res: dict, base: dict) -> None:
    """The import against the plain read of the same file, in this run."""
    if "error" in res or "error" in base:
        return
    grown = (res["peak_mb"] - res["start_mb"]) / max(
        base["peak_mb"] - base["start_mb"], 1
    )
    print(
        f"{'ratio':<14}{'csv / read_csv (same file, same run)':<52}{'':>8}"
        f"{res['seconds'] / base['seconds']:>8.1f}x{grown:>9.1f}x"
        f"{'':>11}  (time; memory grown past start)"
    )


if __name__ == "__main__":
    main()
