"""The load test's memory figures: RSS trend per server, and the servers' probes.

`summary` reads one server's RSS samples (seconds, MiB) over the measured
window: start, max, end, the mean of each half, the least-squares slope in
MiB per minute, and the growth from the first minute to the last (means of
the samples in each). `probe_env` / `finish_probes` / `probe_report` drive
benchmarks/serve_probed.py (bench_load --probe DIR).
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import time
from dataclasses import dataclass
from pathlib import Path


def slope_per_minute(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MiB) samples, in MiB per minute."""
    if len(points) < 2:
        return float("nan")
    ts = [t for t, _ in points]
    ys = [y for _, y in points]
    mt, my = statistics.fmean(ts), statistics.fmean(ys)
    sxx = sum((t - mt) ** 2 for t in ts)
    if sxx == 0:
        return float("nan")
    sxy = sum((t - mt) * (y - my) for t, y in points)
    return 60 * sxy / sxx


@dataclass(frozen=True)
class Summary:
    """One server's RSS over the measured window (MiB, MiB per minute)."""

    n: int
    start: float
    max: float
    end: float
    first_half: float
    second_half: float
    slope: float  # MiB per minute, least squares
    first_minute: float
    last_minute: float
    minutes: float

    @property
    def growth(self) -> float:
        """Mean of the last minute's samples minus the first minute's."""
        return self.last_minute - self.first_minute

    def line(self, i: int) -> str:
        return (
            f"server {i + 1} RSS MiB: start {self.start:.0f}, max {self.max:.0f}, "
            f"end {self.end:.0f}; mean of 1st half {self.first_half:.0f}, 2nd half "
            f"{self.second_half:.0f} ({self.n} samples over {self.minutes:.1f} min); "
            f"slope {self.slope:+.2f} MiB/min; first minute {self.first_minute:.0f}"
            f" -> last minute {self.last_minute:.0f} ({self.growth:+.0f})"
        )


def summary(points: list[tuple[float, float]]) -> Summary:
    """`points`: (seconds, MiB) samples in time order, the measured window only."""
    if not points:
        raise ValueError("no RSS samples")
    t0, t1 = points[0][0], points[-1][0]
    mbs = [mb for _, mb in points]
    half = max(len(mbs) // 2, 1)
    first = [mb for t, mb in points if t < t0 + 60] or mbs[:1]
    last = [mb for t, mb in points if t > t1 - 60] or mbs[-1:]
    return Summary(
        n=len(mbs),
        start=mbs[0],
        max=max(mbs),
        end=mbs[-1],
        first_half=statistics.fmean(mbs[:half]),
        second_half=statistics.fmean(mbs[half:] or mbs),
        slope=slope_per_minute(points),
        first_minute=statistics.fmean(first),
        last_minute=statistics.fmean(last),
        minutes=(t1 - t0) / 60,
    )


def verdict(s: Summary, limit: float, minutes: float = 10.0) -> str:
    """Is the trend bounded: slope x `minutes` at most `limit` MiB?

    A window shorter than a minute is too short to say (the slope of a few
    seconds is noise), and is said so.
    """
    if not s.minutes >= 1:
        return f"memory not judged: {s.minutes:.1f} min measured (at least 1 min)"
    over = s.slope * minutes
    mark = "bounded" if over <= limit else "GROWING"
    return (
        f"memory {mark}: slope x {minutes:g} min = {over:+.1f} MiB "
        f"(criterion <= {limit:g} MiB)"
    )


# --- benchmarks/serve_probed.py, driven from the load test --------------------


def probe_env(folder: Path, every: float, frames: int) -> dict[str, str]:
    """The environment that makes serve_probed sample into `folder`."""
    env = {"APP_BENCH_PROBE": str(folder), "APP_BENCH_PROBE_EVERY": f"{every:g}"}
    if frames:
        env["APP_BENCH_TRACEMALLOC"] = str(frames)
    return env


def _lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line]


def finish_probes(pids: list[int], folder: Path, timeout: float = 120) -> None:
    """Ask each probed server for its last sample (SIGUSR1); wait for it."""
    for pid in pids:
        os.kill(pid, signal.SIGUSR1)
    deadline = time.monotonic() + timeout
    for pid in pids:
        path = folder / f"probe-{pid}.jsonl"
        while time.monotonic() < deadline:
            rows = _lines(path)
            if rows and rows[-1]["event"] == "after malloc_trim":
                break
            time.sleep(0.5)


def _cache_total(row: dict) -> tuple[int, float]:
    caches = row.get("caches", [])
    return sum(c["entries"] for c in caches), sum(c["bytes"] for c in caches) / 2**20


def probe_report(pid: int, folder: Path) -> list[str]:
    """What one server held at its first sample and at the end of the load."""
    rows = _lines(folder / f"probe-{pid}.jsonl")
    ticks = [r for r in rows if r["event"] in ("tick", "end")]
    if not ticks:
        return [f"  probe of {pid}: no sample"]
    out = []
    for r in (ticks[0], ticks[-1]):
        entries, cache_mib = _cache_total(r)
        out.append(
            f"  t={r['t']:.0f} s: RSS {r['rss_mib']:.0f} MiB, heap in use "
            f"{r.get('heap_used_mib', float('nan')):.0f} + free "
            f"{r.get('heap_free_mib', float('nan')):.0f} MiB"
            + (f", traced {r['traced_mib']:.0f} MiB" if "traced_mib" in r else "")
            + "; resident: heap {:.0f}, anonymous {:.0f}, files {:.0f} MiB".format(
                r.get("map_heap_mib", float("nan")),
                r.get("map_anon_mib", float("nan")),
                r.get("map_file_mib", float("nan")),
            )
            + f"; Python blocks {r.get('py_blocks', 0) / 1e6:.2f} M"
            + (
                f"; pyarrow ({r['arrow_backend']}) {r['arrow_mib']:.0f} MiB, "
                f"peak {r['arrow_peak_mib']:.0f}"
                if "arrow_mib" in r
                else ""
            )
            + f"; sessions {r.get('sessions_active')} active + "
            f"{r.get('sessions_stored')} stored; caches {entries} entries, "
            f"{cache_mib:.1f} MiB; media files {r.get('media_files')} "
            f"({r.get('media_bytes', 0) / 2**20:.1f} MiB); gc garbage "
            f"{r.get('gc_garbage')}; threads "
            f"{r.get('threads')}"
        )
    for r in rows:
        if r["event"].startswith("after"):
            out.append(f"  {r['event']}: RSS {r['rss_mib']:.0f} MiB")
    largest: dict[str, int] = {}
    for r in ticks:
        for c in r.get("caches", []):
            largest[c["name"]] = max(largest.get(c["name"], 0), c["largest"])
    out.append(
        "  caches at the end: entries/bound, MiB held; largest entry seen in any "
        "sample; bound x largest (cache_data: pickled; cache_resource: asizeof)"
    )
    for c in sorted(ticks[-1].get("caches", []), key=lambda c: -c["bytes"]):
        most = largest[c["name"]]
        cap = f"{c['max_entries'] * most / 2**20:7.1f}" if c["max_entries"] else "    -"
        out.append(
            f"    {c['kind']:<8} {c['name']:<42} {c['entries']:>3}/"
            f"{c['max_entries'] or '-':<3} {c['bytes'] / 2**20:6.2f} MiB; largest "
            f"{most / 2**20:5.2f} MiB; bound {cap} MiB"
        )
    return out
