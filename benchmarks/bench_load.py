"""Load test: N simulated users in real browsers against 1 and 2 app servers.

Run: .venv/bin/python benchmarks/bench_load.py [--users 20] [--duration 120]
     [--config one two]

Each configuration starts its app servers (`python dashboard.py`, localhost
only, each with its own data folder) on one fresh schema of a PostgreSQL
server: APP_BENCH_POSTGRES_URL, else APP_TEST_POSTGRES_URL (set by .ci/run),
else a throwaway cluster started with the machine's PostgreSQL binaries
(tests/postgres.py). Users are Playwright contexts of one Debian Chromium,
spread over the servers (sticky: a user stays on its server, as behind a proxy
with sticky sessions). Each user loops, until the time is up:

1. open the overview (navigation until its script run has finished, KPIs shown),
2. change a sidebar filter (a sector),
3. open the Scenarios page with a one-lever scenario (200 trials),
4. move the lever (slider, one step),
5. save the scenario under a new name (``load-<user>-<n>``).

"Rerun" times (2, 4, 5) run from the action to the end of the script run it
caused, read in the page from Streamlit's script-state attribute (a
MutationObserver's timestamps, not polling). Printed per configuration: p50 and
p95 of each step, errors (an exception element, a timeout, a refused save),
each server's RSS over time, and the saved scenarios checked against the
database (lost: confirmed in the browser but not stored; duplicated: a name
stored twice; unconfirmed: stored but never confirmed). Stops by itself: no
step starts after --duration, and every wait is bounded (180 s).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import postgres as pg  # noqa: E402
from tests.browser.conftest import (  # noqa: E402
    CHROMIUM_ARGS,
    SERVER_OPTIONS,
    _free_port,
    chromium_path,
)
from tests.conftest import seed_data_dir  # noqa: E402

READY = "[data-testid='stApp'][data-test-script-state='notRunning']"
STEP_TIMEOUT_MS = 180_000
STEPS = ("open overview", "filter change", "open scenarios", "lever move", "save")

# Timestamps of every script-state change, from the first byte of each page.
OBSERVER = """
window.__runs = [];
new MutationObserver((changes) => {
  for (const c of changes) {
    window.__runs.push([performance.now(),
                        c.target.getAttribute('data-test-script-state')]);
  }
}).observe(document, {attributes: true, subtree: true,
                      attributeFilter: ['data-test-script-state']});
"""
# Milliseconds from t0 to the end of the first run that started after t0.
RUN_DONE = """(t0) => {
  const ev = (window.__runs || []).filter((e) => e[0] >= t0);
  const i = ev.findIndex((e) => e[1] === 'running');
  if (i < 0) return false;
  const j = ev.findIndex((e, k) => k > i && e[1] === 'notRunning');
  return j < 0 ? false : Math.max(ev[j][0] - t0, 0.001);
}"""


def start_server(data_dir: Path, database: str) -> tuple[subprocess.Popen, str]:
    """`python dashboard.py` on a free localhost port, on `database`."""
    seed_data_dir(data_dir)
    port = _free_port()
    log = (data_dir / "server.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "dashboard.py"), *SERVER_OPTIONS,
         "--server.port", str(port)],
        cwd=ROOT,
        env={**os.environ, "APP_DATA_DIR": str(data_dir),
             "APP_DATABASE_URL": database},
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.read() == b"ok":
                    return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit(f"the app server did not start; see {data_dir / 'server.log'}")


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, MiB (Linux /proc)."""
    total = 0
    pids = [pid]
    with contextlib.suppress(OSError):
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    for p in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


