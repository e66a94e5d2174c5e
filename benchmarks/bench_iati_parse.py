"""Benchmark the IATI parser on a large synthetic IATI 2.03 file.

Writes N activities (default 100,000) resampled from the bundled real files, each
with a new unique identifier, into a temporary directory, then measures in
separate child processes (so each peak RSS is its own):

* baseline: a plain hardened ``lxml.etree.iterparse`` loop that only counts
  elements (and clears each finished activity so the baseline streams too);
* stream: ``iter_activities`` over the file, activities discarded;
* keep: ``parse_file``, all activities kept in a list (what the dashboard does);
* tracemalloc: ``iter_activities`` again under tracemalloc, for the Python-heap
  peak (libxml2's C allocations are not seen by tracemalloc; see RSS for those).

Usage:
    python benchmarks/bench_iati_parse.py [--activities N] [--seed S] [--keep-file]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from lxml import etree  # noqa: E402

from src.iati.model import ParseReport  # noqa: E402
from src.iati.parser import iter_activities, parse_file  # noqa: E402

RAW = ROOT / "data" / "raw" / "iati"


def _templates() -> list[tuple[bytes, str, bytes]]:
    """Split every bundled activity around its identifier text.

    Returns:
        (bytes before the identifier, identifier, bytes after) per activity, with
        D-Portal's namespaced attributes removed.
    """
    templates = []
    for path in sorted(RAW.glob("*.xml")):
        root = etree.parse(str(path)).getroot()
        for activity in root.iterfind("iati-activity"):
            for elem in activity.iter():
                for key in [k for k in elem.attrib if k.startswith("{http://d-portal")]:
                    del elem.attrib[key]
            etree.cleanup_namespaces(activity)
            ident = activity.find("iati-identifier")
            original = (ident.text or "").strip()
            marker = "@@IDENT@@"
            ident.text = marker
            text = etree.tostring(activity, encoding="utf-8")
            before, after = text.split(marker.encode(), 1)
            # the namespaces were declared on the original root; drop the copies
            before = re.sub(rb' xmlns:[\w-]+="http://d-portal[^"]*"', b"", before)
            templates.append((b" " + before, escape(original), after.rstrip() + b"\n"))
    return templates


def write_synthetic(path: Path, n: int, seed: int) -> None:
    """Write an IATI 2.03 file of `n` resampled activities with new identifiers.

    Args:
        path: output file.
        n: number of activities.
        seed: random seed for the resampling.
    """
    templates = _templates()
    rng = random.Random(seed)
    with open(path, "wb") as out:
        out.write(
            b'<?xml version="1.0" encoding="UTF-8"?>\n'
            b'<iati-activities version="2.03" '
            b'generated-datetime="2021-06-01T00:00:00Z">\n'
        )
        for i in range(n):
            before, original, after = templates[rng.randrange(len(templates))]
            out.write(before)
            out.write(f"{original}-SYN{i:07d}".encode())
            out.write(after)
        out.write(b"</iati-activities>\n")


def _max_rss_mb() -> float:
    """Peak resident set size of this process in MiB.

    Linux's VmHWM is used when available: ru_maxrss survives fork + exec, so in a
    child it can report the parent's peak instead of the child's own.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _worker(mode: str, path: str) -> dict[str, float]:
    """Run one measurement in this (child) process.

    Args:
        mode: baseline, stream, keep or tracemalloc.
        path: the synthetic file.

    Returns:
        Figures for the table.
    """
    rss_before = _max_rss_mb()
    result: dict[str, float] = {}
    if mode == "tracemalloc":
        tracemalloc.start()
    start = time.perf_counter()
    if mode == "baseline":
        elements = activities = 0
        for _event, elem in etree.iterparse(
            path,
            events=("end",),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
        ):
            elements += 1
            if elem.tag == "iati-activity":
                activities += 1
                elem.clear()
                while elem.getprevious() is not None:
                    del elem.getparent()[0]
        result["elements"] = elements
    elif mode in ("stream", "tracemalloc"):
        report = ParseReport()
        activities = sum(1 for _ in iter_activities(path, report=report))
        result["problems"] = len(report.problems)
    elif mode == "keep":
        kept, report = parse_file(path)
        activities = len(kept)
        result["problems"] = len(report.problems)
    else:
        raise SystemExit(f"unknown mode {mode}")
    result["seconds"] = time.perf_counter() - start
    if mode == "tracemalloc":
        result["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    result["activities"] = activities
    result["rss_before_mb"] = rss_before
    result["max_rss_mb"] = _max_rss_mb()
    return result


def _run_child(mode: str, path: Path) -> dict[str, float]:
    """Run `_worker` in a fresh interpreter and return its figures."""
    out = subprocess.run(
        [sys.executable, __file__, "--worker", mode, str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    """Parse arguments, build the file, run the measurements, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--keep-file", action="store_true", help="do not delete")
    parser.add_argument("--skip-tracemalloc", action="store_true")
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(_worker(*args.worker)))
        return

    tmp = Path(tempfile.mkdtemp(prefix="bench_iati_"))
    path = tmp / f"synthetic_{args.activities}.xml"
    try:
        start = time.perf_counter()
        write_synthetic(path, args.activities, args.seed)
        size_mb = path.stat().st_size / 2**20
        print(
            f"wrote {path} ({args.activities:,} activities, {size_mb:,.1f} MiB) "
            f"in {time.perf_counter() - start:.1f} s",
            flush=True,
        )
        modes = ["baseline", "stream", "keep"]
        if not args.skip_tracemalloc:
            modes.append("tracemalloc")
        results = {mode: _run_child(mode, path) for mode in modes}
        _print_table(results, size_mb, args.activities)
    finally:
        if args.keep_file:
            print(f"kept {path}")
        else:
            path.unlink(missing_ok=True)
            tmp.rmdir()


def _print_table(results: dict[str, dict[str, float]], size_mb: float, n: int) -> None:
    """Print the figures as a small table."""
    base = results["baseline"]["seconds"]

    print()
    print(f"file: {size_mb:,.1f} MiB, {n:,} activities")
    print(
        f"{'run':<12}{'seconds':>9}{'act/s':>10}{'MiB/s':>8}{'x baseline':>12}"
        f"{'max RSS MiB':>13}{'tracemalloc':>13}"
    )
    for mode, res in results.items():
        secs = res["seconds"]
        peak = res.get("tracemalloc_peak_mb")
        print(
            f"{mode:<12}{secs:>9.2f}{res['activities'] / secs:>10,.0f}"
            f"{size_mb / secs:>8.1f}{secs / base:>12.2f}{res['max_rss_mb']:>13,.0f}"
            f"{'' if peak is None else f'{peak:,.1f} MiB':>13}"
        )
    print(
        f"\nbaseline counted {results['baseline']['elements']:,.0f} elements; "
        f"parser problems reported: {results['stream']['problems']:,.0f} "
        "(warnings from the real data, repeated by the resampling)"
    )
    print(
        "tracemalloc run is slower by design (tracing overhead); its time is not a "
        "throughput figure."
    )


if __name__ == "__main__":
    main()
