"""Load test: N simulated users against 1 and 2 app servers.

Run: .venv/bin/python benchmarks/bench_load.py [--users 20] [--duration 120]
     [--config one two] [--client protocol|browser] [--think 3 8]
     [--warmup 240] [--max-growth 20] [--probe DIR [--tracemalloc FRAMES]]

Each configuration starts its app servers (`python dashboard.py`, localhost
only, each with its own data folder) on one fresh database: by default a fresh
schema of a PostgreSQL server (APP_BENCH_POSTGRES_URL, else APP_TEST_POSTGRES_URL
set by .ci/run, else a throwaway cluster started with the machine's PostgreSQL
binaries, tests/postgres.py); with --database sqlite one SQLite file the
servers share. Users are spread over the servers (sticky: a user stays on its
server, as behind a proxy with sticky sessions) and arrive one every --ramp
seconds. Each user loops, until the time is up (or --rounds rounds):

1. open the overview (until its script run has finished, KPIs shown),
2. change a sidebar filter (a sector),
3. open the Scenarios page with a one-lever scenario (200 trials),
4. move the lever (slider, one step),
5. save the scenario under a new name (``load-<user>-<n>``), with the page's
   own Save button (the app's save, not the store's function),

thinking between two steps for a random time in --think (seconds, seeded by
--seed and the user's number; default 3 to 8 s).

Clients (--client): ``protocol`` (default, benchmarks/load_protocol.py) speaks
Streamlit's websocket protocol as a browser tab does, without drawing: cheap,
so the figures measure the servers. ``browser`` (benchmarks/load_browser.py)
drives a Playwright context of Debian's Chromium per user: the README's
figures of 2026-12-01 (``--client browser --think 0 0``), where the browsers
took most of the servers' CPU.

Rerun times (2, 4, 5) run from the action (the rerun request sent) to the end
of the script run it caused; page opens (1, 3) from the request for the page.
Printed per configuration: p50 and p95 of each step, errors (an exception
shown, a timeout, a refused save, a lost connection), each server's RSS over
time, and the saved scenarios checked against the database (lost: confirmed in
the page but not stored; duplicated: a name stored twice; unconfirmed: stored
but never confirmed). Stops by itself: no step starts after --duration, and
every wait is bounded (--timeout, 180 s).

Memory (benchmarks/load_memory.py): over the measured window, after
--warmup seconds of the same load not counted, each server's RSS sampled
every 2 s gives its least-squares slope (MiB per minute) and the mean of its
first and last minute; the verdict is slope x 10 min <= --max-growth MiB.
--probe DIR runs the servers under benchmarks/serve_probed.py (what a server
holds: glibc's heap, sessions, caches, media files, the collector).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import load_browser, load_memory, load_protocol  # noqa: E402
from tests import postgres as pg  # noqa: E402
from tests.browser.conftest import (  # noqa: E402
    CHROMIUM_ARGS,
    SERVER_OPTIONS,
    chromium_path,
    free_port,
)
from tests.conftest import seed_data_dir  # noqa: E402

STEPS = ("open overview", "filter change", "open scenarios", "lever move", "save")
MAX_GROWTH = 20.0  # MiB per server per 10 minutes of load: see README, Load test


def start_server(
    data_dir: Path, database: str, probe: dict[str, str] | None = None
) -> tuple[subprocess.Popen, str]:
    """`python dashboard.py` on a free localhost port, on `database`.

    With `probe` (serve_probed's environment variables) the server is started
    by benchmarks/serve_probed.py instead, which samples what it holds.
    """
    seed_data_dir(data_dir)
    port = free_port()
    log = (data_dir / "server.log").open("w")
    launcher = "benchmarks/serve_probed.py" if probe else "dashboard.py"
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / launcher),
            *SERVER_OPTIONS,
            "--server.port",
            str(port),
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "APP_DATA_DIR": str(data_dir),
            "APP_DATABASE_URL": database,
            **(probe or {}),
        },
        stdout=log,
        stderr=subprocess.STDOUT,
    )
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


def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants (Linux /proc)."""
    tree = [pid]
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError):
                for child in (task / "children").read_text().split():
                    tree += process_tree(int(child))
    return tree


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of the processes `pids` so far (Linux /proc)."""
    total = 0
    for p in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def cpu_split(procs) -> tuple[list[float], float]:  # noqa: ANN001
    """CPU seconds so far: each server's, and the load generator's (the rest)."""
    servers = [process_tree(proc.pid) for proc in procs]
    everything = cpu_seconds(process_tree(os.getpid()))
    per_server = [cpu_seconds(tree) for tree in servers]
    return per_server, everything - sum(per_server)


class Stats:
    """Timings (s) and errors per step, confirmed saves, CPU used."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter[str] = Counter()
        self.messages: list[str] = []
        self.saved: list[str] = []
        self.current: dict[int, str] = {}
        self.warmup_errors = 0
        self.wall = 0.0
        self.server_cpu: list[float] = []
        self.generator_cpu = 0.0


