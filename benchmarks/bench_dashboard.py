"""Benchmark: overview render and filter-change time in a real headless browser.

Run: .venv/bin/python benchmarks/bench_dashboard.py [--synthetic 100000]
Starts `streamlit run dashboard.py` on a free port (bundled data, then a
synthetic portfolio of N projects via PORTFOLIO_FILE), opens it in Debian's
Chromium with Playwright and prints:
- first render: page open -> KPIs shown and the map canvas drawn (server warm);
- filter change: choosing sector "Health" (once the first map draw is done) ->
  the KPI shows the new total and the run has finished.
Each figure is the median of 3 runs; the baseline row is a bare Streamlit page
(one st.write) measured the same way in the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM_ARGS, _free_port, chromium_path  # noqa: E402

READY = "[data-testid='stApp'][data-test-script-state='notRunning']"


def start(script: Path, env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script),
         "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env={**os.environ, **env},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    import urllib.request

    for _ in range(300):
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=1) as r:
                if r.read() == b"ok":
                    return proc, url
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start")


def first_render(browser, url: str, wait_map: bool = True) -> float:
    page = browser.new_page(viewport={"width": 1600, "height": 1200})
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(READY, timeout=120_000)
    if wait_map:
        page.wait_for_selector("[data-testid='stMetric']", timeout=120_000)
        page.wait_for_selector(
            "[data-testid='stDeckGlJsonChart'] canvas", timeout=120_000
        )
    elapsed = time.perf_counter() - start
    page.close()
    return elapsed


def filter_change(browser, url: str) -> float:
    page = browser.new_page(viewport={"width": 1600, "height": 1200})
    page.goto(url)
    page.wait_for_selector(READY, timeout=120_000)
    page.wait_for_selector("[data-testid='stMetric']", timeout=120_000)
    # Let the first map draw finish (a user looks at the page before filtering);
    # otherwise the click waits for deck.gl's initial tessellation.
    page.wait_for_selector("[data-testid='stDeckGlJsonChart'] canvas", timeout=120_000)
    page.wait_for_timeout(1500)
    metric = page.locator("[data-testid='stMetric']").filter(has_text="Total budget")
    before = metric.first.inner_text()
    page.locator(
        "[data-testid='stSidebar'] [data-testid='stMultiSelect']"
    ).first.click()
    start = time.perf_counter()
    page.get_by_role("option", name="Health", exact=True).click()
    page.wait_for_function(
        """(before) => {
            const m = [...document.querySelectorAll('[data-testid="stMetric"]')]
                .find(e => e.innerText.includes('Total budget'));
            return m && m.innerText !== before; }""",
        arg=before,
        timeout=120_000,
    )
    page.wait_for_selector(READY, timeout=120_000)
    elapsed = time.perf_counter() - start
    page.close()
    return elapsed


def measure(browser, script: Path, env: dict[str, str], label: str, full: bool):
    proc, url = start(script, env)
    try:
        first_render(browser, url, wait_map=full)  # warm the server caches
        render = statistics.median(first_render(browser, url, full) for _ in range(3))
        change = (
            statistics.median(filter_change(browser, url) for _ in range(3))
            if full
            else float("nan")
        )
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    print(f"{label:<34} first render {render:6.2f} s   filter change {change:6.2f} s")
    return render, change


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--synthetic", type=int, default=100_000)
    args = parser.parse_args()
    path = chromium_path()
    if not path:
        raise SystemExit("needs Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="bench-dash-"))
    bare = tmp / "bare.py"
    bare.write_text("import streamlit as st\nst.write('hello')\n")
    synth = tmp / "synthetic.parquet"
    subprocess.run(
        [sys.executable, "-m", "src.cli", "synth", "--projects",
         str(args.synthetic), "--out", str(synth)],
        cwd=ROOT, check=True, env={**os.environ, "APP_DATA_DIR": str(tmp)},
    )  # fmt: skip
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        base, _ = measure(browser, bare, {}, "baseline: bare Streamlit page", False)
        env = {"APP_DATA_DIR": str(tmp)}
        real, _ = measure(
            browser, ROOT / "dashboard.py", env, "bundled (1,029 projects)", True
        )
        env_s = {**env, "PORTFOLIO_FILE": str(synth)}
        label = f"synthetic ({args.synthetic:,} projects)"
        syn, _ = measure(browser, ROOT / "dashboard.py", env_s, label, True)
        browser.close()
    print(f"ratio bundled / bare page render   {real / base:.1f}x")
    print(f"ratio synthetic / bare page render {syn / base:.1f}x")


if __name__ == "__main__":
    main()
