"""The benchmarks still run: each answers --help, the load test does a tiny real run.

A benchmark is run by hand, rarely; without these tests a refactor of what it
imports (e.g. tests/browser/conftest.py) breaks it silently.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

# The benchmarks, the load test's snapshot comparison, and the deployment's proxy
# check (it reuses the load test's servers).
BENCHMARKS = [
    *sorted((ROOT / "benchmarks").glob("bench_*.py")),
    ROOT / "benchmarks" / "trace_diff.py",
    ROOT / "deploy" / "check_proxy.py",
]
STEPS = ("open overview", "filter change", "open scenarios", "lever move", "save")
STEP_LINE = re.compile(
    r"^(?P<step>[a-z ]+?)\s+(?P<n>\d+)\s+(?P<p50>\d+\.\d\d)\s+(?P<p95>\d+\.\d\d)"
    r"\s+(?P<max>\d+\.\d\d)\s+(?P<errors>\d+)$"
)


# Runs each benchmark as `python benchmarks/bench_X.py --help` would, one after
# another in one process (their imports, pandas and streamlit, loaded once).
HELP_DRIVER = """
import contextlib, io, json, runpy, sys, traceback
results = {}
for path in sys.argv[1:]:
    out = io.StringIO()
    sys.argv = [path, "--help"]
    try:
        with contextlib.redirect_stdout(out):
            runpy.run_path(path, run_name="__main__")
        code = "returned without exiting"
    except SystemExit as exc:
        code = exc.code or 0
    except BaseException:
        code = traceback.format_exc(limit=-3)
    results[path] = [code, out.getvalue()]
print(json.dumps(results))
"""


def test_every_benchmark_imports_and_answers_help():
    """Each benchmarks/bench_*.py imports and prints its usage for --help (exit 0)."""
    assert len(BENCHMARKS) >= 10
    proc = subprocess.run(
        [sys.executable, "-c", HELP_DRIVER, *map(str, BENCHMARKS)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout.splitlines()[-1])
    failures = [
        f"{Path(path).name}: {code}"
        for path, (code, out) in results.items()
        if code != 0 or not out.startswith("usage: ")
    ]
    assert not failures, "\n".join(failures)
    assert sorted(results) == sorted(map(str, BENCHMARKS))


def test_load_test_tiny_run(tmp_path):
    """Two protocol users, one round each, one server on SQLite, memory probed.

    Each step is done twice (2 users x 1 round), without error; each user's
    save (names load-00-001 and load-01-001, made by the benchmark) is in the
    servers' database once, read here from the SQLite file itself. The server
    runs under benchmarks/serve_probed.py (--probe, a sample every second):
    its samples are in the probe folder, with the end's three lines (the last
    sample, after gc.collect, after malloc_trim), and summarised in the output;
    the RSS samples are saved next to them.
    """
    keep, probe = tmp_path / "run", tmp_path / "probe"
    args = ["--users", "2", "--rounds", "1", "--duration", "90", "--ramp", "0"]
    args += ["--think", "0.1", "0.3", "--config", "one", "--database", "sqlite"]
    args += ["--timeout", "90", "--keep", str(keep)]
    args += ["--probe", str(probe), "--probe-every", "1"]
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_load.py"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    rows = {
        m["step"]: m for m in map(STEP_LINE.match, out.splitlines()) if m is not None
    }
    assert set(rows) == set(STEPS), out
    for step in STEPS:
        row = rows[step]
        assert (int(row["n"]), int(row["errors"])) == (2, 0), out
        p50, p95, most = float(row["p50"]), float(row["p95"]), float(row["max"])
        assert 0 < p50 <= p95 <= most < 90, out
    assert "lost 0, duplicated 0, unconfirmed 0" in out, out
    assert "2 saves confirmed, 2 rows stored" in out, out
    assert re.search(r"server 1 RSS MiB: start \d+, max \d+, end \d+", out), out
    assert re.search(r"slope [+-]\d+\.\d\d MiB/min", out), out
    # seconds of load: too short for a verdict on the memory trend, said so
    assert re.search(r"memory not judged: 0\.\d min measured", out), out
    (samples,) = (probe / "one").glob("probe-*.jsonl")
    rows = [json.loads(line) for line in samples.read_text().splitlines()]
    assert [r["event"] for r in rows[-3:]] == [
        "end",
        "after gc.collect",
        "after malloc_trim",
    ]
    caches = {c["name"]: c for c in rows[-3]["caches"]}
    assert caches["src.widgets.row_cache._of_rows"]["max_entries"] == 64
    assert 0 < caches["src.widgets.row_cache._of_rows"]["entries"] <= 64
    assert rows[-3]["sessions_active"] + rows[-3]["sessions_stored"] >= 1
    assert "server 1 probe (benchmarks/serve_probed.py):" in out, out
    series = (probe / "rss-one.csv").read_text().splitlines()
    assert series[0] == "server,seconds,rss_mib"
    assert len(series) >= 2
    assert series[1].startswith("1,0.0,")
    assert "after malloc_trim: RSS" in out, out
    with sqlite3.connect(keep / "one.db") as db:
        names = [r[0] for r in db.execute("SELECT name FROM scenarios")]
    assert sorted(names) == ["load-00-001", "load-01-001"]