async def user_loop(  # noqa: PLR0913
    user,  # noqa: ANN001
    uid: int,
    stats: Stats,
    args,  # noqa: ANN001
    measured_from: float,
    deadline: float,
) -> None:
    """Rounds of the five steps until the deadline (or --rounds), with think time.

    A step started before `measured_from` (the warm-up) is not counted.
    """
    rng = random.Random(f"{args.seed}-{uid}")
    await asyncio.sleep(uid * args.ramp)  # users arrive one after another
    async with user:
        n = 0
        while time.monotonic() < deadline and (not args.rounds or n < args.rounds):
            n += 1
            try:
                for step, run_step in user.steps(n).items():
                    if time.monotonic() >= deadline:
                        break
                    stats.current[uid] = step
                    started = time.monotonic()
                    seconds = await run_step()
                    if started >= measured_from:
                        stats.times[step].append(seconds)
                    pause = min(rng.uniform(*args.think), deadline - time.monotonic())
                    await asyncio.sleep(max(0.0, pause))
            except user.ERRORS as exc:
                step = stats.current[uid]
                if time.monotonic() < measured_from:
                    stats.warmup_errors += 1
                    continue
                stats.errors[step] += 1
                stats.messages.append(f"user {uid} {step}: {str(exc).splitlines()[0]}")
    stats.saved.extend(user.saved)


async def sample_memory(procs, stop: asyncio.Event, series) -> None:  # noqa: ANN001
    """Each server's RSS every 2 s, and once more when `stop` is set."""
    while True:
        for i, proc in enumerate(procs):
            series[i].append((time.monotonic(), rss_mb(proc.pid)))
        if stop.is_set():
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 2)


async def warm_up(urls: list[str], token: str, timeout: float) -> None:
    """Each server's first runs (bundled cache read, first charts), not timed."""
    for url in urls:
        for page, query in (("", ""), ("scenarios", f"scenario={token}")):
            session = load_protocol.Session(url, page, query)
            try:
                await session.open(timeout)
            finally:
                await session.close()