class Stats:
    """Timings (s) and errors per step, confirmed saves."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter[str] = Counter()
        self.messages: list[str] = []
        self.saved: list[str] = []
        self.current: dict[int, str] = {}


async def timed_run(page, action) -> float:  # noqa: ANN001
    """Seconds from `action` to the end of the script run it caused."""
    t0 = await page.evaluate("performance.now()")
    await action()
    done = await page.wait_for_function(RUN_DONE, arg=t0, timeout=STEP_TIMEOUT_MS)
    return (await done.json_value()) / 1000


async def timed_goto(page, url: str) -> float:  # noqa: ANN001
    start = time.perf_counter()
    await page.goto(url, timeout=STEP_TIMEOUT_MS, wait_until="commit")
    await page.wait_for_selector(READY, timeout=STEP_TIMEOUT_MS)
    await page.wait_for_selector("[data-testid='stMetric']", timeout=STEP_TIMEOUT_MS)
    return time.perf_counter() - start


async def pick_sector(page, n: int) -> None:  # noqa: ANN001
    """Open the sidebar's first multiselect (sectors) and choose option `n`."""
    box = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']")
    options = page.get_by_role("option")
    for _ in range(10):  # a rerun may redraw the box and swallow the click
        await box.first.click()
        with contextlib.suppress(Exception):
            await options.first.wait_for(timeout=3_000)
            break
    count = await options.count()
    await options.nth(n % max(count, 1)).click()


async def one_round(page, base: str, uid: int, n: int, token: str,
                    stats: Stats, deadline: float) -> None:  # fmt: skip
    """The five steps once; a step is not started after the deadline."""
    slider = page.locator(
        "[data-testid='stMain'] [data-testid='stSlider'] input[type='range']"
    ).first
    name = f"load-{uid:02d}-{n:03d}"
    name_box = page.get_by_label("Scenario name", exact=True)
    save = page.get_by_role("button", name="Save", exact=True)

    async def nudge() -> None:
        await slider.focus()
        await page.keyboard.press("ArrowLeft" if n % 2 else "ArrowRight")

    async def save_it() -> float:
        await page.get_by_role("tab", name="Save and share").click()
        await name_box.fill(name)
        await timed_run(page, lambda: name_box.press("Enter"))
        took = await timed_run(page, save.click)
        main = await page.locator("[data-testid='stMain']").inner_text()
        if f"Saved as “{name}”" not in main:
            raise RuntimeError(f"save of {name} not confirmed")
        stats.saved.append(name)
        return took

    async def change_filter() -> float:
        took = await timed_run(page, lambda: pick_sector(page, uid + n))
        await page.keyboard.press("Escape")
        return took

    steps = {
        "open overview": lambda: timed_goto(page, base + "/"),
        "filter change": change_filter,
        "open scenarios": lambda: timed_goto(
            page, f"{base}/scenarios?scenario={token}"
        ),
        "lever move": lambda: timed_run(page, nudge),
        "save": save_it,
    }
    for step, run_step in steps.items():
        if time.monotonic() >= deadline:
            return
        stats.current[uid] = step
        stats.times[step].append(await run_step())
        if await page.locator("[data-testid='stException']").count():
            raise RuntimeError("an exception is shown")


async def one_user(browser, base: str, uid: int, deadline: float, token: str,
                   stats: Stats, delay: float) -> None:  # fmt: skip
    """One simulated user: rounds of the five steps until the deadline."""
    from playwright.async_api import Error as PlaywrightError

    await asyncio.sleep(delay)  # users arrive one after another (ramp-up)
    context = await browser.new_context(viewport={"width": 1400, "height": 1400})
    await context.add_init_script(OBSERVER)
    page = await context.new_page()
    n = 0
    while time.monotonic() < deadline:
        n += 1
        try:
            await one_round(page, base, uid, n, token, stats, deadline)
        except (PlaywrightError, RuntimeError) as exc:
            step = stats.current[uid]
            stats.errors[step] += 1
            stats.messages.append(f"user {uid} {step}: {str(exc).splitlines()[0]}")
    await context.close()


async def sample_memory(procs, until: float, series) -> None:  # noqa: ANN001
    while time.monotonic() < until:
        for i, proc in enumerate(procs):
            series[i].append((time.monotonic(), rss_mb(proc.pid)))
        await asyncio.sleep(2)


NO_WEBGL = ["--disable-webgl", "--disable-3d-apis"]
"""The map is drawn by each user's own machine; here 20 software-GL map draws
would compete with the servers for the same two cores."""


