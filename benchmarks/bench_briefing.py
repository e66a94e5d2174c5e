"""Benchmark: full briefing pack for the bundled data (target: under 10 s).

Run: .venv/bin/python benchmarks/bench_briefing.py
Times, in a fresh process: imports + cached portfolio load; build_pack with every
section (map, charts rendered by vl-convert) in English and French; writing the
.pptx and the .pdf; and the same pack with two scenarios (1,000 Monte Carlo
trials each, baseline and scenario). Prints each step and the end-to-end total.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

START = time.perf_counter()

from src.briefing import build_pack, run_scenario, to_pdf, to_pptx  # noqa: E402
from src.engine.scenario import BASELINE, Lever  # noqa: E402
from src.portfolio.filters import FilterSpec  # noqa: E402
from src.portfolio.load import load_bundled_portfolio  # noqa: E402


def step(label: str, fn):
    start = time.perf_counter()
    out = fn()
    print(f"{label:<52} {time.perf_counter() - start:6.2f} s")
    return out


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    df, meta = step("import + load portfolio (cached)", load_bundled_portfolio)
    print(f"{'  (since process start)':<52} {time.perf_counter() - START:6.2f} s")
    spec = FilterSpec()
    pack = step(
        "build_pack, all sections, en",
        lambda: build_pack(df, meta, spec, lang="en"),
    )
    pptx = step("to_pptx", lambda: to_pptx(pack))
    pdf = step("to_pdf", lambda: to_pdf(pack))
    step("build_pack, all sections, fr", lambda: build_pack(df, meta, spec, lang="fr"))
    scenarios = [
        BASELINE.with_changes(name="Budget cut 20%", levers=(Lever("budget", -20),)),
        BASELINE.with_changes(name="Capacity +20%", levers=(Lever("capacity", 20),)),
    ]
    results = step(
        "2 scenarios x 1,000 trials (baseline + scenario)",
        lambda: [run_scenario(df, s, as_of=meta.as_of) for s in scenarios],
    )
    with_scen = step(
        "build_pack with the 2 scenario slides, en",
        lambda: build_pack(df, meta, spec, lang="en", scenarios=results),
    )
    step(
        "to_pptx + to_pdf with scenarios",
        lambda: (to_pptx(with_scen), to_pdf(with_scen)),
    )
    total = time.perf_counter() - START
    print(
        f"{len(pack.slides)} slides; pptx {len(pptx) / 1e6:.2f} MB, "
        f"pdf {len(pdf) / 1e6:.2f} MB"
    )
    print(f"{'TOTAL end to end (one process)':<52} {total:6.2f} s")


if __name__ == "__main__":
    main()