async def load(urls, procs, args, token: str):  # noqa: ANN001
    stats = Stats()
    series: dict[int, list[tuple[float, float]]] = defaultdict(list)
    await warm_up(urls, token, args.timeout)
    async with contextlib.AsyncExitStack() as stack:
        if args.client == "browser":
            from playwright.async_api import async_playwright

            pw = await stack.enter_async_context(async_playwright())
            extra = [] if args.webgl else load_browser.NO_WEBGL
            browser = await pw.chromium.launch(
                executable_path=chromium_path(), args=[*CHROMIUM_ARGS, *extra]
            )
            stack.push_async_callback(browser.close)

            def make_user(url: str, uid: int):  # noqa: ANN202
                return load_browser.BrowserUser(browser, url, uid, token, args.timeout)
        else:

            def make_user(url: str, uid: int):  # noqa: ANN202
                return load_protocol.ProtocolUser(url, uid, token, args.timeout)

        measured_from = time.monotonic() + args.warmup
        deadline = measured_from + args.duration
        tasks = [
            user_loop(
                make_user(urls[uid % len(urls)], uid),
                uid,
                stats,
                args,
                measured_from,
                deadline,
            )
            for uid in range(args.users)
        ]
        stop = asyncio.Event()
        sampler = asyncio.create_task(sample_memory(procs, stop, series))
        users = asyncio.gather(*tasks)
        # The warm-up: users already at work, nothing counted yet.
        await asyncio.wait([users], timeout=args.warmup)
        start, (servers0, generator0) = time.monotonic(), cpu_split(procs)
        for i, proc in enumerate(procs):  # the window's first sample, at its start
            series[i].append((start, rss_mb(proc.pid)))
        await users
        stop.set()
        await sampler
        servers1, generator1 = cpu_split(procs)  # before the browsers close
        stats.wall = time.monotonic() - start
        stats.server_cpu = [b - a for a, b in zip(servers0, servers1, strict=True)]
        stats.generator_cpu = generator1 - generator0
    measured = {
        i: [(t, mb) for t, mb in points if t >= start] for i, points in series.items()
    }
    return stats, measured


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def report(label: str, stats: Stats, series, database: str, args) -> None:  # noqa: ANN001
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
    if args.warmup:
        print(
            f"(after a warm-up of {args.warmup:.0f} s, not counted: "
            f"{stats.warmup_errors} errors in it)"
        )
    for i, points in sorted(series.items()):
        memory = load_memory.summary(points)
        print(memory.line(i))
        print(f"  {load_memory.verdict(memory, args.max_growth)}")
    servers = ", ".join(
        f"server {i + 1} {cpu:.1f} s" for i, cpu in enumerate(stats.server_cpu)
    )
    print(
        f"CPU over the {stats.wall:.0f} s of load ({os.cpu_count()} cores): "
        f"{servers}; load generator {stats.generator_cpu:.1f} s"
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


@contextlib.contextmanager
def databases(kind: str, tmp: Path):
    """A function giving each configuration a fresh, empty database (its URL)."""
    if kind == "sqlite":
        yield lambda config: contextlib.nullcontext(f"sqlite:///{tmp / f'{config}.db'}")
        return
    with postgres_server() as server:
        yield lambda config: pg.fresh_schema(server)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument(
        "--duration", type=float, default=120.0, help="seconds measured"
    )
    parser.add_argument(
        "--warmup",
        type=float,
        default=0.0,
        help="seconds of load before the measured --duration, not counted "
        "(fills the caches and the stored sessions; default 0)",
    )
    parser.add_argument(
        "--max-growth",
        type=float,
        default=MAX_GROWTH,
        metavar="MIB",
        help="memory criterion: RSS slope x 10 min at most MIB per server "
        f"(default {MAX_GROWTH:g})",
    )
    parser.add_argument(
        "--probe",
        type=Path,
        metavar="DIR",
        help="start the servers with benchmarks/serve_probed.py: samples of "
        "sessions, caches, media files, the collector (and tracemalloc "
        "snapshots) into DIR, summarised at the end",
    )
    parser.add_argument(
        "--probe-every", type=float, default=60.0, help="seconds between samples"
    )
    parser.add_argument(
        "--tracemalloc",
        type=int,
        default=0,
        metavar="FRAMES",
        help="with --probe: trace Python allocations (FRAMES per traceback)",
    )
    parser.add_argument(
        "--config",
        nargs="+",
        default=["one", "two"],
        choices=["one", "two"],
        help="one server, two servers",
    )
    parser.add_argument(
        "--client",
        choices=["protocol", "browser"],
        default="protocol",
        help="Streamlit's websocket protocol (default), or "
        "a headless Chromium per user",
    )
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=[3.0, 8.0],
        metavar=("LOW", "HIGH"),
        help="seconds a user waits between two steps, drawn "
        "uniformly (default 3 8; 0 0: none)",
    )
    parser.add_argument("--seed", type=int, default=1, help="of the think times")
    parser.add_argument(
        "--rounds",
        type=int,
        default=0,
        help="stop each user after this many rounds (default 0: until --duration)",
    )
    parser.add_argument(
        "--database",
        choices=["postgresql", "sqlite"],
        default="postgresql",
        help="the servers' shared database (default PostgreSQL)",
    )
    parser.add_argument(
        "--ramp", type=float, default=3.0, help="seconds between users' arrivals"
    )
    parser.add_argument(
        "--timeout", type=float, default=180.0, help="bound of every wait, seconds"
    )
    parser.add_argument(
        "--webgl", action="store_true", help="browser client: draw the map"
    )
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="put the servers' data folders and logs (and the SQLite files) "
        "in DIR and keep them (default: a temporary folder, removed)",
    )
    return parser.parse_args(argv)