async def load(urls, procs, args, token: str):  # noqa: ANN001
    from playwright.async_api import async_playwright

    stats = Stats()
    series: dict[int, list[tuple[float, float]]] = defaultdict(list)
    extra = [] if args.webgl else NO_WEBGL
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=chromium_path(), args=[*CHROMIUM_ARGS, *extra]
        )
        warm = await browser.new_page()
        for url in urls:  # first run of each server (bundled cache read)
            await warm.goto(f"{url}/scenarios?scenario={token}", timeout=180_000)
            await warm.wait_for_selector(READY, timeout=180_000)
        await warm.close()
        deadline = time.monotonic() + args.duration
        tasks = [
            one_user(
                browser, urls[uid % len(urls)], uid, deadline, token, stats,
                uid * args.ramp,
            )
            for uid in range(args.users)
        ]  # fmt: skip
        sampler = sample_memory(procs, deadline + 5, series)
        await asyncio.gather(*tasks, sampler)
        await browser.close()
    return stats, series


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def report(label: str, stats: Stats, series, database: str) -> None:  # noqa: ANN001
    from sqlalchemy import create_engine, text

    print(f"\n== {label} ==")
    print(f"{'step':<16}{'n':>6}{'p50 s':>8}{'p95 s':>8}{'max s':>8}{'errors':>8}")
    for step in STEPS:
        values = stats.times[step]
        print(
            f"{step:<16}{len(values):>6}{pct(values, 0.5):>8.2f}"
            f"{pct(values, 0.95):>8.2f}{max(values, default=float('nan')):>8.2f}"
            f"{stats.errors[step]:>8}"
        )
    for i, points in sorted(series.items()):
        mbs = [mb for _, mb in points]
        half = len(mbs) // 2
        print(
            f"server {i + 1} RSS MiB: start {mbs[0]:.0f}, max {max(mbs):.0f}, "
            f"end {mbs[-1]:.0f}; mean of 1st half {statistics.mean(mbs[:half]):.0f}"
            f", 2nd half {statistics.mean(mbs[half:]):.0f} ({len(mbs)} samples)"
        )
    engine = create_engine(database)
    with engine.connect() as conn:
        rows = [r[0] for r in conn.execute(text("SELECT name FROM scenarios"))]
    engine.dispose()
    stored = Counter(rows)
    confirmed = set(stats.saved)
    lost = sorted(confirmed - set(stored))
    dup = sorted(n for n, c in stored.items() if c > 1)
    unconfirmed = sorted(set(stored) - confirmed)
    print(
        f"scenarios: {len(confirmed)} saves confirmed, {len(rows)} rows stored, "
        f"lost {len(lost)}, duplicated {len(dup)}, unconfirmed {len(unconfirmed)}"
    )
    for line in stats.messages[:10]:
        print("  error:", line)


def postgres_server() -> contextlib.AbstractContextManager[str]:
    url = os.environ.get("APP_BENCH_POSTGRES_URL") or os.environ.get(pg.ENV)
    return contextlib.nullcontext(url) if url else pg.throwaway_cluster()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=float, default=120.0, help="seconds")
    parser.add_argument("--config", nargs="+", default=["one", "two"])
    parser.add_argument(
        "--ramp", type=float, default=3.0, help="seconds between users' arrivals"
    )
    parser.add_argument(
        "--webgl", action="store_true", help="let the browsers draw the map"
    )
    args = parser.parse_args()
    if not chromium_path():
        raise SystemExit("needs Debian's chromium (apt-get install chromium)")
    from src.engine.scenario import Lever, Scenario

    token = Scenario(levers=(Lever("budget", -20),), trials=200).to_token()
    tmp = Path(tempfile.mkdtemp(prefix="bench-load-"))
    with postgres_server() as server:
        for config in args.config:
            n_servers = {"one": 1, "two": 2}[config]
            with pg.fresh_schema(server) as database:
                procs, urls = [], []
                try:
                    for i in range(n_servers):
                        proc, url = start_server(tmp / f"{config}-{i}", database)
                        procs.append(proc)
                        urls.append(url)
                    stats, series = asyncio.run(load(urls, procs, args, token))
                finally:
                    for proc in procs:
                        proc.terminate()
                        proc.wait(timeout=20)
                label = (
                    f"{args.users} users, {n_servers} server(s) on one PostgreSQL, "
                    f"{args.duration:.0f} s, one arrival every {args.ramp:g} s, "
                    f"map drawing {'on' if args.webgl else 'off'}"
                )
                report(label, stats, series, database)
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
