"""Benchmark: the overview's script run on the server (AppTest, no browser).

Run: .venv/bin/python benchmarks/bench_overview_rerun.py [--rounds 3] [--baseline DIR]

Runs the app's landing page (the overview, bundled data) in Streamlit's AppTest
and prints the median wall and CPU time of: a rerun that keeps the selection
(what a map control or coming back to the page costs), and a filter change
(sector "Health" chosen, then cleared). With --baseline DIR (another checkout,
e.g. the commit before a change) the same is measured there, each checkout in
its own process, alternately, so both see the same machine load.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child(root: Path, rounds: int) -> None:
    """Measure in this process (the checkout `root` on sys.path)."""
    sys.path.insert(0, str(root))
    os.chdir(root)
    from tests.conftest import seed_data_dir

    tmp = Path(tempfile.mkdtemp(prefix="bench-rerun-"))
    seed_data_dir(tmp)
    os.environ["APP_DATA_DIR"] = str(tmp)
    from tests.pages.helpers import open_page  # installs the pages/ shim too

    at = open_page(None)  # the first run of a process: imports, data, shapes
    found: dict[str, list[list[float]]] = {}

    def run(label: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        at.run()
        assert not at.exception, at.exception
        found.setdefault(label, []).append(
            [time.perf_counter() - wall, time.process_time() - cpu]
        )

    for _ in range(rounds):
        run("rerun, same selection")
        at.sidebar.multiselect[0].select("Health")
        run("filter change")
        at.sidebar.multiselect[0].unselect("Health")
        run("filter change")
    print(json.dumps(found))


def measure(root: Path, rounds: int) -> dict[str, list[list[float]]]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(root), "--rounds", str(rounds)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", type=Path)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.rounds)
        return
    roots = {"this checkout": ROOT}
    if args.baseline:
        roots["baseline"] = args.baseline.resolve()
    found: dict[str, dict[str, list[list[float]]]] = {name: {} for name in roots}
    for _ in range(2):  # alternate the checkouts
        for name, root in roots.items():
            for label, runs in measure(root, args.rounds).items():
                found[name].setdefault(label, []).extend(runs)
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    for name, labels in found.items():
        for label, runs in labels.items():
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            print(f"{name:<14} {label:<24} wall {wall:5.3f} s  cpu {cpu:5.3f} s")


if __name__ == "__main__":
    main()