def main() -> None:
    args = parse_args()
    if args.client == "browser" and not chromium_path():
        raise SystemExit("needs Debian's chromium (apt-get install chromium)")
    from src.engine.scenario import Lever, Scenario

    token = Scenario(levers=(Lever("budget", -20),), trials=200).to_token()
    tmp = args.keep or Path(tempfile.mkdtemp(prefix="bench-load-"))
    tmp.mkdir(parents=True, exist_ok=True)
    client = args.client + (
        f" (map drawing {'on' if args.webgl else 'off'})"
        if args.client == "browser"
        else ""
    )
    with databases(args.database, tmp) as fresh_database:
        for config in args.config:
            n_servers = {"one": 1, "two": 2}[config]
            with fresh_database(config) as database:
                procs, urls = [], []
                load_start = os.getloadavg()[0]
                probe = args.probe and load_memory.probe_env(
                    args.probe.resolve() / config, args.probe_every, args.tracemalloc
                )
                try:
                    for i in range(n_servers):
                        proc, url = start_server(tmp / f"{config}-{i}", database, probe)
                        procs.append(proc)
                        urls.append(url)
                    stats, series = asyncio.run(load(urls, procs, args, token))
                    if probe:
                        load_memory.finish_probes(
                            [p.pid for p in procs], args.probe.resolve() / config
                        )
                finally:
                    for proc in procs:
                        proc.terminate()
                        proc.wait(timeout=20)
                label = (
                    f"{args.users} users, {n_servers} server(s) on one "
                    f"{args.database} database, {args.duration:.0f} s measured"
                    f"{f' after {args.warmup:.0f} s of warm-up' if args.warmup else ''}"
                    f", one arrival "
                    f"every {args.ramp:g} s, think {args.think[0]:g}-"
                    f"{args.think[1]:g} s, client {client}"
                )
                report(label, stats, series, database, args)
                if probe:  # the RSS samples, for a closer look (seconds, MiB)
                    with (args.probe / f"rss-{config}.csv").open("w") as f:
                        f.write("server,seconds,rss_mib\n")
                        for i, points in sorted(series.items()):
                            t0 = points[0][0]
                            f.writelines(
                                f"{i + 1},{t - t0:.1f},{mb:.1f}\n" for t, mb in points
                            )
                for i, proc in enumerate(procs if probe else []):
                    print(f"server {i + 1} probe (benchmarks/serve_probed.py):")
                    for line in load_memory.probe_report(
                        proc.pid, args.probe.resolve() / config
                    ):
                        print(line)
                print(
                    f"load average (1 min): {load_start:.1f} at the start, "
                    f"{os.getloadavg()[0]:.1f} at the end"
                )
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
